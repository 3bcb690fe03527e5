"""Referral paths on Neo4j from a projection: the whole graph's path index, in memory.

Like a Neo4j GDS projection, :class:`PathProjection` reads the traversable graph once
(nodes with the facts the index needs, traversable relationships with the properties a
tie's strength needs) with paged Cypher, and keeps it as
:class:`~leadgraph.graph.pathindex.IndexColumns` — the same reader and strength code
the embedded store's index is built with, so the index is the same to the byte. An
index per ``as_of`` date is derived from the columns without reading the server again.

Staleness: a projection holds the database state it was read from, the bookmark of a
read made *before* its first page. Every commit to the database, by any client, gives
later reads a new bookmark, so a question (one read, ~1 round trip) uses the
projection only when the state it sees is the projection's. A write that commits while
the projection is being read leaves it keyed by the older state, so it is never used.

When the projection is stale or absent the question is answered hop by hop (see
:mod:`leadgraph.graph.pathfetch`) and the projection is rebuilt: at once when the graph
is small (fewer than ``sync_below`` traversable relationships), otherwise in a
background thread — one at a time; a failed build is logged and tried again after
``retry_after`` seconds, and never fails a question. ``mode`` ``"background"`` always
builds in the background, ``"off"`` never builds, and ``"inline"`` (for one-shot
processes such as a CLI command, which would drop a background build at exit) builds a
small graph at once and leaves a big one to the hop-by-hop fetch.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal


from leadgraph.graph.neo4j_layout import label, rel_type
from leadgraph.graph.pathfetch import node_fact_properties, strength_properties
from leadgraph.graph.pathindex import EdgeRecord, IndexColumns, NodeRecord, TraversalIndex

if TYPE_CHECKING:
    from leadgraph.graph.neo4j_store import Neo4jStore

__all__ = ["PathProjection", "Projection", "ProjectionMode", "PROJECTION_MODES", "Neo4jGraphSource", "PAGE", "SYNC_BELOW"]

ProjectionMode = Literal["auto", "inline", "background", "off"]
PROJECTION_MODES: tuple[str, ...] = ("auto", "inline", "background", "off")
PAGE = 20_000  # nodes or relationships per read
SYNC_BELOW = 50_000  # traversable relationships: below this a projection is built at once
RETRY_AFTER = 60.0  # seconds after a failed build before the next one
_INDEXES_KEPT = 2  # indexes (as_of dates) kept per projection

log = logging.getLogger(__name__)


class _Closed(Exception):
    """The store closed while a projection was being read."""


def count_query(store: "Neo4jStore") -> str:
    """Nodes per label and relationships per traversable type, from Neo4j's count store."""
    schema = store.schema
    parts = [f"MATCH (n:{label(schema, k)}) RETURN 'n' AS what, '{k}' AS kind, count(n) AS c" for k in schema.nodes]
    parts += [
        f"MATCH ()-[r:{rel_type(schema, k)}]->() RETURN 'r' AS what, '{k}' AS kind, count(r) AS c"
        for k in sorted(schema.traversable_edges)
    ]
    return "CALL { " + " UNION ALL ".join(parts) + " } RETURN what, kind, c"


