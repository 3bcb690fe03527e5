"""The small parsers that turn cell text into canonical values."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadgraph.graph.terms import pinyin_terms
from leadgraph.ingest.normalize import (
    AmountParse,
    Checked,
    DateParse,
    PhoneParse,
    is_abbreviation_of,
    nfkc_text,
    normalize_credit_code,
    normalize_header,
    normalize_org_name,
    normalize_person_name,
    normalize_stock_code,
    org_core_name,
    parse_amount_yi,
    parse_date,
    parse_phones,
)

# ---------------------------------------------------------------------------- text


def test_nfkc_text_folds_full_width_drops_zero_width_and_collapses_spaces() -> None:
    assert nfkc_text("\u3000ＡＢＣ\u200b  公司\n\n１２３\ufeff ") == "ABC 公司 123"


def test_nfkc_text_of_none_or_blank_is_empty() -> None:
    assert nfkc_text(None) == "" and nfkc_text(" \u3000\u200b") == ""


def test_header_padding_and_line_breaks_between_cjk_are_removed() -> None:
    assert normalize_header("姓　　名") == "姓名"
    assert normalize_header("联系\n电话") == "联系电话"
    assert normalize_header("E-mail  Address") == "E-mail Address"


@given(st.text())
def test_nfkc_text_is_idempotent(s: str) -> None:
    assert nfkc_text(nfkc_text(s)) == nfkc_text(s)


# -------------------------------------------------------------------------- people


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张 伟", "张伟"),
        (" 欧阳　娜娜 ", "欧阳娜娜"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("阿依古丽 ・ 买买提", "阿依古丽·买买提"),
        ("阿依古丽.买买提", "阿依古丽·买买提"),
        ("John   Smith", "John Smith"),
        ("李〇", "李〇"),  # 〇 is not "fixed" to O or 0
    ],
)
def test_person_names_are_normalised(raw: str, expected: str) -> None:
    assert normalize_person_name(raw) == expected


@given(st.text())
def test_person_name_normalisation_is_idempotent(s: str) -> None:
    once = normalize_person_name(s)
    assert normalize_person_name(once) == once


# -------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("raw", "mobiles", "landlines"),
    [
        ("13812345678", ["13812345678"], []),
        (13812345678, ["13812345678"], []),
        ("13812345678.0", ["13812345678"], []),
        ("１３８ １２３４ ５６７８", ["13812345678"], []),
        ("+86 138-1234-5678", ["13812345678"], []),
        ("0086 13812345678", ["13812345678"], []),
        ("8613812345678", ["13812345678"], []),
        ("138.1234.5678", ["13812345678"], []),
        ("13812345678/13987654321", ["13812345678", "13987654321"], []),
        ("13812345678，13987654321", ["13812345678", "13987654321"], []),
        ("13812345678；13987654321", ["13812345678", "13987654321"], []),
        ("13812345678、13987654321", ["13812345678", "13987654321"], []),
        ("13812345678 13987654321", ["13812345678", "13987654321"], []),
        ("1381234567813987654321", ["13812345678", "13987654321"], []),
        ("13812345678（微信同号）", ["13812345678"], []),
        ("13812345678(微信)", ["13812345678"], []),
        ("同微信 13812345678", ["13812345678"], []),
        ("手机：13812345678 座机：0571-88888888", ["13812345678"], ["0571-88888888"]),
        ("0571-88888888", [], ["0571-88888888"]),
        ("057188888888", [], ["0571-88888888"]),
        ("(0571)88888888", [], ["0571-88888888"]),
        ("010 12345678", [], ["010-12345678"]),
        ("0571-88888888转123", [], ["0571-88888888-123"]),
        ("0571-88888888-123", [], ["0571-88888888-123"]),
        ("0571－8888888", [], ["0571-8888888"]),
        ("400-123-4567", [], ["400-123-4567"]),
        ("88888888", [], ["88888888"]),
        ("+1 415 555 0123", [], ["+14155550123"]),
        ("13812345678, 13812345678", ["13812345678"], []),
    ],
)
def test_phone_cells_are_split_into_mobiles_and_landlines(raw: str, mobiles: list[str], landlines: list[str]) -> None:
    assert parse_phones(raw) == PhoneParse(mobiles, landlines, None)


def test_phone_in_scientific_notation_is_refused_as_unrecoverable() -> None:
    assert parse_phones("1.38123E+10") == PhoneParse([], [], "手机号被 Excel 存成科学计数法，位数已丢失")


def test_phone_in_scientific_notation_with_every_digit_is_recovered() -> None:
    assert parse_phones("1.3812345678E+10") == PhoneParse(["13812345678"], [], None)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("1381234567", "无法识别的号码：1381234567"),
        ("12812345678", "无法识别的号码：12812345678"),
        ("13812345678 123", "无法识别的号码：123"),
        ("不详的号码", "没有可识别的电话号码"),
    ],
)
def test_invalid_phone_text_reports_a_problem(raw: str, problem: str) -> None:
    assert parse_phones(raw).problem == problem


def test_partly_valid_phone_cell_keeps_the_valid_number_and_reports_the_rest() -> None:
    assert parse_phones("13812345678 123") == PhoneParse(["13812345678"], [], "无法识别的号码：123")


@pytest.mark.parametrize("raw", ["", None, "无", "暂无", "/", "-"])
def test_empty_phone_placeholders_are_empty_without_a_problem(raw: str | None) -> None:
    assert parse_phones(raw) == PhoneParse([], [], None)


@given(st.text())
def test_parse_phones_never_raises_and_returns_only_valid_mobiles(s: str) -> None:
    result = parse_phones(s)
    assert all(len(m) == 11 and m[0] == "1" and m.isdigit() for m in result.mobiles)


# --------------------------------------------------------------------- organisations


@pytest.mark.parametrize(
    ("raw", "full", "core"),
    [
        ("宁波激智科技股份有限公司", "宁波激智科技股份有限公司", "激智科技"),
        ("江苏（常州）示例薄膜有限公司", "江苏（常州）示例薄膜有限公司", "示例薄膜"),
        ("江苏(常州)示例薄膜 有限公司", "江苏（常州）示例薄膜有限公司", "示例薄膜"),
        ("示例薄膜科技（上海）有限公司", "示例薄膜科技（上海）有限公司", "示例薄膜科技"),
        ("浙江省宁波市激智科技有限责任公司", "浙江省宁波市激智科技有限责任公司", "激智科技"),
        ("常州市示例集团有限公司", "常州市示例集团有限公司", "示例"),
        ("示例控股集团股份有限公司", "示例控股集团股份有限公司", "示例控股"),
        ("宁波激智科技股份有限公司苏州分公司", "宁波激智科技股份有限公司苏州分公司", "激智科技"),
        ("示例创业投资基金（有限合伙）", "示例创业投资基金（有限合伙）", "示例创业投资基金"),
        ("中国平安保险（集团）股份有限公司", "中国平安保险（集团）股份有限公司", "中国平安保险"),
        ("上海电气", "上海电气", "电气"),
        ("上海", "上海", "上海"),  # never stripped to nothing
        ("Example Film Co., Ltd.", "Example Film Co., Ltd.", "example film"),
        ("Zinc Inc.", "Zinc Inc.", "zinc"),
    ],
)
def test_org_names_have_a_canonical_full_name_and_a_core(raw: str, full: str, core: str) -> None:
    assert normalize_org_name(raw) == full
    assert org_core_name(raw) == core


@pytest.mark.parametrize(
    ("short", "full", "expected"),
    [
        ("激智", "宁波激智科技股份有限公司", True),
        ("激智科技", "宁波激智科技股份有限公司", True),
        ("宁波激智", "宁波激智科技股份有限公司", True),
        ("示例膜", "江苏（常州）示例薄膜有限公司", True),
        ("智激", "宁波激智科技股份有限公司", False),
        ("激", "宁波激智科技股份有限公司", False),
        ("宁波激智科技股份有限公司", "宁波激智科技股份有限公司", False),
        ("长阳", "宁波激智科技股份有限公司", False),
    ],
)
def test_is_abbreviation_of(short: str, full: str, expected: bool) -> None:
    assert is_abbreviation_of(short, full) is expected


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("45292", DateParse(dt.date(2024, 1, 1), "day")),
        ("45292.5", DateParse(dt.date(2024, 1, 1), "day")),
        ("2024.1.1", DateParse(dt.date(2024, 1, 1), "day")),
        ("2024/1/1", DateParse(dt.date(2024, 1, 1), "day")),
        ("2024-01-01", DateParse(dt.date(2024, 1, 1), "day")),
        ("２０２４年１月１日", DateParse(dt.date(2024, 1, 1), "day")),
        ("2024年1月1号", DateParse(dt.date(2024, 1, 1), "day")),
        ("2024-01-01 00:00:00", DateParse(dt.date(2024, 1, 1), "day")),
        ("2024-01-01T08:30:00", DateParse(dt.date(2024, 1, 1), "day")),
        ("20240101", DateParse(dt.date(2024, 1, 1), "day")),
        ("2024年1月", DateParse(dt.date(2024, 1, 1), "month")),
        ("2024.1", DateParse(dt.date(2024, 1, 1), "month")),
        ("2024-01", DateParse(dt.date(2024, 1, 1), "month")),
        ("202401", DateParse(dt.date(2024, 1, 1), "month")),
        ("2024年", DateParse(dt.date(2024, 1, 1), "year")),
        ("1965.3.2", DateParse(dt.date(1965, 3, 2), "day")),
        ("", DateParse(None, None, None)),
    ],
)
def test_date_spellings_parse(raw: str, expected: DateParse) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("2024-02-30", "日期不存在：2024-02-30"),
        ("24.1.1", "年份只有两位，无法确定：24.1.1"),
        ("12345", "数字 12345 不像日期（按 Excel 序号是 1933-10-18）"),
        ("下个月", "无法识别的日期：下个月"),
    ],
)
def test_bad_dates_report_a_problem(raw: str, problem: str) -> None:
    assert parse_date(raw) == DateParse(None, None, problem)


@pytest.mark.parametrize(
    ("raw", "text"),
    [("2024年1月5日", "2024-01-05"), ("2024年1月", "2024-01"), ("202401", "2024-01"), ("2024年度", "2024"), ("45292", "2024-01-01"), ("", None), ("下个月", None)],
)
def test_a_date_is_written_at_the_precision_it_was_given(raw: str, text: str | None) -> None:
    assert parse_date(raw).text == text


def test_serial_range_can_be_widened_for_birth_dates() -> None:
    result = parse_date("23743", serial_range=(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
    assert result == DateParse(dt.date(1965, 1, 1), "day")


# ------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("3亿元", "亿元", 3.0),
        ("3亿", "亿元", 3.0),
        ("5000万元", "亿元", 0.5),
        ("5000万", "亿元", 0.5),
        ("12000000元", "亿元", 0.12),
        ("1.5", "亿元", 1.5),
        ("1.5", "万元", 0.00015),
        ("15000", "万元", 1.5),
        ("１,２００万", "亿元", 0.12),
        ("3亿5000万", "亿元", 3.5),
        ("约3亿元", "亿元", 3.0),
        ("3亿元左右", "亿元", 3.0),
        ("2千万", "亿元", 0.2),
        (2.5, "亿元", 2.5),
        ("￥1.50亿", "亿元", 1.5),  # Excel's Chinese currency format shows ￥
        ("¥3,000万元", "亿元", 0.3),
        ("人民币¥2亿", "亿元", 2.0),
        ("CNY 5000万", "亿元", 0.5),
    ],
)
def test_amounts_convert_to_yi_yuan(raw: str, unit: str, expected: float) -> None:
    assert parse_amount_yi(raw, default_unit=unit) == AmountParse(expected, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("3-5亿", "金额是一个范围，无法取值：3-5亿"),
        ("100万美元", "外币金额，未换算成人民币：100万美元"),
        ("3亿5000", "金额缺少单位：3亿5000"),
        ("待定", "无法识别的金额：待定"),
    ],
)
def test_bad_amounts_report_a_problem(raw: str, problem: str) -> None:
    assert parse_amount_yi(raw) == AmountParse(None, problem)


def test_empty_amount_is_none_without_a_problem() -> None:
    assert parse_amount_yi(" ") == AmountParse(None, None)


# --------------------------------------------------------------------------- codes

XIAOMI = "91110108551385082Q"  # 北京小米科技有限责任公司, public
TENCENT = "9144030071526726XG"  # 深圳市腾讯计算机系统有限公司, public


@pytest.mark.parametrize("raw", [XIAOMI, TENCENT, XIAOMI.lower(), " 9111 0108 5513 8508 2Q ", "９１１１０１０８５５１３８５０８２Ｑ"])
def test_valid_credit_codes_are_upper_cased_and_accepted(raw: str) -> None:
    assert normalize_credit_code(raw).problem is None
    assert normalize_credit_code(raw).value in {XIAOMI, TENCENT}


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("91110108551385082A", "统一社会信用代码校验位不对（应为 Q）：91110108551385082A"),
        ("9111010855138508", "统一社会信用代码应为 18 位，这里是 16 位：9111010855138508"),
        ("91110108551385O82Q", "统一社会信用代码含有不允许的字符 O：91110108551385O82Q"),
        ("110108000000016", "这是旧的 15 位工商注册号，不是统一社会信用代码：110108000000016"),
    ],
)
def test_invalid_credit_codes_report_a_problem(raw: str, problem: str) -> None:
    assert normalize_credit_code(raw) == Checked(None, problem)


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_exactly_one_check_character_is_valid(prefix: str) -> None:
    valid = [c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if normalize_credit_code(prefix + c).problem is None]
    assert len(valid) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("300806", "300806.SZ"),
        ("300806.SZ", "300806.SZ"),
        ("SZ300806", "300806.SZ"),
        ("sz.300806", "300806.SZ"),
        ("688299.SH", "688299.SH"),
        ("600000.SS", "600000.SH"),
        ("600000", "600000.SH"),
        ("002594", "002594.SZ"),
        ("2594", "002594.SZ"),  # a numeric cell lost the leading zeros
        (300806, "300806.SZ"),
        ("830799", "830799.BJ"),
        ("430047.BJ", "430047.BJ"),
        ("920001", "920001.BJ"),
        ("00700.HK", "00700.HK"),
        ("700.hk", "00700.HK"),
        ("00700", "00700.HK"),  # five digits kept as text: Hong Kong (A-share codes have six)
        ("01211", "01211.HK"),
        ("09988", "09988.HK"),
    ],
)
def test_stock_codes_are_canonical(raw: str, expected: str) -> None:
    assert normalize_stock_code(raw) == Checked(expected, None)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("600000.SZ", "股票代码 600000 不属于 SZ（应为 SH）：600000.SZ"),
        ("123456", "无法从代码判断交易所：123456"),
        ("激智科技", "无法识别的股票代码：激智科技"),
    ],
)
def test_bad_stock_codes_report_a_problem(raw: str, problem: str) -> None:
    assert normalize_stock_code(raw) == Checked(None, problem)


# -------------------------------------------------------------------------- pinyin


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("张伟", {"zhangwei", "zw"}),
        ("张 伟", {"zhangwei", "zw"}),
        ("曾伟", {"zengwei", "zw", "cengwei", "cw"}),
        ("单伟", {"shanwei", "sw", "danwei", "dw", "chanwei", "cw"}),
        ("Tom Lee", {"tomlee", "tl"}),
        ("", set()),
    ],
)
def test_pinyin_keys_give_full_pinyin_and_initials(name: str, keys: set[str]) -> None:
    assert pinyin_terms(name) == keys


@given(st.text(alphabet="曾单张解长行伟华 ", min_size=1, max_size=6))
def test_pinyin_variants_are_capped_at_four(name: str) -> None:
    assert len(pinyin_terms(name)) <= 4 * 2  # four readings, each as full pinyin and initials


@pytest.mark.parametrize(
    ("text", "code"),
    [("商会/协会", "association"), ("商会／协会", "association"), ("商会", "association"), ("协会", "association"),
     ("association", "association"), ("上市公司", "listed"), ("企业", "company")],
)  # fmt: skip
def test_org_kind_accepts_each_label_it_lists_whole_or_in_part(text, code):
    """The message lists 商会/协会 as allowed: the label as written must be taken too."""
    from leadgraph.ingest.cells import parse_cell
    from leadgraph.schema import default_schema

    assert parse_cell("org_kind", text, default_schema()) == (code, None)


def test_org_kind_refuses_an_unknown_label_listing_the_allowed_ones():
    from leadgraph.ingest.cells import parse_cell
    from leadgraph.schema import default_schema

    value, problem = parse_cell("org_kind", "俱乐部", default_schema())
    assert value is None and problem.startswith("机构类别「俱乐部」无法识别（可用：企业、上市公司、商会/协会")
