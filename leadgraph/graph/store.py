"""The one interface every graph backend implements, and the upsert rules they share.

A backend supplies storage primitives (look up a key, load and save a node or edge,
record a source); :class:`WriteBatch` holds the rules — natural-key matching, conflict
checks, merging, source bookkeeping — so both backends decide identically.
"""

from __future__ import annotations

import abc
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal, Protocol

from leadgraph.errors import InvalidQuery, NotFound, SchemaError
from leadgraph.graph.identity import (
    canonical,
    clean_props,
    discriminated_keys,
    edge_id,
    key_conflicts,
    merge_props,
    natural_keys,
    node_id,
    status_of,
)
from leadgraph.graph.orgnames import org_core_name
from leadgraph.graph.model import REVIEW_STATUS_LABELS, Edge, Neighbour, Node, ReviewItem, SearchHit, Upsert
from leadgraph.schema import Schema

__all__ = ["GraphStore", "WriteBatch", "Probable", "Resolver", "review_id", "utc_now", "SHARED_KEY", "NAME_MAX", "name_problem"]

#: The longest name a node may have. A pasted paragraph is no name, and Neo4j refuses to
#: index a value over about 8 kB (2,700 Chinese characters): one limit, on both backends.
NAME_MAX = 200


def name_problem(label: str, props: dict[str, Any]) -> str | None:
    """Why ``props``' name cannot be a node's name (too long), or None."""
    name = props.get("name")
    if isinstance(name, str) and len(name) > NAME_MAX:
        return f"{label}名称太长（{len(name)} 个字符，上限 {NAME_MAX}），请只填写名称：{name[:20]}…"
    return None


SHARED_KEY = "|*"
"""Appended to a weaker natural key that two nodes need (two 马磊 at one firm, told apart
by mobile or birth year): a row matching only that key is not identified by it."""
SOURCE_KEY = "|@"
"""Appended to a weaker key, with a list's name: the node that list's row (with nothing
else to tell it apart: no birth year, gender, hometown) became when the key alone named
someone else — so loading that list again finds it again."""


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def review_id(prefix: str, *parts: str) -> str:
    """A stable id for a review item: ``rv-`` + a hash of the (sorted) node pair."""
    return f"{prefix}-{hashlib.sha1('|'.join(parts).encode('utf-8')).hexdigest()[:10]}"


@dataclass
class Probable:
    """What a :class:`Resolver` found for a row that no natural key identifies.

    ``node`` set: load the row into that node (an automatic merge), for ``evidence``
    scoring ``score``; ``rename`` lets the row's name replace the node's (a full
    registered name arriving for a node known by its 简称). ``review``: grey-zone
    candidates ``(node, score, evidence)`` — the row becomes a node of its own and each
    pair goes to the review queue. ``summary`` is the row as the list wrote it.
    """

    node: Node | None = None
    score: float = 0.0
    evidence: list[str] = field(default_factory=list)
    rename: bool = False
    review: list[tuple[Node, float, list[str]]] = field(default_factory=list)
    summary: str = ""


class Resolver(Protocol):
    """Entity resolution beyond natural keys (see :mod:`leadgraph.ingest.resolve`)."""

    def probable(self, batch: "WriteBatch", kind: str, props: dict[str, Any]) -> Probable | None: ...

    def confirm(self, batch: "WriteBatch", kind: str, props: dict[str, Any], node: Node) -> bool:
        """Whether a match through a weaker key (name + company) is unambiguous: no other
        known node fits the row as well."""
        ...


def _renamed(kind: str, old: str, new: str) -> bool:
    """Whether a node's name changes to one that is not just another spelling of it (an
    organisation's core — no region, no legal form — neither equal to nor inside the other)."""
    if canonical(old) == canonical(new):
        return False
    if kind != "Organization":
        return True
    a, b = org_core_name(old), org_core_name(new)
    return bool(a and b) and a not in b and b not in a


