"""Names, places and codes for the fictional demo county 示例县.

Everything here is invented or generic: township names are plain rural names, brands
are drawn from syllables with well-known industry brands excluded, mobiles are random
11-digit numbers, and codes are computed to be *valid-looking* (correct check
characters) without copying any real registration.

Examples
--------
>>> credit_check_char("91350100M000100Y4")   # the standard's worked example
'3'
>>> org_code_check_char("D2143569")
'X'
>>> is_valid_credit_code(credit_code(random.Random(1), "320500"))
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = [
    "COUNTY", "COUNTY_PROVINCE", "COUNTY_DIVISION", "TOWNSHIPS", "TOWNSHIP_WEIGHTS",
    "City", "CITIES", "city", "ZONES", "EXCHANGES",
    "BrandPool", "credit_code", "credit_check_char", "is_valid_credit_code",
    "org_code_check_char", "mobile", "stock_code", "iso_date",
]

COUNTY = "示例县"
COUNTY_PROVINCE = "江苏省"
#: A division code that belongs to no real county (no prefecture 3299 exists).
COUNTY_DIVISION = "329901"

TOWNSHIPS = (
    "青石镇", "东湖镇", "柳河镇", "双桥镇", "白沙镇", "杨林镇", "兴隆镇", "桃源乡",
    "石门镇", "新集镇", "龙泉镇", "梅岭乡", "枫林镇", "云溪镇", "槐树乡",
)
#: Uneven on purpose: a few townships send many people out, some only a few.
TOWNSHIP_WEIGHTS = (12, 10, 9, 8, 7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2)


@dataclass(frozen=True)
class City:
    """A real city where demo firms and hometown contacts are located."""

    name: str
    province: str
    division: str
    weight: float  # how many hometown contacts live there, relatively

    @property
    def prefix(self) -> str:
        """The city as a company-name prefix: 苏州市 -> 苏州."""
        return self.name[:-1] if self.name.endswith("市") else self.name


CITIES = (
    City("上海市", "上海市", "310000", 12), City("苏州市", "江苏省", "320500", 10),
    City("常州市", "江苏省", "320400", 9), City("无锡市", "江苏省", "320200", 6),
    City("南京市", "江苏省", "320100", 7), City("杭州市", "浙江省", "330100", 5),
    City("宁波市", "浙江省", "330200", 3), City("合肥市", "安徽省", "340100", 3),
    City("深圳市", "广东省", "440300", 8), City("广州市", "广东省", "440100", 4),
    City("东莞市", "广东省", "441900", 4), City("佛山市", "广东省", "440600", 2),
    City("厦门市", "福建省", "350200", 2), City("北京市", "北京市", "110000", 4),
    City("天津市", "天津市", "120000", 2), City("成都市", "四川省", "510100", 1.5),
    City("重庆市", "重庆市", "500000", 1), City("武汉市", "湖北省", "420100", 2),
    City("西安市", "陕西省", "610100", 1), City("青岛市", "山东省", "370200", 1.5),
    City("济南市", "山东省", "370100", 1), City("郑州市", "河南省", "410100", 1),
    City("长沙市", "湖南省", "430100", 1), City("南昌市", "江西省", "360100", 1),
    City("福州市", "福建省", "350100", 1), City("绍兴市", "浙江省", "330600", 2),
    City("嘉兴市", "浙江省", "330400", 2), City("南通市", "江苏省", "320600", 3),
    City("扬州市", "江苏省", "321000", 2), City("泰州市", "江苏省", "321200", 2),
    City("昆山市", "江苏省", "320583", 4), City("镇江市", "江苏省", "321100", 1.5),
    City("徐州市", "江苏省", "320300", 2), City("湖州市", "浙江省", "330500", 1),
    City("珠海市", "广东省", "440400", 1), City("惠州市", "广东省", "441300", 1),
)
_CITY_BY_NAME = {c.name: c for c in CITIES}

#: Promotion zones (招商片区) and the cities each covers; the first city is the base.
ZONES = {
    "沪片区": ("上海市", "嘉兴市"),
    "苏锡常片区": ("苏州市", "无锡市", "常州市", "昆山市", "南通市"),
    "杭甬片区": ("杭州市", "宁波市", "绍兴市", "湖州市"),
    "珠三角片区": ("广州市", "东莞市", "佛山市", "珠海市", "惠州市"),
    "深圳片区": ("深圳市",),
}

#: Listing boards and the code prefixes of each (6-digit codes).
EXCHANGES = {
    "上交所主板": ("600", "601", "603", "605"),
    "上交所科创板": ("688",),
    "深交所主板": ("000", "001", "002", "003"),
    "深交所创业板": ("300", "301"),
    "北交所": ("83", "87"),
}


def city(name: str) -> City:
    """The :class:`City` called ``name``."""
    return _CITY_BY_NAME[name]


# -- brands ---------------------------------------------------------------------------

_SYLLABLES = (
    "瑞晟泰恒鑫嘉润源达宏博睿凯盛宇诚德丰汇和锦卓骏弘翔航益晶远辰启明通信安正元邦宁"
    "联永昌伟星杰腾峰琪霖昊煜宸钧铭澜岳禾柯朗迈拓尚韵舜璟沐澄峻烨珩逸灏湛"
)
#: Two-character runs that are, or too closely resemble, brands of real firms in the
#: film, PV, battery and display trades; a generated brand containing one is rejected.
_REAL_BRANDS = frozenset((
    "激智", "长阳", "双星", "东材", "裕兴", "福斯", "海优", "赛伍", "恩捷", "星源", "乐凯",
    "南洋", "康得", "航天", "明冠", "中来", "晶澳", "隆基", "天合", "宁德", "京东", "华星",
    "天马", "信义", "福莱", "国轩", "亿纬", "璞泰", "明珠", "三利", "盛波", "道明", "永冠",
    "晶华", "回天", "康达", "洁美", "万顺", "东方", "华为", "中天", "晶科", "通威", "阳光",
    "德业", "锦浪", "博威", "宏达", "永鼎", "长盈", "欣旺", "昊华", "星星", "晶晶",
))


class BrandPool:
    """Draws unique fictional brand names (2–3 syllables) for the whole world."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def draw(self) -> str:
        """A brand not drawn before and free of known real-brand runs."""
        while True:
            size = 3 if self._rng.random() < 0.15 else 2
            brand = "".join(self._rng.choice(_SYLLABLES) for _ in range(size))
            if len(set(brand)) < size or brand in self._used:
                continue
            if any(brand[i:i + 2] in _REAL_BRANDS for i in range(size - 1)):
                continue
            self._used.add(brand)
            return brand


