"""Response models of the API (the public shapes, documented in OpenAPI)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "SourcePublic",
    "NodePublic",
    "NeighbourPublic",
    "NodeWithNeighbours",
    "SearchHitPublic",
    "Health",
    "NodeRef",
    "HopPublic",
    "WeakestHop",
    "PathPublic",
    "DecisionMakerPublic",
    "PathTarget",
    "PathsPublic",
]


class SourcePublic(BaseModel):
    source: str
    first_seen: str
    last_seen: str


class NodePublic(BaseModel):
    id: str
    kind: str
    name: str
    props: dict[str, Any]
    sources: list[SourcePublic]


class NeighbourPublic(BaseModel):
    edge_id: str
    relation: str
    relation_label: str
    direction: str
    props: dict[str, Any]
    sources: list[SourcePublic]
    node: NodePublic


class NodeWithNeighbours(NodePublic):
    neighbours: list[NeighbourPublic]
    neighbours_truncated: bool


class SearchHitPublic(BaseModel):
    id: str
    kind: str
    name: str
    matched: str
    score: int
    detail: dict[str, Any]


class Health(BaseModel):
    status: str
    backend: str
    nodes: int
    edges: int


# -- referral paths (GET /api/paths; documented in docs/api.md) -------------------------


class NodeRef(BaseModel):
    id: str
    name: str
    kind: str
    title: str | None = None


class HopPublic(BaseModel):
    from_: NodeRef = Field(alias="from")
    to: NodeRef
    relation: str
    relation_label: str
    strength: float
    explanation: str
    sources: list[str]
    edge_id: str

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class WeakestHop(BaseModel):
    index: int
    from_: NodeRef = Field(alias="from")
    to: NodeRef
    relation: str
    strength: float
    explanation: str

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class PathPublic(BaseModel):
    score: float
    hops: list[HopPublic]
    weakest: WeakestHop | None
    start: NodeRef
    end: NodeRef
    decision_maker_role: str | None
    explanation: str


class DecisionMakerPublic(NodeRef):
    basis: str


class PathTarget(NodeRef):
    query: str
    decision_makers: list[DecisionMakerPublic]
    note: str | None = None


class PathsPublic(BaseModel):
    target: PathTarget
    from_: list[dict[str, Any]] = Field(alias="from")
    as_of: str
    paths: list[PathPublic]
    truncated: bool
    stats: dict[str, Any]

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)
