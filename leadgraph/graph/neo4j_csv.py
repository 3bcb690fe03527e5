"""The CSV format of neo4j-admin's offline importer, holding exactly what Neo4jStore writes.

Turns the property maps of :func:`~.neo4j_store._prepare_rows` (``node_record`` /
``edge_record``: one layout code path) into lines of typed CSV, and writes them into
one directory. :mod:`.neo4j_import` feeds it; the choices:

* one file per label or relationship type (``nodes-Person.csv``, ``rels-KNOWS.csv``,
  ``keys.csv``, and ``reviews.csv`` / ``redirects.csv`` for the review queue's
  ``_Review`` and the merged-away nodes' ``_Redirect`` nodes of :mod:`.neo4j_review`),
  each with its own header. Node ids share one id space, ``id:ID(node)``, stored as
  the property ``id``; key nodes have their own, ``key:ID(key)``, review items
  ``id:ID(review)`` and redirects ``old_id:ID(redirect)``, so the importer refuses a
  repeated one as the constraints would. The label and type are columns (``:LABEL``,
  ``:TYPE``), so the files describe themselves.
* typed columns: ``string``, ``long``, ``double``, ``boolean`` and their arrays. A
  column's type comes from the schema (dates are text; ``_term_weights`` are
  ``long[]``). An item whose value has another type (an ``int`` in a ``float``
  property, say) goes to a variant file of that label whose header types it as it is,
  so every value is stored with the type Neo4j gives it online: ``[1, 2.5]`` becomes
  ``double[]`` as Neo4j makes it; maps, nested or mixed lists are refused as Neo4j
  refuses them.
* every text is quoted, with ``"`` doubled (RFC 4180); backslashes are plain text.
  A value that is not written at all is absent; ``""`` is the empty text.
* array elements are joined by U+001E (RECORD SEPARATOR). Every list cell goes through
  ``nfkc_text`` on ingest, which turns each run of whitespace into one space, and
  ``\\x1e`` is whitespace to Python, so no ingested value holds it; nor does a search
  term (``canonical`` drops whitespace). It is not U+001F, which joins the terms of
  ``_search``. A list element holding it (possible only in a hand-written file) is
  refused by name.
* rows with a line break in a value go to their own ``…-multiline.csv`` file: only
  those are named in ``--multiline-fields`` (format v2), the slow parsing path.

What the importer cannot write: an empty list and a list of one empty text (it reads
both as "no value"). Ingest never stores either (``clean_props`` drops empty values),
so a schema property holding one is refused, naming the item; load such a file with
``import-graph``. An *internal* list that is empty (``_terms`` of a node whose name
gives no term, ``_src`` of an item without sources) is left absent: every reader
treats an absent list as empty (``coalesce``, ``raw.get("_src") or []``). So is a review
item's empty ``evidence`` (``review_from_record`` reads it as ``[]``).

Examples
--------
>>> _typed('张"伟'), _typed(3), _typed(2.5), _typed(True)
(('string', '"张""伟"'), ('long', '3'), ('double', '2.5'), ('boolean', 'true'))
>>> _typed(["a", "b"])[0], _typed([1, 2.5])
('string[]', ('double[]', '1.0\\x1e2.5'))
>>> _typed({"a": 1})
Traceback (most recent call last):
...
leadgraph.graph.neo4j_csv._Unstorable: a map, which Neo4j cannot store as a property
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from leadgraph.errors import IngestError, InvalidQuery
from leadgraph.graph.model import Edge, Node, ReviewItem
from leadgraph.graph.neo4j_layout import KEY_LABEL, label, rel_type
from leadgraph.graph.neo4j_review import REDIRECT_LABEL, REVIEW_LABEL
from leadgraph.graph.neo4j_store import _prepare_rows
from leadgraph.schema import Schema

__all__ = ["ARRAY_DELIMITER", "ARGS_FILE", "FileKey", "ImportFiles", "CsvLayout", "CsvWriter", "csv_lines", "review_lines"]

ARRAY_DELIMITER = "\x1e"
ARGS_FILE = "neo4j-admin.args"
_NODE_ID = "id:ID(node)"  # every graph node, one id space (ids carry their kind's prefix)
_KEY_ID = "key:ID(key)"
_SCHEMA_TYPES = {"str": "string", "int": "long", "float": "double", "bool": "boolean", "date": "string", "list[str]": "string[]"}
_SOURCES = {"_src": "string[]", "_src_first": "string[]", "_src_last": "string[]"}
_NODE_INTERNAL = {"_name_canon": "string", "_terms": "string[]", "_term_weights": "long[]", "_search": "string", **_SOURCES}
_EDGE_INTERNAL = {"id": "string", **_SOURCES}
_ABSENT_WHEN_EMPTY = frozenset({"_terms", "_term_weights", *_SOURCES})
_REVIEW_COLUMNS = {  # the fields of a ReviewItem but its id, typed as Neo4j stores them online
    "kind": "string", "node_id": "string", "other_id": "string", "score": "double", "evidence": "string[]",
    "status": "string", "source": "string", "line": "long", "summary": "string", "created_at": "string",
    "decided_at": "string",
}  # fmt: skip
_INTERNAL_COLUMNS = {"keys": {"node_id": "string"}, "reviews": _REVIEW_COLUMNS, "redirects": {"new_id": "string"}}
_LEADS = {  # the id and label columns of the files that hold no schema kind
    "keys": [_KEY_ID, ":LABEL"], "reviews": ["id:ID(review)", ":LABEL"], "redirects": ["old_id:ID(redirect)", ":LABEL"],
}  # fmt: skip
_LONG = (-(2**63), 2**63 - 1)

FileKey = tuple[str, str, tuple[tuple[str, str], ...], bool]  # (nodes|rels|keys|reviews|redirects, label or type, variant, multiline)


@dataclass(frozen=True)
class CsvLayout:
    """What a worker needs to turn items into lines: id prefixes and each header's default types."""

    kinds: dict[str, str]
    nodes: dict[str, dict[str, str]]
    edges: dict[str, dict[str, str]]

    @classmethod
    def of(cls, schema: Schema) -> "CsvLayout":
        def columns(properties: dict[str, Any], internal: dict[str, str]) -> dict[str, str]:
            return {**{p: _SCHEMA_TYPES[spec.type] for p, spec in properties.items()}, **internal}

        return cls(
            {spec.id_prefix: kind for kind, spec in schema.nodes.items()},
            {kind: columns(spec.properties, _NODE_INTERNAL) for kind, spec in schema.nodes.items()},
            {kind: columns(spec.properties, _EDGE_INTERNAL) for kind, spec in schema.edges.items()},
        )

    def columns(self, key: FileKey) -> dict[str, str]:
        what, kind, variant, _ = key
        defaults = {"nodes": self.nodes, "rels": self.edges}.get(what, {}).get(kind) or _INTERNAL_COLUMNS[what]
        return {**defaults, **dict(variant)}


