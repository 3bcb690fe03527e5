"""``leadgraph paths`` through typer's runner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from leadgraph.cli import app

runner = CliRunner()


def test_paths_json_lists_explained_paths(golden_db):
    result = runner.invoke(app, ["paths", "--to", "光华膜材", "--db", golden_db, "--as-of", "2024-12-31", "-f", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["paths"][0]["explanation"].startswith("张伟（总经理）与李明为同学")
    assert body["truncated"] is False


def test_paths_table_names_the_decision_makers(golden_db):
    result = runner.invoke(app, ["paths", "--to", "301002", "--db", golden_db, "-k", "2"])
    assert result.exit_code == 0, result.output
    assert "冯刚（董事长）" in result.stdout
    assert "引荐路径 2 条" in result.stdout


def test_paths_filters_and_from_are_accepted(golden_db):
    result = runner.invoke(app, [
        "paths", "--to", "光华膜材", "--from", "王建国,刘芳", "--never-kinds", "ATTENDED",
        "--exclude", "周强", "--max-hops", "3", "--db", golden_db, "-f", "json",
    ])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert {p["start"]["name"] for p in body["paths"]} <= {"王建国", "刘芳"}
    assert all(h["relation"] != "ATTENDED" for p in body["paths"] for h in p["hops"])


def test_unknown_target_fails_with_one_line_and_status_2(golden_db):
    result = runner.invoke(app, ["paths", "--to", "不存在的公司", "--db", golden_db])
    assert result.exit_code == 2
    assert "没有找到目标企业或人员" in result.output


def test_bad_as_of_date_is_refused(golden_db):
    result = runner.invoke(app, ["paths", "--to", "301002", "--as-of", "去年", "--db", golden_db])
    assert result.exit_code == 2


def test_no_path_advice_names_the_cause(golden_db):
    from typer.testing import CliRunner

    from leadgraph.cli import app

    timed_out = CliRunner().invoke(app, ["paths", "--to", "光华膜材", "--db", golden_db, "--time-limit", "0.000001"])
    assert timed_out.exit_code == 0
    assert "已超时截断" in timed_out.stdout and "可加大 --time-limit" in timed_out.stdout
