"""One person or organisation with its neighbours."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from leadgraph.api.deps import SettingsDep, StoreDep
from leadgraph.api.models import NeighbourPublic, NodePublic, NodeWithNeighbours, SourcePublic
from leadgraph.errors import NotFound
from leadgraph.graph import GraphStore, Node
from leadgraph.privacy import mask_props

router = APIRouter(tags=["nodes"])

LimitQuery = Annotated[int, Query(ge=1, le=2000, description="最多返回的关系数")]


def _public(store: GraphStore, node: Node, role: str) -> NodePublic:
    return NodePublic(
        id=node.id,
        kind=node.kind,
        name=node.name,
        props=mask_props(store.schema, node.kind, node.props, role),
        sources=[SourcePublic(**s.__dict__) for s in node.sources],
    )


def _with_neighbours(store: GraphStore, node_id: str, kind: str, role: str, limit: int) -> NodeWithNeighbours:
    node = store.get_node(node_id)
    if node is None or node.kind != kind:
        label = store.schema.node(kind).label
        raise NotFound(f"没有找到{label} {node_id} (no {kind} with this id)", id=node_id)
    neighbours, truncated = store.neighbours(node_id, limit=limit)
    return NodeWithNeighbours(
        **_public(store, node, role).model_dump(),
        neighbours=[
            NeighbourPublic(
                edge_id=n.edge.id,
                relation=n.edge.kind,
                relation_label=store.schema.edge(n.edge.kind).label,
                direction=n.direction,
                props=n.edge.props,
                sources=[SourcePublic(**s.__dict__) for s in n.edge.sources],
                node=_public(store, n.node, role),
            )
            for n in neighbours
        ],
        neighbours_truncated=truncated,
    )


@router.get("/people/{node_id}", response_model=NodeWithNeighbours)
def get_person(node_id: str, store: StoreDep, settings: SettingsDep, limit: LimitQuery = 200) -> NodeWithNeighbours:
    """一个人员及其关系（手机号按角色脱敏）。"""
    return _with_neighbours(store, node_id, "Person", settings.role, limit)


@router.get("/orgs/{node_id}", response_model=NodeWithNeighbours)
def get_org(node_id: str, store: StoreDep, settings: SettingsDep, limit: LimitQuery = 200) -> NodeWithNeighbours:
    """一个机构及其关系。"""
    return _with_neighbours(store, node_id, "Organization", settings.role, limit)


@router.get("/nodes/{node_id}/graph", response_class=HTMLResponse)
def get_node_graph(node_id: str, store: StoreDep, settings: SettingsDep, limit: LimitQuery = 200) -> HTMLResponse:
    """一个节点的关系网络图（离线可用的交互页面）。"""
    from leadgraph.viz import neighbourhood_html

    return HTMLResponse(neighbourhood_html(store, node_id, role=settings.role, limit=limit))
