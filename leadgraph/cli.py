"""The ``leadgraph`` command: a thin layer over the store, ingest and API.

Every command takes ``--db`` (or ``LEADGRAPH_DB``); errors of the package print as one
line on stderr with exit status 2.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from leadgraph.errors import InvalidQuery, LeadgraphError
from leadgraph.graph import GraphStore, open_store
from leadgraph.ingest.report import IngestReport
from leadgraph.settings import Settings

__all__ = ["app", "main"]

app = typer.Typer(
    name="leadgraph",
    help="招商人脉关系图谱 — contact-relationship and lead-sourcing graph for county investment promotion.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


DbOption = Annotated[str, typer.Option("--db", envvar="LEADGRAPH_DB", help="SQLite 文件 (embedded store file)")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="输出格式")]


def _fails_cleanly(command: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except LeadgraphError as exc:
            err.print(f"[bold red]错误[/]: {exc.message}", markup=True, highlight=False)
            raise typer.Exit(2) from None

    return wrapper


@contextmanager
def _store(db: str) -> Iterator[GraphStore]:
    store = open_store(Settings(db=db))
    try:
        yield store
    finally:
        store.close()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _print_report(report: IngestReport) -> None:
    summary = report.to_dict()
    title = f"{report.file} → 来源「{report.source}」" + ("（试运行，未写入）" if report.dry_run else "")
    table = Table(title=title, show_lines=False)
    for column in ("工作表", "类型", "读取行", "导入行", "拒绝行", "新建节点", "更新节点", "新建关系", "更新关系"):
        table.add_column(column)
    for sheet in summary["sheets"]:
        table.add_row(
            sheet["sheet"], sheet["kind"], str(sheet["rows_read"]), str(sheet["rows_loaded"]),
            str(sheet["rows_rejected"]), str(sheet["nodes"]["created"]), str(sheet["nodes"]["updated"]),
            str(sheet["edges"]["created"]), str(sheet["edges"]["updated"]),
        )
    out.print(table)
    for sheet in report.sheets:
        for note in sheet.notes:
            out.print(f"  说明：{note}")
        if sheet.dropped_columns:
            out.print(f"  已删除不应保存的列：{'、'.join(sheet.dropped_columns)}")
        if sheet.unknown_columns:
            out.print(f"  未识别的列（未导入）：{'、'.join(sheet.unknown_columns)}")
        for issue in sheet.rejected:
            out.print(f"  [red]拒绝[/] 第 {issue.line} 行：{issue.reason}", highlight=False)
        for issue in sheet.flagged:
            out.print(f"  [yellow]提示[/] 第 {issue.line} 行：{issue.reason}", highlight=False)


@app.command()
@_fails_cleanly
def ingest(
    file: Annotated[Path, typer.Argument(help="名录文件 (.xlsx/.xls/.csv/.tsv)", exists=True, dir_okay=False)],
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="名录类型，如 contacts；省略则按表头判断")] = None,
    source: Annotated[str | None, typer.Option("--source", help="来源名称（默认用文件名）")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查并出报告，不写入")] = False,
    db: DbOption = "leadgraph.db",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """导入一份名录 (load one list into the graph)."""
    from leadgraph.ingest.loader import ingest_file, total_rows

    with _store(db) as store:
        if fmt is OutputFormat.table and err.is_terminal:
            with Progress(
                TextColumn("导入 {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=err, transient=True,
            ) as bar:
                task = bar.add_task(file.name, total=total_rows(file))
                report = ingest_file(
                    store, file, kind=kind, source=source, dry_run=dry_run,
                    progress=lambda n: bar.advance(task, n),
                )
        else:
            report = ingest_file(store, file, kind=kind, source=source, dry_run=dry_run)
    if fmt is OutputFormat.json:
        _print_json(report.to_dict())
    else:
        _print_report(report)


@app.command()
@_fails_cleanly
def search(
    query: Annotated[str, typer.Argument(help="姓名、简称、拼音首字母或股票代码")],
    kind: Annotated[list[str] | None, typer.Option("--kind", "-k", help="只查这些节点类型")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=500)] = 20,
    db: DbOption = "leadgraph.db",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """搜索人员、机构等 (search by name, alias, pinyin initials)."""
    from leadgraph.privacy import mask_props

    with _store(db) as store:
        unknown = [name for name in kind or () if name not in store.schema.nodes]
        if unknown:
            raise InvalidQuery(f"未知的节点类型：{'、'.join(unknown)}；可选：{'、'.join(store.schema.nodes)}")
        hits = store.search(query, kinds=frozenset(kind) if kind else None, limit=limit)
        rows = [
            {**hit.to_dict(), **mask_props(store.schema, hit.kind, hit.detail, Settings().role)} for hit in hits
        ]
        labels = {name: spec.label for name, spec in store.schema.nodes.items()}
    if fmt is OutputFormat.json:
        _print_json(rows)
        return
    table = Table(title=f"搜索「{query}」：{len(rows)} 条")
    for column in ("类型", "名称", "匹配", "说明", "ID"):
        table.add_column(column)
    for row in rows:
        detail = "，".join(
            str(v if not isinstance(v, list) else "、".join(v))
            for k, v in row.items()
            if k not in ("id", "kind", "name", "matched", "score")
        )
        table.add_row(labels.get(row["kind"], row["kind"]), row["name"], row["matched"], detail, row["id"])
    out.print(table)


@app.command()
@_fails_cleanly
def stats(db: DbOption = "leadgraph.db", fmt: FormatOption = OutputFormat.table) -> None:
    """统计节点和关系数量 (count nodes and edges by kind)."""
    with _store(db) as store:
        counts = store.counts()
    if fmt is OutputFormat.json:
        _print_json(counts)
        return
    table = Table(title="图谱规模")
    table.add_column("类别")
    table.add_column("种类")
    table.add_column("数量", justify="right")
    for group, label in (("nodes", "节点"), ("edges", "关系")):
        for kind, n in counts[group].items():
            table.add_row(label, kind, str(n))
    out.print(table)


@app.command()
@_fails_cleanly
def demo(
    db: DbOption = "leadgraph.db",
    out_dir: Annotated[Path, typer.Option("--out", help="示例名录写到这里")] = Path("demo-data"),
    scale: Annotated[float, typer.Option(help="规模系数（1.0 为完整示例县）", min=0.01, max=10)] = 1.0,
    fresh: Annotated[bool, typer.Option("--fresh/--keep", help="先删除已有的数据库文件")] = True,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """生成并导入示例县 (write the fictional demo county's lists and load them)."""
    from leadgraph.demo import write_demo_lists
    from leadgraph.ingest.loader import ingest_file

    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        shutil.rmtree(out_dir, ignore_errors=True)
    files = write_demo_lists(out_dir, scale=scale)
    reports = []
    with _store(db) as store:
        for path, kind in files:
            report = ingest_file(store, path, kind=kind)
            reports.append(report)
            if fmt is OutputFormat.table:
                summary = report.to_dict()
                out.print(
                    f"{path.name:<24} {kind:<14} 行 {summary['rows_loaded']:>5}/{summary['rows_read']:<5} "
                    f"新建节点 {summary['nodes']['created']:>5}  新建关系 {summary['edges']['created']:>6}  "
                    f"拒绝 {summary['rows_rejected']}",
                    highlight=False,
                )
        counts = store.counts()
    if fmt is OutputFormat.json:
        _print_json({"files": [r.to_dict() for r in reports], "counts": counts})
    else:
        out.print(f"示例县已导入 {db}：节点 {sum(counts['nodes'].values())}，关系 {sum(counts['edges'].values())}")


@app.command()
@_fails_cleanly
def serve(
    db: DbOption = "leadgraph.db",
    host: Annotated[str, typer.Option(envvar="LEADGRAPH_HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="LEADGRAPH_PORT")] = 8000,
) -> None:
    """启动 API 服务 (serve the API and pages)."""
    import uvicorn

    from leadgraph.api import create_app

    settings = Settings(db=db, host=host, port=port)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


def main() -> None:
    app()
