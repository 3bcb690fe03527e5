"""Move a whole graph between stores as JSON Lines, losslessly.

The file is UTF-8 JSON Lines. The first line is a header::

    {"edges": 2, "format": "leadgraph-graph", "nodes": 3, "schema_version": 1}

then one line per node, in id order, then one line per edge, in id order::

    {"id": "per:…", "keys": ["Person|mobile=…|name=张伟"], "kind": "Person", "props": {…},
     "sources": [{"first_seen": "…", "last_seen": "…", "source": "乡贤名录"}], "type": "node"}
    {"dst": "per:…", "id": "e:…", "kind": "KNOWS", "props": {…}, "sources": […], "src": "per:…", "type": "edge"}

Keys are the natural keys a node owns; sources keep their first and last seen times.
Search terms are left out: every store derives them from the properties. Lines are
written with sorted keys and no timestamps of their own, so exporting the same graph
from either backend gives the same bytes.

Examples
--------
>>> import io
>>> from leadgraph.graph import EmbeddedStore
>>> source, target = EmbeddedStore(":memory:"), EmbeddedStore(":memory:")
>>> with source.batch("乡贤名录") as batch:
...     _ = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000000"})
>>> buffer = io.StringIO()
>>> export_graph(source, buffer)
{'nodes': 1, 'edges': 0}
>>> _ = buffer.seek(0)
>>> import_graph(target, buffer)
{'nodes': 1, 'edges': 0}
>>> [s.source for s in next(target.iter_nodes()).sources]
['乡贤名录']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TextIO

from leadgraph.errors import FileRefused, IngestError, InvalidQuery, SchemaError
from leadgraph.graph.model import Edge, Node, Source
from leadgraph.graph.store import GraphStore
from leadgraph.schema import Schema

__all__ = ["FORMAT", "Block", "export_graph", "import_graph", "read_graph", "read_header", "read_block", "check_counts"]

FORMAT = "leadgraph-graph"
_CHUNK = 5000


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _sources(sources: list[Source]) -> list[dict[str, str]]:
    return [{"source": s.source, "first_seen": s.first_seen, "last_seen": s.last_seen} for s in sources]


def export_graph(store: GraphStore, out: TextIO) -> dict[str, int]:
    """Write every node and edge of ``store`` to ``out``; returns what was written."""
    counts = store.counts()
    total = {"nodes": sum(counts["nodes"].values()), "edges": sum(counts["edges"].values())}
    out.write(_line({"format": FORMAT, "schema_version": store.schema.version, **total}))
    written = {"nodes": 0, "edges": 0}
    nodes = store.iter_nodes()
    while chunk := list(islice(nodes, _CHUNK)):
        keys = store.node_keys(n.id for n in chunk)
        for node in chunk:
            out.write(_line({
                "type": "node", "id": node.id, "kind": node.kind, "props": node.props,
                "keys": keys.get(node.id, []), "sources": _sources(node.sources),
            }))
        written["nodes"] += len(chunk)
    for edge in store.iter_edges():
        out.write(_line({
            "type": "edge", "id": edge.id, "kind": edge.kind, "src": edge.src, "dst": edge.dst,
            "props": edge.props, "sources": _sources(edge.sources),
        }))
        written["edges"] += 1
    if written != total:
        raise InvalidQuery(f"导出期间图谱发生了变化 (the graph changed during the export: {total} → {written})")
    return written


def _records(numbered: Iterable[tuple[int, str]]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, text in numbered:
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            raise IngestError(f"第 {number} 行不是有效的 JSON (line {number}: {exc.msg})", line=number) from None
        if not isinstance(record, dict):
            raise IngestError(f"第 {number} 行应是一个 JSON 对象 (line {number} is not an object)", line=number)
        yield number, record


def read_header(schema: Schema, numbered: Iterator[tuple[int, str]]) -> dict[str, Any]:
    """The header of a file written by :func:`export_graph`: its first non-blank line, checked.

    ``numbered`` is ``enumerate(lines, start=1)``; it is consumed up to the header.
    """
    first = next(_records(numbered), None)
    if first is None or first[1].get("format") != FORMAT:
        raise FileRefused(f'不是 leadgraph 图谱导出文件：首行应含 "format": "{FORMAT}" (not a {FORMAT} file)')
    header = first[1]
    if header.get("schema_version") != schema.version:
        raise FileRefused(
            f"文件的 schema_version {header.get('schema_version')} 与当前 {schema.version} 不一致 "
            "(the file was written for another schema version)"
        )
    return header


def _node(schema: Schema, record: dict[str, Any]) -> tuple[Node, list[str]]:
    spec = schema.node(record["kind"])
    if schema.kind_of_id(record["id"]) != record["kind"]:
        raise SchemaError(f"id {record['id']} does not belong to kind {record['kind']}")
    props = record["props"]
    unknown = [p for p in props if p not in spec.properties]
    if unknown or "name" not in props:
        raise SchemaError(f"{record['kind']} {record['id']}: unknown properties {unknown} or no name")
    sources = [Source(s["source"], s["first_seen"], s["last_seen"]) for s in record["sources"]]
    return Node(record["id"], record["kind"], str(props["name"]), props, sources), list(record.get("keys", []))


def _edge(schema: Schema, record: dict[str, Any]) -> Edge:
    spec = schema.edge(record["kind"])
    unknown = [p for p in record["props"] if p not in spec.properties]
    if unknown:
        raise SchemaError(f"{record['kind']} {record['id']}: unknown properties {unknown}")
    sources = [Source(s["source"], s["first_seen"], s["last_seen"]) for s in record["sources"]]
    return Edge(record["id"], record["kind"], record["src"], record["dst"], record["props"], sources)


def _refused(number: int, message: str) -> IngestError:
    return IngestError(f"第 {number} 行无法导入 (line {number}): {message}", line=number)


@dataclass
class Block:
    """The items of some consecutive lines; ``first_node`` / ``last_edge``: line numbers, for the order check."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    keys: list[tuple[str, str]] = field(default_factory=list)  # (key, node id)
    first_node: int | None = None
    last_edge: int | None = None

    def check_after(self, previous: "Block | None") -> None:
        """Nodes come before edges, across blocks too."""
        if previous is not None and previous.last_edge is not None and self.first_node is not None:
            raise _refused(self.first_node, "nodes must come before edges")


