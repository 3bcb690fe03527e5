"""Build the messy files the readers must cope with, inside pytest's ``tmp_path``.

Nothing binary is committed: xlsx files are written with openpyxl (inline strings in
write-only mode), or with XlsxWriter where Excel's own layout matters (shared strings,
cached formula values); the one legacy .xls is written by :func:`write_xls`, a minimal
BIFF8-in-OLE2 writer (xlwt is not available), enough for strings, numbers, date-formatted
numbers, numbers in a format of their own (:class:`Formatted`), merged cells and hidden sheets.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import openpyxl


class Formatted(NamedTuple):
    """A number stored in a cell whose number format is ``code`` (a .xls cell, see :func:`write_xls`)."""

    value: float
    code: str


Cell = str | float | int | bool | dt.date | dt.timedelta | Formatted | None

# --------------------------------------------------------------------------- xlsx


def write_xlsx(
    path: Path,
    sheets: dict[str, Sequence[Sequence[Cell]]],
    *,
    merges: dict[str, list[str]] | None = None,
    hidden: Sequence[str] = (),
    formats: dict[str, dict[str, str]] | None = None,
) -> Path:
    """One workbook; ``sheets`` maps name → rows (row 1 first); ``merges`` name → ['A1:F1']."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
        for ref, fmt in (formats or {}).get(name, {}).items():
            ws[ref].number_format = fmt
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


# ------------------------------------------------------- every kind of cell, in bulk

EVERY_TYPE_HEADER = [
    "姓名", "手机", "座机", "身份证号", "出生年份", "投资额", "占比", "回乡日期", "登记时间",
    "到访时刻", "时长", "是否会员", "公式", "查找", "乡镇", "空列", "备用",
]  # fmt: skip
_NAMES = ["张伟", "  李四  ", "\u3000王五\u3000", "赵\n六", "钱\r七", "孙_x000D_八", "NA", "null", "周九"]
_AMOUNTS = [
    0.1 + 0.2, 1 / 3, 1e-7, 1.23e-12, 1234567.891, -0.0, 1e15, 110101199001011234.0,
    12345678901234567890.0, 0.0, 2.5, -3.75, 1.5000000002, 123456789012345.67, 999999999999999.0,
]  # fmt: skip


def _every_type_row(i: int) -> list[object]:
    """Body row ``i``: one type per column (blank now and then), as Excel would store it."""
    ids = ["110101199001011232", "11010119900101123X", f"3302031985{i:08d}"]
    return [
        _NAMES[i % len(_NAMES)],
        13800000000.0 + i,
        f"0571-8888{i:04d}",
        ids[i % 3],
        1950 + i,
        None if i % 7 == 3 else _AMOUNTS[i % len(_AMOUNTS)],
        [0.125, 0.1234567, 1.0][i % 3],
        None if i % 11 == 5 else (dt.date(1900, 3, 1) if i == 2 else dt.date(2024, 1, 1) + dt.timedelta(days=i)),
        dt.datetime(2024, 3, 5, 8, 30, 15, 400000) + dt.timedelta(hours=i),
        [dt.time(8, 30), dt.time(0, 0), dt.time(23, 59, 59, 999000)][i % 3],
        dt.timedelta(hours=26 + i, minutes=5),
        i % 2 == 0,
        ("=E{r}*2", (1950 + i) * 2),
        {1: ("=VLOOKUP(A{r},Z:Z,1,FALSE)", "#N/A"), 3: ("=1/(B{r}-B{r})", "#DIV/0!")}.get(i % 4, ("=B{r}-B{r}+1", 1)),
        ["城关镇", "城关镇", "城关镇", "新塘乡", "双桥镇"][i % 5],
        None,
        "备用" if i % 9 == 0 else None,
    ]


