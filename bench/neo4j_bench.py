"""Neo4j side by side with the embedded store, on the same generated graph, in one run:
load throughput into Neo4j, and top-5 referral-path latency on both, answers compared.

    set -a; . .neo4j/env; set +a    # or the env of a server started for benchmarks
    .venv/bin/python -m bench.neo4j_bench --nodes 100000 --wipe --json bench/out/neo4j.json

Per scale:

* the synthetic graph of ``bench/synthetic.py`` (the referral-path benchmark's, seed 7)
  becomes nodes and edges with the properties a real store holds (ids from natural keys,
  one source), parallel edges with one id merged as an upsert would merge them;
* Neo4j: ``Neo4jStore.bulk_load`` into an empty database (``--wipe`` empties it first),
  nodes then relationships, each timed;
* embedded: the same items through ``EmbeddedStore.restore``, the store reopened and its
  path index built, as the CLI and API do;
* 100 random companies (seeded): the whole ``find_paths`` on each store (target
  resolution, search, Chinese explanations). On Neo4j that includes fetching the
  neighbourhood by Cypher. The answers are compared as JSON, all but the elapsed time.
  The first Neo4j question (planning, the cached our-side count) is reported apart.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.synthetic import AS_OF, SyntheticGraph, generate
from leadgraph.graph import EmbeddedStore, pathfetch
from leadgraph.graph.identity import edge_id, natural_keys, node_id
from leadgraph.graph.model import Edge, Node, Source
from leadgraph.graph.neo4j_store import Neo4jStore
from leadgraph.graph.pathindex import index_for
from leadgraph.graph.paths import PathQuery, find_paths
from leadgraph.schema import default_schema
from leadgraph.settings import Settings

_STAMP = "2025-01-01T00:00:00.000000Z"
_SOURCES = [Source("synthetic", _STAMP, _STAMP)]
_MEMBER_ROLES = ["会长", "执行会长", "副会长", "秘书长", "理事", "会员"]


def items(graph: SyntheticGraph) -> tuple[list[Node], list[Edge], list[tuple[str, str]]]:
    """The generated graph as a store's nodes, edges and natural keys (paths_bench's properties)."""
    schema = graph.schema
    kinds, edges_kinds = list(schema.nodes), list(schema.edges)
    roles = list(schema.node("Person").roles)
    contexts = list(schema.edge("KNOWS").strengths)
    nodes, keys, ids = [], [], []
    for i in range(graph.n_nodes):
        kind = kinds[int(graph.kind[i])]
        if kind == "Person":
            props: dict[str, Any] = {"name": f"n{i}", "mobile": f"1{i:010d}"}
            held = [r for b, r in enumerate(roles) if graph.roles[i] >> b & 1]
            if held:
                props["roles"] = held
        elif kind == "Organization":
            props = {"name": f"n{i}", "org_kind": "association" if graph.declared_size[i] else "company"}
            if graph.declared_size[i]:
                props["member_count"] = int(graph.declared_size[i])
            if graph.is_local[i]:
                props["is_local"] = True
        elif kind == "Region":
            props = {"name": f"n{i}", "level": "township", "population": int(graph.declared_size[i])}
        else:
            props = {"name": f"n{i}", "date": str(np.datetime64(AS_OF) - np.timedelta64(i % 1400, "D"))}
        spec = schema.node(kind)
        node_keys = natural_keys(spec, props)
        new = Node(node_id(spec, node_keys[0]), kind, props["name"], props, _SOURCES)
        nodes.append(new)
        ids.append(new.id)
        keys.extend((key, new.id) for key in node_keys)
    edges: dict[str, Edge] = {}
    for j in range(graph.n_edges):
        kind = edges_kinds[int(graph.edge_kind[j])]
        cat = int(graph.category[j])
        props = {}
        if kind == "KNOWS":
            props = {"context": contexts[cat]}
        elif kind == "MEMBER_OF":
            props = {"role": _MEMBER_ROLES[cat]}
        elif kind == "WORKS_AT":
            props = {"decision_maker": bool(cat)}
        elif kind == "SHAREHOLDER_OF":
            props = {"share_pct": 8.0 if cat else 1.0}
        elif kind == "VISITED":
            props = {"date": str(np.datetime64(AS_OF) - np.timedelta64(int(graph.age[j]), "D"))}
        src, dst = ids[int(graph.src[j])], ids[int(graph.dst[j])]
        new_id = edge_id(schema.edge(kind), src, dst, props)
        if new_id not in edges:  # an upsert merges a repeated tie into the first
            edges[new_id] = Edge(new_id, kind, src, dst, props, _SOURCES)
    return nodes, list(edges.values()), keys


def _percentiles(ms: list[float]) -> dict[str, float]:
    arr = np.array(ms)
    return {f"p{q}": round(float(np.percentile(arr, q)), 1) for q in (50, 95, 99)} | {"max": round(float(arr.max()), 1)}


def _wipe(store: Neo4jStore) -> None:
    with store._driver.session(database=store.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def _answer(store: Any, target: str, time_limit: float | None) -> tuple[dict[str, Any], float]:
    t0 = time.perf_counter()
    answer = find_paths(store, PathQuery(to=target, as_of=AS_OF, time_limit=time_limit))
    ms = (time.perf_counter() - t0) * 1000
    answer["stats"].pop("elapsed_ms")
    return answer, ms


def run(n_nodes: int, n_targets: int, seed: int, wipe: bool, time_limit: float | None = None) -> dict[str, Any]:
    schema = default_schema()
    t0 = time.perf_counter()
    graph = generate(schema, n_nodes, seed=seed)
    nodes, edges, keys = items(graph)
    generated = time.perf_counter() - t0
    result: dict[str, Any] = {"nodes": len(nodes), "edges": len(edges), "generate_s": round(generated, 1)}

    neo4j = Neo4jStore.from_settings(Settings())
    if wipe:
        _wipe(neo4j)
    held = sum(neo4j.counts()["nodes"].values())
    if held:
        sys.exit(f"the Neo4j database holds {held} nodes; run with --wipe to empty it first")
    t0 = time.perf_counter()
    neo4j.bulk_load(nodes, [])
    node_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    neo4j.bulk_load([], edges)
    edge_s = time.perf_counter() - t0
    counts = neo4j.counts()
    assert sum(counts["nodes"].values()) == len(nodes) and sum(counts["edges"].values()) == len(edges), counts
    result["neo4j_load"] = {
        "nodes_s": round(node_s, 1), "nodes_per_s": round(len(nodes) / node_s),
        "relationships_s": round(edge_s, 1), "relationships_per_s": round(len(edges) / edge_s),
    }
    print(json.dumps(result, ensure_ascii=False), file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        with EmbeddedStore(path) as store:
            store.restore(nodes, edges, keys)
        written = time.perf_counter() - t0
        t0 = time.perf_counter()
        embedded = EmbeddedStore(path)
        opened = time.perf_counter() - t0
        t0 = time.perf_counter()
        index = index_for(embedded, as_of=AS_OF)
        built = time.perf_counter() - t0
        result["embedded"] = {"restore_s": round(written, 1), "open_s": round(opened, 1), "build_index_s": round(built, 1),
                              "index_entries": index.n_entries, "our_side": int(index.our_side.sum())}
        del nodes, edges, keys

        rng = np.random.default_rng(seed)
        by_name = {name: p for p, name in enumerate(index.names)}
        targets = [index.ids[by_name[f"n{int(c)}"]] for c in rng.choice(graph.companies, size=n_targets + 1, replace=False)]

        views: list[pathfetch.Neighbourhood] = []
        original = pathfetch.Neighbourhood.__init__

        def spy(view: pathfetch.Neighbourhood, *args: Any, **kwargs: Any) -> None:
            original(view, *args, **kwargs)
            views.append(view)

        pathfetch.Neighbourhood.__init__ = spy  # type: ignore[method-assign]
        _, first_embedded = _answer(embedded, targets[0], time_limit)
        _, first_neo4j = _answer(neo4j, targets[0], time_limit)
        emb_ms, neo_ms, same, found, truncated, complete_same = [], [], 0, [], 0, 0
        for target in targets[1:]:
            a, ms = _answer(embedded, target, time_limit)
            emb_ms.append(ms)
            b, ms = _answer(neo4j, target, time_limit)
            neo_ms.append(ms)
            same += a == b
            found.append(len(a["paths"]))
            truncated += bool(b["truncated"])
            complete_same += a == b and not b["truncated"]
        pathfetch.Neighbourhood.__init__ = original  # type: ignore[method-assign]
        views = views[1:]
        embedded.close()
    neo4j.close()
    result["paths"] = {
        "targets": n_targets,
        "embedded_first_ms": round(first_embedded, 1),
        "embedded_find_paths_ms": _percentiles(emb_ms),
        "neo4j_first_ms": round(first_neo4j, 1),
        "neo4j_find_paths_ms": _percentiles(neo_ms),
        "time_limit_s": time_limit,
        "identical_answers": same,
        "neo4j_truncated": truncated,
        "identical_of_not_truncated": f"{complete_same} of {n_targets - truncated}",
        "paths_found_mean": round(float(np.mean(found)), 2),
        "neo4j_round_trips_median": int(np.median([v.round_trips for v in views])),
        "neo4j_searches_median": int(np.median([v.rounds for v in views])),
        "neo4j_searches_max": int(max(v.rounds for v in views)),
        "neo4j_ties_fetched_median": int(np.median([v.fetched for v in views])),
        "neo4j_ties_fetched_p95": int(np.percentile([v.fetched for v in views], 95)),
        "neo4j_nodes_fetched_median": int(np.median([len(v.rows) for v in views])),
    }
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, action="append", help="scale (repeatable); default 100000")
    parser.add_argument("--targets", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wipe", action="store_true", help="empty the Neo4j database first (it must not be a real one)")
    parser.add_argument("--time-limit", type=float, help="seconds per question (default: the schema's, 2 s)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    results = []
    for n in args.nodes or [100_000]:
        t0 = time.perf_counter()
        result = run(n, args.targets, args.seed, args.wipe, args.time_limit)
        result["wall_s"] = round(time.perf_counter() - t0, 1)
        results.append(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
