"""Small pure functions that turn messy cell text into canonical values.

Every parser returns the value *and* a Chinese reason when it could not, so the
loader can say row by row what it refused and why. Nothing here guesses silently:
when a value cannot be recovered (a phone number Excel rounded into scientific
notation, a credit code with a wrong check character) the value is ``None`` and
``problem`` says why.

Examples
--------
>>> nfkc_text("  ＡＢＣ\u200b  公司 ")
'ABC 公司'
>>> parse_phones("１３８ １２３４ ５６７８（微信同号）").mobiles
['13812345678']
>>> org_core_name("宁波激智科技股份有限公司")
'激智科技'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal, NamedTuple

from leadgraph.graph.orgnames import normalize_org_name, org_core_name, region_stem, strip_org_name
from leadgraph.text import CJK as _CJK
from leadgraph.text import nfkc_text, prose_text, squeeze_cjk_spaces

__all__ = [
    "Checked",
    "AmountParse",
    "DateParse",
    "PhoneParse",
    "nfkc_text",
    "normalize_header",
    "normalize_person_name",
    "parse_phones",
    "normalize_org_name",
    "org_core_name",
    "OrgParts",
    "org_parts",
    "is_abbreviation_of",
    "parse_date",
    "parse_amount_yi",
    "normalize_credit_code",
    "normalize_stock_code",
]

# --------------------------------------------------------------------------- text
# nfkc_text comes from leadgraph.text (the graph layer spells names with it too).


def normalize_header(s: str | None) -> str:
    """Column header text: :func:`nfkc_text`, then no whitespace next to CJK characters.

    Chinese forms pad two-character headers (``姓  名``) and wrap long ones with
    Alt+Enter (``联系\\n电话``); both collapse to the plain label.

    Examples
    --------
    >>> normalize_header("姓　 名")
    '姓名'
    >>> normalize_header("E-mail  Address")
    'E-mail Address'
    """
    return squeeze_cjk_spaces(nfkc_text(s))


# ------------------------------------------------------------------------ persons

_MIDDLE_DOTS = re.compile(r"\s*[·•‧・∙⋅･\u0387\u2027\u30fb\ufe52\uff0e]\s*")
_DOT_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s*\.\s*(?=[{_CJK}])")


def normalize_person_name(s: str | None) -> str:
    """Canonical spelling of a person's name.

    CJK names lose every inner space (``张 伟`` → ``张伟``, a common padding in
    two-character names); Latin names keep single spaces. The middle-dot variants
    used in minority and transliterated names become ``·`` (U+00B7). Look-alike
    characters such as 〇 and O are left alone.

    Examples
    --------
    >>> normalize_person_name(" 张　伟 ")
    '张伟'
    >>> normalize_person_name("阿依古丽•买买提")
    '阿依古丽·买买提'
    >>> normalize_person_name("John  SMITH")
    'John SMITH'
    """
    t = nfkc_text(s)
    t = _MIDDLE_DOTS.sub("·", t)
    t = _DOT_BETWEEN_CJK.sub("·", t)
    return squeeze_cjk_spaces(t)


_NAME_MAX = 60  # Latin names with middle names run long; a Chinese name is a handful of characters
_NOT_A_NAME = re.compile(r"[\d\s+\-().#]+")
_NUMBER_IN_NAME = re.compile(r"\d[\d\s\-]{5,}\d")  # 7+ digits: a phone number typed into the name
_NAME_LIST = re.compile(rf"\S\s*[、;/]\s*\S|[{_CJK}]\s*,|,\s*[{_CJK}]")  # a comma only beside CJK: "Smith, John"
_NAME_NOTE = re.compile(r"(.+?)\s*\(([^()]*)\)")


def check_person_name(name: str) -> tuple[str | None, str | None]:
    """A normalised name cell as ``(name, problem)``: what is not a name is refused with the
    reason (the name is then missing), a remark in brackets is cut off and reported.

    >>> check_person_name("张伟(董事长)")
    ('张伟', '姓名后括号里的「董事长」未作为姓名保存')
    >>> check_person_name("138 0000 1111")
    (None, '姓名「138 0000 1111」是数字，不像人名（是否填错了列？）')
    >>> check_person_name("李娜、王芳")
    (None, '姓名栏写了几个人「李娜、王芳」：请每人一行')
    """
    if not name:
        return None, None
    if len(name) > _NAME_MAX:
        return None, f"姓名太长（{len(name)} 个字符），不像人名：{name[:20]}…"
    if _NOT_A_NAME.fullmatch(name):
        return None, f"姓名「{name}」是数字，不像人名（是否填错了列？）"
    if _NUMBER_IN_NAME.search(name):  # never stored: a name is shown unmasked
        return None, "姓名栏里有一串号码（手机号等应填在手机列），本行未导入"
    if _NAME_LIST.search(name):
        return None, f"姓名栏写了几个人「{name}」：请每人一行"
    notes = []
    while found := _NAME_NOTE.fullmatch(name):  # 张伟(董事长)(退休)
        name = found[1]
        notes.insert(0, found[2])
    if notes:
        return name, f"姓名后括号里的「{'」「'.join(notes)}」未作为姓名保存"
    return name, None


# ---------------------------------------------------------------- gender, township

_GENDERS = {
    "男": "男", "男性": "男", "男士": "男", "先生": "男", "m": "男", "male": "男",
    "女": "女", "女性": "女", "女士": "女", "f": "女", "female": "女",
}  # fmt: skip


def normalize_gender(s: str | None) -> tuple[str | None, str | None]:
    """``(男 | 女 | None, problem)``: the spellings lists use for the two (女性, F, 男士…).
    Anything else is not kept — a gender is a discriminator, and an unknown spelling must
    not make one person two.

    >>> normalize_gender("女性"), normalize_gender(" M "), normalize_gender("保密"), normalize_gender("男女")
    (('女', None), ('男', None), (None, None), (None, '性别「男女」无法识别（请填 男 或 女），未保存'))
    """
    text = nfkc_text(s)
    if not text or text.casefold() in _PLACEHOLDERS or text == "保密":
        return None, None
    found = _GENDERS.get(text.casefold())
    return (found, None) if found else (None, f"性别「{text}」无法识别（请填 男 或 女），未保存")


_ADMIN_PREFIX = re.compile(
    rf"^(?:[{_CJK}]{{2,}}?省(?![县区市]))?(?:[{_CJK}]{{2,}}?市(?![县区市]))?(?:[{_CJK}]{{1,}}?[县区市](?![县区市]))?"
    rf"(?=[{_CJK}]{{2,}}?(?:镇|乡|街道)$)"
)


def normalize_township(s: str | None) -> str | None:
    """A township as a list names it, without the province, city and county before it
    (示例县新塘乡 → 新塘乡, 浙江省宁波市江北区庄桥街道 → 庄桥街道): one township, one spelling.

    >>> normalize_township("示例县 新塘乡"), normalize_township("城关镇"), normalize_township("新市镇")
    ('新塘乡', '城关镇', '新市镇')
    >>> normalize_township("荆州市沙市区中山路街道"), normalize_township("乌鲁木齐市新市区北京路街道")
    ('中山路街道', '北京路街道')
    """
    text = squeeze_cjk_spaces(nfkc_text(s))
    return _ADMIN_PREFIX.sub("", text, count=1) or None


# ------------------------------------------------------------------------- phones


@dataclass
class PhoneParse:
    """Numbers found in one cell; ``problem`` is a Chinese reason or ``None``.

    ``landlines`` also holds the other valid non-mobile numbers: 400/800 service
    numbers (``400-123-4567``), local numbers without an area code, and foreign
    numbers as ``+<digits>``.
    """

    mobiles: list[str] = field(default_factory=list)
    landlines: list[str] = field(default_factory=list)
    problem: str | None = None


_PLACEHOLDERS = {"", "无", "暂无", "不详", "未知", "空", "/", "-", "--", "—", "null", "none", "n/a", "na"}
_DASHES = re.compile(r"[‐‑‒–—―−﹣]")
_SCI = re.compile(r"(\d+(?:\.(\d+))?)[eE]\+?(\d+)")
_TRAILING_ZERO = re.compile(r"^(\d+)\.0+$")
_EXT_MARK = re.compile(r"\s*(?:转|分机|ext\.?|x)\s*(?=\d)", re.IGNORECASE)
_HARD_SEP = re.compile(r"[^0-9+\-\s().#]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SERVICE = re.compile(r"[48]00\d{7}")
_SCI_LOST = "手机号被 Excel 存成科学计数法，位数已丢失"


def _sci_to_digits(m: re.Match[str]) -> str:
    """Expand '1.3812345678E+10' when every digit survived; mark it lost otherwise."""
    mantissa, frac, exp = m.group(1), m.group(2) or "", int(m.group(3))
    if len(frac) > exp or len(frac) < exp:
        return "\x00"  # digits lost (or a fraction): unrecoverable
    return mantissa.replace(".", "")


def _classify(token: str) -> tuple[str, str] | None:
    """('mobile'|'landline', canonical) for one candidate number, or None."""
    main, _, ext = token.partition("#")
    ext = re.sub(r"\D", "", ext)
    main = main.strip("-")
    if main.startswith("+86") or main.startswith("0086"):
        main = main[3 if main[0] == "+" else 4 :].lstrip("-")
    elif main.startswith("+"):
        digits = re.sub(r"\D", "", main)
        return ("landline", "+" + digits) if 7 <= len(digits) <= 15 and not ext else None
    parts = [re.sub(r"\D", "", p) for p in main.split("-")]
    parts = [p for p in parts if p]
    digits = "".join(parts)
    if not digits:
        return None
    if len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return None if ext else ("mobile", digits)
    suffix = f"-{ext}" if ext else ""
    if digits.startswith("0"):
        if len(parts) > 1 and parts[0].startswith("0") and len(parts[0]) in (3, 4):
            area = parts[0]
        else:
            area = digits[:3] if digits[1:2] in ("1", "2") else digits[:4]
        local = digits[len(area) :]
        ok = len(local) == 8 if len(area) == 3 else len(local) in (7, 8)
        if ok and local[0] != "0":
            return "landline", f"{area}-{local}{suffix}"
        if not ext and len(parts) >= 2 and len(parts[-1]) <= 5:  # 0571-88888888-123
            return _classify("-".join(parts[:-1]) + "#" + parts[-1])
        return None
    if _SERVICE.fullmatch(digits):
        return "landline", f"{digits[:3]}-{digits[3:6]}-{digits[6:]}{suffix}"
    if len(digits) in (7, 8) and digits[0] not in "01":
        return "landline", digits + suffix
    return None


def parse_phones(s: str | int | None) -> PhoneParse:
    """Split one phone cell into mobiles and landlines.

    Handles full-width digits, spaces/dashes/dots inside numbers, ``+86``/``0086``/``86``
    prefixes, a trailing ``.0`` left by a float, several numbers in one cell (separated by
    ``/ , ， ; ； 、``, whitespace or written back to back) and remarks such as 微信同号.
    A number Excel rounded into scientific notation is refused.

    Examples
    --------
    >>> parse_phones("+86 138-1234-5678")
    PhoneParse(mobiles=['13812345678'], landlines=[], problem=None)
    >>> parse_phones("0571 88888888转123；13987654321(微信)")
    PhoneParse(mobiles=['13987654321'], landlines=['0571-88888888-123'], problem=None)
    >>> parse_phones("1.38123E+10").problem
    '手机号被 Excel 存成科学计数法，位数已丢失'
    """
    result = PhoneParse()
    t = nfkc_text(str(s) if s is not None else "")
    if t.lower() in _PLACEHOLDERS:
        return result
    t = _DASHES.sub("-", t)
    t = _TRAILING_ZERO.sub(r"\1", t)
    t = _SCI.sub(_sci_to_digits, t)
    if "\x00" in t:
        result.problem = _SCI_LOST
        return result
    t = _EXT_MARK.sub("#", t)
    bad: list[str] = []
    for chunk in _HARD_SEP.split(t):
        tokens = chunk.replace("(", " ").replace(")", " ").replace(".", "-").split()
        _scan_tokens(tokens, result, bad)
    if bad:
        result.problem = "无法识别的号码：" + "、".join(bad)
    elif not result.mobiles and not result.landlines:
        result.problem = "没有可识别的电话号码"
    return result


def _scan_tokens(tokens: list[str], out: PhoneParse, bad: list[str]) -> None:
    """Greedy: from each token, take the longest run of tokens that forms one valid number."""
    i = 0
    while i < len(tokens):
        best: tuple[int, list[tuple[str, str]]] | None = None
        for j in range(i, min(len(tokens), i + 6)):
            cand = "-".join(tokens[i : j + 1])
            if len(re.sub(r"\D", "", cand)) > 22:
                break
            found = _classify(cand) or _split_glued(cand)
            if found:
                best = (j, found if isinstance(found, list) else [found])
        if best is None:
            if re.search(r"\d", tokens[i]) and tokens[i] not in ("+86", "86", "0086"):
                bad.append(tokens[i])
            i += 1
            continue
        for kind, number in best[1]:
            target = out.mobiles if kind == "mobile" else out.landlines
            if number not in target:
                target.append(number)
        i = best[0] + 1


def _split_glued(cand: str) -> list[tuple[str, str]] | None:
    """Two 11-digit mobiles written back to back ('1381234567813987654321')."""
    digits = re.sub(r"\D", "", cand)
    if len(digits) == 22 and _MOBILE.fullmatch(digits[:11]) and _MOBILE.fullmatch(digits[11:]):
        return [("mobile", digits[:11]), ("mobile", digits[11:])]
    return None


# -------------------------------------------------------------------- organisations
# normalize_org_name and org_core_name (its match purpose) come from leadgraph.graph.orgnames,
# which the search index shares; what follows is entity resolution's own reading of a name.

# Names ending like this are institutions (associations, schools, offices): their region
# is part of who they are (常州市浙江商会 is not 浙江商会), so they are compared whole.
_INSTITUTIONS = (
    "商会", "协会", "学会", "联合会", "促进会", "研究会", "联谊会", "同乡会", "校友会", "基金会", "大学", "学院", "学校",
    "中学", "小学", "医院", "银行", "政府", "委员会", "管委会", "中心", "局", "厅", "办公室", "研究院", "研究所",
    "事务所", "党委", "园区", "开发区", "支行", "分行",
)  # fmt: skip
# Words that end many company cores without telling firms apart: 和煜新材料科技 = 和煜新材料.
_GENERIC_TAILS = ("科技", "技术", "实业", "发展", "控股", "工业", "国际")
_DISTRICT = re.compile(r"^([\u4e00-\u9fff]{1,3}?[区县])(?=[\u4e00-\u9fff]{2})")


class OrgParts(NamedTuple):
    """An organisation name taken apart for matching (see :func:`org_parts`)."""

    core: str
    regions: tuple[str, ...]
    branch: bool
    legal_form: bool
    institution: bool
    stem: str = ""


def org_parts(s: str | None) -> OrgParts:
    """The core of a name, the regions stripped to reach it, and what kind of name it is.

    ``core`` is :func:`org_core_name` (``purpose="match"``) with a leading district or county (江北区, 示例县)
    also removed; ``stem`` is the core without generic trailing words (科技, 技术, 实业…:
    a clerk often drops them); ``regions`` lists every leading or bracketed region, without its
    省/市/区/县; ``branch`` marks a 分公司 and similar; ``legal_form`` a registered
    company name (…有限公司); ``institution`` a name whose region belongs to it
    (商会, 协会, 大学, 中心, 政府…), whose core is then the whole name.

    Examples
    --------
    >>> org_parts("宁波市江北区示例膜业有限公司")
    OrgParts(core='示例膜业', regions=('宁波', '江北'), branch=False, legal_form=True, institution=False, stem='示例膜业')
    >>> org_parts("激智科技（苏州）有限公司")[1:], org_parts("激智科技（苏州）有限公司").stem
    ((('苏州',), False, True, False, '激智'), '激智')
    >>> org_parts("常州市浙江商会")
    OrgParts(core='常州市浙江商会', regions=(), branch=False, legal_form=False, institution=True, stem='常州市浙江商会')
    """
    full = normalize_org_name(s)
    text = full.lower()
    branch = text.endswith(("分公司", "分厂", "办事处", "分部", "分店", "分行", "支行")) or "分公司" in text
    if text.endswith(_INSTITUTIONS):
        return OrgParts(text, (), branch, False, True, text)
    name = strip_org_name(text)
    text, leading = name.core, [region_stem(r) for r in name.leading]
    district = _DISTRICT.match(text)
    if district and len(text) - len(district.group(1)) >= 2:
        leading.append(region_stem(district.group(1)))
        text = text[len(district.group(1)) :]
    core = stem = text.strip()
    again = True
    while again:
        again = False
        for tail in _GENERIC_TAILS:
            if stem.endswith(tail) and len(stem) - len(tail) >= 2:
                stem, again = stem[: -len(tail)], True
                break
    regions = tuple(leading + [region_stem(r) for r in name.bracketed])
    return OrgParts(core, regions, branch, name.legal_form, False, stem)


def is_abbreviation_of(short: str | None, full: str | None) -> bool:
    """Whether ``short`` plausibly abbreviates ``full`` (a 简称 of a 全称).

    True when the short form has at least two characters, is shorter than the full
    name, and its characters appear in order in the full name or in its core.

    Examples
    --------
    >>> is_abbreviation_of("激智", "宁波激智科技股份有限公司")
    True
    >>> is_abbreviation_of("智激", "宁波激智科技股份有限公司")
    False
    """
    s, f = normalize_org_name(short).lower(), normalize_org_name(full).lower()
    if len(s) < 2 or len(s) >= len(f):
        return False
    return _is_subsequence(s, f) or _is_subsequence(s, org_core_name(full))


def _is_subsequence(short: str, text: str) -> bool:
    it = iter(text)
    return all(ch in it for ch in short)


# -------------------------------------------------------------------------- dates

Precision = Literal["day", "month", "year"]


@dataclass(frozen=True)
class DateParse:
    """A parsed date, how precise the source was, or why it failed."""

    value: date | None
    precision: Precision | None
    problem: str | None = None

    @property
    def text(self) -> str | None:
        """ISO 8601 at the source's precision: ``2024-01-05``, ``2024-01`` (a month), ``2024``.

        A month or a year is not written as its first day, which would claim a day nobody
        gave; the stores sort and age such dates from their start (``strength.age_days``).
        """
        if self.value is None:
            return None
        if self.precision == "month":
            return self.value.isoformat()[:7]
        if self.precision == "year":
            return self.value.isoformat()[:4]
        return self.value.isoformat()


_EXCEL_EPOCH = date(1899, 12, 30)
_DAY = re.compile(r"(\d{2,4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_MONTH = re.compile(r"(\d{2,4})[-/.年](\d{1,2})月?(?:份)?")
_YEAR = re.compile(r"(\d{4})年?(?:度)?")
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")


def _make_date(y: int, m: int, d: int, precision: Precision, raw: str) -> DateParse:
    if y < 100:
        return DateParse(None, None, f"年份只有两位，无法确定：{raw}")
    if not 1900 <= y <= 2100:
        return DateParse(None, None, f"年份超出 1900–2100：{raw}")
    try:
        return DateParse(date(y, m, d), precision)
    except ValueError:
        return DateParse(None, None, f"日期不存在：{raw}")


def parse_date(
    s: str | None,
    *,
    serial_range: tuple[date, date] = (date(1990, 1, 1), date(2100, 12, 31)),
) -> DateParse:
    """Parse the date spellings found in Chinese spreadsheets.

    Accepts ISO dates and datetimes, ``2024.1.1``, ``2024/1/1``, ``2024年1月1日``,
    ``20240101``, month-only forms (``2024年1月``, ``2024.1``, ``202401`` → first of the
    month, precision ``'month'``), a bare year (precision ``'year'``) and Excel serial
    numbers inside ``serial_range`` (``45292`` → 2024-01-01). Empty text gives
    ``DateParse(None, None, None)``.

    Examples
    --------
    >>> parse_date("2024年1月")
    DateParse(value=datetime.date(2024, 1, 1), precision='month', problem=None)
    >>> parse_date("2024年1月").text
    '2024-01'
    >>> parse_date("45292").value
    datetime.date(2024, 1, 1)
    """
    raw = nfkc_text(s)
    t = raw.replace(" 年", "年").replace(" 月", "月").replace(" 日", "日")
    if not t:
        return DateParse(None, None)
    if m := _DAY.fullmatch(t):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), "day", raw)
    if re.fullmatch(r"\d{8}", t):
        return _make_date(int(t[:4]), int(t[4:6]), int(t[6:]), "day", raw)
    if m := _MONTH.fullmatch(t):
        return _make_date(int(m[1]), int(m[2]), 1, "month", raw)
    if re.fullmatch(r"\d{6}", t):
        return _make_date(int(t[:4]), int(t[4:]), 1, "month", raw)
    if m := _YEAR.fullmatch(t):
        return _make_date(int(m[1]), 1, 1, "year", raw)
    if m := _SERIAL.fullmatch(t):
        value = _EXCEL_EPOCH + timedelta(days=int(m[1]))
        if serial_range[0] <= value <= serial_range[1]:
            return DateParse(value, "day")
        return DateParse(None, None, f"数字 {raw} 不像日期（按 Excel 序号是 {value.isoformat()}）")
    return DateParse(None, None, f"无法识别的日期：{raw}")


# ------------------------------------------------------------------------ amounts


class AmountParse(NamedTuple):
    """An amount in 亿元, or why it failed."""

    value: float | None
    problem: str | None


class Checked(NamedTuple):
    """A canonical code, or why it failed."""

    value: str | None
    problem: str | None


_UNIT_IN_YI = {
    "亿元": Decimal(1), "亿": Decimal(1), "千万元": Decimal("0.1"), "千万": Decimal("0.1"),
    "百万元": Decimal("0.01"), "百万": Decimal("0.01"), "万元": Decimal("0.0001"), "万": Decimal("0.0001"),
    "元": Decimal("0.00000001"),
}  # fmt: skip
_AMOUNT_PART = re.compile(r"(\d+(?:\.\d+)?)(亿元|亿|千万元|千万|百万元|百万|万元|万|元)?")
_APPROX = re.compile(r"^(?:约|近|超过|超|逾|总投资|计划投资|投资)|(?:左右|以上|余|多)(?=[亿万元]|$)|(?:左右|以上)$")


def parse_amount_yi(s: str | float | None, default_unit: Literal["亿元", "万元", "元"] = "亿元") -> AmountParse:
    """Convert an investment amount to 亿元.

    Units 亿/亿元, 千万, 百万, 万/万元 and 元 are understood, also combined
    (``3亿5000万`` → 3.5); a bare number is read in ``default_unit`` (pass the unit the
    column header names). Full-width digits, thousands separators and hedges such as
    约 or 左右 are accepted; foreign currency and ranges are refused.

    Examples
    --------
    >>> parse_amount_yi("5000万元")
    AmountParse(value=0.5, problem=None)
    >>> parse_amount_yi("1,500", default_unit="万元")
    AmountParse(value=0.15, problem=None)
    """
    t = nfkc_text(str(s) if s is not None else "").replace(",", "").replace(" ", "")
    if not t:
        return AmountParse(None, None)
    if re.search(r"美元|美金|港元|港币|欧元|日元|USD|HKD|EUR|\$", t, re.IGNORECASE):
        return AmountParse(None, f"外币金额，未换算成人民币：{t}")
    t = re.sub(r"^(?:人民币|RMB|CNY)?¥?", "", _APPROX.sub("", t), flags=re.IGNORECASE)  # ￥ is ¥ after NFKC
    if re.search(r"\d\s*[-~至到]\s*\d", t):
        return AmountParse(None, f"金额是一个范围，无法取值：{t}")
    total, pos = Decimal(0), 0
    for m in _AMOUNT_PART.finditer(t):
        if m.start() != pos:
            break
        if not m.group(2) and (pos or m.end() != len(t)):
            return AmountParse(None, f"金额缺少单位：{nfkc_text(str(s))}")
        unit = m.group(2) or default_unit
        total += Decimal(m.group(1)) * _UNIT_IN_YI[unit]
        pos = m.end()
    if pos == 0 or pos != len(t):
        return AmountParse(None, f"无法识别的金额：{nfkc_text(str(s))}")
    return AmountParse(float(total), None)


# ---------------------------------------------------------------------------- codes

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _credit_check_char(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def normalize_credit_code(s: str | None) -> Checked:
    """Validate an 18-character unified social credit code (统一社会信用代码, GB 32100-2015).

    Upper-cases and removes spaces/dashes, then checks the character set and the
    check character. Look-alikes (O for 0, I for 1) are reported, not fixed.

    Examples
    --------
    >>> normalize_credit_code("91110108551385082q")
    Checked(value='91110108551385082Q', problem=None)
    >>> normalize_credit_code("91110108551385082A").problem
    '统一社会信用代码校验位不对（应为 Q）：91110108551385082A'
    """
    t = re.sub(r"[\s\-]", "", nfkc_text(s)).upper()
    if not t:
        return Checked(None, None)
    if len(t) == 15 and t.isdigit():
        return Checked(None, f"这是旧的 15 位工商注册号，不是统一社会信用代码：{t}")
    if len(t) != 18:
        return Checked(None, f"统一社会信用代码应为 18 位，这里是 {len(t)} 位：{t}")
    wrong = sorted({c for c in t if c not in _CREDIT_CHARS})
    if wrong:
        return Checked(None, f"统一社会信用代码含有不允许的字符 {'、'.join(wrong)}：{t}")
    expected = _credit_check_char(t[:17])
    if t[17] != expected:
        return Checked(None, f"统一社会信用代码校验位不对（应为 {expected}）：{t}")
    return Checked(t, None)


_STOCK = re.compile(r"^(?:(SH|SZ|BJ|SS|HK)\.?)?(\d{1,6})(?:\.?(SH|SZ|BJ|SS|HK))?$")


def _exchange_of(code: str) -> str | None:
    if code.startswith(("60", "68", "90")):
        return "SH"
    if code.startswith(("00", "30", "20")):
        return "SZ"
    if code.startswith(("8", "4", "92")):
        return "BJ"
    return None


def normalize_stock_code(s: str | int | None) -> Checked:
    """Canonical A-share (or Hong Kong) stock code such as ``300806.SZ``.

    Accepts ``300806``, ``300806.SZ``, ``SZ300806``, ``sz.300806``, ``600000.SS``; the
    exchange is inferred from the leading digits when absent (60/68/90 → SH,
    00/30/20 → SZ, 8/4/92 → BJ). A numeric cell that lost its leading zeros
    (``2594``) is padded to six digits. Hong Kong codes become five digits, ``00700.HK``;
    five digits without an exchange (``00700``, ``01211``) are a Hong Kong code.

    Examples
    --------
    >>> normalize_stock_code("SZ300806")
    Checked(value='300806.SZ', problem=None)
    >>> normalize_stock_code("688299")
    Checked(value='688299.SH', problem=None)
    """
    t = re.sub(r"\s", "", nfkc_text(str(s) if s is not None else "")).upper()
    if not t:
        return Checked(None, None)
    m = _STOCK.match(t)
    if not m or (m.group(1) and m.group(3)):
        return Checked(None, f"无法识别的股票代码：{t}")
    given = {"SS": "SH"}.get(m.group(1) or m.group(3) or "", m.group(1) or m.group(3))
    if given == "HK":
        return Checked(f"{int(m.group(2)):05d}.HK", None) if len(m.group(2)) <= 5 else Checked(None, f"港股代码位数不对：{t}")
    if not given and len(m.group(2)) == 5:
        # Five digits are a Hong Kong code (00700, 01211): A-share codes have six, and a
        # number that lost its leading zeros keeps at most four (000700 → 700, 002594 → 2594).
        return Checked(f"{m.group(2)}.HK", None)
    code = m.group(2).zfill(6)
    inferred = _exchange_of(code)
    if inferred is None:
        return Checked(None, f"无法从代码判断交易所：{t}")
    if given and given != inferred:
        return Checked(None, f"股票代码 {code} 不属于 {given}（应为 {inferred}）：{t}")
    return Checked(f"{code}.{inferred}", None)



