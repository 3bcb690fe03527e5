"""Organizations of the demo county: companies along the film chain, associations,
service firms (funds, brokers, law firms, consultancies) and government units.

Segment coverage is uneven on purpose: local firms cluster in midstream films
(BOPET 基膜, 离型膜, 保护膜, 光学基膜) and are absent from PV, battery and storage
segments, which is where 补链 looks for targets.
"""

from __future__ import annotations

import math
import random

from leadgraph.demo.chain import Chain
from leadgraph.demo.model import Org, Row
from leadgraph.demo.naming import (
    CITIES, COUNTY, COUNTY_DIVISION, COUNTY_PROVINCE, BrandPool, City, city,
    credit_code, stock_code,
)

__all__ = [
    "LOCAL_COUNTS", "TARGET_WEIGHTS", "CHAIN_LEADER_SEGMENTS", "ASSOCIATIONS",
    "make_companies", "make_fixed_orgs", "make_company_supplies", "scaled",
]

#: Local firms per segment at scale 1 (the county's strengths; PV/battery/storage: none).
LOCAL_COUNTS = {
    "BOPET 基膜": 12, "离型膜": 9, "保护膜": 9, "光学基膜": 8, "胶带": 4, "涂布材料": 3,
    "增亮膜": 3, "扩散膜": 3, "PET 切片": 2, "BOPP 膜": 2, "CPP 膜": 2, "汽车窗膜": 2,
    "软包装": 1, "光伏背板": 1,
}
#: Relative number of outside (target) firms per leaf segment; unlisted leaves weigh 1.
TARGET_WEIGHTS = {
    "BOPET 基膜": 2, "离型膜": 2, "保护膜": 2, "胶带": 2, "光伏封装胶膜": 2,
    "光伏背板": 1.8, "锂电隔膜": 1.8, "光伏组件": 1.8, "锂电池": 1.8, "储能": 1.8,
    "光学基膜": 1.5, "增亮膜": 1.5, "偏光片": 1.5, "显示面板": 1.5, "消费电子": 1.5,
    "电子功能膜": 1.5, "PET 切片": 1.2, "涂布材料": 1.2, "胶粘剂": 1.2, "扩散膜": 1.2,
    "OCA 光学胶膜": 1.2, "汽车窗膜": 1.2, "汽车": 1.2, "PMMA": 0.6, "PC": 0.6,
    "PI 树脂": 0.6, "氟树脂": 0.6, "光学级硅胶": 0.6, "TAC 膜": 0.6, "助剂母粒": 0.8,
    "CPP 膜": 0.8, "PE 膜": 0.8, "软包装": 0.8,
}
#: Segments whose largest listed firm is flagged 链主企业 (in this order of priority).
CHAIN_LEADER_SEGMENTS = (
    "光伏封装胶膜", "锂电隔膜", "BOPET 基膜", "光学基膜", "偏光片", "光伏背板", "显示面板",
    "光伏组件", "锂电池", "储能", "离型膜", "胶带", "PET 切片", "EVA 树脂",
)
_DOWNSTREAM_BIG = {"显示面板", "光伏组件", "锂电池", "汽车", "储能"}

#: Words between brand and legal form, by the segment's industry.
_NAME_WORDS = {
    "化工新材料": ("化工", "新材料", "高分子材料", "化学"),
    "涂布材料": ("新材料", "涂层科技", "化学", "胶粘材料"),
    "薄膜": ("薄膜", "新材料", "塑胶", "薄膜科技"),
    "光学膜": ("光电", "光学材料", "显示材料", "光电科技"),
    "功能膜": ("薄膜", "新材料", "胶粘科技", "功能材料"),
    "光伏材料": ("光伏材料", "新能源", "新材料", "光能科技"),
    "锂电材料": ("新能源", "隔膜科技", "能源科技", "新材料"),
    "电子材料": ("电子材料", "电子科技", "新材料"),
    "显示面板": ("显示", "光电", "显示科技"),
    "光伏": ("光伏", "新能源", "太阳能"),
    "锂电池": ("电池", "新能源", "能源科技"),
    "储能": ("储能", "能源", "储能科技"),
    "消费电子": ("电子", "智能科技", "精密"),
    "汽车": ("汽车部件", "汽车科技", "汽车零部件"),
    "包装": ("包装", "包装材料", "印务"),
}
_EXCHANGE_WEIGHTS = {"深交所创业板": 25, "上交所科创板": 20, "上交所主板": 25, "深交所主板": 20, "北交所": 10}

