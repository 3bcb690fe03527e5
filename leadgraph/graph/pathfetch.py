"""Referral paths on a graph too big to read whole: the neighbourhood of the target.

A store that lives on a server (Neo4j) answers from its projection of the whole graph
while that is fresh (:mod:`leadgraph.graph.neo4j_projection`); when it is stale or not
built yet, :class:`Neighbourhood` fetches, through a
:class:`NeighbourhoodReader`, the part of the graph the search can use — every node
within ``max_hops`` ties of the target's decision makers and within a cost radius ``C``
of them — builds the very same :class:`~leadgraph.graph.pathindex.TraversalIndex` from
it with :func:`~leadgraph.graph.pathindex.build_index`, and runs the very same search.

Why the answer is the whole graph's answer
------------------------------------------
The search reads the ties of a node only after its backward half has *settled* the node
(found its cheapest cost to a target); :attr:`SearchResult.radius` is the largest such
cost. The neighbourhood holds, for every node ``v`` the backward search could settle at
a cost ≤ ``C`` (under the same rules: not through sources, excluded nodes or filtered
edge kinds, at most ``max_hops`` hops), all of ``v``'s ties exactly as the whole graph's
index keeps them, and the facts of every node at their other ends (kind, roles, our
side, hub size). So, while the search settles nothing beyond ``C``, every step it takes
reads the same values as on the whole graph; the index orders nodes and ties by id and
the search breaks equal costs by path, never by push order, so the steps are the same
and so is the answer — paths, scores, ``truncated``, even the work counters. When the
search did look beyond ``C`` (``radius > C``), ``C`` grows, the missing ties are
fetched, and the search runs again. At ``C`` ≥ the cost of ``min_score`` the
neighbourhood holds everything any path can use.

The hub cap ("a tie counts only if both its ends keep it among their ``hub_cap``
strongest") needs care: a node with more than ``hub_cap`` ties keeps only some of them,
and which ones depends on all of its ties. For every node whose ties are fetched, the
cap is applied from its full list of ties; a tie to a node *outside* the neighbourhood
with more than ``hub_cap`` ties (a big township or association) is kept in case that
node keeps it: that end is never settled, so an extra tie to it changes no step of the
search (see above), and fetching the ranking of a 60,000-member township just to drop
one tie is avoided. Who is on our side (a person working at a local firm outside the
neighbourhood) and how big a hub is (members outside it) come from the reader for the
whole graph, as do the counts reported for ``--from``.

Bounds: the fetching counts against the query's time bound, and at most ``fetch_limit``
ties are fetched; past either, the search runs on what was fetched and the answer is
``truncated``.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, Protocol

import numpy as np

from leadgraph.graph.pathindex import EdgeRecord, ListSource, TraversalIndex, build_index, tie_costs
from leadgraph.graph.pathsearch import SearchResult
from leadgraph.graph.strength import hub_size, is_decision_tie
from leadgraph.schema import Schema

__all__ = [
    "NodeFacts",
    "NeighbourhoodReader",
    "SourceSpec",
    "Neighbourhood",
    "strength_properties",
    "node_fact_properties",
    "FETCH_LIMIT",
]

FETCH_LIMIT = 400_000  # ties fetched per question, at most
_EPS = 1e-9
_FIRST_RADIUS = 1.0  # a first guess; half the answers at 10^5 nodes need ≤ 1.4 (docs/benchmarks.md)
_GROWTH = 1.5
_STEP = 0.3
_MARGIN = 0.3
_NO_CAP = sys.maxsize


class NodeFacts(NamedTuple):
    """What the index needs to know about one node, for the whole graph.

    ``props`` holds only what :func:`build_index` reads (``node_fact_properties``);
    ``degree`` counts the node's traversable ties, ``hub_degree`` the shared-membership
    ties into it (its size as a hub)."""

    id: str
    kind: str
    name: str
    props: dict[str, Any]
    our_side: bool
    degree: int
    hub_degree: int


class NeighbourhoodReader(Protocol):
    """What a backend answers so that :class:`Neighbourhood` can fetch a neighbourhood."""

    schema: Schema

    def rows(
        self, ids: Sequence[str], known: Iterable[str]
    ) -> tuple[dict[str, list[EdgeRecord]], dict[str, NodeFacts]]:
        """Every traversable tie of each node in ``ids`` as ``(edge_id, kind, src, dst,
        props)`` (props: ``strength_properties``), and the facts of those nodes and of
        every node at the other end of a tie, except the ``known`` ones."""
        ...

    def our_side_count(self) -> int:
        """How many nodes of the whole graph are on our side."""
        ...

    def role_count(self, role: str) -> int:
        """How many people hold ``role``."""
        ...

    def our_people_from(self, region_id: str) -> list[str]:
        """The ids of the people on our side with a ``FROM`` tie to the region."""
        ...


def strength_properties(schema: Schema) -> tuple[str, ...]:
    """The edge properties a tie's strength and decision flag are computed from."""
    names = {"strength", "title", "decision_maker", "share_pct", "date"}
    names |= {spec.strength_by for spec in schema.edges.values() if spec.strength_by}
    return tuple(sorted(names))


