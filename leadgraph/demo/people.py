"""People of the demo county: leaders, resident officers, hometown contacts,
ambassadors and company executives.

Names come from a seeded ``Faker('zh_CN')``; common names repeat naturally and are
kept apart by 工作单位 and 手机. Leader and officer names are reserved: nobody else
in the population gets one, so a visit log can name them by 姓名 alone.
"""

from __future__ import annotations

import random

from faker import Faker

from leadgraph.demo.model import Org, Person
from leadgraph.demo.naming import (
    CITIES, TOWNSHIPS, TOWNSHIP_WEIGHTS, ZONES, BrandPool, mobile,
)
from leadgraph.demo.orgs import scaled

__all__ = ["Population", "LEADER_POSTS"]

#: (职务, 分管领域, 单位) of the 12 county leaders.
LEADER_POSTS = (
    ("县委书记", "全面工作", "中共示例县委员会"),
    ("县长", "县政府全面工作", "示例县人民政府"),
    ("县委副书记", "党建、乡村振兴", "中共示例县委员会"),
    ("常务副县长", "发改、财政、招商引资", "示例县人民政府"),
    ("县委常委、功能膜产业园党工委书记", "功能膜产业园、新材料产业", "中共示例县委员会"),
    ("副县长", "工业和信息化、科技", "示例县人民政府"),
    ("副县长", "商务、投资促进", "示例县人民政府"),
    ("副县长", "自然资源、住房城乡建设", "示例县人民政府"),
    ("副县长", "农业农村、水利", "示例县人民政府"),
    ("副县长", "教育、卫生健康", "示例县人民政府"),
    ("副县长", "交通运输、应急管理", "示例县人民政府"),
    ("副县长", "公安", "示例县人民政府"),
)
#: Leaders who keep no 包保 contacts (index into LEADER_POSTS).
_NO_ASSIGNMENTS = {2, 11}
_UNIQUE_TITLES = {"董事长", "总经理", "董事会秘书", "财务总监", "副董事长"}
_EXEC_TITLES = {"董事长", "副董事长", "总经理", "副总经理", "董事会秘书", "财务总监"}
_DECISION_TITLES = {"董事长", "副董事长", "总经理"}
_COMPANY_TITLES = {
    "董事长": 8, "总经理": 10, "副总经理": 14, "销售总监": 12, "技术总监": 8, "董事会秘书": 2,
    "财务总监": 3, "采购经理": 6, "工程师": 12, "经理": 12, "研发经理": 5, "厂长": 4, "销售经理": 8,
}
_GENERIC_TITLES = {"董事长": 22, "总经理": 24, "副总经理": 10, "经理": 14, "合伙人": 5,
                   "工程师": 8, "销售经理": 9, "财务总监": 3}
#: Generic employers of hometown contacts outside the film chain: 行业 -> name words.
_GENERIC_TRADES = {
    "建筑": ("建设工程", "建筑装饰"), "商贸": ("贸易", "商贸"), "物流": ("物流", "供应链管理"),
    "餐饮": ("餐饮管理",), "房地产": ("置业", "房地产开发"), "机械制造": ("机械", "智能装备"),
    "电子": ("电子", "电子科技"), "纺织服装": ("服饰", "纺织"), "金融": ("投资管理", "资产管理"),
    "教育培训": ("教育科技", "培训"), "医疗器械": ("医疗器械",), "软件信息": ("信息技术", "软件"),
    "化工": ("化工", "精细化工"), "汽车销售": ("汽车销售服务",),
}
_SERVICE_TITLES = {
    "基金": ("合伙人", "投资总监"), "券商": ("投资银行部董事总经理", "保荐代表人"),
    "律所": ("合伙人", "主任"), "咨询机构": ("总经理", "首席分析师"),
}


