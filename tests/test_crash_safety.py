"""A process killed mid-batch leaves the store exactly as it was before the batch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from leadgraph.graph import EmbeddedStore

_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from leadgraph.graph import EmbeddedStore

    store = EmbeddedStore(sys.argv[1])
    with store.batch("中断的名录") as batch:
        for i in range(3000):
            batch.upsert_node("Person", {"name": f"新人{i}", "mobile": f"139{i:08d}"})
            if i == 1500:
                Path(sys.argv[2]).write_text("half-way")
        Path(sys.argv[2]).write_text("done-writing")
        time.sleep(60)  # killed here, before the batch commits
    """
)


def _snapshot(path: Path) -> str:
    with EmbeddedStore(path) as store:
        nodes = [n.to_dict() for n in store.iter_nodes()]
        edges = [e.to_dict() for e in store.iter_edges()]
        hits = [h.to_dict() for h in store.search("新人")]
        return json.dumps([nodes, edges, hits, store.counts()], ensure_ascii=False, sort_keys=True)


def test_sigkill_mid_batch_leaves_store_as_before(tmp_path):
    db = tmp_path / "crash.db"
    marker = tmp_path / "marker"
    with EmbeddedStore(db) as store, store.batch("乡贤名录") as batch:
        a = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000001"}).id
        b = batch.upsert_node("Person", {"name": "李明", "mobile": "13800000002"}).id
        batch.upsert_edge("KNOWS", a, b, {"context": "同学"})
    before = _snapshot(db)

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(db), str(marker)], env=env)
    try:
        deadline = time.monotonic() + 60
        while not (marker.exists() and marker.read_text() == "done-writing"):
            assert writer.poll() is None, "writer exited before it could be killed"
            assert time.monotonic() < deadline, "writer never reached the middle of its batch"
            time.sleep(0.05)
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    with EmbeddedStore(db) as store:
        assert store.integrity_check() == "ok"
        assert store.counts() == {"nodes": {"Person": 2}, "edges": {"KNOWS": 1}}
        assert store.graph.number_of_nodes() == 2
    assert _snapshot(db) == before
