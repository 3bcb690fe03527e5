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


def test_ingest_writes_the_xlsx_report_beside_the_list(tmp_path, write_csv):
    path = str(tmp_path / "cli.db")
    result = runner.invoke(app, ["ingest", str(write_csv("乡贤名录.csv", CONTACTS)), "-k", "contacts", "--db", path,
                                 "--format", "json"])  # fmt: skip
    assert json.loads(result.stdout)["report_file"] == str(tmp_path / "乡贤名录_导入报告.xlsx")
    assert (tmp_path / "乡贤名录_导入报告.xlsx").is_file()


def test_ingest_report_path_and_no_report(tmp_path, write_csv):
    listing = str(write_csv("乡贤名录.csv", CONTACTS))
    target = tmp_path / "reports" / "本次.xlsx"
    runner.invoke(app, ["ingest", listing, "-k", "contacts", "--db", str(tmp_path / "a.db"), "--report", str(target)])
    assert target.is_file() and not (tmp_path / "乡贤名录_导入报告.xlsx").exists()
    result = runner.invoke(app, ["ingest", listing, "-k", "contacts", "--db", str(tmp_path / "b.db"), "--no-report", "-f", "json"])
    assert json.loads(result.stdout)["report_file"] is None and not (tmp_path / "乡贤名录_导入报告.xlsx").exists()


