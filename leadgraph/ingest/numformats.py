"""The number formats whose cells python-calamine does not give as Excel shows them.

python-calamine types every cell by its number format (see :mod:`leadgraph.ingest.workbooks`):
a date format makes a date, a time or date-time format a time or date-time, an elapsed-time
format a ``timedelta``, anything else a number. Two kinds of format need the format itself:

- **elapsed durations** (``[h]:mm``, ``[h]:mm:ss``, ``[mm]:ss``, ``[h]"时"mm"分"``…): the
  cell is a ``timedelta`` whatever the format shows; its text follows the format, with the
  largest unit holding the whole (26 h 5 min in ``[h]:mm`` is ``26:05``). A duration whose
  format cannot be read reads as ``[h]:mm:ss`` would show it (``26:05:00``);
- **weekday names** (``aaaa`` → 星期二, ``aaa`` → 二, ``[$-804]aaaa;@``): python-calamine does
  not take them for dates and gives the number; the cell is the date it shows, and reads as
  any date cell does (``2024-01-02``);
- **percentages, fixed decimals, scaled numbers and text around a number** (``0%``,
  ``0.00``, ``#,##0.00,,"百万"``, ``0.00"万元"``, ``[$¥-804]#,##0.00``): python-calamine gives
  the number stored (0.125, 2024.1); the cell reads as Excel shows it (``12.5%``,
  ``2024.10``, ``1.50万元``), never with fewer decimals than it holds (see ``_Decimals``).

:func:`cell_formats` reads only ``xl/styles.xml`` and ``xl/workbook.xml`` of an .xlsx (a few
kB). When a cell style uses one of these formats, :meth:`CellFormats.values` scans that sheet's
XML for the cells of those styles (a regex over the part, C speed) and gives their values as
Excel shows them; workbooks without such styles pay for the styles read only. A .xls (BIFF8,
as WPS and Excel save "Excel 97-2003") is read a second time by xlrd, for its formats and each
number cell's style: its globals first, the sheets only when a cell style uses one of these
formats (about 3 s for a full 60,000-row sheet of 8 columns, against 0.7 s for python-calamine's
read alone). When xlrd cannot read the file, python-calamine's values are kept.

Examples
--------
>>> from datetime import timedelta
>>> elapsed_text(timedelta(hours=26, minutes=5), "[h]:mm"), elapsed_text(timedelta(hours=26, minutes=5))
('26:05', '26:05:00')
>>> elapsed_text(timedelta(minutes=62, seconds=3.25), '[mm]:ss.00'), elapsed_text(timedelta(hours=6), '[h]"时"mm"分"')
('62:03.25', '6时00分')
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

__all__ = ["CellFormats", "XlsCellFormats", "XlsxCellFormats", "cell_formats", "elapsed_text", "serial_date", "sheet_parts"]

# ----------------------------------------------------------------- elapsed durations

_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
_ELAPSED = re.compile(r"[hH]+|[mM]+|[sS]+")
_UNSUPPORTED = set("dDyYaAeEgGbB0#?@%/")  # dates, AM/PM, numbers: not only an elapsed duration
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, eq=False)  # hashed by identity: one per cell style
class _Elapsed:
    """An elapsed-time format taken apart: ``template`` (:meth:`str.format`, one field per
    unit shown), the ``units`` of its fields in order (``f``: the fraction of a second), the
    largest unit shown (``top``) and the fraction's digits.

    The value is rounded to the fraction shown (whole seconds when none is), the largest
    unit holds the whole, the others what is left (26:05 in ``[h]:mm``, 1565:00 in
    ``[mm]:ss``); a negative duration, which Excel shows as ``#####``, keeps its sign.
    """

    template: str
    units: tuple[str, ...]  # "h", "m", "s" or "f" (the fraction), one per field of the template
    top: str
    decimals: int

    def text(self, value: timedelta) -> str:
        micros = value // _MICROSECOND
        sign, micros = ("-", -micros) if micros < 0 else ("", micros)
        scale = 10**self.decimals
        seconds, fraction = divmod((micros * scale + 500_000) // 1_000_000, scale)  # rounded as shown
        top, amounts = self.top, []
        for unit in self.units:
            if unit == "f":
                amounts.append(fraction)
            elif unit == top:
                amounts.append(seconds // _UNIT_SECONDS[unit])
            else:
                amounts.append(seconds // _UNIT_SECONDS[unit] % (24 if unit == "h" else 60))
        return sign + self.template.format(*amounts)


def _parse_elapsed(code: str) -> _Elapsed | None:
    """The first section of an elapsed-time format, or None when it shows anything else."""
    parts: list[str | tuple[str, int]] = []
    decimals, elapsed, i = 0, False, 0
    while i < len(code):
        c = code[i]
        if c == ";":
            break
        if c == '"':
            end = code.find('"', i + 1)
            end = len(code) if end < 0 else end
            parts.append(code[i + 1 : end])
            i = end + 1
        elif c == "\\":
            parts.append(code[i + 1 : i + 2])
            i += 2
        elif c in "_*":  # a blank the width of the next character, a fill: nothing to show
            i += 2
        elif c == "[":
            end = code.find("]", i)
            end = len(code) if end < 0 else end
            inside = code[i + 1 : end]
            if _ELAPSED.fullmatch(inside):
                parts.append((inside[0].lower(), len(inside)))
                elapsed = True
            i = end + 1  # otherwise a colour, locale or condition
        elif c in "hHmMsS":
            run = len(code[i:]) - len(code[i:].lstrip(c))
            parts.append((c.lower(), run))
            i += run
        elif c == "." and parts and isinstance(parts[-1], tuple) and parts[-1][0] == "s":
            run = len(code[i + 1 :]) - len(code[i + 1 :].lstrip("0"))
            if not 1 <= run <= 3:
                return None
            decimals = run
            i += 1 + run
        elif c in _UNSUPPORTED:
            return None
        else:
            parts.append(c)
            i += 1
    if not elapsed:
        return None
    template, units = [], []
    for part in parts:
        if isinstance(part, str):
            template.append(part.replace("{", "{{").replace("}", "}}"))
            continue
        unit, digits = part
        template.append(f"{{:0{digits}d}}")
        units.append(unit)
        if unit == "s" and decimals:
            template.append(f".{{:0{decimals}d}}")
            units.append("f")
    top = next(u for u in "hms" if u in units)
    return _Elapsed("".join(template), tuple(units), top, decimals)


_DEFAULT_ELAPSED = _parse_elapsed("[h]:mm:ss")


def elapsed_text(value: timedelta, number_format: str = "[h]:mm:ss") -> str:
    """A duration as Excel shows it in ``number_format`` (``[h]:mm:ss`` when it shows something else)."""
    parsed = _DEFAULT_ELAPSED if number_format == "[h]:mm:ss" else _parse_elapsed(number_format) or _DEFAULT_ELAPSED
    assert parsed is not None
    return parsed.text(value)


# --------------------------------------------------------------------- weekday names

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _shows_weekday_only(code: str) -> bool:
    """``aaa``/``aaaa`` (二 / 星期二) in the first section. With a year, month or day beside
    it, python-calamine already takes the cell for a date."""
    section = _QUOTED.sub("", code).split(";")[0]
    return "aaa" in section.lower()


_EPOCH_1900, _EPOCH_1904 = datetime(1899, 12, 31), datetime(1904, 1, 1)


def serial_date(serial: float, *, date_1904: bool = False) -> date | datetime | time | None:
    """The value python-calamine gives a date-formatted number: a time below 1, a date when
    whole, else a date-time (Excel's 1900 leap-year bug included: 60, 1900-02-29, reads as
    1900-02-28 like python-calamine does); None past year 9999, where it keeps the number.

    >>> serial_date(45292.0), serial_date(45292.5), serial_date(0.25)
    (datetime.date(2024, 1, 1), datetime.datetime(2024, 1, 1, 12, 0), datetime.time(6, 0))
    """
    days = serial - 1 if not date_1904 and serial >= 60 else serial
    try:
        moment = (_EPOCH_1904 if date_1904 else _EPOCH_1900) + timedelta(milliseconds=round(days * 86_400_000))
    except OverflowError:
        return None
    if serial < 1:
        return moment.time()
    return moment.date() if serial.is_integer() else moment


# ------------------------------------------------------- percentages and fixed decimals

_NOT_PLAIN_NUMBER = set("dDyYmMhHsSaAeEgGbB@/")  # dates, times, scientific, text: not ours
_DECIMALS = re.compile(r"\.([0#?]+)")


@dataclass(frozen=True, eq=False)  # hashed by identity: one per cell style
class _Decimals:
    """A number format showing a percentage (``0%``, ``0.00%``), a fixed count of decimals
    (``0.00``, ``#,##0.0``), a scaled number (``#,##0.00,,"百万"``: millions) or text around
    the number (``0.00"万元"``, ``[$$-409]#,##0.00``). python-calamine gives the number
    stored — 0.125, 2024.1, 1.5 — where Excel shows 12.50%, 2024.10 and 1.50万元: a share
    read as 0.125 would be a hundred times too small, 2024.10 typed as a month would read as
    January, and an amount would lose its unit.

    The text is the number shown (times 100 for a percentage, divided by 1,000 per scaling
    comma), with at least the decimals and integer digits the format shows and never fewer
    decimals than it holds (Excel rounds 12.5% to 13% in ``0%``; the list's value is 12.5),
    and the format's own text around it. No thousands separators. A negative number in a
    format with a section of its own for negatives (``"盈"0.00;"亏"0.00``) keeps its stored
    value: the second section is not read.
    """

    decimals: int
    percent: bool
    prefix: str = ""
    suffix: str = ""
    scale: int = 0  # thousands: 2 for ``0.00,,``
    digits: int = 0  # integer digits shown at least (``000000``)
    own_negative: bool = False  # the format has a section for negative numbers

    def text(self, value: float) -> str | None:
        if value != value or value in (float("inf"), float("-inf")) or (value < 0 and self.own_negative):
            return None
        exact = Decimal(repr(float(value)))
        if self.percent:
            exact = exact.scaleb(2)
        if self.scale:
            exact = exact.scaleb(-3 * self.scale)
        exact = exact.normalize()
        if exact.as_tuple().exponent > -self.decimals:  # type: ignore[operator]
            exact = exact.quantize(Decimal(1).scaleb(-self.decimals))
        number = format(exact, "f")
        if number.startswith("-") and not exact:
            number = number[1:]  # negative zero: Excel shows 0
        sign, number = ("-", number[1:]) if number.startswith("-") else ("", number)
        whole, dot, fraction = number.partition(".")
        number = sign + whole.zfill(self.digits) + dot + fraction
        return f"{self.prefix}{number}{'%' if self.percent else ''}{self.suffix}"


_CURRENCY_TAG = re.compile(r"\[\$([^\]-]*)(?:-[0-9A-Fa-f]+)?\]")  # [$¥-804], [$$-409], [$-804]
_CONDITION = re.compile(r"\[[<>=]")


def _parse_decimals(code: str) -> _Decimals | None:
    """The first section of a percentage, fixed-decimals, scaled or number-with-text format,
    or None for any other format (a whole number format such as ``0`` already reads as
    shown) and for a conditional one (``[>=10000]0.00,"万";0``: which section shows depends
    on the value)."""
    if _CONDITION.search(code):
        return None
    literals: list[tuple[int, str]] = []  # (how many placeholders came before, text)
    placeholders, number, i, sections = 0, [], 0, 1
    section = code  # up to its first ';' outside quotes
    while i < len(section):
        c = section[i]
        if c == ";":
            sections += 1 + section.count(";", i + 1)  # quoted ';' in later sections are rare
            break
        if c == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            literals.append((placeholders, section[i + 1 : end]))
            i = end + 1
        elif c == "\\":
            literals.append((placeholders, section[i + 1 : i + 2]))
            i += 2
        elif c in "_*":  # a blank the width of the next character, a fill
            i += 2
        elif c == "[":  # a currency ([$¥-804]: its symbol is shown), colour or locale
            end = section.find("]", i)
            end = len(section) - 1 if end < 0 else end
            tag = _CURRENCY_TAG.fullmatch(section, i, end + 1)
            if tag and tag.group(1):
                literals.append((placeholders, tag.group(1)))
            i = end + 1
        elif c in _NOT_PLAIN_NUMBER:
            return None
        else:
            if c in "0#?":
                placeholders += 1
            if c in "0#?.,%":
                number.append(c)
            elif c not in " ":
                literals.append((placeholders, c))
            i += 1
    if not placeholders or any(0 < before < placeholders for before, _ in literals):
        return None  # text between the digits (a phone shown as 000-0000-0000): the digits already read as shown
    shape = "".join(number)
    found = _DECIMALS.search(shape)
    decimals = found.group(1).count("0") if found else 0
    whole = shape.split(".")[0].replace("%", "")
    scale = len(whole) - len(whole.rstrip(",")) if "." not in shape else len(shape) - len(shape.rstrip(","))
    digits = whole.rstrip(",").replace(",", "").count("0")
    digits = digits if digits > 1 else 0  # 000000: a code's leading zeros
    prefix = "".join(t for before, t in literals if before == 0).strip()
    suffix = "".join(t for before, t in literals if before > 0).strip()
    percent = "%" in shape
    if not (percent or decimals or prefix or suffix or scale or digits):
        return None
    return _Decimals(decimals, percent, prefix, suffix, scale, digits, sections > 1)


# ------------------------------------------------------------------- workbook styles

_Format = _Elapsed | _Decimals | str  # "weekday": the number is a date
_WEEKDAY = "weekday"
# The built-in formats among ours: one elapsed time, fixed decimals, percentages (no built-in
# shows a weekday).
_BUILT_IN = {46: "[h]:mm:ss", 2: "0.00", 4: "#,##0.00", 9: "0%", 10: "0.00%"}
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})(\d+)["']""")
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\s")
_ROW_OR_CELL = re.compile(rb"""<(?:[\w.-]+:)?(row|c)\b([^>]*?)(/?)>""")
_STYLE = re.compile(rb"""\bs\s*=\s*["'](\d+)["']""")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")


def _tags(xml: bytes, name: str) -> list[dict[str, str]]:
    """Attributes of every ``<name …>`` (any namespace prefix), in document order."""
    pattern = re.compile(rb"<(?:[\w.-]+:)?" + name.encode() + rb"\b([^>]*)>")
    found = []
    for m in pattern.finditer(xml):
        attrs = m.group(1).decode("utf-8", "replace")
        found.append({k.split(":")[-1]: html.unescape(a if a or not b else b) for k, a, b in _ATTR.findall(attrs)})
    return found


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number - 1


class CellFormats:
    """Cells of one workbook whose number format python-calamine does not render, and the
    values Excel shows for them; :meth:`cells` finds them, per file type."""

    date_1904: bool = False

    def cells(self, sheet: str) -> dict[tuple[int, int], _Format]:
        """``(row, column)`` (0-based) of every cell of ``sheet`` with one of our formats."""
        raise NotImplementedError

    def values(self, sheet: str, raw: list[list[object]]) -> dict[tuple[int, int], object]:
        """The cells of ``sheet`` (``raw``: its python-calamine rows) whose value is not what
        Excel shows, with the value it shows: a weekday cell's date, a duration's text."""
        fixed: dict[tuple[int, int], object] = {}
        height = len(raw)
        shown: dict[tuple[int, type, object], object] = {}  # a list repeats its dates and durations
        for place, number_format in self.cells(sheet).items():
            r, c = place
            if r >= height or c >= len(raw[r]):
                continue
            value = raw[r][c]
            key = (id(number_format), type(value), value)
            text = shown.get(key, shown)
            if text is shown:
                text = shown[key] = self._shown(number_format, value)
            if text is not None:
                fixed[place] = text
        return fixed

    def _shown(self, number_format: _Format, value: object) -> object:
        if type(number_format) is _Decimals:
            return number_format.text(value) if type(value) in (float, int) else None  # type: ignore[arg-type]
        if number_format == _WEEKDAY:
            return serial_date(float(value), date_1904=self.date_1904) if type(value) in (float, int) else None  # type: ignore[arg-type]
        return number_format.text(value) if type(value) is timedelta else None  # type: ignore[union-attr]


@dataclass
class XlsxCellFormats(CellFormats):
    """The cell styles of one .xlsx, found in each sheet's XML."""

    package: zipfile.ZipFile
    sheets: dict[str, str]  # sheet name -> part
    styles: dict[int, _Format]  # cell style (xf) index -> its format
    date_1904: bool = False

    def cells(self, sheet: str) -> dict[tuple[int, int], _Format]:
        """``(row, column)`` (0-based) of every cell of ``sheet`` with one of :attr:`styles`."""
        part = self.sheets.get(sheet)
        if part is None:
            return {}
        try:
            xml = self.package.read(part)
        except (KeyError, zipfile.BadZipFile, OSError):
            return {}
        ids = b"|".join(str(i).encode() for i in sorted(self.styles))
        wanted = len(re.findall(rb"""s=["'](?:""" + ids + rb""")["']""", xml))  # cells (and rows) of these styles
        # As Excel, WPS and most writers write a cell: found by one C-level pass.
        usual = re.findall(rb'<c r="([A-Z]{1,3})(\d+)" s="(' + ids + rb')"', xml)
        if len(usual) == wanted:
            columns = {c: _column(c) for c in {c for c, _, _ in usual}}
            styles = {s: self.styles[int(s)] for s in {s for _, _, s in usual}}
            return {(int(r) - 1, columns[c]): styles[s] for c, r, s in usual}
        found: dict[tuple[int, int], _Format] = {}
        for m in re.finditer(rb"""s=["'](""" + ids + rb""")["']""", xml):
            start = xml.rfind(b"<", 0, m.start())
            if not xml[m.start() - 1 : m.start()].isspace() or not _CELL_START.match(xml, start):
                continue  # a row's style
            ref = _CELL_REF.search(xml, start, xml.find(b">", m.end()))
            if ref is None:  # a cell without r="B2": count cells as python-calamine does
                return self._cells_by_place(xml)
            found[int(ref.group(2)) - 1, _column(ref.group(1))] = self.styles[int(m.group(1))]
        return found

    def _cells_by_place(self, xml: bytes) -> dict[tuple[int, int], _Format]:
        found: dict[tuple[int, int], _Format] = {}
        row = col = -1
        for m in _ROW_OR_CELL.finditer(xml):
            attrs = m.group(2)
            if m.group(1) == b"row":
                number = _ROW_NUMBER.search(attrs)
                row, col = (int(number.group(1)) - 1 if number else row + 1), -1
                continue
            ref = _CELL_REF.search(attrs)
            row, col = (int(ref.group(2)) - 1, _column(ref.group(1))) if ref else (row, col + 1)
            style = _STYLE.search(attrs)
            if style and int(style.group(1)) in self.styles:
                found[row, col] = self.styles[int(style.group(1))]
        return found


def cell_formats(data: bytes) -> CellFormats | None:
    """The weekday, elapsed-time, percentage and fixed-decimals cells of an .xlsx or .xls,
    or None (no cell style uses such a format, or the styles cannot be read)."""
    if data.startswith(_OLE_MAGIC):
        return _xls_cell_formats(data)
    if not data.startswith(b"PK"):
        return None
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        workbook = _office_document(package, names)
        if workbook is None:
            return None
        folder = posixpath.dirname(workbook)
        rels = _relationships(package, names, workbook)
        styles_part = next((_part(folder, r["Target"]) for r in rels if r.get("Type", "").endswith("/styles")), None)
        styles = _special_styles(package.read(styles_part)) if styles_part in names else {}
        if not styles:
            return None
        book = package.read(workbook)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    sheets = _sheet_part_names(book, folder, rels)
    pr = _tags(book, "workbookPr")
    date_1904 = bool(pr) and pr[0].get("date1904", "").lower() in ("1", "true")
    return XlsxCellFormats(package, sheets, styles, date_1904)


def sheet_parts(data: bytes) -> Iterator[tuple[str, bytes]]:
    """``(sheet name, its XML)`` for every sheet of an .xlsx, one part inflated at a time."""
    package = zipfile.ZipFile(io.BytesIO(data))
    names = set(package.namelist())
    workbook = _office_document(package, names)
    if workbook is None:
        return
    rels = _relationships(package, names, workbook)
    for name, part in _sheet_part_names(package.read(workbook), posixpath.dirname(workbook), rels).items():
        if part in names:
            yield name, package.read(part)


def _sheet_part_names(book: bytes, folder: str, rels: list[dict[str, str]]) -> dict[str, str]:
    """Sheet name -> its part, from the workbook part and its relationships."""
    targets = {r["Id"]: r["Target"] for r in rels}
    return {s["name"]: _part(folder, targets[s["id"]]) for s in _tags(book, "sheet") if s.get("id") in targets and "name" in s}


def _part(folder: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _office_document(package: zipfile.ZipFile, names: set[str]) -> str | None:
    if "_rels/.rels" in names:
        for rel in _tags(package.read("_rels/.rels"), "Relationship"):
            if rel.get("Type", "").endswith("/officeDocument") and rel.get("Target"):
                return _part("", rel["Target"])
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def _relationships(package: zipfile.ZipFile, names: set[str], workbook: str) -> list[dict[str, str]]:
    rels = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels")
    if rels not in names:
        return []
    return [r for r in _tags(package.read(rels), "Relationship") if "Id" in r and "Target" in r]


def _special_styles(xml: bytes) -> dict[int, _Format]:
    """Cell style (xf) index → format, for the styles whose format is elapsed time, a weekday,
    a percentage or fixed decimals."""
    codes = dict(_BUILT_IN)
    for fmt in _tags(xml, "numFmt"):
        if fmt.get("numFmtId", "").isdigit():
            codes[int(fmt["numFmtId"])] = fmt.get("formatCode", "")
    cell_xfs = re.search(rb"<(?:[\w.-]+:)?cellXfs\b.*?</(?:[\w.-]+:)?cellXfs>", xml, re.DOTALL)
    special: dict[int, _Format] = {}
    for index, xf in enumerate(_tags(cell_xfs.group(0), "xf") if cell_xfs else []):
        code = codes.get(int(xf["numFmtId"])) if xf.get("numFmtId", "").isdigit() else None
        if code and (number_format := _special(code)) is not None:
            special[index] = number_format
    return special


def _special(code: str) -> _Format | None:
    """The format of ``code`` when it is one python-calamine does not render, else None."""
    elapsed = _parse_elapsed(code) if "[" in code else None
    if elapsed is not None:
        return elapsed
    if _shows_weekday_only(code):
        return _WEEKDAY
    return _parse_decimals(code)


# ------------------------------------------------------------------------------ .xls

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XLS_NUMBERS = (2, 3)  # xlrd.XL_CELL_NUMBER, XL_CELL_DATE (its type for an elapsed format)


@dataclass
class XlsCellFormats(CellFormats):
    """The cell formats of one .xls (BIFF), read by xlrd: python-calamine gives a .xls cell's
    type but not its format, so 12.50% would read as 0.125 and ``000123`` as 123."""

    book: Any  # xlrd.Book, sheets loaded on demand
    styles: dict[int, _Format]  # cell XF index -> its format
    date_1904: bool = False

    def cells(self, sheet: str) -> dict[tuple[int, int], _Format]:
        try:
            found = self.book.sheet_by_name(sheet)
        except Exception:  # xlrd cannot read a sheet python-calamine read: keep calamine's values
            return {}
        styles, cells = self.styles, {}
        for r in range(found.nrows):
            types = found.row_types(r)
            for c, kind in enumerate(types):
                if kind in _XLS_NUMBERS and (number_format := styles.get(found.cell_xf_index(r, c))) is not None:
                    cells[r, c] = number_format
        self.book.unload_sheet(sheet)  # its cells are python-calamine's to give
        return cells


def _xls_cell_formats(data: bytes) -> XlsCellFormats | None:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=_NOWHERE)
    except Exception:  # encrypted, damaged, or an OLE file that is no workbook: python-calamine says why
        return None
    styles: dict[int, _Format] = {}
    for index, xf in enumerate(book.xf_list):
        number = book.format_map.get(xf.format_key)
        code = number.format_str if number is not None else _BUILT_IN.get(xf.format_key)
        if not xf.is_style and code and (number_format := _special(code)) is not None:
            styles[index] = number_format
    if not styles:
        book.release_resources()
        return None
    return XlsCellFormats(book=book, styles=styles, date_1904=book.datemode == 1)


class _Nowhere(io.StringIO):
    def write(self, text: str) -> int:  # xlrd's warnings about odd records: not the user's concern
        return len(text)


_NOWHERE = _Nowhere()
