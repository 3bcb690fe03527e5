"""Warm introductions: ranked, explained referral paths from our side to a target.

:func:`find_paths` is the one entry point the CLI (``leadgraph paths``) and the API
(``GET /api/paths``) share. It resolves the target (an organisation by full name, 简称
or stock code — meaning its decision makers — or a named person), resolves our side
(or the ``--from`` narrowing), runs :func:`~leadgraph.graph.pathsearch.top_paths` on
the store's path index and explains every hop in Chinese with the lists it came from.
The answer's shape is documented in ``docs/api.md``; the model in ``docs/ranking.md``.

Examples
--------
>>> from leadgraph.graph import EmbeddedStore
>>> store = EmbeddedStore(":memory:")
>>> with store.batch("示例名录") as b:
...     boss = b.upsert_node("Person", {"name": "王建国", "title": "县长", "org_name": "县政府", "roles": ["leader"]}).id
...     zhang = b.upsert_node("Person", {"name": "张伟", "org_name": "甲公司"}).id
...     li = b.upsert_node("Person", {"name": "李明", "org_name": "光华膜材"}).id
...     org = b.upsert_node("Organization", {"name": "光华膜材科技有限公司"}).id
...     _ = b.upsert_edge("ASSIGNED_TO", boss, zhang)
...     _ = b.upsert_edge("KNOWS", zhang, li, {"context": "同学"})
...     _ = b.upsert_edge("WORKS_AT", li, org, {"title": "董事长"})
>>> answer = find_paths(store, PathQuery(to="光华膜材"))
>>> answer["paths"][0]["explanation"]
'王建国（县长）包保联系 张伟（来源：示例名录） · 张伟与李明为同学（来源：示例名录） · 李明任 光华膜材科技有限公司 董事长（来源：示例名录）'
>>> answer["paths"][0]["score"], answer["truncated"]
(0.48195, False)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from leadgraph.errors import Ambiguous, InvalidQuery, NotFound
from leadgraph.graph.explain import person_label, tie_sentence
from leadgraph.graph.identity import canonical
from leadgraph.graph.model import Edge, Node
from leadgraph.graph.pathfetch import Neighbourhood, SourceSpec
from leadgraph.graph.pathindex import TraversalIndex, index_for
from leadgraph.graph.pathsearch import FoundPath, SearchResult, top_paths
from leadgraph.graph.store import GraphStore

__all__ = ["PathQuery", "find_paths", "resolve_node", "split_values"]

_EXACT = 100  # search scores at or above this are exact matches (see leadgraph.graph.terms)
_TARGET_KINDS = frozenset({"Organization", "Person"})
_EXCLUDE_KINDS = frozenset({"Organization", "Person", "Region", "Event"})


@dataclass(frozen=True)
class PathQuery:
    """One referral-path question; None means the schema's default (``ranking``)."""

    to: str
    from_: tuple[str, ...] = ()
    k: int | None = None
    max_hops: int | None = None
    exclude: tuple[str, ...] = ()
    only_kinds: tuple[str, ...] = ()
    never_kinds: tuple[str, ...] = ()
    as_of: date | None = None
    time_limit: float | None = None
    work_limit: int | None = None


def split_values(raw: Iterable[str] | None) -> tuple[str, ...]:
    """Repeated options, each of which may also be a comma-separated list.

    >>> split_values(["王建国,刘芳", "县领导", " "])
    ('王建国', '刘芳', '县领导')
    """
    out: list[str] = []
    for item in raw or ():
        out.extend(part.strip() for part in item.replace("，", ",").split(",") if part.strip())
    return tuple(out)


def _ref(node: Node) -> dict[str, Any]:
    title = node.props.get("title") if node.kind == "Person" else None
    return {"id": node.id, "name": node.name, "kind": node.kind, "title": title or None}


def _near(store: GraphStore, text: str, kinds: frozenset[str]) -> list[dict[str, Any]]:
    """A few nodes whose names share pieces of ``text``: what the user may have meant."""
    canon = canonical(text)
    windows = {canon[i : i + 2] for i in range(max(len(canon) - 1, 1))} if canon else set()
    tally: dict[str, tuple[int, Any]] = {}
    for window in sorted(windows)[:12]:
        for hit in store.search(window, kinds=kinds, limit=20):
            count, _ = tally.get(hit.id, (0, hit))
            tally[hit.id] = (count + 1, hit)
    ranked = sorted(tally.values(), key=lambda item: (-item[0], -item[1].score, item[1].name))
    return [{"id": h.id, "name": h.name, "kind": h.kind} for _, h in ranked[:5]]