#: (name, 类别, city, 会员数, focus, industries) for the ~40 associations.
ASSOCIATIONS: tuple[tuple[str, str, str, int, str, tuple[str, ...]], ...] = (
    ("示例县总商会", "商会", COUNTY, 800, "county", ()),
    ("上海示例商会", "商会", "上海市", 320, "city", ()),
    ("苏州示例商会", "商会", "苏州市", 260, "city", ()),
    ("深圳示例商会", "商会", "深圳市", 240, "city", ()),
    ("示例县在常商会", "商会", "常州市", 150, "city", ()),
    ("无锡示例商会", "商会", "无锡市", 120, "city", ()),
    ("南京示例商会", "商会", "南京市", 140, "city", ()),
    ("杭州示例商会", "商会", "杭州市", 180, "city", ()),
    ("宁波示例商会", "商会", "宁波市", 90, "city", ()),
    ("广州示例商会", "商会", "广州市", 110, "city", ()),
    ("东莞示例商会", "商会", "东莞市", 130, "city", ()),
    ("北京示例商会", "商会", "北京市", 100, "city", ()),
    ("合肥示例商会", "商会", "合肥市", 70, "city", ()),
    ("昆山示例商会", "商会", "昆山市", 85, "city", ()),
    ("南通示例商会", "商会", "南通市", 60, "city", ()),
    ("厦门示例商会", "商会", "厦门市", 45, "city", ()),
    ("天津示例商会", "商会", "天津市", 40, "city", ()),
    ("武汉示例商会", "商会", "武汉市", 55, "city", ()),
    ("成都示例商会", "商会", "成都市", 35, "city", ()),
    ("佛山示例商会", "商会", "佛山市", 38, "city", ()),
    ("示例县青年企业家理事会", "商会", COUNTY, 12, "young", ()),
    ("示例县招商大使联谊会", "协会", COUNTY, 20, "ambassador", ()),
    ("示例县女企业家商会", "商会", COUNTY, 60, "women", ()),
    ("示例县新生代企业家联谊会", "协会", COUNTY, 45, "young", ()),
    ("示例县在外人才联谊会", "协会", COUNTY, 300, "talent", ()),
    ("示例县企业家协会", "协会", COUNTY, 180, "county", ()),
    ("示例县新材料商会", "商会", COUNTY, 90, "industry", ("薄膜", "功能膜", "光学膜", "涂布材料")),
    ("示例县功能膜产业园企业联合会", "协会", COUNTY, 55, "industry", ("薄膜", "功能膜", "光学膜")),
    ("示例聚酯薄膜行业协会", "协会", "北京市", 260, "industry", ("薄膜", "化工新材料", "功能膜")),
    ("示例功能膜产业协会", "协会", "上海市", 150, "industry", ("功能膜", "光学膜", "薄膜")),
    ("示例光学膜产业联盟", "协会", "深圳市", 120, "industry", ("光学膜", "显示面板")),
    ("示例胶带与薄膜行业协会", "协会", "上海市", 400, "industry", ("功能膜", "薄膜", "涂布材料")),
    ("示例光伏材料行业协会", "协会", "常州市", 200, "industry", ("光伏材料", "光伏", "化工新材料")),
    ("示例新能源材料协会", "协会", "合肥市", 180, "industry", ("锂电材料", "锂电池", "光伏材料")),
    ("示例锂电隔膜产业联盟", "协会", "深圳市", 60, "industry", ("锂电材料", "锂电池")),
    ("示例储能产业协会", "协会", "北京市", 220, "industry", ("储能", "锂电池", "光伏")),
    ("示例显示材料行业协会", "协会", "合肥市", 110, "industry", ("显示面板", "光学膜", "电子材料")),
    ("示例塑料包装行业协会", "协会", "广州市", 300, "industry", ("包装", "薄膜")),
    ("示例电子材料行业协会", "协会", "苏州市", 160, "industry", ("电子材料", "消费电子", "功能膜")),
    ("示例汽车膜行业协会", "协会", "广州市", 80, "industry", ("功能膜", "汽车")),
    ("示例化工新材料协会", "协会", "南京市", 240, "industry", ("化工新材料", "涂布材料")),
)

#: (name, 类别, city, 行业) for funds, brokers, law firms and consultancies.
_SERVICES = (
    ("示例县功能膜产业投资基金（有限合伙）", "基金", COUNTY, "股权投资"),
    ("苏州示例新材料创业投资合伙企业（有限合伙）", "基金", "苏州市", "股权投资"),
    ("深圳示例新能源股权投资基金合伙企业（有限合伙）", "基金", "深圳市", "股权投资"),
    ("示例证券股份有限公司", "券商", "上海市", "证券"),
    ("示例资本证券有限责任公司", "券商", "深圳市", "证券"),
    ("示例国际证券有限公司", "券商", "北京市", "证券"),
    ("上海示例律师事务所", "律所", "上海市", "法律服务"),
    ("深圳示例律师事务所", "律所", "深圳市", "法律服务"),
    ("上海示例膜材产业咨询有限公司", "咨询机构", "上海市", "产业咨询"),
    ("苏州示例产业研究咨询有限公司", "咨询机构", "苏州市", "产业咨询"),
)
#: (name, 类别, credit-code prefix: 11 organ / 12 public institution).
_GOVERNMENT = (
    ("中共示例县委员会", "政府部门", "11"), ("示例县人民政府", "政府部门", "11"),
    ("示例县投资促进中心", "政府部门", "12"), ("示例县商务局", "政府部门", "11"),
    ("示例县工业和信息化局", "政府部门", "11"), ("示例县功能膜产业园管理委员会", "政府部门", "11"),
    ("示例县第一中学", "学校", "12"), ("示例县实验中学", "学校", "12"),
)


