"""Write rows as the list files a user would load: UTF-8 CSV or ``.xlsx``.

Headers come from ``leadgraph/ingest/mappings.yaml`` (``kinds[kind].columns[field].header``),
so a file always carries exactly the canonical headers of its kind, in mapping order.
Both writers are byte-deterministic: CSV trivially; xlsx by fixing the document
properties' timestamps and every zip entry's date.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from leadgraph.demo.chain import read_yaml
from leadgraph.demo.model import Row

__all__ = ["MAPPINGS_PATH", "canonical_headers", "write_csv", "write_xlsx"]

MAPPINGS_PATH = Path(__file__).resolve().parents[1] / "ingest" / "mappings.yaml"
_FIXED_TIME = datetime(2024, 7, 1, 9, 0, 0)
_ZIP_TIME = (2024, 7, 1, 9, 0, 0)


@lru_cache(maxsize=None)
def _mappings(path: Path = MAPPINGS_PATH) -> dict[str, Any]:
    return read_yaml(path)


def canonical_headers(kind: str) -> dict[str, str]:
    """field -> canonical Chinese header of list ``kind``, in mapping order."""
    columns = _mappings()["kinds"][kind]["columns"]
    return {field: spec["header"] for field, spec in columns.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _checked(kind: str, rows: Iterable[Row]) -> tuple[dict[str, str], list[Row]]:
    headers = canonical_headers(kind)
    rows = list(rows)
    for row in rows:
        unknown = set(row) - set(headers)
        if unknown:
            raise ValueError(f"{kind} row has fields not in mappings.yaml: {sorted(unknown)}")
    return headers, rows


def write_csv(path: Path, kind: str, rows: Iterable[Row]) -> int:
    """Write ``rows`` as UTF-8 CSV (no BOM, ``\\n`` line ends); return the row count."""
    headers, rows = _checked(kind, rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(headers.values())
        for row in rows:
            writer.writerow(_text(row.get(field)) for field in headers)
    return len(rows)


def write_xlsx(path: Path, kind: str, rows: Iterable[Row], sheet: str | None = None) -> int:
    """Write ``rows`` as one-sheet xlsx: text cells as text (format ``@``), numbers as
    numbers, dates as ISO text; fixed timestamps make the bytes reproducible."""
    headers, rows = _checked(kind, rows)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet or _mappings()["kinds"][kind].get("label", kind)
    ws.append(list(headers.values()))
    for row in rows:
        values = []
        for field in headers:
            value = row.get(field)
            if isinstance(value, bool) or value is None:
                value = _text(value) or None
            values.append(value)
        ws.append(values)
    for col in ws.iter_cols(min_row=1):
        for cell in col:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    for letter, field in zip((c.column_letter for c in ws[1]), headers):
        width = max([len(headers[field])] + [len(_text(r.get(field))) for r in rows[:200]])
        ws.column_dimensions[letter].width = min(60, 2 + width * 1.6)
    ws.freeze_panes = "A2"
    wb.properties.creator = "leadgraph demo"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    wb.properties.lastModifiedBy = "leadgraph demo"
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()  # save_workbook() would stamp "now" as modified
    Path(path).write_bytes(_restamp(raw.getvalue()))
    return len(rows)


def _restamp(data: bytes) -> bytes:
    """Rewrite a zip with every entry dated :data:`_ZIP_TIME` (same order, same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
