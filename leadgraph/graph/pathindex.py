"""A compact traversal index for referral-path search: the graph as CSR arrays.

networkx stays the graph model of the embedded store; the hot path search runs on this
index instead — numpy arrays holding, for every node, its traversable ties sorted
strongest first (``offsets``/``targets``/``weights``), where a weight is the hop cost
``-log(strength × hop_penalty)`` from :mod:`leadgraph.graph.strength`.

Any backend builds the index from a :class:`TraversalSource` (nodes and edges as plain
tuples), read into :class:`IndexColumns` and scored as of a date: the embedded store
from its in-memory graph (:func:`index_for`, cached until the store changes), a Neo4j
store from its projection of the whole graph or from a neighbourhood fetched by Cypher,
the benchmark from generated arrays (:meth:`TraversalIndex.from_arrays`). Strengths are
computed in one place whatever the source, so both backends rank identically.

Rules fixed when the index is built (documented in docs/ranking.md):

* every traversable edge is an undirected tie;
* each node keeps its ``hub_cap`` strongest ties; a tie is searchable only when both of
  its ends keep it (the cap never depends on which way a search runs);
* our side = people with an ``our_side_roles`` role, local organisations
  (``is_local``) and the people who work at them.

Examples
--------
>>> from leadgraph.schema import default_schema
>>> source = ListSource(
...     nodes=[("per:a", "Person", "甲", {"roles": ["leader"]}), ("per:b", "Person", "乙", {})],
...     edges=[("e:1", "KNOWS", "per:a", "per:b", {"context": "同学"})],
... )
>>> index = build_index(source, default_schema())
>>> index.n_nodes, index.n_entries, bool(index.our_side[0]), bool(index.our_side[1])
(2, 2, True, False)
>>> round(float(index.weights[0]), 4)  # -log(0.7 × 0.9)
0.462
"""

from __future__ import annotations

import math
import threading
import weakref
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import numpy as np

from leadgraph.graph.strength import age_days, base_strength, hop_cost, hub_size, is_decision_tie, scale_strengths
from leadgraph.schema import Schema

__all__ = [
    "TraversalSource",
    "ListSource",
    "StoreSource",
    "TraversalIndex",
    "build_index",
    "IndexColumns",
    "PackedIds",
    "tie_costs",
    "index_for",
]

NodeRecord = tuple[str, str, str, dict[str, Any]]
EdgeRecord = tuple[str, str, str, str, dict[str, Any]]


class TraversalSource(Protocol):
    """What the index is built from: nodes ``(id, kind, name, props)`` and edges
    ``(edge_id, kind, src, dst, props)``. Only traversable edges are used; node props
    are read for roles, ``is_local``, hub sizes and event dates."""

    def nodes(self) -> Iterable[NodeRecord]: ...

    def edges(self) -> Iterable[EdgeRecord]: ...


class ListSource:
    """A source held in memory (tests, a neighbourhood fetched from a server).

    A part of a graph cannot tell from itself who is on our side (a person is, when
    they work at a local firm that may lie outside the part) or how big a hub is (its
    members may lie outside): ``our_side`` (the ids on our side, exactly) and
    ``hub_degrees`` (id → number of shared-membership ties into it in the whole graph)
    say it for the whole graph, and :func:`build_index` uses them instead of counting.
    """

    def __init__(
        self,
        nodes: Iterable[NodeRecord] = (),
        edges: Iterable[EdgeRecord] = (),
        *,
        our_side: Iterable[str] | None = None,
        hub_degrees: dict[str, int] | None = None,
    ) -> None:
        self._nodes = list(nodes)
        self._edges = list(edges)
        self.our_side_ids = frozenset(our_side) if our_side is not None else None
        self.hub_degrees = hub_degrees

    def nodes(self) -> Iterable[NodeRecord]:
        return self._nodes

    def edges(self) -> Iterable[EdgeRecord]:
        return self._edges