def scaled(n: int, scale: float, minimum: int = 1) -> int:
    """``n * scale`` rounded, never below ``minimum`` (nor above ``n`` when scaling down)."""
    return max(minimum, int(round(n * scale)))


def _weighted(rng: random.Random, items: list, weights: list[float]):
    return rng.choices(items, weights=weights, k=1)[0]


def _pick_city(rng: random.Random, exclude: str = "") -> City:
    pool = [c for c in CITIES if c.name != exclude]
    return _weighted(rng, pool, [c.weight ** 0.6 for c in pool])


def _lognormal(rng: random.Random, median: float, sigma: float, lo: float, hi: float) -> float:
    return round(min(hi, max(lo, math.exp(rng.gauss(math.log(median), sigma)))), 2)


class _CompanyFactory:
    """Builds companies one by one, keeping names, brands and stock codes unique."""

    def __init__(self, chain: Chain, rng: random.Random, brands: BrandPool) -> None:
        self.chain, self.rng, self.brands = chain, rng, brands
        self.names: set[str] = set()
        self.codes: set[str] = set()
        self.short_names: set[str] = set()

    def _positions(self, segment: str) -> list[tuple[str, str]]:
        seg = self.chain.segment(segment)
        out = [(segment, self.rng.choice(seg.products))]
        if self.rng.random() < 0.35:
            near = [n for n in self.chain.neighbours(segment)
                    if self.chain.segment(n).stage == seg.stage and self.chain.segment(n).leaf]
            if near:
                other = self.chain.segment(self.rng.choice(near))
                out.append((other.name, self.rng.choice(other.products)))
        return out

    def make(self, segment: str, *, listed: bool = False, local: bool = False,
             parent: Org | None = None) -> Org:
        rng = self.rng
        seg = self.chain.segment(segment)
        word = rng.choice(_NAME_WORDS[seg.industry])
        brand = parent.brand if parent else self.brands.draw()
        while True:
            if local:
                place, prov, division = COUNTY, COUNTY_PROVINCE, COUNTY_DIVISION
                prefix = rng.choice(("示例", "示例县", "江苏"))
            else:
                where = _pick_city(rng, exclude=parent.city if parent else "")
                place, prov, division = where.name, where.province, where.division
                prefix = where.prefix if rng.random() < 0.8 else where.province.rstrip("省市")
            form = "股份有限公司" if listed or (not parent and rng.random() < 0.2) else "有限公司"
            name = f"{prefix}{brand}{word}{form}"
            if name not in self.names:
                break
        self.names.add(name)
        big = 3.0 if segment in _DOWNSTREAM_BIG else 1.0
        if listed:
            revenue = _lognormal(rng, 25 * big, 1.0, 2.0, 1500)
        elif local:
            revenue = _lognormal(rng, 2.5, 0.9, 0.2, 40)
        else:
            revenue = _lognormal(rng, 2.0 * big, 1.1, 0.1, 300)
        org = Org(
            name=name, kind="上市公司" if listed else "企业", province=prov, city=place,
            industry=seg.industry, revenue_yi=revenue,
            employees=max(15, int(revenue * rng.uniform(25, 70))),
            is_local=local, chain_leader=False, brand=brand,
            parent=parent.name if parent else "", segments=self._positions(segment),
        )
        if listed or rng.random() < 0.85:
            org.credit_code = credit_code(rng, division)
        if listed:
            self._list(org, word)
        if parent:
            org.note = "上市公司子公司"
        return org

    def _list(self, org: Org, word: str) -> None:
        boards = list(_EXCHANGE_WEIGHTS)
        org.exchange = _weighted(self.rng, boards, [_EXCHANGE_WEIGHTS[b] for b in boards])
        code = stock_code(self.rng, org.exchange)
        while code in self.codes:
            code = stock_code(self.rng, org.exchange)
        self.codes.add(code)
        org.stock_code = code
        candidates = [(org.brand + word)[:4], org.brand[:2] + word[-2:], org.brand[:2] + word[:2],
                      org.brand[:2] + "股份"]
        short = next((c for c in candidates if len(c) == 4 and c not in self.short_names),
                     org.brand[:2] + str(len(self.short_names)).zfill(2))
        self.short_names.add(short)
        org.short_name = short


