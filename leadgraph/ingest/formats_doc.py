"""Render ``docs/formats.md`` from the declared mappings, so the docs cannot drift.

Run ``python -m leadgraph.ingest.formats_doc > docs/formats.md`` after changing
``mappings.yaml``; ``tests/test_docs.py`` fails when the file is stale.
"""

from __future__ import annotations

from leadgraph.ingest.mapping import Mappings, default_mappings
from leadgraph.schema import Schema, default_schema

__all__ = ["render_formats"]

_PARSE_HELP = {
    "text": "文本",
    "prose": "说明文字（按原样保存，中文标点不改）",
    "person_name": "姓名（去除空格、全角字符）",
    "org_name": "单位全称（括号统一为全角）",
    "gender": "男 / 女（也认 男性、女性、M、F；其他写法不保存并提示）",
    "township": "乡镇名（去掉前面的省、市、县：示例县城关镇 记作 城关镇；城关 与 城关镇 视为同一地方）",
    "phone": "手机号（11 位，支持 +86、空格、横线、全角数字）",
    "date": "日期（2024-01-01、2024.1.1、Excel 日期；只写到月的 2024年1月 记作 2024-01，只写年份的记作 2024）",
    "amount_yi": "金额，单位亿元（可写 5000万元、3亿）",
    "bool": "是/否",
    "int": "整数",
    "float": "数字",
    "pct": "百分比数字（如 12.5）",
    "context": "关系：{contexts}",
    "org_kind": "类别：{org_kinds}",
    "credit_code": "18 位统一社会信用代码（校验位检查）",
    "stock_code": "股票代码（如 300806 或 300806.SZ）",
}

_INTRO = """# 名录格式 (list formats)

> 本文件由 `python -m leadgraph.ingest.formats_doc > docs/formats.md` 从
> `leadgraph/ingest/mappings.yaml` 生成，请勿手工修改。
> Generated from the declared mappings; `tests/test_docs.py` fails when it is stale.

每种名录用 `leadgraph ingest 文件 --kind 类型` 导入；省略 `--kind` 时按表头判断类型
（表头同时符合几种类型时，看工作表名、再看文件名里有没有下表“表名含”列的词）。
文件可以是 `.xlsx`、`.xls`、`.csv`（UTF-8 或 GBK/GB18030）或 `.tsv`。表头写在第一行
（表头上方的标题行会被跳过）；列的顺序不限；带 * 的列必填。两列对应同一字段时（如“电话”和“手机”、
“籍贯”和“乡镇”），按下表中先列出的名称导入，另一列不导入，并在导入报告中说明。同一份文件重复导入只会更新，
不会重复建点。每份文件是一个批次：要么整批写入，要么（出错或 `--dry-run`）整批不写。
身份证号、家庭住址、银行账号等列不会保存：导入时删除并在报告中列出。
Excel 单元格按 Excel 显示的样子读取：数字不带多余的 `.0`，日期读作 `2024-01-01`（带时间时
`2024-01-01 08:30:00`），只显示星期的日期（格式 `aaaa`）也读作日期，时长按它的格式读
（`[h]:mm` 格式的 26 小时 5 分读作 `26:05`），百分比格式显示的 12.50% 读作 `12.50%`（持股比例即 12.5），
`0.00` 格式显示的 2024.10 读作 `2024.10`（10 月），带文字的格式（如 `0.00"万元"`、`￥#,##0.00`）连同文字读取，
公式读取 Excel 保存的结果；`.xls`（Excel 97-2003 格式）与 `.xlsx` 读法相同。

Each list kind below: its canonical Chinese headers (synonyms accepted), how each cell is
read, and which nodes and edges every row produces.
"""


def _steps(mapping, schema: Schema) -> list[str]:
    lines = []
    for step in mapping.produce:
        if step.op == "edge":
            edge = schema.edge(step.kind[0])
            lines.append(f"- 关系 `{edge.name}`（{edge.label}）：{step.from_} → {step.to}")
        else:
            kinds = "/".join(f"`{k}`（{schema.node(k).label}）" for k in step.kind)
            verb = "节点" if step.op == "node" else ("引用或新建" if step.create else "引用已有")
            lines.append(f"- {verb} {kinds} 记为 `{step.name}`")
        if step.when:
            lines[-1] += f"；当 {'、'.join(mapping.columns[f].header for f in step.when)} 非空"
        if step.unless:
            lines[-1] += f"；当 {'、'.join(mapping.columns[f].header for f in step.unless)} 为空"
    return lines


def render_formats(mappings: Mappings | None = None, schema: Schema | None = None) -> str:
    mappings = mappings or default_mappings()
    schema = schema or default_schema()
    help_text = {
        k: v.format(contexts="、".join(schema.tie_contexts), org_kinds="、".join(schema.node("Organization").kinds.values()))
        for k, v in _PARSE_HELP.items()
    }
    parts = [_INTRO]
    parts.append("## 类型一览 (kinds)\n\n| --kind | 名录 | 表名含 (sheet or file name contains) |\n|---|---|---|")
    parts.extend(f"| `{name}` | {m.label} | {'、'.join(m.names) or '—'} |" for name, m in mappings.kinds.items())
    for name, mapping in mappings.kinds.items():
        parts.append(f"\n## `{name}` — {mapping.label}\n")
        parts.append("| 列 | 同义列名 | 格式 |\n|---|---|---|")
        for column in mapping.columns.values():
            star = " *" if column.required else ""
            synonyms = "、".join(column.synonyms) or "—"
            parts.append(f"| {column.header}{star} | {synonyms} | {help_text[column.parse]} |")
        parts.append("\n每行产生 (each row produces):\n")
        parts.extend(_steps(mapping, schema))
    parts.append(
        "\n## 不保存的列 (never kept)\n\n" + "、".join(mappings.forbidden) + "\n"
    )
    parts.append(
        "## 导入报告添加的列 (added by the ingest report)\n\n"
        + "、".join(mappings.ignored)
        + "：导入报告（`<文件名>_导入报告.xlsx`）在问题行后添加这些列；改好后的报告可直接再导入，这些列会被忽略。\n"
    )
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_formats())
