"""Workbooks read through python-calamine come out as the text Excel shows, column by column.

Every test states its expected values outright. The workbooks run past the first 20 rows,
which become text cell by cell (:data:`~leadgraph.ingest.workbooks.HEAD_ROWS`); below them
whole columns are converted, and a column whose cells share one type takes a faster path
than one mixing types, so both kinds are here: Excel's own layout (XlsxWriter: shared
strings, cached formula values and errors, merged ranges), openpyxl's inline strings, the
same package rewritten the ways other writers write it (``x:`` prefixes, rows without
numbers, parts stored unzipped, a wrong ``<dimension>``), the number formats of Excel and
WPS lists, and body columns that mix types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from leadgraph.errors import FileRefused
from leadgraph.schema import default_schema
from leadgraph.ingest.readers import RawSheet, read_tables
from leadgraph.ingest.workbooks import workbook_grids
from tests.ingest.badfiles import (
    EVERY_TYPE_HEADER,
    MIXED_COLUMNS,
    NUMBER_FORMATS,
    add_empty_shared_string,
    add_valueless_shared_string_cell,
    drop_cell_references,
    drop_row_numbers,
    set_dimension,
    store_uncompressed,
    use_x_prefix,
    write_every_cell_type,
    write_every_cell_type_inline,
    write_format_columns,
    write_format_columns_xls,
    write_formats_by_row,
    write_mixed_column,
    write_number_formats,
    write_numbered_list,
    write_xls,
)

BODY_ROWS = 100
"""Body rows of every workbook here (the writers' default)."""


def table(sheet: RawSheet) -> list[tuple[int, dict[str, str]]]:
    return [(r.line, r.values) for r in sheet.rows]


# ------------------------------------------------------------- every kind of cell

AMOUNTS = [
    "0.3", "0.333333333333333", "0.0000001", "0.00000000000123", "1234567.891", "0",  # −0 shows as 0
    "1000000000000000", "110101199001011000", "12345678901234600000", "0", "2.5", "-3.75", "1.5000000002",
    "123456789012346", "999999999999999",
]  # fmt: skip
"""投资额 as shown: 15 significant digits, never in scientific notation, no trailing .0."""


def every_type_row(i: int, *, excel: bool = True) -> dict[str, str]:
    """Body row ``i`` of :func:`write_every_cell_type` (``excel``) or of its inline-string twin.

    openpyxl writes a ``\\r`` raw (XML reads it back as ``\\n``) and leaves a literal
    ``_x000D_`` unescaped (read back as ``\\r``); its formulas carry no cached value.
    """
    names = ["张伟", "李四", "王五", "赵\n六", "钱\r七", "孙_x000D_八", "NA", "null", "周九"]
    if not excel:
        names[4:6] = ["钱\n七", "孙\r八"]
    ids = ["110101199001011232", "11010119900101123X", f"3302031985{i:08d}"]
    returned = "" if i % 11 == 5 else "1900-03-01" if i == 2 else (dt.date(2024, 1, 1) + dt.timedelta(days=i)).isoformat()
    values = [
        names[i % 9], f"138000000{i:02d}", f"0571-8888{i:04d}", ids[i % 3], str(1950 + i),
        "" if i % 7 == 3 else AMOUNTS[i % 15], ["12.50%", "12.34567%", "100.00%"][i % 3], returned,
        f"{dt.datetime(2024, 3, 5, 8, 30, 15) + dt.timedelta(hours=i):%Y-%m-%d %H:%M:%S}",  # .4 s dropped
        ["08:30:00", "00:00:00", "23:59:59.999000"][i % 3],
        f"{26 + i}:05:00",  # [h]:mm:ss durations: elapsed hours, as Excel shows them
        "TRUE" if i % 2 == 0 else "FALSE",
        str((1950 + i) * 2) if excel else "",  # cached value of =E5*2
        "" if i % 4 in (1, 3) or not excel else "1",  # cached #N/A and #DIV/0! show as ''
        ["城关镇", "城关镇", "城关镇", "新塘乡", "双桥镇"][i % 5],  # excel: merged over 3 rows, filled down
        "", "备用" if i % 9 == 0 else "",
    ]  # fmt: skip
    header = EVERY_TYPE_HEADER[:]
    if excel:
        header[1:3] = ["联系方式-手机", "联系方式-座机"]
    return dict(zip(header, values))


EVERY_TYPE_NOTES = [
    "跳过隐藏工作表「草稿」",
    "表头在第 3 行，其上 2 行标题/说明已跳过",
    "表头为两行（第 3–4 行），分组标题与子标题用“-”连接，如“联系方式-手机”",
    f"合并单元格已向下填充：“乡镇”第 {'、'.join(f'{n}–{n + 2}' for n in range(5, 101, 5))} 行",
    "跳过合计/小计行：第 105 行",
    "跳过备注/说明行：第 106–107 行",
    "跳过签名栏（填报人/审核人等）：第 108 行",
]

EXCEL_LAYOUT_VARIANTS: dict[str, tuple[Callable[[Path], Path], dict[str, Any]]] = {
    "as XlsxWriter saves it": (lambda p: p, {}),
    "x: prefixes (.NET Open XML SDK)": (use_x_prefix, {}),
    "rows without numbers": (drop_row_numbers, {}),
    "parts stored, not deflated": (store_uncompressed, {}),
    "an unused <si/>": (add_empty_shared_string, {}),
    'a <c t="s"/> without value': (add_valueless_shared_string_cell, {}),
    "<dimension> claims too few rows": (lambda p: set_dimension(p, 50), {}),
    "<dimension> claims too many rows": (lambda p: set_dimension(p, 5000), {}),
    "with a header hint": (lambda p: p, {"header_hint": lambda texts: sum(t in {"姓名", "手机", "身份证号"} for t in texts)}),
}


@pytest.mark.parametrize("variant", list(EXCEL_LAYOUT_VARIANTS))
def test_every_kind_of_cell_in_excels_layout_comes_out_as_excel_shows_it(tmp_path: Path, variant: str) -> None:
    rewrite, kwargs = EXCEL_LAYOUT_VARIANTS[variant]
    main, small = read_tables(rewrite(write_every_cell_type(tmp_path / "a.xlsx")), **kwargs)
    assert main.name == "名录" and main.header_line == 4
    assert main.header == list(every_type_row(0))
    assert table(main) == [(5 + i, every_type_row(i)) for i in range(BODY_ROWS)]
    assert main.notes == EVERY_TYPE_NOTES
    assert (small.name, small.header, table(small), small.notes) == (
        "商会", ["会员", "职务", "入会日期"], [(2, {"会员": "王五", "职务": "会长", "入会日期": "2020-05-01"})], []
    )


def test_every_kind_of_cell_spelled_out(tmp_path: Path) -> None:
    """A few of the rows above, written out literally."""
    rows = dict(table(read_tables(write_every_cell_type(tmp_path / "a.xlsx"))[0]))
    assert [rows[line]["投资额"] for line in range(21, 38)] == [
        "0.333333333333333", "", "0.00000000000123", "1234567.891", "0", "1000000000000000", "110101199001011000",
        "12345678901234600000", "", "2.5", "-3.75", "1.5000000002", "123456789012346", "999999999999999", "0.3",
        "", "0.0000001",
    ]  # fmt: skip
    assert rows[27] == {
        "姓名": "钱\r七", "联系方式-手机": "13800000022", "联系方式-座机": "0571-88880022",
        "身份证号": "11010119900101123X", "出生年份": "1972", "投资额": "110101199001011000", "占比": "12.34567%",
        "回乡日期": "2024-01-23", "登记时间": "2024-03-06 06:30:15", "到访时刻": "00:00:00",
        "时长": "48:05:00", "是否会员": "TRUE", "公式": "3944", "查找": "1", "乡镇": "城关镇",
        "空列": "", "备用": "",
    }  # fmt: skip
    assert [rows[line]["查找"] for line in (25, 26, 28)] == ["1", "", ""]  # cached #N/A and #DIV/0!: ''
    assert [rows[line]["到访时刻"] for line in (23, 24, 25)] == ["08:30:00", "00:00:00", "23:59:59.999000"]
    assert [rows[line]["乡镇"] for line in (5, 6, 7, 8, 9)] == ["城关镇", "城关镇", "城关镇", "新塘乡", "双桥镇"]


def test_every_kind_of_cell_with_inline_strings_comes_out_as_excel_shows_it(tmp_path: Path) -> None:
    (sheet,) = read_tables(write_every_cell_type_inline(tmp_path / "a.xlsx"))
    assert sheet.header == EVERY_TYPE_HEADER and sheet.header_line == 2
    assert table(sheet) == [(3 + i, every_type_row(i, excel=False)) for i in range(BODY_ROWS)]
    assert sheet.notes == ["表头在第 2 行，其上 1 行标题/说明已跳过", "跳过合计/小计行：第 103 行"]


def test_a_sheet_longer_than_max_rows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused) as e:
        read_tables(write_every_cell_type(tmp_path / "a.xlsx"), max_rows=30)
    assert e.value.message == "工作表「名录」有 108 行，超过 30 行的上限 (sheet has more rows than the max_rows cap of 30)"
    assert e.value.details == {"sheet": "名录", "max_rows": 30}