class _Unstorable(ValueError):
    pass


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)  # the shortest text that reads back as the same double


def _integer(value: int) -> str:
    if not _LONG[0] <= value <= _LONG[1]:
        raise _Unstorable("an integer beyond 64 bits")
    return str(value)


def _typed(value: Any) -> tuple[str, str]:
    """The column type Neo4j gives ``value`` when it is stored online, and its CSV text."""
    kind = type(value)
    if kind is str:
        return "string", '"' + value.replace('"', '""') + '"'
    if kind is bool:
        return "boolean", "true" if value else "false"
    if kind is int:
        return "long", _integer(value)
    if kind is float:
        return "double", _number(value)
    if kind is list:
        if len(value) == 1 and type(value[0]) is str and value[0] and ARRAY_DELIMITER not in value[0]:
            return "string[]", '"' + value[0].replace('"', '""') + '"'  # most lists: one source
        if not value or value == [""]:
            raise _Unstorable("an empty list, or a list of one empty text: the importer reads both as no value")
        if all(type(v) is str for v in value):
            joined = ARRAY_DELIMITER.join(value)
            if joined.count(ARRAY_DELIMITER) != len(value) - 1:
                raise _Unstorable("a list element holding U+001E, the importer's array delimiter")
            return "string[]", '"' + joined.replace('"', '""') + '"'
        if all(type(v) is bool for v in value):
            return "boolean[]", ARRAY_DELIMITER.join("true" if v else "false" for v in value)
        if all(type(v) in (int, float) for v in value):
            if all(type(v) is int for v in value):
                return "long[]", ARRAY_DELIMITER.join(_integer(v) for v in value)
            return "double[]", ARRAY_DELIMITER.join(_number(float(v)) for v in value)  # Neo4j makes [1, 2.5] doubles
        raise _Unstorable("a list mixing types or holding lists or maps, which Neo4j cannot store")
    if kind is dict:
        raise _Unstorable("a map, which Neo4j cannot store as a property")
    raise _Unstorable(f"a value of type {kind.__name__}")


