"""What an ingest did, row by row: counts, and every rejected, merged and flagged row with
its reason in Chinese. :mod:`leadgraph.ingest.report_xlsx` writes it for the clerk."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from leadgraph.graph.model import UpsertStatus

__all__ = ["RowIssue", "SheetReport", "IngestReport", "report_title", "report_origin"]


def report_title(file_name: str, source: str, kind: str, dry_run: bool) -> str:
    """The first line of a report sheet: what was loaded, under which source, as which kind."""
    return f"导入报告：{file_name} → 来源「{source}」，类型「{kind}」{'（试运行，未写入）' if dry_run else ''}"


_TITLE = re.compile(r"导入报告：.* → 来源「(?P<source>.+?)」(?:，类型「(?P<kind>[a-z_]+)」)?(?:（试运行，未写入）)?")


def report_origin(titles: list[str]) -> tuple[str, str | None] | None:
    """``(source, kind)`` of a report sheet, read from the title rows above its header.

    A corrected report is its list again: loaded under the list's source, as its kind,
    a row kept apart under that source finds its node again instead of making a second.
    """
    for title in titles:
        if found := _TITLE.fullmatch(title.strip()):  # whole line: a source may hold 「」 itself
            return found["source"], found["kind"]
    return None


@dataclass(frozen=True)
class RowIssue:
    """One row the clerk should look at: its line, the reason, and its cells (never the
    columns that must not be kept)."""

    line: int
    reason: str
    values: dict[str, str]


@dataclass
class SheetReport:
    sheet: str
    kind: str
    rows_read: int = 0
    rows_loaded: int = 0
    nodes: Counter = field(default_factory=Counter)
    edges: Counter = field(default_factory=Counter)
    rejected: list[RowIssue] = field(default_factory=list)
    flagged: list[RowIssue] = field(default_factory=list)
    merged: list[RowIssue] = field(default_factory=list)
    review_items: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    # line -> {step name: node id}, only when the ingest was asked to trace (benchmarks)
    traced: dict[int, dict[str, str]] = field(default_factory=dict)

    def count_node(self, status: UpsertStatus) -> None:
        self.nodes[status] += 1

    def count_edge(self, status: UpsertStatus) -> None:
        self.edges[status] += 1

    def _kept(self, values: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in values.items() if k not in self.dropped_columns}

    def reject(self, line: int, values: dict[str, str], reason: str) -> None:
        self.rejected.append(RowIssue(line, reason, self._kept(values)))

    def flag(self, line: int, values: dict[str, str], reason: str) -> None:
        self.flagged.append(RowIssue(line, reason, self._kept(values)))

    def merge(self, line: int, values: dict[str, str], reason: str) -> None:
        self.merged.append(RowIssue(line, reason, self._kept(values)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "kind": self.kind,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": len(self.rejected),
            "rows_merged": len(self.merged),
            "rows_flagged": len(self.flagged),
            "review_items": list(self.review_items),
            "nodes": {s: self.nodes.get(s, 0) for s in ("created", "updated", "unchanged")},
            "edges": {s: self.edges.get(s, 0) for s in ("created", "updated", "unchanged")},
            "rejected": [issue.__dict__ for issue in self.rejected],
            "merged": [issue.__dict__ for issue in self.merged],
            "flagged": [issue.__dict__ for issue in self.flagged],
            "notes": self.notes,
            "dropped_columns": self.dropped_columns,
            "unknown_columns": self.unknown_columns,
        }


@dataclass
class IngestReport:
    file: str
    source: str
    dry_run: bool = False
    sheets: list[SheetReport] = field(default_factory=list)
    report_file: str | None = None  # the .xlsx written for the clerk, if any

    def total(self, attribute: str) -> int:
        return sum(getattr(s, attribute) for s in self.sheets)

    def changes(self, what: str, status: UpsertStatus) -> int:
        return sum(getattr(s, what).get(status, 0) for s in self.sheets)

    @property
    def rejected(self) -> list[RowIssue]:
        return [issue for s in self.sheets for issue in s.rejected]

    @property
    def merged(self) -> list[RowIssue]:
        return [issue for s in self.sheets for issue in s.merged]

    @property
    def flagged(self) -> list[RowIssue]:
        return [issue for s in self.sheets for issue in s.flagged]

    @property
    def review_items(self) -> list[str]:
        return [item for s in self.sheets for item in s.review_items]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "source": self.source,
            "dry_run": self.dry_run,
            "rows_read": self.total("rows_read"),
            "rows_loaded": self.total("rows_loaded"),
            "rows_rejected": len(self.rejected),
            "rows_merged": len(self.merged),
            "rows_flagged": len(self.flagged),
            "review_items": self.review_items,
            "report_file": self.report_file,
            "nodes": {s: self.changes("nodes", s) for s in ("created", "updated", "unchanged")},
            "edges": {s: self.changes("edges", s) for s in ("created", "updated", "unchanged")},
            "sheets": [s.to_dict() for s in self.sheets],
        }