def write_every_cell_type(path: Path, *, body_rows: int = 100) -> Path:
    """An Excel-layout workbook (XlsxWriter) with every kind of cell, one type per body column.

    Sheet 名录: merged title, 填报单位 line, two-row header (联系方式 over 手机/座机), then
    ``body_rows`` rows (well past the first 20, which become text cell by cell; below them
    whole columns are converted): text with odd whitespace and escapes, numbers as numbers
    (phones, years, 15+ digit values, −0, tiny and repeating fractions, percentages),
    18-digit IDs as text, dates, date-times, times of day, [h]:mm durations, booleans,
    formulas with cached values and cached #N/A and #DIV/0! errors, blanks, vertically
    merged 乡镇 cells; then 合计, 备注 (with a continuation line) and 填报人 rows. Also a
    small sheet and a hidden one.
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    formats = {
        7: book.add_format({"num_format": "yyyy-mm-dd"}),
        8: book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        9: book.add_format({"num_format": "hh:mm"}),
        10: book.add_format({"num_format": "[h]:mm:ss"}),
        6: book.add_format({"num_format": "0.00%"}),
    }
    cn_date = book.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
    ws = book.add_worksheet("名录")
    width = len(EVERY_TYPE_HEADER)
    ws.merge_range(0, 0, 0, width - 1, "示例县在外乡贤名录（每种单元格）")
    ws.write_string(1, 0, "填报单位：示例县招商局")
    ws.write_string(1, 8, "填报日期：2024年3月")
    for c, name in enumerate(EVERY_TYPE_HEADER):
        if c in (1, 2):
            ws.write_string(3, c, name)
        else:
            ws.merge_range(2, c, 3, c, name)
    ws.merge_range(2, 1, 2, 2, "联系方式")
    first = 4
    merged = range(0, body_rows - 3, 5)  # body rows where a 乡镇 range merged over three rows starts
    for i in range(body_rows):
        r = first + i
        for c, v in enumerate(_every_type_row(i)):
            if v is None or (c == 14 and i % 5 in (1, 2) and i - i % 5 in merged):
                continue  # of a merged range Excel stores the top-left value only
            if isinstance(v, tuple):
                ws.write_formula(r, c, v[0].format(r=r + 1), None, v[1])
            elif isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, (dt.date, dt.time, dt.timedelta)):
                ws.write_datetime(r, c, v, cn_date if c == 7 and i % 5 == 4 else formats[c])
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v, formats.get(c))
    for i in merged:
        ws.merge_range(first + i, 14, first + i + 2, 14, "城关镇")
    end = first + body_rows
    ws.write_string(end, 0, "合 计")
    ws.write_number(end, 5, 12345.5)
    ws.write_string(end + 1, 0, "备注：投资额单位为亿元")
    ws.write_string(end + 2, 0, "2. 手机请填写本人号码")
    ws.write_string(end + 3, 0, "填报人：王五")
    ws.write_string(end + 3, 2, "审核人：赵六")
    small = book.add_worksheet("商会")
    small.write_row(0, 0, ["会员", "职务", "入会日期"])
    small.write_row(1, 0, ["王五", "会长"])
    small.write_datetime(1, 2, dt.date(2020, 5, 1), formats[7])
    hidden = book.add_worksheet("草稿")
    for r in range(30):
        hidden.write_row(r, 0, ["草稿", r])
    hidden.hide()
    book.close()
    return path


def write_every_cell_type_inline(path: Path, *, body_rows: int = 100) -> Path:
    """The same cells as :func:`write_every_cell_type`, written by openpyxl in write-only mode.

    That makes inline strings (``t="inlineStr"``) instead of shared ones; formulas have no
    cached value and there are no merged ranges.
    """
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("名录")
    ws.append(["示例县在外乡贤名录（每种单元格）"])
    ws.append(EVERY_TYPE_HEADER)
    number_formats = {6: "0.00%", 7: "yyyy-mm-dd", 8: "yyyy-mm-dd hh:mm:ss", 9: "hh:mm", 10: "[h]:mm:ss"}
    for i in range(body_rows):
        row = []
        for c, v in enumerate(_every_type_row(i)):
            if isinstance(v, tuple):
                v = v[0].format(r=i + 3)
            cell = openpyxl.cell.WriteOnlyCell(ws, value=v)
            if c in number_formats and v is not None:
                cell.number_format = number_formats[c]
            row.append(cell)
        ws.append(row)
    ws.append(["合计", None, None, None, None, 12345.5])
    book.save(path)
    return path


NUMBER_FORMATS = [
    "General", "0", "0.00", "#,##0", "#,##0.00", "0%", "0.00%", "0.00E+00", "# ?/?", "m/d/yy", "d-mmm-yy", "mmm-yy",
    "h:mm AM/PM", "h:mm:ss", "m/d/yy h:mm", "mm:ss", "[h]:mm:ss", "mm:ss.0", "@", "yyyy/m/d", 'yyyy"年"m"月"d"日"',
    'm"月"d"日"', 'yyyy"年"m"月"', '[DBNum1][$-804]yyyy"年"m"月"d"日"', "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", "aaaa",
    'e"年"m"月"d"日"', "[$-804]aaaa;@", "yyyy/mm/dd hh:mm", 'hh"时"mm"分"', '上午/下午h"时"mm"分"',
    "#,##0.00_);[Red](#,##0.00)", "0_ ", "¥#,##0.00", "000000", '"是";"否"', "yyyy", "[$-409]mmm-yy;@", 'yy.mm.dd',
    '[$-411]ggge"年"m"月"d"日"', '#,##0;-#,##0;"-"', '@"元"', '0.0"万"', "yyyy-mm-dd;@", "[$-x-sysdate]dddd, mmmm dd, yyyy",
]  # fmt: skip
"""Number formats seen in Excel and WPS lists; python-calamine decides which ones make a cell a date."""


def write_number_formats(path: Path, *, rows: int = 100) -> Path:
    """One column per :data:`NUMBER_FORMATS` entry, holding date-times and times of day (XlsxWriter)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("名录")
    for c, number_format in enumerate(NUMBER_FORMATS):
        cell_format = book.add_format({"num_format": number_format})
        ws.write_string(0, c, f"格式{c}")
        for r in range(1, rows + 1):
            ws.write_number(r, c, 45292.5 + r if r % 2 else 0.25, cell_format)
    book.close()
    return path


