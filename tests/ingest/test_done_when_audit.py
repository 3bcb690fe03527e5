"""The issue's "Done when" corpus, end to end: each bad file goes through ``ingest_file`` (or
the command) and the test asserts the exact nodes, reasons and notes it leaves behind. The
reader-level tests in ``test_readers.py`` assert the rows; these assert the outcome."""

from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from leadgraph.cli import app
from leadgraph.errors import FileRefused, UnknownKind
from leadgraph.graph import EmbeddedStore, GraphStore
from leadgraph.ingest.loader import ingest_file
from leadgraph.ingest.readers import read_tables
from leadgraph.ingest.report_xlsx import default_report_path, write_report
from tests.ingest.badfiles import write_text, write_xlsx

runner = CliRunner()

TITLE = "XX镇在外乡贤名录（2024年）"
ID_NUMBER = "330201197501010011"


def _people(store: GraphStore) -> list[tuple[str, str | None, str | None]]:
    return sorted((n.name, n.props.get("mobile"), n.props.get("township")) for n in store.iter_nodes("Person"))


def _issues(issues) -> list[tuple[int, str]]:
    return [(i.line, i.reason) for i in issues]


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


# --------------------------------------------------------------------- encodings


def test_gbk_csv_with_a_rare_character_loads_the_name_intact(store, tmp_path):
    p = write_text(tmp_path / "乡贤名录.csv", "姓名,手机,乡镇\n刘䶮,13812345678,城关镇\n", "gb18030")
    report = ingest_file(store, p)
    assert report.sheets[0].kind == "contacts"
    assert report.sheets[0].notes == ["文本编码：GB18030（兼容 GBK/GB2312）；分隔符：逗号"]
    assert _people(store) == [("刘䶮", "13812345678", "城关镇")]


def test_utf8_bom_csv_has_its_first_column_recognised(store, tmp_path):
    p = write_text(tmp_path / "乡贤名录.csv", "姓名,手机,工作单位\n张伟,13812345678,甲公司\n", "utf-8-sig")
    report = ingest_file(store, p)
    (sheet,) = report.sheets
    assert (sheet.kind, sheet.header, sheet.unknown_columns) == ("contacts", ["姓名", "手机", "工作单位"], [])
    assert sheet.notes == ["文本编码：UTF-8（带 BOM）；分隔符：逗号"]
    assert _people(store) == [("张伟", "13812345678", None)]


def test_tiny_gbk_file_loads_as_gbk_not_as_a_guessed_encoding(store, tmp_path):
    p = tmp_path / "乡贤名录.csv"
    p.write_bytes("姓名,电话\n张伟,13812345678\n".encode("gbk"))
    report = ingest_file(store, p, kind="contacts")
    assert report.sheets[0].notes == ["文本编码：GB18030（兼容 GBK/GB2312）；分隔符：逗号"]
    assert _people(store) == [("张伟", "13812345678", None)]


# ------------------------------------------------------------- a township's workbook


def test_county_workbook_with_title_rows_merged_township_totals_remarks_and_a_hidden_sheet(store, tmp_path):
    """Header on row 3 under a merged title and a 填报单位 line; 乡镇 merged over rows 4–6;
    a 合计 and a 备注 row; a hidden 草稿 sheet. Lines in the report are the file's own."""
    p = write_xlsx(
        tmp_path / "乡贤名录.xlsx",
        {
            "城关镇": [
                [TITLE],
                ["填报单位：XX镇人民政府", None, None, "填报日期：2024年3月"],
                ["姓名", "手机", "工作单位", "乡镇"],
                ["张伟", "13800000001", "甲公司", "城关镇"],
                ["李四", "13800000002", "乙公司", None],
                ["王五", "1.38123E+10", None, None],
                ["赵六", "13800000004", "丁公司", "新塘乡"],
                ["合计", "4 人", None, None],
                ["备注：手机请填本人号码", None, None, None],
            ],
            "草稿": [["姓名", "手机"], ["孙七", "13800000007"]],
        },
        merges={"城关镇": ["A1:D1", "D4:D6"]},
        hidden=["草稿"],
    )
    report = ingest_file(store, p, kind="contacts")
    (sheet,) = report.sheets
    assert sheet.notes == [
        "跳过隐藏工作表「草稿」",
        "表头在第 3 行，其上 2 行标题/说明已跳过",
        "合并单元格已向下填充：“乡镇”第 4–6 行",
        "跳过合计/小计行：第 8 行",
        "跳过备注/说明行：第 9 行",
    ]
    assert (sheet.rows_read, sheet.rows_loaded, sheet.rejected) == (4, 4, [])
    assert _issues(sheet.flagged) == [(6, "手机：手机号被 Excel 存成科学计数法，位数已丢失")]
    assert _people(store) == [
        ("张伟", "13800000001", "城关镇"), ("李四", "13800000002", "城关镇"),
        ("王五", None, "城关镇"), ("赵六", "13800000004", "新塘乡"),
    ]  # fmt: skip  # 孙七, on the hidden sheet, is not loaded


