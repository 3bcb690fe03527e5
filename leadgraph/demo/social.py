"""Who knows whom in the demo county: person-person ties, association memberships,
events and who attended them.

Ties are heavy-tailed (each person has a sociability weight; ambassadors are hubs)
and deliberately reach decision makers of listed firms: every contact a leader keeps
(包保) knows a listed firm's chairman directly or through one of its executives, so
referral paths of 2–3 hops exist from the county's side.
"""

from __future__ import annotations

import bisect
import itertools
import random
from pathlib import Path

from leadgraph.demo.chain import read_yaml
from leadgraph.demo.model import Org, Person, Row, World
from leadgraph.demo.naming import iso_date
from leadgraph.demo.orgs import scaled

__all__ = ["make_ties", "make_members", "make_events", "make_attendance", "EVENTS"]

_SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "schema.yaml"

#: (活动名称, 类型, 日期, 地点, 备注, relative size)
EVENTS = (
    ("示例县在外乡贤新春座谈会（2023）", "座谈会", "2023-01-25", "示例县", "春节期间邀请在外乡贤返乡座谈", 1.4),
    ("示例县招商大使聘任仪式暨座谈会", "座谈会", "2023-03-18", "示例县", "首批招商大使聘任", 0.6),
    ("示例县光学与功能膜产业高峰论坛 2023", "论坛", "2023-04-20", "示例县", "与膜材料企业、咨询机构合办", 1.6),
    ("2023上海国际胶带与薄膜展示例县推介会", "推介会", "2023-06-14", "上海市", "展会期间举办", 1.2),
    ("功能膜本土化替代趋势研讨会", "论坛", "2023-08-10", "示例县", "", 0.8),
    ("长三角功能膜产业招商推介会", "推介会", "2023-09-12", "苏州市", "", 1.0),
    ("示例县国庆在外乡贤联谊会", "联谊会", "2023-10-02", "示例县", "", 1.0),
    ("2023深圳国际薄膜与胶带展示例县推介会", "推介会", "2023-10-18", "深圳市", "展会期间举办", 1.0),
    ("珠三角新材料产业对接会", "对接会", "2023-11-16", "东莞市", "", 0.8),
    ("示例县在常商协会恳谈会", "座谈会", "2023-12-08", "常州市", "", 0.6),
    ("示例县在外乡贤新春座谈会（2024）", "座谈会", "2024-02-16", "示例县", "", 1.4),
    ("示例县新能源材料招商推介会（深圳）", "推介会", "2024-03-21", "深圳市", "围绕光伏、储能补链", 0.9),
    ("示例县光伏与储能材料产业对接会", "对接会", "2024-04-25", "常州市", "", 0.9),
    ("聚酯薄膜产业发展论坛", "论坛", "2024-05-15", "杭州市", "与行业协会合办", 0.9),
    ("示例县电子显示材料论坛", "论坛", "2024-06-12", "合肥市", "", 0.7),
)

_CONTEXT_NOTES = {
    "同学": ("示例县第一中学同学", "示例县实验中学同学", "大学同学", "初中同学", ""),
    "同乡": ("同村", "老家邻居", "", ""),
    "亲属": ("表兄弟", "姻亲", "堂兄弟", "舅甥"),
    "战友": ("同年入伍", "同一部队服役"),
    "同事": ("前同事", "曾在同一公司任职", ""),
    "朋友": ("多年好友", "商会活动结识", ""),
    "业务": ("多年供货往来", "客户", "合作伙伴", "项目合作", ""),
}


def _tie_strengths() -> dict[str, float]:
    raw = read_yaml(_SCHEMA)
    return dict(raw["edges"]["KNOWS"]["strengths"])


class _Sampler:
    """Weighted draws from a fixed list (cumulative weights, bisect)."""

    def __init__(self, items: list[Person], rng: random.Random) -> None:
        self.items, self.rng = items, rng
        self.cum = list(itertools.accumulate(p.weight for p in items))

    def draw(self) -> Person:
        return self.items[bisect.bisect(self.cum, self.rng.random() * self.cum[-1])]


class _Ties:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[Row] = []
        self.pairs: set[tuple[int, int]] = set()
        self.strengths = _tie_strengths()

    def add(self, a: Person, b: Person, context: str, note: str | None = None) -> bool:
        key = (min(a.pid, b.pid), max(a.pid, b.pid))
        if a is b or key in self.pairs:
            return False
        self.pairs.add(key)
        strength = None
        if self.rng.random() < 0.3:
            base = self.strengths.get(context, 0.4)
            strength = round(min(1.0, max(0.1, base + self.rng.uniform(-0.1, 0.1))), 2)
        if note is None:
            note = self.rng.choice(_CONTEXT_NOTES.get(context, ("",)))
        self.rows.append({**a.ref("_a"), **b.ref("_b"), "context": context,
                          "strength": strength, "note": note})
        return True


def _pick(rng: random.Random, table: dict[str, int]) -> str:
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys], k=1)[0]


