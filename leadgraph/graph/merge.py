"""Merging two nodes that turned out to be one: the rule every backend applies.

:func:`plan_merge` decides, from what a backend read inside its transaction, what the
merged graph looks like; the backend then writes the plan in that same transaction.
Both backends therefore merge identically:

- the kept node keeps its own values; the dropped node only fills what it lacks;
  list properties (roles, merge evidence) are unioned;
- sources are unioned per list (earliest first seen, latest last seen);
- every edge of the dropped node is re-pointed at the kept node (its id is recomputed
  from the new ends); an edge the kept node already has is merged into it; an edge
  between the two nodes disappears;
- the dropped node's natural keys point at the kept node from now on, so a later
  import of either list finds the kept node and never splits it again.

Examples
--------
>>> from leadgraph.schema import default_schema
>>> keep = Node("per:a", "Person", "张伟", {"name": "张伟", "mobile": "13800000001"})
>>> drop = Node("per:b", "Person", "张伟", {"name": "张伟", "township": "青石镇", "mobile": "13900000002"})
>>> plan = plan_merge(default_schema(), keep, drop, [], lambda edge_id: None, note="人工确认")
>>> plan.node.props["mobile"], plan.node.props["township"], plan.node.props["merged_from"]
('13800000001', '青石镇', ['人工确认'])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from leadgraph.errors import InvalidQuery
from leadgraph.graph.identity import edge_id
from leadgraph.graph.model import Edge, Node, Source
from leadgraph.schema import Schema

__all__ = ["MergePlan", "plan_merge", "union_sources", "fill_props"]


@dataclass
class MergePlan:
    """What a merge writes: the kept node, edges to write, ids to delete."""

    node: Node
    drop_id: str
    write_edges: dict[str, Edge] = field(default_factory=dict)
    delete_edges: list[str] = field(default_factory=list)


def union_sources(*groups: Iterable[Source]) -> list[Source]:
    """One source per list: the earliest first-seen and the latest last-seen."""
    merged: dict[str, Source] = {}
    for group in groups:
        for s in group:
            old = merged.get(s.source)
            merged[s.source] = (
                s if old is None else Source(s.source, min(old.first_seen, s.first_seen), max(old.last_seen, s.last_seen))
            )
    return sorted(merged.values(), key=lambda s: (s.first_seen, s.source))


def fill_props(keep: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """``keep``'s values win; ``other`` fills the gaps; lists are unioned in order."""
    merged = dict(keep)
    for key, value in other.items():
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            current = list(merged.get(key) or [])
            merged[key] = current + [v for v in value if v not in current]
        elif merged.get(key) in (None, ""):
            merged[key] = value
    return merged


def plan_merge(
    schema: Schema,
    keep: Node,
    drop: Node,
    drop_edges: Iterable[Edge],
    existing_edge: Callable[[str], Edge | None],
    *,
    note: str | None = None,
) -> MergePlan:
    """Plan merging ``drop`` into ``keep``.

    ``drop_edges`` are every edge at ``drop`` (with sources); ``existing_edge`` looks an
    edge up by id as the store holds it now (with sources). ``note`` is added to the
    kept node's ``merged_from`` evidence.
    """
    if keep.id == drop.id:
        raise InvalidQuery(f"不能把节点与自身合并：{keep.id} (cannot merge a node with itself)")
    if keep.kind != drop.kind:
        raise InvalidQuery(
            f"只能合并同类节点：{keep.id} 是 {keep.kind}，{drop.id} 是 {drop.kind} (cannot merge nodes of two kinds)"
        )
    props = fill_props(keep.props, drop.props)
    if note and "merged_from" in schema.node(keep.kind).properties:
        history = list(props.get("merged_from") or [])
        if note not in history:
            props["merged_from"] = history + [note]
    node = Node(keep.id, keep.kind, str(props.get("name", keep.name)), props, union_sources(keep.sources, drop.sources))
    plan = MergePlan(node, drop.id)
    for edge in drop_edges:
        plan.delete_edges.append(edge.id)
        src = keep.id if edge.src == drop.id else edge.src
        dst = keep.id if edge.dst == drop.id else edge.dst
        if src == dst:
            continue  # a tie between the two halves of one node
        new_id = edge_id(schema.edge(edge.kind), src, dst, edge.props)
        target = plan.write_edges.get(new_id) or existing_edge(new_id)
        if target is None or target.id in plan.delete_edges:
            plan.write_edges[new_id] = Edge(new_id, edge.kind, src, dst, dict(edge.props), list(edge.sources))
        else:
            plan.write_edges[new_id] = Edge(
                new_id, target.kind, target.src, target.dst, fill_props(target.props, edge.props),
                union_sources(target.sources, edge.sources),
            )
    plan.delete_edges = [e for e in plan.delete_edges if e not in plan.write_edges]
    return plan
