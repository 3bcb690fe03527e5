"""First load into Neo4j with neo4j-admin's offline importer, stage by stage.

    .venv/bin/python -m bench.neo4j_import_bench --nodes 100000 --json bench/out/neo4j_import_100k.json

Per scale, on the graph of ``bench/neo4j_bench.py`` (``bench/synthetic.py``, seed 7, made
into a store's nodes and edges by ``neo4j_bench.items``):

a. the import files: property maps (search terms with pinyin, sources) built in two
   worker processes, natural keys claimed as ``bulk_load`` claims them, CSV written
   (``neo4j_import.import_files_for``);
b. ``neo4j-admin database import full`` into a fresh, stopped home of its own
   (``deploy/neo4j/neo4j.sh init`` with ``NEO4J_STATE_DIR``), with the importer's own
   stage times;
c. the server started on that data (``neo4j.sh start --keep-data``), then the first
   ``Neo4jStore`` connection, which creates every constraint and index and waits until
   they are online, and a count check.

With ``--export FILE`` (written by ``bench/synthetic_export.py``) stage a reads that file
instead, as ``leadgraph neo4j-import FILE`` does: how a user's first load runs, and the way
to measure 5·10^6 nodes, whose item generation in this process would bound the run.

Each stage reports its seconds and the graph's nodes and relationships per second over
it, and so does the whole; the importer's stages are also summed into its node part and
its relationship part. Peak RSS: this process (the graph in memory, the files'
bookkeeping) and the importer's JVM (sampled). The server is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from bench.neo4j_bench import percentiles, projection_run, stream_items
from bench.synthetic import generate
from leadgraph.graph.neo4j_admin import ServerHome, run_import
from leadgraph.graph.neo4j_import import import_files_for, import_files_from_export
from leadgraph.graph.neo4j_store import Neo4jStore
from leadgraph.schema import default_schema

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy" / "neo4j" / "neo4j.sh"
_NODE_STAGES = {"Nodes", "Prepare node index", "Node counts and label index build"}  # the importer's node part


def _rates(seconds: float, nodes: int, edges: int) -> dict[str, Any]:
    return {"s": round(seconds, 1), "nodes_per_s": round(nodes / seconds), "rels_per_s": round(edges / seconds)}


def _script(command: str, env: dict[str, str]) -> None:
    subprocess.run(["bash", str(SCRIPT), *command.split()], env=env, check=True, stdout=subprocess.DEVNULL)


class _PeakRss(threading.Thread):
    """The peak RSS (VmHWM) of this process's children running ``marker``, sampled twice a second."""

    def __init__(self, marker: str) -> None:
        super().__init__(daemon=True)
        self.marker, self.peak_kb, self.done = marker.encode(), 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
                    if int(fields["PPid"]) == os.getpid() and self.marker in (status.parent / "cmdline").read_bytes():
                        self.peak_kb = max(self.peak_kb, int(fields["VmHWM"].split()[0]))
                except (OSError, KeyError, ValueError):
                    continue

    def __enter__(self) -> "_PeakRss":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.join()


