"""The clerk's .xlsx report: the input's own columns plus 处理/问题/原行号, every rejected,
merged and flagged row with its reason — and, once corrected, a file that loads again."""

from __future__ import annotations

import openpyxl

from leadgraph.ingest.loader import ingest_file
from leadgraph.ingest.report_xlsx import default_report_path, write_report

ORGS = [["名称", "简称", "类别"], ["宁波激智科技股份有限公司", "激智科技", "上市公司"]]
CONTACTS = [
    ["姓名", "身份证号", "手机", "工作单位", "籍贯乡镇"],
    ["张伟", "330201197501010011", "13800000001", "宁波激智科技股份有限公司", "青石镇"],   # loads
    ["王五", "330201198001010022", "", "", ""],                                           # rejected: who is he?
    ["李四", "", "1.38123E+10", "", ""],                                                   # rejected, phone lost
    ["赵六", "", "13800000006 / 13900000006", "远方物流有限公司", "东湖镇"],                # flagged: two mobiles
]  # fmt: skip
MEMBERS = [["商协会", "姓名", "工作单位"], ["宁波示例商会", "张伟", "激智科技"]]


def _sheet_rows(path):
    book = openpyxl.load_workbook(path)
    return {ws.title: [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)] for ws in book}


def test_report_lists_every_rejected_merged_and_flagged_row_in_the_inputs_columns(store, write_csv, write_xlsx):
    ingest_file(store, write_csv("机构.csv", ORGS), kind="organizations")
    contacts = ingest_file(store, write_xlsx("乡贤名录.xlsx", CONTACTS, sheet="青石镇"), kind="contacts")
    path = write_report(contacts, default_report_path(contacts.file))
    assert path.name == "乡贤名录_导入报告.xlsx" and contacts.report_file == str(path)
    (rows,) = _sheet_rows(path).values()
    assert rows[0][0] == "导入报告：乡贤名录.xlsx → 来源「乡贤名录」，类型「contacts」"
    assert rows[1][0] == ("类型 contacts：读取 4 行，导入 2 行，拒绝 2 行，合并 0 行，提示 1 行（待审核 0 项）；"
                          "节点 新建 5、更新 1；关系 新建 4、更新 0")  # fmt: skip
    assert rows[2][0] == "说明：已删除不应保存的列：身份证号"
    header = rows[4]
    assert header == ["姓名", "手机", "工作单位", "籍贯乡镇", "处理", "问题", "原行号"]  # no 身份证号
    assert rows[5:] == [
        ["王五", "", "", "", "拒绝", "无法识别这个人员：请至少再填写手机、工作单位、籍贯乡镇之一 "
         "(Person needs one of its natural keys: name+mobile / name+org_name / name+township)", "3"],
        ["李四", "1.38123E+10", "", "", "拒绝", "无法识别这个人员：请至少再填写手机、工作单位、籍贯乡镇之一 "
         "(Person needs one of its natural keys: name+mobile / name+org_name / name+township)；"
         "手机：手机号被 Excel 存成科学计数法，位数已丢失", "4"],
        ["赵六", "13800000006 / 13900000006", "远方物流有限公司", "东湖镇", "提示",
         "手机：单元格含多个手机号，已取第一个（13900000006 未保存）", "5"],
    ]  # fmt: skip
    members = ingest_file(store, write_csv("商会会员.csv", MEMBERS), kind="members")
    (rows,) = _sheet_rows(write_report(members, default_report_path(members.file))).values()
    assert rows[4:] == [
        ["商协会", "姓名", "工作单位", "处理", "问题", "原行号"],
        ["宁波示例商会", "张伟", "激智科技", "合并",
         "「张伟，激智科技」已与已有人员「张伟（宁波激智科技股份有限公司）」合并：姓名相同；"
         "单位相同：激智科技 ≈ 宁波激智科技股份有限公司（核心名「激智科技」）（得分 0.75）；"
         "「激智科技」已与已有机构「宁波激智科技股份有限公司」合并：「激智科技」是「宁波激智科技股份有限公司」的简称（得分 1.00）",
         "2"],
    ]  # fmt: skip