class Neo4jGraphSource:
    """The traversable graph of a Neo4j store as a :class:`~.pathindex.TraversalSource`,
    read a page at a time in id order (one record per page: the driver pays per record).
    Labels and types come from the schema, checked; values go as parameters."""

    def __init__(self, store: "Neo4jStore", counts: dict[tuple[str, str], int], *, page: int = PAGE,
                 closed: threading.Event | None = None) -> None:
        self.store = store
        self.page = page
        self.closed = closed
        schema = store.schema
        self._node_props = node_fact_properties(schema)
        self._edge_props = strength_properties(schema)
        node_values = ", ".join(["n.id", "coalesce(n.name, '')", *(f"n.`{p}`" for p in self._node_props)])
        edge_values = ", ".join(["r.id", "a.id", "b.id", *(f"r.`{p}`" for p in self._edge_props)])
        self._node_queries = {
            kind: f"MATCH (n:{label(schema, kind)}) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $page "
                  f"RETURN collect([{node_values}]) AS rows"
            for kind in schema.nodes if counts.get(("n", kind))
        }
        self._edge_queries = {
            kind: f"MATCH (a)-[r:{rel_type(schema, kind)}]->(b) WHERE r.id > $after "
                  f"WITH a, r, b ORDER BY r.id LIMIT $page RETURN collect([{edge_values}]) AS rows"
            for kind in sorted(schema.traversable_edges) if counts.get(("r", kind))
        }
        self.reads = 0

    def _page(self, query: str, after: str) -> list[list[Any]]:
        if self.closed is not None and self.closed.is_set():
            raise _Closed()
        self.reads += 1
        return self.store._read(lambda tx: tx.run(query, after=after, page=self.page).single()["rows"])

    def _pages(self, query: str) -> Iterator[list[list[Any]]]:
        """The pages of one query; the server reads the next page while this one is used."""
        with ThreadPoolExecutor(max_workers=1) as reader:
            rows = self._page(query, "")
            while True:
                full = len(rows) == self.page
                following = reader.submit(self._page, query, rows[-1][0]) if full else None
                if rows:
                    yield rows
                if following is None:
                    return
                rows = following.result()

    def nodes(self) -> Iterator[NodeRecord]:
        names = self._node_props
        for kind, query in self._node_queries.items():
            for rows in self._pages(query):
                for node_id, name, *values in rows:
                    yield node_id, kind, str(name), {k: v for k, v in zip(names, values) if v is not None}

    def edges(self) -> Iterator[EdgeRecord]:
        names = self._edge_props
        for kind, query in self._edge_queries.items():
            for rows in self._pages(query):
                for edge_id, src, dst, *values in rows:
                    yield edge_id, kind, src, dst, {k: v for k, v in zip(names, values) if v is not None}


@dataclass(eq=False)
class Projection:
    """The traversable graph as read at one database ``state``, and its indexes by date."""

    state: tuple[str, ...]
    columns: IndexColumns
    read_s: float
    indexes: "OrderedDict[date, TraversalIndex]" = field(default_factory=OrderedDict)

    def index(self, as_of: date) -> TraversalIndex | None:
        found = self.indexes.get(as_of)
        if found is not None:
            self.indexes.move_to_end(as_of)
        return found

    def keep(self, as_of: date, index: TraversalIndex) -> None:
        self.indexes[as_of] = index
        while len(self.indexes) > _INDEXES_KEPT:
            self.indexes.popitem(last=False)


