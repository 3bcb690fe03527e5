"""The promotion centre's own records: the visit log (走访记录) and the project
ledger (项目台账), 2023-01 to 2024-06.

Officers differ on purpose (some visit often and find leads, others do not), and the
ledger shows the seed report's problems: many leads, few big projects, signed
projects not started on time, produced projects not yet counted (入统).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from leadgraph.demo.model import Person, Row, World
from leadgraph.demo.naming import ZONES, iso_date
from leadgraph.demo.orgs import scaled

__all__ = ["make_visits", "make_projects", "PROJECT_STAGES"]

PROJECT_STAGES = ("线索", "在谈", "签约", "开工", "投产", "入统")
_STAGE_WEIGHTS = (35, 30, 20, 15, 10, 10)
_LAST_DAY = date(2024, 6, 30)

_GOOD_NOTES = (
    "企业有在长三角新建{p}生产基地意向，已约回访",
    "了解到企业{p}扩产计划，已推荐示例县功能膜产业园",
    "上市公司募投项目拟新增{p}产能，企业同意来县考察",
    "与企业负责人面谈，初步达成{p}项目合作意向",
)
_PLAIN_NOTES = (
    "介绍示例县投资环境与招商政策，企业暂无投资计划",
    "了解企业{p}生产经营情况，保持联系",
    "企业近期以消化现有产能为主，约定季度回访",
    "推介示例县产业基金与标准厂房，企业表示将内部评估",
    "企业负责人外出，与接待人交流{p}市场情况",
)


def _workday(d: date) -> date:
    return d + timedelta(days=(7 - d.weekday()) % 7) if d.weekday() >= 5 else d


def make_visits(world: World, rng: random.Random, scale: float) -> list[Row]:
    """About 800 visits by officers (in their zone's cities) and leaders (to listed
    firms and chain leaders anywhere), sorted by date."""
    officers, leaders = world.people_with("officer"), world.people_with("leader")
    outside = [o for o in world.companies if not o.is_local]
    prime = [o for o in outside if o.kind == "上市公司" or o.chain_leader] or outside
    staff: dict[str, list[Person]] = {}
    for p in world.people_with("executive"):
        staff.setdefault(p.org, []).append(p)
    activity = {o.pid: rng.uniform(0.4, 1.6) for o in officers}
    hit_rate = {o.pid: rng.uniform(0.08, 0.35) for o in officers}
    rows: list[Row] = []
    seen: set[tuple[str, str, str]] = set()
    target = scaled(800, scale)
    while len(rows) < target:
        if rng.random() < 0.85:
            visitor = rng.choices(officers, weights=[activity[o.pid] for o in officers], k=1)[0]
            zone_firms = [o for o in outside if o.city in ZONES[visitor.zone]] or outside
            org, rate = rng.choice(zone_firms), hit_rate[visitor.pid]
        else:
            visitor, org, rate = rng.choice(leaders), rng.choice(prime), 0.4
        day = _workday(date.fromisoformat(iso_date(rng, "2023-01-03", "2024-06-28")))
        if day > _LAST_DAY or (visitor.name, org.name, day.isoformat()) in seen:
            continue
        seen.add((visitor.name, org.name, day.isoformat()))
        valid = rng.random() < rate
        product = org.segments[0][1] if org.segments else "功能膜"
        note = rng.choice(_GOOD_NOTES if valid else _PLAIN_NOTES).format(p=product)
        host = rng.choice(staff[org.name]).name if org.name in staff and rng.random() < 0.7 else ""
        rows.append({"date": day.isoformat(), "visitor": visitor.name, "org": org.name,
                     "contact_person": host, "notes": note, "valid_lead": "是" if valid else "否"})
    rows.sort(key=lambda r: (r["date"], r["visitor"], r["org"]))
    return rows


def _project_name(rng: random.Random, brand: str, segment: str, product: str) -> str:
    size = rng.choice((500, 1000, 2000, 3000, 5000, 8000))
    unit = "万平方米" if "膜" in segment or "片" in segment or "胶带" in segment or "背板" in segment else "万件"
    if segment in ("锂电池", "储能"):
        unit, size = "GWh", rng.choice((2, 5, 10, 20))
    elif "树脂" in segment or "切片" in segment or segment in ("PMMA", "PC", "涂布材料", "胶粘剂", "助剂母粒", "光学级硅胶"):
        unit, size = "万吨", rng.choice((1, 2, 5, 10, 20))
    pattern = rng.choice(("{b}年产{n}{u}{p}项目", "{b}{p}生产基地项目", "{b}年产{n}{u}{p}扩产项目",
                          "{b}{p}研发及产业化项目"))
    return pattern.format(b=brand, n=size, u=unit, p=product)


def _dates(rng: random.Random, stage: str) -> dict[str, str]:
    """Dates consistent with ``stage``: found <= signed <= started <= produced <= counted."""
    steps = PROJECT_STAGES.index(stage)
    gaps = {"signed_on": (30, 200), "started_on": (30, 240), "produced_on": (90, 330),
            "counted_on": (15, 150)}
    fields = ["signed_on", "started_on", "produced_on", "counted_on"][: max(0, steps - 1)]
    end = date.fromisoformat(iso_date(rng, "2023-09-01" if steps >= 4 else "2023-02-01", "2024-06-28"))
    out: dict[str, str] = {}
    day = end
    for name in reversed(fields):
        out[name] = day.isoformat()
        day -= timedelta(days=rng.randint(*gaps[name]))
    if stage in ("线索", "在谈"):
        day -= timedelta(days=rng.randint(0, 200))
    out["found_on"] = day.isoformat()
    return out


def make_projects(world: World, rng: random.Random, scale: float) -> list[Row]:
    """About 120 ledger rows with stage-consistent dates and a responsible leader."""
    leaders = world.people_with("leader")
    companies = world.companies
    outside = [o for o in companies if not o.is_local]
    local = [o for o in companies if o.is_local]
    zone_of = {c: z for z, cities in ZONES.items() for c in cities}
    names: set[str] = set()
    rows: list[Row] = []
    target = scaled(120, scale)
    while len(rows) < target:
        org = rng.choice(local if local and rng.random() < 0.25 else outside)
        segment, product = org.segments[0]
        name = _project_name(rng, org.short_name or org.brand, segment, product)
        if name in names:
            continue
        names.add(name)
        stage = rng.choices(PROJECT_STAGES, weights=_STAGE_WEIGHTS, k=1)[0]
        amount = round(min(30.0, max(0.3, math.exp(rng.gauss(math.log(1.8), 1.0)))), 2)
        note = ""
        if org.kind == "上市公司" and rng.random() < 0.4:
            note = "上市公司募投项目"
        elif stage == "签约" and rng.random() < 0.4:
            note = "未按时开工"
        elif stage == "投产" and rng.random() < 0.5:
            note = "已投产未入统"
        elif org.is_local:
            note = "本地企业增资扩产"
        rows.append({
            "name": name, "org": org.name, "amount_yi": amount, "stage": stage,
            "industry": world.chain.segment(segment).industry, **_dates(rng, stage),
            "zone": zone_of.get(org.city) or rng.choice(list(ZONES)),
            "owner": rng.choice(leaders).name, "note": note,
        })
    return rows