def write_format_columns(
    path: Path, formats: Sequence[str], values: Sequence[float], *, rows: int = 60, date_1904: bool = False
) -> Path:
    """One column per number format (headers 格式0, 格式1…), row ``r`` holding ``values[(r - 1) % len(values)]``
    (days, as Excel stores dates and durations), then a column 日期 of the same numbers as yyyy-mm-dd
    (XlsxWriter; ``date_1904``: the 1904 date system of old Mac workbooks)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"date_1904": date_1904})
    ws = book.add_worksheet("名录")
    cell_formats = [book.add_format({"num_format": f}) for f in (*formats, "yyyy-mm-dd")]
    ws.write_row(0, 0, [*(f"格式{c}" for c in range(len(formats))), "日期"])
    for r in range(1, rows + 1):
        for c, cell_format in enumerate(cell_formats):
            ws.write_number(r, c, values[(r - 1) % len(values)], cell_format)
    book.close()
    return path


def write_format_columns_xls(
    path: Path, formats: Sequence[str], values: Sequence[float], *, rows: int = 60
) -> Path:
    """:func:`write_format_columns`'s workbook as a legacy .xls (:func:`write_xls`)."""
    table: list[list[Cell]] = [[*(f"格式{c}" for c in range(len(formats))), "日期"]]
    for r in range(1, rows + 1):
        table.append([Formatted(values[(r - 1) % len(values)], f) for f in (*formats, "yyyy-mm-dd")])
    return write_xls(path, {"名录": table})


def write_formats_by_row(path: Path, formats: Sequence[str], values: Sequence[float], *, rows: int = 60) -> Path:
    """A 姓名 column and one column 值 whose cells take ``formats`` and ``values`` in turn, row by row."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("名录")
    cell_formats = [book.add_format({"num_format": f}) for f in formats]
    ws.write_row(0, 0, ["姓名", "值"])
    for i in range(rows):
        ws.write_string(i + 1, 0, f"甲{i}")
        ws.write_number(i + 1, 1, values[i % len(values)], cell_formats[i % len(formats)])
    book.close()
    return path


def drop_cell_references(path: Path) -> Path:
    """Rewrite the first sheet without ``r`` attributes on its cells (they are optional too)."""
    return _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb'(<c\b[^>]*?) r="[A-Z]+\d+"', rb"\1", xml))


MIXED_COLUMNS: dict[str, Callable[[int], object]] = {
    "phones as numbers and text": lambda i: 13800000000 + i if i % 2 else f"1390000{i:04d}",
    "NA among numbers": lambda i: "NA" if i == 30 else i * 1.5,
    "nan among numbers": lambda i: "nan" if i == 30 else i * 1.5,
    "dates and text dates": lambda i: "2024.1.1" if i == 30 else dt.date(2024, 1, 1) + dt.timedelta(days=i),
    "booleans and numbers": lambda i: i % 2 == 0 if i % 3 else i,
    "date of serial 1": lambda i: dt.date(1900, 1, 1) if i == 30 else dt.date(2024, 1, 1),
    "ISO date cell": lambda i: 12345.678 if i == 30 else i,
    "−0 among numbers": lambda i: -0.0 if i == 30 else i + 0.25,
    "15+ digits among numbers": lambda i: {30: 110101199001011234.0, 31: 1e15}.get(i, i + 0.25),
}
"""Body columns whose cells differ in type, or would render differently (the odd cells from row 32 on)."""


def write_mixed_column(path: Path, case: str, *, body_rows: int = 100) -> Path:
    """A 姓名 column and one column of the ``case`` in :data:`MIXED_COLUMNS` (XlsxWriter)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    ws = book.add_worksheet("名录")
    ws.write_row(0, 0, ["姓名", "值"])
    for i in range(body_rows):
        ws.write_string(i + 1, 0, f"甲{i}")
        v = MIXED_COLUMNS[case](i)
        if isinstance(v, dt.date):
            ws.write_datetime(i + 1, 1, v, date)
        else:
            ws.write(i + 1, 1, v)
    book.close()
    if case == "ISO date cell":  # XlsxWriter writes none: put one in by hand
        iso = b'<c r="B32" t="d"><v>2024-01-01T08:30:00</v></c>'
        _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'<c r="B32"><v>12345.678</v></c>', iso))
    return path


