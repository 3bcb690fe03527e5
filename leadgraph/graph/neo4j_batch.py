"""A write batch on Neo4j: reads as it goes, writes everything in one transaction at the end.

The shared rules in :class:`~leadgraph.graph.store.WriteBatch` read while they decide
(who owns this key? is this node known?). Those reads run as small read transactions
and see the batch's own earlier writes through an in-memory overlay. The writes
themselves are buffered and sent on exit as one write transaction of batched
``UNWIND`` statements: all of the batch or none of it. Because that transaction is a
pure function of the buffer, the driver may rerun it on a transient error (leader
switch, deadlock); an error inside the ``with`` body sends nothing at all.

Against concurrent writers: new nodes and edges are ``CREATE``\\ d, so the id
uniqueness constraints turn a race into an error instead of a duplicate; keys are
claimed with ``MERGE`` (first claimant keeps them, as in the embedded store); sources
are appended on the server, never overwritten from a stale copy.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from neo4j import ManagedTransaction, Session, unit_of_work

from leadgraph.errors import InvalidQuery, SchemaError
from leadgraph.graph.identity import canonical
from leadgraph.graph.model import Edge, Node, ReviewItem, Source, Upsert
from leadgraph.graph.neo4j_layout import (
    KEY_LABEL,
    create_nodes_query,
    edge_by_id_query,
    edge_from_record,
    edge_record,
    label,
    node_from_record,
    node_record,
    rel_type,
    source_names,
    update_nodes_query,
)
from leadgraph.graph.neo4j_review import REVIEW_LABEL, review_from_record, write_review_items
from leadgraph.graph.store import WriteBatch
from leadgraph.graph.terms import node_terms

if TYPE_CHECKING:
    from leadgraph.graph.neo4j_store import Neo4jStore

__all__ = ["Neo4jBatch"]

# Append this batch's source to an item's parallel source lists, or move its last_seen.
_TOUCH_SOURCE = """
WITH x, coalesce(x._src, []) AS names, coalesce(x._src_first, []) AS firsts, coalesce(x._src_last, []) AS lasts
WITH x, names, firsts, lasts, $source IN names AS known
SET x._src = CASE WHEN known THEN names ELSE names + $source END,
    x._src_first = CASE WHEN known THEN firsts ELSE firsts + $now END,
    x._src_last = CASE WHEN known
        THEN [i IN range(0, size(names) - 1) | CASE WHEN names[i] = $source THEN $now ELSE lasts[i] END]
        ELSE lasts + $now END
