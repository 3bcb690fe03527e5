"""Workbook sheets as columns of cell text, for :mod:`leadgraph.ingest.readers`.

:func:`workbook_grids` turns every worksheet of an .xlsx or .xls file into a :class:`Grid`:
its cells as text, column by column, its merged ranges, and a note when it is hidden. The
text of a cell follows the rules under "Cells as text" in :mod:`leadgraph.ingest.readers`.

python-calamine reads each cell with its own type (text, number, date, boolean, error),
plus the sheet's visibility and merged ranges; its XML reader (quick-xml) does not expand
entities. It takes that type from the cell's number format: a format with a year, month,
day, hour, minute or second makes a date, time or date-time, an elapsed format (``[h]:mm``)
a ``timedelta``, any other a number. The first :data:`HEAD_ROWS` rows, where titles and
headers live, become text cell by cell; below them each column is converted whole, with
C-level passes when all its cells share one type (text, numbers, dates). The two formats
that typing misses — elapsed durations shown as ``[h]:mm`` and weekday-only dates (``aaaa``) —
are read from the workbook's styles by :mod:`leadgraph.ingest.numformats`, and so are the
formats whose number reads otherwise than Excel shows it (12.50%, 2024.10, ID000123), in
.xlsx and .xls alike; only those cells get a new value (the date, the text shown) before the
columns are converted.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from leadgraph.errors import FileRefused
from leadgraph.ingest.numformats import CellFormats, cell_formats, elapsed_text, sheet_parts

__all__ = ["Grid", "Merge", "workbook_grids"]

_PASSWORD_REFUSAL = "文件设置了打开密码，请在 Excel/WPS 中取消密码后另存 (password-protected workbook)"

Merge = tuple[tuple[int, int], tuple[int, int]]
"""A merged range, 0-based and inclusive: ((first row, first column), (last row, last column))."""

HEAD_ROWS = 20
"""Rows read cell by cell: titles and headers live here; below, a column holds one type."""


@dataclass
class Grid:
    """A sheet as columns of cell text (all of one length), before the header is known."""

    name: str
    columns: list[list[str]]
    merges: list[Merge] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hidden_rows: frozenset[int] = frozenset()  # 0-based rows the workbook hides (filtered, collapsed)

    @property
    def height(self) -> int:
        return len(self.columns[0]) if self.columns else 0


def workbook_grids(data: bytes, max_rows: int) -> list[Grid]:
    """Every worksheet of an .xlsx/.xls workbook, in workbook order; hidden ones empty, with a note.

    Raises
    ------
    FileRefused
        Encrypted or unreadable workbook, unreadable sheet, or a sheet longer than ``max_rows``.
    """
    import python_calamine as pc

    # Finding hidden rows inflates every sheet part again: zlib does it without the GIL,
    # beside python-calamine's parse (the directory's sizes are within the caps already).
    with ThreadPoolExecutor(1) as beside:
        hidden = beside.submit(hidden_rows, data)
        try:
            wb = _open_calamine(data)
            formats = cell_formats(data)
            grids: list[Grid] = []
            with wb:
                for meta in wb.sheets_metadata:
                    if meta.typ != pc.SheetTypeEnum.WorkSheet:
                        continue
                    if meta.visible != pc.SheetVisibleEnum.Visible:
                        grids.append(Grid(meta.name, [], notes=[f"跳过隐藏工作表「{meta.name}」"]))
                        continue
                    grids.append(_calamine_grid(wb, meta.name, max_rows, formats))
        except FileRefused as refused:
            if refused.details.get("max_rows") is None and (part := understated_part(data)):
                raise FileRefused(_UNDERSTATED_REFUSAL, part=part) from refused
            raise
        rows = hidden.result()
    for grid in grids:
        grid.hidden_rows = rows.get(grid.name, frozenset())
    return grids


_HIDDEN_ROW = re.compile(rb"""<(?:[\w.-]+:)?row\b[^>]*?\bhidden\s*=\s*["'](?:1|true)["'][^>]*>""")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")


def hidden_rows(data: bytes) -> dict[str, frozenset[int]]:
    """0-based rows each sheet of an .xlsx hides (a filter, a collapsed group, rows hidden by
    hand), by sheet name; ``{}`` for a .xls or a workbook that hides none. The rows are
    loaded like any other — a hidden row is still the list's — and the report names them.

    A regex over each sheet part (C speed); rows without a number are not counted.
    """
    if not data.startswith(b"PK"):
        return {}
    found: dict[str, frozenset[int]] = {}
    try:
        for name, xml in sheet_parts(data):
            if b"hidden" not in xml:
                continue
            rows = frozenset(
                int(number.group(1)) - 1
                for m in _HIDDEN_ROW.finditer(xml)
                if (number := _ROW_NUMBER.search(m.group(0))) is not None
            )
            if rows:
                found[name] = rows
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, zlib.error):
        return {}
    return found


_UNDERSTATED_REFUSAL = (
    "文件内部记录的大小与实际内容不符（解压后比声明的大），文件已损坏或是压缩炸弹，已拒绝读取"
    " (a part of the workbook unpacks to more than its declared size)"
)