def resolve_node(store: GraphStore, text: str, kinds: frozenset[str], *, what: str = "节点") -> Node:
    """The one node ``text`` names: an id, or a name / 简称 / stock code / pinyin.

    One exact match wins (the best-scoring if several kinds of term match); without an
    exact match, a single partial match wins.

    Raises
    ------
    NotFound
        Nothing matches; ``candidates`` lists near names.
    Ambiguous
        Several nodes match equally well; ``candidates`` lists them.
    """
    text = text.strip()
    if not text:
        raise InvalidQuery(f"{what}不能为空 (empty {what})")
    if ":" in text:
        node = store.get_node(text)
        if node is not None and node.kind in kinds:
            return node
    hits = store.search(text, kinds=kinds, limit=20)
    exact = [h for h in hits if h.score >= _EXACT]
    pool = [h for h in exact if h.score == exact[0].score] if exact else hits
    if len(pool) == 1:
        return store.node(pool[0].id)
    if not pool:
        raise NotFound(
            f"没有找到{what}「{text}」 (no {what} matches '{text}')",
            query=text,
            candidates=_near(store, text, kinds),
        )
    raise Ambiguous(
        f"「{text}」对应多个{what}，请写全称、股票代码或 ID (several matches for '{text}')",
        query=text,
        candidates=[{"id": h.id, "name": h.name, "kind": h.kind, **_safe_detail(h.detail)} for h in pool[:10]],
    )


def _safe_detail(detail: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in detail.items() if k in ("org_name", "title", "short_name", "stock_code", "city", "level")}


@dataclass
class _Plan:
    index: TraversalIndex
    target: Node
    targets: list[int]
    decision_edges: dict[int, int]
    sources: np.ndarray
    from_info: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[int] = field(default_factory=list)
    edge_kinds: list[str] | None = None


@dataclass(frozen=True)
class _Question:
    """One question with every name resolved: what the search needs, on any backend."""

    target: Node
    k: int
    max_hops: int
    edge_kinds: list[str] | None
    exclude: tuple[str, ...]  # node ids
    from_: tuple[SourceSpec, ...]
    from_nodes: dict[str, Node]
    as_of: date
    time_limit: float


def _edge_kinds(store: GraphStore, query: PathQuery) -> list[str] | None:
    traversable = store.schema.traversable_edges
    for name in (*query.only_kinds, *query.never_kinds):
        if name not in store.schema.edges:
            raise InvalidQuery(f"未知的关系类型：{name}；可选：{'、'.join(sorted(traversable))}")
        if name not in traversable:
            raise InvalidQuery(f"关系类型 {name} 不参与路径搜索；可选：{'、'.join(sorted(traversable))}")
    if not query.only_kinds and not query.never_kinds:
        return None
    allowed = (set(query.only_kinds) or set(traversable)) - set(query.never_kinds)
    if not allowed:
        raise InvalidQuery("按所给关系类型筛选后没有可用的关系 (no edge kind left after the filters)")
    return sorted(allowed)


_MAX_NAMED = 50  # --from / --exclude values: each is a search, and each is echoed in the answer
_MAX_VALUE_CHARS = 200


def _source_spec(store: GraphStore, value: str) -> tuple[SourceSpec, Node | None]:
    """What one ``--from`` value names: a role, a township (our people from there) or a node."""
    person = store.schema.node("Person")
    roles = person.roles
    role = value if value in roles else next((r for r, label in roles.items() if label == value), None)
    if role is not None:
        if role not in person.our_side_roles:  # --from narrows our side; it never widens it
            ours = "、".join(roles[r] for r in person.our_side_roles)
            raise InvalidQuery(f"「{value}」不是我方角色，可用：{ours} (not one of our side's roles)")
        return SourceSpec(value, "role", role=role), None
    regions = [
        h for h in store.search(value, kinds=frozenset({"Region"}), limit=10)
        if h.score >= _EXACT and h.detail.get("level") == "township"
    ]
    if len(regions) == 1:
        return SourceSpec(value, "township", region=regions[0].id), None
    node = resolve_node(store, value, frozenset({"Person", "Organization"}), what="出发人员或单位")
    if not _on_our_side(store, node):  # else "本人在我方名单中" would call the target's chairman ours
        ours = "、".join(roles[r] for r in person.our_side_roles)
        raise InvalidQuery(
            f"「{node.name}」不在我方（{ours}、本地企业及其人员）：--from 只能在我方中选出发点 (not on our side)",
            candidates=[_ref(node)],
        )
    return SourceSpec(value, "node", node_id=node.id), node