def _encode(
    item: str, record: dict[str, Any], defaults: dict[str, str], skip: str | None,
    absent_when_empty: frozenset[str] = _ABSENT_WHEN_EMPTY,
) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """The variant (columns typed otherwise than by default) and the CSV text of each value."""
    variant, values = [], {}
    for prop, value in record.items():
        if prop == skip:
            continue
        if type(value) is str:  # most values: the fast path of _typed
            if defaults.get(prop) != "string":
                variant.append((prop, "string"))
            values[prop] = '"' + value.replace('"', '""') + '"'
            continue
        if value is None:
            continue  # null: absent, as SET n = map leaves it
        if value == [] and prop in absent_when_empty:
            continue
        try:
            kind, text = _typed(value)
        except _Unstorable as exc:
            raise IngestError(
                f"{item} 的属性 {prop} 无法写入 neo4j-admin 导入文件：{exc} "
                f"(property {prop} of {item} cannot go into the import files: {exc}; load this file with import-graph)",
                item=item, property=prop,
            ) from None
        if defaults.get(prop) != kind:
            variant.append((prop, kind))
        values[prop] = text
    return (tuple(sorted(variant)) if variant else ()), values


def _default_texts(record: dict[str, Any], defaults: dict[str, str], allowed: frozenset[str]) -> list[str] | None:
    """The CSV text of each default column when every value has its column's default type
    and is written as it is (most items), else ``None``: then :func:`_encode` decides.

    ``allowed``: the default columns and the skipped property. The same texts as
    :func:`_encode` and :func:`_typed` give, in a fraction of the time.
    """
    if not record.keys() <= allowed:
        return None
    texts = []
    for column, typed in defaults.items():
        value = record.get(column)
        kind = type(value)
        if value is None:
            texts.append("")
        elif kind is str and typed == "string":
            texts.append('"' + value.replace('"', '""') + '"')
        elif kind is list and typed == "string[]" and len(value) == 1:  # most lists: one source
            first = value[0]
            if type(first) is not str or not first or ARRAY_DELIMITER in first:
                return None
            texts.append('"' + first.replace('"', '""') + '"')
        elif kind is list and value:
            if typed == "string[]" and all(type(v) is str and ARRAY_DELIMITER not in v for v in value):
                texts.append('"' + ARRAY_DELIMITER.join(value).replace('"', '""') + '"')
            elif typed == "long[]" and all(type(v) is int and _LONG[0] <= v <= _LONG[1] for v in value):
                texts.append(ARRAY_DELIMITER.join([str(v) for v in value]))
            else:
                return None
        elif kind is bool and typed == "boolean":
            texts.append("true" if value else "false")
        elif kind is int and typed == "long" and _LONG[0] <= value <= _LONG[1]:
            texts.append(str(value))
        elif kind is float and typed == "double":
            texts.append(_number(value))
        else:
            return None
    return texts


