"""Two columns of one list that both name one field: the more specific name is read."""

from __future__ import annotations

from leadgraph.ingest.loader import ingest_file


def test_the_mobile_column_wins_over_a_phone_column_and_the_township_over_the_native_place(store, write_xlsx):
    rows = [
        ["姓名", "电话", "手机", "工作单位", "籍贯", "乡镇"],
        ["张伟", "0574-88888888", "13812345678", "宁波甲科技有限公司", "浙江某县", "青石镇"],
        ["李娜", "", "13912345678", "甲公司", "浙江某县", "白沙镇"],
    ]
    report = ingest_file(store, write_xlsx("乡贤.xlsx", rows), kind="contacts")
    people = {n.name: n.props for n in store.iter_nodes("Person")}
    assert (people["张伟"]["mobile"], people["李娜"]["mobile"]) == ("13812345678", "13912345678")
    assert (people["张伟"]["township"], people["李娜"]["township"]) == ("青石镇", "白沙镇")
    assert sorted(n.name for n in store.iter_nodes("Region")) == ["白沙镇", "青石镇"]
    sheet = report.sheets[0]
    assert sheet.unknown_columns == []
    assert "列「电话」与「手机」同为「手机」列，已按「手机」导入，「电话」未导入" in sheet.notes
    assert "列「籍贯」与「乡镇」同为「籍贯乡镇」列，已按「乡镇」导入，「籍贯」未导入" in sheet.notes
    assert report.flagged == []


def test_free_text_keeps_its_chinese_punctuation(store, write_xlsx):
    note = "首次拜访，对方有扩产意向（二期）；\n下月再访"
    rows = [["姓名", "手机", "工作单位", "备注"], ["张伟", "13812345678", "宁波甲科技有限公司", f"  {note}\u200b "]]
    ingest_file(store, write_xlsx("乡贤.xlsx", rows), kind="contacts")
    (person,) = store.iter_nodes("Person")
    assert person.props["note"] == note


def test_what_is_not_a_name_is_refused_and_a_remark_in_brackets_reported(store, write_xlsx):
    rows = [
        ["姓名", "手机", "工作单位"],
        ["138 0000 1111", "", "甲公司"],               # columns swapped
        ["李娜、王芳", "13800000002", "乙公司"],        # two people in one cell
        ["张伟（董事长）", "13800000003", "丙公司"],    # a remark after the name
        ["张" * 61, "13800000004", "丁公司"],
        ["王五 13800001111", "", "戊公司"],           # a mobile typed into the name: never stored
        ["Smith, John", "13800000006", "己公司"],     # a Latin name, surname first
    ]
    report = ingest_file(store, write_xlsx("乡贤.xlsx", rows), kind="contacts")
    rejected = {issue.line: issue.reason for issue in report.rejected}
    assert sorted(rejected) == [2, 3, 5, 6]
    assert "是数字，不像人名" in rejected[2] and "请每人一行" in rejected[3] and "姓名太长" in rejected[5]
    assert "姓名栏里有一串号码" in rejected[6]
    assert sorted(n.name for n in store.iter_nodes("Person")) == ["Smith, John", "张伟"]
    assert "13800001111" not in str([n.props for n in store.iter_nodes()])
    assert any(i.line == 4 and "「董事长」未作为姓名保存" in i.reason for i in report.flagged)