def write_numbered_list(path: Path, *, rows: int = 100, trailing_blank_rows: int = 0) -> Path:
    """序号 (numbers), 姓名, 投资额, then a 合计 row with the text 合计 under 序号, and a 备注 line.

    ``trailing_blank_rows`` formatted but empty rows follow, as when borders were drawn
    further down than the list goes.
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    border = book.add_format({"border": 1})
    ws = book.add_worksheet("名录")
    ws.write_row(0, 0, ["序号", "姓名", "投资额"])
    for i in range(rows):
        ws.write_row(i + 1, 0, [i + 1, f"甲{i}", i * 0.5])
    ws.write_row(rows + 1, 0, ["合计", None, rows * (rows - 1) / 4])
    ws.write_string(rows + 2, 0, "备注：投资额单位为亿元")
    for r in range(rows + 3, rows + 3 + trailing_blank_rows):
        ws.write_blank(r, 0, None, border)
        ws.set_row(r, 20)
    book.close()
    return path


def set_dimension(path: Path, last_row: int) -> Path:
    """Rewrite the first sheet's ``<dimension>`` to claim ``last_row`` rows (it may lie)."""
    return _rewrite_part(
        path, "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'(<dimension ref="[A-Z]+\d+:[A-Z]+)\d+"', rb"\g<1>%d" % last_row + b'"', xml),
    )  # fmt: skip


def add_empty_shared_string(path: Path) -> Path:
    """Append an unused, self-closing ``<si/>`` to the shared strings (legal; rare)."""
    return _rewrite_part(path, "xl/sharedStrings.xml", lambda xml: xml.replace(b"</sst>", b"<si/></sst>"))


def add_valueless_shared_string_cell(path: Path) -> Path:
    """Give the first row a shared-string cell with no ``<v>`` (calamine reads it as empty)."""
    return _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</c></row>", b'</c><c r="Z1" t="s"/></row>', 1))


def use_x_prefix(path: Path) -> Path:
    """Rewrite sheets and shared strings with an ``x:`` prefix on every tag, as the .NET Open XML SDK does."""
    main = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

    def prefixed(xml: bytes) -> bytes:
        xml = re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s/>])", rb"<\1x:\2", xml)
        return xml.replace(main, main.replace(b"xmlns=", b"xmlns:x="))

    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet") or n == "xl/sharedStrings.xml"]
    for part in parts:
        _rewrite_part(path, part, prefixed)
    return path


def drop_row_numbers(path: Path) -> Path:
    """Rewrite the first sheet without ``r`` attributes on its rows (they are optional)."""
    return _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb'(<row\b[^>]*?) r="\d+"', rb"\1", xml))


def store_uncompressed(path: Path) -> Path:
    """Rewrite the package with every part stored rather than deflated."""
    return _rewrite_part(path, None, lambda xml: xml, compression=zipfile.ZIP_STORED)


def _rewrite_part(
    path: Path, part: str | None, change: Callable[[bytes], bytes], compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    if part is not None:
        changed = change(parts[part])
        assert changed != parts[part], f"{part}: nothing to change"
        parts[part] = changed
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return path


# ---------------------------------------------------------------------------- xls


def _record(rtype: int, payload: bytes) -> bytes:
    return struct.pack("<HH", rtype, len(payload)) + payload


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


_XF_GENERAL, _XF_DATE, _XF_DURATION = 15, 16, 17  # after the 15 style XFs Excel expects first


def _xf(fmt: int, *, style: bool = False) -> bytes:
    """BIFF8 XF: font 0, number format ``fmt``; a style XF, or a cell XF whose parent is XF 0."""
    kind = 0xFFF5 if style else 0x0001
    return _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, fmt, kind, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _font() -> bytes:
    name = "Arial".encode("utf-16-le")
    return _record(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + bytes([5, 1]) + name)


def _sheet_stream(
    rows: Sequence[Sequence[Cell]], merges: list[tuple[int, int, int, int]], sst: list[str], codes: list[str]
) -> bytes:
    out = [_bof(0x0010)]
    n_rows = len(rows)
    n_cols = max((len(r) for r in rows), default=0)
    out.append(_record(0x0200, struct.pack("<IIHHH", 0, n_rows, 0, n_cols, 0)))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                if value not in sst:
                    sst.append(value)
                out.append(_record(0x00FD, struct.pack("<HHHI", r, c, _XF_GENERAL, sst.index(value))))
            elif isinstance(value, Formatted):
                if value.code not in codes:
                    codes.append(value.code)
                xf = _XF_DURATION + 1 + codes.index(value.code)
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, xf, float(value.value))))
            elif isinstance(value, dt.date):
                serial = (value - dt.date(1899, 12, 30)).days
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, _XF_DATE, float(serial))))
            elif isinstance(value, dt.timedelta):
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, _XF_DURATION, value / dt.timedelta(days=1))))
            else:
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, _XF_GENERAL, float(value))))
    if merges:
        refs = b"".join(struct.pack("<HHHH", r0, r1, c0, c1) for r0, r1, c0, c1 in merges)
        out.append(_record(0x00E5, struct.pack("<H", len(merges)) + refs))
    out.append(_record(0x000A, b""))
    return b"".join(out)