def understated_part(data: bytes) -> str | None:
    """The first part of a zip that unpacks to more than its directory declares, or None.

    The unpacked-size cap trusts the directory; calamine stops reading a part where its
    declared size ends and fails. Called only once reading has failed, to say why: each part
    is inflated to at most one byte past its declared size, so memory stays bounded.
    """
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                header = data[info.header_offset : info.header_offset + 30]
                if not header.startswith(b"PK\x03\x04") or len(header) < 30:
                    continue
                begin = info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
                body = data[begin : begin + info.compress_size]
                if info.compress_type == zipfile.ZIP_STORED:
                    unpacked = len(body)
                elif info.compress_type == zipfile.ZIP_DEFLATED:
                    unpacked = len(zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, info.file_size + 1))
                else:
                    continue
                if unpacked > info.file_size:
                    return info.filename
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError):
        return None
    return None


# ------------------------------------------------------------------ cell text


def cell_text(v: object) -> str:
    """Text of one python-calamine cell value, as the user sees it in Excel."""
    t = type(v)
    if t is str:
        return v.strip()  # type: ignore[attr-defined]
    if t is float:
        return _float_text(v)  # type: ignore[arg-type]
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is int:
        return str(v)
    if t is datetime:
        if v.time() == time(0):  # type: ignore[attr-defined]
            return v.date().isoformat()  # type: ignore[attr-defined]
        return v.isoformat(sep=" ", timespec="seconds")  # type: ignore[attr-defined]
    if t is date or t is time:
        return v.isoformat()  # type: ignore[attr-defined]
    if t is timedelta:  # an elapsed format whose shape is not known (a .xls): as [h]:mm:ss shows it
        return elapsed_text(v)  # type: ignore[arg-type]
    return "" if v is None else str(v).strip()


def _float_text(v: float) -> str:
    """13812345678.0 → '13812345678'; 1.5 → '1.5'; 1.10101199001011e17 → '110101199001011000'."""
    if v.is_integer() and -1e15 < v < 1e15:
        return str(int(v))
    if v != v or v in _INFINITIES:
        return ""
    s = "%.15g" % v
    return format(Decimal(s), "f") if "e" in s else s


_INFINITIES = (float("inf"), float("-inf"))


def float_texts(values: list[float]) -> list[str]:
    """A column of floats → texts, as :func:`cell_text` gives them, at C speed."""
    texts = list(map("%.15g".__mod__, values))
    joined = "\x00".join(texts)
    if "e" in joined or "n" in joined:  # 1e15 and above, inf, nan
        return [cell_text(v) for v in values]
    if "-0" in texts:  # negative zero: '%.15g' keeps the sign, Excel shows 0
        return ["0" if t == "-0" else t for t in texts]
    return texts


def text_columns(raw: list[list[object]]) -> list[list[str]]:
    """python-calamine rows → columns of text: the first rows cell by cell, then column-wise."""
    if not raw:
        return []
    top = HEAD_ROWS
    columns = []
    for col in zip(*raw):
        head, body = col[:top], col[top:]
        kinds = set(map(type, body))
        if kinds == {str}:
            converted = list(map(str.strip, body))
        elif kinds == {float}:
            converted = float_texts(list(body))
        elif kinds == {date}:
            converted = list(map(date.isoformat, body))
        else:
            converted = [
                v.strip() if type(v) is str
                else str(int(v)) if type(v) is float and v.is_integer() and -1e15 < v < 1e15  # type: ignore[attr-defined, operator, call-overload]
                else cell_text(v)
                for v in body
            ]  # fmt: skip
        columns.append([cell_text(v) for v in head] + converted)
    return columns


# ------------------------------------------------------------ python-calamine


def _open_calamine(data: bytes) -> Any:
    import python_calamine as pc

    try:
        return pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as e:  # calamine raises several unrelated classes for corrupt files
        # An encrypted .xlsx is an OLE file holding an 'EncryptedPackage' stream.
        if isinstance(e, pc.PasswordError) or "EncryptedPackage".encode("utf-16-le") in data:
            raise FileRefused(_PASSWORD_REFUSAL) from e
        raise FileRefused(
            f"无法读取 Excel 文件：文件已损坏或不是 Excel 格式 (not a readable workbook: {e})"
        ) from e


def _too_many_rows(name: str, rows: int, max_rows: int) -> FileRefused:
    return FileRefused(
        f"工作表「{name}」有 {rows} 行，超过 {max_rows} 行的上限"
        f" (sheet has more rows than the max_rows cap of {max_rows})",
        sheet=name,
        max_rows=max_rows,
    )


def _unreadable(name: str, e: Exception) -> FileRefused:
    return FileRefused(f"工作表「{name}」无法读取，文件可能已损坏 (cannot read sheet {name!r}: {e})")


def _calamine_grid(wb: Any, name: str, max_rows: int, formats: CellFormats | None = None) -> Grid:
    try:
        sheet = wb.get_sheet_by_name(name)
        end = sheet.end
        if end is None:
            return Grid(name, [])
        if end[0] + 1 > max_rows:
            raise _too_many_rows(name, end[0] + 1, max_rows)
        raw = sheet.to_python(skip_empty_area=False)
        merges = list(sheet.merged_cell_ranges or [])
    except FileRefused:
        raise
    except Exception as e:
        raise _unreadable(name, e) from e
    if formats is not None:  # a weekday cell's date, a duration's text: then the usual conversion
        for (r, c), value in formats.values(name, raw).items():
            raw[r][c] = value
    return Grid(name, text_columns(raw), merges)
