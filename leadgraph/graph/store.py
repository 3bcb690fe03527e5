"""The one interface every graph backend implements, and the upsert rules they share.

A backend supplies storage primitives (look up a key, load and save a node or edge,
record a source); :class:`WriteBatch` holds the rules — natural-key matching, conflict
checks, merging, source bookkeeping — so both backends decide identically.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from typing import Any

from leadgraph.errors import InvalidQuery, NotFound, SchemaError
from leadgraph.graph.identity import (
    canonical,
    clean_props,
    edge_id,
    key_conflicts,
    merge_props,
    natural_keys,
    node_id,
    status_of,
)
from leadgraph.graph.model import Edge, Neighbour, Node, SearchHit, Upsert
from leadgraph.schema import Schema

__all__ = ["GraphStore", "WriteBatch", "utc_now"]


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class WriteBatch(abc.ABC):
    """One batch of writes from one source; a backend commits it atomically."""

    def __init__(self, schema: Schema, source: str, now: str | None = None) -> None:
        if not source:
            raise InvalidQuery("every write needs a source (the list or user that states it)")
        self.schema = schema
        self.source = source
        self.now = now or utc_now()

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
    def _get_edge(self, edge_id: str) -> Edge | None: ...

    @abc.abstractmethod
    def _save_edge(self, edge: Edge, *, created: bool) -> None: ...

    @abc.abstractmethod
    def _touch_source(self, item_id: str) -> bool:
        """Record that this batch's source states the item; True when the source is new."""

    # -- shared rules -------------------------------------------------------------------
    def _match(self, kind: str, props: dict[str, Any], keys: list[str]) -> Node | None:
        spec = self.schema.node(kind)
        key_by_parts = dict(zip([k for k in spec.keys if all(props.get(p) not in (None, "") for p in k)], keys))
        for index, parts in enumerate(spec.keys):
            key = key_by_parts.get(parts)
            if key is None:
                continue
            owner = self._owner_of_key(key)
            if owner is None:
                continue
            node = self._get_node(owner)
            if node is not None and not key_conflicts(spec, index, props, node.props):
                return node
        return None

    def resolve(self, kind: str, props: dict[str, Any]) -> list[Node]:
        """Existing nodes that ``props`` may refer to: by natural key, else by name.

        Several candidates mean the reference is ambiguous; the caller decides.
        """
        props = clean_props(props)
        keys = natural_keys(self.schema.node(kind), props)
        node = self._match(kind, props, keys)
        if node is not None:
            return [node]
        if not props.get("name"):
            return []
        named = self._nodes_named(kind, props["name"])
        if len(named) <= 1:
            return named
        narrowed = [
            n
            for n in named
            if all(
                canonical(n.props.get(p, "")) == canonical(v)
                for p, v in props.items()
                if p not in ("name", "roles") and n.props.get(p) not in (None, "")
            )
        ]
        return narrowed or named

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
        keys = natural_keys(spec, keyed)
        if not keys:
            raise InvalidQuery(f"{kind} needs {' + '.join(spec.keys[-1])} to be identified")
        existing = self._match(kind, keyed, keys)
        if existing is None:
            props = keyed
            new_id = node_id(spec, keys[0])
            suffix = 2
            while self._get_node(new_id) is not None:
                new_id = f"{node_id(spec, keys[0])}-{suffix}"
                suffix += 1
            node = Node(id=new_id, kind=kind, name=str(props["name"]), props=props)
            self._save_node(node, created=True, keys=keys)
            self._touch_source(new_id)
            return Upsert(new_id, "created")
        props = {**{k: v for k, v in defaults.items() if k not in existing.props}, **props}
        merged, changed = merge_props(existing.props, props)
        if changed:
            existing.props = merged
            existing.name = str(merged["name"])
        fresh_keys = [k for k in natural_keys(spec, merged) if self._owner_of_key(k) is None]
        if changed or fresh_keys:
            self._save_node(existing, created=False, keys=fresh_keys)
        new_source = self._touch_source(existing.id)
        return Upsert(existing.id, status_of(False, changed, new_source))

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
        new_id = edge_id(spec, src, dst, props)
        existing = self._get_edge(new_id)
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
    def close(self) -> None: ...

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
