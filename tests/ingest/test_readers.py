"""read_tables on the messy files county offices actually send."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from leadgraph.errors import FileRefused
from leadgraph.ingest.normalize import parse_date
from leadgraph.ingest.readers import RawRow, read_tables
from tests.ingest.badfiles import write_encrypted_xlsx_stub, write_text, write_xls, write_xlsx

TITLE = "XX镇在外乡贤名录（2024年）"


def only_sheet(path: Path, **kwargs: object):
    sheets = read_tables(path, **kwargs)
    assert len(sheets) == 1
    return sheets[0]


# --------------------------------------------------------------------- refusals


def test_zero_byte_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "名录.xlsx"
    p.write_bytes(b"")
    with pytest.raises(FileRefused) as e:
        read_tables(p)
    assert e.value.message == "文件为空（0 字节）(empty file)"


def test_file_larger_than_max_bytes_is_refused_naming_the_cap(tmp_path: Path) -> None:
    p = write_text(tmp_path / "a.csv", "姓名,手机\n" + "张伟,13812345678\n" * 100, "utf-8")
    with pytest.raises(FileRefused) as e:
        read_tables(p, max_bytes=1000)
    assert "max_bytes cap of 1000 bytes" in e.value.message
    assert e.value.details["max_bytes"] == 1000


def test_xlsx_sheet_with_more_rows_than_max_rows_is_refused(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "a.xlsx", {"名录": [["姓名", "手机"]] + [["张伟", "1"]] * 10})
    with pytest.raises(FileRefused) as e:
        read_tables(p, max_rows=5)
    assert e.value.message == "工作表「名录」有 11 行，超过 5 行的上限 (sheet has more rows than the max_rows cap of 5)"


def test_csv_with_more_rows_than_max_rows_is_refused(tmp_path: Path) -> None:
    p = write_text(tmp_path / "a.csv", "姓名,手机\n" + "张伟,1\n" * 10, "utf-8")
    with pytest.raises(FileRefused) as e:
        read_tables(p, max_rows=5)
    assert e.value.message == "文件超过 5 行的上限 (more rows than the max_rows cap of 5)"


def test_undecodable_text_is_refused_with_the_offset_of_the_first_bad_byte(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_bytes(b"name,phone\n\xff\xfe\xfd,1\n")  # 0xFF starts nothing in UTF-8 or GB18030
    with pytest.raises(FileRefused) as e:
        read_tables(p)
    assert e.value.details["offset"] == 11
    assert e.value.message.startswith(
        "无法识别文本编码：既不是 UTF-8 也不是 GB18030，字节偏移 11 处的 0xFF 无法解码"
    )
    assert e.value.message.endswith("(cannot decode as UTF-8 or GB18030: first bad byte at offset 11)")


def test_damaged_utf8_is_refused_rather_than_misread_as_gb18030(tmp_path: Path) -> None:
    good = "姓名,单位\n张伟,示例薄膜\n".encode()
    data = good + b"\xe6\xbf" + "张伟,示例\n".encode()  # a 3-byte character cut short
    data.decode("gb18030")  # GB18030 would "succeed" with mojibake: the reason for the guard
    p = tmp_path / "a.csv"
    p.write_bytes(data)
    with pytest.raises(FileRefused) as e:
        read_tables(p)
    assert e.value.details == {"offset": len(good), "encoding": "UTF-8"}
    assert e.value.message == (
        f"文件看起来是 UTF-8 编码，但在字节偏移 {len(good)} 处有无法解码的字节 0xE6"
        f" (invalid UTF-8 byte at offset {len(good)})"
    )


def test_text_with_nul_bytes_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_bytes("姓名,手机\n".encode("utf-16-le"))  # UTF-16 without BOM
    with pytest.raises(FileRefused) as e:
        read_tables(p)
    assert e.value.details["offset"] == 5  # 姓名 = D3 59 0D 54, then ',' = 2C 00


def test_html_table_posing_as_xls_is_refused_with_advice(tmp_path: Path) -> None:
    p = tmp_path / "导出.xls"
    p.write_bytes("<html><body><table><tr><td>姓名</td></tr></table></body></html>".encode())
    with pytest.raises(FileRefused) as e:
        read_tables(p)
    assert "另存为 .xlsx" in e.value.message and "(HTML table disguised as a spreadsheet)" in e.value.message


def test_corrupt_xlsx_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "a.xlsx"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(FileRefused) as e:
        read_tables(p)
    assert e.value.message.startswith("无法读取 Excel 文件：文件已损坏或不是 Excel 格式")


def test_password_protected_xlsx_is_refused_with_advice(tmp_path: Path) -> None:
    with pytest.raises(FileRefused) as e:
        read_tables(write_encrypted_xlsx_stub(tmp_path / "名录.xlsx"))
    assert e.value.message == "文件设置了打开密码，请在 Excel/WPS 中取消密码后另存 (password-protected workbook)"


def test_xml_entity_bomb_in_xlsx_is_refused_not_expanded(tmp_path: Path) -> None:
    plain = write_xlsx(tmp_path / "plain.xlsx", {"Sheet": [["姓名", "手机"], ["张伟", "x"]]})
    entities = "".join(f'<!ENTITY e{i} "{("&e%d;" % (i - 1) if i else "lol") * 10}">' for i in range(9))
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(bomb, "w") as zout:
        for name in zin.namelist():
            body = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                body = f"<!DOCTYPE worksheet [{entities}]>".encode() + body.replace(b">x<", b">&e8;<")
            zout.writestr(name, body)
    with pytest.raises(FileRefused) as e:
        read_tables(bomb)
    assert e.value.message.startswith("工作表「Sheet」无法读取")


def test_openpyxl_parses_xml_through_defusedxml() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_workbook_with_only_hidden_and_empty_sheets_is_refused(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "a.xlsx", {"空": [], "秘密": [["姓名", "手机"], ["张伟", "1"]]}, hidden=["秘密"])
    with pytest.raises(FileRefused) as e:
        read_tables(p)
    assert e.value.message == "文件中没有可读取的数据；跳过隐藏工作表「秘密」 (no data in any visible sheet)"


# ---------------------------------------------------------------- text encodings

ROWS_WITH_RARE_CHAR = "姓名,手机,乡镇\n刘䶮,13812345678,城关镇\n"


def test_gbk_csv_with_rare_char_decodes_as_gb18030(tmp_path: Path) -> None:
    # 䶮 (U+4DAE) has no GBK code: only GB18030 encodes it (as FE 9F).
    with pytest.raises(UnicodeEncodeError):
        "䶮".encode("gbk")
    p = write_text(tmp_path / "名录.csv", ROWS_WITH_RARE_CHAR, "gb18030")
    sheet = only_sheet(p)
    assert sheet.rows == [RawRow(2, {"姓名": "刘䶮", "手机": "13812345678", "乡镇": "城关镇"})]
    assert sheet.notes == ["文本编码：GB18030（兼容 GBK/GB2312）；分隔符：逗号"]


def test_plain_gbk_csv_decodes(tmp_path: Path) -> None:
    p = write_text(tmp_path / "名录.csv", "姓名,单位\n张伟,宁波激智科技股份有限公司\n", "gbk")
    assert only_sheet(p).rows == [RawRow(2, {"姓名": "张伟", "单位": "宁波激智科技股份有限公司"})]


def test_utf8_bom_csv_keeps_no_bom_in_the_first_header(tmp_path: Path) -> None:
    p = write_text(tmp_path / "a.csv", "姓名,手机\n张伟,13812345678\n", "utf-8-sig")
    sheet = only_sheet(p)
    assert sheet.header == ["姓名", "手机"]
    assert sheet.notes == ["文本编码：UTF-8（带 BOM）；分隔符：逗号"]


def test_utf16_text_with_bom_as_excel_saves_unicode_text(tmp_path: Path) -> None:
    p = write_text(tmp_path / "a.txt", "姓名\t手机\n张伟\t13812345678\n", "utf-16")
    sheet = only_sheet(p)
    assert sheet.rows == [RawRow(2, {"姓名": "张伟", "手机": "13812345678"})]
    assert sheet.notes == ["文本编码：UTF-16 LE（带 BOM）；分隔符：制表符"]


def test_tiny_gbk_file_that_charset_normalizer_misreads_decodes_correctly(tmp_path: Path) -> None:
    from charset_normalizer import from_bytes

    text = "姓名,电话\n张伟,138\n"
    data = text.encode("gbk")
    guess = from_bytes(data).best()
    assert guess is not None and str(guess) != text, "precondition: naive detection gets this wrong"
    p = tmp_path / "a.csv"
    p.write_bytes(data)
    assert only_sheet(p).rows == [RawRow(2, {"姓名": "张伟", "电话": "138"})]


# -------------------------------------------------------------- formats & dialects


def test_csv_renamed_xlsx_is_read_as_csv_with_a_note(tmp_path: Path) -> None:
    p = write_text(tmp_path / "名录.xlsx", "姓名,手机\n张伟,13812345678\n", "utf-8")
    sheet = only_sheet(p)
    assert sheet.name == "名录.xlsx"
    assert sheet.rows == [RawRow(2, {"姓名": "张伟", "手机": "13812345678"})]
    assert sheet.notes[0] == "文件扩展名是 .xlsx，但内容是 CSV/文本，已按文本表格读取"


def test_xlsx_renamed_xls_is_read_as_xlsx_with_a_note(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "名录.xls", {"名录": [["姓名", "手机"], ["张伟", "13812345678"]]})
    sheet = only_sheet(p)
    assert sheet.rows == [RawRow(2, {"姓名": "张伟", "手机": "13812345678"})]
    assert sheet.notes == ["文件扩展名是 .xls，但实际是 .xlsx 格式，已按 .xlsx 读取"]


@pytest.mark.parametrize(("delimiter", "label"), [(",", "逗号"), ("\t", "制表符"), (";", "分号")])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str, label: str) -> None:
    text = "XX镇名录\n" + delimiter.join(["姓名", "单位", "手机"]) + "\n"
    text += delimiter.join(["张伟", "激智，科技", "13812345678"]) + "\n"
    sheet = only_sheet(write_text(tmp_path / "a.csv", text, "utf-8"))
    assert sheet.rows == [RawRow(3, {"姓名": "张伟", "单位": "激智，科技", "手机": "13812345678"})]
    assert sheet.notes[0] == f"文本编码：UTF-8；分隔符：{label}"


def test_quoted_fields_keep_commas_and_newlines_and_lines_count_records(tmp_path: Path) -> None:
    text = '姓名,地址,手机\n张伟,"浙江省宁波市,\n某路1号",13812345678\n李四,上海,13987654321\n'
    sheet = only_sheet(write_text(tmp_path / "a.csv", text, "utf-8"))
    assert sheet.rows == [
        RawRow(2, {"姓名": "张伟", "地址": "浙江省宁波市,\n某路1号", "手机": "13812345678"}),
        RawRow(3, {"姓名": "李四", "地址": "上海", "手机": "13987654321"}),
    ]


def test_excel_sep_line_sets_the_delimiter(tmp_path: Path) -> None:
    sheet = only_sheet(write_text(tmp_path / "a.csv", "sep=;\n姓名;手机\n张伟;138\n", "utf-8"))
    assert sheet.rows == [RawRow(2, {"姓名": "张伟", "手机": "138"})]


def test_legacy_xls_reads_strings_numbers_dates_merges_and_skips_hidden_sheet(tmp_path: Path) -> None:
    p = write_xls(
        tmp_path / "名录.xls",
        {
            "名录": [
                [TITLE],
                ["姓名", "手机", "回乡日期", "乡镇"],
                ["张伟", 13812345678, dt.date(2024, 1, 1), "城关镇"],
                ["李四", 1.5, 45292, None],
            ],
            "旧表": [["姓名", "手机"], ["王五", "1"]],
        },
        merges={"名录": [(0, 0, 0, 3), (2, 3, 3, 3)]},
        hidden=["旧表"],
    )
    sheet = only_sheet(p)
    assert sheet.header == ["姓名", "手机", "回乡日期", "乡镇"]
    assert sheet.rows == [
        RawRow(3, {"姓名": "张伟", "手机": "13812345678", "回乡日期": "2024-01-01", "乡镇": "城关镇"}),
        RawRow(4, {"姓名": "李四", "手机": "1.5", "回乡日期": "45292", "乡镇": "城关镇"}),
    ]
    assert sheet.notes == [
        "跳过隐藏工作表「旧表」",
        "表头在第 2 行，其上 1 行标题/说明已跳过",
        "合并单元格已向下填充：“乡镇”第 3–4 行",
    ]


# ------------------------------------------------------------------------- headers


def test_title_rows_above_a_header_on_row_3_are_skipped(tmp_path: Path) -> None:
    p = write_xlsx(
        tmp_path / "a.xlsx",
        {"名录": [[TITLE], ["填报单位：XX镇人民政府", None, None, "填报日期：2024年3月"],
                  ["序号", "姓  名", "单位", "职务"], [1, "张伟", "宁波激智科技股份有限公司", "董事长"]]},
        merges={"名录": ["A1:D1"]},
    )  # fmt: skip
    sheet = only_sheet(p)
    assert sheet.header == ["序号", "姓名", "单位", "职务"]
    assert sheet.header_line == 3
    assert sheet.rows == [RawRow(4, {"序号": "1", "姓名": "张伟", "单位": "宁波激智科技股份有限公司", "职务": "董事长"})]
    assert sheet.notes == ["表头在第 3 行，其上 2 行标题/说明已跳过"]


def test_two_row_header_joins_group_title_and_sub_headers(tmp_path: Path) -> None:
    p = write_xlsx(
        tmp_path / "a.xlsx",
        {"名录": [[TITLE], ["姓名", "联系方式", None, "单位"], [None, "手机", "座机", None],
                  ["张伟", 13812345678, "0571-88888888", "激智科技"]]},
        merges={"名录": ["A1:D1", "B2:C2", "A2:A3", "D2:D3"]},
    )  # fmt: skip
    sheet = only_sheet(p)
    assert sheet.header == ["姓名", "联系方式-手机", "联系方式-座机", "单位"]
    assert sheet.header_line == 3
    assert sheet.rows == [
        RawRow(4, {"姓名": "张伟", "联系方式-手机": "13812345678", "联系方式-座机": "0571-88888888", "单位": "激智科技"})
    ]
    assert "表头为两行（第 2–3 行），分组标题与子标题用“-”连接，如“联系方式-手机”" in sheet.notes


def test_two_row_header_in_csv_is_recognised_from_its_layout(tmp_path: Path) -> None:
    text = "姓名,联系方式,,单位\n,手机,座机,\n张伟,13812345678,0571-88888888,激智科技\n"
    sheet = only_sheet(write_text(tmp_path / "a.csv", text, "utf-8"))
    assert sheet.header == ["姓名", "联系方式-手机", "联系方式-座机", "单位"]
    assert [r.line for r in sheet.rows] == [3]


def test_header_hint_picks_the_row_with_most_known_synonyms(tmp_path: Path) -> None:
    rows = [["说明", "仅供内部使用", None, None], ["姓名", "手机", "单位", "职务"], ["张伟", "138", "激智", "董事长"]]
    p = write_xlsx(tmp_path / "a.xlsx", {"名录": rows})
    known = {"姓名", "手机", "单位", "职务"}
    assert only_sheet(p).header == ["说明", "仅供内部使用", "列C", "列D"]  # without a hint: the first label row
    hinted = only_sheet(p, header_hint=lambda texts: sum(t in known for t in texts))
    assert hinted.header == ["姓名", "手机", "单位", "职务"]
    assert hinted.rows == [RawRow(3, {"姓名": "张伟", "手机": "138", "单位": "激智", "职务": "董事长"})]


def test_unnamed_and_duplicate_headers_are_made_distinct(tmp_path: Path) -> None:
    text = "姓名,电话,,电话,\n张伟,138,备用,0571,\n"
    sheet = only_sheet(write_text(tmp_path / "a.csv", text, "utf-8"))
    assert sheet.header == ["姓名", "电话", "列C", "电话(2)"]
    assert sheet.rows == [RawRow(2, {"姓名": "张伟", "电话": "138", "列C": "备用", "电话(2)": "0571"})]
    assert sheet.notes[1:] == ["第 C 列没有表头但有数据，记为“列C”", "表头“电话”重复，第 D 列记为“电话(2)”"]


# ---------------------------------------------------------------------------- rows


def test_merged_township_column_is_filled_down(tmp_path: Path) -> None:
    rows = [["乡镇", "姓名"], ["城关镇", "张伟"], [None, "李四"], [None, "王五"], ["新塘乡", "赵六"]]
    p = write_xlsx(tmp_path / "a.xlsx", {"名录": rows}, merges={"名录": ["A2:A4"]})
    sheet = only_sheet(p)
    assert [(r.line, r.values["乡镇"], r.values["姓名"]) for r in sheet.rows] == [
        (2, "城关镇", "张伟"), (3, "城关镇", "李四"), (4, "城关镇", "王五"), (5, "新塘乡", "赵六"),
    ]  # fmt: skip
    assert sheet.notes == ["合并单元格已向下填充：“乡镇”第 2–4 行"]


def test_total_remark_and_signature_rows_are_skipped_and_noted(tmp_path: Path) -> None:
    rows = [
        ["姓名", "投资额"], ["张伟", 3], [None, None], ["李四", 2],
        ["合 计", 5], ["小\u3000计", 5], ["总计：", 5],
        ["备注：1. 投资额单位为亿元", None], ["2. 电话请填手机", None],
        ["填报人：王五", "审核人：赵六"], ["王七", 1],
    ]  # fmt: skip
    sheet = only_sheet(write_xlsx(tmp_path / "a.xlsx", {"名录": rows}))
    assert sheet.rows == [
        RawRow(2, {"姓名": "张伟", "投资额": "3"}),
        RawRow(4, {"姓名": "李四", "投资额": "2"}),
        RawRow(11, {"姓名": "王七", "投资额": "1"}),
    ]
    assert sheet.notes == [
        "跳过合计/小计行：第 5–7 行",
        "跳过备注/说明行：第 8–9 行",
        "跳过签名栏（填报人/审核人等）：第 10 行",
    ]


def test_a_section_remark_inside_the_list_skips_only_itself(tmp_path: Path) -> None:
    """A one-cell row after a 说明 row is a firm, not the note's next line, unless it reads
    like one (numbered, or under a bare 备注： label)."""
    text = "名称,简称\n说明：以下为上市公司\n宁波激智科技股份有限公司,\n示例光电股份有限公司,示例光电\n"
    sheet = only_sheet(write_text(tmp_path / "a.csv", text, "utf-8"))
    assert sheet.rows == [
        RawRow(3, {"名称": "宁波激智科技股份有限公司", "简称": ""}),
        RawRow(4, {"名称": "示例光电股份有限公司", "简称": "示例光电"}),
    ]
    assert sheet.notes[1:] == ["跳过备注/说明行：第 2 行"]


def test_a_single_column_list_under_a_remark_keeps_its_rows(tmp_path: Path) -> None:
    sheet = only_sheet(write_text(tmp_path / "a.csv", "环节\n说明：按产业链顺序\n光学膜\n增亮膜\n", "utf-8"))
    assert sheet.rows == [RawRow(3, {"环节": "光学膜"}), RawRow(4, {"环节": "增亮膜"})]
    assert sheet.notes[1:] == ["跳过备注/说明行：第 2 行"]


def test_the_line_under_a_bare_remark_label_and_numbered_lines_continue_the_note(tmp_path: Path) -> None:
    rows = [["姓名", "投资额"], ["张伟", 3], ["备注：", None], ["投资额单位为亿元", None], ["（2）电话请填手机", None],
            ["二、请于月底前报送", None], ["李四", 2]]  # fmt: skip
    sheet = only_sheet(write_xlsx(tmp_path / "a.xlsx", {"名录": rows}))
    assert sheet.rows == [RawRow(2, {"姓名": "张伟", "投资额": "3"}), RawRow(7, {"姓名": "李四", "投资额": "2"})]
    assert sheet.notes == ["跳过备注/说明行：第 3–6 行"]


def test_repeated_header_rows_from_printed_pages_are_skipped(tmp_path: Path) -> None:
    text = "姓名,手机\n张伟,138\n姓名,手机\n李四,139\n"
    sheet = only_sheet(write_text(tmp_path / "a.csv", text, "utf-8"))
    assert [r.line for r in sheet.rows] == [2, 4]
    assert sheet.notes[-1] == "跳过重复的表头行：第 3 行"


def test_hidden_sheet_is_skipped_with_a_note_and_empty_sheet_silently(tmp_path: Path) -> None:
    p = write_xlsx(
        tmp_path / "a.xlsx",
        {"名录": [["姓名"], ["张伟"]], "空白": [], "草稿": [["姓名"], ["李四"]], "商会": [["会员", "职务"], ["王五", "会长"]]},
        hidden=["草稿"],
    )
    sheets = read_tables(p)
    assert [s.name for s in sheets] == ["名录", "商会"]
    assert sheets[0].notes == ["跳过隐藏工作表「草稿」"]
    assert sheets[1].rows == [RawRow(2, {"会员": "王五", "职务": "会长"})]


# ------------------------------------------------------------------------ values


def test_cells_come_out_as_the_text_excel_shows(tmp_path: Path) -> None:
    rows = [
        ["手机", "身份证号", "数值", "布尔", "公式"],
        [13812345678, "110101199001011234", 1.5, True, "=1+2"],
        ["13812345678.0", 110101199001011234, 0.1 + 0.2, False, None],
        ["1.38123E+10", 12345678901234567890, 1e-7, None, None],
    ]
    sheet = only_sheet(write_xlsx(tmp_path / "a.xlsx", {"名录": rows}))
    assert [list(r.values.values()) for r in sheet.rows] == [
        ["13812345678", "110101199001011234", "1.5", "TRUE", ""],  # numeric phone; formula has no cached value
        ["13812345678.0", "110101199001011000", "0.3", "FALSE", ""],  # text kept; 18-digit number already rounded
        ["1.38123E+10", "12345678901234600000", "0.0000001", "", ""],
    ]


def test_date_cells_serials_and_text_dates_in_one_column(tmp_path: Path) -> None:
    rows = [
        ["姓名", "回乡日期"],
        ["甲", dt.date(2024, 1, 1)],
        ["乙", dt.datetime(2024, 3, 5, 8, 30)],
        ["丙", 45292],
        ["丁", "2024.1.1"],
        ["戊", "2024年1月"],
        ["己", 45300],
    ]
    p = write_xlsx(tmp_path / "a.xlsx", {"名录": rows}, formats={"名录": {"B7": 'yyyy"年"m"月"d"日"'}})
    texts = [r.values["回乡日期"] for r in only_sheet(p).rows]
    assert texts == ["2024-01-01", "2024-03-05 08:30:00", "45292", "2024.1.1", "2024年1月", "2024-01-09"]
    parsed = [(d.value, d.precision) for d in map(parse_date, texts)]
    assert parsed == [
        (dt.date(2024, 1, 1), "day"), (dt.date(2024, 3, 5), "day"), (dt.date(2024, 1, 1), "day"),
        (dt.date(2024, 1, 1), "day"), (dt.date(2024, 1, 1), "month"), (dt.date(2024, 1, 9), "day"),
    ]  # fmt: skip


def _xlsx_with_a_sheet_of(tmp_path: Path, padding: int) -> Path:
    """A real workbook whose sheet carries ``padding`` bytes of highly compressible XML."""
    import zipfile

    from openpyxl import Workbook

    p = tmp_path / "名录.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "手机"])
    wb.active.append(["张伟", "13812345678"])
    wb.save(p)
    padded = tmp_path / "padded.xlsx"
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * padding, 1)
            dst.writestr(info.filename, data)
    return padded


def test_a_workbook_that_unpacks_beyond_the_cap_is_refused_naming_it(tmp_path: Path) -> None:
    """A zip bomb: small on disk, huge once unpacked — refused from the zip directory, before parsing."""
    p = _xlsx_with_a_sheet_of(tmp_path, 3_000_000)
    assert p.stat().st_size < 100_000
    with pytest.raises(FileRefused) as e:
        read_tables(p, max_bytes=100_000)
    assert e.value.message.startswith("文件解压后太大：")
    assert "max_unpacked_bytes cap of 2000000 bytes" in e.value.message
    assert e.value.details["max_unpacked_bytes"] == 2_000_000
    assert read_tables(p, max_bytes=200_000)[0].rows[0].values == {"姓名": "张伟", "手机": "13812345678"}


def _understate_size(path: Path, member: str, declared: int) -> Path:
    """The same zip with ``member``'s uncompressed size written as ``declared`` in both its local
    header and the central directory — a zip bomb that lies to a directory-based cap."""
    import struct

    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member).header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, local + 22, declared)
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        if data[at + 46 : at + 46 + struct.unpack_from("<H", data, at + 28)[0]] == name:
            struct.pack_into("<I", data, at + 24, declared)
        at = data.find(b"PK\x01\x02", at + 4)
    lying = path.with_name("lying.xlsx")
    lying.write_bytes(bytes(data))
    with zipfile.ZipFile(lying) as archive:
        assert archive.getinfo(member).file_size == declared
    return lying


def test_a_zip_directory_that_understates_a_part_is_refused_as_such(tmp_path: Path) -> None:
    """The directory cap cannot see this bomb; the reader stops where the declared size ends."""
    p = _understate_size(_xlsx_with_a_sheet_of(tmp_path, 3_000_000), "xl/worksheets/sheet1.xml", 1000)
    with pytest.raises(FileRefused) as e:
        read_tables(p, max_bytes=100_000)
    assert e.value.message == (
        "文件内部记录的大小与实际内容不符（解压后比声明的大），文件已损坏或是压缩炸弹，已拒绝读取"
        " (a part of the workbook unpacks to more than its declared size)"
    )
    assert e.value.details["part"] == "xl/worksheets/sheet1.xml"


def test_an_understated_styles_part_is_refused_as_such_too(tmp_path: Path) -> None:
    plain = write_xlsx(tmp_path / "plain.xlsx", {"Sheet": [["姓名", "手机"], ["张伟", "13812345678"]]})
    padded = tmp_path / "padded.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/styles.xml":
                body = body.replace(b"<numFmts", b" " * 3_000_000 + b"<numFmts", 1) if b"<numFmts" in body else body + b" " * 3_000_000
            dst.writestr(info.filename, body)
    with pytest.raises(FileRefused) as e:
        read_tables(_understate_size(padded, "xl/styles.xml", 500))
    assert "(a part of the workbook unpacks to more than its declared size)" in e.value.message
    assert e.value.details["part"] == "xl/styles.xml"