class StoreSource:
    """Any :class:`~leadgraph.graph.store.GraphStore` as a source.

    The embedded store is read from its in-memory networkx graph (plus one SQL scan for
    node properties); any other store through ``iter_nodes``/``iter_edges``.
    """

    def __init__(self, store: Any) -> None:
        self.store = store

    def nodes(self) -> Iterator[NodeRecord]:
        records = getattr(self.store, "node_records", None)
        if records is not None:
            yield from records()
            return
        for node in self.store.iter_nodes():
            yield node.id, node.kind, node.name, node.props

    def edges(self) -> Iterator[EdgeRecord]:
        traversable = self.store.schema.traversable_edges
        graph = getattr(self.store, "graph", None)
        if graph is not None:
            for src, dst, key, data in graph.edges(keys=True, data=True):
                if data["kind"] in traversable:
                    yield key, data["kind"], src, dst, data["props"]
            return
        for kind in sorted(traversable):
            for edge in self.store.iter_edges(kind):
                yield edge.id, edge.kind, edge.src, edge.dst, edge.props


@dataclass(eq=False)
class TraversalIndex:
    """The traversable graph as CSR arrays (see the module docstring).

    Per node ``i``: ``ids[i]``, ``names[i]``, ``kind[i]`` (a code into ``node_kinds``),
    ``roles[i]`` (a bit mask over ``role_names``), ``our_side[i]``. Row ``i`` of the CSR
    is ``offsets[i]:offsets[i + 1]``, sorted by weight (strongest tie first); each entry
    has ``targets`` (the other end), ``weights`` (hop cost), ``entry_edge`` (index into
    the edge arrays) and ``entry_kind`` (a code into ``edge_kinds``). Per edge:
    ``edge_ids``, ``edge_src``, ``edge_dst`` (as stored, for direction), ``edge_kind``,
    ``edge_strength`` and ``edge_decision`` (the tie makes its person a decision maker).
    ``min_weight`` is a lower bound on every hop cost: the cost of a tie of strength 1,
    so it is the same for every index of a schema, whatever part of a graph it holds
    (the backward search's buckets, and so every answer, then do not depend on which
    ties happen to be in the index); ``hub_sizes`` maps each hub (the ``to`` end of
    shared-membership ties) to its size.
    """

    schema: Schema
    ids: list[str]
    names: list[str]
    kind: np.ndarray
    roles: np.ndarray
    our_side: np.ndarray
    offsets: np.ndarray
    targets: np.ndarray
    weights: np.ndarray
    entry_edge: np.ndarray
    entry_kind: np.ndarray
    edge_ids: Sequence[str] | None
    edge_src: np.ndarray
    edge_dst: np.ndarray
    edge_kind: np.ndarray
    edge_strength: np.ndarray
    edge_decision: np.ndarray
    node_kinds: tuple[str, ...]
    edge_kinds: tuple[str, ...]
    role_names: tuple[str, ...]
    hop_penalty: float
    hub_cap: int
    as_of: date
    dropped_by_cap: int = 0
    min_weight: float = 1.0
    hub_sizes: dict[int, float] | None = None
    _position: dict[str, int] | None = None

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        schema: Schema,
        *,
        kind: np.ndarray,
        roles: np.ndarray,
        our_side: np.ndarray,
        edge_src: np.ndarray,
        edge_dst: np.ndarray,
        edge_kind: np.ndarray,
        edge_strength: np.ndarray,
        edge_decision: np.ndarray,
        ids: list[str] | None = None,
        names: list[str] | None = None,
        edge_ids: Sequence[str] | None = None,
        hub_cap: int | None = None,
        as_of: date | None = None,
        hub_sizes: dict[int, float] | None = None,
    ) -> "TraversalIndex":
        """Build the CSR from per-node and per-edge arrays (strengths already computed)."""
        n = int(kind.shape[0])
        penalty = schema.ranking.hop_penalty
        cap = schema.ranking.hub_cap if hub_cap is None else hub_cap
        src = np.asarray(edge_src, dtype=np.int32)
        dst = np.asarray(edge_dst, dtype=np.int32)
        n_edges = src.shape[0]
        edge_weight = hop_cost(np.asarray(edge_strength, dtype=np.float64), penalty)
        rows = np.concatenate([src, dst])
        cols = np.concatenate([dst, src])
        eidx = np.concatenate([np.arange(n_edges, dtype=np.int32)] * 2)
        weight = np.concatenate([edge_weight, edge_weight])
        order = np.lexsort((eidx, weight, rows))
        rows, cols, eidx, weight = rows[order], cols[order], eidx[order], weight[order]
        counts = np.bincount(rows, minlength=n)
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        rank = np.arange(rows.shape[0], dtype=np.int64) - starts[rows]
        # The cap: an edge stays only if it is among the ``cap`` strongest at both ends.
        # Entry j < n_edges is the edge read src→dst, entry n_edges + j the same edge back.
        rank_of_entry = np.empty_like(rank)
        rank_of_entry[order] = rank
        worst = np.maximum(rank_of_entry[:n_edges], rank_of_entry[n_edges:])
        kept = worst[eidx] < cap
        dropped = int(n_edges - np.count_nonzero(worst < cap))
        rows, cols, eidx, weight = rows[kept], cols[kept], eidx[kept], weight[kept]
        counts = np.bincount(rows, minlength=n)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        small = offsets[-1] < np.iinfo(np.int32).max
        ekind = np.asarray(edge_kind, dtype=np.int8)
        return cls(
            schema=schema,
            ids=ids if ids is not None else [f"n{i}" for i in range(n)],
            names=names if names is not None else [f"n{i}" for i in range(n)],
            kind=np.asarray(kind, dtype=np.int8),
            roles=np.asarray(roles, dtype=np.int32),
            our_side=np.asarray(our_side, dtype=bool),
            offsets=offsets.astype(np.int32) if small else offsets,
            targets=cols.astype(np.int32),
            weights=weight,
            entry_edge=eidx.astype(np.int32),
            entry_kind=ekind[eidx],
            edge_ids=edge_ids,
            edge_src=src,
            edge_dst=dst,
            edge_kind=ekind,
            edge_strength=np.asarray(edge_strength, dtype=np.float64),
            edge_decision=np.asarray(edge_decision, dtype=bool),
            node_kinds=tuple(schema.nodes),
            edge_kinds=tuple(schema.edges),
            role_names=tuple(schema.node("Person").roles),
            hop_penalty=penalty,
            hub_cap=cap,
            as_of=as_of or date.today(),
            dropped_by_cap=dropped,
            min_weight=min(float(hop_cost(1.0, penalty)), float(weight.min()) if weight.size else math.inf),
            hub_sizes=hub_sizes or {},
        )

    # -- lookups ------------------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        return len(self.kind)

    @property
    def n_entries(self) -> int:
        return int(self.targets.shape[0])

    def position(self, node_id: str) -> int | None:
        """The index position of a node id, or None."""
        if self._position is None:
            self._position = {node_id: i for i, node_id in enumerate(self.ids)}
        return self._position.get(node_id)

    def kind_code(self, kind: str) -> int:
        return self.node_kinds.index(kind)

    def edge_kind_code(self, kind: str) -> int:
        return self.edge_kinds.index(kind)

    def edge_id(self, edge: int) -> str:
        return self.edge_ids[edge] if self.edge_ids is not None else f"e{edge}"

    def row(self, node: int) -> slice:
        return slice(int(self.offsets[node]), int(self.offsets[node + 1]))

    def with_role(self, role: str) -> np.ndarray:
        """Positions of the people holding ``role``."""
        bit = 1 << self.role_names.index(role)
        return np.flatnonzero(self.roles & bit)

    def neighbours_by(self, node: int, edge_kind: str) -> np.ndarray:
        """The nodes tied to ``node`` by edges of one kind."""
        row = self.row(node)
        code = self.edge_kind_code(edge_kind)
        return np.unique(self.targets[row][self.entry_kind[row] == code])

    def decision_makers(self, org: int) -> list[tuple[int, int]]:
        """``(person, edge)`` pairs whose tie makes the person a decision maker of ``org``."""
        row = self.row(org)
        edges = self.entry_edge[row]
        hits = self.edge_decision[edges] & (self.edge_dst[edges] == org)
        person = self.kind_code("Person")
        return [
            (int(t), int(e))
            for t, e in zip(self.targets[row][hits], edges[hits])
            if int(self.kind[t]) == person
        ]


