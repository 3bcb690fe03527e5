"""The embedded backend: a SQLite file as the durable record, networkx in memory.

SQLite (WAL) holds every node, edge, key, source and search term; each write batch is
one transaction, so a crash mid-batch leaves the file as it was before the batch. The
networkx graph is rebuilt from SQLite on open and updated only after a commit succeeds.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from leadgraph.errors import BackendUnavailable
from leadgraph.graph.identity import canonical, new_id_key
from leadgraph.graph.merge import plan_merge
from leadgraph.graph.model import Edge, Neighbour, Node, ReviewItem, SearchHit, Source
from leadgraph.graph.store import GraphStore, WriteBatch, utc_now
from leadgraph.graph.terms import hit_detail, node_terms, normalize_query, rank_candidates
from leadgraph.schema import Schema, default_schema

__all__ = ["EmbeddedStore"]

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, name_canon TEXT NOT NULL,
    props TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nodes_by_name ON nodes (kind, name_canon);
CREATE TABLE IF NOT EXISTS node_keys (key TEXT PRIMARY KEY, node_id TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS node_keys_by_node ON node_keys (node_id);
CREATE TABLE IF NOT EXISTS edges (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, props TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS edges_by_src ON edges (src);
CREATE INDEX IF NOT EXISTS edges_by_dst ON edges (dst);
CREATE TABLE IF NOT EXISTS sources (
    item_id TEXT NOT NULL, source TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
    PRIMARY KEY (item_id, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_terms (
    term TEXT NOT NULL, node_id TEXT NOT NULL, weight INTEGER NOT NULL, PRIMARY KEY (term, node_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS search_terms_by_node ON search_terms (node_id);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, committed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review_items (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, node_id TEXT NOT NULL, other_id TEXT, score REAL NOT NULL,
    evidence TEXT NOT NULL, status TEXT NOT NULL, source TEXT NOT NULL, line INTEGER, summary TEXT NOT NULL,
    created_at TEXT NOT NULL, decided_at TEXT
);
CREATE INDEX IF NOT EXISTS review_items_by_status ON review_items (status, created_at);
CREATE TABLE IF NOT EXISTS node_redirects (old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL) WITHOUT ROWID;
"""

_SCHEMA_VERSION = "1"


def _dumps(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, sort_keys=True, default=str)


_REVIEW_COLUMNS = "id, kind, node_id, other_id, score, evidence, status, source, line, summary, created_at, decided_at"


def _review_from_row(row: tuple[Any, ...]) -> ReviewItem:
    values = dict(zip(_REVIEW_COLUMNS.split(", "), row))
    values["evidence"] = json.loads(values["evidence"])
    return ReviewItem(**values)


def _review_to_row(item: ReviewItem) -> tuple[Any, ...]:
    return tuple(
        _dumps(item.evidence) if name == "evidence" else getattr(item, name) for name in _REVIEW_COLUMNS.split(", ")
    )


