"""Plain records that every store returns: nodes, edges, sources, search hits.

Stores differ in how they keep the graph; they agree on these shapes, which is what
lets one test body and one scoring code path serve both backends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Source", "Node", "Edge", "Neighbour", "SearchHit", "Upsert", "UpsertStatus"]

UpsertStatus = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class Source:
    """One list (or user) that stated a fact, and when it first and last did."""

    source: str
    first_seen: str
    last_seen: str


@dataclass
class Node:
    id: str
    kind: str
    name: str
    props: dict[str, Any]
    sources: list[Source] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "props": self.props,
            "sources": [s.__dict__ for s in self.sources],
        }

    @property
    def roles(self) -> list[str]:
        return list(self.props.get("roles") or [])


@dataclass
class Edge:
    id: str
    kind: str
    src: str
    dst: str
    props: dict[str, Any]
    sources: list[Source] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "src": self.src,
            "dst": self.dst,
            "props": self.props,
            "sources": [s.__dict__ for s in self.sources],
        }


@dataclass(frozen=True)
class Neighbour:
    """An edge seen from one of its ends: ``direction`` is 'out' when the node is ``src``."""

    edge: Edge
    node: Node
    direction: Literal["out", "in"]


@dataclass(frozen=True)
class SearchHit:
    id: str
    kind: str
    name: str
    matched: str
    score: int
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "matched": self.matched,
            "score": self.score,
            **self.detail,
        }


@dataclass(frozen=True)
class Upsert:
    id: str
    status: UpsertStatus