def test_workbook_grids_gives_each_sheet_as_columns_of_text_with_its_merges(tmp_path: Path) -> None:
    main, small, hidden = workbook_grids(write_every_cell_type(tmp_path / "a.xlsx").read_bytes(), 1_000_000)
    assert (small.name, small.columns, small.merges, small.notes) == (
        "商会", [["会员", "王五"], ["职务", "会长"], ["入会日期", "2020-05-01"]], [], []
    )
    assert (hidden.name, hidden.columns, hidden.notes) == ("草稿", [], ["跳过隐藏工作表「草稿」"])
    assert (main.name, main.height, len(main.columns)) == ("名录", 108, 17)
    assert main.columns[0][:5] == ["示例县在外乡贤名录（每种单元格）", "填报单位：示例县招商局", "姓名", "", "张伟"]
    assert main.columns[14][4:10] == ["城关镇", "", "", "新塘乡", "双桥镇", "城关镇"]  # merged cells: not yet filled
    assert {((0, 0), (0, 16)), ((2, 1), (2, 2)), ((2, 0), (3, 0)), ((4, 14), (6, 14))} <= set(main.merges)


# ------------------------------------------------------------------ number formats

NOT_DATES = {
    "General", "0", "0.00", "#,##0", "#,##0.00", "0%", "0.00%", "0.00E+00", "# ?/?", "@", "#,##0.00_);[Red](#,##0.00)",
    "0_ ", "¥#,##0.00", "000000", '"是";"否"', '#,##0;-#,##0;"-"', '@"元"', '0.0"万"',
}  # fmt: skip
DURATIONS = {"[h]:mm:ss"}
"""Dates are all the others, weekday names too (aaaa shows 星期二): they come out as the date."""


