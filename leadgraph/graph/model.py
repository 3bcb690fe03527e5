"""Plain records that every store returns: nodes, edges, sources, search hits.

Stores differ in how they keep the graph; they agree on these shapes, which is what
lets one test body and one scoring code path serve both backends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Source",
    "Node",
    "Edge",
    "Neighbour",
    "SearchHit",
    "Upsert",
    "UpsertStatus",
    "ReviewItem",
    "ReviewStatus",
    "REVIEW_STATUS_LABELS",
]

UpsertStatus = Literal["created", "updated", "unchanged"]
ReviewStatus = Literal["pending", "accepted", "rejected", "merged"]
REVIEW_STATUS_LABELS: dict[str, str] = {"pending": "待审核", "accepted": "已合并（人工）", "rejected": "已确认不同", "merged": "已自动合并"}


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


@dataclass
class ReviewItem:
    """One entity-resolution decision: a probable duplicate to review, or a merge made.

    ``pending`` — a row scored in the grey zone against ``other_id``: it was loaded as
    its own node ``node_id`` and waits for a person to ``accept`` (merge the two) or
    ``reject`` (they are different). ``merged`` — a row scored above the merge threshold
    and was loaded into ``node_id``; ``other_id`` is empty. ``evidence`` holds the
    Chinese reasons, ``summary`` the row as the list wrote it.
    """

    id: str
    kind: str
    node_id: str
    other_id: str | None
    score: float
    evidence: list[str]
    status: ReviewStatus
    source: str
    line: int | None
    summary: str
    created_at: str
    decided_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)