def test_dry_run_writes_the_report_and_nothing_to_the_store(tmp_path, write_csv):
    import openpyxl

    path = str(tmp_path / "cli.db")
    rows = [*CONTACTS, ["王五", "", "", "", ""]]
    result = runner.invoke(app, ["ingest", str(write_csv("乡贤名录.csv", rows)), "-k", "contacts", "--db", path, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "cli.db").exists()  # no database file left where none was (a mistyped --db)
    sheet = openpyxl.load_workbook(tmp_path / "乡贤名录_导入报告.xlsx").active
    assert sheet["A1"].value == "导入报告：乡贤名录.csv → 来源「乡贤名录」，类型「contacts」（试运行，未写入）"
    assert [c.value for c in sheet[6]][:6] == ["王五", None, None, None, None, "拒绝"]


def test_dry_run_into_an_existing_store_writes_nothing_and_points_at_no_review_items(db, tmp_path, write_csv):
    before = runner.invoke(app, ["stats", "--db", db, "--format", "json"]).stdout
    more = [["姓名", "工作单位", "职务", "籍贯乡镇"], ["张伟", "远方物流有限公司", "董事长", "青石镇"]]
    result = runner.invoke(app, ["ingest", str(write_csv("补充.csv", more)), "-k", "contacts", "--db", db, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "正式导入后将有待审核的疑似重复 1 项" in result.stdout and "leadgraph review list" not in result.stdout
    assert runner.invoke(app, ["stats", "--db", db, "--format", "json"]).stdout == before
    assert json.loads(runner.invoke(app, ["review", "list", "--db", db, "-f", "json"]).stdout) == []


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_a_report_path_naming_the_list_or_the_database_is_refused_and_overwrites_nothing(
    db, tmp_path, write_csv, dry_run
):
    listing = write_csv("乡贤名录.csv", CONTACTS)
    kept = listing.read_bytes(), (tmp_path / "cli.db").read_bytes()
    for target, what in ((listing, "名录文件本身"), (tmp_path / "." / "cli.db", "数据库文件")):
        result = runner.invoke(app, ["ingest", str(listing), "-k", "contacts", "--db", db, "--report", str(target),
                                     *dry_run])  # fmt: skip
        assert result.exit_code != 0 and f"导入报告不能写到{what}" in result.output, result.output
    assert (listing.read_bytes(), (tmp_path / "cli.db").read_bytes()) == kept


def test_review_list_accept_and_reject(tmp_path, write_csv):
    path = str(tmp_path / "cli.db")
    runner.invoke(app, ["ingest", str(write_csv("乡贤名录.csv", CONTACTS)), "-k", "contacts", "--db", path, "--no-report"])
    more = [["姓名", "工作单位", "职务", "籍贯乡镇"], ["张伟", "远方物流有限公司", "董事长", "青石镇"],
            ["李明", "某某贸易有限公司", "工程师", "东湖镇"]]  # fmt: skip
    runner.invoke(app, ["ingest", str(write_csv("补充.csv", more)), "-k", "contacts", "--db", path, "--no-report"])
    items = json.loads(runner.invoke(app, ["review", "list", "--db", path, "-f", "json"]).stdout)
    assert [(i["summary"], i["other"], i["status"]) for i in items] == [
        ("张伟，远方物流有限公司，青石镇", "张伟（宁波示例光电科技股份有限公司）", "pending"),
        ("李明，某某贸易有限公司，东湖镇", "李明（深圳示例材料有限公司）", "pending"),
    ]
    accepted = runner.invoke(app, ["review", "accept", items[0]["id"], "--db", path])
    assert accepted.exit_code == 0 and "已合并" in accepted.stdout
    rejected = runner.invoke(app, ["review", "reject", items[1]["id"], "--db", path, "-f", "json"])
    assert json.loads(rejected.stdout)["status"] == "rejected"
    assert json.loads(runner.invoke(app, ["review", "list", "--db", path, "-f", "json"]).stdout) == []
    every = json.loads(runner.invoke(app, ["review", "list", "--status", "all", "--db", path, "-f", "json"]).stdout)
    assert sorted(i["status"] for i in every) == ["accepted", "rejected"]
    again = runner.invoke(app, ["review", "accept", items[0]["id"], "--db", path])
    assert again.exit_code == 2 and "已处理" in again.stderr
    missing = runner.invoke(app, ["review", "reject", "rv-0000000000", "--db", path])
    assert missing.exit_code == 2 and "没有编号为 rv-0000000000 的审核项" in missing.stderr


@pytest.mark.parametrize(("configured", "used"), [(None, "inline"), ("background", "background"), ("auto", "auto")])
def test_commands_open_neo4j_without_background_projection_builds_unless_configured(
    db, monkeypatch, configured, used
):
    """A command exits after its answer: unless the user set NEO4J_PATH_PROJECTION it must not
    start a background projection build that it would then drop (the mode is ``inline``)."""
    import leadgraph.cli as cli
    from leadgraph.graph import EmbeddedStore

    opened = []

    def open_store(settings):
        opened.append(settings.neo4j_path_projection)
        return EmbeddedStore(settings.db)

    monkeypatch.delenv("NEO4J_PATH_PROJECTION", raising=False)
    monkeypatch.delenv("LEADGRAPH_NEO4J_PATH_PROJECTION", raising=False)
    if configured is not None:
        monkeypatch.setenv("NEO4J_PATH_PROJECTION", configured)
    monkeypatch.setattr(cli, "open_store", open_store)
    result = runner.invoke(app, ["paths", "--to", "宁波示例光电科技股份有限公司", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert opened == [used]


def test_demo_leaves_files_it_did_not_write_in_its_folder(tmp_path):
    out = tmp_path / "我的文件"
    (out / "sub").mkdir(parents=True)
    (out / "重要.txt").write_text("keep", encoding="utf-8")
    (out / "sub" / "other.xlsx").write_bytes(b"x")
    db = str(tmp_path / "demo.db")
    result = runner.invoke(app, ["demo", "--out", str(out), "--db", db, "--scale", "0.01"])
    assert result.exit_code == 0, result.output
    assert (out / "重要.txt").read_text(encoding="utf-8") == "keep" and (out / "sub" / "other.xlsx").read_bytes() == b"x"
    assert len(list(out.glob("*.xlsx"))) + len(list(out.glob("*.csv"))) >= 10  # the demo's lists beside them


def test_demo_refuses_an_out_path_that_is_a_file_before_deleting_anything(tmp_path):
    taken = tmp_path / "afile"
    taken.write_text("hi", encoding="utf-8")
    db = tmp_path / "demo.db"
    db.write_bytes(b"")
    result = runner.invoke(app, ["demo", "--out", str(taken), "--db", str(db), "--scale", "0.01"])
    assert result.exit_code == 2
    assert "不是文件夹" in result.output and "Traceback" not in result.output
    assert db.exists() and taken.read_text(encoding="utf-8") == "hi"


def test_demo_fresh_replaces_an_earlier_demo_but_never_deletes_other_data(db, tmp_path):
    demo_db = str(tmp_path / "demo.db")
    for _ in range(2):  # make demo twice: the second run replaces the first one's database
        result = runner.invoke(app, ["demo", "--out", str(tmp_path / "lists"), "--db", demo_db, "--scale", "0.01"])
        assert result.exit_code == 0, result.output
    kept = (tmp_path / "cli.db").read_bytes()
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "lists"), "--db", db, "--scale", "0.01"])
    assert result.exit_code == 2 and "里有示例县以外的数据" in result.output, result.output
    assert (tmp_path / "cli.db").read_bytes() == kept
    assert json.loads(runner.invoke(app, ["stats", "--db", db, "-f", "json"]).stdout)["nodes"]["Person"] == 3


def test_demo_fresh_never_deletes_a_graph_moved_in_with_import_graph(db, tmp_path):
    moved = tmp_path / "moved.jsonl"
    assert runner.invoke(app, ["export-graph", str(moved), "--db", db]).exit_code == 0
    target = str(tmp_path / "imported.db")
    assert runner.invoke(app, ["import-graph", str(moved), "--db", target]).exit_code == 0
    kept = (tmp_path / "imported.db").read_bytes()
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "lists"), "--db", target, "--scale", "0.01"])
    assert result.exit_code == 2 and "里有示例县以外的数据" in result.output, result.output
    assert (tmp_path / "imported.db").read_bytes() == kept