SHOWN_AS = {
    "0.00": ("{n}.50", "0.25"), "#,##0.00": ("{n}.50", "0.25"), "#,##0.00_);[Red](#,##0.00)": ("{n}.50", "0.25"),
    "0%": ("{n}50%", "25%"), "0.00%": ("{n}50.00%", "25.00%"), "¥#,##0.00": ("¥{n}.50", "¥0.25"),
    '0.0"万"': ("{n}.5万", "0.25万"), "000000": ("0{n}.5", "000000.25"),  # a code's leading zeros
}  # fmt: skip
"""Numbers whose format shows decimals, a percentage or text: as shown (no thousands separators,
never fewer digits than stored: 0.25 in 0.0"万" is 0.25万)."""


def number_format_text(number_format: str, r: int) -> str:
    """Row ``r`` (1-based) of a :func:`write_number_formats` column: 45292.5 + r when odd, 0.25 when even."""
    if number_format in SHOWN_AS:
        odd, even = SHOWN_AS[number_format]
        return odd.format(n=45292 + r) if r % 2 else even
    if number_format in NOT_DATES:
        return f"{45292 + r}.5" if r % 2 else "0.25"
    if number_format in DURATIONS:
        return f"{(45292 + r) * 24 + 12}:00:00" if r % 2 else "6:00:00"
    return f"{dt.date(2024, 1, 1) + dt.timedelta(days=r)} 12:00:00" if r % 2 else "06:00:00"  # below 1: time of day