def test_csv_renamed_xlsx_loads_with_a_note(store, tmp_path):
    p = write_text(tmp_path / "乡贤名录.xlsx", "姓名,手机,工作单位\n张伟,13812345678,甲公司\n", "utf-8")
    report = ingest_file(store, p, kind="contacts")
    assert report.sheets[0].notes == [
        "文件扩展名是 .xlsx，但内容是 CSV/文本，已按文本表格读取",
        "文本编码：UTF-8；分隔符：逗号",
    ]
    assert _people(store) == [("张伟", "13812345678", None)]


def test_zero_byte_file_is_refused_by_the_command_in_one_line(tmp_path):
    (tmp_path / "名录.xlsx").write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(tmp_path / "名录.xlsx"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert result.stderr == "错误: 文件为空（0 字节）(empty file)\n"


# ------------------------------------------------------------------------- phones


def test_every_phone_form_in_a_list_loads_its_mobile_or_says_why(store, tmp_path):
    rows = [
        ["姓名", "手机", "工作单位"],
        ["甲", 13800000001.0, "甲公司"],                       # a number cell
        ["乙", "13800000002.0", "乙公司"],                     # text with Excel's trailing .0
        ["丙", "1.38123E+10", "丙公司"],                       # digits lost: refused, row kept by its firm
        ["丁", "１３８ ００００ ０００４", "丁公司"],           # full-width with spaces
        ["戊", "+86 138-0000-0005", "戊公司"],                 # country code and dashes
        ["己", "13800000006 / 13900000006", "己公司"],          # two numbers in one cell
    ]  # fmt: skip
    report = ingest_file(store, write_xlsx(tmp_path / "乡贤名录.xlsx", {"名录": rows}), kind="contacts")
    assert report.rejected == [] and report.total("rows_loaded") == 6
    assert _issues(report.flagged) == [
        (4, "手机：手机号被 Excel 存成科学计数法，位数已丢失"),
        (7, "手机：单元格含多个手机号，已取第一个（13900000006 未保存）"),
    ]
    assert [(name, mobile) for name, mobile, _ in _people(store)] == [
        ("丁", "13800000004"), ("丙", None), ("乙", "13800000002"),
        ("己", "13800000006"), ("戊", "13800000005"), ("甲", "13800000001"),
    ]  # fmt: skip


# -------------------------------------------------------------------------- dates


def test_date_serials_and_text_dates_in_one_column_load_as_iso_dates(store, tmp_path):
    rows = [
        ["活动名称", "类型", "日期", "地点"],
        ["会一", "论坛", dt.date(2024, 1, 1), "示例县"],   # a date cell
        ["会二", "论坛", 45300, "示例县"],                  # a bare serial (General format)
        ["会三", "论坛", "2024.1.1", "示例县"],
        ["会四", "论坛", "2024年1月", "示例县"],            # month precision: stored as the month
        ["会五", "论坛", dt.date(2024, 2, 3), "示例县"],   # yyyy"年"m"月"d"日" format
        ["会六", "论坛", "2023年度", "示例县"],             # year precision: stored as the year
    ]  # fmt: skip
    p = write_xlsx(tmp_path / "活动清单.xlsx", {"活动": rows}, formats={"活动": {"C6": 'yyyy"年"m"月"d"日"'}})
    report = ingest_file(store, p, kind="events")
    assert report.rejected == [] and report.flagged == []
    assert sorted((n.name, n.props["date"]) for n in store.iter_nodes("Event")) == [
        ("会一", "2024-01-01"), ("会三", "2024-01-01"), ("会二", "2024-01-09"), ("会五", "2024-02-03"),
        ("会六", "2023"), ("会四", "2024-01"),
    ]  # fmt: skip


# ----------------------------------------------------------------- columns not kept


def test_id_number_column_never_reaches_the_store_or_either_report(tmp_path):
    rows = [
        ["姓名", "身份证号", "手机", "工作单位"],
        ["张伟", ID_NUMBER, "13800000001", "甲公司"],
        ["王五", ID_NUMBER, "", ""],  # rejected: its row is listed in the report
    ]
    (tmp_path / "db").mkdir()
    with EmbeddedStore(tmp_path / "db" / "a.db") as store:
        report = ingest_file(store, _write_csv(tmp_path / "乡贤名录.csv", rows), kind="contacts")
    (sheet,) = report.sheets
    assert (sheet.dropped_columns, sheet.header) == (["身份证号"], ["姓名", "手机", "工作单位"])
    assert [i.values for i in sheet.rejected] == [{"姓名": "王五", "手机": "", "工作单位": ""}]
    assert ID_NUMBER not in json.dumps(report.to_dict(), ensure_ascii=False)
    assert all(ID_NUMBER.encode() not in f.read_bytes() for f in (tmp_path / "db").iterdir())
    book = openpyxl.load_workbook(write_report(report, tmp_path / "报告.xlsx"))
    cells = [str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert "说明：文本编码：UTF-8；分隔符：逗号；已删除不应保存的列：身份证号" in cells
    assert not any(ID_NUMBER in c or "身份证号" == c for c in cells)


@pytest.mark.parametrize("header", ["公民身份号码", "银行账户"])
def test_other_common_labels_of_columns_not_kept_are_dropped_too(store, tmp_path, header):
    rows = [["姓名", header, "手机"], ["张伟", ID_NUMBER, "13800000001"]]
    report = ingest_file(store, _write_csv(tmp_path / "乡贤名录.csv", rows), kind="contacts")
    assert report.sheets[0].dropped_columns == [header]


# ------------------------------------------------------------------- relationships


def test_tie_naming_a_person_in_no_list_is_rejected_with_the_exact_reason_and_writes_nothing(store, tmp_path):
    ingest_file(store, _write_csv(tmp_path / "乡贤名录.csv", [["姓名", "手机", "工作单位"], ["李明", "13800000002", "乙公司"]]),
                kind="contacts")  # fmt: skip
    before = store.counts()
    rows = [["姓名A", "单位A", "姓名B", "单位B", "关系"], ["李明", "乙公司", "查无此人", "某公司", "同学"]]
    report = ingest_file(store, _write_csv(tmp_path / "人脉.csv", rows), kind="ties")
    assert _issues(report.rejected) == [(2, "人员「查无此人、某公司」不在任何已导入名录中，请先导入")]
    assert report.total("rows_loaded") == 0 and store.counts() == before


# ------------------------------------------------------------------ kind inference


def test_headers_fitting_no_kind_are_one_error_with_no_candidates_and_the_headers_seen(store, tmp_path):
    with pytest.raises(UnknownKind) as e:
        ingest_file(store, _write_csv(tmp_path / "名单.csv", [["甲列", "乙列"], ["1", "2"]]))
    assert e.value.message == "无法判断名录类型：表头不符合任何已知名录 (cannot infer the list kind); 表头 (headers seen): 甲列, 乙列"
    assert e.value.details == {"sheet": "名单.csv", "headers": ["甲列", "乙列"], "candidates": []}


TEMPLATE_SHEETS = {
    "填表说明": [["填表说明"], ["1. 每人一行，手机请填 11 位"], ["2. 工作单位请填全称"]],
    "统计": [["乡镇", "人数"], ["城关镇", "12"], ["新塘乡", "3"]],
}
"""Sheets a government template carries beside its list: instructions and a tally."""


@pytest.mark.parametrize("kind", [None, "contacts"])
def test_sheets_that_are_no_list_are_skipped_and_named_when_another_sheet_loads(store, tmp_path, kind):
    path = write_xlsx(
        tmp_path / "乡贤名录.xlsx",
        {"填表说明": TEMPLATE_SHEETS["填表说明"], "在外乡贤": [["姓名", "手机", "工作单位"], ["甲", "13800000001", "某公司"]],
         "统计": TEMPLATE_SHEETS["统计"]},
    )  # fmt: skip
    report = ingest_file(store, path, kind=kind)
    assert [(s.sheet, s.kind, s.rows_loaded) for s in report.sheets] == [("在外乡贤", "contacts", 1)]
    why = "缺少必填列：姓名" if kind else "表头不符合任何已知名录"
    assert report.sheets[0].notes[:2] == [
        f"工作表「填表说明」不是可导入的名录（{why}），未导入",
        f"工作表「统计」不是可导入的名录（{why}），未导入",
    ]
    assert [n.name for n in store.iter_nodes("Person")] == ["甲"]


@pytest.mark.parametrize(
    ("name", "header"),
    [("项目台账", ["项目名称的说明", "投资额（亿元）", "阶段", "投资主体"]),  # named as a list, a header misspelt
     ("第二批", ["名字的拼音", "手机", "工作单位"])],  # two known columns: a list that fails
)  # fmt: skip
def test_a_sheet_that_tries_to_be_a_list_and_fails_is_an_error_not_skipped(store, tmp_path, name, header):
    path = write_xlsx(
        tmp_path / "名录.xlsx",
        {"在外乡贤": [["姓名", "手机", "工作单位"], ["甲", "13800000001", "某公司"]], name: [header, ["x", "y", "z", "w"]],
         "填表说明": TEMPLATE_SHEETS["填表说明"]},
    )  # fmt: skip
    with pytest.raises(UnknownKind) as e:
        ingest_file(store, path)
    assert e.value.details["sheet"] == name
    assert store.counts() == {"nodes": {}, "edges": {}}


def test_a_workbook_with_no_list_in_any_sheet_is_still_one_error_naming_the_first_sheet(store, tmp_path):
    with pytest.raises(UnknownKind) as e:
        ingest_file(store, write_xlsx(tmp_path / "模板.xlsx", TEMPLATE_SHEETS))
    assert e.value.message.startswith("工作表「填表说明」：无法判断名录类型：表头不符合任何已知名录")
    assert store.counts() == {"nodes": {}, "edges": {}}


def test_ambiguous_sheet_is_one_error_naming_the_candidates_and_headers_and_loads_no_other_sheet(store, tmp_path):
    p = write_xlsx(
        tmp_path / "名单.xlsx",
        {"县领导": [["姓名", "职务", "分管领域"], ["王建国", "县长", "全面工作"]],
         "名单": [["姓名", "手机", "工作单位"], ["甲", "13800000001", "某公司"]]},
    )  # fmt: skip
    with pytest.raises(UnknownKind) as e:
        ingest_file(store, p)
    assert e.value.message == (
        "工作表「名单」：名录类型不明确，可能是 (ambiguous list kind, candidates): contacts, ambassadors; "
        "请用 --kind 指定; 表头 (headers seen): 姓名, 手机, 工作单位"
    )
    assert e.value.details == {
        "sheet": "名单", "headers": ["姓名", "手机", "工作单位"], "candidates": ["contacts", "ambassadors"],
    }
    assert store.counts() == {"nodes": {}, "edges": {}}  # the leaders sheet before it is not kept either


# ------------------------------------------------------------------------- caps


def test_a_file_over_the_default_size_cap_is_refused_naming_the_cap(store, tmp_path):
    p = tmp_path / "名录.csv"
    with p.open("wb") as f:
        f.truncate(50 * 2**20 + 1)  # sparse: refused on its size, never read
    with pytest.raises(FileRefused) as e:
        ingest_file(store, p, kind="contacts")
    assert e.value.message == "文件太大：50.0 MB，超过 50 MB 的上限 (file is larger than the max_bytes cap of 52428800 bytes)"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_file_of_exactly_max_rows_is_read_and_one_more_is_refused(tmp_path, suffix):
    def listing(lines: int) -> Path:
        rows = [["姓名", "手机"]] + [["张伟", "1"]] * (lines - 1)
        if suffix == "xlsx":
            return write_xlsx(tmp_path / f"{lines}.xlsx", {"名录": rows})
        return _write_csv(tmp_path / f"{lines}.csv", rows)

    assert len(read_tables(listing(5), max_rows=5)[0].rows) == 4
    with pytest.raises(FileRefused) as e:
        read_tables(listing(6), max_rows=5)
    assert e.value.details["max_rows"] == 5 and "5 行的上限" in e.value.message


# ------------------------------------------------------------- formulas and XML


def test_a_formula_reads_as_its_cached_value_never_as_its_evaluation(tmp_path):
    import xlsxwriter

    p = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(p))
    ws = book.add_worksheet("名录")
    ws.write_row(0, 0, ["姓名", "人数"])
    ws.write_string(1, 0, "张伟")
    ws.write_formula(1, 1, "=1+2", None, 7)  # Excel would compute 3; the file says 7
    book.close()
    assert read_tables(p)[0].rows[0].values == {"姓名": "张伟", "人数": "7"}


def test_an_external_entity_in_shared_strings_is_refused_and_reads_no_local_file(tmp_path):
    import xlsxwriter

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    plain = tmp_path / "plain.xlsx"
    book = xlsxwriter.Workbook(str(plain))
    book.add_worksheet("名录").write_row(0, 0, ["姓名", "手机", "x"])
    book.close()
    doctype = f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
    evil = tmp_path / "xxe.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(evil, "w") as zout:
        for name in zin.namelist():
            body = zin.read(name)
            if name == "xl/sharedStrings.xml":
                body = body.replace(b"?>", b"?>" + doctype, 1).replace(b"<t>x</t>", b"<t>&xxe;</t>")
            zout.writestr(name, body)
    with pytest.raises(FileRefused) as e:
        read_tables(evil)
    assert e.value.message.startswith("无法读取 Excel 文件：文件已损坏或不是 Excel 格式")
    assert "TOPSECRET" not in e.value.message


# ------------------------------------------------------------- the clerk's loop


def test_corrected_report_of_a_two_sheet_workbook_loads_both_sheets_with_no_duplicates(store, tmp_path):
    p = write_xlsx(
        tmp_path / "名录.xlsx",
        {"乡贤": [["姓名", "手机", "工作单位", "籍贯乡镇"], ["张伟", "13800000001", "甲公司", "青石镇"], ["王五", "", "", ""]],
         "商会会员": [["商协会", "姓名", "工作单位", "会内职务"], ["示例商会", "张伟", "甲公司", "会长"],
                      ["", "李四", "乙公司", "会员"]]},
    )  # fmt: skip
    first = ingest_file(store, p)
    assert [(s.kind, _issues(s.rejected)) for s in first.sheets] == [
        ("contacts", [(3, "无法识别这个人员：请至少再填写手机、工作单位、籍贯乡镇之一 "
                          "(Person needs one of its natural keys: name+mobile / name+org_name / name+township)")]),
        ("members", [(3, "必填列「商协会」为空")]),
    ]  # fmt: skip
    path = write_report(first, default_report_path(p))
    book = openpyxl.load_workbook(path)
    assert [ws.title for ws in book] == ["乡贤", "商会会员"]
    book["乡贤"]["C5"] = "丙公司"  # the clerk adds 王五's firm
    book["商会会员"]["A5"] = "示例商会"  # and 李四's association
    book.save(path)
    fixed = ingest_file(store, path)
    assert [(s.kind, s.rows_read, s.rows_loaded, s.rejected) for s in fixed.sheets] == [
        ("contacts", 1, 1, []), ("members", 1, 1, []),
    ]  # fmt: skip
    people = sorted((n.name, n.props.get("org_name")) for n in store.iter_nodes("Person"))
    assert people == [("张伟", "甲公司"), ("李四", "乙公司"), ("王五", "丙公司")]
    assert store.counts()["edges"]["MEMBER_OF"] == 2
    before = store.counts()
    again = ingest_file(store, path).to_dict()
    assert again["nodes"]["created"] == 0 and again["edges"]["created"] == 0 and store.counts() == before


# ------------------------------------------------------------ review decisions

ORGS = [["名称", "简称", "类别", "股票代码"], ["宁波激智科技股份有限公司", "激智科技", "上市公司", "300566"]]
CONTACTS = [
    ["姓名", "出生年份", "手机", "工作单位", "籍贯乡镇", "现居城市"],
    ["张伟", "1975", "13800000001", "宁波激智科技股份有限公司", "青石镇", "宁波市"],
    ["李明", "1980", "13800000003", "深圳示例材料有限公司", "东湖镇", "深圳市"],
]
GREY = [["姓名", "工作单位", "出生年份"], ["张伟", "远方物流有限公司", "1975"], ["李明", "某某贸易有限公司", "1980"]]


def test_a_rejected_pair_stays_apart_when_a_reimport_brings_more_evidence(store, tmp_path):
    """Rejected at 0.45; the same row again with the chairman's hometown and city (which
    would score 0.85, above the merge threshold) updates its own node and merges nothing."""
    ingest_file(store, _write_csv(tmp_path / "上市公司.csv", ORGS), kind="organizations")
    ingest_file(store, _write_csv(tmp_path / "乡贤名录.csv", CONTACTS), kind="contacts")
    ingest_file(store, _write_csv(tmp_path / "新名录.csv", GREY[:2]), kind="contacts")
    (item,) = store.review_items()
    store.decide(item.id, "reject")
    more = [["姓名", "工作单位", "出生年份", "籍贯乡镇", "现居城市"], ["张伟", "远方物流有限公司", "1975", "青石镇", "宁波市"]]
    again = ingest_file(store, _write_csv(tmp_path / "新名录.csv", more), kind="contacts")
    assert again.merged == [] and again.flagged == [] and again.review_items == []
    zhang = {n.id: n.props["org_name"] for n in store.nodes_named("Person", "张伟")}
    assert zhang == {item.node_id: "远方物流有限公司", item.other_id: "宁波激智科技股份有限公司"}
    assert store.node(item.node_id).props["township"] == "青石镇"
    assert [(i.id, i.status) for i in store.review_items(None)] == [(item.id, "rejected")]


def test_review_decisions_made_with_the_command_hold_when_every_list_is_loaded_again(tmp_path):
    db = str(tmp_path / "cli.db")
    files = [(_write_csv(tmp_path / "上市公司.csv", ORGS), "organizations"),
             (_write_csv(tmp_path / "乡贤名录.csv", CONTACTS), "contacts"),
             (_write_csv(tmp_path / "新名录.csv", GREY), "contacts")]  # fmt: skip

    def load_all() -> list[dict]:
        return [
            json.loads(runner.invoke(app, ["ingest", str(f), "-k", k, "--db", db, "--no-report", "-f", "json"]).stdout)
            for f, k in files
        ]

    load_all()
    items = json.loads(runner.invoke(app, ["review", "list", "--db", db, "-f", "json"]).stdout)
    assert [(i["summary"], i["status"], i["score"]) for i in items] == [
        ("张伟，远方物流有限公司", "pending", 0.45), ("李明，某某贸易有限公司", "pending", 0.45),
    ]  # fmt: skip
    accepted = json.loads(runner.invoke(app, ["review", "accept", items[0]["id"], "--db", db, "-f", "json"]).stdout)
    assert (accepted["id"], accepted["status"]) == (items[0]["id"], "accepted") and accepted["kept"]
    rejected = json.loads(runner.invoke(app, ["review", "reject", items[1]["id"], "--db", db, "-f", "json"]).stdout)
    assert (rejected["id"], rejected["status"], rejected["kept"]) == (items[1]["id"], "rejected", None)
    with EmbeddedStore(db) as store:
        before = (store.counts(), sorted(n.id for n in store.iter_nodes("Person")))
    reports = load_all()
    assert [r["nodes"]["created"] for r in reports] == [0, 0, 0]
    assert [(r["rows_merged"], r["rows_flagged"], r["review_items"]) for r in reports] == [(0, 0, [])] * 3
    assert json.loads(runner.invoke(app, ["review", "list", "--db", db, "-f", "json"]).stdout) == []
    with EmbeddedStore(db) as store:
        assert (store.counts(), sorted(n.id for n in store.iter_nodes("Person"))) == before
        assert len(store.nodes_named("Person", "张伟")) == 1 and len(store.nodes_named("Person", "李明")) == 2
        assert store.current_id(store.review_item(items[0]["id"]).node_id) == accepted["kept"]