class WriteBatch(abc.ABC):
    """One batch of writes from one source; a backend commits it atomically.

    ``resolver`` (optional) is asked about rows of a kind it handles that no natural key
    identifies; ``line`` is the list line being loaded, for the evidence it records.
    Every automatic merge and review item of the batch is also kept in ``decisions``
    (the loader drains it row by row with :meth:`take_decisions`).
    """

    def __init__(self, schema: Schema, source: str, id_key: str, now: str | None = None) -> None:
        if not source:
            raise InvalidQuery("every write needs a source (the list or user that states it)")
        self.schema = schema
        self.id_key = id_key  # the store's: names the nodes this batch creates
        self.source = source
        self.now = now or utc_now()
        self.resolver: Resolver | None = None
        self.line: int | None = None
        self.decisions: list[ReviewItem] = []
        self.notices: list[str] = []  # what the row's writes did that its reader should check

    # -- primitives a backend provides -------------------------------------------------
    @abc.abstractmethod
    def _owner_of_key(self, key: str) -> str | None: ...

    @abc.abstractmethod
    def _get_node(self, node_id: str) -> Node | None: ...

    @abc.abstractmethod
    def _nodes_named(self, kind: str, name: str) -> list[Node]: ...

    @abc.abstractmethod
    def _save_node(self, node: Node, *, created: bool, keys: list[str]) -> None: ...

    @abc.abstractmethod
    def _get_edge(self, edge_id: str, src: str | None = None, dst: str | None = None) -> Edge | None:
        """The edge as this batch sees it; ``src``/``dst`` let a backend skip the store when
        the batch created an end (its ties cannot be stored yet)."""

    @abc.abstractmethod
    def _save_edge(self, edge: Edge, *, created: bool) -> None: ...

    @abc.abstractmethod
    def _touch_source(self, item_id: str) -> bool:
        """Record that this batch's source states the item; True when the source is new."""

    @abc.abstractmethod
    def _nodes_with_term(self, kind: str, term: str, *, prefix: bool = False, limit: int = 500) -> list[Node]:
        """Nodes of ``kind`` with the search term ``term`` (or a term starting with it),
        as this batch sees them, in id order, at most ``limit``."""

    @abc.abstractmethod
    def _get_review_item(self, item_id: str) -> ReviewItem | None: ...

    @abc.abstractmethod
    def _save_review_item(self, item: ReviewItem) -> None: ...

    # -- lookups for resolvers ----------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None:
        """A node as this batch sees it (its own writes included), without sources."""
        return self._get_node(node_id)

    def nodes_named(self, kind: str, name: str) -> list[Node]:
        """Nodes of ``kind`` whose canonical name equals ``name``'s, as this batch sees them."""
        return self._nodes_named(kind, name)

    def nodes_with_term(self, kind: str, term: str, *, prefix: bool = False, limit: int = 500) -> list[Node]:
        """Nodes of ``kind`` found by a search term (see :func:`~leadgraph.graph.terms.node_terms`)."""
        return self._nodes_with_term(kind, term, prefix=prefix, limit=limit)

    def take_notices(self) -> list[str]:
        """What the writes since the last call did that the list's reader should check."""
        taken, self.notices = self.notices, []
        return taken

    def take_decisions(self) -> list[ReviewItem]:
        """The merges and review items recorded since the last call."""
        taken, self.decisions = self.decisions, []
        return taken

    def add_review_item(self, item: ReviewItem) -> bool:
        """Store a review item in this batch; False when one with its id exists already."""
        if self._get_review_item(item.id) is not None:
            return False
        self._save_review_item(item)
        self.decisions.append(item)
        return True

    # -- shared rules -------------------------------------------------------------------
    def _match(self, kind: str, props: dict[str, Any], keys: list[str]) -> Node | None:
        return self._match_key(kind, props, keys)[0]

    def _match_key(
        self, kind: str, props: dict[str, Any], keys: list[str]
    ) -> tuple[Node | None, tuple[str, ...], bool]:
        """The node a natural key of ``props`` identifies, that key's parts, and whether
        only a weaker key as written (name + company, name + township) identified it."""
        spec = self.schema.node(kind)
        key_by_parts = dict(zip([k for k in spec.keys if all(props.get(p) not in (None, "") for p in k)], keys))
        variants: dict[str, str] | None = None
        for index, parts in enumerate(spec.keys):
            key = key_by_parts.get(parts)
            if key is None:
                continue
            owner = self._owner_of_key(key)
            if owner is None:
                continue
            node = self._get_node(owner)
            fits = node is not None and not key_conflicts(spec, index, props, node.props)
            if index == 0 or (fits and self._owner_of_key(key + SHARED_KEY) is None):
                if fits:
                    return node, parts, index > 0
                continue
            # The key names another person, or namesakes share it: only a more specific
            # key (with birth year / gender, or this list's own) identifies the row.
            if variants is None:
                variants = discriminated_keys(spec, props) if spec.discriminators else {}
            owner = self._owner_of_key(variants.get(key) or f"{key}{SOURCE_KEY}{canonical(self.source)}")
            found = self._get_node(owner) if owner is not None else None
            if found is not None and not key_conflicts(spec, index, props, found.props):
                return found, parts, False
            if fits and any(
                p not in parts and props.get(p) not in (None, "") and canonical(props[p]) == canonical(node.props.get(p, ""))
                for p in spec.discriminators
            ):
                return node, parts, False  # the first namesake, and the row says so (same birth year…)
        return None, (), False

    def _scoped(self, spec: Any, props: dict[str, Any], keys: list[str]) -> list[str]:
        """The weaker ``keys`` of ``props``, scoped to this batch's list (see :data:`SOURCE_KEY`)."""
        strongest = set(natural_keys(spec, {p: props.get(p) for p in spec.keys[0]}))
        return [f"{k}{SOURCE_KEY}{canonical(self.source)}" for k in keys if k not in strongest]

    def _with_variants(self, spec: Any, props: dict[str, Any], keys: list[str], owner: str | None) -> list[str]:
        """``keys``, plus, for each weaker key another node owns already, its discriminated
        variant and the mark that namesakes share it (:data:`SHARED_KEY`)."""
        if all(self._owner_of_key(k) in (None, owner) for k in keys):
            return keys
        strongest = set(natural_keys(spec, {p: props.get(p) for p in spec.keys[0]}))
        taken = [k for k in keys if k not in strongest and self._owner_of_key(k) not in (None, owner)]
        if not taken:
            return keys
        variants = discriminated_keys(spec, props) if spec.discriminators else {}
        specific = [variants.get(k) or f"{k}{SOURCE_KEY}{canonical(self.source)}" for k in taken]
        return keys + specific + [k + SHARED_KEY for k in taken]

    def _probable(self, kind: str, props: dict[str, Any]) -> Probable | None:
        if self.resolver is None:
            return None
        return self.resolver.probable(self, kind, props)

    def resolve(self, kind: str, props: dict[str, Any]) -> list[Node]:
        """Existing nodes that ``props`` may refer to: by natural key, else by name.

        Several candidates mean the reference is ambiguous; the caller decides. A reference
        entity resolution identified is recorded as a merge (reported, stored).
        """
        found, probable = self.lookup(kind, props)
        if probable is not None:
            self.record_merge(kind, found[0].id, probable)
        return found

    def lookup(self, kind: str, props: dict[str, Any]) -> tuple[list[Node], Probable | None]:
        """What :meth:`resolve` finds, storing nothing: the candidates, and the probable match
        when entity resolution identified the one (the merge to pass to :meth:`record_merge`
        once the caller goes ahead — a loader checks a whole row before it writes)."""
        props = clean_props(props)
        keys = natural_keys(self.schema.node(kind), props)
        node = self._match(kind, props, keys)
        if node is not None:
            return [node], None
        probable = self._probable(kind, props)
        if probable is not None and probable.node is not None:
            return [probable.node], probable
        if not props.get("name"):
            return [], None
        named = self._nodes_named(kind, props["name"])
        if len(named) <= 1:
            return named, None
        narrowed = [
            n
            for n in named
            if all(
                canonical(n.props.get(p, "")) == canonical(v)
                for p, v in props.items()
                if p not in ("name", "roles") and n.props.get(p) not in (None, "")
            )
        ]
        return narrowed or named, None

    def upsert_node(
        self, kind: str, props: dict[str, Any], defaults: dict[str, Any] | None = None
    ) -> Upsert:
        """Create or update the node ``props`` identify.

        ``defaults`` fill properties only where the node has none: a contact list that
        says "this is a company" must not demote a listed company to a plain one.
        """
        spec = self.schema.node(kind)
        props = clean_props(props)
        defaults = {k: v for k, v in clean_props(defaults or {}).items() if k not in props}
        for prop in (*props, *defaults):
            if prop not in spec.properties:
                raise SchemaError(f"{kind} has no property '{prop}'")
        keyed = {**defaults, **props}
        if (too_long := name_problem(spec.label, keyed)) is not None:
            raise InvalidQuery(f"{too_long} (a name is at most {NAME_MAX} characters)")
        keys = natural_keys(spec, keyed)
        if not keys:
            parts = [p for key in spec.keys for p in key if p not in keyed]
            wanted = "、".join(spec.properties[p].label for p in dict.fromkeys(parts))
            raise InvalidQuery(
                f"无法识别这个{spec.label}：请至少再填写{wanted}之一 "
                f"({kind} needs one of its natural keys: {' / '.join('+'.join(k) for k in spec.keys)})"
            )
        existing, via, weak = self._match_key(kind, keyed, keys)
        if (
            weak and self.resolver is not None and not self.resolver.confirm(self, kind, keyed, existing)
            and not any(self._owner_of_key(k) == existing.id for k in self._scoped(spec, keyed, keys))
        ):  # fmt: skip
            existing, via = None, ()  # e.g. a row "马磊，某公司" when two 马磊 work there
        probable = self._probable(kind, keyed) if existing is None else None
        if probable is not None and probable.node is not None:
            existing = self._get_node(probable.node.id) or probable.node
            via = tuple(part for key in spec.keys for part in key)
        if existing is None:
            props = keyed
            new_id = first_id = node_id(spec, keys[0], self.id_key)
            suffix = 2
            while self._get_node(new_id) is not None:
                new_id = f"{first_id}-{suffix}"
                suffix += 1
            node = Node(id=new_id, kind=kind, name=str(props["name"]), props=props)
            claimed = self._with_variants(spec, props, keys, None)
            if probable is not None:  # this list's row is this node, whatever else shares its keys
                claimed += [k for k in self._scoped(spec, props, keys) if k not in claimed]
            self._save_node(node, created=True, keys=claimed)
            self._touch_source(new_id)
            if probable is not None:
                self._queue_reviews(kind, new_id, probable)
            return Upsert(new_id, "created")
        # A match through an alias (a key whose parts differ from the node's values: a
        # 简称, another spelling, a merged node's old key) or a probable match never
        # rewrites what identifies the node; the row's spelling becomes one more key.
        protected = {
            p for p in via
            if p in props and existing.props.get(p) not in (None, "") and canonical(props[p]) != canonical(existing.props[p])
        }  # fmt: skip
        if probable is not None and probable.rename:
            protected.discard("name")
        props = {k: v for k, v in props.items() if k not in protected}
        props = {**{k: v for k, v in defaults.items() if k not in existing.props}, **props}
        if probable is not None and "merged_from" in spec.properties:
            props["merged_from"] = [self._merge_note(probable)]
        merged, changed = merge_props(existing.props, props)
        if changed and _renamed(kind, str(existing.props["name"]), str(merged["name"])):
            by = "、".join(spec.properties[p].label for p in via if p != "name") or "键"
            self.notices.append(
                f"本行的{by}与已有{spec.label}「{existing.props['name']}」相同，按同一{spec.label}处理并改名为"
                f"「{merged['name']}」；若不是同一{spec.label}，请核对{by}"
            )
        if changed:
            existing.props = merged
            existing.name = str(merged["name"])
        merged_keys = natural_keys(spec, merged) if changed else natural_keys(spec, existing.props)
        wanted = merged_keys + [k for k in keys if k not in merged_keys]
        wanted = self._with_variants(spec, merged, wanted, existing.id)
        if probable is not None:
            wanted += self._scoped(spec, keyed, keys)
        fresh_keys = [k for k in wanted if self._owner_of_key(k) is None]
        if changed or fresh_keys:
            self._save_node(existing, created=False, keys=fresh_keys)
        new_source = self._touch_source(existing.id)
        if probable is not None:
            self.record_merge(kind, existing.id, probable)
        return Upsert(existing.id, status_of(False, changed, new_source))

    def _where(self) -> str:
        return f"{self.source}" + (f" 第 {self.line} 行" if self.line is not None else "")

    def _merge_note(self, probable: Probable) -> str:
        return f"{self._where()}「{probable.summary}」：{'；'.join(probable.evidence)}（得分 {probable.score:.2f}）"

    def record_merge(self, kind: str, target: str, probable: Probable) -> None:
        """Store (and so report) that this row was merged into ``target`` by entity resolution."""
        item = ReviewItem(
            id=review_id("mg", target, self.source, str(self.line), probable.summary),
            kind=kind, node_id=target, other_id=None, score=round(probable.score, 4),
            evidence=list(probable.evidence), status="merged", source=self.source, line=self.line,
            summary=probable.summary, created_at=self.now, decided_at=self.now,
        )  # fmt: skip
        self.add_review_item(item)

    def _queue_reviews(self, kind: str, new_id: str, probable: Probable) -> None:
        for candidate, score, evidence in probable.review:
            item = ReviewItem(
                id=review_id("rv", *sorted((new_id, candidate.id))),
                kind=kind, node_id=new_id, other_id=candidate.id, score=round(score, 4),
                evidence=list(evidence), status="pending", source=self.source, line=self.line,
                summary=probable.summary, created_at=self.now,
            )  # fmt: skip
            self.add_review_item(item)

    def upsert_edge(self, kind: str, src: str, dst: str, props: dict[str, Any] | None = None) -> Upsert:
        spec = self.schema.edge(kind)
        props = clean_props(props or {})
        for prop in props:
            if prop not in spec.properties:
                raise SchemaError(f"{kind} has no property '{prop}'")
        for end, allowed in ((src, spec.from_), (dst, spec.to)):
            end_kind = self.schema.kind_of_id(end)
            if end_kind not in allowed:
                raise InvalidQuery(f"{kind} cannot join a {end_kind} here (allowed: {', '.join(allowed)})")
        if src == dst:
            raise InvalidQuery(f"{kind} cannot join a node to itself")
        for end in (src, dst):
            if self._get_node(end) is None:
                raise NotFound(f"关系的端点 {end} 不在图中 ({kind} end is not in the graph)", id=end)
        new_id = edge_id(spec, src, dst, props)
        existing = self._get_edge(new_id, src, dst)
        if existing is None:
            self._save_edge(Edge(new_id, kind, src, dst, props), created=True)
            self._touch_source(new_id)
            return Upsert(new_id, "created")
        merged, changed = merge_props(existing.props, props)
        if changed:
            existing.props = merged
            self._save_edge(existing, created=False)
        new_source = self._touch_source(new_id)
        return Upsert(new_id, status_of(False, changed, new_source))