class Population:
    """Draws every person of the county; keeps (姓名, 单位) pairs and mobiles unique."""

    def __init__(self, rng: random.Random, fake: Faker, brands: BrandPool) -> None:
        self.rng, self.fake, self.brands = rng, fake, brands
        self.people: list[Person] = []
        self._reserved: set[str] = set()
        self._pairs: set[tuple[str, str]] = set()
        self._mobiles: set[str] = set()
        self._titles_taken: set[tuple[str, str]] = set()
        self._generic_firms: dict[str, list[tuple[str, str]]] = {}

    # -- primitives -------------------------------------------------------------------

    def _name(self, gender: str) -> str:
        return self.fake.name_male() if gender == "男" else self.fake.name_female()

    def _mobile(self) -> str:
        while True:
            number = mobile(self.rng)
            if number not in self._mobiles:
                self._mobiles.add(number)
                return number

    def _add(self, name: str, org: str, roles: list[str], **attrs) -> Person:
        self._pairs.add((name, org))
        person = Person(pid=len(self.people), name=name, org=org, roles=roles, **attrs)
        self.people.append(person)
        return person

    def _person(self, org: str, roles: list[str], *, mobile_p: float, female_p: float = 0.28,
                **attrs) -> Person:
        gender = "女" if self.rng.random() < female_p else "男"
        while True:
            name = self._name(gender)
            if name not in self._reserved and (name, org) not in self._pairs:
                break
        number = self._mobile() if self.rng.random() < mobile_p else ""
        return self._add(name, org, roles, gender=gender, mobile=number, **attrs)

    def _reserved_person(self, org: str, roles: list[str], female_p: float, **attrs) -> Person:
        gender = "女" if self.rng.random() < female_p else "男"
        while True:
            name = self._name(gender)
            if name not in self._reserved:
                break
        self._reserved.add(name)
        return self._add(name, org, roles, gender=gender, **attrs)

    def _title(self, org: str, table: dict[str, int]) -> str:
        titles = [t for t in table if (org, t) not in self._titles_taken]
        title = self.rng.choices(titles, weights=[table[t] for t in titles], k=1)[0]
        if title in _UNIQUE_TITLES:
            self._titles_taken.add((org, title))
        return title

    # -- our side ---------------------------------------------------------------------

    def make_leaders(self) -> list[Person]:
        """The 12 county leaders (no mobile in the list: leaders' numbers are not shared)."""
        return [self._reserved_person(org, ["leader"], 0.15, title=title, portfolio=portfolio)
                for title, portfolio, org in LEADER_POSTS]

    def make_officers(self) -> list[Person]:
        """Two resident officers per promotion zone."""
        out = []
        for zone, cities in ZONES.items():
            for i in range(2):
                out.append(self._reserved_person(
                    "示例县投资促进中心", ["officer"], 0.3, zone=zone,
                    city=cities[min(i, len(cities) - 1)], mobile=self._mobile(),
                    since=self.rng.choice(("2022-03-01", "2022-09-01", "2023-02-20", "2023-07-01")),
                ))
        return out

    # -- hometown contacts -------------------------------------------------------------

    def _generic_firm(self, where: str) -> tuple[str, str]:
        firms = self._generic_firms.setdefault(where, [])
        if firms and self.rng.random() < 0.3:
            return self.rng.choice(firms)
        trade = self.rng.choice(sorted(_GENERIC_TRADES))
        word = self.rng.choice(_GENERIC_TRADES[trade])
        prefix = where[:-1] if where.endswith("市") else where
        firm = (f"{prefix}{self.brands.draw()}{word}有限公司", trade)
        firms.append(firm)
        return firm

    def make_contacts(self, companies: list[Org], services: list[Org], scale: float) -> list[Person]:
        """About 2,000 在外乡贤: ~42% at chain companies outside the county, a few at
        service firms, the rest at generic firms in their city."""
        rng = self.rng
        outside = [o for o in companies if not o.is_local]
        weights = [3.0 if o.kind == "上市公司" else 1.0 for o in outside]
        cities = [c.name for c in CITIES]
        city_w = [c.weight for c in CITIES]
        contacts = []
        for _ in range(scaled(2000, scale)):
            r = rng.random()
            if r < 0.42:
                org = rng.choices(outside, weights=weights, k=1)[0]
                employer, where, trade = org.name, org.city, org.industry
                title = self._title(employer, _COMPANY_TITLES)
            elif r < 0.45:
                org = rng.choice(services)
                employer, where, trade = org.name, org.city, org.industry
                title = rng.choice(_SERVICE_TITLES[org.kind])
            else:
                where = rng.choices(cities, weights=city_w, k=1)[0]
                employer, trade = self._generic_firm(where)
                title = self._title(employer, _GENERIC_TITLES)
            township = rng.choices(TOWNSHIPS, weights=TOWNSHIP_WEIGHTS, k=1)[0]
            contacts.append(self._person(
                employer, ["contact"], mobile_p=0.85, title=title, industry=trade,
                township=township, city=where, birth_year=rng.randint(1958, 1996),
                weight=rng.paretovariate(1.6),
            ))
        return contacts

    def assign_leaders(self, leaders: list[Person], contacts: list[Person],
                       companies: list[Org]) -> None:
        """3–5 key contacts per leader (10 of the 12), senior people at chain firms first."""
        rng = self.rng
        chain_firms = {o.name for o in companies}
        senior = [c for c in contacts if c.org in chain_firms
                  and c.title in ("董事长", "总经理", "副总经理", "董事会秘书", "销售总监")]
        rest = [c for c in contacts if c.org not in chain_firms and c.title in ("董事长", "总经理")]
        pool = rng.sample(senior, len(senior)) + rng.sample(rest, len(rest))
        for i, leader in enumerate(leaders):
            if i in _NO_ASSIGNMENTS:
                continue
            for _ in range(rng.choice((3, 4, 4, 5, 5))):
                if pool:
                    pool.pop(0).leader = leader.name

    def make_ambassadors(self, contacts: list[Person], companies: list[Org],
                         scale: float) -> list[Person]:
        """About 20 招商大使 picked among senior contacts who have a mobile."""
        chain_firms = {o.name for o in companies}
        pool = [c for c in contacts if c.mobile and c.title in ("董事长", "总经理", "副总经理")]
        pool.sort(key=lambda c: (c.org not in chain_firms, -c.weight))
        chosen = pool[: max(3, int(round(20 * scale)))]
        for i, person in enumerate(chosen):
            person.roles.append("ambassador")
            person.weight *= 6
            person.since = "2023-03-18" if i % 4 else "2024-03-28"
            person.note = "首批招商大使" if i % 4 else "2024年补聘"
        return chosen

    # -- executives --------------------------------------------------------------------

    def make_executives(self, companies: list[Org], services: list[Org]) -> list[Person]:
        """1–4 executives per listed firm and for many others; hometown contacts who hold
        an executive title at their firm are listed as executives too (same name+mobile)."""
        rng = self.rng
        by_org: dict[str, list[Person]] = {}
        for p in self.people:
            if "contact" in p.roles and p.title in _EXEC_TITLES:
                by_org.setdefault(p.org, []).append(p)
        out: list[Person] = []
        for org in companies:
            if org.kind == "上市公司":
                wanted = ["董事长", "总经理", "董事会秘书"] + rng.sample(["副总经理", "财务总监"], rng.randint(0, 1))
            elif org.parent:
                wanted = ["总经理"]
            elif org.is_local or rng.random() < 0.55 or org.name in by_org:
                wanted = ["董事长"] + rng.sample(["总经理", "副总经理"], rng.randint(0, 2 if org.is_local else 1))
            else:
                continue
            have = by_org.get(org.name, [])
            out.extend(have)
            held = {p.title for p in have}
            for title in wanted:
                if title in held or (org.name, title) in self._titles_taken:
                    continue
                self._titles_taken.add((org.name, title))
                out.append(self._person(org.name, [], mobile_p=0.3 if title == "董事长" else 0.5,
                                        female_p=0.18, title=title, industry=org.industry,
                                        city=org.city, weight=rng.paretovariate(1.8)))
        for org in services:
            for title in _SERVICE_TITLES[org.kind][: rng.randint(1, 2)]:
                out.append(self._person(org.name, [], mobile_p=0.7, title=title, city=org.city,
                                        industry=org.industry, weight=2.0))
        for p in out:
            if "executive" not in p.roles:
                p.roles.append("executive")
            p.decision_maker = p.title in _DECISION_TITLES or p.title in ("主任", "合伙人")
            if p.title == "董事长" and rng.random() < 0.7:
                p.share_pct = round(rng.uniform(5, 45), 2)
            elif p.title == "总经理" and rng.random() < 0.25:
                p.share_pct = round(rng.uniform(0.5, 8), 2)
        return out
