"""Run the declared mappings over a list's rows and write the result to a store.

One file is one batch from one source: committed whole, or (on ``dry_run`` or an
error) not at all. A row that cannot be taken is rejected with a Chinese reason and the
rest of the file still loads; every check that can reject it runs before it writes
anything, so a rejected row leaves no node, edge, review item or record of a merge. Rows
no natural key identifies go through entity resolution (:mod:`leadgraph.ingest.resolve`):
merged into a known node (reported as 合并), or loaded as a node of their own with a
review item (reported as 提示). A link whose two ends turn out to be one node once the
row is written is left out, and the row, loaded, is flagged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadgraph.errors import Ambiguous, IngestError, InvalidQuery, UnknownKind
from leadgraph.graph.identity import clean_props, natural_keys
from leadgraph.graph.model import Node, ReviewItem
from leadgraph.graph.store import GraphStore, Probable, WriteBatch, name_problem
from leadgraph.ingest.cells import parse_cell
from leadgraph.ingest.mapping import KindMapping, Mappings, Step, default_mappings
from leadgraph.ingest.readers import RawRow, RawSheet, read_tables
from leadgraph.ingest.report import IngestReport, SheetReport, report_origin
from leadgraph.ingest.resolve import EntityResolver

__all__ = ["ingest_file", "ingest_sheet", "RowRejected"]

Progress = Callable[[int], None]


class RowRejected(Exception):
    """A row that cannot be taken; the message is the Chinese reason for the clerk."""


class _DryRun(Exception):
    """Raised inside a batch to roll it back after a dry run."""


@dataclass
class _Row:
    line: int
    raw: dict[str, str]
    fields: dict[str, Any]
    problems: list[str]


def _parse_row(mapping: KindMapping, columns: dict[str, str], row: RawRow, schema) -> _Row:
    fields: dict[str, Any] = {}
    problems: list[str] = []
    for header, field in columns.items():
        column = mapping.columns[field]
        value, problem = parse_cell(column.parse, row.values.get(header, ""), schema)
        if problem:
            problems.append(f"{column.header}：{problem}")
        if value is not None:
            fields[field] = value
    for field, column in mapping.columns.items():
        if column.required and field not in fields:
            reason = next((p for p in problems if p.startswith(column.header + "：")), None)
            raise RowRejected(reason or f"必填列「{column.header}」为空")
    return _Row(row.line, row.values, fields, problems)


def _applies(step: Step, fields: dict[str, Any]) -> bool:
    return all(fields.get(f) not in (None, "") for f in step.when) and not any(
        fields.get(f) not in (None, "") for f in step.unless
    )


def _props(spec: dict[str, str], fields: dict[str, Any]) -> dict[str, Any]:
    return {prop: fields[field] for prop, field in spec.items() if field in fields}


def _describe(match: dict[str, Any]) -> str:
    return "、".join(str(v) for v in match.values())


def _resolve_ref(
    batch: WriteBatch, step: Step, fields: dict[str, Any]
) -> tuple[str | None, tuple[str, Probable] | None]:
    """The id a ``ref`` step points at (None when it may be created), and, when entity
    resolution identified it, the merge to record once the row is known to load."""
    match = _props(step.match, fields)
    for kind in step.kind:
        if (too_long := name_problem(batch.schema.node(kind).label, match)) is not None:
            raise RowRejected(too_long)
        candidates, probable = batch.lookup(kind, match)
        if step.roles:
            candidates = [c for c in candidates if set(step.roles) & set(c.roles)]
        if len(candidates) == 1:
            return candidates[0].id, (kind, probable) if probable is not None else None
        if len(candidates) > 1:
            names = "；".join(
                f"{c.name}（{c.props.get('org_name') or c.props.get('city') or c.id}）" for c in candidates[:5]
            )
            raise RowRejected(f"「{_describe(match)}」对应多个{batch.schema.node(kind).label}：{names}，请补充单位或手机")
    if step.create:
        return None, None
    labels = "或".join(batch.schema.node(k).label for k in step.kind)
    role = f"（{'、'.join(batch.schema.node(step.kind[0]).roles[r] for r in step.roles)}）" if step.roles else ""
    raise RowRejected(f"{labels}{role}「{_describe(match)}」不在任何已导入名录中，请先导入")


def _node_writes(mapping: KindMapping, row: _Row, resolved: dict[str, str | None]) -> dict[str, tuple[dict, dict]]:
    """By step name, ``(props, defaults)`` of every node the row upserts: its node steps and
    the references it creates."""
    writes = {}
    for step in mapping.produce:
        if not _applies(step, row.fields):
            continue
        if step.op == "ref" and step.name in resolved and resolved[step.name] is None:
            writes[step.name] = (_props(step.match, row.fields), dict(step.const))
        elif step.op == "node":
            props = _props(step.set, row.fields)
            if step.roles:
                props["roles"] = list(step.roles)
            writes[step.name] = (props, dict(step.const))
    return writes


_SAME_ENDS = "关系的两端是同一个人或同一个单位"


@dataclass
class _Plan:
    """What a row will write, once :func:`_check_row` found nothing to reject it for."""

    resolved: dict[str, str | None]  # reference → id (None: created by the row)
    merges: dict[str, tuple[str, Probable]]  # reference → (kind, match), when entity resolution identified it
    writes: dict[str, tuple[dict, dict]]  # node or created reference → (props, defaults)


def _check_row(batch: WriteBatch, mapping: KindMapping, row: _Row) -> _Plan:
    """Everything that can reject the row, before it writes anything: a rejected row leaves
    no node, edge, review item or record of a merge behind."""
    resolved: dict[str, str | None] = {}
    merges: dict[str, tuple[str, Probable]] = {}
    for step in mapping.produce:
        if step.op == "ref" and _applies(step, row.fields):
            try:
                resolved[step.name], merge = _resolve_ref(batch, step, row.fields)
            except RowRejected as exc:
                if not step.optional:
                    raise
                row.problems.append(f"{exc}；本行已导入，但未建立此关联")
                continue
            if merge is not None:
                merges[step.name] = merge
    writes = _node_writes(mapping, row, resolved)
    for step in mapping.produce:
        if step.name in writes:
            props, defaults = writes[step.name]
            if (too_long := name_problem(batch.schema.node(step.kind[0]).label, props)) is not None:
                raise RowRejected(too_long)
            if not natural_keys(batch.schema.node(step.kind[0]), {**clean_props(defaults), **clean_props(props)}):
                batch.upsert_node(step.kind[0], props, defaults)  # refuses, in the store's words, before writing
        elif step.op == "edge" and _applies(step, row.fields):
            ends = resolved.get(step.from_), resolved.get(step.to)
            if ends[0] is not None and ends[0] == ends[1]:
                raise RowRejected(_SAME_ENDS)
    return _Plan(resolved, merges, writes)


def _apply_row(batch: WriteBatch, mapping: KindMapping, row: _Row, counts: SheetReport) -> dict[str, str]:
    plan = _check_row(batch, mapping, row)
    for step in mapping.produce:  # the row loads: the merges its references rest on are recorded
        if step.name in plan.merges:
            kind, probable = plan.merges[step.name]
            batch.record_merge(kind, plan.resolved[step.name], probable)  # type: ignore[arg-type]
    ids: dict[str, str] = {}
    for step in mapping.produce:
        if not _applies(step, row.fields):
            continue
        if step.name in plan.writes:
            result = batch.upsert_node(step.kind[0], *plan.writes[step.name])
            counts.count_node(result.status)
            ids[step.name] = result.id
        elif step.op == "ref" and step.name in plan.resolved:
            ids[step.name] = plan.resolved[step.name]  # type: ignore[assignment]
        elif step.op == "edge" and step.from_ in ids and step.to in ids:
            if ids[step.from_] == ids[step.to]:
                # Only known once the row's nodes are written (the firm is the association
                # itself): those writes stay, the link is left out.
                row.problems.append(f"{_SAME_ENDS}；本行已导入，但未建立此关联")
                continue
            props = {**step.const, **_props(step.set, row.fields)}
            result = batch.upsert_edge(step.kind[0], ids[step.from_], ids[step.to], props)
            counts.count_edge(result.status)
    return ids


def _node_text(node: Node | None, fallback: str) -> str:
    if node is None:
        return fallback
    org = node.props.get("org_name") if node.kind == "Person" else None
    return f"{node.name}（{org}）" if org else node.name


def _record_decisions(batch: WriteBatch, items: list[ReviewItem], row: RawRow, report: SheetReport) -> None:
    """Report the row's automatic merges (合并) and review items (提示) in Chinese: a row
    with both is listed under each."""
    merges, reviews = [], []
    for item in items:
        label = batch.schema.node(item.kind).label
        why = "；".join(item.evidence)
        if item.status == "merged":
            target = _node_text(batch.get_node(item.node_id), item.node_id)
            merges.append(f"「{item.summary}」已与已有{label}「{target}」合并：{why}（得分 {item.score:.2f}）")
        else:
            other = _node_text(batch.get_node(item.other_id or ""), item.other_id or "")
            reviews.append(
                f"「{item.summary}」疑似与已有{label}「{other}」相同（得分 {item.score:.2f}：{why}），已单独建档，"
                f"待审核：leadgraph review accept {item.id}（合并）或 reject {item.id}（不同）"
            )
            report.review_items.append(item.id)
    if merges:
        report.merge(row.line, row.values, "；".join(merges))
    if reviews:
        report.flag(row.line, row.values, "；".join(reviews))


def ingest_sheet(
    batch: WriteBatch,
    sheet: RawSheet,
    mapping: KindMapping,
    mappings: Mappings,
    *,
    progress: Progress | None = None,
    trace: bool = False,
) -> SheetReport:
    """Load one sheet's rows into an open batch and report what happened to each.

    ``trace`` keeps, per line, the id of every node the row produced or referred to.
    """
    report = SheetReport(sheet=sheet.name, kind=mapping.name, notes=list(sheet.notes))
    kept_header = [h for h in sheet.header if not mappings.is_forbidden(h)]
    report.header = kept_header
    report.dropped_columns = [h for h in sheet.header if mappings.is_forbidden(h)]
    columns, unknown = mapping.match_headers(kept_header)
    read_as = {field: text for text, field in columns.items()}
    shadowed = {h: read_as[f] for h in unknown if (f := mapping.field_of(h)) in read_as}
    for text, winner in shadowed.items():
        label = mapping.columns[columns[winner]].header
        report.notes.append(f"列「{text}」与「{winner}」同为「{label}」列，已按「{winner}」导入，「{text}」未导入")
    report.unknown_columns = [h for h in unknown if h not in shadowed and not mappings.is_ignored(h)]
    missing = mapping.missing_required(columns)
    if missing:
        raise IngestError(
            f"工作表「{sheet.name}」缺少必填列：{'、'.join(missing)} (missing required columns); "
            f"表头 (headers seen): {'、'.join(h for h in sheet.header if h)}",
            sheet=sheet.name,
            missing=missing,
        )
    for row in sheet.rows:
        report.rows_read += 1
        batch.line = row.line
        parsed: _Row | None = None
        try:
            parsed = _parse_row(mapping, columns, row, batch.schema)
            ids = _apply_row(batch, mapping, parsed, report)
        except (RowRejected, InvalidQuery, Ambiguous) as exc:
            reason = exc.message if isinstance(exc, (InvalidQuery, Ambiguous)) else str(exc)
            extra = [p for p in (parsed.problems if parsed else []) if p not in reason]
            report.reject(row.line, row.values, "；".join([reason, *extra]))
        else:
            report.rows_loaded += 1
            problems = [*parsed.problems, *batch.take_notices()]
            if problems:
                report.flag(row.line, row.values, "；".join(problems))
            if batch.decisions:
                _record_decisions(batch, batch.take_decisions(), row, report)
            if trace:
                report.traced[row.line] = ids
        batch.decisions.clear()
        batch.notices.clear()  # a rejected row's writes are undone: so are their notices
        if progress is not None:
            progress(1)
    batch.line = None
    return report


def ingest_file(
    store: GraphStore,
    path: str | Path,
    *,
    kind: str | None = None,
    source: str | None = None,
    dry_run: bool = False,
    mappings: Mappings | None = None,
    progress: Progress | None = None,
    resolve: bool = True,
    trace: bool = False,
) -> IngestReport:
    """Read ``path`` and load every data sheet in it as one batch.

    ``kind`` names the list kind; without it the kind is inferred per sheet from its
    headers (and, when they fit several kinds, the sheet's or file's name). ``source``
    labels the facts (default: the file's name without suffix). A corrected ingest report
    loads as the list it reports on: its title rows give the source and the kind.
    ``resolve`` turns entity resolution beyond natural keys on (the default); ``trace``
    records each row's nodes.
    """
    mappings = mappings or default_mappings()
    path = Path(path)
    if kind is not None:
        mappings.kind(kind)  # an unknown kind is refused before the file is read
    sheets = read_tables(path, header_hint=mappings.header_score)
    origins = [report_origin(sheet.titles) for sheet in sheets]  # a corrected report is its list again
    label = source or next((origin[0] for origin in origins if origin), path.stem)
    report = IngestReport(file=str(path), source=label, dry_run=dry_run)
    try:
        with store.batch(label) as batch:
            if resolve:
                batch.resolver = EntityResolver()
            # A workbook often holds sheets that are no list (填表说明, 统计): with another sheet
            # loaded they are skipped and named; a sheet that fits several kinds stays an error.
            skipped: list[IngestError] = []
            for sheet, origin in zip(sheets, origins):
                stated = origin[1] if origin and origin[1] in mappings.kinds else None
                where = f"工作表「{sheet.name}」：" if len(sheets) > 1 else ""
                try:
                    mapping = mappings.kind(kind or stated or mappings.infer_kind(sheet.header, names=(sheet.name, path.stem)))
                except UnknownKind as exc:  # name the sheet when the workbook holds several lists
                    if len(sheets) > 1 and not exc.details.get("candidates") and _no_list(sheet, mappings):
                        skipped.append(UnknownKind(where + exc.message, sheet=sheet.name, **exc.details))
                        continue
                    raise UnknownKind(where + exc.message, sheet=sheet.name, **exc.details) from None
                try:
                    sheet_report = ingest_sheet(batch, sheet, mapping, mappings, progress=progress, trace=trace)
                except IngestError as exc:  # missing columns: raised before any row is read
                    if len(sheets) > 1 and "missing" in exc.details and _no_list(sheet, mappings):
                        skipped.append(exc)
                        continue
                    raise
                report.sheets.append(sheet_report)
            if skipped and not report.sheets:
                raise skipped[0]
            if skipped:
                report.sheets[0].notes[:0] = [_skipped_note(exc) for exc in skipped]
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _no_list(sheet: RawSheet, mappings: Mappings) -> bool:
    """A sheet that does not even try to be a list: its name names no kind and its header
    holds fewer than two known column names (填表说明, 统计: 乡镇/人数). A sheet that tries
    and fails (项目台账 with a misspelt 项目名称) stays an error, as a workbook of one sheet."""
    named = any(m.named_in(sheet.name) for m in mappings.kinds.values())
    return not named and mappings.header_score(sheet.header) < 2


def _skipped_note(exc: IngestError) -> str:
    sheet = exc.details.get("sheet", "")
    if "missing" in exc.details:
        why = f"缺少必填列：{'、'.join(exc.details['missing'])}"
    else:
        why = "表头不符合任何已知名录"
    return f"工作表「{sheet}」不是可导入的名录（{why}），未导入"


def total_rows(path: str | Path) -> int:
    """Rows a file holds (for a progress bar)."""
    return sum(len(s.rows) for s in read_tables(Path(path), header_hint=default_mappings().header_score))
