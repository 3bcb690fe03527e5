"""Reading speed of ``read_tables`` and end-to-end ingest speed into the embedded store.

Generates (once, cached beside ``--out``) a contacts list as ``.xlsx`` with the given number
of rows — distinct people, 2 000 companies, the demo county's townships, realistic cells
(mobiles as text, years as numbers) — then times:

- ``read``: ``leadgraph.ingest.readers.read_tables`` on the file (best of ``--repeat``);
- ``ingest``: ``leadgraph.ingest.loader.ingest_file`` of the same file into a fresh
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
import pstats
import random
import sys
import tempfile
import time
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


def make_file(path: Path, rows: int, seed: int = 1) -> Path:
    """A contacts .xlsx with ``rows`` distinct people (cached: reused when it exists)."""
    if path.exists():
        return path
    rng = random.Random(seed)
    brands = BrandPool(rng)
    firms = [f"{rng.choice(CITIES).prefix}{brands.draw()}{rng.choice(['新材料', '光电', '膜业', '科技'])}有限公司" for _ in range(2000)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("在外乡贤")
    sheet.append(["示例县在外乡贤名录（基准测试）"])
    sheet.append(HEADER)
    for i in range(rows):
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
        sheet.append([
            name, rng.choice("男女"), rng.randrange(1955, 2000), f"1{3 + i % 7}{i:09d}"[:11] if i % 10 else mobile(rng),
            rng.choice(firms), rng.choice(["董事长", "总经理", "工程师", "销售经理"]), rng.choice(TOWNSHIPS),
            rng.choice(CITIES).name,
        ])  # fmt: skip
    partial = path.with_suffix(".part.xlsx")
    book.save(partial)
    partial.replace(path)
    return path


def _read(path: Path, repeat: int) -> None:
    hint = default_mappings().header_score
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        sheets = read_tables(path, header_hint=hint)
        best = min(best, time.perf_counter() - started)
    rows = sum(len(s.rows) for s in sheets)
    print(f"read_tables: {rows} rows in {best:.2f} s (best of {repeat}) = {rows / best:,.0f} rows/s")


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
    started = time.perf_counter()
    path = make_file(args.out / f"contacts-{args.rows}.xlsx", args.rows)
    print(f"file: {path} ({path.stat().st_size / 2**20:.1f} MB, ready in {time.perf_counter() - started:.1f} s)")
    if args.what == "read":
        _read(path, args.repeat)
    else:
        _ingest(path, args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
