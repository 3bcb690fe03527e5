"""The ingest report as an ``.xlsx`` the clerk can act on, and load again once corrected.

One sheet per sheet of the input. On top, two or three title rows: what was loaded, the
counts, notes (dropped and unknown columns). Below, the input's own header plus
``处理`` (拒绝 / 合并 / 提示), ``问题`` (the reasons, in Chinese) and ``原行号`` (the
row's line in the input), then every row that was rejected, merged or flagged, as the
input had it. The reader skips title rows and the mappings ignore the three added
columns, so the clerk fixes the rejected rows in place and loads this file again:
rows that were already loaded match their nodes and change nothing.

Examples
--------
>>> default_report_path("data/青石镇乡贤名录.xlsx").as_posix()
'data/青石镇乡贤名录_导入报告.xlsx'
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from leadgraph.ingest.report import IngestReport, SheetReport, report_title

__all__ = ["ACTION_COLUMN", "PROBLEM_COLUMN", "LINE_COLUMN", "default_report_path", "report_rows", "write_report"]

ACTION_COLUMN, PROBLEM_COLUMN, LINE_COLUMN = "处理", "问题", "原行号"
REPORT_SUFFIX = "_导入报告"
_FILLS = {
    "拒绝": PatternFill("solid", fgColor="FFC7CE"),
    "合并": PatternFill("solid", fgColor="DDEBF7"),
    "提示": PatternFill("solid", fgColor="FFEB9C"),
}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def default_report_path(input_path: str | Path) -> Path:
    """``<input stem>_导入报告.xlsx`` beside the input."""
    p = Path(input_path)
    return p.with_name(f"{p.stem}{REPORT_SUFFIX}.xlsx")


def report_rows(sheet: SheetReport) -> list[tuple[int, str, str, dict[str, str]]]:
    """``(line, 处理, 问题, values)`` per listed row, in line order; a row with several
    issues is listed once (拒绝 before 合并 before 提示)."""
    by_line: dict[int, tuple[list[str], list[str], dict[str, str]]] = {}
    for action, issues in (("拒绝", sheet.rejected), ("合并", sheet.merged), ("提示", sheet.flagged)):
        for issue in issues:
            actions, reasons, _ = by_line.setdefault(issue.line, ([], [], issue.values))
            actions.append(action)
            reasons.append(issue.reason)
    return [(line, actions[0], "；".join(reasons), values) for line, (actions, reasons, values) in sorted(by_line.items())]


def _sheet_title(name: str, taken: set[str]) -> str:
    title = _BAD_SHEET_CHARS.sub("_", name)[:31] or "Sheet"
    base, n = title, 2
    while title in taken:
        title = f"{base[:28]}({n})"
        n += 1
    taken.add(title)
    return title


def _counts_line(sheet: SheetReport) -> str:
    d = sheet.to_dict()
    return (
        f"类型 {sheet.kind}：读取 {d['rows_read']} 行，导入 {d['rows_loaded']} 行，拒绝 {d['rows_rejected']} 行，"
        f"合并 {d['rows_merged']} 行，提示 {d['rows_flagged']} 行（待审核 {len(sheet.review_items)} 项）；"
        f"节点 新建 {d['nodes']['created']}、更新 {d['nodes']['updated']}；"
        f"关系 新建 {d['edges']['created']}、更新 {d['edges']['updated']}"
    )


def _notes_line(sheet: SheetReport) -> str:
    notes = list(sheet.notes)
    if sheet.dropped_columns:
        notes.append(f"已删除不应保存的列：{'、'.join(sheet.dropped_columns)}")
    if sheet.unknown_columns:
        notes.append(f"未识别的列（未导入）：{'、'.join(sheet.unknown_columns)}")
    return "说明：" + "；".join(notes) if notes else ""


def _text(cell, value: str) -> None:  # noqa: ANN001 (openpyxl cell)
    cell.value = value
    cell.data_type = "s"  # never a formula, whatever the text starts with
    cell.number_format = "@"


def write_report(report: IngestReport, path: str | Path) -> Path:
    """Write ``report`` to ``path`` (atomically: a failed write leaves no half file)."""
    path = Path(path)
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for sheet in report.sheets:
        ws = book.create_sheet(_sheet_title(sheet.sheet, taken))
        header = [*sheet.header, ACTION_COLUMN, PROBLEM_COLUMN, LINE_COLUMN]
        titles = [report_title(Path(report.file).name, report.source, sheet.kind, report.dry_run), _counts_line(sheet)]
        titles += [notes] if (notes := _notes_line(sheet)) else []
        for row, text in enumerate(titles, 1):
            _text(ws.cell(row, 1), text)
        ws["A1"].font = Font(bold=True, size=13)
        header_row = len(titles) + 2
        for col, text in enumerate(header, 1):
            cell = ws.cell(header_row, col)
            _text(cell, text)
            cell.font = bold
        for line, action, reason, values in report_rows(sheet):
            row = ws.max_row + 1
            cells = [values.get(h, "") for h in sheet.header] + [action, reason, str(line)]
            for col, text in enumerate(cells, 1):
                _text(ws.cell(row, col), text)
            ws.cell(row, len(sheet.header) + 1).fill = _FILLS[action]
            ws.cell(row, len(sheet.header) + 2).alignment = Alignment(wrap_text=True, vertical="top")
        for col, text in enumerate(header, 1):
            ws.column_dimensions[get_column_letter(col)].width = 60 if text == PROBLEM_COLUMN else max(8, min(30, 2 * len(text) + 4))
        ws.freeze_panes = ws.cell(header_row + 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=".report-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        book.save(partial)
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)
    report.report_file = str(path)
    return path