def make_ties(world: World, rng: random.Random, scale: float) -> list[Row]:
    """About 5,000 KNOWS rows: colleagues, our side to contacts, paths to chairmen,
    ambassador hubs, supply partners, then heavy-tailed random ties to the target."""
    ties = _Ties(rng)
    people = world.people
    leaders, officers = world.people_with("leader"), world.people_with("officer")
    contacts, execs = world.people_with("contact"), world.people_with("executive")
    by_org: dict[str, list[Person]] = {}
    for p in people:
        by_org.setdefault(p.org, []).append(p)
    listed = [o for o in world.orgs if o.kind == "上市公司"]
    chairs = [p for o in listed for p in by_org.get(o.name, []) if p.title == "董事长"]

    for org in world.companies:  # colleagues: bosses know each other and their hometown staff
        staff = by_org.get(org.name, [])
        bosses = [p for p in staff if p.decision_maker] or staff[:1]
        for a in staff:
            if a in bosses or "contact" in a.roles or rng.random() < 0.3:
                for b in bosses:
                    ties.add(a, b, "同事", "")
    for a, b in itertools.combinations(leaders[:4], 2):
        ties.add(a, b, "同事", "")
    for leader in leaders:  # our side knows some contacts
        for c in rng.sample(contacts, min(len(contacts), rng.randint(3, 6))):
            ties.add(leader, c, _pick(rng, {"同学": 3, "同乡": 3, "朋友": 2}))
    for officer in officers:
        near = [p for p in contacts + execs if p.city == officer.city] or contacts
        for c in rng.sample(near, min(len(near), rng.randint(6, 14))):
            ties.add(officer, c, _pick(rng, {"业务": 4, "朋友": 2, "同乡": 2}), "驻点走访结识")
    for c in contacts:  # every assigned contact reaches a listed chairman in 1-2 ties
        if not c.leader or not chairs:
            continue
        chair = rng.choice(chairs)
        if rng.random() < 0.55:
            ties.add(c, chair, _pick(rng, {"业务": 3, "同学": 2, "朋友": 2}))
        else:
            bridge = [p for p in by_org[chair.org] if p is not chair] or [chair]
            ties.add(c, rng.choice(bridge), _pick(rng, {"业务": 3, "朋友": 2}))
    decision = [p for p in execs if p.decision_maker]
    for amb in world.people_with("ambassador"):  # ambassadors are hubs
        for _ in range(rng.randint(15, 40)):
            other = rng.choice(decision) if rng.random() < 0.5 else rng.choice(contacts)
            ties.add(amb, other, _pick(rng, {"业务": 3, "朋友": 3, "同乡": 2, "同学": 1}))
    for p in execs:  # brokers, funds, lawyers and consultants know listed firms' people
        if world.org(p.org).kind in ("基金", "券商", "律所", "咨询机构"):
            for chair in rng.sample(chairs, min(len(chairs), rng.randint(4, 10))):
                ties.add(p, chair, "业务", rng.choice(("IPO 服务", "再融资服务", "募投项目咨询", "投后服务")))
    for row in world.company_supplies:
        a, b = by_org.get(row["supplier"]), by_org.get(row["buyer"])
        if a and b and rng.random() < 0.6:
            ties.add(rng.choice(a), rng.choice(b), "业务", "供货往来")

    _random_ties(ties, people, contacts, rng, scaled(5000, scale))
    return ties.rows


def _random_ties(ties: _Ties, people: list[Person], contacts: list[Person],
                 rng: random.Random, target: int) -> None:
    everyone = _Sampler(people, rng)
    by_town: dict[str, list[Person]] = {}
    by_city: dict[str, list[Person]] = {}
    for c in contacts:
        by_town.setdefault(c.township, []).append(c)
    for p in people:
        if p.city:
            by_city.setdefault(p.city, []).append(p)
    towns = {k: _Sampler(v, rng) for k, v in by_town.items()}
    cities = {k: _Sampler(v, rng) for k, v in by_city.items()}
    attempts = 0
    while len(ties.rows) < target and attempts < target * 10:
        attempts += 1
        a = everyone.draw()
        r = rng.random()
        if r < 0.45 and a.township in towns:
            b = towns[a.township].draw()
            context = _pick(rng, {"同乡": 10, "同学": 5, "亲属": 3, "朋友": 2})
        elif r < 0.7 and a.city in cities:
            b = cities[a.city].draw()
            context = _pick(rng, {"朋友": 5, "业务": 5, "同乡": 1})
        else:
            b = everyone.draw()
            context = _pick(rng, {"业务": 8, "朋友": 7, "同学": 2, "战友": 1, "同事": 2})
        ties.add(a, b, context, "前同事" if context == "同事" else None)


# -- associations ------------------------------------------------------------------------

def _status(person: Person, world: World) -> float:
    rank = {"董事长": 5, "总经理": 4, "副董事长": 4, "副总经理": 3, "董事会秘书": 2}.get(person.title, 1)
    try:
        revenue = world.org(person.org).revenue_yi or 0.0
    except KeyError:
        revenue = 0.0
    return rank * 10 + min(revenue, 50) / 5 + person.weight