class _SqliteBatch(WriteBatch):
    """A batch inside one SQLite transaction (``BEGIN IMMEDIATE``: no other writer).

    Because nobody else writes while it runs, what it reads once stays true except for
    its own writes, which it applies to its caches as it makes them: key owners, nodes,
    name and search-term lookups, the items its list already states. Source rows are
    written once, at the end, with ``executemany`` (:meth:`flush`), still inside the
    transaction, so a crash leaves the file exactly as before the batch.
    """

    def __init__(self, store: "EmbeddedStore", source: str) -> None:
        super().__init__(store.schema, source, store.id_key)
        self._db = store._db
        self._nodes: dict[str, Node] = {}
        self._edges: dict[str, Edge] = {}
        self._touched: set[str] = set()
        self._created: set[str] = set()  # nodes and edges this batch created
        self._owners: dict[str, str | None] = {}  # key -> owner, as this batch sees it
        self._read: dict[str, Node | None] = {}  # nodes read from the file
        self._named: dict[tuple[str, str], list[str]] = {}  # (kind, canonical name) -> ids
        self._termed: dict[tuple[str, str, bool], tuple[int, list[str]]] = {}  # (kind, term, prefix) -> (limit, ids)
        self._fresh_sources: list[str] = []  # items this list states for the first time
        self._seen_again: list[str] = []  # items it stated before: their last_seen moves

    def _owner_of_key(self, key: str) -> str | None:
        if key not in self._owners:
            row = self._db.execute("SELECT node_id FROM node_keys WHERE key = ?", (key,)).fetchone()
            self._owners[key] = row[0] if row else None
        return self._owners[key]

    def _node_of(self, row: tuple[Any, ...]) -> Node:
        node = self._nodes.get(row[0]) or self._read.get(row[0])
        if node is None:
            node = self._read[row[0]] = Node(row[0], row[1], row[2], json.loads(row[3]))
        return node

    def _get_node(self, node_id: str) -> Node | None:
        if node_id in self._nodes:
            return self._nodes[node_id]
        if node_id not in self._read:
            row = self._db.execute("SELECT id, kind, name, props FROM nodes WHERE id = ?", (node_id,)).fetchone()
            self._read[node_id] = Node(row[0], row[1], row[2], json.loads(row[3])) if row else None
        return self._read[node_id]

    def _nodes_named(self, kind: str, name: str) -> list[Node]:
        canon = canonical(name)
        ids = self._named.get((kind, canon))
        if ids is None:
            rows = self._db.execute(
                "SELECT id, kind, name, props FROM nodes WHERE kind = ? AND name_canon = ? ORDER BY id", (kind, canon)
            ).fetchall()
            ids = self._named[(kind, canon)] = [self._node_of(r).id for r in rows]
        found = (self._get_node(i) for i in sorted(set(ids)))
        return [n for n in found if n is not None and canonical(n.name) == canon]

    def _save_node(self, node: Node, *, created: bool, keys: list[str]) -> None:
        values = (node.kind, node.name, canonical(node.name), _dumps(node.props), node.id)
        if created:
            self._db.execute(
                "INSERT INTO nodes (kind, name, name_canon, props, id) VALUES (?, ?, ?, ?, ?)", values
            )
            self._created.add(node.id)
        else:
            self._db.execute("UPDATE nodes SET kind=?, name=?, name_canon=?, props=? WHERE id=?", values)
            self._db.execute("DELETE FROM search_terms WHERE node_id = ?", (node.id,))
        self._db.executemany(
            "INSERT OR IGNORE INTO node_keys (key, node_id) VALUES (?, ?)", [(k, node.id) for k in keys]
        )
        for key in keys:  # a key this batch saw unowned is now this node's (INSERT OR IGNORE)
            if key in self._owners and self._owners[key] is None:
                self._owners[key] = node.id
        terms = node_terms(node.kind, node.props)
        self._db.executemany(
            "INSERT INTO search_terms (term, node_id, weight) VALUES (?, ?, ?)", [(t, node.id, w) for t, w in terms.items()]
        )
        self._nodes[node.id] = node
        self._remember_lookups(node, terms)

    def _remember_lookups(self, node: Node, terms: dict[str, int]) -> None:
        """Add a saved node to the cached name and term lookups it now answers.

        A cached lookup may keep a node that no longer fits it (renamed): callers filter
        candidates again, so only a missing one would matter, and none goes missing.
        """
        named = self._named.get((node.kind, canonical(node.name)))
        if named is not None and node.id not in named:
            named.append(node.id)
        if not self._termed:
            return
        wanted = {(node.kind, t, False) for t in terms}
        wanted |= {(node.kind, t[:n], True) for t in terms for n in range(1, len(t) + 1)}
        for cache_key in wanted:
            cached = self._termed.get(cache_key)
            if cached is not None and node.id not in cached[1]:
                cached[1].append(node.id)

    def _get_edge(self, edge_id: str, src: str | None = None, dst: str | None = None) -> Edge | None:
        if edge_id in self._edges:
            return self._edges[edge_id]
        if src in self._created or dst in self._created:
            return None  # a tie of a node this batch created cannot be in the file yet
        row = self._db.execute("SELECT id, kind, src, dst, props FROM edges WHERE id = ?", (edge_id,)).fetchone()
        return Edge(row[0], row[1], row[2], row[3], json.loads(row[4])) if row else None

    def _save_edge(self, edge: Edge, *, created: bool) -> None:
        # Written at flush: this batch reads edges only by id, and finds its own in _edges.
        if created:
            self._created.add(edge.id)
        self._edges[edge.id] = edge

    def _nodes_with_term(self, kind: str, term: str, *, prefix: bool = False, limit: int = 500) -> list[Node]:
        cache_key = (kind, term, prefix)
        cached = self._termed.get(cache_key)
        ids = cached[1] if cached is not None and cached[0] == limit else None
        if ids is None:
            where = "t.term >= ? AND t.term < ?" if prefix else "t.term = ?"
            bounds = (term, term + "\U0010ffff") if prefix else (term,)
            # CROSS JOIN keeps the term index as the outer loop: otherwise SQLite may walk
            # every node of the kind and probe its terms (a prefix lookup over all firms).
            rows = self._db.execute(
                "SELECT DISTINCT n.id, n.kind, n.name, n.props FROM search_terms t CROSS JOIN nodes n ON n.id = t.node_id "
                f"WHERE {where} AND n.kind = ? ORDER BY n.id LIMIT ?",
                (*bounds, kind, limit),
            ).fetchall()
            ids = [self._node_of(r).id for r in rows]
            self._termed[cache_key] = (limit, ids)
        found = [self._get_node(i) for i in sorted(ids)[:limit]]
        return [n for n in found if n is not None]

    def _get_review_item(self, item_id: str) -> ReviewItem | None:
        row = self._db.execute(f"SELECT {_REVIEW_COLUMNS} FROM review_items WHERE id = ?", (item_id,)).fetchone()
        return _review_from_row(row) if row else None

    def _save_review_item(self, item: ReviewItem) -> None:
        self._db.execute(
            f"INSERT INTO review_items ({_REVIEW_COLUMNS}) VALUES ({', '.join('?' * 12)})", _review_to_row(item)
        )

    def _touch_source(self, item_id: str) -> bool:
        if item_id in self._touched:
            return False
        self._touched.add(item_id)
        known = item_id not in self._created and self._db.execute(
            "SELECT 1 FROM sources WHERE item_id = ? AND source = ?", (item_id, self.source)
        ).fetchone()
        (self._seen_again if known else self._fresh_sources).append(item_id)
        return not known

    def flush(self) -> None:
        """Write the batch's edges and source rows (inside the transaction, before commit)."""
        self._db.executemany(
            "INSERT INTO edges (id, kind, src, dst, props) VALUES (?, ?, ?, ?, ?)",
            [(e.id, e.kind, e.src, e.dst, _dumps(e.props)) for e in self._edges.values() if e.id in self._created],
        )
        self._db.executemany(
            "UPDATE edges SET props = ? WHERE id = ?",
            [(_dumps(e.props), e.id) for e in self._edges.values() if e.id not in self._created],
        )
        self._db.executemany(
            "UPDATE sources SET last_seen = ? WHERE item_id = ? AND source = ?",
            [(self.now, item, self.source) for item in self._seen_again],
        )
        self._db.executemany(
            "INSERT INTO sources (item_id, source, first_seen, last_seen) VALUES (?, ?, ?, ?)",
            [(item, self.source, self.now, self.now) for item in self._fresh_sources],
        )
        self._seen_again, self._fresh_sources = [], []


