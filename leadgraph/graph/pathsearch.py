"""Top-k diverse referral paths on a :class:`~leadgraph.graph.pathindex.TraversalIndex`.

The question: the best few loop-free paths of at most ``max_hops`` ties from any of
``sources`` (our side, behind one virtual source) to any of ``targets`` (the target's
decision makers, in front of one virtual sink), best first by score — the product of
``strength × hop_penalty`` over the hops, i.e. the least total hop cost.

Rules (the exhaustive enumeration in ``tests/paths`` applies the same ones):

* a path never visits a node twice and has at most ``max_hops`` hops;
* it starts at a source and ends at its first target: no source and no target lies
  strictly inside a path (its suffix from that source, or its prefix up to that target,
  would be strictly better and is returned instead); a source that is itself a target
  is a path of zero hops;
* ``blocked`` nodes are never visited; only edges whose kind is in ``edge_kinds``
  (all traversable kinds when None) are crossed;
* paths scoring below ``min_score`` are not introductions and are never returned;
* **diversity**: a path is returned only if its set of intermediary people (the Person
  nodes strictly inside it — or, when there are none, its first node) differs from that
  of every path returned before it. Among paths with equal sets, the best is returned.

The algorithm searches from both ends. Backward: a Dijkstra from the targets, run in
buckets of cost with numpy over whole frontiers, that gives every settled node its exact
cost-to-target ``d(v)`` and a radius ``R`` below which everything is settled; it does
not pass through sources (they are path ends). Forward: an A* over path prefixes from
the virtual source, with heuristic ``min(d(v), R)`` — a lower bound that only grows —
expanding a prefix only when its bound is within ``R`` and growing the backward search
otherwise. Sources enter the forward search only once the backward search settles them,
so there is never one search per source. Because the bound is admissible, complete
paths leave the queue best first; each is kept if it passes the diversity rule. Two
prefixes that reach the same node with the same intermediaries can only complete into
paths with equal intermediary sets, so only the cheaper one is extended. A prefix's
children are generated lazily in order of their bound, so a hub's many ties cost
nothing until they could matter.

Bounds: ``work_limit`` (nodes settled plus prefixes extended) and ``time_limit``
(seconds). Past either, the paths certified so far are returned, topped up with the
best complete paths already seen (not yet proven best), and ``truncated`` is True.

Examples
--------
>>> from leadgraph.graph.pathindex import ListSource, build_index
>>> from leadgraph.schema import default_schema
>>> people = [(f"per:{c}", "Person", c, {}) for c in "abcd"]
>>> ties = [("e1", "KNOWS", "per:a", "per:b", {"context": "同学"}),
...         ("e2", "KNOWS", "per:b", "per:d", {"context": "亲属"}),
...         ("e3", "KNOWS", "per:a", "per:c", {"context": "同乡"}),
...         ("e4", "KNOWS", "per:c", "per:d", {"context": "同乡"})]
>>> index = build_index(ListSource(people, ties), default_schema())
>>> result = top_paths(index, [0], [3], k=5)
>>> [([index.names[n] for n in p.nodes], round(p.score, 4)) for p in result.paths]
[(['a', 'b', 'd'], 0.5103), (['a', 'c', 'd'], 0.0992)]
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from leadgraph.errors import InvalidQuery
from leadgraph.graph.pathbounds import BackwardSearch, scratch
from leadgraph.graph.pathindex import TraversalIndex

__all__ = ["FoundPath", "SearchResult", "top_paths", "diversity_key"]

_INF = math.inf
_EPS = 1e-12  # tolerance when a re-evaluated bound is compared with its queued key


@dataclass(frozen=True)
class FoundPath:
    """One path: node positions, the edge (index) of each hop, and its total hop cost."""

    nodes: tuple[int, ...]
    edges: tuple[int, ...]
    cost: float

    @property
    def score(self) -> float:
        return math.exp(-self.cost)

    @property
    def hops(self) -> int:
        return len(self.edges)


@dataclass
class SearchResult:
    """The answer of :func:`top_paths`. ``radius`` is the largest cost-to-target of any
    state the backward search settled: every node whose ties the search read lies
    within it (so a search on a part of the graph holding everything within that
    radius answers exactly as on the whole graph)."""

    paths: list[FoundPath]
    truncated: bool
    settled: int
    expanded: int
    elapsed: float
    radius: float = 0.0


def diversity_key(index: TraversalIndex, nodes: tuple[int, ...]) -> frozenset[int]:
    """The intermediary people of a path (Person nodes strictly inside it); when there
    are none, its first node."""
    person = index.kind_code("Person")
    inner = frozenset(n for n in nodes[1:-1] if int(index.kind[n]) == person)
    return inner or frozenset(nodes[:1])


def _positions(values: Iterable[int] | np.ndarray, n: int) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype == bool:
        return values.copy()
    mask = np.zeros(n, dtype=bool)
    arr = np.fromiter((int(v) for v in values), dtype=np.int64) if not isinstance(values, np.ndarray) else values
    if arr.size:
        mask[arr] = True
    return mask


def top_paths(
    index: TraversalIndex,
    sources: Iterable[int] | np.ndarray,
    targets: Iterable[int] | np.ndarray,
    *,
    k: int = 5,
    max_hops: int = 4,
    blocked: Iterable[int] | np.ndarray = (),
    edge_kinds: Iterable[str] | None = None,
    min_score: float | None = None,
    work_limit: int | None = None,
    time_limit: float | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> SearchResult:
    """The ``k`` best diverse paths from ``sources`` to ``targets`` (positions in ``index``).

    ``sources``/``targets``/``blocked`` are node positions or boolean masks. See the
    module docstring for the rules; parameters left None come from ``schema.ranking``.

    Raises
    ------
    InvalidQuery
        When ``k`` or ``max_hops`` is below 1 or an edge kind is not traversable.
    """
    ranking = index.schema.ranking
    if k < 1:
        raise InvalidQuery(f"k 必须至少为 1 (k must be ≥ 1, got {k})")
    if max_hops < 1:
        raise InvalidQuery(f"最大跳数必须至少为 1 (max_hops must be ≥ 1, got {max_hops})")
    min_score = ranking.min_score if min_score is None else min_score
    work_limit = ranking.work_limit if work_limit is None else work_limit
    time_limit = ranking.time_limit_s if time_limit is None else time_limit
    started = clock()
    n = index.n_nodes
    kind_ok: np.ndarray | None = None
    if edge_kinds is not None:
        traversable = index.schema.traversable_edges
        kind_ok = np.zeros(len(index.edge_kinds), dtype=bool)
        for name in edge_kinds:
            if name not in traversable:
                raise InvalidQuery(f"关系类型 {name} 不可用于路径 (edge kind '{name}' is not traversable)")
            kind_ok[index.edge_kind_code(name)] = True
    is_blocked = _positions(blocked, n)
    is_source = _positions(sources, n) & ~is_blocked
    is_target = _positions(targets, n) & ~is_blocked
    cost_max = -math.log(min_score)
    if max_hops >= index.schema.ranking.max_hops_limit + 1:
        raise InvalidQuery(f"最大跳数不能超过 {index.schema.ranking.max_hops_limit}")
    with scratch(index) as work:
        back = BackwardSearch(index, np.flatnonzero(is_target), is_source, is_target, is_blocked, kind_ok,
                         cost_max, max_hops, work)
        return _forward(index, back, k, max_hops, kind_ok, cost_max, work_limit, time_limit, clock, started)


def _forward(index: TraversalIndex, back: BackwardSearch, k: int, max_hops: int, kind_ok: np.ndarray | None,
             cost_max: float, work_limit: int, time_limit: float, clock: Callable[[], float],
             started: float) -> SearchResult:
    """A* over path prefixes from the virtual source, guided and fed by ``back``."""
    is_source, is_target, is_blocked = back.is_source, back.is_target, back.blocked
    person = index.kind_code("Person")
    kinds, offsets, tgt, wts = index.kind, index.offsets, index.targets, index.weights
    entry_edge, entry_kind = index.entry_edge, index.entry_kind

    # Forward prefixes: parallel lists indexed by state id.
    st_node: list[int] = []
    st_parent: list[int] = []
    st_edge: list[int] = []
    st_g: list[float] = []
    st_hops: list[int] = []
    st_path: list[tuple[int, ...]] = []
    families: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    # Heap entries (f, path, seq, type, a, b): equal bounds are broken by the path's node
    # positions, never by the order of pushes, so the order in which the search takes
    # prefixes does not depend on candidates that are never taken (see SearchResult.radius).
    heap: list[tuple[float, tuple[int, ...], int, int, int, int]] = []
    seq = 0
    seen: set[tuple[object, ...]] = set()
    accepted: list[FoundPath] = []
    keys: set[frozenset[int]] = set()
    pending: list[tuple[float, int, int, int]] = []  # complete paths seen, not yet certified
    expanded = 0
    truncated = False

    def new_state(node: int, parent: int, edge: int, g: float, hops: int) -> int:
        st_node.append(node)
        st_parent.append(parent)
        st_edge.append(edge)
        st_g.append(g)
        st_hops.append(hops)
        st_path.append((node,) if parent < 0 else st_path[parent] + (node,))
        return len(st_node) - 1

    def chain(state: int) -> tuple[list[int], list[int]]:
        nodes, edges = [], []
        while state >= 0:
            nodes.append(st_node[state])
            if st_parent[state] >= 0:
                edges.append(st_edge[state])
            state = st_parent[state]
        return nodes[::-1], edges[::-1]

    def complete(state: int, node: int, edge: int, cost: float) -> FoundPath:
        nodes, edges = chain(state)
        if edge >= 0:
            nodes.append(node)
            edges.append(edge)
        return FoundPath(tuple(nodes), tuple(edges), cost)

    def offer(path: FoundPath) -> None:
        key = diversity_key(index, path.nodes)
        if key not in keys:
            keys.add(key)
            accepted.append(path)

    def expand(state: int) -> None:
        nonlocal seq, expanded
        hops = st_hops[state]
        if hops >= max_hops:
            return
        nodes, _ = chain(state)
        inner = frozenset(nodes[1:])
        has_person = any(int(kinds[x]) == person for x in nodes[1:])
        signature = (nodes[-1], inner, None if has_person else nodes[0])
        if signature in seen:
            return
        seen.add(signature)
        expanded += 1
        u = nodes[-1]
        lo, hi = int(offsets[u]), int(offsets[u + 1])
        if lo == hi:
            return
        v = tgt[lo:hi]
        left = max_hops - hops - 1  # hops left after this one
        ok = ~is_blocked[v] & (is_target[v] | (~is_source[v] & (left > 0)))
        if kind_ok is not None:
            ok &= kind_ok[entry_kind[lo:hi]]
        for x in nodes:
            ok &= v != x
        idx = np.flatnonzero(ok)
        if idx.size == 0:
            return
        v = v[idx]
        f = st_g[state] + wts[lo:hi][idx] + back.h(v, left)
        keep = f < cost_max
        if not keep.all():
            idx, v, f = idx[keep], v[keep], f[keep]
            if idx.size == 0:
                return
        _, first = np.unique(v, return_index=True)  # parallel ties: the strongest (first) one
        if first.size != v.size:
            idx, v, f = idx[first], v[first], f[first]
        order = np.argsort(f, kind="stable")
        idx, v, f = idx[order] + lo, v[order], f[order]
        fam = len(families)
        families.append((state, v, idx, wts[idx], f))
        for j in np.flatnonzero(is_target[v]):
            pending.append((float(f[j]), state, int(v[j]), int(entry_edge[idx[j]])))
        seq += 1
        heapq.heappush(heap, (float(f[0]), st_path[state] + (int(v[0]),), seq, 1, fam, 0))

    def start(sources_now: np.ndarray) -> None:
        nonlocal seq
        for a in sources_now.tolist():
            seq += 1
            heapq.heappush(heap, (back.h1(a, max_hops), (a,), seq, 0, a, 0))
            if is_target[a]:
                pending.append((0.0, -1, a, -1))

    while len(accepted) < k:
        if back.settled + expanded > work_limit or clock() - started > time_limit:
            truncated = True
            break
        if not heap or heap[0][0] > back.R:
            if back.R == _INF:
                break
            start(back.grow())
            continue
        f, _, _, typ, a, b = heapq.heappop(heap)
        if typ == 0:
            state = new_state(a, -1, -1, 0.0, 0)
            if is_target[a]:
                offer(FoundPath((a,), (), 0.0))
            else:
                expand(state)
            continue
        if typ == 1:
            parent, v_arr, pos_arr, w_arr, f_arr = families[a]
            if b + 1 < v_arr.shape[0]:
                seq += 1
                heapq.heappush(heap, (float(f_arr[b + 1]), st_path[parent] + (int(v_arr[b + 1]),), seq, 1, a, b + 1))
            v, pos, w = int(v_arr[b]), int(pos_arr[b]), float(w_arr[b])
        else:
            parent, v, pos = a, b // (1 << 40), b % (1 << 40)
            w = float(wts[pos])
        g = st_g[parent] + w
        edge = int(entry_edge[pos])
        if is_target[v]:
            offer(complete(parent, v, edge, g))
            continue
        hops = st_hops[parent] + 1
        now = g + back.h1(v, max_hops - hops)
        if now > f + _EPS:
            if now < cost_max:
                seq += 1
                heapq.heappush(heap, (now, st_path[parent] + (v,), seq, 2, parent, v * (1 << 40) + pos))
            continue
        expand(new_state(v, parent, edge, g, hops))

    if truncated:
        have = {p.nodes for p in accepted}
        for cost, state, node, edge in sorted(pending):
            if len(accepted) >= k:
                break
            path = FoundPath((node,), (), 0.0) if state < 0 else complete(state, node, edge, cost)
            if path.nodes not in have:
                have.add(path.nodes)
                offer(path)
        accepted.sort(key=lambda p: p.cost)
    return SearchResult(accepted, truncated, back.settled, expanded, clock() - started, back.radius)
