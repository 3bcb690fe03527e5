"""The Neo4j backend: the same graph and the same answers as the embedded store, on a server.

Uses the official ``neo4j`` driver. ``bolt://`` and ``neo4j://`` (routing: clusters,
Aura) URIs both work; the database name is passed on every session; reads run in
``execute_read`` (so a cluster may serve them from a follower), writes in
``execute_write`` (retried by the driver on transient errors), all with a timeout and one
bookmark manager, so a read after a write sees it. The layout in the database is
described in :mod:`leadgraph.graph.neo4j_layout`; write batches in
:mod:`leadgraph.graph.neo4j_batch`.

Every answer is ordered as the embedded store orders it: nodes and edges by id,
neighbours by (kind, id), search through the shared :func:`~.terms.rank_candidates`.
"""

from __future__ import annotations

import gc
import heapq
import multiprocessing
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import chain, islice
from typing import Any, TypeVar

from neo4j import Driver, GraphDatabase, ManagedTransaction, Session, unit_of_work
from neo4j import exceptions as neo4j_errors

from leadgraph.errors import BackendUnavailable, InvalidQuery, SchemaError
from leadgraph.graph.identity import canonical, natural_keys, new_id_key
from leadgraph.graph import neo4j_review
from leadgraph.graph.model import Edge, Neighbour, Node, ReviewItem, SearchHit
from leadgraph.graph.neo4j_batch import Neo4jBatch
from leadgraph.graph.neo4j_paths import Neo4jPathReader
from leadgraph.graph.neo4j_projection import SYNC_BELOW, PathProjection, ProjectionMode
from leadgraph.graph.neo4j_layout import (
    KEY_LABEL,
    META_LABEL,
    check_property_names,
    edge_by_id_query,
    edge_from_record,
    edges_by_id_query,
    edge_record,
    label,
    node_from_record,
    node_record,
    nodes_by_id_query,
    rel_type,
    schema_statements,
)
from leadgraph.graph.pathindex import TraversalIndex
from leadgraph.graph.store import GraphStore
from leadgraph.graph.terms import hit_detail, normalize_query, rank_candidates
from leadgraph.schema import Schema, default_schema
from leadgraph.settings import Settings

__all__ = ["Neo4jStore"]

T = TypeVar("T")
_PAGE = 2000  # rows per read when iterating nodes or edges
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")  # Bolt only, routing or direct


@dataclass
class _Rows:
    """Parameter rows of one restore transaction, grouped by label / type."""

    nodes: dict[str, list[dict[str, Any]]]
    edges: dict[tuple[str, str, str], list[dict[str, Any]]]
    keys: list[dict[str, str]]


_PREPARERS = 2  # processes building property maps during a big bulk_load


def preparer_pool() -> ProcessPoolExecutor:
    """The processes that build property maps (``bulk_load``) and import lines (:mod:`.neo4j_import`).

    They run without the cyclic garbage collector: they make acyclic records only, which
    reference counting frees, and its passes over the pinyin tables each of them loads
    cost about a fifth of their time.
    """
    return ProcessPoolExecutor(_PREPARERS, mp_context=multiprocessing.get_context("spawn"), initializer=gc.disable)


def _prepare_rows(
    kinds: dict[str, str], nodes: Iterable[Node], edges: Iterable[Edge], keys: Iterable[tuple[str, str]]
) -> _Rows:
    """Parameter rows for one write transaction (``kinds``: id prefix -> node kind)."""
    rows = _Rows(defaultdict(list), defaultdict(list), [{"key": k, "node_id": n} for k, n in keys])
    for node in nodes:
        rows.nodes[node.kind].append({"id": node.id, "map": node_record(node, node.sources)})
    for edge in edges:
        ends = (edge.kind, kinds[edge.src.split(":", 1)[0]], kinds[edge.dst.split(":", 1)[0]])
        rows.edges[ends].append({"src": edge.src, "dst": edge.dst, "id": edge.id, "map": edge_record(edge, edge.sources)})
    return rows


def _claim_keys(schema: Schema, nodes: Iterable[Node], claimed: set[str]) -> list[tuple[str, str]]:
    """``(key, node id)`` for each natural key of ``nodes`` that no earlier node claimed (adds it to ``claimed``)."""
    keys = []
    for node in nodes:
        for key in natural_keys(schema.node(node.kind), node.props):
            if key not in claimed:
                claimed.add(key)
                keys.append((key, node.id))
    return keys


