"""The `leadgraph` command, driven in-process through Typer's runner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from leadgraph.cli import app

runner = CliRunner()

CONTACTS = [
    ["姓名", "手机", "工作单位", "职务", "籍贯乡镇"],
    ["张伟", "13800000001", "宁波示例光电科技股份有限公司", "董事长", "青石镇"],
    ["张薇", "13800000002", "上海示例薄膜有限公司", "总经理", "青石镇"],
    ["李明", "13800000003", "深圳示例材料有限公司", "工程师", "东湖镇"],
]


@pytest.fixture
def db(tmp_path, write_csv):
    path = str(tmp_path / "cli.db")
    result = runner.invoke(app, ["ingest", str(write_csv("乡贤名录.csv", CONTACTS)), "--kind", "contacts", "--db", path])
    assert result.exit_code == 0, result.output
    return path


def test_ingest_prints_a_table_report(tmp_path, write_csv):
    path = str(tmp_path / "cli.db")
    result = runner.invoke(
        app, ["ingest", str(write_csv("乡贤名录.csv", CONTACTS)), "-k", "contacts", "--db", path], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0
    assert "乡贤名录" in result.output and "contacts" in result.output


def test_ingest_json_report_counts_rows_and_changes(tmp_path, write_csv):
    path = str(tmp_path / "cli.db")
    args = ["ingest", str(write_csv("乡贤名录.csv", CONTACTS)), "-k", "contacts", "--db", path, "--format", "json"]
    first = json.loads(runner.invoke(app, args).stdout)
    second = json.loads(runner.invoke(app, args).stdout)
    assert (first["rows_read"], first["rows_loaded"], first["rows_rejected"]) == (3, 3, 0)
    assert first["nodes"]["created"] == 3 + 3 + 2  # people, firms, townships
    # unchanged counts upserts: 青石镇 is named by two rows
    assert second["nodes"] == {"created": 0, "updated": 0, "unchanged": 9}


def test_search_json_finds_names_by_pinyin_initials(db):
    result = runner.invoke(app, ["search", "zw", "--db", db, "--format", "json"])
    hits = json.loads(result.stdout)
    assert [h["name"] for h in hits] == ["张伟", "张薇"]
    assert {"id", "name", "kind"} <= set(hits[0])


def test_search_finds_company_by_short_name(db):
    result = runner.invoke(app, ["search", "示例光电", "--db", db, "--format", "json"])
    assert json.loads(result.stdout)[0]["name"] == "宁波示例光电科技股份有限公司"


def test_db_location_comes_from_environment(db):
    result = runner.invoke(app, ["stats", "--format", "json"], env={"LEADGRAPH_DB": db})
    assert json.loads(result.stdout)["nodes"]["Person"] == 3


def test_unknown_kind_is_one_clear_message(tmp_path, write_csv):
    result = runner.invoke(
        app, ["ingest", str(write_csv("x.csv", CONTACTS)), "--kind", "peoples", "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 2
    assert "未知的名录类型「peoples」" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_search_with_unknown_node_kind_fails_cleanly(db):
    result = runner.invoke(app, ["search", "zw", "--kind", "Persn", "--db", db])
    assert result.exit_code == 2
    assert "未知的节点类型：Persn" in result.stderr
