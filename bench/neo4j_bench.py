"""Neo4j side by side with the embedded store, on the same generated graph, in one run:
load throughput into Neo4j, and top-5 referral-path latency — on Neo4j from its path
projection and hop by hop, and on the embedded store — answers compared.

    set -a; . .neo4j/env; set +a    # or the env of a server started for benchmarks
    .venv/bin/python -m bench.neo4j_bench --nodes 100000 --wipe --json bench/out/neo4j.json

Per scale:

* the synthetic graph of ``bench/synthetic.py`` (the referral-path benchmark's, seed 7)
  becomes nodes and edges with the properties a real store holds (ids from natural keys,
  one source), parallel edges with one id merged as an upsert would merge them;
* Neo4j: ``Neo4jStore.bulk_load`` into an empty database (``--wipe`` empties it first),
  nodes then relationships, each timed; ``--reuse`` keeps a database that already holds
  exactly this graph (a previous run's) and skips the load;
* embedded (unless ``--skip-embedded``): the same items through ``EmbeddedStore.restore``,
  the store reopened and its path index built, as the CLI and API do;
* the projection, in a child process of its own so that its memory is its own: a
  ``Neo4jStore`` opens, builds its path projection once (timed: seconds and peak RSS,
  reported apart), then answers every target from it;
* 100 random companies (seeded): the whole ``find_paths`` on each store (target
  resolution, search, Chinese explanations): Neo4j from the projection, Neo4j hop by hop
  (projection off; unless ``--skip-hop-by-hop``), embedded. Answers are compared as JSON,
  all but the elapsed time. Each first question (query planning) is reported apart.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
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
# Node ids are signed with a store's id key; the generated items carry ids of this one.
BENCH_ID_KEY = "leadgraph-bench"


def stream_items(graph: SyntheticGraph, ids: list[str]) -> tuple[Iterator[Node], Iterator[Edge]]:
    """The nodes and edges of :func:`items`, made one at a time, for scales whose lists would
    not fit in memory. The nodes must be consumed first: each appends its id to ``ids``,
    which the edges then read."""
    schema = graph.schema

    def nodes() -> Iterator[Node]:
        for i in range(graph.n_nodes):
            kind, props = graph.node_props(i)
            spec = schema.node(kind)
            node = Node(node_id(spec, natural_keys(spec, props)[0], BENCH_ID_KEY), kind, props["name"], props, _SOURCES)
            ids.append(node.id)
            yield node

    def edges() -> Iterator[Edge]:
        seen: set[str] = set()  # an upsert merges a repeated tie into the first
        for j in range(graph.n_edges):
            kind, props = graph.edge_props(j)
            src, dst = ids[int(graph.src[j])], ids[int(graph.dst[j])]
            new_id = edge_id(schema.edge(kind), src, dst, props)
            if new_id not in seen:
                seen.add(new_id)
                yield Edge(new_id, kind, src, dst, props, _SOURCES)

    return nodes(), edges()


def items(graph: SyntheticGraph) -> tuple[list[Node], list[Edge], list[tuple[str, str]]]:
    """The generated graph as a store's nodes, edges and natural keys (paths_bench's properties)."""
    schema = graph.schema
    nodes, keys, ids = [], [], []
    for i in range(graph.n_nodes):
        kind, props = graph.node_props(i)
        spec = schema.node(kind)
        node_keys = natural_keys(spec, props)
        new = Node(node_id(spec, node_keys[0], BENCH_ID_KEY), kind, props["name"], props, _SOURCES)
        nodes.append(new)
        ids.append(new.id)
        keys.extend((key, new.id) for key in node_keys)
    edges: dict[str, Edge] = {}
    for j in range(graph.n_edges):
        kind, props = graph.edge_props(j)
        src, dst = ids[int(graph.src[j])], ids[int(graph.dst[j])]
        new_id = edge_id(schema.edge(kind), src, dst, props)
        if new_id not in edges:  # an upsert merges a repeated tie into the first
            edges[new_id] = Edge(new_id, kind, src, dst, props, _SOURCES)
    return nodes, list(edges.values()), keys


def percentiles(ms: list[float]) -> dict[str, float]:
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


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith(f"{field}:"))
    return round(kb / 1024)


def _rss_mb() -> float:
    return _status_mb("VmRSS")


def _peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not inherited from a parent)."""
    return _status_mb("VmHWM")