def test_demo_on_neo4j_leaves_the_embedded_database_file_alone(db, tmp_path, monkeypatch):
    kept = (tmp_path / "cli.db").read_bytes()
    monkeypatch.setenv("LEADGRAPH_BACKEND", "neo4j")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")  # nothing listens: the demo cannot load
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "lists"), "--db", db, "--scale", "0.01"])
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert (tmp_path / "cli.db").read_bytes() == kept


def test_a_report_that_cannot_be_written_is_one_clear_message_after_the_screen_report(tmp_path, write_csv):
    """E.g. last run's report still open in WPS on Windows: the list is loaded, the screen shows
    every rejected row, and the message says the file could not be written and what to do."""
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    rows = [*CONTACTS, ["王五", "", "", "", ""]]
    db = str(tmp_path / "r.db")
    result = runner.invoke(
        app, ["ingest", str(write_csv("名录.csv", rows)), "-k", "contacts", "--db", db, "--report", str(blocker / "r.xlsx")]
    )
    assert result.exit_code == 2
    assert "导入报告无法写入" in result.stderr and "数据已导入" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert "第 5 行" in result.stdout and "无法识别这个人员" in result.stdout  # the rejected row, on screen
    stats = json.loads(runner.invoke(app, ["stats", "--db", db, "-f", "json"]).stdout)
    assert stats["nodes"]["Person"] == 3


def test_import_graph_refuses_a_file_that_is_not_utf8_naming_the_line_and_writes_nothing(db, tmp_path):
    exported = tmp_path / "图谱.jsonl"
    assert runner.invoke(app, ["export-graph", str(exported), "--db", db]).exit_code == 0
    lines = exported.read_bytes().split(b"\n")
    lines[2] = lines[2].replace("张".encode(), "张".encode("gbk")) if "张".encode() in lines[2] else lines[2] + b"\xc9"
    broken = tmp_path / "坏.jsonl"
    broken.write_bytes(b"\n".join(lines))
    fresh = str(tmp_path / "fresh.db")
    result = runner.invoke(app, ["import-graph", str(broken), "--db", fresh])
    assert result.exit_code == 2, result.output
    assert "第 3 行不是 UTF-8 文本" in result.stderr and "Traceback" not in result.output + result.stderr
    assert not (tmp_path / "fresh.db").exists()  # refused before the store was opened


def test_export_graph_refuses_to_overwrite_the_database_it_reads(db):
    before = open(db, "rb").read(16)
    result = runner.invoke(app, ["export-graph", db, "--db", db])
    assert result.exit_code == 2
    assert "数据库文件本身" in result.stderr
    assert open(db, "rb").read(16) == before == b"SQLite format 3\x00"


def test_an_ambiguous_target_lists_the_candidates_on_screen_and_in_json(tmp_path, write_csv):
    rows = [*CONTACTS, ["张伟", "13800000009", "远方物流有限公司", "总经理", "东湖镇"]]
    db = str(tmp_path / "a.db")
    assert runner.invoke(app, ["ingest", str(write_csv("名录.csv", rows)), "-k", "contacts", "--db", db, "--no-report"]).exit_code == 0
    shown = runner.invoke(app, ["paths", "--to", "张伟", "--db", db])
    assert shown.exit_code == 2
    assert "宁波示例光电科技股份有限公司" in shown.stderr and "远方物流有限公司" in shown.stderr
    as_json = runner.invoke(app, ["paths", "--to", "张伟", "--db", db, "-f", "json"])
    assert as_json.exit_code == 2
    body = json.loads(as_json.stdout)
    assert body["error"] == "ambiguous" and len(body["candidates"]) == 2
    assert "13800000009" not in as_json.stdout + as_json.stderr + shown.stderr


