"""Merge quality of entity resolution on a generated, labelled set of list rows.

A seeded world of companies and people is written as the lists a county really gets:
an organisation list, a township contact list, a chamber-of-commerce member list and an
event attendance list. Every row carries, outside the file, the true person and company
it names. The same person appears in several lists with the company written another way
(全称 / 简称 / without region / another legal form / spaces), the mobile in another format
(spaces, dashes, +86, full-width digits, ``.0``) or missing, the name with a full-width
space or, with the same mobile, a homophone typo (张伟 → 张玮). Planted homonyms are
different people with the same name (other hometown, birth year, company, mobile); planted
company homonyms are two firms with one brand in two cities.

The lists are loaded through ``leadgraph.ingest.loader.ingest_file`` into a fresh embedded
store (order: organisations, contacts, members, attendance), and each row's node is
traced. Precision and recall are measured on pairs of rows: a pair is *merged* when both
rows landed on one node, *true* when both name one real entity.

Usage::

    .venv/bin/python bench/merge_quality.py                 # 300 people, 80 companies, seed 7
    .venv/bin/python bench/merge_quality.py --people 600 --companies 150 --seed 11

``tests/ingest/test_merge_quality.py`` runs the same generator smaller, with the same
thresholds (precision ≥ 0.98, recall ≥ 0.95).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leadgraph.demo.naming import CITIES, TOWNSHIPS, BrandPool, credit_code, mobile  # noqa: E402
from leadgraph.graph import EmbeddedStore  # noqa: E402
from leadgraph.ingest.loader import ingest_file  # noqa: E402

__all__ = ["World", "make_world", "write_lists", "measure", "Quality", "main"]

_SURNAMES = "张王李刘陈杨黄赵周吴徐孙马朱胡郭何林高罗"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "华", "平",
          "刚", "桂英", "建国", "志强", "海燕", "晓东", "文博", "子涵", "国庆", "建华", "丽娟", "红梅")  # fmt: skip
# Homophones (same pinyin, other characters) a clerk's input method may pick instead.
_HOMOPHONES = {"伟": "玮", "芳": "方", "静": "晶", "强": "蔷", "军": "君", "杰": "洁", "涛": "韬", "明": "铭", "华": "桦"}
_TRADES = ("新材料", "光电", "薄膜", "科技", "膜业", "新能源", "电子材料", "精密涂布", "功能材料")
_FORMS = ("股份有限公司", "有限公司", "科技有限公司")
_TITLES = ("董事长", "总经理", "副总经理", "技术总监", "销售经理", "工程师", "财务总监")


@dataclass
class Company:
    id: str
    city: str  # prefix, e.g. 宁波
    brand: str
    trade: str
    form: str
    credit: str
    twin: bool = False  # shares brand and trade with a firm in another city

    @property
    def full(self) -> str:
        return f"{self.city}{self.brand}{self.trade}{self.form}"

    @property
    def short(self) -> str:
        return f"{self.brand}{self.trade}"


@dataclass
class Person:
    id: str
    name: str
    gender: str
    birth_year: int
    mobile: str
    company: Company
    title: str
    township: str
    city: str
    homonym: bool = False


@dataclass
class World:
    companies: list[Company]
    people: list[Person]
    # per list file: rows (header first) and, per data line, (person id, company id)
    lists: dict[str, tuple[str, list[list[str]], dict[int, tuple[str | None, str | None]]]] = field(default_factory=dict)


def make_world(people: int = 300, companies: int = 80, seed: int = 7) -> World:
    """The companies and people; about 12 % of people share a name with another person."""
    rng = random.Random(seed)
    brands = BrandPool(rng)
    cities = [c.prefix for c in CITIES]
    firms: list[Company] = []
    while len(firms) < companies:
        brand, trade = brands.draw(), rng.choice(_TRADES)
        form = rng.choice([f for f in _FORMS if not (trade == "科技" and f.startswith("科技"))])
        firm = Company(f"C{len(firms)}", rng.choice(cities), brand, trade, form, credit_code(rng, "320500"))
        firms.append(firm)
        if rng.random() < 0.08 and len(firms) < companies:  # a same-brand firm in another city
            other = rng.choice([c for c in cities if c != firm.city])
            firm.twin = True
            firms.append(Company(f"C{len(firms)}", other, brand, trade, firm.form, credit_code(rng, "320400"), twin=True))
    persons: list[Person] = []
    used_names: list[str] = []
    while len(persons) < people:
        if used_names and rng.random() < 0.12:
            name, homonym = rng.choice(used_names), True  # a second person with a name already taken
        else:
            name, homonym = rng.choice(_SURNAMES) + rng.choice(_GIVEN), False
        taken = [p for p in persons if p.name == name]
        township = rng.choice([t for t in TOWNSHIPS if all(t != p.township for p in taken)] or TOWNSHIPS)
        year = rng.choice([y for y in range(1960, 1996) if all(abs(y - p.birth_year) >= 2 for p in taken)])
        if taken and rng.random() < 0.1:
            firm = taken[0].company  # a namesake at the same firm: only a mobile or birth year tells them apart
        else:
            firm = rng.choice([f for f in firms if all(f is not p.company for p in taken)])
        person = Person(f"P{len(persons)}", name, rng.choice("男男男女"), year, mobile(rng), firm, rng.choice(_TITLES),
                        township, rng.choice(cities) + "市", homonym)  # fmt: skip
        for p in taken:
            p.homonym = True
        persons.append(person)
        used_names.append(name)
    world = World(firms, persons)
    _make_lists(world, rng)
    return world


def _mobile_text(rng: random.Random, m: str) -> str:
    style = rng.randrange(6)
    if style == 1:
        return f"{m[:3]} {m[3:7]} {m[7:]}"
    if style == 2:
        return f"{m[:3]}-{m[3:7]}-{m[7:]}"
    if style == 3:
        return f"+86 {m}"
    if style == 4:
        return unicodedata.normalize("NFKC", m).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    if style == 5:
        return f"{m}.0"
    return m


def _org_text(rng: random.Random, c: Company) -> str:
    """The company as a clerk may write it; a twin firm is always written with its city."""
    if c.twin:
        return rng.choice([c.full, f"{c.city}{c.brand}{c.trade}有限公司", f"{c.brand}{c.trade}（{c.city}）有限公司"])
    return rng.choice([
        c.full, c.full, f"{c.brand}{c.trade}{c.form}", f"{c.city}{c.brand}{c.trade}有限公司", c.short, c.short,
        f"{c.city} {c.brand}{c.trade} {c.form}", f"{c.city}市{c.brand}{c.trade}{c.form}", c.brand,
    ])  # fmt: skip


def _name_text(rng: random.Random, p: Person, with_mobile: bool) -> str:
    if with_mobile and rng.random() < 0.05 and p.name[-1] in _HOMOPHONES:
        return p.name[:-1] + _HOMOPHONES[p.name[-1]]  # a homophone typo, caught by the same mobile
    if rng.random() < 0.1 and len(p.name) == 2:
        return f"{p.name[0]}\u3000{p.name[1]}"  # a full-width space, as clerks align names
    return p.name


def _make_lists(world: World, rng: random.Random) -> None:
    orgs = [["名称", "简称", "统一社会信用代码", "类别"]]
    org_truth: dict[int, tuple[str | None, str | None]] = {}
    for c in world.companies:
        orgs.append([c.full, "" if c.twin else c.short, c.credit if rng.random() < 0.5 else "", "企业"])
        org_truth[len(orgs)] = (None, c.id)
    world.lists["机构名录"] = ("organizations", orgs, org_truth)

    contacts = [["姓名", "性别", "出生年份", "手机", "工作单位", "职务", "籍贯乡镇", "现居城市"]]
    members = [["商协会", "姓名", "工作单位", "手机", "会内职务"]]
    attendance = [["活动名称", "姓名", "单位", "手机", "身份"]]
    truth: dict[str, dict[int, tuple[str | None, str | None]]] = {"乡贤名录": {}, "商会会员": {}, "活动签到": {}}
    for p in world.people:
        where = rng.random()
        if where < 0.85:
            has_mobile = rng.random() < 0.9
            contacts.append([
                _name_text(rng, p, has_mobile), p.gender, str(p.birth_year) if rng.random() < 0.7 else "",
                _mobile_text(rng, p.mobile) if has_mobile else "", _org_text(rng, p.company), p.title,
                p.township, p.city if rng.random() < 0.8 else "",
            ])  # fmt: skip
            truth["乡贤名录"][len(contacts)] = (p.id, p.company.id)
        if rng.random() < 0.45 or where >= 0.85:
            has_mobile = rng.random() < 0.5
            members.append([
                "示例县在外商会", _name_text(rng, p, has_mobile), _org_text(rng, p.company),
                _mobile_text(rng, p.mobile) if has_mobile else "", rng.choice(["会员", "理事", "副会长"]),
            ])  # fmt: skip
            truth["商会会员"][len(members)] = (p.id, p.company.id)
        if rng.random() < 0.3:
            has_mobile = rng.random() < 0.4
            attendance.append([
                "示例县功能膜产业推介会", _name_text(rng, p, has_mobile), _org_text(rng, p.company),
                _mobile_text(rng, p.mobile) if has_mobile else "", "嘉宾",
            ])  # fmt: skip
            truth["活动签到"][len(attendance)] = (p.id, p.company.id)
    world.lists["乡贤名录"] = ("contacts", contacts, truth["乡贤名录"])
    world.lists["商会会员"] = ("members", members, truth["商会会员"])
    world.lists["活动"] = ("events", [["活动名称", "类型", "日期"], ["示例县功能膜产业推介会", "推介会", "2024-05-18"]], {})
    world.lists["活动签到"] = ("attendance", attendance, truth["活动签到"])


def write_lists(world: World, folder: Path) -> list[tuple[Path, str]]:
    """Write the lists as UTF-8 CSV, in load order."""
    files = []
    for name, (kind, rows, _) in world.lists.items():
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        files.append((path, kind))
    return files


@dataclass
class Quality:
    records: int
    true_pairs: int
    merged_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.merged_pairs if self.merged_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0


def _pairs(groups: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in groups.values())


def _quality(labelled: list[tuple[str, str]]) -> Quality:
    """``labelled`` = (true entity, node) per record."""
    return Quality(
        len(labelled),
        _pairs(Counter(entity for entity, _ in labelled)),
        _pairs(Counter(node for _, node in labelled)),
        _pairs(Counter(labelled)),
    )


def measure(world: World, folder: Path) -> dict[str, object]:
    """Load the world's lists into a fresh store in ``folder``; quality per entity kind."""
    store = EmbeddedStore(folder / "merge_quality.db")
    people: list[tuple[str, str]] = []
    firms: list[tuple[str, str]] = []
    rejected = 0
    started = time.perf_counter()
    try:
        for path, kind in write_lists(world, folder):
            report = ingest_file(store, path, kind=kind, trace=True)
            rejected += len(report.rejected)
            truth = world.lists[path.stem][2]
            for line, ids in report.sheets[0].traced.items():
                person, company = truth.get(line, (None, None))
                if person and "person" in ids:
                    people.append((person, ids["person"]))
                if company and "org" in ids:
                    firms.append((company, ids["org"]))
        reviews = len(store.review_items())
        seconds = time.perf_counter() - started
        before = store.counts()
        again = [ingest_file(store, path, kind=kind).to_dict() for path, kind in write_lists(world, folder)]
        reimport = {
            "nodes_created": sum(r["nodes"]["created"] for r in again),
            "review_items_added": len(store.review_items()) - reviews,
            "counts_unchanged": store.counts() == before,
        }
    finally:
        store.close()
    return {
        "people": _quality(people),
        "companies": _quality(firms),
        "rejected_rows": rejected,
        "review_items": reviews,
        "homonym_people": sum(p.homonym for p in world.people),
        "twin_companies": sum(c.twin for c in world.companies),
        "seconds": seconds,
        "reimport": reimport,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--companies", type=int, default=80)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    world = make_world(args.people, args.companies, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        result = measure(world, Path(folder))
    print(f"world: {len(world.people)} people ({result['homonym_people']} sharing a name with another), "
          f"{len(world.companies)} companies ({result['twin_companies']} same-brand twins in two cities), seed {args.seed}")
    for kind in ("people", "companies"):
        q: Quality = result[kind]  # type: ignore[assignment]
        print(f"{kind:<10} records {q.records:>5}  true pairs {q.true_pairs:>6}  merged pairs {q.merged_pairs:>6}  "
              f"correct {q.correct_pairs:>6}  precision {q.precision:.4f}  recall {q.recall:.4f}")
    print(f"rejected rows {result['rejected_rows']}, review items {result['review_items']}, "
          f"load time {result['seconds']:.2f} s")
    print(f"loading every list again: nodes created {result['reimport']['nodes_created']}, "
          f"review items added {result['reimport']['review_items_added']}, "
          f"graph unchanged {result['reimport']['counts_unchanged']}")
    ok = all(result[k].precision >= 0.98 and result[k].recall >= 0.95 for k in ("people", "companies"))  # type: ignore[attr-defined]
    print("PASS (precision ≥ 0.98, recall ≥ 0.95)" if ok else "FAIL (precision ≥ 0.98, recall ≥ 0.95)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