def test_report_cells_are_text_never_formulas(store, write_csv, tmp_path):
    report = ingest_file(store, write_csv("名录.csv", [["姓名", "工作单位"], ["=HYPERLINK(\"x\")", ""]]), kind="contacts")
    book = openpyxl.load_workbook(write_report(report, tmp_path / "r.xlsx"))
    cell = book.active.cell(6, 1)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")


def test_corrected_rejects_file_loads_the_batch_with_no_duplicates(store, write_csv, write_xlsx):
    ingest_file(store, write_csv("机构.csv", ORGS), kind="organizations")
    first = ingest_file(store, write_xlsx("乡贤名录.xlsx", CONTACTS), kind="contacts")
    path = write_report(first, default_report_path(first.file))
    book = openpyxl.load_workbook(path)
    ws = book.active
    ws["C6"], ws["D6"] = "宁波激智科技股份有限公司", "西山乡"  # 王五: the clerk adds his firm and hometown
    ws["B7"] = "13812345678"  # 李四: the clerk types the number again, as text
    book.save(path)
    before = store.counts()["nodes"]
    fixed = ingest_file(store, path)  # kind inferred from the headers; 处理/问题/原行号 ignored
    summary = fixed.to_dict()
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_rejected"]) == (3, 3, 0)
    assert fixed.sheets[0].kind == "contacts" and fixed.sheets[0].unknown_columns == []
    people = sorted((n.name, n.props.get("mobile", "")) for n in store.iter_nodes("Person"))
    assert people == [("张伟", "13800000001"), ("李四", "13812345678"), ("王五", ""), ("赵六", "13800000006")]
    assert store.counts()["nodes"]["Person"] == before["Person"] + 2
    again = ingest_file(store, path).to_dict()
    assert again["nodes"]["created"] == 0 and again["edges"]["created"] == 0
    assert len({n.id for n in store.iter_nodes("Person")}) == 4


def test_a_corrected_report_loads_as_its_list_so_a_row_kept_apart_finds_its_node_again(store, write_xlsx):
    """A 马磊 with no mobile at a firm where two 马磊 work gets a node of his own, known to his
    list; the report, corrected and loaded, is that list: he is found again, not made twice."""
    ingest_file(store, write_xlsx("甲名录.xlsx", [["姓名", "手机", "工作单位"],
        ["马磊", "13812340001", "宁波甲科技有限公司"], ["马磊", "13812340002", "宁波甲科技有限公司"]]), kind="contacts")  # fmt: skip
    first = ingest_file(store, write_xlsx("乙名录.xlsx", [["姓名", "手机", "工作单位", "籍贯乡镇"],
        ["马磊", "", "宁波甲科技有限公司", ""], ["王五", "", "", ""]]), kind="contacts")  # fmt: skip
    assert first.to_dict()["rows_rejected"] == 1
    people, pending = store.counts()["nodes"]["Person"], len(store.review_items())
    path = write_report(first, default_report_path(first.file))
    book = openpyxl.load_workbook(path)
    for row in book.active.iter_rows():
        if row[0].value == "王五":
            row[3].value = "青石镇"
    book.save(path)
    fixed = ingest_file(store, path)
    assert fixed.source == "乙名录"
    assert fixed.to_dict()["rows_rejected"] == 0
    assert store.counts()["nodes"]["Person"] == people + 1  # 王五 only
    assert len(store.review_items()) == pending


def test_the_report_title_gives_back_a_source_that_holds_corner_brackets():
    from leadgraph.ingest.report import report_origin, report_title

    for dry_run in (False, True):
        assert report_origin([report_title("f.xlsx", "「在外乡贤」名录", "contacts", dry_run)]) == ("「在外乡贤」名录", "contacts")
    assert report_origin(["XX镇在外乡贤名录（2024年）"]) is None