def projection_run(targets: list[str], time_limit: float | None) -> dict[str, Any]:
    """In a child process: build the projection (timed), then answer every target from it."""
    store = Neo4jStore.from_settings(Settings().model_copy(update={"neo4j_path_projection": "background"}))
    before = _rss_mb()
    t0 = time.perf_counter()
    store.projection.build(AS_OF)
    built = time.perf_counter() - t0
    last = store.projection.last_build
    build = {
        "build_s": round(built, 1), "read_s": round(last["read_s"], 1), "nodes": last["nodes"],
        "relationships": last["relationships"], "rss_before_mb": before, "rss_after_mb": _rss_mb(),
        "peak_rss_mb": _peak_rss_mb(),
    }
    answers, ms = [], []
    for target in targets:
        answer, elapsed = _answer(store, target, time_limit)
        answers.append(answer)
        ms.append(elapsed)
    stats = dict(store.projection.stats)
    store.close()
    return {"build": build, "answers": answers, "ms": ms, "stats": stats, "peak_rss_mb": _peak_rss_mb()}


def run(n_nodes: int, n_targets: int, seed: int, *, wipe: bool = False, reuse: bool = False,
        time_limit: float | None = None, embedded: bool = True, hop_by_hop: bool = True) -> dict[str, Any]:
    schema = default_schema()
    t0 = time.perf_counter()
    graph = generate(schema, n_nodes, seed=seed)
    nodes, edges, keys = items(graph)
    generated = time.perf_counter() - t0
    result: dict[str, Any] = {"nodes": len(nodes), "edges": len(edges), "generate_s": round(generated, 1)}
    node_ids = [node.id for node in nodes]

    neo4j = Neo4jStore.from_settings(Settings().model_copy(update={"neo4j_path_projection": "off"}))
    counts = neo4j.counts()
    held = sum(counts["nodes"].values())
    if reuse and held == len(nodes) and sum(counts["edges"].values()) == len(edges):
        result["neo4j_load"] = "reused"
    else:
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

    rng = np.random.default_rng(seed)
    targets = [node_ids[int(c)] for c in rng.choice(graph.companies, size=n_targets + 1, replace=False)]
    del node_ids, graph
    paths: dict[str, Any] = {"targets": n_targets, "time_limit_s": time_limit}
    with tempfile.TemporaryDirectory() as tmp:
        reference = None
        if embedded:
            path = Path(tmp) / "bench.db"
            t0 = time.perf_counter()
            with EmbeddedStore(path) as store:
                store.restore(nodes, edges, keys)
            written = time.perf_counter() - t0
            t0 = time.perf_counter()
            store = EmbeddedStore(path)
            opened = time.perf_counter() - t0
            t0 = time.perf_counter()
            index = index_for(store, as_of=AS_OF)
            built = time.perf_counter() - t0
            result["embedded"] = {"restore_s": round(written, 1), "open_s": round(opened, 1),
                                  "build_index_s": round(built, 1), "index_entries": index.n_entries,
                                  "our_side": int(index.our_side.sum())}
            del index
        del nodes, edges, keys
        if embedded:
            _, first = _answer(store, targets[0], time_limit)
            reference, ms = [], []
            for target in targets[1:]:
                answer, elapsed = _answer(store, target, time_limit)
                reference.append(answer)
                ms.append(elapsed)
            store.close()
            paths |= {"embedded_first_ms": round(first, 1), "embedded_find_paths_ms": percentiles(ms),
                      "paths_found_mean": round(float(np.mean([len(a["paths"]) for a in reference])), 2)}

    # The projection, in a child process: its build and its memory are its own.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        projected = child.submit(projection_run, targets, time_limit).result()
    result["neo4j_projection"] = projected["build"] | {"process_peak_rss_mb": projected["peak_rss_mb"]}
    answers = projected["answers"][1:]
    paths |= {
        "neo4j_projection_first_ms": round(projected["ms"][0], 1),
        "neo4j_projection_find_paths_ms": percentiles(projected["ms"][1:]),
        "neo4j_projection_answered": f"{projected['stats'].get('projection', 0)} of {n_targets + 1}",
        "neo4j_projection_truncated": sum(bool(a["truncated"]) for a in answers),
    }
    if reference is not None:
        paths["neo4j_projection_identical_to_embedded"] = sum(a == b for a, b in zip(answers, reference))
    else:
        paths["paths_found_mean"] = round(float(np.mean([len(a["paths"]) for a in answers])), 2)

    if hop_by_hop:
        views: list[pathfetch.Neighbourhood] = []
        original = pathfetch.Neighbourhood.__init__

        def spy(view: pathfetch.Neighbourhood, *args: Any, **kwargs: Any) -> None:
            original(view, *args, **kwargs)
            views.append(view)

        pathfetch.Neighbourhood.__init__ = spy  # type: ignore[method-assign]
        _, first = _answer(neo4j, targets[0], time_limit)
        ms, fetched = [], []
        for target in targets[1:]:
            answer, elapsed = _answer(neo4j, target, time_limit)
            ms.append(elapsed)
            fetched.append(answer)
        pathfetch.Neighbourhood.__init__ = original  # type: ignore[method-assign]
        views = views[1:]
        truncated = sum(bool(a["truncated"]) for a in fetched)
        paths |= {
            "neo4j_hop_by_hop_first_ms": round(first, 1),
            "neo4j_hop_by_hop_find_paths_ms": percentiles(ms),
            "neo4j_hop_by_hop_truncated": truncated,
            "neo4j_hop_by_hop_identical_to_projection": sum(a == b for a, b in zip(fetched, answers)),
            "neo4j_round_trips_median": int(np.median([v.round_trips for v in views])),
            "neo4j_searches_median": int(np.median([v.rounds for v in views])),
            "neo4j_ties_fetched_median": int(np.median([v.fetched for v in views])),
            "neo4j_ties_fetched_p95": int(np.percentile([v.fetched for v in views], 95)),
            "neo4j_nodes_fetched_median": int(np.median([len(v.rows) for v in views])),
        }
        if reference is not None:
            paths["neo4j_hop_by_hop_identical_to_embedded"] = sum(a == b for a, b in zip(fetched, reference))
            paths["neo4j_hop_by_hop_identical_of_not_truncated"] = (
                f"{sum(a == b and not a['truncated'] for a, b in zip(fetched, reference))} of {n_targets - truncated}"
            )
    neo4j.close()
    result["paths"] = paths
    result["peak_rss_mb"] = _peak_rss_mb()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, action="append", help="scale (repeatable); default 100000")
    parser.add_argument("--targets", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wipe", action="store_true", help="empty the Neo4j database first (it must not be a real one)")
    parser.add_argument("--reuse", action="store_true",
                        help="skip the load when the database already holds this graph (same node and edge counts)")
    parser.add_argument("--time-limit", type=float, help="seconds per question (default: the schema's, 2 s)")
    parser.add_argument("--skip-embedded", action="store_true", help="no embedded store (answers compared on Neo4j only)")
    parser.add_argument("--skip-hop-by-hop", action="store_true", help="no hop-by-hop Neo4j questions")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    results = []
    for n in args.nodes or [100_000]:
        t0 = time.perf_counter()
        result = run(n, args.targets, args.seed, wipe=args.wipe, reuse=args.reuse, time_limit=args.time_limit,
                     embedded=not args.skip_embedded, hop_by_hop=not args.skip_hop_by_hop)
        result["wall_s"] = round(time.perf_counter() - t0, 1)
        results.append(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