class EmbeddedStore(GraphStore):
    """SQLite + networkx. ``EmbeddedStore(":memory:")`` gives a throw-away store.

    Examples
    --------
    >>> store = EmbeddedStore(":memory:")
    >>> with store.batch("示例名录") as batch:
    ...     person = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000000"}).id
    >>> store.node(person).name
    '张伟'
    >>> [hit.name for hit in store.search("zw")]
    ['张伟']
    """

    def __init__(self, path: str | Path = "leadgraph.db", *, schema: Schema | None = None) -> None:
        self.schema = schema or default_schema()
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise BackendUnavailable(f"无法打开数据库文件 {self.path} (cannot open database: {exc})") from None
        try:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = OFF")
            self._db.executescript(_DDL)
            self._db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (_SCHEMA_VERSION,)
            )
            self._db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('id_key', ?)", (new_id_key(),))
            self.id_key: str = self._db.execute("SELECT value FROM meta WHERE key = 'id_key'").fetchone()[0]
        except sqlite3.OperationalError as exc:  # locked, read-only, disk full
            self._db.close()
            raise BackendUnavailable(f"无法打开数据库文件 {self.path} (cannot open database: {exc})") from None
        except sqlite3.DatabaseError:  # e.g. --db pointing at a list or an export by mistake
            self._db.close()
            raise BackendUnavailable(
                f"{self.path} 不是 leadgraph 的数据库文件（SQLite），请检查 --db 或 LEADGRAPH_DB (not a SQLite database)"
            ) from None
        self.graph = nx.MultiDiGraph()
        self._version = 0  # see :attr:`version`
        self._data_version = -1  # SQLite's count of other connections' commits, when last loaded
        self._load_graph()

    @property
    def version(self) -> int:
        """Bumped whenever ``graph`` changes, so derived structures (the path index) know
        when they are stale: on this store's own writes, and — checked here, on every read
        of it — when another process committed to the file (``leadgraph ingest`` or
        ``review accept`` while ``leadgraph serve`` runs), which reloads ``graph``."""
        self.refresh()
        return self._version

    def refresh(self) -> None:
        """Reload the in-memory graph if another connection committed since it was loaded."""
        if self._db.execute("PRAGMA data_version").fetchone()[0] != self._data_version:
            self._load_graph()

    # -- in-memory graph ----------------------------------------------------------------
    def _load_graph(self) -> None:
        self._data_version = self._db.execute("PRAGMA data_version").fetchone()[0]  # before reading: never misses one
        graph = nx.MultiDiGraph()
        for node_id, kind, name in self._db.execute("SELECT id, kind, name FROM nodes"):
            graph.add_node(node_id, kind=kind, name=name)
        for edge_id, kind, src, dst, props in self._db.execute("SELECT id, kind, src, dst, props FROM edges"):
            graph.add_edge(src, dst, key=edge_id, kind=kind, props=json.loads(props))
        self.graph = graph
        self._version += 1

    def _apply(self, nodes: dict[str, Node], edges: dict[str, Edge]) -> None:
        for node in nodes.values():
            self.graph.add_node(node.id, kind=node.kind, name=node.name)
        for edge in edges.values():
            self.graph.add_edge(edge.src, edge.dst, key=edge.id, kind=edge.kind, props=edge.props)
        if nodes or edges:
            self._version += 1

    def node_records(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Every node as ``(id, kind, name, props)``, without sources: for bulk readers
        such as the path index."""
        for node_id, kind, name, props in self._db.execute("SELECT id, kind, name, props FROM nodes"):
            yield node_id, kind, name, json.loads(props)

    # -- writes -------------------------------------------------------------------------
    @contextmanager
    def batch(self, source: str) -> Iterator[WriteBatch]:
        batch = _SqliteBatch(self, source)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield batch
            batch.flush()
            self._db.execute(
                "INSERT INTO batches (source, committed_at) VALUES (?, ?)", (source, batch.now)
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._apply(batch._nodes, batch._edges)

    # -- reads --------------------------------------------------------------------------
    def _sources(self, item_id: str) -> list[Source]:
        rows = self._db.execute(
            "SELECT source, first_seen, last_seen FROM sources WHERE item_id = ? ORDER BY first_seen, source",
            (item_id,),
        )
        return [Source(*row) for row in rows]

    def _node_from_row(self, row: tuple[Any, ...]) -> Node:
        return Node(row[0], row[1], row[2], json.loads(row[3]), self._sources(row[0]))

    def _edge_from_row(self, row: tuple[Any, ...]) -> Edge:
        return Edge(row[0], row[1], row[2], row[3], json.loads(row[4]), self._sources(row[0]))

    def get_node(self, node_id: str) -> Node | None:
        row = self._db.execute("SELECT id, kind, name, props FROM nodes WHERE id = ?", (node_id,)).fetchone()
        return self._node_from_row(row) if row else None

    def get_edge(self, edge_id: str) -> Edge | None:
        row = self._db.execute("SELECT id, kind, src, dst, props FROM edges WHERE id = ?", (edge_id,)).fetchone()
        return self._edge_from_row(row) if row else None

    def nodes_named(self, kind: str, name: str) -> list[Node]:
        rows = self._db.execute(
            "SELECT id, kind, name, props FROM nodes WHERE kind = ? AND name_canon = ? ORDER BY id",
            (kind, canonical(name)),
        ).fetchall()
        return [self._node_from_row(r) for r in rows]

    def neighbours(
        self, node_id: str, *, edge_kinds: frozenset[str] | None = None, limit: int = 500
    ) -> tuple[list[Neighbour], bool]:
        self.node(node_id)
        rows = self._db.execute(
            "SELECT id, kind, src, dst, props FROM edges WHERE src = ? "
            "UNION ALL SELECT id, kind, src, dst, props FROM edges WHERE dst = ? ORDER BY kind, id",
            (node_id, node_id),
        ).fetchall()
        if edge_kinds is not None:
            rows = [r for r in rows if r[1] in edge_kinds]
        truncated = len(rows) > limit
        result = []
        for row in rows[:limit]:
            edge = self._edge_from_row(row)
            direction = "out" if edge.src == node_id else "in"
            other = self.get_node(edge.dst if direction == "out" else edge.src)
            if other is not None:
                result.append(Neighbour(edge, other, direction))
        return result, truncated

    def search(self, query: str, *, kinds: frozenset[str] | None = None, limit: int = 20) -> list[SearchHit]:
        q = normalize_query(query)
        if not q:
            return []
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._db.execute(
            "SELECT t.term, t.node_id, t.weight, n.kind, n.name, n.props FROM search_terms t "
            "JOIN nodes n ON n.id = t.node_id WHERE t.term LIKE ? ESCAPE '\\'",
            (f"%{escaped}%",),
        ).fetchall()
        found: dict[str, tuple[str, str, str, list[tuple[str, int]]]] = {}
        for term, node_id, weight, kind, name, props in rows:
            if kinds is None or kind in kinds:
                found.setdefault(node_id, (kind, name, props, []))[3].append((term, weight))
        ranked = rank_candidates(q, ((i, k, n, terms) for i, (k, n, _, terms) in found.items()), limit)
        return [
            SearchHit(h.node_id, h.kind, h.name, h.term, h.score, hit_detail(h.kind, json.loads(found[h.node_id][2])))
            for h in ranked
        ]

    def iter_nodes(self, kind: str | None = None) -> Iterator[Node]:
        sql = "SELECT id, kind, name, props FROM nodes" + (" WHERE kind = ?" if kind else "") + " ORDER BY id"
        for row in self._db.execute(sql, (kind,) if kind else ()).fetchall():
            yield self._node_from_row(row)

    def iter_edges(self, kind: str | None = None) -> Iterator[Edge]:
        sql = "SELECT id, kind, src, dst, props FROM edges" + (" WHERE kind = ?" if kind else "") + " ORDER BY id"
        for row in self._db.execute(sql, (kind,) if kind else ()).fetchall():
            yield self._edge_from_row(row)

    def counts(self) -> dict[str, dict[str, int]]:
        nodes = dict(self._db.execute("SELECT kind, COUNT(*) FROM nodes GROUP BY kind ORDER BY kind").fetchall())
        edges = dict(self._db.execute("SELECT kind, COUNT(*) FROM edges GROUP BY kind ORDER BY kind").fetchall())
        return {"nodes": nodes, "edges": edges}

    def node_keys(self, node_ids: Iterable[str]) -> dict[str, list[str]]:
        keys: dict[str, list[str]] = {}
        for node_id in node_ids:
            rows = self._db.execute("SELECT key FROM node_keys WHERE node_id = ? ORDER BY key", (node_id,))
            found = [row[0] for row in rows]
            if found:
                keys[node_id] = found
        return keys

    def restore(self, nodes: Iterable[Node], edges: Iterable[Edge], keys: Iterable[tuple[str, str]]) -> None:
        written_nodes: dict[str, Node] = {}
        written_edges: dict[str, Edge] = {}
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for node in nodes:
                self.schema.node(node.kind)  # only declared kinds, as Neo4j's labels: SchemaError, all rolled back
                self._db.execute(
                    "INSERT OR REPLACE INTO nodes (id, kind, name, name_canon, props) VALUES (?, ?, ?, ?, ?)",
                    (node.id, node.kind, node.name, canonical(node.name), _dumps(node.props)),
                )
                self._db.execute("DELETE FROM search_terms WHERE node_id = ?", (node.id,))
                self._db.executemany(
                    "INSERT INTO search_terms (term, node_id, weight) VALUES (?, ?, ?)",
                    [(t, node.id, w) for t, w in node_terms(node.kind, node.props).items()],
                )
                self._restore_sources(node.id, node.sources)
                written_nodes[node.id] = node
            self._db.executemany("INSERT OR REPLACE INTO node_keys (key, node_id) VALUES (?, ?)", list(keys))
            for edge in edges:
                self.schema.edge(edge.kind)
                self._db.execute(
                    "INSERT OR REPLACE INTO edges (id, kind, src, dst, props) VALUES (?, ?, ?, ?, ?)",
                    (edge.id, edge.kind, edge.src, edge.dst, _dumps(edge.props)),
                )
                self._restore_sources(edge.id, edge.sources)
                written_edges[edge.id] = edge
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._apply(written_nodes, written_edges)

    def _restore_sources(self, item_id: str, sources: list[Source]) -> None:
        self._db.execute("DELETE FROM sources WHERE item_id = ?", (item_id,))
        self._db.executemany(
            "INSERT INTO sources (item_id, source, first_seen, last_seen) VALUES (?, ?, ?, ?)",
            [(item_id, s.source, s.first_seen, s.last_seen) for s in sources],
        )

    # -- entity resolution: review queue and merges --------------------------------------
    def review_items(self, status: str | None = "pending") -> list[ReviewItem]:
        sql = f"SELECT {_REVIEW_COLUMNS} FROM review_items" + (" WHERE status = ?" if status else "")
        rows = self._db.execute(sql + " ORDER BY created_at, COALESCE(line, 0), id", (status,) if status else ()).fetchall()
        return [_review_from_row(row) for row in rows]

    def get_review_item(self, item_id: str) -> ReviewItem | None:
        row = self._db.execute(f"SELECT {_REVIEW_COLUMNS} FROM review_items WHERE id = ?", (item_id,)).fetchone()
        return _review_from_row(row) if row else None

    def merged_into(self, node_id: str) -> str | None:
        row = self._db.execute("SELECT new_id FROM node_redirects WHERE old_id = ?", (node_id,)).fetchone()
        return row[0] if row else None

    def iter_redirects(self) -> Iterator[tuple[str, str]]:
        rows = self._db.execute("SELECT old_id, new_id FROM node_redirects ORDER BY old_id").fetchall()
        for old_id, new_id in rows:
            yield old_id, new_id

    def restore_review_state(self, items: Iterable[ReviewItem], redirects: Iterable[tuple[str, str]]) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                f"INSERT OR REPLACE INTO review_items ({_REVIEW_COLUMNS}) VALUES ({', '.join('?' * 12)})",
                [_review_to_row(item) for item in items],
            )
            self._db.executemany("INSERT OR REPLACE INTO node_redirects (old_id, new_id) VALUES (?, ?)", list(redirects))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _record_decision(self, item_id: str, status: str, at: str) -> None:
        self._db.execute("UPDATE review_items SET status = ?, decided_at = ? WHERE id = ?", (status, at, item_id))

    def merge_nodes(self, keep: str, drop: str, *, note: str | None = None, review: str | None = None) -> Node:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            keep_node, drop_node = self.node(keep), self.node(drop)
            rows = db.execute(
                "SELECT id, kind, src, dst, props FROM edges WHERE src = ? "
                "UNION SELECT id, kind, src, dst, props FROM edges WHERE dst = ? ORDER BY id",
                (drop, drop),
            ).fetchall()
            plan = plan_merge(
                self.schema, keep_node, drop_node, [self._edge_from_row(r) for r in rows], self.get_edge, note=note
            )
            node = plan.node
            db.execute(
                "UPDATE nodes SET name = ?, name_canon = ?, props = ? WHERE id = ?",
                (node.name, canonical(node.name), _dumps(node.props), keep),
            )
            db.execute("DELETE FROM nodes WHERE id = ?", (drop,))
            db.executemany("DELETE FROM search_terms WHERE node_id = ?", [(keep,), (drop,)])
            db.executemany(
                "INSERT INTO search_terms (term, node_id, weight) VALUES (?, ?, ?)",
                [(t, keep, w) for t, w in node_terms(node.kind, node.props).items()],
            )
            self._restore_sources(keep, node.sources)
            db.execute("DELETE FROM sources WHERE item_id = ?", (drop,))
            db.execute("UPDATE node_keys SET node_id = ? WHERE node_id = ?", (keep, drop))
            for old in plan.delete_edges:
                db.execute("DELETE FROM edges WHERE id = ?", (old,))
                db.execute("DELETE FROM sources WHERE item_id = ?", (old,))
            for edge in plan.write_edges.values():
                db.execute(
                    "INSERT OR REPLACE INTO edges (id, kind, src, dst, props) VALUES (?, ?, ?, ?, ?)",
                    (edge.id, edge.kind, edge.src, edge.dst, _dumps(edge.props)),
                )
                self._restore_sources(edge.id, edge.sources)
            db.execute("UPDATE node_redirects SET new_id = ? WHERE new_id = ?", (keep, drop))
            db.execute("INSERT OR REPLACE INTO node_redirects (old_id, new_id) VALUES (?, ?)", (drop, keep))
            if review is not None:
                self._record_decision(review, "accepted", utc_now())
            db.execute("INSERT INTO batches (source, committed_at) VALUES (?, ?)", (f"合并 {drop} → {keep}", utc_now()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if self.graph.has_node(drop):
            self.graph.remove_node(drop)
        self.graph.add_node(keep, kind=node.kind, name=node.name)
        for edge in plan.write_edges.values():
            self.graph.add_edge(edge.src, edge.dst, key=edge.id, kind=edge.kind, props=edge.props)
        self._version += 1
        return self.node(keep)

    def integrity_check(self) -> str:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        self._db.close()

