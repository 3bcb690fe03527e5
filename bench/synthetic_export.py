"""The Neo4j benchmarks' generated graph written once as an ``export-graph`` file.

    .venv/bin/python -m bench.synthetic_export --nodes 5000000 /tmp/synthetic-5m.jsonl --targets 101

A user's first load of a large graph is ``leadgraph neo4j-import FILE``; at 5·10^6 nodes
generating the items in the benchmark's own process (one core) bounds the run, so the
file is made beforehand and ``bench/neo4j_import_bench.py --export FILE`` times the load
from it as the CLI runs it. The graph is ``neo4j_bench.stream_items``'s (seed 7 by
default): the same nodes and edges, natural keys as ``bulk_load`` claims them (the first
node with a key holds it). ``--targets N`` also writes ``FILE.targets.json``: N companies
chosen as ``neo4j_import_bench`` chooses its path targets.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from bench.neo4j_bench import stream_items
from bench.synthetic import generate
from leadgraph.graph.identity import natural_keys
from leadgraph.graph.transfer import FORMAT
from leadgraph.schema import default_schema


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _sources(sources: list[Any]) -> list[dict[str, str]]:
    return [{"source": s.source, "first_seen": s.first_seen, "last_seen": s.last_seen} for s in sources]


def write_export(n_nodes: int, seed: int, out: TextIO, n_targets: int = 0) -> dict[str, Any]:
    """Write the generated graph to ``out`` as export-graph writes a store; returns counts and targets."""
    schema = default_schema()
    graph = generate(schema, n_nodes, seed=seed)
    ids: list[str] = []
    nodes, edges = stream_items(graph, ids)
    claimed: set[str] = set()
    counts = {"nodes": 0, "edges": 0, "reviews": 0, "redirects": 0}
    with _spool(out) as body:
        for node in nodes:
            keys = [k for k in natural_keys(schema.node(node.kind), node.props) if k not in claimed]
            claimed.update(keys)
            body.write(_line({"type": "node", "id": node.id, "kind": node.kind, "props": node.props,
                              "keys": keys, "sources": _sources(node.sources)}))
            counts["nodes"] += 1
        del claimed
        for edge in edges:
            body.write(_line({"type": "edge", "id": edge.id, "kind": edge.kind, "src": edge.src, "dst": edge.dst,
                              "props": edge.props, "sources": _sources(edge.sources)}))
            counts["edges"] += 1
        out.write(_line({"format": FORMAT, "schema_version": schema.version, **counts}))
    targets: list[str] = []
    if n_targets:
        rng = np.random.default_rng(seed)  # as neo4j_import_bench and neo4j_bench choose theirs
        targets = [ids[int(c)] for c in rng.choice(graph.companies, size=n_targets, replace=False)]
    return {"counts": counts, "targets": targets}


class _spool:
    """The body written to a scratch file beside ``out``, copied after the header once counted."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.path = Path(getattr(out, "name", "export")).with_suffix(".body")

    def __enter__(self) -> TextIO:
        self.handle = self.path.open("w", encoding="utf-8", newline="\n")
        return self.handle

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.handle.close()
        try:
            if exc_type is None:
                self.out.flush()
                with self.path.open(encoding="utf-8") as body:
                    shutil.copyfileobj(body, self.out, 1 << 20)
        finally:
            self.path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--targets", type=int, default=0, help="also write FILE.targets.json with this many companies")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    with args.file.open("w", encoding="utf-8", newline="\n") as out:
        written = write_export(args.nodes, args.seed, out, args.targets)
    if args.targets:
        Path(f"{args.file}.targets.json").write_text(json.dumps(written["targets"]) + "\n", encoding="utf-8")
    print(json.dumps({**written["counts"], "seconds": round(time.perf_counter() - t0, 1),
                      "mb": round(args.file.stat().st_size / 2**20)}), file=sys.stderr)


if __name__ == "__main__":
    main()
