"""The backward half of referral-path search: exact hop-bounded costs to the targets.

:class:`BackwardSearch` runs a Dijkstra from the targets (a virtual sink) over
``(node, hops)`` states in buckets of cost, each bucket one numpy pass over its whole
frontier. It settles states in order of cost, never passes through a source (sources are
path ends), and lets :mod:`leadgraph.graph.pathsearch` ask at any moment for a lower
bound ``h(v, r)`` on the cost from ``v`` to a target within ``r`` hops — exact for
settled states, the current radius ``R`` otherwise — and for the sources it has reached.

Work arrays are reused across queries on one index (:func:`scratch`): a query resets
only what it touched, so its cost follows the part of the graph it explores, not the
size of the graph.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from leadgraph.graph.pathindex import TraversalIndex

__all__ = ["BackwardSearch", "Scratch", "scratch"]

_INF = math.inf


def _gather(offsets: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For frontier ``nodes``: the frontier slot and the CSR position of each of their entries."""
    starts = offsets[nodes].astype(np.int64)
    lens = offsets[nodes + 1].astype(np.int64) - starts
    total = int(lens.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    slot = np.repeat(np.arange(nodes.shape[0]), lens)
    first = np.cumsum(lens) - lens
    pos = np.arange(total, dtype=np.int64) - first[slot] + starts[slot]
    return slot, pos


class Scratch:
    """Per-index work arrays, reused across queries (reset where touched, not reallocated).

    ``within[r, v]``: least settled cost from v to a target in at most r hops (inf if
    none yet); ``tentative``: best known cost of state (v, r) in exactly r hops, negative
    once settled; ``fewest[v]``: fewest hops among v's settled states.
    """

    def __init__(self, layers: int, n: int) -> None:
        self.within = np.full((layers, n), _INF)
        self.tentative = np.full(layers * n, _INF)
        self.fewest = np.full(n, _NO_HOPS, dtype=np.int8)
        self.touched_states: list[np.ndarray] = []
        self.settled_nodes: list[np.ndarray] = []

    def reset(self) -> None:
        if self.touched_states:
            self.tentative[np.concatenate(self.touched_states)] = _INF
            self.touched_states.clear()
        if self.settled_nodes:
            nodes = np.concatenate(self.settled_nodes)
            self.within[:, nodes] = _INF
            self.fewest[nodes] = _NO_HOPS
            self.settled_nodes.clear()


_NO_HOPS = 127
_SCRATCH_LOCK = threading.Lock()
_SCRATCH: "weakref.WeakKeyDictionary[TraversalIndex, list[Scratch]]" = weakref.WeakKeyDictionary()


@contextmanager
def scratch(index: TraversalIndex) -> Iterator[Scratch]:
    layers = index.schema.ranking.max_hops_limit + 1
    with _SCRATCH_LOCK:
        free = _SCRATCH.setdefault(index, [])
        work = free.pop() if free else None
    if work is None or work.within.shape[0] < layers:
        work = Scratch(layers, index.n_nodes)
    try:
        yield work
    finally:
        work.reset()
        with _SCRATCH_LOCK:
            _SCRATCH.setdefault(index, []).append(work)


class BackwardSearch:
    """Bucketed Dijkstra from the targets over (node, hops) states.

    State ``(v, r)`` is v's cheapest way to a target in exactly r hops; a state is
    settled only if it needs fewer hops than every cheaper settled state of v (the
    others are dominated), so a node is settled at most ``max_hops + 1`` times. Below
    radius ``R`` every useful state is settled; ``h(v, r)`` — the least cost from v to a
    target within r hops — is exact there and at least ``R`` elsewhere.
    """

    def __init__(self, index: TraversalIndex, targets: np.ndarray, is_source: np.ndarray, is_target: np.ndarray,
                 blocked: np.ndarray, kind_ok: np.ndarray | None, cost_max: float, max_hops: int,
                 work: Scratch) -> None:
        self.index = index
        self.n = index.n_nodes
        self.is_source = is_source
        self.is_target = is_target
        self.blocked = blocked
        self.kind_ok = kind_ok
        self.cost_max = cost_max
        self.max_hops = max_hops
        self.work = work
        self.within = work.within
        self.tent = work.tentative
        self.tent[targets] = 0.0
        work.touched_states.append(targets)
        self.pool_states = targets.astype(np.int64)
        self.pool_d = np.zeros(targets.shape[0])
        self.R = 0.0
        self.settled = 0
        self.radius = 0.0  # the largest cost of a settled state: how far the search looked

    def h(self, v: np.ndarray, hops_left: int) -> np.ndarray:
        """Lower bounds on the cost from each of ``v`` to a target within ``hops_left`` hops."""
        return np.minimum(self.within[hops_left, v], self.R)

    def h1(self, v: int, hops_left: int) -> float:
        return min(float(self.within[hops_left, v]), self.R)

    def grow(self) -> np.ndarray:
        """Settle one more bucket of cost; return the sources settled for the first time."""
        if self.pool_states.size == 0:
            self.R = _INF
            return np.zeros(0, dtype=np.int64)
        index, n, fewest, tent, work = self.index, self.n, self.work.fewest, self.tent, self.work
        # One bucket is as wide as the cheapest tie, so no state settled in it can
        # improve another state of the same bucket: each bucket is final in one pass.
        hi = float(self.pool_d.min()) + index.min_weight
        take = self.pool_d < hi
        states, d = self.pool_states[take], self.pool_d[take]
        self.pool_states, self.pool_d = self.pool_states[~take], self.pool_d[~take]
        self.R = hi if self.pool_states.size else _INF
        fresh = tent[states] == d  # stale entries (improved since) and settled ones (< 0) drop out
        states, d = states[fresh], d[fresh]
        # Duplicates of one state: keep the last occurrence, marking all as settled.
        tent[states] = -1.0 - np.arange(states.shape[0])
        last = tent[states] == -1.0 - np.arange(states.shape[0])
        states, d = states[last], d[last]
        r, v = np.divmod(states, n)
        useful = r < fewest[v]
        if not useful.all():
            states, d, r, v = states[useful], d[useful], r[useful], v[useful]
        if states.size == 0:
            return np.zeros(0, dtype=np.int64)
        first_time = fewest[v] == _NO_HOPS
        work.settled_nodes.append(v)
        for layer in range(int(r.min()), self.max_hops + 1):
            sel = r <= layer
            np.minimum.at(self.within[layer], v[sel], d[sel])
        np.minimum.at(fewest, v, r.astype(np.int8))
        self.settled += int(states.size)
        self.radius = max(self.radius, float(d.max()))
        src = self.is_source[v]
        found = v[src & first_time] if src.any() else np.zeros(0, dtype=np.int64)
        # Paths do not pass through sources (a source that is a target is an end),
        # and a state that already uses every hop cannot be extended.
        grow = (~src | self.is_target[v]) & (r < self.max_hops)
        if not grow.all():
            v, r, d = v[grow], r[grow], d[grow]
        slot, pos = _gather(index.offsets, v)
        if pos.size:
            w = index.targets[pos]
            r2 = r[slot] + 1
            cand = d[slot] + index.weights[pos]
            # A non-source must leave room for at least one more hop to a source.
            ok = ~self.blocked[w] & (cand < self.cost_max) & (r2 < fewest[w]) & (
                (r2 < self.max_hops) | self.is_source[w]
            )
            if self.kind_ok is not None:
                ok &= self.kind_ok[index.entry_kind[pos]]
            state2 = r2 * n + w
            ok &= cand < tent[state2]
            state2, cand = state2[ok], cand[ok]
            if state2.size:
                np.minimum.at(tent, state2, cand)
                better = tent[state2] == cand
                state2, cand = state2[better], cand[better]
                work.touched_states.append(state2)
                self.pool_states = np.concatenate([self.pool_states, state2])
                self.pool_d = np.concatenate([self.pool_d, cand])
                if self.R == _INF:
                    self.R = hi
        return np.unique(found) if found.size > 1 else found
