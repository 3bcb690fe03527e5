"""Reading speed of ``read_tables`` and end-to-end ingest speed into the embedded store.

Generates (once, cached beside ``--out``) a contacts list as ``.xlsx`` with the given number
of rows — distinct people, 2 000 companies, the demo county's townships, realistic cells
(mobiles as text, years as numbers), a title row above the header — in two layouts: as
openpyxl's write-only mode writes it (inline strings) and as Excel and WPS save it (shared
strings; written with XlsxWriter, a dev dependency). Then times:

- ``read``: ``leadgraph.ingest.readers.read_tables`` on each file (best of ``--repeat``),
  with a breakdown of its stages, each the best of ``--repeat``: python-calamine opening
  the workbook and parsing the sheet (Rust), handing the cells over as Python values,
  then, in Python, cells to column text (``leadgraph.ingest.workbooks``) and header,
  合计/备注 rows and RawRow dicts (``leadgraph.ingest.readers``);
- ``ingest``: ``leadgraph.ingest.loader.ingest_file`` of the openpyxl file into a fresh
  ``EmbeddedStore`` (one batch, entity resolution on), reading included;
- ``demo``: the demo county's 18 lists (``leadgraph.demo.write_demo_lists``) loaded one
  after another into a fresh store (``--no-resolve``: natural keys only).

Usage::

    .venv/bin/python bench/ingest_speed.py --rows 200000 read
    .venv/bin/python bench/ingest_speed.py --rows 200000 ingest
    .venv/bin/python bench/ingest_speed.py --rows 20000 ingest --profile   # cProfile top 25
    .venv/bin/python bench/ingest_speed.py demo [--no-resolve]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from leadgraph.demo.naming import CITIES, TOWNSHIPS, BrandPool, mobile  # noqa: E402
from leadgraph.graph import EmbeddedStore  # noqa: E402
from leadgraph.ingest.loader import ingest_file  # noqa: E402
from leadgraph.ingest.mapping import default_mappings  # noqa: E402
from leadgraph.ingest.readers import read_tables  # noqa: E402

HEADER = ["姓名", "性别", "出生年份", "手机", "工作单位", "职务", "籍贯乡镇", "现居城市"]
_SURNAMES = "张王李刘陈杨黄赵周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "伟芳娜敏静强磊军洋勇艳杰涛明超华平刚桂英建国志强海燕晓东文博子涵国庆丽娟红梅宇浩然欣怡嘉琪俊杰思远"


def _contacts(rows: int, seed: int) -> Iterator[list[object]]:
    """The list's rows: title, header, then ``rows`` distinct people."""
    rng = random.Random(seed)
    brands = BrandPool(rng)
    firms = [f"{rng.choice(CITIES).prefix}{brands.draw()}{rng.choice(['新材料', '光电', '膜业', '科技'])}有限公司" for _ in range(2000)]
    yield ["示例县在外乡贤名录（基准测试）"]
    yield HEADER
    for i in range(rows):
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
        yield [
            name, rng.choice("男女"), rng.randrange(1955, 2000), f"1{3 + i % 7}{i:09d}"[:11] if i % 10 else mobile(rng),
            rng.choice(firms), rng.choice(["董事长", "总经理", "工程师", "销售经理"]), rng.choice(TOWNSHIPS),
            rng.choice(CITIES).name,
        ]  # fmt: skip


def _write_openpyxl(path: Path, rows: Iterator[list[object]]) -> None:
    book = Workbook(write_only=True)  # inline strings
    sheet = book.create_sheet("在外乡贤")
    for row in rows:
        sheet.append(row)
    book.save(path)


def _write_xlsxwriter(path: Path, rows: Iterator[list[object]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))  # shared strings, as Excel and WPS save
    sheet = book.add_worksheet("在外乡贤")
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()


LAYOUTS: dict[str, tuple[str, Callable[[Path, Iterator[list[object]]], None]]] = {
    "openpyxl": ("inline strings, openpyxl write-only", _write_openpyxl),
    "xlsxwriter": ("shared strings, Excel's layout (XlsxWriter)", _write_xlsxwriter),
}


def make_file(path: Path, rows: int, seed: int = 1, layout: str = "openpyxl") -> Path:
    """A contacts .xlsx with ``rows`` distinct people (cached: reused when it exists)."""
    if path.exists():
        return path
    partial = path.with_suffix(".part.xlsx")
    LAYOUTS[layout][1](partial, _contacts(rows, seed))
    partial.replace(path)
    return path