def _member_pool(assoc: Org, world: World) -> tuple[list[Person], list[Org]]:
    contacts = world.people_with("contact")
    execs = world.people_with("executive")
    local_execs = [p for p in execs if "contact" not in p.roles and world.org(p.org).is_local]
    local_firms = [o for o in world.companies if o.is_local]
    if assoc.focus == "city":
        return ([c for c in contacts if c.city == assoc.city],
                [o for o in world.companies if o.city == assoc.city])
    if assoc.focus == "county":
        return local_execs + contacts, local_firms
    if assoc.focus == "young":
        return [p for p in contacts + local_execs if (p.birth_year or 1980) >= 1985 or
                (p in local_execs and p.title == "副总经理")], []
    if assoc.focus == "women":
        return [p for p in contacts + local_execs if p.gender == "女"], local_firms
    if assoc.focus == "ambassador":
        return world.people_with("ambassador"), []
    if assoc.focus == "talent":
        return [c for c in contacts if c.title not in ("董事长", "总经理")], []
    firms = [o for o in world.companies if o.industry in assoc.focus_industries]
    names = {o.name for o in firms}
    if assoc.city == "示例县":
        firms = [o for o in firms if o.is_local]
        names = {o.name for o in firms}
    return [p for p in execs if p.org in names], firms


def make_members(world: World, rng: random.Random, scale: float) -> list[Row]:
    """Membership rows per association, sized by its 会员数 (scaled); people first,
    then member firms (empty 姓名) when there are fewer people than seats."""
    rows: list[Row] = []
    for assoc in world.orgs_of("商会", "协会"):
        count = assoc.member_count or 0
        seats = min(count, max(min(count, 5), int(round(count * scale))))
        people, firms = _member_pool(assoc, world)
        chosen = rng.sample(people, min(len(people), seats))
        chosen.sort(key=lambda p: -_status(p, world))
        roles = _roles(len(chosen))
        for person, role in zip(chosen, roles):
            rows.append({"association": assoc.name, **person.ref(), "role": role,
                         "since": iso_date(rng, "2012-01-01", "2023-12-31")})
        member_firms = {p.org for p in chosen}
        spare = [o for o in firms if o.name not in member_firms]
        for org in rng.sample(spare, min(len(spare), seats - len(chosen))):
            rows.append({"association": assoc.name, "name": "", "org": org.name, "mobile": "",
                         "role": "理事" if rng.random() < 0.1 else "会员",
                         "since": iso_date(rng, "2015-01-01", "2024-05-31")})
    return rows


def _roles(n: int) -> list[str]:
    """会内职务 for ``n`` members sorted by standing: one chair, a few vice chairs…"""
    roles = ["会长"]
    if n >= 50:
        roles.append("执行会长")
    roles += ["副会长"] * max(1, n // 25)
    roles.append("秘书长")
    roles += ["理事"] * (n // 8)
    roles += ["会员"] * n
    return roles[:n]


# -- events ------------------------------------------------------------------------------

def make_events() -> list[Row]:
    """The 15 events of 2023–2024 (fixed at any scale)."""
    return [{"name": n, "event_type": t, "date": d, "city": c, "note": note}
            for n, t, d, c, note, _ in EVENTS]


def make_attendance(world: World, rng: random.Random, scale: float) -> list[Row]:
    """About 600 attendance rows: our side hosts, guests by person, firms by name."""
    leaders, officers = world.people_with("leader"), world.people_with("officer")
    contacts, execs = world.people_with("contact"), world.people_with("executive")
    ambassadors = world.people_with("ambassador")
    total = scaled(600, scale)
    size_sum = sum(e[-1] for e in EVENTS)
    rows: list[Row] = []
    for name, kind, day, where, _, size in EVENTS:
        n = max(4, int(round(total * size / size_sum)))
        hosts = rng.sample(leaders, rng.randint(1, 3))
        hosts += [o for o in officers if o.city == where or where == "示例县"][:3]
        if kind == "座谈会" and "大使" in name:
            guests = [a for a in ambassadors if a.since <= day]
        elif where == "示例县":
            guests = contacts + [p for p in execs if p.decision_maker]
        else:
            guests = [p for p in contacts + execs if p.city == where] or contacts
        seen: set[int] = set()
        for p in hosts:
            seen.add(p.pid)
            rows.append({"event": name, **p.ref(), "role": "主办方"})
        for p in rng.sample(guests, min(len(guests), max(0, int(n * 0.8) - len(hosts)))):
            if p.pid in seen:
                continue
            seen.add(p.pid)
            if p.decision_maker and rng.random() < 0.15:
                role = "演讲嘉宾"
            else:
                role = "嘉宾" if "contact" in p.roles else "参会代表"
            rows.append({"event": name, **p.ref(), "role": role})
        firms = [o for o in world.companies if o.is_local or o.city == where]
        for org in rng.sample(firms, min(len(firms), max(1, n - int(n * 0.8)))):
            rows.append({"event": name, "name": "", "org": org.name, "mobile": "",
                         "role": "参展企业" if kind == "推介会" else "参会企业"})
    return rows