def _peek(nodes: Iterable[Node], edges: Iterable[Edge], size: int) -> tuple[Iterable[Node], Iterable[Edge], bool]:
    """The same items (an iterator is not consumed), and whether they fill more than a few chunks."""
    node_iter, edge_iter = iter(nodes), iter(edges)
    head_nodes, head_edges = list(islice(node_iter, 3 * size)), list(islice(edge_iter, 3 * size))
    big = len(head_nodes) + len(head_edges) >= 3 * size
    return chain(head_nodes, node_iter), chain(head_edges, edge_iter), big


def _all_new(seen: set[str], ids: Iterable[str]) -> bool:
    """Whether none of ``ids`` is in ``seen`` or repeated; adds them to ``seen`` either way."""
    before = len(seen)
    ids = list(ids)
    seen.update(ids)
    return len(seen) - before == len(ids)


# What creating a constraint or index raises when a concurrent transaction created it first.
_CREATED_MEANWHILE = frozenset({
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
})  # fmt: skip

# The store's settings node (label a module constant, values parameters).
_READ_ID_KEY = f"MATCH (m:`{META_LABEL}` {{name: $name}}) RETURN m.value AS value"
_CLAIM_ID_KEY = f"MERGE (m:`{META_LABEL}` {{name: $name}}) ON CREATE SET m.value = $value RETURN m.value AS value"


