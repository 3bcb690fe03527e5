"""Shared fixtures: stores of every backend, list-file factories, an app client."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest

from leadgraph.graph import EmbeddedStore, GraphStore

ListWriter = Callable[..., Path]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    """A fresh embedded store on a real SQLite file."""
    with EmbeddedStore(tmp_path / "test.db") as s:
        yield s


@pytest.fixture
def write_csv(tmp_path: Path) -> ListWriter:
    """Write rows (first row = header) as a UTF-8 CSV and return its path."""

    def write(name: str, rows: list[list[str]], encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        with path.open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> ListWriter:
    """Write rows (first row = header) as an .xlsx made by openpyxl and return its path."""

    def write(name: str, rows: list[list[object]], sheet: str = "Sheet1") -> Path:
        path = tmp_path / name
        book = openpyxl.Workbook()
        ws = book.active
        ws.title = sheet
        for row in rows:
            ws.append(row)
        book.save(path)
        return path

    return write