"""


class Neo4jBatch(WriteBatch):
    """One batch from one source, committed by :meth:`commit` in a single transaction."""

    def __init__(self, store: "Neo4jStore", session: Session, source: str) -> None:
        super().__init__(store.schema, source, store.id_key)
        self._store = store
        self._session = session
        self._nodes: dict[str, Node] = {}  # saved in this batch, final state
        self._new_nodes: set[str] = set()
        self._edges: dict[str, Edge] = {}
        self._new_edges: set[str] = set()
        self._claimed_keys: dict[str, str] = {}  # key -> node id, first claim in this batch
        self._seen_nodes: dict[str, Node | None] = {}  # server reads
        self._seen_edges: dict[str, Edge | None] = {}
        self._seen_keys: dict[str, str | None] = {}
        self._server_sources: dict[str, frozenset[str]] = {}
        self._touched: dict[str, tuple[str, str]] = {}  # item id -> ("node" | "edge", kind)
        self._edge_kind: str | None = None  # kind of the edge being upserted, if any
        self._reviews: dict[str, ReviewItem] = {}  # review items added in this batch
        self._batch_terms: dict[str, tuple[int, frozenset[str]]] = {}  # node id -> (id(props), terms)

    # -- reads ----------------------------------------------------------------------------
    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, params)]

        return self._session.execute_read(unit_of_work(timeout=self._store.timeout)(work))

    def _owner_of_key(self, key: str) -> str | None:
        if key not in self._seen_keys:
            # A key names its kind ("Person|mobile=…"), so the owner comes in the same round trip.
            rows = self._read(
                f"MATCH (k:`{KEY_LABEL}` {{key: $key}}) "
                f"OPTIONAL MATCH (n:{label(self.schema, key.split('|', 1)[0])} {{id: k.node_id}}) "
                "RETURN k.node_id AS owner, properties(n) AS p",
                key=key,
            )
            self._seen_keys[key] = rows[0]["owner"] if rows else None
            if rows and rows[0]["p"] is not None and rows[0]["owner"] not in self._seen_nodes:
                self._seen_nodes[rows[0]["owner"]] = self._remember(rows[0]["p"])
        return self._seen_keys[key] or self._claimed_keys.get(key)

    def _get_node(self, node_id: str) -> Node | None:
        if node_id in self._nodes:
            return self._nodes[node_id]
        if node_id not in self._seen_nodes:
            try:
                node_label = label(self.schema, self.schema.kind_of_id(node_id))
            except SchemaError:
                return None
            rows = self._read(f"MATCH (n:{node_label} {{id: $id}}) RETURN properties(n) AS p", id=node_id)
            self._seen_nodes[node_id] = self._remember(rows[0]["p"]) if rows else None
        return self._seen_nodes[node_id]

    def _remember(self, raw: dict[str, Any]) -> Node:
        self._server_sources[raw["id"]] = source_names(raw)
        return node_from_record(self.schema, raw, with_sources=False)

    def _nodes_named(self, kind: str, name: str) -> list[Node]:
        canon = canonical(name)
        rows = self._read(
            f"MATCH (n:{label(self.schema, kind)} {{_name_canon: $canon}}) RETURN properties(n) AS p", canon=canon
        )
        found = {}
        for row in rows:
            node_id = row["p"]["id"]
            if self._seen_nodes.get(node_id) is None:
                self._seen_nodes[node_id] = self._remember(row["p"])
            found[node_id] = self._nodes.get(node_id) or self._seen_nodes[node_id]
        found.update({i: n for i, n in self._nodes.items() if n.kind == kind})
        return [found[i] for i in sorted(found) if canonical(found[i].name) == canon]

    def _terms_of(self, node: Node) -> frozenset[str]:
        cached = self._batch_terms.get(node.id)
        if cached is None or cached[0] != id(node.props):
            cached = (id(node.props), frozenset(node_terms(node.kind, node.props)))
            self._batch_terms[node.id] = cached
        return cached[1]

    def _nodes_with_term(self, kind: str, term: str, *, prefix: bool = False, limit: int = 500) -> list[Node]:
        test = "any(t IN n._terms WHERE t STARTS WITH $term)" if prefix else "$term IN n._terms"
        rows = self._read(
            f"MATCH (n:{label(self.schema, kind)}) WHERE {test} RETURN properties(n) AS p ORDER BY n.id LIMIT $limit",
            term=term, limit=limit,
        )  # fmt: skip
        found: dict[str, Node] = {}
        for row in rows:
            node_id = row["p"]["id"]
            if self._seen_nodes.get(node_id) is None:
                self._seen_nodes[node_id] = self._remember(row["p"])
            found[node_id] = self._seen_nodes[node_id]
        for node_id, node in self._nodes.items():  # this batch's writes win over the server's copy
            if node.kind != kind:
                continue
            terms = self._terms_of(node)
            if term in terms or (prefix and any(t.startswith(term) for t in terms)):
                found[node_id] = node
            else:
                found.pop(node_id, None)
        return [found[i] for i in sorted(found)][:limit]

    def _get_review_item(self, item_id: str) -> ReviewItem | None:
        if item_id in self._reviews:
            return self._reviews[item_id]
        rows = self._read(f"MATCH (r:`{REVIEW_LABEL}` {{id: $id}}) RETURN properties(r) AS p", id=item_id)
        return review_from_record(rows[0]["p"]) if rows else None

    def _save_review_item(self, item: ReviewItem) -> None:
        self._reviews[item.id] = item

    def upsert_edge(self, kind: str, src: str, dst: str, props: dict[str, Any] | None = None) -> Upsert:
        self._edge_kind = kind  # lets _get_edge seek one relationship type instead of all
        try:
            return super().upsert_edge(kind, src, dst, props)
        finally:
            self._edge_kind = None

    def _get_edge(self, edge_id: str, src: str | None = None, dst: str | None = None) -> Edge | None:
        if edge_id in self._edges:
            return self._edges[edge_id]
        if src in self._new_nodes or dst in self._new_nodes:
            return None  # a tie of a node this batch created cannot be on the server yet
        if edge_id not in self._seen_edges:
            query = edge_by_id_query(self.schema, only=self._edge_kind)
            rows = self._read(query, id=edge_id)
            self._seen_edges[edge_id] = None
            if rows:
                row = rows[0]
                self._server_sources[edge_id] = source_names(row["p"])
                self._seen_edges[edge_id] = edge_from_record(row["kind"], row["src"], row["dst"], row["p"], with_sources=False)
        return self._seen_edges[edge_id]

    # -- buffered writes --------------------------------------------------------------------
    def _save_node(self, node: Node, *, created: bool, keys: list[str]) -> None:
        self._nodes[node.id] = node
        if created:
            self._new_nodes.add(node.id)
        for key in keys:
            self._claimed_keys.setdefault(key, node.id)

    def _save_edge(self, edge: Edge, *, created: bool) -> None:
        self._edges[edge.id] = edge
        if created:
            self._new_edges.add(edge.id)

    def _touch_source(self, item_id: str) -> bool:
        if item_id in self._touched:
            return False
        node = self._get_node(item_id)
        item = node if node is not None else self._get_edge(item_id)
        if item is None:
            raise InvalidQuery(f"没有编号为 {item_id} 的节点或关系 (no node or edge with this id)")
        self._touched[item_id] = ("node" if node is not None else "edge", item.kind)
        if item_id in self._new_nodes or item_id in self._new_edges:
            return True
        return self.source not in self._server_sources.get(item_id, frozenset())

    # -- commit -----------------------------------------------------------------------------
    def commit(self) -> None:
        """Send every buffered write in one write transaction (retried whole if transient)."""
        if self._nodes or self._edges or self._claimed_keys or self._touched or self._reviews:
            self._session.execute_write(unit_of_work(timeout=self._store.timeout)(self._write))

    def _write(self, tx: ManagedTransaction) -> None:
        fresh = [Source(self.source, self.now, self.now)]
        new_nodes, changed_nodes = defaultdict(list), defaultdict(list)
        for node in self._nodes.values():
            if node.id in self._new_nodes:
                new_nodes[node.kind].append({"id": node.id, "map": node_record(node, fresh)})
            else:
                changed_nodes[node.kind].append({"id": node.id, "map": node_record(node)})
        for kind, rows in new_nodes.items():
            tx.run(create_nodes_query(self.schema, kind), rows=rows).consume()
        for kind, rows in changed_nodes.items():
            tx.run(update_nodes_query(self.schema, kind), rows=rows).consume()
        if self._claimed_keys:
            tx.run(
                f"UNWIND $rows AS row MERGE (k:`{KEY_LABEL}` {{key: row.key}}) ON CREATE SET k.node_id = row.node_id",
                rows=[{"key": k, "node_id": n} for k, n in self._claimed_keys.items()],
            ).consume()
        self._write_edges(tx, fresh)
        self._write_sources(tx)
        write_review_items(tx, list(self._reviews.values()))

    def _write_edges(self, tx: ManagedTransaction, fresh: list[Source]) -> None:
        new_edges, changed_edges = defaultdict(list), defaultdict(list)
        for edge in self._edges.values():
            if edge.id in self._new_edges:
                ends = (edge.kind, self.schema.kind_of_id(edge.src), self.schema.kind_of_id(edge.dst))
                new_edges[ends].append({"src": edge.src, "dst": edge.dst, "map": edge_record(edge, fresh)})
            else:
                changed_edges[edge.kind].append({"id": edge.id, "map": edge_record(edge)})
        for (kind, src_kind, dst_kind), rows in new_edges.items():
            made = tx.run(
                f"UNWIND $rows AS row MATCH (a:{label(self.schema, src_kind)} {{id: row.src}}) "
                f"MATCH (b:{label(self.schema, dst_kind)} {{id: row.dst}}) "
                f"CREATE (a)-[r:{rel_type(self.schema, kind)}]->(b) SET r = row.map RETURN count(r) AS made",
                rows=rows,
            ).single()["made"]
            if made != len(rows):
                raise InvalidQuery(f"{kind}：有关系的端点已不在图中 (an edge end vanished while the batch ran)")
        for kind, rows in changed_edges.items():
            tx.run(
                f"UNWIND $rows AS row MATCH ()-[r:{rel_type(self.schema, kind)} {{id: row.id}}]->() SET r += row.map",
                rows=rows,
            ).consume()

    def _write_sources(self, tx: ManagedTransaction) -> None:
        touched: dict[tuple[str, str], list[str]] = defaultdict(list)
        for item_id, what in self._touched.items():
            if item_id not in self._new_nodes and item_id not in self._new_edges:
                touched[what].append(item_id)
        for (what, kind), ids in touched.items():
            match = (
                f"MATCH (x:{label(self.schema, kind)} {{id: id}})"
                if what == "node"
                else f"MATCH ()-[x:{rel_type(self.schema, kind)} {{id: id}}]->()"
            )
            query = f"UNWIND $ids AS id {match}{_TOUCH_SOURCE}"
            tx.run(query, ids=ids, source=self.source, now=self.now).consume()