def make_companies(chain: Chain, rng: random.Random, brands: BrandPool, scale: float) -> list[Org]:
    """Listed firms first (parents before subsidiaries), then other outside firms, then
    local firms; chain leaders flagged in :data:`CHAIN_LEADER_SEGMENTS`."""
    factory = _CompanyFactory(chain, rng, brands)
    leaves = [s.name for s in chain.leaves]
    weights = [TARGET_WEIGHTS.get(s, 1.0) for s in leaves]
    n_listed = scaled(80, scale)
    n_subs = scaled(30, scale, 0)
    n_total = scaled(600, scale)
    local_plan = [(seg, int(round(n * scale))) for seg, n in LOCAL_COUNTS.items()]
    local_plan[0] = (local_plan[0][0], max(1, local_plan[0][1]))
    n_local = sum(n for _, n in local_plan)
    n_other = max(0, n_total - n_listed - n_subs - n_local)

    listed_segments = list(CHAIN_LEADER_SEGMENTS[:n_listed])
    listed_segments += rng.choices(leaves, weights=weights, k=n_listed - len(listed_segments))
    listed = [factory.make(seg, listed=True) for seg in listed_segments]
    for seg in CHAIN_LEADER_SEGMENTS:
        candidates = [o for o in listed if o.segments[0][0] == seg]
        if candidates:
            max(candidates, key=lambda o: o.revenue_yi or 0).chain_leader = True
    subs = [factory.make(p.segments[0][0], parent=p) for p in rng.choices(listed, k=n_subs)]
    others = [factory.make(seg) for seg in rng.choices(leaves, weights=weights, k=n_other)]
    local = [factory.make(seg, local=True) for seg, n in local_plan for _ in range(n)]
    for seg in ("BOPET 基膜", "离型膜"):
        candidates = [o for o in local if o.segments[0][0] == seg]
        if candidates:
            max(candidates, key=lambda o: o.revenue_yi or 0).chain_leader = True
    return listed + subs + others + local


def make_fixed_orgs(rng: random.Random) -> tuple[list[Org], list[Org], list[Org]]:
    """Government units and schools, service firms, and associations (fixed at any scale)."""
    government = [
        Org(name=name, kind=kind, province=COUNTY_PROVINCE, city=COUNTY, industry="公共管理",
            credit_code=credit_code(rng, COUNTY_DIVISION, prefix))
        for name, kind, prefix in _GOVERNMENT
    ]
    services = []
    for name, kind, where, industry in _SERVICES:
        prov, division = ((COUNTY_PROVINCE, COUNTY_DIVISION) if where == COUNTY
                          else (city(where).province, city(where).division))
        prefix = "31" if kind == "律所" else "91"
        services.append(Org(name=name, kind=kind, province=prov, city=where, industry=industry,
                            credit_code=credit_code(rng, division, prefix),
                            employees=rng.randint(20, 400)))
    associations = []
    for name, kind, where, count, focus, industries in ASSOCIATIONS:
        prov, division = ((COUNTY_PROVINCE, COUNTY_DIVISION) if where == COUNTY
                          else (city(where).province, city(where).division))
        associations.append(Org(
            name=name, kind=kind, province=prov, city=where, member_count=count,
            industry="商协会", credit_code=credit_code(rng, division, "51"),
            focus=focus, focus_industries=industries,
            note="在外乡贤商会" if focus == "city" else "",
        ))
    return government, services, associations


def make_company_supplies(chain: Chain, companies: list[Org], rng: random.Random,
                          scale: float) -> list[Row]:
    """About 200 company -> company supply rows along the segment supply edges."""
    by_segment: dict[str, list[Org]] = {}
    for org in companies:
        for seg, _ in org.segments:
            by_segment.setdefault(seg, []).append(org)
    edges = [e for e in chain.supplies if by_segment.get(e.supplier) and by_segment.get(e.buyer)]
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    target = scaled(200, scale)
    attempts = 0
    while len(rows) < target and edges and attempts < target * 20:
        attempts += 1
        edge = rng.choice(edges)
        sellers = by_segment[edge.supplier]
        local = [o for o in sellers if o.is_local]
        seller = rng.choice(local if local and rng.random() < 0.4 else sellers)
        buyer = rng.choice(by_segment[edge.buyer])
        if seller is buyer or (seller.name, buyer.name) in seen:
            continue
        seen.add((seller.name, buyer.name))
        rows.append({"supplier": seller.name, "buyer": buyer.name, "product": edge.product})
    return rows