@pytest.mark.parametrize("command", [["stats"], ["search", "zw"], ["paths", "--to", "x"], ["review", "list"], ["export-graph", "out.jsonl"]])
def test_reading_commands_refuse_a_database_file_that_does_not_exist_and_create_none(tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    typo = tmp_path / "typo.db"
    result = runner.invoke(app, [*command, "--db", str(typo)])
    assert result.exit_code == 2, result.output
    assert "数据库文件不存在" in result.stderr
    assert not typo.exists() and not (tmp_path / "out.jsonl").exists()


def test_a_file_that_is_not_a_database_is_one_clear_message(tmp_path):
    other = tmp_path / "名录.xlsx"
    other.write_bytes(b"not a database at all, just some bytes" * 10)
    result = runner.invoke(app, ["stats", "--db", str(other)])
    assert result.exit_code == 2
    assert "不是 leadgraph 的数据库文件" in result.stderr and "Traceback" not in result.output + result.stderr
    assert other.read_bytes().startswith(b"not a database")


def test_a_pending_item_other_decisions_settled_says_so(tmp_path, write_csv):
    """乙–甲 rejected and 丙–甲 accepted settle 丙–乙: 丙 is 甲 now, and 甲 is not 乙."""
    db = str(tmp_path / "rv.db")
    head = ["姓名", "性别", "出生年份", "工作单位"]
    for name, rows in (("c1.csv", [head, ["王五", "男", "1980", "甲公司有限公司"], ["王五", "男", "1980", "乙公司有限公司"]]),
                       ("c2.csv", [head, ["王五", "男", "1980", "丙公司有限公司"]])):  # fmt: skip
        assert runner.invoke(app, ["ingest", str(write_csv(name, rows)), "-k", "contacts", "--db", db, "--no-report"]).exit_code == 0
    items = json.loads(runner.invoke(app, ["review", "list", "--db", db, "-f", "json"]).stdout)

    def item(a, b):
        return next(i for i in items if {a, b} <= set(i["summary"] + i["other"]))

    assert len(items) == 3 and all(i["settled"] is None for i in items)
    assert runner.invoke(app, ["review", "reject", item("乙", "甲")["id"], "--db", db]).exit_code == 0
    assert runner.invoke(app, ["review", "accept", item("丙", "甲")["id"], "--db", db]).exit_code == 0
    left = json.loads(runner.invoke(app, ["review", "list", "--db", db, "-f", "json"]).stdout)
    assert [(i["id"], i["settled"]) for i in left] == [(item("丙", "乙")["id"], "different")]
    shown = runner.invoke(app, ["review", "list", "--db", db])
    assert "待审核（已确认不同，只能拒绝）" in shown.stdout and "疑似相同：" in shown.stdout


def test_an_unwritable_report_with_json_output_is_one_document_holding_the_error(tmp_path, write_csv):
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(write_csv("名录.csv", CONTACTS)), "-k", "contacts", "--db", str(tmp_path / "j.db"),
                                 "--report", str(blocker / "r.xlsx"), "-f", "json"])  # fmt: skip
    assert result.exit_code == 2
    body = json.loads(result.stdout)
    assert body["rows_loaded"] == 3 and "导入报告无法写入" in body["report_error"]["message"]


def test_an_ambiguous_list_kind_lists_the_kinds_without_a_traceback(tmp_path, write_csv):
    rows = [["姓名", "手机", "工作单位", "籍贯乡镇", "备注"], ["张伟", "13800001111", "甲公司", "城关镇", ""]]
    result = runner.invoke(app, ["ingest", str(write_csv("a.csv", rows)), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2, result.output
    assert "· contacts" in result.stderr and "· ambassadors" in result.stderr


def test_the_neo4j_drivers_retry_warnings_do_not_reach_the_terminal():
    """In a process of its own: pytest's log capture would hide the warning either way."""
    import subprocess
    import sys

    code = (
        "import logging, leadgraph.cli; "
        "logging.getLogger('neo4j.session').warning('Transaction failed and will be retried in 1.2s'); "
        "logging.getLogger('elsewhere').warning('other warnings still show')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "other warnings still show\n", done.stderr
