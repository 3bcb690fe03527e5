"""Move a whole graph between stores as JSON Lines, losslessly: with its review decisions.

The file is UTF-8 JSON Lines. The first line is a header with the count of each kind
of line that follows::

    {"edges": 2, "format": "leadgraph-graph", "nodes": 3, "redirects": 1, "reviews": 4, "schema_version": 1}

then one line per node, in id order, then one line per edge, in id order::

    {"id": "per:…", "keys": ["Person|mobile=…|name=张伟"], "kind": "Person", "props": {…},
     "sources": [{"first_seen": "…", "last_seen": "…", "source": "乡贤名录"}], "type": "node"}
    {"dst": "per:…", "id": "e:…", "kind": "KNOWS", "props": {…}, "sources": […], "src": "per:…", "type": "edge"}

then the entity-resolution state: one line per review item (every field of
:class:`~leadgraph.graph.model.ReviewItem`: pending, merged, accepted and rejected
alike), in id order, and one line per merged-away node, in ``old_id`` order::

    {"created_at": "…", "decided_at": "…", "evidence": ["姓名相同", …], "id": "rv-…", "kind": "Person",
     "line": 2, "node_id": "per:…", "other_id": "per:…", "score": 0.45, "source": "新名录",
     "status": "rejected", "summary": "张伟，远方物流有限公司", "type": "review"}
    {"new_id": "per:…", "old_id": "per:…", "type": "redirect"}

Keys are the natural keys a node owns; sources keep their first and last seen times.
Review items keep their status and decision time, and redirects say which node a
merged-away node now lives in, so on the other backend a rejected pair is still never
merged and an accepted merge never split. Search terms are left out: every store
derives them from the properties. Lines are written with sorted keys and no timestamps
of their own, so exporting the same state from either backend gives the same bytes.

Files written before review state was carried (no ``reviews`` / ``redirects`` in the
header, no such lines) still import: a missing count is 0. The format has no version
field of its own; a reader that predates these lines refuses them by line number.

Examples
--------
>>> import io
>>> from leadgraph.graph import EmbeddedStore
>>> source, target = EmbeddedStore(":memory:"), EmbeddedStore(":memory:")
>>> with source.batch("乡贤名录") as batch:
...     _ = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000000"})
>>> buffer = io.StringIO()
>>> export_graph(source, buffer)
{'nodes': 1, 'edges': 0, 'reviews': 0, 'redirects': 0}
>>> _ = buffer.seek(0)
>>> import_graph(target, buffer)
{'nodes': 1, 'edges': 0, 'reviews': 0, 'redirects': 0}
>>> [s.source for s in next(target.iter_nodes()).sources]
['乡贤名录']
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, fields
from itertools import islice
from typing import Any, TextIO

from leadgraph.errors import FileRefused, IngestError, InvalidQuery, SchemaError
from leadgraph.graph.model import REVIEW_STATUS_LABELS, Edge, Node, ReviewItem, Source
from leadgraph.graph.store import GraphStore
from leadgraph.schema import Schema

__all__ = [
    "FORMAT",
    "COUNTS",
    "Block",
    "export_graph",
    "import_graph",
    "read_graph",
    "read_header",
    "read_block",
    "check_counts",
    "check_redirects",
]

FORMAT = "leadgraph-graph"
COUNTS = ("nodes", "edges", "reviews", "redirects")
"""The header's counts, one per line type, in the order the lines come."""
_TYPES = ("node", "edge", "review", "redirect")  # line types, in file order (one per count)
_NAMES = {"node": "节点", "edge": "关系", "review": "审核项", "redirect": "合并跳转"}
_REVIEW_FIELDS = tuple(f.name for f in fields(ReviewItem))
_REDIRECT_FIELDS = ("old_id", "new_id")
_CHUNK = 5000


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _sources(sources: list[Source]) -> list[dict[str, str]]:
    return [{"source": s.source, "first_seen": s.first_seen, "last_seen": s.last_seen} for s in sources]