def test_number_formats_of_excel_and_wps_lists_make_dates_or_numbers(tmp_path: Path) -> None:
    (sheet,) = read_tables(write_number_formats(tmp_path / "a.xlsx"))
    assert sheet.header == [f"格式{c}" for c in range(len(NUMBER_FORMATS))]
    assert len(NOT_DATES) + len(DURATIONS) == 19 and len(NUMBER_FORMATS) == 45
    assert table(sheet) == [
        (r + 1, {f"格式{c}": number_format_text(f, r) for c, f in enumerate(NUMBER_FORMATS)})
        for r in range(1, BODY_ROWS + 1)
    ]
    assert sheet.notes == []


# ------------------------------------------------- elapsed durations and weekday names

DURATION_DAYS = [26 / 24 + 5 / 1440, 0.25, 0.0, 3723.25 / 86400, 45293.5]
"""Durations as Excel stores them, in days: 26 h 5 min, 6 h, 0, 1 h 2 min 3.25 s, 45293.5 days."""
DURATION_TEXTS = {
    "[h]:mm": ["26:05", "6:00", "0:00", "1:02", "1087044:00"],
    "[h]:mm:ss": ["26:05:00", "6:00:00", "0:00:00", "1:02:03", "1087044:00:00"],
    "[hh]:mm": ["26:05", "06:00", "00:00", "01:02", "1087044:00"],
    "[mm]:ss": ["1565:00", "360:00", "00:00", "62:03", "65222640:00"],
    "[ss]": ["93900", "21600", "00", "3723", "3913358400"],
    "[h]:mm:ss.00": ["26:05:00.00", "6:00:00.00", "0:00:00.00", "1:02:03.25", "1087044:00:00.00"],
    '[h]"时"mm"分"': ["26时05分", "6时00分", "0时00分", "1时02分", "1087044时00分"],
    "[h]\\h mm\\m": ["26h 05m", "6h 00m", "0h 00m", "1h 02m", "1087044h 00m"],
    "[Red][h]:mm;[Blue]-[h]:mm": ["26:05", "6:00", "0:00", "1:02", "1087044:00"],
    "[h]:mm;@": ["26:05", "6:00", "0:00", "1:02", "1087044:00"],
}
"""What Excel shows for each of :data:`DURATION_DAYS` in each elapsed-time format."""


def _format_table(formats: list[str], texts: Callable[[str, int], str], rows: int = 60) -> list[tuple[int, dict[str, str]]]:
    return [(r + 1, {**{f"格式{c}": texts(f, r - 1) for c, f in enumerate(formats)}}) for r in range(1, rows + 1)]


def test_elapsed_durations_come_out_as_excel_shows_them(tmp_path: Path) -> None:
    formats = list(DURATION_TEXTS)
    (sheet,) = read_tables(write_format_columns(tmp_path / "a.xlsx", formats, DURATION_DAYS))
    rows = [(line, {k: v for k, v in values.items() if k != "日期"}) for line, values in table(sheet)]
    assert rows == _format_table(formats, lambda f, i: DURATION_TEXTS[f][i % len(DURATION_DAYS)])


def test_a_duration_in_an_xls_file_comes_out_as_elapsed_hours(tmp_path: Path) -> None:
    """Built-in format 46, [h]:mm:ss: elapsed hours, minutes, seconds."""
    rows = [["姓名", "时长"], *([f"甲{i}", dt.timedelta(hours=26 + i, minutes=5)] for i in range(30))]
    (sheet,) = read_tables(write_xls(tmp_path / "a.xls", {"名录": rows}))
    assert [values["时长"] for _, values in table(sheet)] == [f"{26 + i}:05:00" for i in range(30)]


WEEKDAY_FORMATS = ["aaaa", "aaa", "[$-804]aaaa;@", '"星期"aaa', "[$-zh-CN]aaaa", "[DBNum1]aaaa"]
"""Formats that show a date as its weekday only (aaaa: 星期二, aaa: 二); python-calamine takes them for numbers."""
SERIALS = [45293.5, 45292.0, 0.25, 1.0, 59.0, 60.0, 61.0, 59.75, 2958465.0]