def node_fact_properties(schema: Schema) -> tuple[str, ...]:
    """The node properties the index reads: roles, our side, hub sizes, event dates."""
    return tuple(sorted({"roles", "is_local", "date", *schema.ranking.hub_damping.size_props}))


@dataclass(frozen=True)
class SourceSpec:
    """One ``--from`` value, resolved: people holding a role, our people from a
    township, or one named node."""

    query: str
    kind: str  # "role" | "township" | "node"
    role: str | None = None
    region: str | None = None
    node_id: str | None = None


class Neighbourhood:
    """The part of a graph one path question can use, and its index (see the module
    docstring). ``index`` is ready after construction; after each search call
    :meth:`settle`, which says whether the answer is final or fetches more."""

    def __init__(
        self,
        reader: NeighbourhoodReader,
        *,
        target_id: str,
        target_kind: str,
        max_hops: int,
        edge_kinds: Iterable[str] | None,
        blocked: Iterable[str],
        from_: Sequence[SourceSpec],
        as_of: date,
        time_limit: float,
        fetch_limit: int | None = None,
        first_radius: float | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.reader = reader
        self.schema = reader.schema
        self.as_of = as_of
        self.max_hops = max_hops
        self.allowed = frozenset(edge_kinds) if edge_kinds is not None else self.schema.traversable_edges
        self.blocked = frozenset(blocked)
        self.from_ = tuple(from_)
        self.clock = clock
        self.deadline = clock() + time_limit
        self.fetch_limit = FETCH_LIMIT if fetch_limit is None else fetch_limit
        self.cap = self.schema.ranking.hub_cap
        self.cost_max = -math.log(self.schema.ranking.min_score)
        self.radius = min(_FIRST_RADIUS if first_radius is None else first_radius, self.cost_max)
        self.facts: dict[str, NodeFacts] = {}
        self.rows: dict[str, list[EdgeRecord]] = {}
        self.cost: dict[str, float] = {}  # edge id -> hop cost
        self.threshold: dict[str, tuple[float, str]] = {}  # capped node -> its hub_cap-th tie
        self.fetched = 0  # ties fetched
        self.round_trips = 0
        self.rounds = 0  # searches run
        self.truncated = False
        self._township: dict[str, frozenset[str]] = {}
        self._done = False

        self._fetch([target_id])
        for spec in self.from_:
            if spec.kind == "township" and spec.region not in self._township:
                self._township[spec.region] = frozenset(reader.our_people_from(spec.region))
        if target_kind == "Organization":  # its decision makers (their side of the cap, too)
            self._fetch([src for _, kind, src, dst, props in self.rows.get(target_id, ())
                         if dst == target_id and is_decision_tie(self.schema, kind, props)])
        index = self._build()
        at = index.position(target_id)
        makers = sorted({index.ids[p] for p, _ in index.decision_makers(at)}) if target_kind == "Organization" else []
        self.targets = frozenset(makers or [target_id])
        self._ball()
        self.index = self._build()

    # -- the answer ----------------------------------------------------------------------
    def remaining(self) -> float:
        """Seconds left of the query's time bound."""
        return max(self.deadline - self.clock(), 1e-3)

    def settle(self, result: SearchResult) -> bool:
        """True when ``result`` is the answer; otherwise fetch more and rebuild ``index``."""
        self.rounds += 1
        if self._done or self.truncated:
            return True
        if result.radius <= self.radius - 1e-6 or self.radius >= self.cost_max:
            return True
        if self.clock() >= self.deadline:  # the search itself ran out of time
            return True
        # The search on the smaller part looked as far as ``result.radius``; on the whole
        # graph (more paths, found sooner) it looks no further, as a rule. Grow towards
        # that, but at most by a factor, as the part it saw may have been far too small.
        wider = max(self.radius * _GROWTH, self.radius + _STEP)
        self.radius = min(wider, result.radius + _MARGIN, self.cost_max)
        self._ball()
        self.index = self._build()
        return False

    def our_side(self) -> tuple[np.ndarray, int]:
        return self.index.our_side, self.reader.our_side_count()

    def members(self, spec: SourceSpec) -> tuple[np.ndarray, int]:
        index = self.index
        if spec.kind == "role":
            return index.with_role(spec.role), self.reader.role_count(spec.role)
        if spec.kind == "township":
            people = self._township[spec.region]
            found = [p for p in map(index.position, sorted(people)) if p is not None]
            return np.array(sorted(found), dtype=np.int64), len(people)
        position = index.position(spec.node_id)
        return np.array([] if position is None else [position], dtype=np.int64), 1

    # -- fetching ------------------------------------------------------------------------
    def _fetch(self, ids: Iterable[str]) -> bool:
        """Fetch the ties of the nodes not fetched yet; False when out of budget."""
        wanted = sorted({i for i in ids if i not in self.rows})
        if not wanted:
            return True
        if self.fetched >= self.fetch_limit or self.clock() >= self.deadline:
            self.truncated = True
            return False
        rows, facts = self.reader.rows(wanted, self.facts.keys())
        self.round_trips += 1
        self.facts.update(facts)
        for node_id in wanted:
            self.rows[node_id] = rows.get(node_id, [])
        fresh = [e for node_id in wanted for e in self.rows[node_id] if e[0] not in self.cost]
        self.fetched += sum(len(rows.get(node_id, ())) for node_id in wanted)
        if fresh:
            costs = tie_costs(
                self.schema,
                [(kind, props, self._hub_size(dst), self.facts[dst].props.get("date")) for _, kind, _, dst, props in fresh],
                self.as_of,
            )
            for edge, value in zip(fresh, costs.tolist()):
                self.cost[edge[0]] = value
        for node_id in wanted:
            row = self.rows[node_id]
            if self.facts[node_id].degree > self.cap and len(row) > self.cap:
                ranked = sorted((self.cost[e[0]], e[0]) for e in row)
                self.threshold[node_id] = ranked[self.cap - 1]
        return True

    def _hub_size(self, node_id: str) -> float:
        facts = self.facts[node_id]
        return hub_size(facts.props, facts.hub_degree, self.schema.ranking.hub_damping)

    def _keeps(self, node_id: str, edge_id: str) -> bool | None:
        """Whether a node keeps a tie under the hub cap; None when it cannot be told
        without fetching the node's ties (a capped node outside the neighbourhood)."""
        if self.facts[node_id].degree <= self.cap:
            return True
        bound = self.threshold.get(node_id)
        if bound is None:
            return None if node_id not in self.rows else True
        return (self.cost[edge_id], edge_id) <= bound

    def _usable(self, edge: EdgeRecord) -> bool:
        """A tie goes into the index unless the cap certainly drops it."""
        edge_id, _, src, dst, _ = edge
        return self._keeps(src, edge_id) is not False and self._keeps(dst, edge_id) is not False

    def _is_source(self, node_id: str) -> bool:
        if node_id in self.blocked:
            return False
        facts = self.facts[node_id]
        if not self.from_:
            return facts.our_side
        for spec in self.from_:
            if spec.kind == "role" and spec.role in (facts.props.get("roles") or ()):
                return True
            if spec.kind == "township" and node_id in self._township[spec.region]:
                return True
            if spec.kind == "node" and node_id == spec.node_id:
                return True
        return False

    def _ball(self) -> None:
        """Fetch the ties of every node the backward search can settle within the radius."""
        limit = self.radius + _EPS
        if self.radius >= self.cost_max:
            limit = math.inf
        layer = {t: 0.0 for t in self.targets if t not in self.blocked}
        if not self._fetch(layer):
            return
        for hops in range(1, self.max_hops + 1):
            reached: dict[str, float] = {}
            for u, d in layer.items():
                if u not in self.targets and self._is_source(u):
                    continue  # paths end at sources; the search never passes through one
                for edge in self.rows[u]:
                    edge_id, kind, src, dst, _ = edge
                    v = dst if src == u else src
                    if kind not in self.allowed or v in self.blocked or not self._usable(edge):
                        continue
                    c = d + self.cost[edge_id]
                    if c > limit or c >= self.cost_max or c >= reached.get(v, math.inf):
                        continue
                    if hops == self.max_hops and not self._is_source(v):
                        continue
                    reached[v] = c
            if not self._fetch(reached):
                return
            layer = reached
        if self.radius >= self.cost_max:
            self._done = True

    def _build(self) -> TraversalIndex:
        edges: dict[str, EdgeRecord] = {}
        for row in self.rows.values():
            for edge in row:
                if edge[0] not in edges and self._usable(edge):
                    edges[edge[0]] = edge
        source = ListSource(
            [(f.id, f.kind, f.name, f.props) for f in self.facts.values()],
            edges.values(),
            our_side=[f.id for f in self.facts.values() if f.our_side],
            hub_degrees={f.id: f.hub_degree for f in self.facts.values() if f.hub_degree},
        )
        # The cap is already applied (from each fetched node's full list of ties).
        return build_index(source, self.schema, as_of=self.as_of, hub_cap=_NO_CAP)