def run(
    n_nodes: int, seed: int, home: Path, work: Path, server_env: dict[str, str], path_targets: int = 0,
    export: Path | None = None,
) -> dict[str, Any]:
    schema = default_schema()
    env = {**os.environ, **server_env, "NEO4J_STATE_DIR": str(home)}
    targets: list[str] = []
    if export is not None:
        # As ``leadgraph neo4j-import FILE`` runs: the file's lines parsed and checked.
        result: dict[str, Any] = {"export": str(export), "export_mb": round(export.stat().st_size / 2**20)}
        if path_targets:
            targets = json.loads(Path(f"{export}.targets.json").read_text(encoding="utf-8"))[: path_targets + 1]
        t0 = time.perf_counter()
        with export.open(encoding="utf-8") as lines:
            files = import_files_from_export(schema, work, lines)
        write_s = time.perf_counter() - t0
    else:
        t0 = time.perf_counter()
        graph = generate(schema, n_nodes, seed=seed)
        result = {"generate_s": round(time.perf_counter() - t0, 1)}
        # The items are made as the files are written (at 5·10^6 nodes lists of them would not
        # fit beside the server): their making is part of stage a.
        ids: list[str] = []
        nodes, edges = stream_items(graph, ids)
        t0 = time.perf_counter()
        files = import_files_for(schema, work, nodes, edges)
        write_s = time.perf_counter() - t0
        if path_targets:
            rng = np.random.default_rng(seed)
            targets = [ids[int(c)] for c in rng.choice(graph.companies, size=path_targets + 1, replace=False)]
        del ids, graph, nodes, edges
    result["nodes"], result["edges"] = files.counts["nodes"], files.counts["edges"]
    size = sum(f.stat().st_size for f in work.glob("*.csv"))
    result["a_files"] = {**_rates(write_s, result["nodes"], result["edges"]), "keys": files.counts["keys"],
                         "files": len(files.nodes) + len(files.relationships), "csv_mb": round(size / 2**20)}
    print(json.dumps(result, ensure_ascii=False), file=sys.stderr, flush=True)

    _script("init", env)
    with _PeakRss("org.neo4j.cli.AdminTool") as jvm:
        imported = run_import(ServerHome.at(home), files)
    node_s = sum(seconds for name, seconds in imported.stages if name in _NODE_STAGES)
    rel_s = sum(seconds for name, seconds in imported.stages if name not in _NODE_STAGES)
    result["b_importer"] = {
        **_rates(imported.wall_s, result["nodes"], result["edges"]), "importer_total_s": imported.import_s,
        "node_stages": {"s": round(node_s, 1), "nodes_per_s": round(result["nodes"] / node_s)},
        "relationship_stages": {"s": round(rel_s, 1), "rels_per_s": round(result["edges"] / rel_s)},
        "imported_nodes": imported.nodes, "imported_relationships": imported.relationships,
        "imported_properties": imported.properties, "importer_peak_memory": imported.peak_memory,
        "importer_jvm_peak_rss_mb": round(jvm.peak_kb / 1024),
        "stages_s": {name: seconds for name, seconds in imported.stages if seconds >= 0.05},
    }
    print(json.dumps(result["b_importer"], ensure_ascii=False), file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    _script("start --keep-data", env)
    started = time.perf_counter() - t0
    config = dict(line.split("=", 1) for line in (home / "env").read_text(encoding="utf-8").splitlines())
    t1 = time.perf_counter()
    with Neo4jStore(config["NEO4J_URI"], config["NEO4J_USER"], config["NEO4J_PASSWORD"], timeout=3600.0) as store:
        schema_s = time.perf_counter() - t1
        states = {row["state"] for row in store._query("SHOW INDEXES YIELD state RETURN state")}
        counts = store.counts()
    online = time.perf_counter() - t0
    assert states == {"ONLINE"}, states
    assert sum(counts["nodes"].values()) == result["nodes"] and sum(counts["edges"].values()) == result["edges"], counts
    result["c_server"] = {**_rates(online, result["nodes"], result["edges"]), "start_s": round(started, 1),
                          "schema_and_indexes_online_s": round(schema_s, 1)}
    total = write_s + imported.wall_s + online
    result["end_to_end"] = _rates(total, result["nodes"], result["edges"])
    if targets:
        result["paths"] = _projected_paths(targets, config)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # this process
    return result


def _projected_paths(targets: list[str], config: dict[str, str]) -> dict[str, Any]:
    """``neo4j_bench``'s projection run on the imported server: in a child process, the
    projection built once (timed), then the whole ``find_paths`` for each target."""
    os.environ.update({k: v for k, v in config.items() if k.startswith("NEO4J_")})
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        projected = child.submit(projection_run, targets, None).result()
    answers = projected["answers"][1:]
    return {
        "projection": projected["build"] | {"process_peak_rss_mb": projected["peak_rss_mb"]},
        "targets": len(targets) - 1,
        "first_ms": round(projected["ms"][0], 1),
        "find_paths_ms": percentiles(projected["ms"][1:]),
        "answered_from_projection": f"{projected['stats'].get('projection', 0)} of {len(targets)}",
        "truncated": sum(bool(a["truncated"]) for a in answers),
        "paths_found_mean": round(float(np.mean([len(a["paths"]) for a in answers])), 2),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, action="append", help="scale (repeatable); default 100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--home", type=Path, help="server home to (re)create (default: a temporary directory)")
    parser.add_argument("--heap", default="3g", help="server heap (neo4j_bench's server: 3g)")
    parser.add_argument("--pagecache", default="4g", help="server page cache (neo4j_bench's server: 4g)")
    parser.add_argument("--paths", type=int, default=0, metavar="TARGETS",
                        help="then top-5 paths from the projection for this many random companies (as neo4j_bench)")
    parser.add_argument("--export", type=Path, metavar="FILE",
                        help="load this export-graph file (bench.synthetic_export's, with FILE.targets.json "
                             "for --paths) instead of generating the graph; --nodes is then ignored")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    server_env = {"NEO4J_LIB_DIR": os.environ.get("NEO4J_LIB_DIR", str(ROOT / ".neo4j" / "lib")),
                  "NEO4J_HEAP_INITIAL": args.heap, "NEO4J_HEAP_MAX": args.heap, "NEO4J_PAGECACHE": args.pagecache,
                  "NEO4J_START_TIMEOUT": "600"}
    results = []
    for n in args.nodes or [100_000]:
        before = [round(x, 2) for x in os.getloadavg()]
        with tempfile.TemporaryDirectory(prefix="neo4j-import-bench-") as tmp:
            home = args.home or Path(tmp) / "home"
            try:
                result = run(n, args.seed, home, Path(tmp) / "csv", server_env, args.paths, args.export)
            finally:
                _script("stop", {**os.environ, **server_env, "NEO4J_STATE_DIR": str(home)})
        result["load_average"] = {"before": before, "after": [round(x, 2) for x in os.getloadavg()]}
        results.append(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