def _on_our_side(store: GraphStore, node: Node) -> bool:
    """Whether ``node`` is on our side, by the rule the path index applies to the whole graph:
    a person with one of ``our_side_roles``, a local organisation, or a person working at one."""
    if node.kind == "Organization":
        return node.props.get("is_local") is True
    if not set(node.props.get("roles") or ()).isdisjoint(store.schema.node("Person").our_side_roles):
        return True
    ties, _ = store.neighbours(node.id, edge_kinds=frozenset({"WORKS_AT"}))
    return any(t.direction == "out" and t.node.props.get("is_local") is True for t in ties)


def _question(store: GraphStore, query: PathQuery) -> _Question:
    ranking = store.schema.ranking
    k = ranking.default_k if query.k is None else query.k
    hops = ranking.default_max_hops if query.max_hops is None else query.max_hops
    if not 1 <= k <= ranking.max_k:
        raise InvalidQuery(f"k 应在 1–{ranking.max_k} 之间 (k must be 1..{ranking.max_k}, got {k})")
    if not 1 <= hops <= ranking.max_hops_limit:
        raise InvalidQuery(
            f"最大跳数应在 1–{ranking.max_hops_limit} 之间 (max hops must be 1..{ranking.max_hops_limit}, got {hops})"
        )
    if query.time_limit is not None and not 0 < query.time_limit <= 60:
        raise InvalidQuery("时间上限应在 0–60 秒之间 (time limit must be in (0, 60] s)")
    for option, values in (("from", query.from_), ("exclude", query.exclude)):
        if len(set(values)) > _MAX_NAMED:
            raise InvalidQuery(f"{option} 最多 {_MAX_NAMED} 个 (at most {_MAX_NAMED} {option} values, got {len(set(values))})")
    for value in (query.to, *query.from_, *query.exclude):
        if len(value) > _MAX_VALUE_CHARS:
            raise InvalidQuery(f"名称太长：最多 {_MAX_VALUE_CHARS} 个字符 (a name is at most {_MAX_VALUE_CHARS} characters)")
    edge_kinds = _edge_kinds(store, query)
    target = resolve_node(store, query.to, _TARGET_KINDS, what="目标企业或人员")
    exclude = []
    for value in dict.fromkeys(query.exclude):  # a repeated value is resolved once
        node = resolve_node(store, value, _EXCLUDE_KINDS, what="排除对象")
        if node.id == target.id:
            raise InvalidQuery(f"不能排除目标本身：{node.name} (cannot exclude the target)")
        exclude.append(node.id)
    specs, nodes, named = [], {}, set()
    for value in dict.fromkeys(query.from_):
        spec, node = _source_spec(store, value)
        what = (spec.kind, spec.role, spec.region, spec.node_id)
        if what in named:  # 'leader' and '县领导' name one role: counted and echoed once
            continue
        named.add(what)
        specs.append(spec)
        if node is not None:
            nodes[node.id] = node
    return _Question(
        target, k, hops, edge_kinds, tuple(exclude), tuple(specs), nodes, query.as_of or date.today(),
        ranking.time_limit_s if query.time_limit is None else query.time_limit,
    )


def _people_from(store: GraphStore, index: TraversalIndex, region_id: str) -> np.ndarray:
    """The positions of everyone with a ``FROM`` tie to the region (all of them, whatever
    the hub cap keeps), in order."""
    graph = getattr(store, "graph", None)
    if graph is not None:
        ids = sorted({src for src, _, data in graph.in_edges(region_id, data=True) if data["kind"] == "FROM"})
        return np.array([p for p in map(index.position, ids) if p is not None], dtype=np.int64)
    region = index.position(region_id)
    if region is None:
        return np.zeros(0, dtype=np.int64)
    ties = (index.edge_dst == region) & (index.edge_kind == index.edge_kind_code("FROM"))
    return np.unique(index.edge_src[ties]).astype(np.int64)  # the index keeps every edge, capped or not


