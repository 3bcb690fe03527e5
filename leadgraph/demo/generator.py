"""Generate the fictional demo county 示例县 as the list files a user would load.

One seed fixes everything: a ``random.Random(seed)`` for all choices and a
``Faker('zh_CN')`` seeded with the same value for names; no global random state is
touched, so two runs with one seed write identical files.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     files = write_demo_lists(Path(tmp), scale=0.05)
...     [kind for _, kind in files][:3]
['segments', 'organizations', 'organizations']
"""

from __future__ import annotations

import random
from pathlib import Path

from faker import Faker

from leadgraph.demo.activity import make_projects, make_visits
from leadgraph.demo.chain import Chain, load_chain
from leadgraph.demo.model import Person, Row, World
from leadgraph.demo.naming import BrandPool
from leadgraph.demo.orgs import make_companies, make_company_supplies, make_fixed_orgs
from leadgraph.demo.people import Population
from leadgraph.demo.social import make_attendance, make_events, make_members, make_ties
from leadgraph.demo.writers import write_csv, write_xlsx

__all__ = ["DEMO_SEED", "DEMO_FILES", "build_world", "write_demo_lists"]

DEMO_SEED = 20240101

#: (file name, list kind) in load order: every list is loaded after the lists it names.
DEMO_FILES: tuple[tuple[str, str], ...] = (
    ("01_产业链环节.csv", "segments"),
    ("02_上市公司名录.csv", "organizations"),
    ("03_企业名录.xlsx", "organizations"),
    ("04_商协会及服务机构.csv", "organizations"),
    ("05_政府部门及学校.csv", "organizations"),
    ("06_县领导名单.csv", "leaders"),
    ("07_驻外招商人员名单.csv", "officers"),
    ("08_在外乡贤名录.xlsx", "contacts"),
    ("09_招商大使名单.csv", "ambassadors"),
    ("10_企业高管名单.csv", "executives"),
    ("11_商协会会员名单.csv", "members"),
    ("12_人脉关系.csv", "ties"),
    ("13_企业产业链定位.csv", "positions"),
    ("14_供应关系.csv", "supplies"),
    ("15_活动.csv", "events"),
    ("16_活动参加名单.csv", "attendance"),
    ("17_走访记录.csv", "visits"),
    ("18_项目台账.xlsx", "projects"),
)


def build_world(*, seed: int = DEMO_SEED, scale: float = 1.0, chain: Chain | None = None) -> World:
    """Build the demo county in memory (what :func:`write_demo_lists` writes)."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    brands = BrandPool(rng)
    world = World(chain=chain or load_chain())

    companies = make_companies(world.chain, rng, brands, scale)
    government, services, associations = make_fixed_orgs(rng)
    world.orgs = companies + associations + services + government

    pop = Population(rng, fake, brands)
    leaders = pop.make_leaders()
    pop.make_officers()
    contacts = pop.make_contacts(companies, services, scale)
    pop.assign_leaders(leaders, contacts, companies)
    pop.make_ambassadors(contacts, companies, scale)
    pop.make_executives(companies, services)
    world.people = pop.people

    world.company_supplies = make_company_supplies(world.chain, companies, rng, scale)
    world.ties = make_ties(world, rng, scale)
    world.members = make_members(world, rng, scale)
    world.events = make_events()
    world.attendance = make_attendance(world, rng, scale)
    world.visits = make_visits(world, rng, scale)
    world.projects = make_projects(world, rng, scale)
    return world


def _person_rows(people: list[Person], kind: str) -> list[Row]:
    rows = []
    for p in people:
        if kind == "leaders":
            rows.append({"name": p.name, "title": p.title, "portfolio": p.portfolio,
                         "mobile": p.mobile, "org": p.org})
        elif kind == "officers":
            rows.append({"name": p.name, "mobile": p.mobile, "org": p.org, "zone": p.zone,
                         "city": p.city, "since": p.since})
        elif kind == "contacts":
            rows.append({"name": p.name, "gender": p.gender, "birth_year": p.birth_year,
                         "mobile": p.mobile, "org": p.org, "title": p.title,
                         "industry": p.industry, "township": p.township, "city": p.city,
                         "leader": p.leader,
                         "note": "招商大使" if "ambassador" in p.roles else ""})
        elif kind == "ambassadors":
            rows.append({"name": p.name, "mobile": p.mobile, "org": p.org, "title": p.title,
                         "industry": p.industry, "township": p.township, "city": p.city,
                         "appointed_on": p.since, "note": p.note})
        elif kind == "executives":
            rows.append({"name": p.name, "org": p.org, "title": p.title,
                         "decision_maker": p.decision_maker, "mobile": p.mobile,
                         "share_pct": p.share_pct})
    return rows


def _rows(world: World, file_name: str, kind: str) -> list[Row]:
    if kind == "segments":
        return [{"name": s.name, "parent": s.parent, "stage": s.stage,
                 "description": s.description} for s in world.chain.segments]
    if kind == "organizations":
        group = {"02": ("上市公司",), "03": ("企业",), "04": ("商会", "协会", "基金", "券商", "律所", "咨询机构"),
                 "05": ("政府部门", "学校")}[file_name[:2]]
        return [o.row() for o in world.orgs_of(*group)]
    if kind in ("leaders", "officers", "contacts", "ambassadors", "executives"):
        role = {"leaders": "leader", "officers": "officer", "contacts": "contact",
                "ambassadors": "ambassador", "executives": "executive"}[kind]
        return _person_rows(world.people_with(role), kind)
    if kind == "positions":
        return [{"org": o.name, "segment": seg, "main_product": product, "capacity": ""}
                for o in world.companies for seg, product in o.segments]
    if kind == "supplies":
        return [{"supplier": e.supplier, "buyer": e.buyer, "product": e.product}
                for e in world.chain.supplies] + world.company_supplies
    return {"members": world.members, "ties": world.ties, "events": world.events,
            "attendance": world.attendance, "visits": world.visits,
            "projects": world.projects}[kind]


def write_demo_lists(out_dir: Path, *, seed: int = DEMO_SEED,
                     scale: float = 1.0) -> list[tuple[Path, str]]:
    """Write the demo county's lists into out_dir; return (file, kind) in the order they must be loaded.

    ``scale`` multiplies the big counts (companies, contacts, ties, visits…); the
    taxonomy, townships, leaders, officers, associations and events stay fixed.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = build_world(seed=seed, scale=scale)
    written = []
    for file_name, kind in DEMO_FILES:
        path = out_dir / file_name
        rows = _rows(world, file_name, kind)
        if path.suffix == ".xlsx":
            write_xlsx(path, kind, rows)
        else:
            write_csv(path, kind, rows)
        written.append((path, kind))
    return written
