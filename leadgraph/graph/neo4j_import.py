"""First load with neo4j-admin's offline importer: the import files of a graph.

A first load of a big graph is fastest with ``neo4j-admin database import full``, which
writes the store files directly instead of running transactions (:mod:`.neo4j_admin`
runs it). The files written here carry the layout of :mod:`.neo4j_layout` to the byte,
in the format of :mod:`.neo4j_csv`: the property maps come from the same
``node_record`` / ``edge_record`` (through ``neo4j_store._prepare_rows``, in two worker
processes, as ``bulk_load`` builds them), plus the ``(:_Key {key, node_id})`` nodes and,
from an export file, the review queue and redirects as :mod:`.neo4j_review` stores them
(``(:_Review {id, kind, …})``, ``(:_Redirect {old_id, new_id})``), so decisions survive
a first load as they survive ``import-graph``.
Keys are claimed as ``restore`` claims them (the keys given; a later owner of one key
wins) or, when no keys are given, as ``bulk_load`` claims them (each node takes those of
its natural keys that no earlier node holds).

The importer cannot merge, so what the server would refuse later is refused here: a
repeated node or edge id, an edge to a node that is not (yet) in the graph, a redirect
to a node that is not in it (``transfer.check_redirects``). Each worker
turns a chunk into lines; this process makes the checks that need the whole graph and
appends the lines in order, so the files do not depend on the workers' timing.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from leadgraph.graph.model import Node, Source
>>> from leadgraph.schema import default_schema
>>> seen = [Source("名录", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z")]
>>> node = Node("per:1", "Person", '张"伟', {"name": '张"伟', "mobile": "13800000000"}, seen)
>>> with tempfile.TemporaryDirectory() as tmp:
...     files = write_import_files(default_schema(), Path(tmp), [([node], [], None)])
...     lines = (Path(tmp) / "nodes-Person.csv").read_text(encoding="utf-8").splitlines()
>>> files.counts
{'nodes': 1, 'edges': 0, 'keys': 1, 'reviews': 0, 'redirects': 0}
>>> lines[0].split(",")[:4]
['id:ID(node)', ':LABEL', 'name:string', 'roles:string[]']
>>> lines[1].startswith('"per:1",Person,"张""伟",,"13800000000"')
True
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from leadgraph.errors import IngestError
from leadgraph.graph.model import Edge, Node
from leadgraph.graph.neo4j_csv import (
    ARGS_FILE,
    ARRAY_DELIMITER,
    CsvLayout,
    CsvWriter,
    FileKey,
    ImportFiles,
    csv_lines,
    review_lines,
)
from leadgraph.graph.neo4j_store import _PREPARERS, _claim_keys, preparer_pool
from leadgraph.graph.transfer import COUNTS, Block, check_counts, check_redirects, read_block, read_header
from leadgraph.schema import Schema

__all__ = [
    "ARRAY_DELIMITER",
    "ARGS_FILE",
    "ImportFiles",
    "write_import_files",
    "import_files_for",
    "import_files_from_export",
]

_CHUNK = 10_000


@dataclass
class _Done:
    """A worker's answer for one chunk: its CSV lines, and what the main process checks."""

    lines: dict[FileKey, list[str]]
    node_ids: list[str]
    edges: list[tuple[str, str, str]]  # (id, src, dst)
    keys: list[tuple[str, str]] | None = None  # keys read from an export file
    block: Block | None = None  # its line numbers, review items and redirects, for the checks


def _item_lines(layout: CsvLayout, nodes: list[Node], edges: list[Edge]) -> _Done:
    return _Done(csv_lines(layout, nodes, edges), [n.id for n in nodes], [(e.id, e.src, e.dst) for e in edges])


def _export_lines(schema: Schema, layout: CsvLayout, numbered: list[tuple[int, str]]) -> _Done:
    block = read_block(schema, numbered)
    done = _item_lines(layout, block.nodes, block.edges)
    done.lines.update(review_lines(block.reviews, block.redirects))
    done.keys, done.block = block.keys, block.position()
    return done