class PathProjection:
    """The projection of one :class:`~leadgraph.graph.neo4j_store.Neo4jStore` (see the
    module docstring). ``stats`` counts questions answered from it (``projection``) and
    hop by hop (``neighbourhood``), projections read (``builds``, in ``pages`` reads),
    indexes derived for a date (``indexes``) and ``failed_builds``; ``last_build``
    describes the latest build."""

    def __init__(self, store: "Neo4jStore", mode: ProjectionMode = "auto", *, sync_below: int = SYNC_BELOW,
                 retry_after: float = RETRY_AFTER, page: int = PAGE) -> None:
        if mode not in PROJECTION_MODES:
            raise ValueError(f"projection mode must be {', '.join(PROJECTION_MODES[:-1])} or off, not {mode!r}")
        self.store = store
        self.mode = mode
        self.sync_below = sync_below
        self.retry_after = retry_after
        self.page = page
        self.stats: Counter[str] = Counter()
        self.last_build: dict[str, Any] = {}
        self._current: Projection | None = None
        self._lock = threading.Lock()  # guards _current, _thread, _failed_at
        self._building = threading.Lock()  # one build at a time
        self._thread: threading.Thread | None = None
        self._failed_at: float | None = None
        self._closed = threading.Event()

    # -- questions -------------------------------------------------------------------------
    def index(self, as_of: date) -> TraversalIndex | None:
        """The whole graph's index as of ``as_of`` when the projection is fresh (building it
        now if the graph is small); None when the question must be answered hop by hop."""
        if self.mode == "off":
            self.stats["neighbourhood"] += 1
            return None
        state = self.store.database_state()
        with self._lock:
            current = self._current
            if current is not None and current.state != state:
                self._current = current = None  # stale: free its memory before the next build
            found = current.index(as_of) if current is not None else None
        if found is None:
            found = self._refresh(as_of, state, current)
        self.stats["projection" if found is not None else "neighbourhood"] += 1
        return found

    def _refresh(self, as_of: date, state: tuple[str, ...], current: Projection | None) -> TraversalIndex | None:
        if self.mode in ("auto", "inline") and not self._failed_lately():
            if current is not None:  # fresh, only this date's index is missing
                if current.columns.n_edges < self.sync_below:
                    return self._build_quietly(as_of, state)
            else:
                return self._build_quietly(as_of, state, small_only=True)
        self._start(as_of)
        return None

    # -- building --------------------------------------------------------------------------
    def _counts(self) -> dict[tuple[str, str], int]:
        query = count_query(self.store)
        rows = self.store._query(query)
        return {(row["what"], row["kind"]): int(row["c"]) for row in rows}

    def _build(self, as_of: date, state: tuple[str, ...] | None = None,
               counts: dict[tuple[str, str], int] | None = None) -> TraversalIndex:
        """Make the projection fresh and return its index as of ``as_of``. ``state`` (with
        ``counts``, read after it) is the database state a caller saw before; the columns
        are read only when it differs from the projection's."""
        if state is None:
            state, counts = self.store.database_state(), None  # before the first page: a later write makes it stale
        started = time.perf_counter()
        with self._lock:
            current = self._current
        if current is None or current.state != state:
            counts = self._counts() if counts is None else counts
            source = Neo4jGraphSource(self.store, counts, page=self.page, closed=self._closed)
            columns = IndexColumns.read(source, self.store.schema)
            current = Projection(state, columns, time.perf_counter() - started)
            self.stats["builds"] += 1
            self.stats["pages"] += source.reads
        with self._lock:
            index = current.index(as_of)
        if index is None:
            index = current.columns.index(as_of=as_of)
            index.position("")  # its id → position map, built here rather than in a question
            self.stats["indexes"] += 1
        with self._lock:
            current.keep(as_of, index)
            self._current = current
        self.last_build = {
            "seconds": round(time.perf_counter() - started, 3),
            "read_s": round(current.read_s, 3),
            "nodes": len(current.columns.ids),
            "relationships": current.columns.n_edges,
        }
        return index

    def build(self, as_of: date) -> TraversalIndex:
        """Make the projection fresh now, whatever the mode (a warm-up, or a benchmark), and
        return its index as of ``as_of``."""
        with self._building:
            return self._build(as_of)

    def _failed_lately(self) -> bool:
        return self._failed_at is not None and time.monotonic() - self._failed_at < self.retry_after

    def _start(self, as_of: date) -> None:
        """Build in a background thread, unless one is running, the last one failed lately or
        the mode is ``inline``."""
        with self._lock:
            if self.mode == "inline" or self._closed.is_set() or (self._thread is not None and self._thread.is_alive()):
                return
            if self._failed_lately():
                return
            self._thread = threading.Thread(target=self._build_quietly, args=(as_of,), name="leadgraph-projection",
                                            daemon=True)
            self._thread.start()

    def _build_quietly(self, as_of: date, state: tuple[str, ...] | None = None, *,
                       small_only: bool = False) -> TraversalIndex | None:
        """:meth:`_build`, with a failure logged (and the next try put off) instead of
        raised: a question then goes hop by hop. ``small_only``: build only when the graph
        has fewer than ``sync_below`` traversable relationships, else start a background
        build and return None."""
        try:
            counts = None
            if small_only:
                counts = self._counts()  # read after ``state``: the projection may be keyed by it
                if sum(c for (what, _), c in counts.items() if what == "r") >= self.sync_below:
                    self._start(as_of)
                    return None
            with self._building:
                index = self._build(as_of, state, counts)
            self._failed_at = None
            return index
        except _Closed:
            return None
        except Exception:
            if self._closed.is_set():
                return None
            self._failed_at = time.monotonic()
            self.stats["failed_builds"] += 1
            log.exception("building the Neo4j path projection failed; questions are answered hop by hop, "
                          "retrying in %.0f s", self.retry_after)
            return None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background build to finish; True when none is running."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def close(self, timeout: float = 1.0) -> None:
        """Stop a background build (between pages) and drop the projection."""
        self._closed.set()
        self.wait(timeout)
        with self._lock:
            self._current = None