def export_graph(store: GraphStore, out: TextIO) -> dict[str, int]:
    """Write every node, edge, review item and redirect of ``store`` to ``out``; returns what was written."""
    counts = store.counts()
    reviews = sorted(store.review_items(None), key=lambda item: item.id)
    redirects = sorted(store.iter_redirects())
    total = {
        "nodes": sum(counts["nodes"].values()), "edges": sum(counts["edges"].values()),
        "reviews": len(reviews), "redirects": len(redirects),
    }  # fmt: skip
    out.write(_line({"format": FORMAT, "schema_version": store.schema.version, **total}))
    written = dict.fromkeys(COUNTS, 0)
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
    for item in reviews:  # a score is a float on every backend (SQLite's REAL makes 1 into 1.0)
        out.write(_line({"type": "review", **item.to_dict(), "score": float(item.score)}))
        written["reviews"] += 1
    for old_id, new_id in redirects:
        out.write(_line({"type": "redirect", "old_id": old_id, "new_id": new_id}))
        written["redirects"] += 1
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
    version = header.get("schema_version")
    if type(version) is not int or version != schema.version:  # "1", 1.0 and true are not 1
        raise FileRefused(
            f"文件的 schema_version {json.dumps(version)} 与当前 {schema.version} 不一致 "
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


def _fields(record: dict[str, Any], wanted: tuple[str, ...], kind: str) -> None:
    """Refuse a review or redirect line that lacks one of ``wanted`` or has another field."""
    missing = [name for name in wanted if name not in record]
    if missing:
        raise InvalidQuery(f"缺少字段 {'、'.join(missing)} (a {kind} line needs the field {', '.join(missing)})")
    unknown = sorted(set(record) - {"type", *wanted})
    if unknown:
        raise InvalidQuery(f"有未知字段 {'、'.join(unknown)} (unknown {kind} field {', '.join(unknown)})")


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_long(value: Any) -> bool:
    """An integer both SQLite and Neo4j store (64 bits)."""
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


_TEXT = (_is_text, "非空文字", "a non-empty text")
_OPTIONAL_TEXT = (lambda v: v is None or _is_text(v), "文字或 null", "a text or null")
_FIELD_CHECKS: dict[str, tuple[Callable[[Any], bool], str, str]] = {
    "id": _TEXT, "kind": _TEXT, "node_id": _TEXT, "other_id": _OPTIONAL_TEXT,
    "score": (_is_number, "有限的数字", "a finite number"),
    "evidence": (lambda v: isinstance(v, list) and all(isinstance(e, str) for e in v), "文字的列表", "a list of texts"),
    "status": _TEXT, "source": (lambda v: isinstance(v, str), "文字", "a text"),
    "line": (lambda v: v is None or _is_long(v), "64 位整数或 null", "a 64-bit integer or null"),
    "summary": (lambda v: isinstance(v, str), "文字", "a text"), "created_at": _TEXT, "decided_at": _OPTIONAL_TEXT,
    "old_id": _TEXT, "new_id": _TEXT,
}  # fmt: skip
"""What each field of a review or redirect line must hold: a test, and its name in Chinese and English."""


def _checked(record: dict[str, Any], name: str) -> Any:
    ok, chinese, english = _FIELD_CHECKS[name]
    value = record[name]
    if not ok(value):
        raise InvalidQuery(f"字段 {name} 的值 {value!r} 不对，应为{chinese} ({name} must be {english})")
    return value


def _review(schema: Schema, record: dict[str, Any]) -> ReviewItem:
    _fields(record, _REVIEW_FIELDS, "review")
    status = record["status"]
    if status not in REVIEW_STATUS_LABELS:
        raise InvalidQuery(
            f"审核状态「{status}」未知，应为 {'、'.join(REVIEW_STATUS_LABELS)} 之一 "
            f"({status!r}: unknown review status; one of {', '.join(REVIEW_STATUS_LABELS)})"
        )
    values = {name: _checked(record, name) for name in _REVIEW_FIELDS}
    kind = values["kind"]
    if kind not in schema.nodes:
        raise InvalidQuery(f"审核项的类型「{kind}」不在 schema 中 (unknown node kind {kind!r})")
    for name in ("node_id", "other_id"):
        node_id = values[name]
        if node_id is not None and _kind_of(schema, node_id) != kind:
            raise InvalidQuery(f"{name} {node_id} 不是 {kind} 类型的节点编号 ({name} {node_id} is not the id of a {kind})")
    if status == "pending" and values["other_id"] is None:
        raise InvalidQuery("待审核项必须有 other_id (a pending review item names the other node: other_id)")
    if (status == "pending") != (values["decided_at"] is None):
        raise InvalidQuery(
            f"状态为 {status} 的审核项{'不应' if status == 'pending' else '必须'}有 decided_at "
            f"(a {status} item {'has no' if status == 'pending' else 'needs a'} decided_at)"
        )
    # A score is a float on every backend (SQLite's REAL would turn 1 into 1.0, Neo4j keep 1).
    return ReviewItem(**{**values, "score": float(values["score"]), "evidence": list(values["evidence"])})


def _kind_of(schema: Schema, node_id: str) -> str:
    try:
        return schema.kind_of_id(node_id)
    except SchemaError:
        raise InvalidQuery(f"{node_id} 不是任何节点类型的编号 (id {node_id} has no known kind prefix)") from None


def _redirect(schema: Schema, record: dict[str, Any]) -> tuple[str, str]:
    _fields(record, _REDIRECT_FIELDS, "redirect")
    old_id, new_id = (_checked(record, name) for name in _REDIRECT_FIELDS)
    kinds = {_kind_of(schema, node_id) for node_id in (old_id, new_id)}
    if old_id == new_id:
        raise InvalidQuery(f"合并跳转不能指向自身：{old_id} (a redirect cannot point a node at itself)")
    if len(kinds) != 1:
        raise InvalidQuery(f"合并跳转两端的类型不同：{old_id} → {new_id} (a redirect must join two nodes of one kind)")
    return old_id, new_id


def _refused(number: int, message: str) -> IngestError:
    return IngestError(f"第 {number} 行无法导入 (line {number}): {message}", line=number)


def _out_of_order(kind: str, later: str) -> str:
    return f"{_NAMES[kind]}行应在{_NAMES[later]}行之前 ({kind} lines must come before {later} lines)"


@dataclass
class Block:
    """The items of some consecutive lines, and where they were.

    ``firsts``: the line number of each line type's first line in the block, for the
    order check across blocks; ``lines``: the line of each review item (``("review",
    id)``) and redirect (``("redirect", old_id)``), to name it in a later refusal.
    """

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    keys: list[tuple[str, str]] = field(default_factory=list)  # (key, node id)
    reviews: list[ReviewItem] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    firsts: dict[str, int] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    node_lines: list[int] = field(default_factory=list)  # parallel to ``nodes``
    edge_lines: list[int] = field(default_factory=list)  # parallel to ``edges``

    @property
    def reached(self) -> int:
        """The position in :data:`_TYPES` of the block's last line type (-1: no items)."""
        return max((_TYPES.index(kind) for kind in self.firsts), default=-1)

    def counts(self) -> dict[str, int]:
        return {"nodes": len(self.nodes), "edges": len(self.edges), "reviews": len(self.reviews), "redirects": len(self.redirects)}

    def position(self) -> "Block":
        """This block without its nodes, edges and keys: what the order, id, redirect and count checks need."""
        return Block(reviews=self.reviews, redirects=self.redirects, firsts=self.firsts, lines=self.lines)

    def check_after(self, previous: "Block | None") -> None:
        """Nodes, edges, review items, redirects: in that order, across blocks too.

        ``previous`` is the last block before this one that held any item.
        """
        if previous is None or not self.firsts:
            return
        later = _TYPES[previous.reached]
        early = [(line, kind) for kind, line in self.firsts.items() if _TYPES.index(kind) < previous.reached]
        if early:
            line, kind = min(early)
            raise _refused(line, _out_of_order(kind, later))

    def check_graph(self, node_ids: set[str]) -> None:
        """Refuse a node given twice, or an edge whose end is not a node of the file (adds
        this block's nodes to ``node_ids``; every node line comes before the first edge)."""
        for node, line in zip(self.nodes, self.node_lines):
            if node.id in node_ids:
                raise _refused(line, f"节点 {node.id} 出现了两次 (node {node.id} appears twice)")
            node_ids.add(node.id)
        for edge, line in zip(self.edges, self.edge_lines):
            for end in (edge.src, edge.dst):
                if end not in node_ids:
                    raise _refused(line, f"关系 {edge.id} 的一端 {end} 不是文件中的节点 (edge {edge.id}: {end} is not a node of the file)")

    def check_unique(self, seen: set[tuple[str, str]]) -> None:
        """Refuse a review item or redirect that an earlier block gave (adds this block's to ``seen``)."""
        for key, line in self.lines.items():
            if key in seen:
                raise _refused(line, _twice(key))
            seen.add(key)


def _twice(key: tuple[str, str]) -> str:
    kind, item_id = key
    english = "review item" if kind == "review" else "redirect of"
    return f"{_NAMES[kind]} {item_id} 出现了两次 ({english} {item_id} appears twice)"


def read_block(schema: Schema, numbered: Iterable[tuple[int, str]]) -> Block:
    """The nodes, keys, edges, review items and redirects of some ``(line number, text)`` lines, checked.

    A bad line raises an :class:`~leadgraph.errors.IngestError` naming it.
    """
    block = Block()
    reached = -1
    for number, record in _records(numbered):
        kind = record.get("type")
        try:
            if kind not in _TYPES:
                raise InvalidQuery(f"未知的行类型 {kind!r} (unknown line type {kind!r})")
            if _TYPES.index(kind) < reached:
                raise InvalidQuery(_out_of_order(kind, _TYPES[reached]))
            reached = _TYPES.index(kind)
            if kind == "node":
                node, node_keys = _node(schema, record)
                block.nodes.append(node)
                block.node_lines.append(number)
                block.keys.extend((key, node.id) for key in node_keys)
            elif kind == "edge":
                block.edges.append(_edge(schema, record))
                block.edge_lines.append(number)
            elif kind == "review":
                item = _review(schema, record)
                block.reviews.append(item)
                _place(block, ("review", item.id), number)
            else:
                old_id, new_id = _redirect(schema, record)
                block.redirects.append((old_id, new_id))
                _place(block, ("redirect", old_id), number)
            block.firsts.setdefault(kind, number)
        except (KeyError, TypeError) as exc:
            message = f"第 {number} 行缺少字段或格式不对 (line {number}: bad or missing field {exc})"
            raise IngestError(message, line=number) from None
        except (SchemaError, InvalidQuery) as exc:
            raise _refused(number, exc.message) from None
    return block


def _place(block: Block, key: tuple[str, str], number: int) -> None:
    if key in block.lines:
        raise InvalidQuery(_twice(key))
    block.lines[key] = number


def check_redirects(block: Block, present: Callable[[list[str]], Collection[str]]) -> None:
    """Refuse a redirect whose target is not a node, or whose merged-away node still is one.

    ``present`` answers which of some node ids are in the graph; every node line comes
    before the first redirect, so by then the graph is complete.
    """
    if not block.redirects:
        return
    found = present(sorted({node_id for pair in block.redirects for node_id in pair}))
    for old_id, new_id in block.redirects:
        line = block.lines[("redirect", old_id)]
        if new_id not in found:
            raise _refused(line, f"合并跳转的目标 {new_id} 不在图中 (redirect target {new_id} is not in the graph)")
        if old_id in found:
            raise _refused(line, f"已合并掉的节点 {old_id} 仍在图中 (the merged-away node {old_id} is still in the graph)")


def check_counts(header: dict[str, Any], loaded: dict[str, int]) -> None:
    """Refuse a file whose items are not the counts its header declares (a count the header lacks is 0)."""
    expected = {"nodes": header.get("nodes"), "edges": header.get("edges")}
    expected |= {name: header.get(name, 0) for name in ("reviews", "redirects")}
    if expected != {name: loaded.get(name, 0) for name in COUNTS}:
        raise IngestError(f"文件不完整：首行声明 {expected}，实际读到 {loaded} (the file is truncated or edited)")


def read_graph(schema: Schema, lines: TextIO, *, chunk_size: int = _CHUNK) -> Iterator[Block]:
    """The items of a file written by :func:`export_graph`, checked, in blocks of about ``chunk_size`` lines.

    Line types come in order (nodes, edges, review items, redirects), no node, review item
    or redirect is given twice, and every edge joins two nodes of the file. A bad line raises an :class:`~leadgraph.errors.IngestError`
    naming it, and a file whose counts differ from its header raises one at the end.
    Redirect targets need the graph: :func:`check_redirects`.
    """
    numbered = enumerate(lines, start=1)
    header = read_header(schema, numbered)
    loaded = dict.fromkeys(COUNTS, 0)
    previous, seen, node_ids = None, set(), set()
    while block_lines := list(islice(numbered, chunk_size)):
        block = read_block(schema, block_lines)
        block.check_after(previous)
        block.check_unique(seen)
        block.check_graph(node_ids)
        previous = block if block.firsts else previous
        for name, count in block.counts().items():
            loaded[name] += count
        yield block
    check_counts(header, loaded)


def import_graph(store: GraphStore, lines: TextIO) -> dict[str, int]:
    """Load a file written by :func:`export_graph` into an empty ``store``.

    Nodes, keys and edges go through :meth:`~.GraphStore.restore`, review items and
    redirects through :meth:`~.GraphStore.restore_review_state`, in transactions of a
    few thousand; a file that fails part-way names the line and leaves the store partly
    filled (empty it and run again).
    """
    if any(store.counts()["nodes"].values()) or store.review_items(None) or next(store.iter_redirects(), None):
        raise InvalidQuery("目标图谱不是空的，只能导入到空图谱 (import-graph needs an empty store)")
    loaded = dict.fromkeys(COUNTS, 0)
    for block in read_graph(store.schema, lines):
        if block.nodes or block.edges or block.keys:
            store.restore(block.nodes, block.edges, block.keys)
        check_redirects(block, lambda ids: store.get_nodes(ids).keys())
        if block.reviews or block.redirects:
            store.restore_review_state(block.reviews, block.redirects)
        for name, count in block.counts().items():
            loaded[name] += count
    return loaded
