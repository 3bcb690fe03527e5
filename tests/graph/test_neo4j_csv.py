"""The import-file lines of the common case (every value of its column's default type) are
written by a fast path; it must give the general path's lines to the byte, and hand every
other value to it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from leadgraph.errors import IngestError
from leadgraph.graph import neo4j_csv
from leadgraph.graph.neo4j_csv import ARRAY_DELIMITER, CsvLayout
from leadgraph.schema import default_schema

LAYOUT = CsvLayout.of(default_schema())
PERSON = LAYOUT.nodes["Person"]
KNOWS = LAYOUT.edges["KNOWS"]


def _general(defaults: dict[str, str], record: dict[str, Any], skip: str | None) -> tuple[Any, str]:
    """The variant and line text of the general path (``_encode`` with every column)."""
    variant, values = neo4j_csv._encode("item", record, defaults, skip)
    columns = {**defaults, **dict(variant)} if variant else defaults
    return variant, "L," + ",".join(values.get(c, "") for c in columns)


def _added(defaults: dict[str, str], record: dict[str, Any], skip: str | None) -> tuple[Any, str]:
    out: dict[Any, list[str]] = defaultdict(list)
    neo4j_csv._add(out, "nodes", "Person", defaults, "item", "L,", record, skip)
    ((key, lines),) = out.items()
    assert len(lines) == 1 and lines[0].endswith("\n")
    return key[2], lines[0][:-1]


SOURCES = {"_src": ["名录"], "_src_first": ["2024-01-01T00:00:00Z"], "_src_last": ["2024-01-02T00:00:00Z"]}
RECORDS = [
    {"name": "张伟", "id": "per:1", **SOURCES},
    {"name": '张"伟,\n第二行', "roles": ["contact", "ambassador"], "birth_year": 1970, "id": "per:1", **SOURCES},
    {"name": "王五", "roles": ["a", ""], "_terms": ["wangwu", "王五"], "_term_weights": [3, 1], "_search": "x"},
    {"name": "王五", "note": None, "mobile": None, "_src": ["a", "b"], "_src_first": ["1", "2"], "_src_last": ["3", "4"]},
    {"name": "李四", "birth_year": True},  # a bool where the column is long: its own variant
    {"name": "李四", "birth_year": 1.5},  # a double where the column is long
    {"name": "李四", "birth_year": 2**63},  # beyond 64 bits: refused by the general path
    {"name": "李四", "birth_year": -(2**63)},
    {"name": "李四", "title": 3},  # a long where the column is text
    {"name": "李四", "roles": []},  # an empty list the importer cannot write
    {"name": "李四", "_terms": []},  # an internal empty list: left absent
    {"name": "李四", "roles": [""]},
    {"name": "李四", "roles": ["x" + ARRAY_DELIMITER]},
    {"name": "李四", "roles": ["a", "b" + ARRAY_DELIMITER]},
    {"name": "李四", "roles": [1, 2.5]},
    {"name": "李四", "roles": [True, False]},
    {"name": "李四", "_term_weights": [1, 2**64]},
    {"name": "李四", "unknown": "a property no column has"},
    {"name": "李四", "id": "skipped, whatever its value"},
]


@pytest.mark.parametrize("record", RECORDS, ids=[str(i) for i in range(len(RECORDS))])
def test_a_node_line_is_the_general_paths_to_the_byte(record):
    try:
        expected = _general(PERSON, record, "id")
    except IngestError as refused:
        with pytest.raises(IngestError, match=str(refused).split("：")[0]):
            _added(PERSON, record, "id")
        return
    assert _added(PERSON, record, "id") == expected


@pytest.mark.parametrize(
    "record",
    [
        {"context": "同乡", "strength": 0.8, "id": "e:1", **SOURCES},
        {"context": "同乡", "strength": float("nan"), "id": "e:1"},
        {"context": "同乡", "strength": float("-inf"), "id": "e:1"},
        {"context": "同乡", "strength": 1, "id": "e:1"},  # an int in a double column: a variant
        {"id": "e:1", "since": "2024-01-01"},
    ],
)
def test_an_edge_line_is_the_general_paths_to_the_byte(record):
    assert _added(KNOWS, record, None) == _general(KNOWS, record, None)


def test_the_fast_path_writes_the_common_case_and_leaves_the_rest():
    assert neo4j_csv._default_texts({"name": "张伟", **SOURCES}, PERSON, frozenset([*PERSON, "id"])) is not None
    for odd in ({"birth_year": True}, {"title": 3}, {"roles": []}, {"unknown": "x"}, {"roles": [1]}):
        assert neo4j_csv._default_texts({"name": "张伟", **odd}, PERSON, frozenset([*PERSON, "id"])) is None, odd
