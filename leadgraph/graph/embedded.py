"""The embedded backend: a SQLite file as the durable record, networkx in memory.

SQLite (WAL) holds every node, edge, key, source and search term; each write batch is
one transaction, so a crash mid-batch leaves the file as it was before the batch. The
networkx graph is rebuilt from SQLite on open and updated only after a commit succeeds.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from leadgraph.errors import BackendUnavailable
from leadgraph.graph.identity import canonical
from leadgraph.graph.model import Edge, Neighbour, Node, SearchHit, Source
from leadgraph.graph.store import GraphStore, WriteBatch
from leadgraph.graph.terms import KIND_ORDER, node_terms, normalize_query, rank_hit
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
"""

_SCHEMA_VERSION = "1"


def _dumps(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, sort_keys=True, default=str)


class _SqliteBatch(WriteBatch):
    def __init__(self, store: "EmbeddedStore", source: str) -> None:
        super().__init__(store.schema, source)
        self._db = store._db
        self._nodes: dict[str, Node] = {}
        self._edges: dict[str, Edge] = {}
        self._touched: set[str] = set()

    def _owner_of_key(self, key: str) -> str | None:
        row = self._db.execute("SELECT node_id FROM node_keys WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _get_node(self, node_id: str) -> Node | None:
        if node_id in self._nodes:
            return self._nodes[node_id]
        row = self._db.execute("SELECT id, kind, name, props FROM nodes WHERE id = ?", (node_id,)).fetchone()
        return Node(row[0], row[1], row[2], json.loads(row[3])) if row else None

    def _nodes_named(self, kind: str, name: str) -> list[Node]:
        rows = self._db.execute(
            "SELECT id, kind, name, props FROM nodes WHERE kind = ? AND name_canon = ? ORDER BY id",
            (kind, canonical(name)),
        ).fetchall()
        return [self._nodes.get(r[0]) or Node(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def _save_node(self, node: Node, *, created: bool, keys: list[str]) -> None:
        values = (node.kind, node.name, canonical(node.name), _dumps(node.props), node.id)
        if created:
            self._db.execute(
                "INSERT INTO nodes (kind, name, name_canon, props, id) VALUES (?, ?, ?, ?, ?)", values
            )
        else:
            self._db.execute("UPDATE nodes SET kind=?, name=?, name_canon=?, props=? WHERE id=?", values)
            self._db.execute("DELETE FROM search_terms WHERE node_id = ?", (node.id,))
        self._db.executemany(
            "INSERT OR IGNORE INTO node_keys (key, node_id) VALUES (?, ?)", [(k, node.id) for k in keys]
        )
        self._db.executemany(
            "INSERT INTO search_terms (term, node_id, weight) VALUES (?, ?, ?)",
            [(t, node.id, w) for t, w in node_terms(node.kind, node.props).items()],
        )
        self._nodes[node.id] = node

    def _get_edge(self, edge_id: str) -> Edge | None:
        if edge_id in self._edges:
            return self._edges[edge_id]
        row = self._db.execute("SELECT id, kind, src, dst, props FROM edges WHERE id = ?", (edge_id,)).fetchone()
        return Edge(row[0], row[1], row[2], row[3], json.loads(row[4])) if row else None

    def _save_edge(self, edge: Edge, *, created: bool) -> None:
        if created:
            self._db.execute(
                "INSERT INTO edges (id, kind, src, dst, props) VALUES (?, ?, ?, ?, ?)",
                (edge.id, edge.kind, edge.src, edge.dst, _dumps(edge.props)),
            )
        else:
            self._db.execute("UPDATE edges SET props = ? WHERE id = ?", (_dumps(edge.props), edge.id))
        self._edges[edge.id] = edge

    def _touch_source(self, item_id: str) -> bool:
        if item_id in self._touched:
            return False
        self._touched.add(item_id)
        known = self._db.execute(
            "UPDATE sources SET last_seen = ? WHERE item_id = ? AND source = ?", (self.now, item_id, self.source)
        ).rowcount
        if known:
            return False
        self._db.execute(
            "INSERT INTO sources (item_id, source, first_seen, last_seen) VALUES (?, ?, ?, ?)",
            (item_id, self.source, self.now, self.now),
        )
        return True


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
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = OFF")
        self._db.executescript(_DDL)
        self._db.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (_SCHEMA_VERSION,)
        )
        self.graph = nx.MultiDiGraph()
        self._load_graph()

    # -- in-memory graph ----------------------------------------------------------------
    def _load_graph(self) -> None:
        graph = nx.MultiDiGraph()
        for node_id, kind, name in self._db.execute("SELECT id, kind, name FROM nodes"):
            graph.add_node(node_id, kind=kind, name=name)
        for edge_id, kind, src, dst, props in self._db.execute("SELECT id, kind, src, dst, props FROM edges"):
            graph.add_edge(src, dst, key=edge_id, kind=kind, props=json.loads(props))
        self.graph = graph

    def _apply(self, nodes: dict[str, Node], edges: dict[str, Edge]) -> None:
        for node in nodes.values():
            self.graph.add_node(node.id, kind=node.kind, name=node.name)
        for edge in edges.values():
            self.graph.add_edge(edge.src, edge.dst, key=edge.id, kind=edge.kind, props=edge.props)

    # -- writes -------------------------------------------------------------------------
    @contextmanager
    def batch(self, source: str) -> Iterator[WriteBatch]:
        batch = _SqliteBatch(self, source)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield batch
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
        best: dict[str, tuple[int, str, str, str, dict[str, Any]]] = {}
        for term, node_id, weight, kind, name, props in rows:
            if kinds is not None and kind not in kinds:
                continue
            score = rank_hit(q, term, weight)
            if score and (node_id not in best or score > best[node_id][0]):
                best[node_id] = (score, term, kind, name, props)
        ordered = sorted(
            best.items(), key=lambda item: (-item[1][0], KIND_ORDER.get(item[1][2], 9), len(item[1][3]), item[1][3], item[0])
        )
        return [
            SearchHit(node_id, kind, name, term, score, _hit_detail(kind, json.loads(props)))
            for node_id, (score, term, kind, name, props) in ordered[:limit]
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

    def integrity_check(self) -> str:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        self._db.close()


def _hit_detail(kind: str, props: dict[str, Any]) -> dict[str, Any]:
    """The few properties that tell two same-named hits apart in a result list."""
    wanted = {
        "Person": ("roles", "org_name", "title", "city", "township"),
        "Organization": ("org_kind", "short_name", "stock_code", "city"),
        "ChainSegment": ("stage",),
        "Region": ("level", "code"),
        "Project": ("stage", "amount_yi"),
        "Event": ("event_type", "date"),
    }.get(kind, ())
    return {k: props[k] for k in wanted if k in props}
