"""Property tests: the search agrees with exhaustive enumeration on small random graphs."""

from __future__ import annotations

import math
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadgraph.graph.pathindex import ListSource, TraversalIndex, build_index
from leadgraph.graph.pathsearch import diversity_key, top_paths
from leadgraph.schema import default_schema

KINDS = ("KNOWS", "WORKS_AT", "MEMBER_OF", "SUPPLIES", "VISITED", "ASSIGNED_TO")
REL = 1e-9


@st.composite
def graphs(draw):
    n = draw(st.integers(2, 8))
    kinds = draw(st.lists(st.sampled_from(["Person", "Person", "Organization"]), min_size=n, max_size=n))
    pairs = list(combinations(range(n), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=min(18, 2 * len(pairs))))
    edges = []
    for j, (a, b) in enumerate(chosen):
        if draw(st.booleans()):
            a, b = b, a
        kind = draw(st.sampled_from(KINDS))
        strength = draw(st.floats(0.05, 1.0, allow_nan=False))
        edges.append((f"e{j}", kind, f"n{a}", f"n{b}", {"strength": strength, "date": "2024-01-01"}))
    nodes = [(f"n{i}", kinds[i], f"n{i}", {}) for i in range(n)]
    sources = draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=3))
    targets = draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=3))
    blocked = draw(st.sets(st.integers(0, n - 1), max_size=2))
    only = draw(st.none() | st.sets(st.sampled_from(KINDS), min_size=1))
    k = draw(st.integers(1, 5))
    max_hops = draw(st.integers(1, 4))
    return nodes, edges, sources, targets, blocked, only, k, max_hops


def _index(nodes, edges) -> TraversalIndex:
    from datetime import date

    return build_index(ListSource(nodes, edges), default_schema(), as_of=date(2024, 6, 30), hub_cap=10**6)


def exhaustive(index: TraversalIndex, sources, targets, blocked, only, max_hops, min_score):
    """Every valid path under the documented rules, as {node tuple: score}."""
    penalty = index.hop_penalty
    best: dict[tuple[int, int], float] = {}
    for e in range(len(index.edge_kind)):
        if only is not None and index.edge_kinds[int(index.edge_kind[e])] not in only:
            continue
        a, b = int(index.edge_src[e]), int(index.edge_dst[e])
        s = float(index.edge_strength[e]) * penalty
        for pair in ((a, b), (b, a)):
            best[pair] = max(best.get(pair, 0.0), s)
    adjacent: dict[int, list[int]] = {}
    for a, b in best:
        adjacent.setdefault(a, []).append(b)
    found: dict[tuple[int, ...], float] = {}

    def walk(path: list[int], score: float) -> None:
        u = path[-1]
        if u in targets:
            if score >= min_score:
                found[tuple(path)] = score
            return
        if len(path) - 1 >= max_hops or (len(path) > 1 and u in sources):
            return
        for v in adjacent.get(u, ()):
            if v in path or v in blocked:
                continue
            walk(path + [v], score * best[(u, v)])

    for s in sources:
        if s not in blocked:
            walk([s], 1.0)
    return found


def check(nodes, edges, sources, targets, blocked, only, k, max_hops):
    index = _index(nodes, edges)
    assert index.dropped_by_cap == 0
    min_score = 1e-9
    result = top_paths(
        index, sorted(sources), sorted(targets), k=k, max_hops=max_hops, blocked=sorted(blocked),
        edge_kinds=only, min_score=min_score,
    )
    valid = exhaustive(index, sources, targets, blocked, only, max_hops, min_score)
    assert not result.truncated
    paths = result.paths
    assert len(paths) <= k
    if not valid:
        assert paths == []
        return
    assert paths, "a valid path exists but none was returned"
    assert math.isclose(paths[0].score, max(valid.values()), rel_tol=REL)
    keys = [diversity_key(index, p.nodes) for p in paths]
    assert len(set(keys)) == len(keys), "two returned paths share their intermediaries"
    for i, path in enumerate(paths):
        assert len(set(path.nodes)) == len(path.nodes), "a node repeats"
        assert path.hops <= max_hops
        assert path.nodes in valid, f"{path.nodes} breaks a rule"
        assert math.isclose(path.score, valid[path.nodes], rel_tol=REL)
        for e in path.edges:
            assert only is None or index.edge_kinds[int(index.edge_kind[e])] in only
        assert not set(path.nodes) & set(blocked)
        if i:
            assert path.score <= paths[i - 1].score * (1 + REL), "scores increase"
        earlier = set(keys[:i])
        for other, score in valid.items():
            if score > path.score * (1 + REL):
                assert diversity_key(index, other) in earlier, f"{other} ({score}) outranks {path.nodes}"
    if len(paths) < k:
        assert {diversity_key(index, other) for other in valid} <= set(keys), "a diverse path was missed"


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_search_matches_exhaustive_enumeration_under_every_filter(case):
    check(*case)


def test_best_path_follows_strong_ties_over_a_short_weak_one():
    nodes = [(f"n{i}", "Person", f"n{i}", {}) for i in range(4)]
    edges = [
        ("e1", "KNOWS", "n0", "n3", {"strength": 0.1}),
        ("e2", "KNOWS", "n0", "n1", {"strength": 0.9}),
        ("e3", "KNOWS", "n1", "n2", {"strength": 0.9}),
        ("e4", "KNOWS", "n2", "n3", {"strength": 0.9}),
    ]
    result = top_paths(_index(nodes, edges), [0], [3], k=2)
    assert [p.nodes for p in result.paths] == [(0, 1, 2, 3), (0, 3)]


def test_work_limit_returns_best_found_so_far_marked_truncated():
    nodes = [(f"n{i}", "Person", f"n{i}", {}) for i in range(30)]
    edges = [(f"e{i}-{j}", "KNOWS", f"n{i}", f"n{j}", {"strength": 0.5 + (i * 7 + j) % 10 / 25})
             for i, j in combinations(range(30), 2) if (i * j) % 3 == 0]
    index = _index(nodes, edges)
    full = top_paths(index, [0, 1, 2], [29], k=5)
    cut = top_paths(index, [0, 1, 2], [29], k=5, work_limit=5)
    assert not full.truncated and cut.truncated
    assert len(cut.paths) <= 5
    scores = [p.score for p in cut.paths]
    assert scores == sorted(scores, reverse=True)


def test_time_limit_truncates():
    nodes = [(f"n{i}", "Person", f"n{i}", {}) for i in range(10)]
    edges = [(f"e{i}", "KNOWS", f"n{i}", f"n{i + 1}", {"strength": 0.9}) for i in range(9)]
    ticks = iter(range(0, 10**6, 10))
    result = top_paths(_index(nodes, edges), [0], [4], time_limit=1.0, clock=lambda: next(ticks))
    assert result.truncated


def test_hub_cap_keeps_only_the_strongest_ties_of_a_crowded_node():
    nodes = [("hub", "Organization", "hub", {})] + [(f"p{i}", "Person", f"p{i}", {}) for i in range(6)]
    edges = [(f"e{i}", "MEMBER_OF", f"p{i}", "hub", {"strength": 0.1 + i / 10}) for i in range(6)]
    index = build_index(ListSource(nodes, edges), default_schema(), hub_cap=3)
    hub = index.position("hub")
    assert sorted(index.names[t] for t in index.targets[index.row(hub)]) == ["p3", "p4", "p5"]
    assert index.dropped_by_cap == 3
