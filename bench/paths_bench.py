"""Referral-path benchmark: top-5 diverse paths for random targets, side by side with a
naive networkx baseline. Not a unit test; results go to docs/benchmarks.md.

    .venv/bin/python -m bench.paths_bench                 # the full run (≈10 min)
    .venv/bin/python -m bench.paths_bench --quick         # 10^4 / 10^5, a smoke run

Each measurement runs in its own child process so that its peak RSS is its own:

* ``store`` (10^5 nodes): the synthetic graph is written into a real embedded store
  (SQLite, one batch through the ordinary upsert rules), the store is reopened (SQLite →
  networkx), the path index is built from it with ``index_for`` as the CLI/API do, and
  each target is answered twice: the search alone (``top_paths``) and the whole
  ``find_paths`` (target resolution, search, Chinese explanations from SQLite).
* ``arrays`` (10^6 nodes / 5·10^6 edges): going through SQLite would take most of the
  time budget, so the index is built directly from the generated arrays with
  ``TraversalIndex.from_arrays`` — the same constructor and strength functions the store
  path uses after reading its graph — and the search alone is timed.
* ``baseline``: networkx ``shortest_simple_paths`` on a ``Graph`` with the same -log
  weights (the index's ties, parallel ties collapsed to the strongest), a virtual source
  before all of our side and a virtual sink after the decision makers; candidate paths
  are filtered by the same rules (hops, no source/target inside, diversity) until five
  are kept, on a small sample of the same targets, each capped in time.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import pickle
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.synthetic import AS_OF, SyntheticGraph, generate
from leadgraph.schema import default_schema

K = 5
MAX_HOPS = 4


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentiles(ms: list[float]) -> dict[str, float]:
    arr = np.array(ms)
    return {f"p{q}": round(float(np.percentile(arr, q)), 1) for q in (50, 95, 99)} | {"max": round(float(arr.max()), 1)}


def _targets(index, graph: SyntheticGraph, count: int, seed: int) -> list[tuple[int, list[int]]]:
    """Random companies with their decision makers (the company itself if it has none)."""
    rng = np.random.default_rng(seed)
    by_name = {name: p for p, name in enumerate(index.names)}  # a store names node i "n{i}"
    chosen = []
    for c in rng.choice(graph.companies, size=count, replace=False):
        position = by_name[f"n{int(c)}"]
        makers = sorted({p for p, _ in index.decision_makers(position)}) or [position]
        chosen.append((position, makers))
    return chosen


# -- writing the synthetic graph into a real store ----------------------------------------
def _write_store(graph: SyntheticGraph, path: Path) -> None:
    from leadgraph.graph import EmbeddedStore

    ids: list[str] = []
    with EmbeddedStore(path) as store, store.batch("synthetic") as batch:
        for i in range(graph.n_nodes):
            kind, props = graph.node_props(i)
            ids.append(batch.upsert_node(kind, props).id)
        for j in range(graph.n_edges):
            kind, props = graph.edge_props(j)
            batch.upsert_edge(kind, ids[int(graph.src[j])], ids[int(graph.dst[j])], props)


def _first_query(index, targets) -> float:
    """The first query on a fresh index allocates its reusable work arrays: timed apart."""
    from leadgraph.graph.pathsearch import top_paths

    t0 = time.perf_counter()
    top_paths(index, index.our_side, targets[0][1], k=K, max_hops=MAX_HOPS)
    return round((time.perf_counter() - t0) * 1000, 1)


# -- children ----------------------------------------------------------------------------
def run_store(n_nodes: int, n_targets: int, seed: int, keep_index: str) -> dict[str, Any]:
    from leadgraph.graph import EmbeddedStore
    from leadgraph.graph.pathindex import index_for
    from leadgraph.graph.paths import PathQuery, find_paths
    from leadgraph.graph.pathsearch import top_paths

    schema = default_schema()
    t0 = time.perf_counter()
    graph = generate(schema, n_nodes, seed=seed)
    generated = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        _write_store(graph, path)
        written = time.perf_counter() - t0
        t0 = time.perf_counter()
        store = EmbeddedStore(path)
        opened = time.perf_counter() - t0
        t0 = time.perf_counter()
        index = index_for(store, as_of=AS_OF)
        built = time.perf_counter() - t0
        targets = _targets(index, graph, n_targets, seed)
        first_ms = _first_query(index, targets)
        search_ms, full_ms, found, truncated = [], [], [], 0
        for org, makers in targets:
            t0 = time.perf_counter()
            result = top_paths(index, index.our_side, makers, k=K, max_hops=MAX_HOPS)
            search_ms.append((time.perf_counter() - t0) * 1000)
            found.append(len(result.paths))
            truncated += result.truncated
            t0 = time.perf_counter()
            find_paths(store, PathQuery(to=index.ids[org], as_of=AS_OF))
            full_ms.append((time.perf_counter() - t0) * 1000)
        counts = store.counts()
        store.close()
    with open(keep_index, "wb") as handle:  # for the baseline child: the very same index
        pickle.dump(index, handle)
    return {
        "mode": "store",
        "nodes": sum(counts["nodes"].values()),
        "edges": sum(counts["edges"].values()),
        "index_entries": index.n_entries,
        "dropped_by_cap": index.dropped_by_cap,
        "our_side": int(index.our_side.sum()),
        "generate_s": round(generated, 1),
        "write_sqlite_s": round(written, 1),
        "open_store_s": round(opened, 1),
        "build_index_s": round(built, 2),
        "first_query_ms": first_ms,
        "search_ms": _percentiles(search_ms),
        "find_paths_ms": _percentiles(full_ms),
        "paths_found_mean": round(float(np.mean(found)), 2),
        "truncated": truncated,
        "peak_rss_mb": round(_rss_mb()),
    }


def run_arrays(n_nodes: int, n_targets: int, seed: int) -> dict[str, Any]:
    from leadgraph.graph.pathsearch import top_paths

    schema = default_schema()
    t0 = time.perf_counter()
    graph = generate(schema, n_nodes, seed=seed)
    generated = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = graph.index()
    built = time.perf_counter() - t0
    del graph.category, graph.age
    targets = _targets(index, graph, n_targets, seed)
    first_ms = _first_query(index, targets)
    search_ms, found, truncated, settled, expanded = [], [], 0, [], []
    for _, makers in targets:
        t0 = time.perf_counter()
        result = top_paths(index, index.our_side, makers, k=K, max_hops=MAX_HOPS)
        search_ms.append((time.perf_counter() - t0) * 1000)
        found.append(len(result.paths))
        truncated += result.truncated
        settled.append(result.settled)
        expanded.append(result.expanded)
    return {
        "mode": "arrays",
        "nodes": index.n_nodes,
        "edges": int(graph.n_edges),
        "index_entries": index.n_entries,
        "dropped_by_cap": index.dropped_by_cap,
        "our_side": int(index.our_side.sum()),
        "generate_s": round(generated, 1),
        "build_index_s": round(built, 2),
        "first_query_ms": first_ms,
        "search_ms": _percentiles(search_ms),
        "settled_median": int(np.median(settled)),
        "expanded_median": int(np.median(expanded)),
        "paths_found_mean": round(float(np.mean(found)), 2),
        "truncated": truncated,
        "peak_rss_mb": round(_rss_mb()),
    }


class _Timeout(Exception):
    pass


def run_baseline(n_nodes: int, n_targets: int, seed: int, sample: int, cap_s: int, index_file: str | None) -> dict[str, Any]:
    """networkx shortest_simple_paths, filtered by the same rules, on a few targets."""
    import networkx as nx

    from leadgraph.graph.pathsearch import diversity_key, top_paths

    schema = default_schema()
    graph = generate(schema, n_nodes, seed=seed)
    if index_file:  # the very index the store run searched
        with open(index_file, "rb") as handle:
            index = pickle.load(handle)
    else:
        index = graph.index()
    targets = _targets(index, graph, n_targets, seed)[:sample]
    t0 = time.perf_counter()
    g = nx.Graph()
    g.add_nodes_from(range(index.n_nodes))
    rows = np.repeat(np.arange(index.n_nodes), np.diff(index.offsets))
    best: dict[tuple[int, int], float] = {}
    for u, v, w in zip(rows.tolist(), index.targets.tolist(), index.weights.tolist()):
        if u < v and w < best.get((u, v), np.inf):
            best[(u, v)] = w
    g.add_weighted_edges_from((u, v, w) for (u, v), w in best.items())
    del best
    source, sink = -1, -2
    our = np.flatnonzero(index.our_side).tolist()
    g.add_weighted_edges_from((source, a, 0.0) for a in our)
    built = time.perf_counter() - t0

    def on_alarm(*_: Any) -> None:
        raise _Timeout

    signal.signal(signal.SIGALRM, on_alarm)
    times, agree, timeouts = [], 0, 0
    is_source = index.our_side
    for _, makers in targets:
        g.add_weighted_edges_from((m, sink, 0.0) for m in makers)
        target_set = set(makers)
        kept: list[tuple[int, ...]] = []
        keys: set[frozenset[int]] = set()
        t0 = time.perf_counter()
        signal.alarm(cap_s)
        try:
            for path in _simple_paths(nx, g, source, sink):
                nodes = tuple(path[1:-1])
                if len(nodes) - 1 > MAX_HOPS:
                    continue
                inner = nodes[1:-1]
                if any(is_source[x] or x in target_set for x in inner):
                    continue
                key = diversity_key(index, nodes)
                if key in keys:
                    continue
                keys.add(key)
                kept.append(nodes)
                if len(kept) == K:
                    break
            signal.alarm(0)
            times.append((time.perf_counter() - t0) * 1000)
            ours = top_paths(index, index.our_side, makers, k=K, max_hops=MAX_HOPS)
            theirs = [sum(g[a][b]["weight"] for a, b in zip(p, p[1:])) for p in kept]
            mine = [p.cost for p in ours.paths]
            agree += len(mine) == len(theirs) and all(abs(a - b) < 1e-9 for a, b in zip(mine, theirs))
        except _Timeout:
            timeouts += 1
            times.append(cap_s * 1000.0)
        g.remove_node(sink)
    return {
        "mode": "baseline",
        "nodes": index.n_nodes,
        "sample": len(targets),
        "build_nx_graph_s": round(built, 1),
        "ms_per_target": [round(t) for t in times],
        "median_ms": round(float(np.median(times))),
        "timeouts": timeouts,
        "cap_s": cap_s,
        "same_scores_as_ours": agree,
        "peak_rss_mb": round(_rss_mb()),
    }


def _simple_paths(nx: Any, g: Any, source: int, sink: int) -> Any:
    try:
        yield from nx.shortest_simple_paths(g, source, sink, weight="weight")
    except nx.NetworkXNoPath:
        return


def _child(fn, *args) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(fn, args)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10^4 store / 10^5 arrays, fewer targets")
    parser.add_argument("--targets", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args(argv)
    small, large = (10_000, 100_000) if args.quick else (100_000, 1_000_000)
    targets = 20 if args.quick else args.targets
    results = []
    started = time.perf_counter()
    kept = tempfile.NamedTemporaryFile(suffix=".pickle", delete=False).name
    plan = [
        (run_store, small, targets, args.seed, kept),
        (run_baseline, small, targets, args.seed, 5, 60, kept),
        (run_arrays, large, targets, args.seed),
        (run_baseline, large, targets, args.seed, 3, 60, None),
    ]
    for fn, *params in plan:
        t0 = time.perf_counter()
        result = _child(fn, *params)
        result.pop("_sample", None)
        result["wall_s"] = round(time.perf_counter() - t0, 1)
        results.append(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    Path(kept).unlink(missing_ok=True)
    print(f"total {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
