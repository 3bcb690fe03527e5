"""The graph: schema-driven stores and the algorithms that run over them."""

from __future__ import annotations

from leadgraph.graph.embedded import EmbeddedStore
from leadgraph.graph.model import Edge, Neighbour, Node, SearchHit, Source, Upsert
from leadgraph.graph.store import GraphStore, WriteBatch
from leadgraph.settings import Settings

__all__ = [
    "GraphStore",
    "WriteBatch",
    "EmbeddedStore",
    "Node",
    "Edge",
    "Neighbour",
    "SearchHit",
    "Source",
    "Upsert",
    "open_store",
]


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name. Neo4j is imported only when asked for."""
    if settings.backend == "neo4j":
        from leadgraph.graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_settings(settings)
    return EmbeddedStore(settings.db)
