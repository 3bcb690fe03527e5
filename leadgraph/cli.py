"""The ``leadgraph`` command: a thin layer over the store, ingest and API.

Every command takes ``--db`` (or ``LEADGRAPH_DB``); errors of the package print as one
line on stderr with exit status 2.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from leadgraph.errors import FileRefused, IngestError, InvalidQuery, LeadgraphError, NotFound
from leadgraph.graph import EmbeddedStore, GraphStore, open_store
from leadgraph.ingest.report import IngestReport
from leadgraph.settings import Settings

if TYPE_CHECKING:
    from leadgraph.graph.neo4j_csv import ImportFiles

__all__ = ["app", "main"]

app = typer.Typer(
    name="leadgraph",
    help="招商人脉关系图谱 — contact-relationship and lead-sourcing graph for county investment promotion.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
# The driver logs each retry of a transient error (a deadlock between two writers) as a
# warning, which Python would print raw to stderr; a retry that succeeds is nobody's business
# and one that fails ends as the command's one clear error.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


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
            if kwargs.get("fmt") is OutputFormat.json:
                _print_json(exc.to_dict())  # a script reading stdout sees the error and its details
            err.print(f"[bold red]错误[/]: {escape(exc.message)}", markup=True, highlight=False)
            for candidate in exc.details.get("candidates") or ():
                err.print(f"  · {_candidate_text(candidate)}", markup=False, highlight=False)
            raise typer.Exit(2) from None

    return wrapper


def _candidate_text(candidate: dict[str, Any] | str) -> str:
    """张伟（宁波示例光电科技股份有限公司，董事长） per:…: a near or ambiguous match, as the user tells them
    apart; a list kind (an ambiguous list's candidates) as it is."""
    if not isinstance(candidate, dict):
        return str(candidate)
    extras = [str(candidate[k]) for k in ("org_name", "title", "short_name", "stock_code", "city") if candidate.get(k)]
    return f"{candidate.get('name', '')}{'（' + '，'.join(extras) + '）' if extras else ''}  {candidate.get('id', '')}"


@contextmanager
def _store(db: str, *, existing: bool = False) -> Iterator[GraphStore]:
    """The store the settings name; ``existing``: a command that only reads refuses to make
    an empty embedded database where a mistyped --db points."""
    settings = Settings(db=db)
    if existing and settings.backend == "embedded" and db != ":memory:" and not Path(db).exists():
        raise NotFound(
            f"数据库文件不存在：{db}（请检查 --db 或 LEADGRAPH_DB；新建图谱请先用 leadgraph ingest 或 leadgraph demo）"
            " (no such database file)"
        )
    if "neo4j_path_projection" not in settings.model_fields_set:
        # a command exits after its answer: a background projection build would be dropped
        settings = settings.model_copy(update={"neo4j_path_projection": "inline"})
    store = open_store(settings)
    try:
        yield store
    finally:
        store.close()


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` would overwrite ``b`` (the same path, or another name of the same file)."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


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
        for issue in sheet.merged:
            out.print(f"  [blue]合并[/] 第 {issue.line} 行：{issue.reason}", highlight=False)
        for issue in sheet.flagged:
            out.print(f"  [yellow]提示[/] 第 {issue.line} 行：{issue.reason}", highlight=False)
    if report.review_items and report.dry_run:
        out.print(f"正式导入后将有待审核的疑似重复 {len(report.review_items)} 项（试运行未写入，暂无可审核项）")
    elif report.review_items:
        out.print(f"待审核的疑似重复 {len(report.review_items)} 项：leadgraph review list")
    if report.report_file:
        out.print(f"导入报告已写入 {report.report_file}（问题行可在其中改正后再导入）", highlight=False)


@app.command()
@_fails_cleanly
def ingest(
    file: Annotated[Path, typer.Argument(help="名录文件 (.xlsx/.xls/.csv/.tsv)", exists=True, dir_okay=False)],
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="名录类型，如 contacts；省略则按表头判断")] = None,
    source: Annotated[str | None, typer.Option("--source", help="来源名称（默认用文件名）")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查并出报告，不写入")] = False,
    report_path: Annotated[
        Path | None, typer.Option("--report", help="导入报告 .xlsx 写到这里（默认：<文件名>_导入报告.xlsx，与名录同目录）", dir_okay=False)
    ] = None,
    no_report: Annotated[bool, typer.Option("--no-report", help="不写导入报告 .xlsx")] = False,
    db: DbOption = "leadgraph.db",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """导入一份名录 (load one list into the graph; writes an .xlsx report of every rejected, merged and flagged row)."""
    from leadgraph.ingest.loader import ingest_file, total_rows
    from leadgraph.ingest.report_xlsx import default_report_path, write_report

    if no_report and report_path is not None:
        raise InvalidQuery("--report 与 --no-report 不能同时使用")
    target = report_path or default_report_path(file)
    if not no_report:
        for precious, what in ((file, "名录文件本身"), (Path(db), "数据库文件")):
            if _same_file(target, precious):
                raise InvalidQuery(
                    f"导入报告不能写到{what} {precious}（会覆盖它），请用 --report 指定另一个文件 "
                    "(the report would overwrite the input or the database)",
                    report=str(target),
                )
    if dry_run and Settings(db=db).backend == "embedded" and db != ":memory:" and not Path(db).exists():
        db = ":memory:"  # a dry run leaves no database file behind where none was

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
    unwritten: IngestError | None = None
    if not no_report:
        try:
            write_report(report, target)
        except OSError as exc:  # e.g. last run's report still open in WPS: the batch is in, say so
            what = "试运行未写入数据" if dry_run else "数据已导入"
            unwritten = IngestError(
                f"{what}，但导入报告无法写入 {target}（{exc.strerror or exc}）；请关闭正在打开它的 Excel/WPS，"
                f"或用 --report 指定其他位置后再导入一次（再导入只会更新，不会重复）(the report could not be written)",
                report=str(target),
            )
    if fmt is OutputFormat.json:  # one document: the report, with the error in it when there is one
        _print_json({**report.to_dict(), **({"report_error": unwritten.to_dict()} if unwritten else {})})
    else:
        _print_report(report)
    if unwritten is not None:
        err.print(f"[bold red]错误[/]: {escape(unwritten.message)}", markup=True, highlight=False)
        raise typer.Exit(2)


review_app = typer.Typer(
    name="review",
    help="审核疑似重复的人员和机构 (review probable duplicates found on import).",
    no_args_is_help=True,
)
app.add_typer(review_app)


class ReviewFilter(str, Enum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"
    merged = "merged"
    all = "all"


def _describe_node(store: GraphStore, node_id: str | None) -> str:
    if not node_id:
        return ""
    current = store.current_id(node_id)
    node = store.get_node(current)
    if node is None:
        return node_id
    detail = next((node.props[p] for p in ("org_name", "township", "city") if node.props.get(p)), None)
    return f"{node.name}（{detail}）" if detail and node.kind == "Person" else node.name


def _review_rows(store: GraphStore, items: list) -> list[dict[str, Any]]:
    rejected = store.rejected_pairs() if any(item.status == "pending" for item in items) else set()
    return [
        {
            **item.to_dict(), "node": _describe_node(store, item.node_id), "other": _describe_node(store, item.other_id),
            "settled": _settled(store, item, rejected),
        }
        for item in items
    ]


def _settled(store: GraphStore, item: Any, rejected: set[frozenset[str]]) -> str | None:
    """For a pending item that other decisions already answer: 'same' (its two nodes were
    merged: accept just records it) or 'different' (they were judged different: only
    reject is possible); else None. ``rejected``: :meth:`GraphStore.rejected_pairs`."""
    if item.status != "pending" or not item.other_id:
        return None
    a, b = store.current_id(item.node_id), store.current_id(item.other_id)
    if a == b:
        return "same"
    return "different" if frozenset((a, b)) in rejected else None


_SETTLED_TEXT = {"same": "（已合并为同一节点，接受即可）", "different": "（已确认不同，只能拒绝）"}


@review_app.command("list")
@_fails_cleanly
def review_list(
    status: Annotated[ReviewFilter, typer.Option("--status", "-s", help="只列这种状态（默认待审核）")] = ReviewFilter.pending,
    db: DbOption = "leadgraph.db",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """列出审核项 (list review items: probable duplicates waiting for a decision, or past decisions)."""
    from leadgraph.graph.model import REVIEW_STATUS_LABELS

    with _store(db, existing=True) as store:
        rows = _review_rows(store, store.review_items(None if status is ReviewFilter.all else status.value))
        labels = {name: spec.label for name, spec in store.schema.nodes.items()}
    if fmt is OutputFormat.json:
        _print_json(rows)
        return
    title = f"审核项（{status.value}）：{len(rows)} 项"
    cells = [
        (
            row["id"], REVIEW_STATUS_LABELS[row["status"]] + _SETTLED_TEXT.get(row["settled"] or "", ""),
            labels.get(row["kind"], row["kind"]), f"{row['score']:.2f}",
            row["source"] + (f" 第 {row['line']} 行" if row["line"] is not None else ""),
            row["summary"], row["other"] or row["node"], "；".join(row["evidence"]),
        )
        for row in rows
    ]
    if out.width >= 140:
        table = Table(title=title)
        for column in ("ID", "状态", "类型", "得分", "来源"):
            table.add_column(column, no_wrap=True)
        for column in ("本行", "疑似相同", "依据"):
            table.add_column(column, overflow="fold")
        for row_cells in cells:
            table.add_row(*row_cells)
        out.print(table)
    else:  # a narrow terminal (or a pipe): one block per item, so the long columns stay readable
        out.print(title, highlight=False)
        for item_id, state, kind, score, where, summary, other, evidence in cells:
            out.print(f"\n{item_id}  {state}  {kind}  得分 {score}  {where}", highlight=False, markup=False)
            for label, text in (("本行", summary), ("疑似相同", other), ("依据", evidence)):
                out.print(f"  {label}：{text}", highlight=False, markup=False)
    if status is ReviewFilter.pending and rows:
        out.print("合并：leadgraph review accept ID　　确认不同：leadgraph review reject ID")


def _decide(item_id: str, decision: str, db: str, fmt: OutputFormat) -> None:
    with _store(db, existing=True) as store:
        item = store.decide(item_id, decision)  # type: ignore[arg-type]
        row = _review_rows(store, [item])[0]
        kept = store.current_id(item.node_id)
    if fmt is OutputFormat.json:
        _print_json({**row, "kept": kept if decision == "accept" else None})
    elif decision == "accept":
        out.print(f"已合并：「{row['summary']}」与「{row['node']}」现在是同一节点 {kept}；以后再导入也不会拆开", highlight=False)
    else:
        out.print(f"已确认不同：「{row['summary']}」与「{row['other']}」保持为两个节点；以后再导入也不会合并", highlight=False)


@review_app.command("accept")
@_fails_cleanly
def review_accept(
    item_id: Annotated[str, typer.Argument(help="审核项 ID（见 leadgraph review list）")],
    db: DbOption = "leadgraph.db",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """确认是同一人/同一机构并合并 (accept: merge the two nodes, keeping the older one)."""
    _decide(item_id, "accept", db, fmt)


@review_app.command("reject")
@_fails_cleanly
def review_reject(
    item_id: Annotated[str, typer.Argument(help="审核项 ID（见 leadgraph review list）")],
    db: DbOption = "leadgraph.db",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """确认不是同一人/同一机构 (reject: keep the two nodes apart for good)."""
    _decide(item_id, "reject", db, fmt)


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

    with _store(db, existing=True) as store:
        unknown = [name for name in kind or () if name not in store.schema.nodes]
        if unknown:
            raise InvalidQuery(f"未知的节点类型：{'、'.join(unknown)}；可选：{'、'.join(store.schema.nodes)}")
        hits = store.search(query, kinds=frozenset(kind) if kind else None, limit=limit + 1)
        more, hits = len(hits) > limit, hits[:limit]
        rows = [
            {**hit.to_dict(), **mask_props(store.schema, hit.kind, hit.detail, Settings().role)} for hit in hits
        ]
        labels = {name: spec.label for name, spec in store.schema.nodes.items()}
    if fmt is OutputFormat.json:
        _print_json(rows)
        return
    table = Table(title=f"搜索「{query}」：{len(rows)} 条" + (f"（仅显示前 {limit} 条，可加大 --limit 或写得更具体）" if more else ""))
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
    with _store(db, existing=True) as store:
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


@app.command("export-graph")
@_fails_cleanly
def export_graph(
    file: Annotated[Path, typer.Argument(help="导出到这个 JSON Lines 文件", dir_okay=False)],
    db: DbOption = "leadgraph.db",
) -> None:
    """导出整个图谱 (export the whole graph as JSON Lines: sources, timestamps, review decisions and merges included)."""
    from leadgraph.graph.transfer import export_graph as write_graph

    partial = file.with_name(file.name + ".part")  # a failed export leaves no half file under the real name
    with _store(db, existing=True) as store:
        if isinstance(store, EmbeddedStore) and file.resolve() in {Path(store.path + s).resolve() for s in ("", "-wal", "-shm")}:
            raise InvalidQuery(f"导出文件不能是数据库文件本身：{file} (the export would overwrite the database it reads)")
        try:
            with partial.open("w", encoding="utf-8", newline="\n") as handle:
                written = write_graph(store, handle)
            partial.replace(file)
        except OSError as exc:
            raise InvalidQuery(f"无法写入导出文件 {file}：{exc.strerror or exc} (cannot write the export file)") from None
        finally:
            partial.unlink(missing_ok=True)
    out.print(f"已导出到 {file}：{_transfer_counts(written)}", highlight=False)


@app.command("import-graph")
@_fails_cleanly
def import_graph(
    file: Annotated[Path, typer.Argument(help="export-graph 写出的文件", exists=True, dir_okay=False)],
    db: DbOption = "leadgraph.db",
) -> None:
    """导入 export-graph 的文件到空图谱 (load an exported graph into an empty store)."""
    from leadgraph.graph.transfer import import_graph as read_graph

    _check_utf8(file)
    with _store(db) as store, file.open(encoding="utf-8") as handle:
        loaded = read_graph(store, handle)
    out.print(f"已导入 {file}：{_transfer_counts(loaded)}", highlight=False)


def _transfer_counts(counts: dict[str, int]) -> str:
    return (
        f"节点 {counts['nodes']}，关系 {counts['edges']}，审核项 {counts.get('reviews', 0)}，"
        f"合并跳转 {counts.get('redirects', 0)}"
    )


def _check_utf8(file: Path) -> None:
    """Refuse an export that is not UTF-8 before anything is loaded, naming the first bad line."""
    with file.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise FileRefused(
                    f"第 {number} 行不是 UTF-8 文本（该行第 {exc.start + 1} 个字节）：export-graph 写出的文件是 UTF-8，"
                    f"可能被其他软件另存为了 GBK 等编码；未导入任何数据 (line {number} is not UTF-8)",
                    line=number,
                ) from None


def _import_files(file: Path, directory: Path) -> ImportFiles:
    from leadgraph.graph.neo4j_import import import_files_from_export
    from leadgraph.schema import default_schema

    _check_utf8(file)
    with file.open(encoding="utf-8") as handle:
        return import_files_from_export(default_schema(), directory, handle)


@app.command("neo4j-import")
@_fails_cleanly
def neo4j_import(
    file: Annotated[Path, typer.Argument(help="export-graph 写出的文件", exists=True, dir_okay=False)],
    home: Annotated[Path, typer.Option("--home", help="已停止的 Neo4j 目录（含 conf/neo4j.conf），如开发服务器的 .neo4j")],
    database: Annotated[str, typer.Option("--database", help="导入到这个数据库")] = "neo4j",
    overwrite: Annotated[bool, typer.Option("--overwrite", help="数据库已存在时覆盖它（原有数据全部丢失）")] = False,
    files: Annotated[
        Path | None, typer.Option("--files", help="导入用的 CSV 文件写到这里并保留（默认写到临时目录，用后删除）", file_okay=False)
    ] = None,
) -> None:
    """首次大批量导入 Neo4j (first load of an exported graph into a stopped Neo4j, with neo4j-admin's offline importer)."""
    import tempfile
    import time

    from leadgraph.graph.neo4j_admin import ServerHome, run_import

    server = ServerHome.at(home)
    server.check_importable(database, overwrite=overwrite)  # before minutes of writing files
    with tempfile.TemporaryDirectory(prefix="leadgraph-import-") as scratch:
        directory = files or Path(scratch)
        started = time.perf_counter()
        written = _import_files(file, directory)
        write_s = time.perf_counter() - started
        counts = written.counts
        out.print(
            f"已写出导入文件：{_transfer_counts(counts)}，键 {counts['keys']}"
            f"（{len(written.nodes) + len(written.relationships)} 个文件，{write_s:.1f} 秒）",
            highlight=False,
        )
        run = run_import(server, written, database, overwrite=overwrite)
    stages = " · ".join(f"{name} {seconds:.1f}" for name, seconds in run.stages if seconds >= 0.05)
    out.print(
        f"neo4j-admin 导入完成：节点 {run.nodes}，关系 {run.relationships}，属性 {run.properties}；"
        f"导入 {run.import_s:.1f} 秒（连同 Java 启动共 {run.wall_s:.1f} 秒），峰值内存 {run.peak_memory}",
        highlight=False,
    )
    if stages:
        out.print(f"  各阶段（秒）：{stages}", highlight=False)
    out.print(
        "下一步：启动服务器（开发服务器：bash deploy/neo4j/neo4j.sh start --keep-data）；"
        "首次连接时建立约束和索引 (then start the server; the first connection creates constraints and indexes)",
        highlight=False,
    )


@app.command("neo4j-import-files")
@_fails_cleanly
def neo4j_import_files(
    file: Annotated[Path, typer.Argument(help="export-graph 写出的文件", exists=True, dir_okay=False)],
    directory: Annotated[Path, typer.Argument(help="CSV 文件写到这个目录", file_okay=False)],
    files_at: Annotated[
        str | None, typer.Option("--files-at", help="neo4j-admin 看到的该目录路径，如容器里的 /import（默认：该目录本身）")
    ] = None,
) -> None:
    """写出 neo4j-admin 导入文件 (write the neo4j-admin import CSV files and their argument file, e.g. for docker)."""
    from leadgraph.graph.neo4j_csv import ARGS_FILE

    written = _import_files(file, directory)
    at = files_at if files_at is not None else str(directory.resolve())
    written.write_arguments(at)
    counts = written.counts
    out.print(
        f"已写出 {directory}：{_transfer_counts(counts)}，键 {counts['keys']}；"
        f"在已停止的服务器上运行 (on the stopped server, run):",
        highlight=False,
    )
    out.print(f"neo4j-admin database import full neo4j @{at.rstrip('/')}/{ARGS_FILE}", highlight=False, markup=False)


@app.command()
@_fails_cleanly
def paths(
    to: Annotated[str, typer.Option("--to", help="目标企业（全称、简称或股票代码）或人员，或节点 ID")],
    from_: Annotated[
        list[str] | None, typer.Option("--from", help="只从这些人员/单位、角色（leader、县领导…）或乡镇出发；可重复或用逗号分隔")
    ] = None,
    k: Annotated[int | None, typer.Option("-k", "--top", help="返回几条路径（默认 5）")] = None,
    max_hops: Annotated[int | None, typer.Option("--max-hops", help="每条路径最多几跳（默认 4）")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="不经过这些人员或单位")] = None,
    only_kinds: Annotated[list[str] | None, typer.Option("--only-kinds", help="只走这些关系类型，如 KNOWS")] = None,
    never_kinds: Annotated[list[str] | None, typer.Option("--never-kinds", help="不走这些关系类型")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="按此日期（YYYY-MM-DD）计算关系衰减，默认今天")] = None,
    time_limit: Annotated[float | None, typer.Option("--time-limit", help="时间上限（秒，默认 2）")] = None,
    db: DbOption = "leadgraph.db",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """查找引荐路径 (ranked, explained referral paths from our side to a target's decision makers)."""
    from datetime import date

    from leadgraph.graph.paths import PathQuery, find_paths, split_values

    try:
        when = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise InvalidQuery(f"日期格式应为 YYYY-MM-DD：{as_of}") from None
    query = PathQuery(
        to=to, from_=split_values(from_), k=k, max_hops=max_hops, exclude=split_values(exclude),
        only_kinds=split_values(only_kinds), never_kinds=split_values(never_kinds), as_of=when,
        time_limit=time_limit,
    )
    with _store(db, existing=True) as store:
        answer = find_paths(store, query)
    if fmt is OutputFormat.json:
        _print_json(answer)
        return
    target = answer["target"]
    makers = "、".join(f"{m['name']}（{m['basis']}）" for m in target["decision_makers"]) or "—"
    out.print(f"目标：{target['name']}　决策人：{makers}", highlight=False)
    if target.get("note"):
        out.print(target["note"], highlight=False)
    starts = [f"{f.get('name') or f.get('query')} {f['count']} 个" for f in answer.get("from") or [] if f.get("kind") != "our_side"]
    if starts:
        out.print("出发：" + "、".join(starts), highlight=False)
    table = Table(title=f"引荐路径 {len(answer['paths'])} 条" + ("（已超时截断，结果可能不全）" if answer["truncated"] else ""))
    for column in ("#", "得分", "跳数", "最弱一环"):
        table.add_column(column, overflow="fold")
    table.add_column("路径", overflow="fold", ratio=1)
    for rank, path in enumerate(answer["paths"], 1):
        weakest = path["weakest"]
        weak = f"{weakest['from']['name']}→{weakest['to']['name']} {weakest['strength']:.2f}" if weakest else "—"
        table.add_row(str(rank), f"{path['score']:.4f}", str(len(path["hops"])), weak, path["explanation"])
    out.print(table)
    if not answer["paths"]:
        out.print(_no_path_advice(answer), highlight=False)


def _no_path_advice(answer: dict[str, Any]) -> str:
    """Why no path came back, as far as the answer tells: the cause first, then the general advice."""
    if answer["truncated"]:
        return "在时间上限内没有找到路径（已超时截断）；可加大 --time-limit，或减小 --max-hops 后再试。"
    if any(f.get("count") == 0 for f in answer.get("from") or []):
        return "--from 没有对应到我方任何人员或单位；请换一个出发点，或去掉 --from。"
    return "没有找到得分足够的引荐路径；可放宽 --max-hops、去掉筛选，或补充人脉关系名录。"


@app.command()
@_fails_cleanly
def demo(
    db: DbOption = "leadgraph.db",
    out_dir: Annotated[Path, typer.Option("--out", help="示例名录写到这里")] = Path("demo-data"),
    scale: Annotated[float, typer.Option(help="规模系数（1.0 为完整示例县）", min=0.01, max=10)] = 1.0,
    fresh: Annotated[
        bool, typer.Option("--fresh/--keep", help="先删除已有的数据库文件（Neo4j 数据库不会被清空：非空时拒绝，--keep 则导入其中）")
    ] = True,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """生成并导入示例县 (write the fictional demo county's lists and load them)."""
    from leadgraph.demo import write_demo_lists
    from leadgraph.ingest.loader import ingest_file

    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidQuery(f"--out「{out_dir}」是一个文件，不是文件夹 (--out must be a folder)")
    embedded = Settings(db=db).backend == "embedded"
    if fresh and embedded and db != ":memory:":  # only the database: the lists are rewritten
        _refuse_to_delete_real_data(Path(db))
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    reports = []
    with _store(db) as store:
        if fresh and not isinstance(store, EmbeddedStore) and any(store.counts()["nodes"].values()):
            raise InvalidQuery(
                "Neo4j 数据库不是空的：示例县只导入空数据库（不会替你清空）；要把示例数据加进去，请加 --keep "
                "(the Neo4j database holds data; the demo loads into an empty one, or add --keep)"
            )
        files = write_demo_lists(out_dir, scale=scale)
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
        where = db if embedded else "Neo4j 数据库"
        out.print(f"示例县已导入 {where}：节点 {sum(counts['nodes'].values())}，关系 {sum(counts['edges'].values())}")


def _refuse_to_delete_real_data(db: Path) -> None:
    """``demo --fresh`` deletes the database file only when it holds nothing but the demo
    county: a mistyped or default --db must not cost anyone a real graph."""
    import sqlite3

    from leadgraph.demo import DEMO_FILES

    if not db.exists() or db.stat().st_size == 0:
        return
    demo_sources = {Path(name).stem for name, _ in DEMO_FILES}
    try:
        with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            # The lists every fact came from (import-graph writes sources, not batches), and
            # whether anything is there at all.
            sources = {row[0] for row in conn.execute("SELECT source FROM batches UNION SELECT source FROM sources")}
            holds = conn.execute("SELECT EXISTS (SELECT 1 FROM nodes)").fetchone()[0]
    except sqlite3.Error:
        sources, holds = None, True
    if sources is None or (holds and not sources) or any(s not in demo_sources and not s.startswith("合并 ") for s in sources):
        raise InvalidQuery(
            f"{db} 里有示例县以外的数据（或不是 leadgraph 数据库），不会删除它；请用 --db 指定另一个文件，"
            "或加 --keep 把示例数据导入其中 (the database holds more than the demo county; not deleted)",
            db=str(db),
        )


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
    store = open_store(settings)  # here, not at the app's start-up: an unusable store is one clear line
    try:
        uvicorn.run(create_app(settings, store), host=settings.host, port=settings.port, log_level="info")
    finally:
        store.close()


def main() -> None:
    app()
