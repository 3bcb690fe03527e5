"""How much a sheet split into row ranges, parsed by python-calamine in two threads, would save.

An experiment behind the reading-speed figure in ``docs/benchmarks.md``, not a reader:
``leadgraph.ingest`` does not split sheets. For each workbook given, it times, best of
``--repeat``, in one run:

- python-calamine opening the workbook and parsing its first sheet whole (what
  ``read_tables`` does today);
- the same sheet cut at ``<row`` boundaries into ``--parts`` workbooks (the sheet part
  inflated, each piece written uncompressed beside the other parts, shared strings
  included in every piece) and the pieces parsed by two threads at once (python-calamine
  releases the GIL while it parses); the cut's own cost is reported apart.

Only the parse is timed: handing cells over as Python values and the Python stages after it
(about 1.4 s for 200,000 rows, see ``bench/ingest_speed.py read``) run under the GIL either way.

Usage::

    .venv/bin/python -m bench.calamine_split_probe /tmp/leadgraph-bench/contacts-200000-xlsxwriter.xlsx
"""

from __future__ import annotations

import argparse
import io
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import python_calamine


def split_workbook(data: bytes, parts: int) -> list[bytes]:
    """The workbook as ``parts`` workbooks, each holding one run of the first sheet's rows."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheet = min(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    xml = archive.read(sheet)
    begin = xml.index(b"<sheetData>") + len(b"<sheetData>")
    end = xml.rindex(b"</sheetData>")
    cuts = [begin] + [xml.index(b"<row ", begin + (end - begin) * k // parts) for k in range(1, parts)] + [end]
    others = [(info.filename, archive.read(info.filename)) for info in archive.infolist() if info.filename != sheet]
    books = []
    for a, b in zip(cuts, cuts[1:]):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
            for name, body in others:
                out.writestr(name, body)
            out.writestr(sheet, b"".join((xml[:begin], xml[a:b], xml[end:])))
        books.append(buffer.getvalue())
    return books


def parse_first_sheet(data: bytes) -> tuple[object, object]:
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        sheet = book.get_sheet_by_index(0)
        return sheet.start, sheet.end


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--parts", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for path in args.files:
        data = open(path, "rb").read()
        whole = split = parse = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            extent = parse_first_sheet(data)
            whole = min(whole, time.perf_counter() - started)
            started = time.perf_counter()
            books = split_workbook(data, args.parts)
            cut = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:
                extents = list(pool.map(parse_first_sheet, books))
            done = time.perf_counter()
            split, parse = min(split, cut - started), min(parse, done - cut)
        rows = extent[1][0] + 1  # type: ignore[index]
        assert extents[-1][1] == extent[1], (extents, extent)  # the pieces end where the sheet ends
        print(f"{path}: {rows} rows")
        print(f"  whole sheet, one thread:             {whole:5.2f} s")
        print(f"  {args.parts} pieces, two threads: cut {split:4.2f} s + parse {parse:4.2f} s = {split + parse:5.2f} s"
              f"  (saves {whole - split - parse:+.2f} s)")


if __name__ == "__main__":
    main()