@pytest.mark.parametrize("date_1904", [False, True])
def test_weekday_formats_come_out_as_the_date_like_any_date_format(tmp_path: Path, date_1904: bool) -> None:
    path = write_format_columns(tmp_path / "a.xlsx", WEEKDAY_FORMATS, SERIALS, date_1904=date_1904)
    (sheet,) = read_tables(path)
    for _, values in table(sheet):
        assert {values[f"格式{c}"] for c in range(len(WEEKDAY_FORMATS))} == {values["日期"]}
    first = [values["格式0"] for _, values in table(sheet)[:3]]
    if date_1904:
        assert first == ["2028-01-03 12:00:00", "2028-01-02", "06:00:00"]
    else:
        assert first == ["2024-01-02 12:00:00", "2024-01-01", "06:00:00"]


def test_a_column_whose_cells_change_format_row_by_row_takes_each_cells_own(tmp_path: Path) -> None:
    formats = ["aaaa", "0.00", "[h]:mm", "yyyy-mm-dd", "[h]:mm:ss", "General"]
    values = [45292.0, 45292.0, 26 / 24 + 5 / 1440, 45292.0, 26 / 24 + 5 / 1440, 1.5]
    texts = ["2024-01-01", "45292.00", "26:05", "2024-01-01", "26:05:00", "1.5"]
    for path in (tmp_path / "a.xlsx", tmp_path / "b.xlsx"):
        written = write_formats_by_row(path, formats, values)
        if path.name == "b.xlsx":
            drop_cell_references(written)  # cells without r="B2": found by their place
        (sheet,) = read_tables(written)
        assert table(sheet) == [(i + 2, {"姓名": f"甲{i}", "值": texts[i % 6]}) for i in range(60)]


# ------------------------------------------------------------------------ 合计 rows


