"""The review queue and node merges on Neo4j (see :mod:`leadgraph.graph.merge`).

Review items are ``(:_Review {id, kind, node_id, other_id, score, evidence, status,
source, line, summary, created_at, decided_at})`` nodes; a merged-away node leaves a
``(:_Redirect {old_id, new_id})``. Neither label is a schema kind, so node listings,
counts and searches never see them. Values only ever travel as parameters; labels and
types come from the schema through :func:`~.neo4j_layout.label` / ``rel_type``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from neo4j import ManagedTransaction

from leadgraph.errors import NotFound
from leadgraph.graph.merge import plan_merge
from leadgraph.graph.model import Edge, Node, ReviewItem
from leadgraph.graph.neo4j_layout import (
    KEY_LABEL,
    edge_by_id_query,
    edge_from_record,
    edge_record,
    label,
    node_from_record,
    node_record,
    rel_type,
)
from leadgraph.graph.store import utc_now
from leadgraph.schema import Schema

if TYPE_CHECKING:
    from leadgraph.graph.neo4j_store import Neo4jStore

__all__ = [
    "REVIEW_LABEL",
    "REDIRECT_LABEL",
    "REVIEW_STATEMENTS",
    "review_from_record",
    "write_review_items",
    "review_items",
    "get_review_item",
    "merged_into",
    "restore_review_state",
    "REDIRECTS_PAGE",
    "record_decision",
    "merge_nodes",
]

REVIEW_LABEL = "_Review"
REDIRECT_LABEL = "_Redirect"

# Query texts over the fixed internal labels; every value is a parameter.
_CREATE_REVIEWS = f"UNWIND $rows AS row CREATE (r:`{REVIEW_LABEL}`) SET r = row"
_REPOINT_KEYS = f"MATCH (k:`{KEY_LABEL}` {{node_id: $drop}}) SET k.node_id = $keep"
_FORWARD_REDIRECTS = f"MATCH (r:`{REDIRECT_LABEL}` {{new_id: $drop}}) SET r.new_id = $keep"
_ADD_REDIRECT = f"MERGE (r:`{REDIRECT_LABEL}` {{old_id: $drop}}) SET r.new_id = $keep"
_RESTORE_REVIEWS = f"UNWIND $rows AS row MERGE (r:`{REVIEW_LABEL}` {{id: row.id}}) SET r = row"
_RESTORE_REDIRECTS = f"UNWIND $rows AS row MERGE (r:`{REDIRECT_LABEL}` {{old_id: row.old_id}}) SET r.new_id = row.new_id"
REDIRECTS_PAGE = (  # for Neo4jStore._paged: one page of redirects after $after, in old_id order
    f"MATCH (r:`{REDIRECT_LABEL}`) WHERE r.old_id > $after "
    "RETURN r.old_id AS id, r.new_id AS new_id ORDER BY r.old_id LIMIT $page"
)
REVIEW_STATEMENTS = [
    ("leadgraph_review_id", f"CREATE CONSTRAINT `leadgraph_review_id` IF NOT EXISTS FOR (r:`{REVIEW_LABEL}`) REQUIRE r.id IS UNIQUE"),
    ("leadgraph_review_status", f"CREATE INDEX `leadgraph_review_status` IF NOT EXISTS FOR (r:`{REVIEW_LABEL}`) ON (r.status)"),
    ("leadgraph_redirect_old", f"CREATE CONSTRAINT `leadgraph_redirect_old` IF NOT EXISTS FOR (r:`{REDIRECT_LABEL}`) REQUIRE r.old_id IS UNIQUE"),
]
_FIELDS = ("id", "kind", "node_id", "other_id", "score", "evidence", "status", "source", "line", "summary",
           "created_at", "decided_at")  # fmt: skip


def review_from_record(raw: dict[str, Any]) -> ReviewItem:
    values = {name: raw.get(name) for name in _FIELDS}
    values["evidence"] = list(values["evidence"] or [])
    return ReviewItem(**values)


def write_review_items(tx: ManagedTransaction, items: list[ReviewItem]) -> None:
    if items:
        tx.run(_CREATE_REVIEWS, rows=[i.to_dict() for i in items]).consume()


def review_items(store: "Neo4jStore", status: str | None) -> list[ReviewItem]:
    rows = store._query(
        f"MATCH (r:`{REVIEW_LABEL}`) WHERE $status IS NULL OR r.status = $status "
        "RETURN properties(r) AS p ORDER BY r.created_at, coalesce(r.line, 0), r.id",  # as the embedded store
        status=status,
    )
    return [review_from_record(row["p"]) for row in rows]


def get_review_item(store: "Neo4jStore", item_id: str) -> ReviewItem | None:
    rows = store._query(f"MATCH (r:`{REVIEW_LABEL}` {{id: $id}}) RETURN properties(r) AS p", id=item_id)
    return review_from_record(rows[0]["p"]) if rows else None


def merged_into(store: "Neo4jStore", node_id: str) -> str | None:
    rows = store._query(f"MATCH (r:`{REDIRECT_LABEL}` {{old_id: $id}}) RETURN r.new_id AS new_id", id=node_id)
    return rows[0]["new_id"] if rows else None


def restore_review_state(store: "Neo4jStore", items: list[ReviewItem], redirects: list[tuple[str, str]]) -> None:
    """Write review items and redirects as given, in one write transaction (same ids replaced).

    An item's properties are its fields, as a batch creates them (a ``None`` field is no
    property); a redirect is ``{old_id, new_id}``, as :func:`merge_nodes` leaves it.
    """
    reviews = [item.to_dict() for item in items]
    moved = [{"old_id": old_id, "new_id": new_id} for old_id, new_id in redirects]

    def work(tx: ManagedTransaction) -> None:
        if reviews:
            tx.run(_RESTORE_REVIEWS, rows=reviews).consume()
        if moved:
            tx.run(_RESTORE_REDIRECTS, rows=moved).consume()

    if reviews or moved:
        store._write(work)


def _record(tx: ManagedTransaction, item_id: str, status: str, at: str) -> None:
    tx.run(
        f"MATCH (r:`{REVIEW_LABEL}` {{id: $id}}) SET r.status = $status, r.decided_at = $at", id=item_id, status=status, at=at
    ).consume()


def record_decision(store: "Neo4jStore", item_id: str, status: str, at: str) -> None:
    store._write(lambda tx: _record(tx, item_id, status, at))


def _read_node(tx: ManagedTransaction, schema: Schema, node_id: str) -> Node:
    try:
        node_label = label(schema, schema.kind_of_id(node_id))
    except Exception:
        node_label = None
    query = f"MATCH (n:{node_label} {{id: $id}}) RETURN properties(n) AS p"  # label from the schema
    record = tx.run(query, id=node_id).single() if node_label else None
    if record is None:
        raise NotFound(f"没有找到节点 {node_id} (no node with this id)", id=node_id)
    return node_from_record(schema, record["p"])


def merge_nodes(store: "Neo4jStore", keep: str, drop: str, *, note: str | None, review: str | None) -> None:
    """Merge ``drop`` into ``keep`` in one write transaction (rerun whole on a transient error)."""
    schema = store.schema

    def work(tx: ManagedTransaction) -> None:
        keep_node, drop_node = _read_node(tx, schema, keep), _read_node(tx, schema, drop)
        drop_edges = [
            edge_from_record(row["kind"], row["src"], row["dst"], row["p"])
            for row in tx.run(
                f"MATCH (n:{label(schema, drop_node.kind)} {{id: $id}})-[r]-() "
                "RETURN type(r) AS kind, properties(r) AS p, startNode(r).id AS src, endNode(r).id AS dst "
                "ORDER BY r.id",
                id=drop,
            )
        ]

        def existing_edge(edge_id: str) -> Edge | None:
            row = tx.run(edge_by_id_query(schema), id=edge_id).single()
            return edge_from_record(row["kind"], row["src"], row["dst"], row["p"]) if row else None

        plan = plan_merge(schema, keep_node, drop_node, drop_edges, existing_edge, note=note)
        node_label = label(schema, keep_node.kind)
        tx.run(_REPOINT_KEYS, drop=drop, keep=keep).consume()
        # Every edge in plan.delete_edges is an edge of ``drop``: DETACH DELETE removes them.
        delete_drop = f"MATCH (n:{node_label} {{id: $drop}}) DETACH DELETE n"  # label from the schema
        tx.run(delete_drop, drop=drop).consume()
        tx.run(
            f"MATCH (n:{node_label} {{id: $keep}}) SET n = $map", keep=keep, map=node_record(plan.node, plan.node.sources)
        ).consume()
        for edge in plan.write_edges.values():
            tx.run(
                f"MATCH (a:{label(schema, schema.kind_of_id(edge.src))} {{id: $src}}) "
                f"MATCH (b:{label(schema, schema.kind_of_id(edge.dst))} {{id: $dst}}) "
                f"MERGE (a)-[r:{rel_type(schema, edge.kind)} {{id: $id}}]->(b) SET r = $map",
                src=edge.src, dst=edge.dst, id=edge.id, map=edge_record(edge, edge.sources),
            ).consume()  # fmt: skip
        tx.run(_FORWARD_REDIRECTS, drop=drop, keep=keep).consume()
        tx.run(_ADD_REDIRECT, drop=drop, keep=keep).consume()
        if review is not None:
            _record(tx, review, "accepted", utc_now())

    store._write(work)