def read_block(schema: Schema, numbered: Iterable[tuple[int, str]]) -> Block:
    """The nodes, keys and edges of some ``(line number, text)`` lines of an export file, checked.

    A bad line raises an :class:`~leadgraph.errors.IngestError` naming it.
    """
    block = Block()
    for number, record in _records(numbered):
        try:
            if record.get("type") == "node":
                if block.last_edge is not None:
                    raise InvalidQuery("nodes must come before edges")
                node, node_keys = _node(schema, record)
                block.nodes.append(node)
                block.keys.extend((key, node.id) for key in node_keys)
                block.first_node = block.first_node or number
            elif record.get("type") == "edge":
                block.edges.append(_edge(schema, record))
                block.last_edge = number
            else:
                raise InvalidQuery(f"unknown line type {record.get('type')!r}")
        except (KeyError, TypeError) as exc:
            message = f"第 {number} 行缺少字段或格式不对 (line {number}: bad or missing field {exc})"
            raise IngestError(message, line=number) from None
        except (SchemaError, InvalidQuery) as exc:
            raise _refused(number, exc.message) from None
    return block


def check_counts(header: dict[str, Any], loaded: dict[str, int]) -> None:
    """Refuse a file whose items are not the counts its header declares."""
    expected = {"nodes": header.get("nodes"), "edges": header.get("edges")}
    if expected != loaded:
        raise IngestError(f"文件不完整：首行声明 {expected}，实际读到 {loaded} (the file is truncated or edited)")


def read_graph(
    schema: Schema, lines: TextIO, *, chunk_size: int = _CHUNK
) -> Iterator[tuple[list[Node], list[Edge], list[tuple[str, str]]]]:
    """The items of a file written by :func:`export_graph`, checked, in chunks.

    Yields ``(nodes, edges, keys)`` of about ``chunk_size`` lines, keys as
    ``(key, node id)``; nodes all come before edges. A bad line raises an
    :class:`~leadgraph.errors.IngestError` naming it, and a file whose counts differ
    from its header raises one at the end.
    """
    numbered = enumerate(lines, start=1)
    header = read_header(schema, numbered)
    loaded = {"nodes": 0, "edges": 0}
    previous = None
    while block_lines := list(islice(numbered, chunk_size)):
        block = read_block(schema, block_lines)
        block.check_after(previous)
        previous = block if block.last_edge is not None else previous
        loaded["nodes"] += len(block.nodes)
        loaded["edges"] += len(block.edges)
        yield block.nodes, block.edges, block.keys
    check_counts(header, loaded)


def import_graph(store: GraphStore, lines: TextIO) -> dict[str, int]:
    """Load a file written by :func:`export_graph` into an empty ``store``.

    Items are written in transactions of a few thousand; a file that fails part-way
    names the line and leaves the store partly filled (empty it and run again).
    """
    if any(store.counts()["nodes"].values()):
        raise InvalidQuery("目标图谱不是空的，只能导入到空图谱 (import-graph needs an empty store)")
    loaded = {"nodes": 0, "edges": 0}
    for nodes, edges, keys in read_graph(store.schema, lines):
        store.restore(nodes, edges, keys)
        loaded["nodes"] += len(nodes)
        loaded["edges"] += len(edges)
    return loaded