@pytest.mark.parametrize("trailing_blank_rows", [0, 30])
def test_numbered_list_drops_its_total_and_remark_rows(tmp_path: Path, trailing_blank_rows: int) -> None:
    """序号 numbers above a 合计 text cell; bordered blank rows below the list change nothing."""
    (sheet,) = read_tables(write_numbered_list(tmp_path / "a.xlsx", trailing_blank_rows=trailing_blank_rows))
    assert sheet.header == ["序号", "姓名", "投资额"]
    assert table(sheet) == [
        (i + 2, {"序号": str(i + 1), "姓名": f"甲{i}", "投资额": f"{i // 2}.5" if i % 2 else str(i // 2)})
        for i in range(BODY_ROWS)
    ]
    assert sheet.notes == ["跳过合计/小计行：第 102 行", "跳过备注/说明行：第 103 行"]


# ------------------------------------------------------------ columns mixing types


def _halves(i: int) -> str:
    return f"{i * 3 // 2}.5" if i % 2 else str(i * 3 // 2)  # i * 1.5


MIXED_TEXTS: dict[str, Callable[[int], str]] = {
    "phones as numbers and text": lambda i: f"138000000{i:02d}" if i % 2 else f"1390000{i:04d}",
    "NA among numbers": lambda i: "NA" if i == 30 else _halves(i),
    "nan among numbers": lambda i: "nan" if i == 30 else _halves(i),
    "dates and text dates": lambda i: "2024.1.1" if i == 30 else str(dt.date(2024, 1, 1) + dt.timedelta(days=i)),
    "booleans and numbers": lambda i: ("TRUE" if i % 2 == 0 else "FALSE") if i % 3 else str(i),
    "date of serial 1": lambda i: "1900-01-01" if i == 30 else "2024-01-01",
    "ISO date cell": lambda i: "2024-01-01 08:30:00" if i == 30 else str(i),
    "−0 among numbers": lambda i: "0" if i == 30 else f"{i}.25",
    "15+ digits among numbers": lambda i: {30: "110101199001011000", 31: "1000000000000000"}.get(i, f"{i}.25"),
}


def test_every_mixed_column_case_has_its_expected_texts() -> None:
    assert MIXED_TEXTS.keys() == MIXED_COLUMNS.keys()


@pytest.mark.parametrize("case", list(MIXED_COLUMNS))
def test_a_body_column_mixing_types_comes_out_cell_by_cell_as_excel_shows_it(tmp_path: Path, case: str) -> None:
    (sheet,) = read_tables(write_mixed_column(tmp_path / "a.xlsx", case))
    assert sheet.header == ["姓名", "值"] and sheet.notes == []
    assert table(sheet) == [(i + 2, {"姓名": f"甲{i}", "值": MIXED_TEXTS[case](i)}) for i in range(BODY_ROWS)]


# ------------------------------------------- percentages, decimals and units, loaded


def test_percent_decimal_and_unit_formats_load_as_the_clerk_sees_them(tmp_path: Path) -> None:
    """A 12.50% share is 12.5 (not 0.125); 2024.10 in a 0.00 cell is October; 1.50万元 is 万元."""
    import openpyxl

    from leadgraph.graph import EmbeddedStore
    from leadgraph.ingest.loader import ingest_file

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "企业高管"
    ws.append(["姓名", "单位", "手机", "持股比例（%）"])
    for row, fmt in ((["孙明", "宁波甬江实业有限公司", "13600001111", 0.125], "0.00%"),
                     (["陈立", "宁波甬江实业有限公司", "13600004444", 0.05], "0%"),
                     (["钱亮", "宁波甬江实业有限公司", "13600002222", "12.5%"], None)):  # fmt: skip
        ws.append(row)
        if fmt:
            ws.cell(ws.max_row, 4).number_format = fmt
    book.save(tmp_path / "高管.xlsx")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "项目台账"
    ws.append(["项目名称", "投资额", "签约日期"])
    ws.append(["膜材料扩产项目", 1.5, 2024.1])
    ws["B2"].number_format, ws["C2"].number_format = '0.00"万元"', "0.00"
    ws.append(["光学膜项目", 2.5, 2024.1])  # General: 2024.1 is January, 2.5 in the column's 亿元
    book.save(tmp_path / "台账.xlsx")

    with EmbeddedStore(tmp_path / "x.db") as store:
        report = ingest_file(store, tmp_path / "高管.xlsx", kind="executives")
        assert report.rejected == [] and report.flagged == []
        shares = {store.get_node(e.src).name: e.props["share_pct"] for e in store.iter_edges("SHAREHOLDER_OF")}
        assert shares == {"孙明": 12.5, "陈立": 5.0, "钱亮": 12.5}
        report = ingest_file(store, tmp_path / "台账.xlsx", kind="projects")
        assert report.rejected == [] and report.flagged == []
        projects = {n.name: (n.props["amount_yi"], n.props["signed_on"]) for n in store.iter_nodes("Project")}
        assert projects == {"膜材料扩产项目": (0.00015, "2024-10"), "光学膜项目": (2.5, "2024-01")}


# ------------------------------------------------------------------------ hidden rows


def test_hidden_rows_are_read_like_any_other_and_named_in_a_note(tmp_path: Path) -> None:
    """A clerk hides the rows of people who moved away, or saves with a filter on: the rows
    are still the list's (a filter is no deletion), and the report says which were hidden."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "名录"
    ws.append(["示例县在外乡贤名录"])
    ws.append(["姓名", "手机"])
    for i in range(8):
        ws.append([f"甲{i}", f"1380000000{i}"])
    for line in (1, 4, 5, 9):  # the title row too: not a data row, not named
        ws.row_dimensions[line].hidden = True
    book.save(tmp_path / "a.xlsx")
    (sheet,) = read_tables(tmp_path / "a.xlsx")
    assert [values["姓名"] for _, values in table(sheet)] == [f"甲{i}" for i in range(8)]
    assert sheet.notes[-1] == "隐藏的行已照常导入：第 4–5、9 行（如不应导入，请在原表中删除这些行）"
    book.close()
    ws.row_dimensions[4].hidden = ws.row_dimensions[5].hidden = ws.row_dimensions[9].hidden = False
    book.save(tmp_path / "b.xlsx")
    (sheet,) = read_tables(tmp_path / "b.xlsx")
    assert not any("隐藏" in note for note in sheet.notes)


MORE_FORMATS = {
    '#,##0.00,,"百万"': [(12345678.0, "12.345678百万")], '0.00,"千"': [(1234567.0, "1234.567千")],
    "[$$-409]#,##0.00": [(2.0, "$2.00")], "[$¥-804]#,##0.00": [(3.0, "¥3.00")],
    '[>=10000]0.00,"万";0': [(12345.0, "12345")], '"盈"0.00;"亏"0.00': [(1.5, "盈1.50"), (-1.5, "-1.5")],
    '"ID"000000': [(123.0, "ID000123")], "#,##0.00;[Red]-#,##0.00": [(-3.5, "-3.5"), (3.5, "3.50")],
}  # fmt: skip
"""Scaling commas divide by 1,000 each; a currency tag shows its symbol; a conditional format
and a negative number in a format with its own negative section keep the stored number."""


def test_scaled_currency_sectioned_and_conditional_formats(tmp_path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(tmp_path / "a.xlsx"))
    ws = book.add_worksheet("名录")
    ws.write_row(0, 0, ["格式", "值"])
    expected = []
    for fmt, cases in MORE_FORMATS.items():
        cell_format = book.add_format({"num_format": fmt})
        for value, shown in cases:
            ws.write_string(len(expected) + 1, 0, fmt)
            ws.write_number(len(expected) + 1, 1, value, cell_format)
            expected.append((len(expected) + 2, {"格式": fmt, "值": shown}))
    book.close()
    (sheet,) = read_tables(tmp_path / "a.xlsx")
    assert table(sheet) == expected


def test_number_columns_take_a_cells_own_unit_but_never_a_scaling_one(tmp_path: Path) -> None:
    """1975年, 500人 and ￥3 are numbers; 12.50亿元 goes into 营收（亿元） as an amount; 3万人 is
    refused rather than guessed; a 10% tie strength is 0.1, a 12.5% share is 12.5."""
    from leadgraph.graph import EmbeddedStore
    from leadgraph.ingest.loader import ingest_file

    rows = [["名称", "营收（亿元）", "员工数"], ["甲公司", "12.50亿元", "500人"], ["乙公司", "3000万元", "3万人"]]
    import csv

    with (tmp_path / "企业名录.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with EmbeddedStore(tmp_path / "x.db") as store:
        report = ingest_file(store, tmp_path / "企业名录.csv", kind="organizations")
        firms = {n.name: (n.props.get("revenue_yi"), n.props.get("employees")) for n in store.iter_nodes("Organization")}
        assert firms == {"甲公司": (12.5, 500), "乙公司": (0.3, None)}
        assert [f.reason for f in report.flagged] == ["员工数：「3万人」带单位「万人」，请按表头的单位只填数字"]
    from leadgraph.ingest.cells import parse_cell

    schema = default_schema()
    assert parse_cell("float", "10%", schema) == (0.1, None) and parse_cell("pct", "12.5%", schema) == (12.5, None)
    assert parse_cell("int", "1975年", schema) == (1975, None) and parse_cell("float", "￥3.00", schema) == (3.0, None)


# --------------------------------------------------------------- the same formats in a .xls

XLS_VALUES = [45293.5, 0.25, 0.125, 2024.1, 123.0, -1.5, 12345678.0, 1.5, 0.0]
"""Numbers a list holds: a date-time, a time of day, a share, a year and month, a code, a
negative, an amount, a duration (36 h), zero; each as short in 15 digits as in 17 (XlsxWriter
writes 15)."""


def test_an_xls_cell_reads_as_the_same_cell_saved_as_xlsx(tmp_path: Path) -> None:
    """WPS and old templates still save .xls ("Excel 97-2003"). python-calamine gives a .xls cell's
    type but not its format: before, 12.50% read as 0.125, ID000123 as 123 and 2024.10 as 2024.1
    (January). Every format of the .xlsx tables must read the same from a .xls."""
    formats = list(dict.fromkeys([*NUMBER_FORMATS, *MORE_FORMATS, *DURATION_TEXTS, *WEEKDAY_FORMATS, '0.00"万元"']))
    (xlsx,) = read_tables(write_format_columns(tmp_path / "a.xlsx", formats, XLS_VALUES, rows=len(XLS_VALUES)))
    (xls,) = read_tables(write_format_columns_xls(tmp_path / "a.xls", formats, XLS_VALUES, rows=len(XLS_VALUES)))
    assert table(xls) == table(xlsx)
    shown = {f: [values[f"格式{formats.index(f)}"] for _, values in table(xls)] for f in ("0.00%", '"ID"000000', "0.00")}
    assert shown["0.00%"][2:4] == ["12.50%", "202410.00%"]
    assert shown['"ID"000000'][4] == "ID000123" and shown["0.00"][3] == "2024.10"
    hours = "格式%d" % formats.index('[h]"时"mm"分"')
    assert [values[hours] for _, values in table(xls)][7] == "36时00分"