def _add(
    out: dict[FileKey, list[str]], what: str, kind: str, defaults: dict[str, str], item: str, lead: str,
    record: dict[str, Any], skip: str | None, absent_when_empty: frozenset[str] = _ABSENT_WHEN_EMPTY,
    allowed: frozenset[str] | None = None,
) -> None:
    """Add the line of one item (``lead``: its id and label or end columns) to its file in ``out``.

    ``allowed``: ``defaults``' columns and ``skip``, when the caller has them at hand.
    """
    if allowed is None:
        allowed = frozenset(defaults).union([skip] if skip else [])
    texts = _default_texts(record, defaults, allowed) if skip not in defaults else None
    if texts is not None:
        body = lead + ",".join(texts)
        out[(what, kind, (), "\n" in body or "\r" in body)].append(body + "\n")
        return
    variant, values = _encode(item, record, defaults, skip, absent_when_empty)
    columns = {**defaults, **dict(variant)} if variant else defaults
    body = lead + ",".join([values.get(c, "") for c in columns])
    out[(what, kind, variant, "\n" in body or "\r" in body)].append(body + "\n")


def csv_lines(layout: CsvLayout, nodes: list[Node], edges: list[Edge]) -> dict[FileKey, list[str]]:
    """The CSV lines of one chunk, by file (runs in a worker process)."""
    rows = _prepare_rows(layout.kinds, nodes, edges, [])
    out: dict[FileKey, list[str]] = defaultdict(list)
    for kind, batch in rows.nodes.items():
        defaults = layout.nodes[kind]
        allowed = frozenset([*defaults, "id"])
        for row in batch:
            _add(out, "nodes", kind, defaults, row["id"], f"{_quote(row['id'])},{kind},", row["map"], "id", allowed=allowed)
    for (kind, _, _), batch in rows.edges.items():
        defaults = layout.edges[kind]
        allowed = frozenset(defaults)
        for row in batch:
            lead = f"{_quote(row['src'])},{_quote(row['dst'])},{kind},"
            _add(out, "rels", kind, defaults, row["id"], lead, row["map"], None, allowed=allowed)
    return dict(out)


def review_lines(reviews: list[ReviewItem], redirects: list[tuple[str, str]]) -> dict[FileKey, list[str]]:
    """The CSV lines of review items and redirects, as :mod:`.neo4j_review` stores them online.

    A review item's properties are its fields (``None`` is no property, an empty
    ``evidence`` is left absent); a redirect is ``{old_id, new_id}``.
    """
    out: dict[FileKey, list[str]] = defaultdict(list)
    for item in reviews:
        lead = f"{_quote(item.id)},{REVIEW_LABEL},"
        _add(out, "reviews", REVIEW_LABEL, _REVIEW_COLUMNS, item.id, lead, item.to_dict(), "id", frozenset({"evidence"}))
    for old_id, new_id in redirects:
        lead = f"{_quote(old_id)},{REDIRECT_LABEL},"
        _add(out, "redirects", REDIRECT_LABEL, _INTERNAL_COLUMNS["redirects"], old_id, lead, {"new_id": new_id}, None)
    return dict(out)