class GraphStore(abc.ABC):
    """A durable property graph of the declared schema."""

    schema: Schema

    @abc.abstractmethod
    def batch(self, source: str) -> AbstractContextManager[WriteBatch]:
        """A write batch committed atomically on exit, rolled back on error."""

    @abc.abstractmethod
    def get_node(self, node_id: str) -> Node | None: ...

    @abc.abstractmethod
    def get_edge(self, edge_id: str) -> Edge | None: ...

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        """The nodes of ``node_ids`` that exist, by id, with sources: in one read on a
        server store (explaining a path reads all its nodes at once)."""
        found = {}
        for node_id in dict.fromkeys(node_ids):
            node = self.get_node(node_id)
            if node is not None:
                found[node_id] = node
        return found

    def get_edges(self, edge_ids: Iterable[str]) -> dict[str, Edge]:
        """The edges of ``edge_ids`` that exist, by id, with sources (see :meth:`get_nodes`)."""
        found = {}
        for edge_id in dict.fromkeys(edge_ids):
            edge = self.get_edge(edge_id)
            if edge is not None:
                found[edge_id] = edge
        return found

    @abc.abstractmethod
    def neighbours(
        self, node_id: str, *, edge_kinds: frozenset[str] | None = None, limit: int = 500
    ) -> tuple[list[Neighbour], bool]:
        """Edges at a node with the node at their other end, and whether ``limit`` cut them."""

    @abc.abstractmethod
    def nodes_named(self, kind: str, name: str) -> list[Node]:
        """Nodes of ``kind`` whose canonical name equals ``name``'s, in id order."""

    @abc.abstractmethod
    def search(self, query: str, *, kinds: frozenset[str] | None = None, limit: int = 20) -> list[SearchHit]: ...

    @abc.abstractmethod
    def iter_nodes(self, kind: str | None = None) -> Iterator[Node]: ...

    @abc.abstractmethod
    def iter_edges(self, kind: str | None = None) -> Iterator[Edge]: ...

    @abc.abstractmethod
    def counts(self) -> dict[str, dict[str, int]]:
        """``{"nodes": {kind: n}, "edges": {kind: n}}``."""

    @abc.abstractmethod
    def node_keys(self, node_ids: Iterable[str]) -> dict[str, list[str]]:
        """The natural keys each node owns, sorted; nodes without keys are left out."""

    @abc.abstractmethod
    def restore(self, nodes: Iterable[Node], edges: Iterable[Edge], keys: Iterable[tuple[str, str]]) -> None:
        """Write nodes, edges and ``(key, node_id)`` pairs exactly as given, in one transaction.

        Sources and their timestamps are kept as they are, not stamped anew; an item
        with an existing id is replaced. This is how a graph moves between backends
        (:mod:`leadgraph.graph.transfer`), not how lists are loaded.
        """

    @abc.abstractmethod
    def close(self) -> None: ...

    # -- entity resolution: review queue and merges ------------------------------------
    @abc.abstractmethod
    def review_items(self, status: str | None = "pending") -> list[ReviewItem]:
        """Review items (all when ``status`` is None), oldest batch first, then in list-line order."""

    @abc.abstractmethod
    def get_review_item(self, item_id: str) -> ReviewItem | None: ...

    @abc.abstractmethod
    def merged_into(self, node_id: str) -> str | None:
        """The node a merged-away node now lives in, or None when it was never merged away."""

    @abc.abstractmethod
    def iter_redirects(self) -> Iterator[tuple[str, str]]:
        """Every merged-away node as ``(old_id, new_id)``, in ``old_id`` order."""

    @abc.abstractmethod
    def restore_review_state(self, items: Iterable[ReviewItem], redirects: Iterable[tuple[str, str]]) -> None:
        """Write review items and ``(old_id, new_id)`` redirects exactly as given, in one transaction.

        Statuses and decision times are kept as they are; an item (or redirect) whose id
        (``old_id``) exists is replaced. The review-state half of :meth:`restore`: how
        decisions move between backends (:mod:`leadgraph.graph.transfer`).
        """

    @abc.abstractmethod
    def merge_nodes(self, keep: str, drop: str, *, note: str | None = None, review: str | None = None) -> Node:
        """Merge node ``drop`` into ``keep`` in one transaction, by :func:`~.merge.plan_merge`.

        Edges are re-pointed, sources, keys, properties and roles unioned; ``drop``'s keys
        point at ``keep`` from now on and ``drop`` redirects to it. ``review`` names the
        review item this merge decides (marked accepted in the same transaction).
        """

    @abc.abstractmethod
    def _record_decision(self, item_id: str, status: str, at: str) -> None:
        """Set a review item's status and decision time."""

    def review_item(self, item_id: str) -> ReviewItem:
        item = self.get_review_item(item_id)
        if item is None:
            raise NotFound(f"没有编号为 {item_id} 的审核项 (no review item with this id)", id=item_id)
        return item

    def add_review_item(self, item: ReviewItem) -> bool:
        """Store one review item (its own batch); False when its id is taken."""
        with self.batch(item.source) as batch:
            return batch.add_review_item(item)

    def current_id(self, node_id: str) -> str:
        """``node_id``, or the node it was merged into."""
        return self.merged_into(node_id) or node_id

    def decide(self, item_id: str, decision: Literal["accept", "reject"]) -> ReviewItem:
        """Accept (merge the pair, keeping the older node) or reject (they differ) a review item.

        Every decision is stored. A rejected pair is never merged afterwards, an accepted
        merge never split: the merged-away node's keys point at the kept node.
        """
        item = self.review_item(item_id)
        if decision not in ("accept", "reject"):
            raise InvalidQuery(f"审核结论只能是 accept 或 reject，不是「{decision}」")
        if item.status != "pending":
            raise InvalidQuery(
                f"审核项 {item_id} 已处理：{REVIEW_STATUS_LABELS[item.status]} (review item already decided: {item.status})",
                id=item_id,
                status=item.status,
            )
        now = utc_now()
        if decision == "reject":
            self._record_decision(item_id, "rejected", now)
            return self.review_item(item_id)
        keep, drop = self.current_id(item.other_id or item.node_id), self.current_id(item.node_id)
        if keep == drop:
            self._record_decision(item_id, "accepted", now)
        else:
            if self.rejected_between(keep, drop):
                raise InvalidQuery(
                    f"这两个节点已被确认为不同的{self.schema.node(item.kind).label}，不能合并：{keep}、{drop}",
                    keep=keep,
                    drop=drop,
                )
            note = f"人工审核 {item_id} 确认「{item.summary}」为同一{self.schema.node(item.kind).label}，合并了 {drop}"
            self.merge_nodes(keep, drop, note=note, review=item_id)
        return self.review_item(item_id)

    def rejected_between(self, a: str, b: str) -> bool:
        """Whether a person decided that the nodes ``a`` and ``b`` (as merged now) differ."""
        return frozenset((self.current_id(a), self.current_id(b))) in self.rejected_pairs()

    def rejected_pairs(self) -> set[frozenset[str]]:
        """Every pair of nodes (as merged now) a person decided differ: read once, for many questions."""
        return {
            frozenset((self.current_id(i.node_id), self.current_id(i.other_id or "")))
            for i in self.review_items("rejected")
        }

    # -- conveniences built on the primitives ------------------------------------------
    def node(self, node_id: str) -> Node:
        node = self.get_node(node_id)
        if node is None:
            raise NotFound(f"没有找到节点 {node_id} (no node with this id)", id=node_id)
        return node

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