class _WholeGraph:
    """The index of the whole graph: cached by :func:`index_for` (the embedded store, and
    any store without a ``path_source``), or a server store's projection (``index``)."""

    truncated = False

    def __init__(self, store: GraphStore, question: _Question, index: TraversalIndex | None = None) -> None:
        self.store = store
        self.index = index if index is not None else index_for(store, as_of=question.as_of)
        self.time_limit = question.time_limit

    def remaining(self) -> float:
        return self.time_limit  # the bound is the search's own; reading the graph is not timed

    def settle(self, result: SearchResult) -> bool:
        return True

    def our_side(self) -> tuple[np.ndarray, int]:
        return self.index.our_side, int(self.index.our_side.sum())

    def members(self, spec: SourceSpec) -> tuple[np.ndarray, int]:
        index = self.index
        if spec.kind == "role":
            found = index.with_role(spec.role)
            return found, int(found.size)
        if spec.kind == "township":
            people = _people_from(self.store, index, spec.region)
            found = np.sort(people[index.our_side[people]]) if people.size else people
            return found, int(found.size)
        position = index.position(spec.node_id)
        found = np.array([position] if position is not None else [], dtype=np.int64)
        return found, int(found.size)


def _view(store: GraphStore, question: _Question) -> Any:
    """Where the index comes from. A server store: its projection of the whole graph when
    that is fresh (``projected_index``, see :mod:`leadgraph.graph.neo4j_projection`), else
    its neighbourhood reader, which fetches only the part of the graph the question can
    use (:mod:`leadgraph.graph.pathfetch`). The embedded store: its whole graph's index."""
    projected = getattr(store, "projected_index", None)
    if projected is not None:
        index = projected(question.as_of)
        if index is not None:
            return _WholeGraph(store, question, index)
    reader = getattr(store, "path_source", None)
    if reader is None:
        return _WholeGraph(store, question)
    return Neighbourhood(
        reader(),
        target_id=question.target.id,
        target_kind=question.target.kind,
        max_hops=question.max_hops,
        edge_kinds=question.edge_kinds,
        blocked=question.exclude,
        from_=question.from_,
        as_of=question.as_of,
        time_limit=question.time_limit,
    )


def _plan(view: Any, question: _Question) -> _Plan:
    index = view.index
    target = question.target
    at = index.position(target.id)
    if at is None:  # the store changed between resolving and indexing
        raise NotFound(f"没有找到 {target.id}", id=target.id)
    decision_edges: dict[int, int] = {}
    if target.kind == "Organization":
        for person, edge in index.decision_makers(at):
            decision_edges.setdefault(person, edge)
    targets = sorted(decision_edges) or [at]
    blocked = [p for p in map(index.position, question.exclude) if p is not None]
    if question.from_:
        chosen = np.zeros(index.n_nodes, dtype=bool)
        info = []
        for spec in question.from_:
            found, count = view.members(spec)
            chosen[found] = True
            if spec.kind == "role":
                info.append({"query": spec.query, "kind": "role", "role": spec.role, "count": count})
            elif spec.kind == "township":
                info.append({"query": spec.query, "kind": "township", "id": spec.region, "count": count})
            else:
                node = question.from_nodes[spec.node_id]
                info.append({"query": spec.query, "kind": "node", **_ref(node), "count": count})
        sources = chosen
    else:
        sources, count = view.our_side()
        info = [{"kind": "our_side", "count": count}]
    return _Plan(index, target, targets, decision_edges, sources, info, blocked, question.edge_kinds)