def build_index(
    source: TraversalSource, schema: Schema, *, as_of: date | None = None, hub_cap: int | None = None
) -> TraversalIndex:
    """Read a source, score every traversable tie and build the index."""
    return IndexColumns.read(source, schema).index(as_of=as_of, hub_cap=hub_cap)


_EPOCH = date(2000, 1, 1)
_ID_CHUNK = 1 << 16


class PackedIds(Sequence[str]):
    """Ids as one fixed-width UTF-8 numpy array, read back as str: about a quarter of the
    memory of a list of str at millions of edges."""

    def __init__(self, packed: np.ndarray) -> None:
        self.packed = packed

    def __len__(self) -> int:
        return int(self.packed.shape[0])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [value.decode("utf-8") for value in self.packed[i].tolist()]
        return self.packed[i].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self), _ID_CHUNK):
            yield from (value.decode("utf-8") for value in self.packed[start : start + _ID_CHUNK].tolist())


class _IdPacker:
    """Collects ids one by one into :class:`PackedIds`, a chunk at a time."""

    def __init__(self) -> None:
        self.chunks: list[np.ndarray] = []
        self.pending: list[bytes] = []

    def append(self, value: str) -> None:
        self.pending.append(value.encode("utf-8"))
        if len(self.pending) >= _ID_CHUNK:
            self.chunks.append(np.array(self.pending, dtype=np.bytes_))
            self.pending = []

    def array(self) -> np.ndarray:
        if self.pending or not self.chunks:
            self.chunks.append(np.array(self.pending, dtype=np.bytes_))
            self.pending = []
        return np.concatenate(self.chunks) if len(self.chunks) > 1 else self.chunks[0]


