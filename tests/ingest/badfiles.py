"""Build the messy files the readers must cope with, inside pytest's ``tmp_path``.

Nothing binary is committed: xlsx files are written with openpyxl, and the one legacy
.xls is written by :func:`write_xls`, a minimal BIFF8-in-OLE2 writer (xlwt is not
available), enough for strings, numbers, date-formatted numbers, merged cells and
hidden sheets.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Sequence
from pathlib import Path

import openpyxl

Cell = str | float | int | bool | dt.date | None

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


# ---------------------------------------------------------------------------- xls


def _record(rtype: int, payload: bytes) -> bytes:
    return struct.pack("<HH", rtype, len(payload)) + payload


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


_XF_GENERAL, _XF_DATE = 15, 16  # after the 15 style XFs Excel expects first


def _xf(fmt: int, *, style: bool = False) -> bytes:
    """BIFF8 XF: font 0, number format ``fmt``; a style XF, or a cell XF whose parent is XF 0."""
    kind = 0xFFF5 if style else 0x0001
    return _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, fmt, kind, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _font() -> bytes:
    name = "Arial".encode("utf-16-le")
    return _record(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + bytes([5, 1]) + name)


def _sheet_stream(rows: Sequence[Sequence[Cell]], merges: list[tuple[int, int, int, int]], sst: list[str]) -> bytes:
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
            elif isinstance(value, dt.date):
                serial = (value - dt.date(1899, 12, 30)).days
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, _XF_DATE, float(serial))))
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

    Date cells use built-in number format 14, so readers see them as dates.
    """
    sst: list[str] = []
    bodies = [_sheet_stream(rows, (merges or {}).get(name, []), sst) for name, rows in sheets.items()]

    def globals_stream(offsets: list[int]) -> bytes:
        parts = [_bof(0x0005), _record(0x0042, struct.pack("<H", 1200))]
        parts += [_font()] * 5 + [_xf(0, style=True)] * 15 + [_xf(0), _xf(14)]
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