class _Explainer:
    """Turns found paths into the documented JSON, reading all their nodes and edges at
    once (two reads on a server store)."""

    def __init__(self, store: GraphStore, plan: _Plan, paths: list[FoundPath]) -> None:
        self.store = store
        self.plan = plan
        self.index = index = plan.index
        edges = sorted({*(e for p in paths for e in p.edges), *plan.decision_edges.values()})
        positions = {
            *(n for p in paths for n in p.nodes), *plan.decision_edges,
            *(int(index.edge_src[e]) for e in edges), *(int(index.edge_dst[e]) for e in edges),
        }
        self._nodes: dict[str, Node] = store.get_nodes(sorted(index.ids[p] for p in positions))
        self._edges: dict[str, Edge] = store.get_edges([index.edge_id(e) for e in edges])

    def node(self, position: int) -> Node:
        node_id = self.index.ids[position]
        if node_id not in self._nodes:
            self._nodes[node_id] = self.store.node(node_id)
        return self._nodes[node_id]

    def edge(self, e: int) -> Edge:
        edge_id = self.index.edge_id(e)
        if edge_id not in self._edges:
            edge = self.store.get_edge(edge_id)
            if edge is None:
                raise NotFound(f"没有找到关系 {edge_id}", id=edge_id)
            self._edges[edge_id] = edge
        return self._edges[edge_id]

    def sentence(self, e: int, first: Node | None) -> tuple[str, Edge, list[str]]:
        edge = self.edge(e)
        sources = [s.source for s in edge.sources]
        hub = self.index.hub_sizes.get(int(self.index.edge_dst[e])) if self.index.hub_sizes else None
        src, dst = self._nodes_of(edge)
        return tie_sentence(edge, src, dst, sources=sources, first=first, hub_size=hub), edge, sources

    def _nodes_of(self, edge: Edge) -> tuple[Node, Node]:
        for node_id in (edge.src, edge.dst):
            if node_id not in self._nodes:
                self._nodes[node_id] = self.store.node(node_id)
        return self._nodes[edge.src], self._nodes[edge.dst]

    def path(self, found: FoundPath) -> dict[str, Any]:
        nodes = [self.node(p) for p in found.nodes]
        first = nodes[0]
        hops = []
        for i, e in enumerate(found.edges):
            text, edge, sources = self.sentence(e, first)
            strength = float(self.index.edge_strength[e])
            hops.append({
                "from": _ref(nodes[i]),
                "to": _ref(nodes[i + 1]),
                "relation": edge.kind,
                "relation_label": self.store.schema.edge(edge.kind).label,
                "strength": round(strength, 4),
                "explanation": text,
                "sources": sources,
                "edge_id": edge.id,
            })
        weakest = None
        if hops:
            i = min(range(len(hops)), key=lambda j: (hops[j]["strength"], j))
            weakest = {"index": i, **{key: hops[i][key] for key in ("from", "to", "relation", "strength", "explanation")}}
        sentences = [h["explanation"] for h in hops]
        end = found.nodes[-1]
        closing = None
        decision_edge = self.plan.decision_edges.get(end)
        if not hops:
            sentences.append(f"{person_label(first)}本人在我方名单中，无需引荐")
        if decision_edge is not None and (not found.edges or found.edges[-1] != decision_edge):
            closing, _, _ = self.sentence(decision_edge, None)
            sentences.append(closing)
        return {
            "score": round(found.score, 6),
            "hops": hops,
            "weakest": weakest,
            "start": _ref(nodes[0]),
            "end": _ref(nodes[-1]),
            "decision_maker_role": closing,
            "explanation": " · ".join(sentences),
        }

    def target(self, query: str) -> dict[str, Any]:
        target = self.plan.target
        makers = []
        for person, e in sorted(self.plan.decision_edges.items(), key=lambda item: self.index.names[item[0]]):
            edge = self.edge(e)
            basis = edge.props.get("title") or (
                f"持股 {float(edge.props['share_pct']):g}%" if edge.props.get("share_pct") not in (None, "") else "决策人"
            )
            makers.append({**_ref(self.node(person)), "basis": basis})
        described = {**_ref(target), "query": query, "decision_makers": makers, "note": None}
        if target.kind == "Organization" and not makers:
            described["note"] = "名录中没有该单位的决策人，路径通到单位本身"
        return described


def find_paths(store: GraphStore, query: PathQuery) -> dict[str, Any]:
    """Answer one referral-path question (see the module docstring and docs/api.md)."""
    question = _question(store, query)
    view = _view(store, question)
    while True:
        plan = _plan(view, question)
        result: SearchResult = top_paths(
            plan.index,
            plan.sources,
            plan.targets,
            k=question.k,
            max_hops=question.max_hops,
            blocked=plan.blocked,
            edge_kinds=plan.edge_kinds,
            time_limit=view.remaining(),
            work_limit=query.work_limit,
        )
        if view.settle(result):
            break
    index = plan.index
    explain = _Explainer(store, plan, result.paths)
    return {
        "target": explain.target(query.to),
        "from": plan.from_info,
        "as_of": index.as_of.isoformat(),
        "paths": [explain.path(p) for p in result.paths],
        "truncated": result.truncated or view.truncated,
        "stats": {
            "settled": result.settled,
            "expanded": result.expanded,
            "elapsed_ms": round(result.elapsed * 1000, 1) if math.isfinite(result.elapsed) else None,
        },
    }