@dataclass(eq=False)
class IndexColumns:
    """A graph read for the path index: everything :class:`TraversalIndex` needs that does
    not depend on the date, as columns. :meth:`index` scores the ties as of a date.

    Nodes are in id order (``ids``, ``names``, ``kind``, ``roles``, ``our_side``); edges
    (only traversable ones with both ends present) in id order: ``edge_ids`` (UTF-8,
    packed), ``edge_src``/``edge_dst`` (node positions), ``edge_kind``,
    ``edge_base`` (strength before hub damping and decay), ``edge_day`` (the day a
    decaying tie ages from, as a proleptic ordinal; NaN when undated or not decaying),
    ``edge_decision``. ``hub_sizes`` maps each hub to its size.
    """

    schema: Schema
    ids: list[str]
    names: list[str]
    kind: np.ndarray
    roles: np.ndarray
    our_side: np.ndarray
    edge_ids: PackedIds
    edge_src: np.ndarray
    edge_dst: np.ndarray
    edge_kind: np.ndarray
    edge_base: np.ndarray
    edge_day: np.ndarray
    edge_decision: np.ndarray
    hub_sizes: dict[int, float]

    @property
    def n_edges(self) -> int:
        return int(self.edge_src.shape[0])

    @classmethod
    def read(cls, source: TraversalSource, schema: Schema) -> "IndexColumns":
        """Read a source once, in whatever order it gives nodes and edges."""
        damping = schema.ranking.hub_damping
        node_code = {name: i for i, name in enumerate(schema.nodes)}
        edge_code = {name: i for i, name in enumerate(schema.edges) if schema.edges[name].traversable}
        role_bit = {name: 1 << i for i, name in enumerate(schema.node("Person").roles)}
        our_roles = set(schema.node("Person").our_side_roles)
        person, org = node_code["Person"], node_code["Organization"]

        ids: list[str] = []
        names: list[str] = []
        kinds = array("b")
        role_bits = array("l")
        ours = array("b")
        declared: dict[int, float] = {}
        dated: dict[int, Any] = {}
        for node_id, kind, name, props in source.nodes():
            i = len(ids)
            ids.append(node_id)
            names.append(name)
            code = node_code[kind]
            kinds.append(code)
            roles = props.get("roles") or ()
            role_bits.append(sum(role_bit.get(r, 0) for r in roles))
            ours.append(
                (code == person and not our_roles.isdisjoint(roles)) or (code == org and props.get("is_local") is True)
            )
            size = hub_size(props, 0, damping)
            if size:
                declared[i] = size
            if props.get("date"):
                dated[i] = props["date"]
        # Canonical order: nodes and edges by id, whatever order the source gives them in.
        # Every tie the search breaks by position (equal costs, the hub cap's rank among
        # equal ties) then falls the same way on any backend and on any part of the graph
        # that holds the nodes concerned.
        kind_arr = np.frombuffer(kinds, dtype=np.int8).copy()
        role_arr = np.array(role_bits, dtype=np.int32)
        our_arr = np.frombuffer(ours, dtype=np.int8).astype(bool)
        del kinds, role_bits, ours
        if any(a >= b for a, b in zip(ids, islice(ids, 1, None))):
            order = sorted(range(len(ids)), key=ids.__getitem__)
            at = {old: new for new, old in enumerate(order)}
            ids = [ids[j] for j in order]
            names = [names[j] for j in order]
            kind_arr, role_arr, our_arr = kind_arr[order], role_arr[order], our_arr[order]
            declared = {at[i]: v for i, v in declared.items()}
            dated = {at[i]: v for i, v in dated.items()}
        position = {node_id: i for i, node_id in enumerate(ids)}
        local_org = set(np.flatnonzero(our_arr & (kind_arr == org)).tolist())

        hub_codes = {edge_code[k] for k in edge_code if schema.edge(k).hub_damped}
        decay_codes = {edge_code[k] for k in edge_code if schema.edge(k).decays}
        works_at = edge_code["WORKS_AT"]
        strength_by = {code: schema.edge(k).strength_by for k, code in edge_code.items()}
        edge_ids = _IdPacker()
        last_id = ""
        in_order = True
        src, dst, codes = array("l"), array("l"), array("b")
        base, days, decision = array("d"), array("d"), array("b")
        degree: dict[int, int] = {}
        base_memo: dict[tuple[Any, ...], float] = {}
        day_memo: dict[Any, float] = {}
        for edge_id, kind, a, b, props in source.edges():
            code = edge_code.get(kind)
            s, d = position.get(a), position.get(b)
            if code is None or s is None or d is None or s == d:
                continue
            by = strength_by[code]
            key = (code, props.get("strength"), props.get(by) if by else None,
                   props.get("title") if by == "decision_maker" else None)
            strength = base_memo.get(key)
            if strength is None:
                strength = base_memo[key] = base_strength(schema, kind, props)
            day = math.nan
            if code in decay_codes:
                when = props.get("date") or dated.get(d)
                day = day_memo.get(when)
                if day is None:
                    day = day_memo[when] = _day(when)
            edge_ids.append(edge_id)
            if in_order and edge_id <= last_id:
                in_order = False
            last_id = edge_id
            src.append(s)
            dst.append(d)
            codes.append(code)
            base.append(strength)
            days.append(day)
            decision.append(is_decision_tie(schema, kind, props))
            if code in hub_codes:
                degree[d] = degree.get(d, 0) + 1
            elif code == works_at and d in local_org and kind_arr[s] == person:
                our_arr[s] = True

        given_ours = getattr(source, "our_side_ids", None)
        given_degrees = getattr(source, "hub_degrees", None)
        if given_ours is not None:
            our_arr = np.array([node_id in given_ours for node_id in ids], dtype=bool)
        if given_degrees is not None:
            degree = {d: max(n, given_degrees.get(ids[d], 0)) for d, n in degree.items()}
        columns = [
            np.array(src, dtype=np.int32), np.array(dst, dtype=np.int32), np.frombuffer(codes, dtype=np.int8).copy(),
            np.frombuffer(base, dtype=np.float64).copy(), np.frombuffer(days, dtype=np.float64).copy(),
            np.frombuffer(decision, dtype=np.int8).astype(bool),
        ]
        del src, dst, codes, base, days, decision
        packed = edge_ids.array()
        if not in_order:
            order = np.argsort(packed, kind="stable")
            packed = packed[order]
            columns = [column[order] for column in columns]
        return cls(
            schema=schema, ids=ids, names=names, kind=kind_arr, roles=role_arr, our_side=our_arr,
            edge_ids=PackedIds(packed), edge_src=columns[0], edge_dst=columns[1], edge_kind=columns[2], edge_base=columns[3],
            edge_day=columns[4], edge_decision=columns[5],
            hub_sizes={d: max(declared.get(d, 0.0), float(n)) for d, n in degree.items()},
        )

    def index(self, *, as_of: date | None = None, hub_cap: int | None = None) -> TraversalIndex:
        """The index with every tie scored as of ``as_of`` (today by default)."""
        as_of = as_of or date.today()
        size_of_node = np.zeros(len(self.ids))
        for d, size in self.hub_sizes.items():
            size_of_node[d] = size
        ages = as_of.toordinal() - self.edge_day
        strengths = scale_strengths(self.schema, self.edge_kind, self.edge_base, size_of_node[self.edge_dst], ages)
        return TraversalIndex.from_arrays(
            self.schema,
            kind=self.kind,
            roles=self.roles,
            our_side=self.our_side,
            edge_src=self.edge_src,
            edge_dst=self.edge_dst,
            edge_kind=self.edge_kind,
            edge_strength=strengths,
            edge_decision=self.edge_decision,
            ids=self.ids,
            names=self.names,
            edge_ids=self.edge_ids,
            hub_cap=hub_cap,
            as_of=as_of,
            hub_sizes=self.hub_sizes,
        )