def _best(repeat: int, run: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def _read(path: Path, layout: str, repeat: int) -> None:
    hint = default_mappings().header_score
    seconds, sheets = _best(repeat, lambda: read_tables(path, header_hint=hint))
    rows = sum(len(s.rows) for s in sheets)  # type: ignore[attr-defined]
    print(f"read_tables [{LAYOUTS[layout][0]}]: {rows} rows in {seconds:.2f} s (best of {repeat}) = {rows / seconds:,.0f} rows/s")
    for stage, took in _breakdown(path, hint, repeat):
        print(f"  {took:5.2f} s  {stage}")


def _breakdown(path: Path, hint: Callable[[list[str]], int], repeat: int) -> list[tuple[str, float]]:
    """``read_tables``' stages on a one-sheet workbook, one after another (see the module docstring)."""
    import python_calamine

    from leadgraph.ingest import readers, workbooks

    data = path.read_bytes()
    stages: list[tuple[str, float]] = []

    def stage(name: str, run: Callable[[], object]) -> object:
        gc_was = gc.isenabled()
        gc.disable()  # as read_tables does
        try:
            took, result = _best(repeat, run)
        finally:
            if gc_was:
                gc.enable()
        stages.append((name, took))
        return result

    def parse() -> object:
        with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as wb:
            sheet = wb.get_sheet_by_index(0)
            return sheet, sheet.merged_cell_ranges or []

    sheet, merges = stage("calamine: open + parse the sheet (Rust)", parse)  # type: ignore[misc]
    raw = stage("calamine: cells to Python values (to_python)", lambda: sheet.to_python(skip_empty_area=False))
    columns = stage("cell values to column text (Python)", lambda: workbooks.text_columns(raw))  # type: ignore[arg-type]

    def to_rows() -> object:  # it fills merged cells in place: then each run needs a fresh copy
        fresh = [list(c) for c in columns] if merges else columns  # type: ignore[attr-defined]
        return readers._grid_to_sheet(workbooks.Grid(path.name, fresh, list(merges)), hint)  # type: ignore[arg-type]

    stage("header, 合计/备注 rows, RawRow dicts (Python)", to_rows)
    return stages


def _ingest(path: Path, profile: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "bench.db")
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        report = ingest_file(store, path, kind="contacts")
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        summary = report.to_dict()
        counts = store.counts()
        store.close()
    print(f"ingest_file: {summary['rows_loaded']} of {summary['rows_read']} rows loaded in {seconds:.2f} s "
          f"= {summary['rows_read'] / seconds:,.0f} rows/s; merged {summary['rows_merged']}, flagged "
          f"{summary['rows_flagged']}, review items {len(summary['review_items'])}; "
          f"nodes {sum(counts['nodes'].values())}, edges {sum(counts['edges'].values())}")  # fmt: skip
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def _demo(resolve: bool) -> None:
    from leadgraph.demo import write_demo_lists

    with tempfile.TemporaryDirectory() as folder:
        files = write_demo_lists(Path(folder) / "lists")
        store = EmbeddedStore(Path(folder) / "demo.db")
        rows, started = 0, time.perf_counter()
        for path, kind in files:
            rows += ingest_file(store, path, kind=kind, resolve=resolve).to_dict()["rows_read"]
        seconds = time.perf_counter() - started
        nodes = sum(store.counts()["nodes"].values())
        store.close()
    print(f"demo lists (resolution {'on' if resolve else 'off'}): {len(files)} files, {rows} rows in "
          f"{seconds:.2f} s = {rows / seconds:,.0f} rows/s; {nodes} nodes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["read", "ingest", "demo"])
    parser.add_argument("--no-resolve", action="store_true", help="demo: natural keys only")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "leadgraph-bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    if args.what == "demo":
        _demo(not args.no_resolve)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for layout in LAYOUTS if args.what == "read" else ["openpyxl"]:
        started = time.perf_counter()
        suffix = "" if layout == "openpyxl" else f"-{layout}"
        path = make_file(args.out / f"contacts-{args.rows}{suffix}.xlsx", args.rows, layout=layout)
        print(f"file: {path} ({path.stat().st_size / 2**20:.1f} MB, ready in {time.perf_counter() - started:.1f} s)")
        if args.what == "read":
            _read(path, layout, args.repeat)
        else:
            _ingest(path, args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