@dataclass
class ImportFiles:
    """The files written into ``directory``, and the neo4j-admin arguments that read them."""

    directory: Path
    nodes: list[str] = field(default_factory=list)  # file names
    relationships: list[str] = field(default_factory=list)
    multiline: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"nodes": 0, "edges": 0, "keys": 0, "reviews": 0, "redirects": 0})

    def arguments(self, at: str | None = None) -> list[str]:
        """Options of ``neo4j-admin database import full`` for these files.

        Paths are the file names, relative to the working directory, or under ``at``:
        where neo4j-admin sees ``directory`` (``/import`` in a container).
        """
        if at is not None and (not at or any(c in at for c in ' \t\n,"\'\\')):
            raise InvalidQuery(f"目录 {at!r} 不能含空白、逗号、引号或反斜杠 (no whitespace, commas, quotes or backslashes)")
        where = "" if at is None else at.rstrip("/") + "/"
        args = [
            f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
            "--id-type=string",
            "--bad-tolerance=0",  # a bad row fails the import instead of being skipped
            "--skip-bad-relationships=false",
            "--skip-duplicate-nodes=false",
            "--ignore-empty-strings=false",
            "--trim-strings=false",
            "--legacy-style-quoting=false",
        ]
        if self.multiline:
            args += ["--multiline-fields-format=v2", "--multiline-fields=" + ",".join(where + f for f in self.multiline)]
        args += [f"--nodes={where}{name}" for name in self.nodes]
        args += [f"--relationships={where}{name}" for name in self.relationships]
        return args

    def write_arguments(self, at: str | None = None) -> Path:
        """Write :meth:`arguments` to ``directory/neo4j-admin.args``, one per line (``neo4j-admin … @file``)."""
        path = self.directory / ARGS_FILE
        path.write_text("".join(arg + "\n" for arg in self.arguments(at)), encoding="utf-8")
        return path


class CsvWriter:
    """The open files of one import directory, each created (with its header) as its first line arrives."""

    def __init__(self, directory: Path, layout: CsvLayout, schema: Schema) -> None:
        self.directory, self.layout, self.schema = directory, layout, schema
        self.files = ImportFiles(directory)
        self._handles: dict[FileKey, TextIO] = {}
        self._variants: dict[tuple[str, str], list[tuple[tuple[str, str], ...]]] = defaultdict(list)

    def _open(self, key: FileKey) -> TextIO:
        what, kind, variant, multiline = key
        if what == "nodes":
            label(self.schema, kind)  # only declared kinds become labels and types
            lead = [_NODE_ID, ":LABEL"]
        elif what == "rels":
            rel_type(self.schema, kind)
            lead = [":START_ID(node)", ":END_ID(node)", ":TYPE"]
        else:
            lead = _LEADS[what]
        variants = self._variants[(what, kind)]
        if variant not in variants:
            variants.append(variant)
        number = variants.index(variant)
        name = f"{what}-{kind}" if what in ("nodes", "rels") else what
        name += (f"-{number + 1}" if number else "") + ("-multiline" if multiline else "") + ".csv"
        handle = (self.directory / name).open("w", encoding="utf-8", newline="")
        header = lead + [f"{column}:{typed}" for column, typed in self.layout.columns(key).items()]
        handle.write(",".join(header) + "\n")
        (self.files.relationships if what == "rels" else self.files.nodes).append(name)
        if multiline:
            self.files.multiline.append(name)
        return handle

    def write(self, lines: dict[FileKey, list[str]]) -> None:
        for key in sorted(lines, key=lambda k: (k[0] != "nodes", k[0], k[1], k[3], k[2])):
            handle = self._handles.get(key) or self._handles.setdefault(key, self._open(key))
            try:
                handle.writelines(lines[key])
            except UnicodeEncodeError:
                raise IngestError(
                    f"{key[1]} 中有不是有效 Unicode 的文字 (a text in {key[1]} is not valid Unicode: a lone surrogate)"
                ) from None

    def keys(self, owners: Iterable[tuple[str, str]]) -> None:
        rows: dict[FileKey, list[str]] = defaultdict(list)
        for key, node_id in owners:
            body = f"{_quote(key)},{KEY_LABEL},{_quote(node_id)}"
            rows[("keys", KEY_LABEL, (), "\n" in body or "\r" in body)].append(body + "\n")
            self.files.counts["keys"] += 1
        self.write(rows)

    def close(self) -> None:
        if not any(k[0] == "keys" for k in self._handles):  # neo4j-admin needs at least one --nodes file
            self._handles[("keys", KEY_LABEL, (), False)] = self._open(("keys", KEY_LABEL, (), False))
        for handle in self._handles.values():
            handle.close()
