"""Response models of the API (the public shapes, documented in OpenAPI)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

__all__ = ["SourcePublic", "NodePublic", "NeighbourPublic", "NodeWithNeighbours", "SearchHitPublic", "Health"]


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