class Neo4jStore(GraphStore):
    """A :class:`GraphStore` on a Neo4j 5 server.

    Opening it checks that the server answers and accepts the credentials, then creates
    the schema's constraints and indexes if they are missing. ``driver`` lets tests share
    one driver; the store then leaves it open on :meth:`close`.
    """

    def __init__(
        self,
        uri: str = "bolt://127.0.0.1:7687",
        user: str = "neo4j",
        password: str = "",
        database: str = "neo4j",
        *,
        schema: Schema | None = None,
        timeout: float = 60.0,
        driver: Driver | None = None,
        projection: ProjectionMode = "auto",
        projection_sync_below: int = SYNC_BELOW,
    ) -> None:
        self.schema = schema or default_schema()
        check_property_names(self.schema)
        self.projection = PathProjection(self, projection, sync_below=projection_sync_below)
        self.uri, self.user, self.database, self.timeout = uri, user, database, timeout
        self._owns_driver = driver is None
        if driver is None:
            try:
                if uri.split("://", 1)[0] not in _SCHEMES:
                    raise ValueError(f"the scheme must be one of {', '.join(_SCHEMES)}")
                driver = GraphDatabase.driver(
                    uri, auth=(user, password), connection_timeout=10.0, max_transaction_retry_time=15.0,
                    notifications_min_severity="OFF",
                )
            except (neo4j_errors.ConfigurationError, ValueError) as exc:
                raise BackendUnavailable(
                    f"NEO4J_URI「{uri}」不是有效的 Neo4j 地址 (not a Neo4j URI: {exc}); "
                    "应形如 bolt://host:7687 或 neo4j://host:7687"
                ) from None
        self._driver = driver
        self._bookmarks = GraphDatabase.bookmark_manager()
        try:
            with self._translated_errors():
                self._driver.verify_connectivity()
                self._ensure_schema()
                self.id_key: str = self._read(self._stored_id_key) or self._write(self._claim_id_key)
        except BaseException:
            self.close()
            raise

    @classmethod
    def from_settings(cls, settings: Settings) -> "Neo4jStore":
        return cls(
            settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database,
            timeout=settings.neo4j_timeout, projection=settings.neo4j_path_projection,
        )

    # -- plumbing -------------------------------------------------------------------------
    @contextmanager
    def _translated_errors(self) -> Iterator[None]:
        """Turn the driver's connection and credential errors into one clear message."""
        try:
            yield
        except neo4j_errors.AuthError:
            raise BackendUnavailable(
                f"Neo4j 拒绝了用户「{self.user}」的登录，请检查 NEO4J_USER / NEO4J_PASSWORD "
                f"(Neo4j at {self.uri} refused the credentials; check NEO4J_USER and NEO4J_PASSWORD)"
            ) from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired):
            raise BackendUnavailable(
                f"无法连接 Neo4j 服务器 {self.uri}，请确认服务器已启动、NEO4J_URI 正确 "
                f"(cannot reach the Neo4j server at {self.uri}; is it running, is NEO4J_URI right?)"
            ) from None
        except neo4j_errors.ConstraintError:
            raise InvalidQuery(
                "另一批次同时写入了相同的节点或关系，本批次未写入，请重试 "
                "(another batch wrote the same node or edge at the same time; nothing was written, run it again)"
            ) from None
        except neo4j_errors.ClientError as exc:
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise BackendUnavailable(
                    f"Neo4j 服务器上没有数据库「{self.database}」，请检查 NEO4J_DATABASE "
                    f"(no database '{self.database}' on {self.uri}; check NEO4J_DATABASE)"
                ) from None
            raise

    def _session(self) -> Session:
        return self._driver.session(database=self.database, bookmark_manager=self._bookmarks)

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._translated_errors(), self._session() as session:
            return session.execute_read(unit_of_work(timeout=self.timeout)(work))

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._translated_errors(), self._session() as session:
            return session.execute_write(unit_of_work(timeout=self.timeout)(work))

    def _query(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return self._read(lambda tx: [record.data() for record in tx.run(query, params)])

    @staticmethod
    def _stored_id_key(tx: ManagedTransaction) -> str | None:
        """The database's id key, read only (a read-only user can still open the store)."""
        found = tx.run(_READ_ID_KEY, name="id_key").single()
        return None if found is None else str(found["value"])

    @staticmethod
    def _claim_id_key(tx: ManagedTransaction) -> str:
        """The database's id key, made now if it has none (the unique name settles a race)."""
        return str(tx.run(_CLAIM_ID_KEY, name="id_key", value=new_id_key()).single()["value"])

    def _ensure_schema(self) -> None:
        existing = {row["name"] for row in self._query("SHOW CONSTRAINTS YIELD name RETURN name")}
        existing |= {row["name"] for row in self._query("SHOW INDEXES YIELD name RETURN name")}
        wanted = [*schema_statements(self.schema), *neo4j_review.REVIEW_STATEMENTS]
        missing = [statement for name, statement in wanted if name not in existing]
        for statement in missing:
            try:
                self._write(lambda tx, statement=statement: tx.run(statement).consume())
            except neo4j_errors.ClientError as exc:
                # Another store opening at the same moment created it first (IF NOT EXISTS
                # does not cover a concurrent creator): the rule is there, as wanted.
                if exc.code not in _CREATED_MEANWHILE:
                    raise
        if missing:
            self._write(lambda tx: tx.run("CALL db.awaitIndexes($seconds)", seconds=int(self.timeout)).consume())

    # -- writes ---------------------------------------------------------------------------
    @contextmanager
    def batch(self, source: str) -> Iterator[Neo4jBatch]:
        with self._translated_errors(), self._session() as session:
            batch = Neo4jBatch(self, session, source)
            yield batch
            batch.commit()

    def restore(self, nodes: Iterable[Node], edges: Iterable[Edge], keys: Iterable[tuple[str, str]]) -> None:
        self._write_rows(self._rows(nodes, edges, keys), claim_free_keys_only=False)

    def bulk_load(self, nodes: Iterable[Node], edges: Iterable[Edge], *, chunk_size: int = 10_000) -> dict[str, int]:
        """Load many nodes, then many edges, in transactions of ``chunk_size`` items.

        The fast path for generated graphs and benchmarks, with the next chunk's property
        maps built while the server writes the current one. Each node claims those of its
        natural keys that no node holds yet (as an upsert would); sources are written as
        the items carry them. Into an empty store, items whose ids this load has not
        written yet are created with ``CREATE`` (the id constraints still refuse a
        duplicate): what ``MERGE`` would do there, without its look-up. Anything else goes
        through ``UNWIND ... MERGE``. Not atomic as a whole: each chunk commits on its own.
        """
        loaded = {"nodes": 0, "edges": 0}
        fresh = self._holds_nothing()
        seen: set[str] = set()  # node and edge ids written by this load (only when fresh)
        claimed: set[str] = set()  # keys claimed by this load

        def chunks() -> Iterator[tuple[list[Node], list[Edge], list[tuple[str, str]], bool]]:
            node_iter, edge_iter = iter(nodes), iter(edges)
            while chunk := list(islice(node_iter, chunk_size)):
                loaded["nodes"] += len(chunk)
                keys = _claim_keys(self.schema, chunk, claimed)
                yield chunk, [], keys, fresh and _all_new(seen, (n.id for n in chunk))
            while edge_chunk := list(islice(edge_iter, chunk_size)):
                loaded["edges"] += len(edge_chunk)
                yield [], edge_chunk, [], fresh and _all_new(seen, (e.id for e in edge_chunk))

        # Building the property maps (search terms with pinyin) costs the client about as
        # much as writing them costs the server: a big load builds them in other processes.
        nodes, edges, big = _peek(nodes, edges, chunk_size)
        kinds = {spec.id_prefix: kind for kind, spec in self.schema.nodes.items()}
        with (preparer_pool() if big
              else ThreadPoolExecutor(max_workers=1)) as preparer:
            pending: deque[tuple[Future[_Rows], bool]] = deque()
            for chunk_nodes, chunk_edges, keys, create in chunks():
                pending.append((preparer.submit(_prepare_rows, kinds, chunk_nodes, chunk_edges, keys), create))
                if len(pending) > (_PREPARERS if big else 1):
                    future, fresh_chunk = pending.popleft()
                    self._write_rows(future.result(), claim_free_keys_only=True, create=fresh_chunk)
            while pending:
                future, fresh_chunk = pending.popleft()
                self._write_rows(future.result(), claim_free_keys_only=True, create=fresh_chunk)
        return loaded

    def _holds_nothing(self) -> bool:
        """No node of any schema label and no key: a fresh import may CREATE."""
        labels = [*(label(self.schema, k) for k in self.schema.nodes), f"`{KEY_LABEL}`"]
        query = " UNION ALL ".join(f"MATCH (n:{lab}) RETURN 1 AS one LIMIT 1" for lab in labels)
        return not self._query(f"CALL {{ {query} }} RETURN count(*) AS c")[0]["c"]

    def _rows(self, nodes: Iterable[Node], edges: Iterable[Edge], keys: Iterable[tuple[str, str]]) -> _Rows:
        return _prepare_rows({spec.id_prefix: kind for kind, spec in self.schema.nodes.items()}, nodes, edges, keys)

    def _write_rows(self, rows: _Rows, *, claim_free_keys_only: bool, create: bool = False) -> None:
        """One write transaction: nodes, then keys, then edges, each kind one UNWIND.
        ``create``: none of the items (nor keys) exists yet, so they are created outright."""
        set_owner = "ON CREATE SET" if claim_free_keys_only else "SET"

        def work(tx: ManagedTransaction) -> None:
            for kind, batch in rows.nodes.items():
                node = f"(n:{label(self.schema, kind)}" + (")" if create else " {id: row.id})")
                write_nodes = f"UNWIND $rows AS row {'CREATE' if create else 'MERGE'} {node} SET n = row.map"
                tx.run(write_nodes, rows=batch).consume()
            if rows.keys:
                claim = (
                    f"CREATE (k:`{KEY_LABEL}` {{key: row.key, node_id: row.node_id}})" if create else
                    f"MERGE (k:`{KEY_LABEL}` {{key: row.key}}) {set_owner} k.node_id = row.node_id"
                )
                tx.run("UNWIND $rows AS row " + claim, rows=rows.keys).consume()
            for (kind, src_kind, dst_kind), batch in rows.edges.items():
                rel = f"[r:{rel_type(self.schema, kind)}" + ("]" if create else " {id: row.id}]")
                made = tx.run(
                    f"UNWIND $rows AS row MATCH (a:{label(self.schema, src_kind)} {{id: row.src}}) "
                    f"MATCH (b:{label(self.schema, dst_kind)} {{id: row.dst}}) "
                    f"{'CREATE' if create else 'MERGE'} (a)-{rel}->(b) SET r = row.map "
                    "RETURN count(r) AS made",
                    rows=batch,
                ).single()["made"]
                if made != len(batch):
                    raise InvalidQuery(f"{kind}：有关系的端点不在图中 (an edge names a node that is not in the graph)")

        self._write(work)

    # -- reads ----------------------------------------------------------------------------
    def _node_label(self, node_id: str) -> str | None:
        try:
            return label(self.schema, self.schema.kind_of_id(node_id))
        except SchemaError:
            return None

    def get_node(self, node_id: str) -> Node | None:
        node_label = self._node_label(node_id)
        if node_label is None:
            return None
        rows = self._query(f"MATCH (n:{node_label} {{id: $id}}) RETURN properties(n) AS p", id=node_id)
        return node_from_record(self.schema, rows[0]["p"]) if rows else None

    def get_edge(self, edge_id: str) -> Edge | None:
        rows = self._query(edge_by_id_query(self.schema), id=edge_id)
        if not rows:
            return None
        row = rows[0]
        return edge_from_record(row["kind"], row["src"], row["dst"], row["p"])

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        wanted = list(dict.fromkeys(i for i in node_ids if self._node_label(i) is not None))
        if not wanted:
            return {}
        rows = self._query(nodes_by_id_query(self.schema), ids=wanted)
        return {row["p"]["id"]: node_from_record(self.schema, row["p"]) for row in rows}

    def get_edges(self, edge_ids: Iterable[str]) -> dict[str, Edge]:
        wanted = list(dict.fromkeys(edge_ids))
        if not wanted:
            return {}
        rows = self._query(edges_by_id_query(self.schema), ids=wanted)
        return {row["p"]["id"]: edge_from_record(row["kind"], row["src"], row["dst"], row["p"]) for row in rows}

    def nodes_named(self, kind: str, name: str) -> list[Node]:
        if kind not in self.schema.nodes:
            return []
        rows = self._query(
            f"MATCH (n:{label(self.schema, kind)} {{_name_canon: $canon}}) RETURN properties(n) AS p ORDER BY n.id",
            canon=canonical(name),
        )
        return [node_from_record(self.schema, row["p"]) for row in rows]

    def neighbours(
        self, node_id: str, *, edge_kinds: frozenset[str] | None = None, limit: int = 500
    ) -> tuple[list[Neighbour], bool]:
        node = self.node(node_id)
        kinds = sorted(edge_kinds) if edge_kinds is not None else None
        rows = self._query(
            f"MATCH (n:{label(self.schema, node.kind)} {{id: $id}})-[r]-(m) "
            "WHERE $kinds IS NULL OR type(r) IN $kinds "
            "RETURN type(r) AS kind, properties(r) AS p, startNode(r) = n AS out, properties(m) AS m "
            "ORDER BY kind, r.id LIMIT $fetch",
            id=node_id, kinds=kinds, fetch=max(limit, 0) + 1,
        )
        result = []
        for row in rows[:limit]:
            other = node_from_record(self.schema, row["m"])
            src, dst = (node_id, other.id) if row["out"] else (other.id, node_id)
            edge = edge_from_record(row["kind"], src, dst, row["p"])
            result.append(Neighbour(edge, other, "out" if row["out"] else "in"))
        return result, len(rows) > limit

    def search(self, query: str, *, kinds: frozenset[str] | None = None, limit: int = 20) -> list[SearchHit]:
        q = normalize_query(query)
        if not q:
            return []
        wanted = [k for k in self.schema.nodes if kinds is None or k in kinds]
        if not wanted:
            return []

        def work(tx: ManagedTransaction) -> list[SearchHit]:
            candidates = [
                (row["id"], self.schema.kind_of_id(row["id"]), str(row["name"]), zip(row["terms"], row["weights"]))
                for row in tx.run(
                    " UNION ALL ".join(
                        f"MATCH (n:{label(self.schema, kind)}) WHERE n._search CONTAINS $q "
                        "RETURN n.id AS id, n.name AS name, n._terms AS terms, n._term_weights AS weights"
                        for kind in wanted
                    ),
                    q=q,
                )
            ]
            ranked = rank_candidates(q, candidates, limit)
            if not ranked:
                return []
            details = " UNION ALL ".join(
                f"UNWIND $ids AS id MATCH (n:{label(self.schema, kind)} {{id: id}}) RETURN id, properties(n) AS p"
                for kind in sorted({h.kind for h in ranked})
            )
            props = {row["id"]: row["p"] for row in tx.run(details, ids=[h.node_id for h in ranked])}
            return [
                SearchHit(h.node_id, h.kind, h.name, h.term, h.score, hit_detail(h.kind, props[h.node_id])) for h in ranked
            ]

        return self._read(work)

    def _paged(self, query: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Rows of ``query`` (which filters ``id > $after`` and orders by id) page by page."""
        after = ""
        while True:
            rows = self._query(query, after=after, page=_PAGE, **params)
            yield from rows
            if len(rows) < _PAGE:
                return
            after = rows[-1]["id"]

    def iter_nodes(self, kind: str | None = None) -> Iterator[Node]:
        kinds = [k for k in self.schema.nodes if kind is None or k == kind]
        streams = [
            self._paged(
                f"MATCH (n:{label(self.schema, k)}) WHERE n.id > $after "
                "RETURN n.id AS id, properties(n) AS p ORDER BY n.id LIMIT $page"
            )
            for k in kinds
        ]
        for row in heapq.merge(*streams, key=lambda row: row["id"]):
            yield node_from_record(self.schema, row["p"])

    def iter_edges(self, kind: str | None = None) -> Iterator[Edge]:
        kinds = [k for k in self.schema.edges if kind is None or k == kind]
        streams = [
            self._paged(
                f"MATCH (a)-[r:{rel_type(self.schema, k)}]->(b) WHERE r.id > $after "
                "RETURN r.id AS id, type(r) AS kind, properties(r) AS p, a.id AS src, b.id AS dst ORDER BY r.id LIMIT $page"
            )
            for k in kinds
        ]
        for row in heapq.merge(*streams, key=lambda row: row["id"]):
            yield edge_from_record(row["kind"], row["src"], row["dst"], row["p"])

    def counts(self) -> dict[str, dict[str, int]]:
        def work(tx: ManagedTransaction) -> dict[str, dict[str, int]]:
            # One count per declared label/type (schema-checked names; no values involved).
            node_counts = {k: f"MATCH (n:{label(self.schema, k)}) RETURN count(n) AS c" for k in self.schema.nodes}
            edge_counts = {k: f"MATCH ()-[r:{rel_type(self.schema, k)}]->() RETURN count(r) AS c" for k in self.schema.edges}
            nodes = {k: tx.run(query).single()["c"] for k, query in node_counts.items()}
            edges = {k: tx.run(query).single()["c"] for k, query in edge_counts.items()}
            return {
                "nodes": {k: n for k, n in sorted(nodes.items()) if n},
                "edges": {k: n for k, n in sorted(edges.items()) if n},
            }

        return self._read(work)

    def node_keys(self, node_ids: Iterable[str]) -> dict[str, list[str]]:
        rows = self._query(
            f"UNWIND $ids AS id MATCH (k:`{KEY_LABEL}` {{node_id: id}}) RETURN id, k.key AS key", ids=list(node_ids)
        )
        keys: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            keys[row["id"]].append(row["key"])
        return {node_id: sorted(keys[node_id]) for node_id in sorted(keys)}

    # -- referral paths: the projection (neo4j_projection), else the neighbourhood (neo4j_paths)
    def database_state(self) -> tuple[str, ...]:
        """The state of the database as one read sees it: the bookmark it returns, which
        changes with every commit by any client (one round trip)."""
        with self._translated_errors(), self._session() as session:
            session.execute_read(unit_of_work(timeout=self.timeout)(lambda tx: tx.run("RETURN 1").consume()))
            return tuple(sorted(session.last_bookmarks().raw_values))

    def projected_index(self, as_of: date) -> TraversalIndex | None:
        """The whole graph's path index when the projection is fresh, else None (see
        :class:`~leadgraph.graph.neo4j_projection.PathProjection`)."""
        return self.projection.index(as_of)

    def path_source(self) -> Neo4jPathReader:
        """The reader :func:`~leadgraph.graph.paths.find_paths` fetches neighbourhoods with."""
        return Neo4jPathReader(self)

    # -- entity resolution: review queue and merges (see neo4j_review) -----------------------
    def review_items(self, status: str | None = "pending") -> list[ReviewItem]:
        return neo4j_review.review_items(self, status)

    def get_review_item(self, item_id: str) -> ReviewItem | None:
        return neo4j_review.get_review_item(self, item_id)

    def merged_into(self, node_id: str) -> str | None:
        return neo4j_review.merged_into(self, node_id)

    def iter_redirects(self) -> Iterator[tuple[str, str]]:
        for row in self._paged(neo4j_review.REDIRECTS_PAGE):
            yield row["id"], row["new_id"]

    def restore_review_state(self, items: Iterable[ReviewItem], redirects: Iterable[tuple[str, str]]) -> None:
        neo4j_review.restore_review_state(self, list(items), list(redirects))

    def _record_decision(self, item_id: str, status: str, at: str) -> None:
        neo4j_review.record_decision(self, item_id, status, at)

    def merge_nodes(self, keep: str, drop: str, *, note: str | None = None, review: str | None = None) -> Node:
        neo4j_review.merge_nodes(self, keep, drop, note=note, review=review)
        return self.node(keep)

    def close(self) -> None:
        self.projection.close()
        if self._owns_driver:
            self._driver.close()