class _Import:
    """The checks no worker can make alone, and the files, fed chunk results in order."""

    def __init__(self, schema: Schema, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.schema, self.layout = schema, CsvLayout.of(schema)
        self.writer = CsvWriter(directory, self.layout, schema)
        self.counts = self.writer.files.counts
        self.node_ids: set[str] = set()
        self.edge_ids: set[str] = set()
        self.claimed: set[str] = set()
        self.owners: dict[str, str] = {}  # given keys: the last owner wins, as restore's SET
        self.previous: Block | None = None
        self.seen: set[tuple[str, str]] = set()  # review item ids and redirected node ids

    def claim(self, nodes: list[Node]) -> None:
        """Natural keys as bulk_load claims them: each node takes those no earlier node holds."""
        self.writer.keys(_claim_keys(self.schema, nodes, self.claimed))

    def own(self, keys: Iterable[tuple[str, str]]) -> None:
        self.owners.update(keys)

    def accept(self, done: _Done) -> None:
        if done.block is not None:
            done.block.check_after(self.previous)
            done.block.check_unique(self.seen)
            self.previous = done.block if done.block.firsts else self.previous
        for node_id in done.node_ids:
            if node_id in self.node_ids:
                raise IngestError(f"节点 {node_id} 出现了两次 (node {node_id} appears twice)", item=node_id)
            self.node_ids.add(node_id)
        for edge_id, src, dst in done.edges:
            if edge_id in self.edge_ids:
                raise IngestError(f"关系 {edge_id} 出现了两次 (edge {edge_id} appears twice)", item=edge_id)
            if src not in self.node_ids or dst not in self.node_ids:
                raise IngestError(
                    f"关系 {edge_id} 的端点不在图中 (edge {edge_id} names a node that is not in the graph, "
                    "or comes before it)", item=edge_id,
                )
            self.edge_ids.add(edge_id)
        if done.keys is not None:
            self.own(done.keys)
        self.counts["nodes"] += len(done.node_ids)
        self.counts["edges"] += len(done.edges)
        if done.block is not None:  # every node came before the first redirect (the order check)
            check_redirects(done.block, lambda ids: self.node_ids)
            self.counts["reviews"] += len(done.block.reviews)
            self.counts["redirects"] += len(done.block.redirects)
        self.writer.write(done.lines)

    def run(self, jobs: Iterable[tuple[Callable[..., _Done], tuple[Any, ...], int]], chunk_size: int) -> ImportFiles:
        """Run ``(function, arguments, size)`` jobs, in two worker processes once one fills a chunk."""
        pool: ProcessPoolExecutor | None = None
        pending: deque[Future[_Done]] = deque()
        try:
            for function, arguments, size in jobs:
                if pool is None and size >= chunk_size:
                    pool = preparer_pool()
                if pool is None:
                    self.accept(function(*arguments))
                    continue
                pending.append(pool.submit(function, *arguments))
                if len(pending) > _PREPARERS:
                    self.accept(pending.popleft().result())
            while pending:
                self.accept(pending.popleft().result())
            self.writer.keys(self.owners.items())
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            self.writer.close()
        files = self.writer.files
        files.nodes.sort(key=lambda name: not name.startswith("keys"))
        return files


def write_import_files(
    schema: Schema,
    directory: Path,
    chunks: Iterable[tuple[list[Node], list[Edge], list[tuple[str, str]] | None]],
    *,
    chunk_size: int = _CHUNK,
) -> ImportFiles:
    """Write the import files of ``chunks`` of ``(nodes, edges, keys)`` into ``directory``.

    Nodes must all come before edges. ``keys`` are ``(key, node id)`` pairs as
    :meth:`~.Neo4jStore.restore` takes them (a later owner of one key wins), or ``None``
    to claim natural keys as :meth:`~.Neo4jStore.bulk_load` does. Ids must be unique
    and every edge's ends must be among the nodes: the importer cannot merge. Chunks
    of ``chunk_size`` items or more are turned into lines by two worker processes.
    """
    state = _Import(schema, directory)

    def jobs() -> Iterator[tuple[Callable[..., _Done], tuple[Any, ...], int]]:
        for nodes, edges, keys in chunks:
            if keys is None:
                state.claim(nodes)
            else:
                state.own(keys)
            yield _item_lines, (state.layout, nodes, edges), len(nodes) + len(edges)

    return state.run(jobs(), chunk_size)


def _chunked(nodes: Iterable[Node], edges: Iterable[Edge], size: int) -> Iterator[tuple[list[Node], list[Edge], None]]:
    node_iter, edge_iter = iter(nodes), iter(edges)
    while chunk := list(islice(node_iter, size)):
        yield chunk, [], None
    while edge_chunk := list(islice(edge_iter, size)):
        yield [], edge_chunk, None


def import_files_for(
    schema: Schema, directory: Path, nodes: Iterable[Node], edges: Iterable[Edge], *, chunk_size: int = _CHUNK
) -> ImportFiles:
    """The import files of what :meth:`~.Neo4jStore.bulk_load` would load (natural keys claimed as it claims them)."""
    return write_import_files(schema, directory, _chunked(nodes, edges, chunk_size), chunk_size=chunk_size)


def import_files_from_export(schema: Schema, directory: Path, lines: TextIO, *, chunk_size: int = _CHUNK) -> ImportFiles:
    """The import files of a file written by ``export-graph``, checked as ``import-graph`` checks it.

    Review items and redirects go into ``reviews.csv`` / ``redirects.csv``. The lines are
    parsed in the worker processes too (``transfer.read_block``); this process checks the
    header, the order, the ids, the redirects' targets and the counts.
    """
    state = _Import(schema, directory)
    numbered = enumerate(lines, start=1)
    header = read_header(schema, numbered)

    def jobs() -> Iterator[tuple[Callable[..., _Done], tuple[Any, ...], int]]:
        while block := list(islice(numbered, chunk_size)):
            yield _export_lines, (schema, state.layout, block), len(block)

    files = state.run(jobs(), chunk_size)
    check_counts(header, {name: files.counts[name] for name in COUNTS})
    return files