def write_xls(
    path: Path,
    sheets: dict[str, Sequence[Sequence[Cell]]],
    *,
    merges: dict[str, list[tuple[int, int, int, int]]] | None = None,
    hidden: Sequence[str] = (),
) -> Path:
    """A real (minimal) BIFF8 .xls. Merges are 0-based (first_row, last_row, first_col, last_col).

    Date cells use built-in number format 14, so readers see them as dates; durations
    (timedeltas) built-in format 46, ``[h]:mm:ss``; a :class:`Formatted` number its own format.
    """
    sst: list[str] = []
    codes: list[str] = []  # custom number formats 164, 165…; their cell XFs follow the duration's
    bodies = [_sheet_stream(rows, (merges or {}).get(name, []), sst, codes) for name, rows in sheets.items()]

    def globals_stream(offsets: list[int]) -> bytes:
        parts = [_bof(0x0005), _record(0x0042, struct.pack("<H", 1200))]
        parts += [_font()] * 5
        parts += [_record(0x041E, struct.pack("<HHB", 164 + i, len(code), 1) + code.encode("utf-16-le"))
                  for i, code in enumerate(codes)]
        parts += [_xf(0, style=True)] * 15 + [_xf(0), _xf(14), _xf(46)] + [_xf(164 + i) for i in range(len(codes))]
        for (name, _), offset in zip(sheets.items(), offsets):
            encoded = name.encode("utf-16-le")
            state = 1 if name in hidden else 0
            parts.append(_record(0x0085, struct.pack("<IBBBB", offset, state, 0, len(name), 1) + encoded))
        strings = b"".join(struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in sst)
        parts.append(_record(0x00FC, struct.pack("<II", len(sst), len(sst)) + strings))
        parts.append(_record(0x000A, b""))
        return b"".join(parts)

    size = len(globals_stream([0] * len(bodies)))
    offsets, pos = [], size
    for body in bodies:
        offsets.append(pos)
        pos += len(body)
    stream = globals_stream(offsets) + b"".join(bodies)
    path.write_bytes(_ole_file(stream))
    return path


def _ole_file(stream: bytes, name: str = "Workbook") -> bytes:
    """Wrap one stream in a version-3 compound file (no mini stream)."""
    sector = 512
    stream = stream.ljust(max(4096, -(-len(stream) // sector) * sector), b"\x00")
    n_stream = len(stream) // sector
    fat_index, dir_index = n_stream, n_stream + 1
    fat = list(range(1, n_stream)) + [0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFE]
    assert len(fat) <= sector // 4, "this tiny writer handles one FAT sector only"
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(sector, b"\xff")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, dir_index, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<I", fat_index) + b"\xff" * 4 * 108
    )  # fmt: skip
    assert len(header) == sector

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        return (
            raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child) + bytes(16) + bytes(4) + bytes(16)
            + struct.pack("<II", start, size) + bytes(4)
        )  # fmt: skip

    directory = (
        entry("Root Entry", 5, 1, 0xFFFFFFFE, 0)
        + entry(name, 2, 0xFFFFFFFF, 0, len(stream))
        + entry("", 0, 0xFFFFFFFF, 0, 0) * 2
    )
    return header + stream + fat_bytes + directory


def write_encrypted_xlsx_stub(path: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE file with an EncryptedPackage."""
    path.write_bytes(_ole_file(b"\x00" * 4096, name="EncryptedPackage"))
    return path


# ------------------------------------------------------------------------- others


def write_text(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path
