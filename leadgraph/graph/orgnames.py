"""Organisation names: the canonical full name and the core name, for two declared purposes.

The core of a name is what is left once its region prefix, legal form and brackets are gone
(宁波激智科技股份有限公司 → 激智科技). Two readers need one, for different ends, and ask
:func:`org_core_name` for it by ``purpose``:

- ``"match"`` — entity resolution (:mod:`leadgraph.ingest.resolve`, through
  :func:`leadgraph.ingest.normalize.org_parts`): a branch counts as its parent
  (…有限公司苏州分公司), bracketed regions and legal forms go ((（苏州）, （有限合伙）) while
  other bracketed text stays, legal forms go one after another (Latin ones too: Co., Ltd.),
  then every leading province or city (with or without 省/市); lower-case.
- ``"search"`` — the search index (:func:`leadgraph.graph.terms.node_terms`): the canonical
  text (no whitespace, case-folded) without any bracketed part, at most one legal form, then
  at most one province and one city of a shorter list. This core is stored in every search
  index (the SQLite term table, Neo4j's ``_terms``), so it is kept exactly as it is: a change
  would leave stores that were loaded before it answering from the old terms.

Both keep at least two characters: a name that is all region stays whole. The region and
legal-form lists are declared here once.

Examples
--------
>>> org_core_name("宁波激智科技股份有限公司"), org_core_name("宁波激智科技股份有限公司", purpose="search")
('激智科技', '激智科技')
>>> org_core_name("宁波激智科技股份有限公司苏州分公司")
'激智科技'
>>> org_core_name("宁波激智科技股份有限公司苏州分公司", purpose="search")
'激智科技股份有限公司苏州'
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from leadgraph.graph.identity import canonical
from leadgraph.text import nfkc_text, squeeze_cjk_spaces

__all__ = [
    "Purpose",
    "StrippedName",
    "normalize_org_name",
    "org_core_name",
    "strip_org_name",
    "is_region",
    "region_stem",
    "PROVINCES",
    "CITIES",
    "LEGAL_FORMS",
]

Purpose = Literal["match", "search"]

# ------------------------------------------------------------------ declared lists

PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 "
    "广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
).split()
_AUTONOMOUS = "内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 香港特别行政区 澳门特别行政区"
CITIES = (
    "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉 长治 晋城 朔州 晋中 运城 "
    "忻州 临汾 吕梁 呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 沈阳 大连 鞍山 抚顺 "
    "本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛 长春 四平 辽源 通化 白山 松原 白城 哈尔滨 "
    "齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化 南京 无锡 徐州 常州 苏州 南通 "
    "连云港 淮安 盐城 扬州 镇江 泰州 宿迁 杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 合肥 "
    "芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城 福州 厦门 莆田 三明 "
    "泉州 漳州 南平 龙岩 宁德 南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶 济南 青岛 淄博 "
    "枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 郑州 开封 洛阳 平顶山 安阳 鹤壁 "
    "新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 "
    "荆州 黄冈 咸宁 随州 长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 广州 韶关 "
    "深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮 南宁 "
    "柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左 海口 三亚 儋州 成都 自贡 攀枝花 "
    "泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 贵阳 六盘水 遵义 安顺 "
    "毕节 铜仁 昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 拉萨 日喀则 昌都 林芝 西安 铜川 宝鸡 咸阳 渭南 "
    "延安 汉中 榆林 安康 商洛 兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 西宁 银川 "
    "石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番 哈密 "
    # county-level cities and districts that often lead a firm's name in the film chain regions
    "昆山 江阴 张家港 常熟 太仓 宜兴 溧阳 慈溪 余姚 义乌 海宁 桐乡 诸暨 晋江 石狮 浦东 浦东新区"
).split()
_REGIONS = frozenset(
    {*PROVINCES, *(p + "省" for p in PROVINCES), *_AUTONOMOUS.split(), *CITIES,
     *(c + "市" for c in (*CITIES, "北京", "天津", "上海", "重庆")), "中国"}
)  # fmt: skip
_LEADING_REGIONS = tuple(sorted(_REGIONS - {"中国"}, key=lambda r: (-len(r), r)))  # 中国平安 keeps its 中国
LEGAL_FORMS = (
    "集团股份有限公司", "集团有限责任公司", "股份有限公司", "有限责任公司", "集团有限公司",
    "股份公司", "集团公司", "有限公司", "总公司", "公司", "集团", "有限合伙", "普通合伙", "合伙企业",
)  # fmt: skip
"""Legal forms the match core strips, tried in this order, again and again."""
_LATIN_FORMS = re.compile(
    r"[\s,.]*(?<![a-z])(?:co\.?\s*,?\s*ltd\.?|company\s+limited|co\.?\s*limited|limited|ltd\.?|inc\.?|corp\.?"
    r"|corporation|company|llc|gmbh|plc|group)\s*$",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"（([^（）]*)）")
_BRANCH = re.compile(r"^(.+?(?:有限责任公司|股份有限公司|有限公司|公司))(.*)分公司$")

# The search core's own lists and rule, frozen with the indexes that store it.
_SEARCH_LEGAL_FORMS = (
    "集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司",
    "分公司", "股份公司", "集团", "公司",
)  # fmt: skip
_SEARCH_CITIES = (
    "苏州 常州 无锡 南京 南通 扬州 泰州 镇江 徐州 盐城 淮安 连云港 宿迁 昆山 江阴 张家港 "
    "杭州 宁波 温州 绍兴 嘉兴 湖州 金华 台州 衢州 舟山 丽水 义乌 合肥 芜湖 蚌埠 滁州 "
    "深圳 广州 东莞 佛山 珠海 中山 惠州 江门 汕头 厦门 福州 泉州 漳州 莆田 青岛 济南 烟台 潍坊 "
    "淄博 威海 郑州 洛阳 武汉 长沙 南昌 成都 西安 石家庄 太原 沈阳 大连 长春 哈尔滨 昆明 贵阳 南宁 "
    "海口 兰州 银川 西宁 乌鲁木齐 呼和浩特 拉萨"
).split()  # a subset of CITIES
_SEARCH_REGION_PREFIX = re.compile(
    r"^(?:(?:%s)(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)?)?"
    r"(?:(?:%s)市?)?" % ("|".join(PROVINCES), "|".join(sorted(_SEARCH_CITIES, key=len, reverse=True)))
)
_SEARCH_BRACKETED = re.compile(r"[（(][^）)]*[）)]")


# ------------------------------------------------------------------ full names


def normalize_org_name(s: str | None) -> str:
    """Canonical full name of an organisation, as printed on a business licence.

    NFKC; brackets of either width become full-width （）; whitespace next to a CJK
    character or bracket is removed, Latin words keep single spaces.

    Examples
    --------
    >>> normalize_org_name(" 示例薄膜(常州) 有限公司 ")
    '示例薄膜（常州）有限公司'
    """
    t = nfkc_text(s).replace("(", "（").replace(")", "）")
    return squeeze_cjk_spaces(t)


def is_region(text: str) -> bool:
    """A province, city or 中国, with or without 省/市/区/县."""
    return text in _REGIONS or (len(text) >= 2 and text[-1] in "省市区县" and text[:-1] in _REGIONS)


def region_stem(region: str) -> str:
    """A region without its 省/市/自治区…: 浙江省 → 浙江, 江北区 → 江北.

    >>> region_stem("广西壮族自治区"), region_stem("宁波市")
    ('广西', '宁波')
    """
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市", "区", "县"):
        if region.endswith(suffix) and len(region) - len(suffix) >= 2:
            return region[: -len(suffix)]
    return region


# ------------------------------------------------------------------ core names


class StrippedName(NamedTuple):
    """A full name taken down to its match core (see :func:`strip_org_name`)."""

    core: str
    leading: tuple[str, ...]  # leading regions removed, as written, first first
    bracketed: tuple[str, ...]  # bracketed regions removed, as written
    legal_form: bool  # a legal form was removed


def strip_org_name(text: str) -> StrippedName:
    """The match core of a name already spelled by :func:`normalize_org_name`, and what was removed.

    Case is left as given and surrounding whitespace is kept; :func:`org_core_name` strips
    and lower-cases, :func:`leadgraph.ingest.normalize.org_parts` lower-cases first.

    >>> strip_org_name("浙江省宁波市激智科技（苏州）有限公司")
    StrippedName(core='激智科技', leading=('浙江省', '宁波市'), bracketed=('苏州',), legal_form=True)
    """
    branch = _BRANCH.match(text)
    if branch:
        text = branch.group(1)
    elif text.endswith("分公司"):
        text = text[: -len("分公司")]
    bracketed: list[str] = []

    def bracket(m: re.Match[str]) -> str:
        if is_region(m.group(1)):
            bracketed.append(m.group(1))
            return ""
        return "" if m.group(1) in LEGAL_FORMS else m.group(1)

    text = _BRACKETED.sub(bracket, text)
    stripped = _strip_legal_forms(text)
    legal_form, text, leading = stripped != text, stripped, []
    again = True
    while again:
        again = False
        for region in _LEADING_REGIONS:
            if text.startswith(region) and len(text) - len(region) >= 2:
                leading.append(region)
                text, again = text[len(region) :], True
                break
    return StrippedName(text, tuple(leading), tuple(bracketed), legal_form)


def _strip_legal_forms(t: str) -> str:
    changed = True
    while changed and t:
        changed = False
        for form in LEGAL_FORMS:
            if t.endswith(form) and len(t) > len(form):
                t, changed = t[: -len(form)], True
                break
        latin = _LATIN_FORMS.sub("", t)
        if latin != t and latin:
            t, changed = latin, True
    return t


def _search_core(text: str) -> str:
    text = _SEARCH_BRACKETED.sub("", text)
    for form in _SEARCH_LEGAL_FORMS:
        if text.endswith(form) and len(text) > len(form) + 1:
            text = text[: -len(form)]
            break
    stripped = _SEARCH_REGION_PREFIX.sub("", text)
    return stripped if len(stripped) >= 2 else text


def org_core_name(name: str | None, *, purpose: Purpose = "match") -> str:
    """The distinctive core of an organisation name: no region prefix, no legal form.

    ``purpose="match"`` gives the core entity resolution compares (a 简称 against a 全称);
    ``purpose="search"`` the core the search index stores. See the module docstring for
    what each removes.

    Examples
    --------
    >>> org_core_name("江苏（常州）示例薄膜有限公司")
    '示例薄膜'
    >>> org_core_name("Example Film Co., Ltd."), org_core_name("Example Film Co., Ltd.", purpose="search")
    ('example film', 'examplefilmco.,ltd.')
    >>> org_core_name("常州市浙江商会"), org_core_name("常州市浙江商会", purpose="search")
    ('商会', '浙江商会')

    Raises
    ------
    ValueError
        An unknown ``purpose``.
    """
    if purpose == "match":
        return strip_org_name(normalize_org_name(name)).core.strip().lower()
    if purpose == "search":
        return _search_core(canonical(name or ""))
    raise ValueError(f"unknown purpose {purpose!r} for an organisation's core name (match or search)")