def tie_costs(schema: Schema, ties: Iterable[tuple[str, dict[str, Any], float, Any]], as_of: date) -> np.ndarray:
    """Hop costs of ties ``(kind, props, size of the node it reaches, that node's date)``,
    computed exactly as :func:`build_index` computes them (for a part of a graph whose
    hub sizes come from elsewhere, see :mod:`leadgraph.graph.pathfetch`)."""
    kinds = {name: i for i, name in enumerate(schema.edges)}
    codes, base, sizes, ages = [], [], [], []
    for kind, props, size, when in ties:
        codes.append(kinds[kind])
        base.append(base_strength(schema, kind, props))
        sizes.append(size)
        ages.append(_age_or_nan(props.get("date") or when, as_of) if schema.edge(kind).decays else math.nan)
    strengths = scale_strengths(schema, np.array(codes, dtype=np.int8), np.array(base, dtype=np.float64),
                                np.array(sizes, dtype=np.float64), np.array(ages, dtype=np.float64))
    return hop_cost(np.asarray(strengths, dtype=np.float64), schema.ranking.hop_penalty)


def _day(when: Any) -> float:
    """The proleptic ordinal of the date :func:`age_days` reads from ``when``, or NaN."""
    age = age_days(when, _EPOCH)
    return math.nan if age is None else _EPOCH.toordinal() - age


def _age_or_nan(when: Any, as_of: date) -> float:
    age = age_days(when, as_of)
    return math.nan if age is None else age


_CACHE: "weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], TraversalIndex]]" = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def index_for(store: Any, *, as_of: date | None = None) -> TraversalIndex:
    """The path index of a store as of a date, built once and reused until it changes.

    A store with a ``version`` counter (the embedded store bumps it on every write) is
    cached per (version, as_of); any other store is read afresh on every call.
    """
    as_of = as_of or date.today()
    version = getattr(store, "version", None)
    if version is None:
        return build_index(StoreSource(store), store.schema, as_of=as_of)
    key = (version, as_of, store.schema.ranking)
    with _CACHE_LOCK:
        cached = _CACHE.get(store)
        if cached is not None and cached[0] == key:
            return cached[1]
        index = build_index(StoreSource(store), store.schema, as_of=as_of)
        _CACHE[store] = (key, index)
        return index