# -- codes ----------------------------------------------------------------------------

_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_OC_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_OC_LETTERS = "ABCDEFGHJKLMNPQRTUWXY"


def credit_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015)."""
    total = sum(_CC_CHARS.index(c) * w for c, w in zip(first17, _CC_WEIGHTS))
    return _CC_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True when ``code`` has 18 allowed characters and a correct check character."""
    return (len(code) == 18 and all(c in _CC_CHARS for c in code)
            and credit_check_char(code[:17]) == code[17])


def org_code_check_char(body8: str) -> str:
    """The check character of a 9-character organization code (GB 11714-1997)."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _OC_WEIGHTS))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def credit_code(rng: random.Random, division: str, prefix: str = "91") -> str:
    """A random, well-formed credit code: registrar+type ``prefix``, ``division``,
    organization code (with its own check) and the GB 32100 check character."""
    if rng.random() < 0.6:  # post-2015 style organization code body: MA + 6
        body = "MA" + "".join(rng.choice("0123456789" + _OC_LETTERS) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = prefix + division + body + org_code_check_char(body)
    return first17 + credit_check_char(first17)


_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "177", "180", "181", "182", "183", "186",
    "187", "188", "189", "191", "199",
)


def mobile(rng: random.Random) -> str:
    """A random 11-digit mainland mobile number (fictional; not checked against any)."""
    return rng.choice(_MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def stock_code(rng: random.Random, exchange: str) -> str:
    """A 6-digit code with a prefix that fits ``exchange`` (see :data:`EXCHANGES`)."""
    prefix = rng.choice(EXCHANGES[exchange])
    return prefix + "".join(rng.choice("0123456789") for _ in range(6 - len(prefix)))


def iso_date(rng: random.Random, start: str, end: str) -> str:
    """A uniform random date between ISO dates ``start`` and ``end`` (inclusive)."""
    from datetime import date, timedelta

    lo, hi = date.fromisoformat(start), date.fromisoformat(end)
    return (lo + timedelta(days=rng.randint(0, (hi - lo).days))).isoformat()
