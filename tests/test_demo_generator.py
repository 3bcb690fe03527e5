"""The demo county generator writes clean, consistent, reproducible list files."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import yaml

from leadgraph.demo import DEMO_SEED, load_chain, write_demo_lists
from leadgraph.demo.naming import EXCHANGES, TOWNSHIPS, is_valid_credit_code

MAPPINGS = Path(__file__).resolve().parents[1] / "leadgraph" / "ingest" / "mappings.yaml"
PERSON_COLUMNS = {  # kind -> (name, org, mobile) headers of a person's own list
    "contacts": ("姓名", "工作单位", "手机"),
    "ambassadors": ("姓名", "工作单位", "手机"),
    "leaders": ("姓名", "单位", "手机"),
    "officers": ("姓名", "派出单位", "手机"),
    "executives": ("姓名", "单位", "手机"),
}
LOAD_ORDER = [
    "segments", "organizations", "leaders", "officers", "contacts", "ambassadors",
    "executives", "members", "ties", "positions", "supplies", "events", "attendance",
    "visits", "projects",
]


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header row and rows of a demo file, every cell as text ("" when empty)."""
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as fh:
            data = list(csv.reader(fh))
    else:
        ws = openpyxl.load_workbook(path, read_only=True).active
        data = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    header = data[0]
    return header, [dict(zip(header, row)) for row in data[1:]]


class Demo:
    """The files of one generated county, read once, grouped by kind."""

    def __init__(self, files: list[tuple[Path, str]]) -> None:
        self.files = files
        self.headers: dict[Path, list[str]] = {}
        self.rows: dict[str, list[dict[str, str]]] = defaultdict(list)
        for path, kind in files:
            header, rows = read_table(path)
            self.headers[path] = header
            self.rows[kind].extend(rows)

    def people(self) -> dict[tuple[str, str], set[str]]:
        """(姓名, 单位) -> mobiles written for that person in the person lists."""
        out: dict[tuple[str, str], set[str]] = defaultdict(set)
        for kind, (name, org, mobile) in PERSON_COLUMNS.items():
            for row in self.rows[kind]:
                out[(row[name], row[org])].add(row.get(mobile, ""))
        return out

    def organizations(self, *kinds: str) -> list[dict[str, str]]:
        return [r for r in self.rows["organizations"] if not kinds or r["类别"] in kinds]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Demo:
    return Demo(write_demo_lists(tmp_path_factory.mktemp("demo_full")))


@pytest.fixture(scope="module")
def small_twice(tmp_path_factory):
    first = write_demo_lists(tmp_path_factory.mktemp("small_a"), scale=0.1)
    second = write_demo_lists(tmp_path_factory.mktemp("small_b"), scale=0.1)
    return first, second


# -- files -------------------------------------------------------------------------------

def test_same_seed_writes_byte_identical_files(small_twice):
    first, second = small_twice
    assert [(p.name, k) for p, k in first] == [(p.name, k) for p, k in second]
    for (a, _), (b, _) in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_output_does_not_depend_on_the_interpreter_hash_seed(tmp_path):
    script = ("import sys; from pathlib import Path; from leadgraph.demo import write_demo_lists; "
              "write_demo_lists(Path(sys.argv[1]), scale=0.05)")
    for name, hash_seed in (("a", "1"), ("b", "2")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / name)], check=True, env=env,
                       cwd=MAPPINGS.parents[2])
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_another_seed_gives_other_people(tmp_path, small_twice):
    other = write_demo_lists(tmp_path, seed=DEMO_SEED + 1, scale=0.1)
    contacts = [p for p, k in small_twice[0] if k == "contacts"][0]
    other_contacts = [p for p, k in other if k == "contacts"][0]
    assert read_table(contacts)[1] != read_table(other_contacts)[1]


def test_files_are_returned_in_reference_load_order(demo):
    kinds = [kind for _, kind in demo.files]
    assert [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k] == LOAD_ORDER
    assert all(path.exists() for path, _ in demo.files)
    assert sum(path.suffix == ".xlsx" for path, _ in demo.files) >= 3


def test_every_file_has_exactly_the_canonical_headers_of_its_kind(demo):
    kinds = yaml.safe_load(MAPPINGS.read_text(encoding="utf-8"))["kinds"]
    for path, kind in demo.files:
        columns = kinds[kind]["columns"]
        canonical = [spec["header"] for spec in columns.values()]
        required = {spec["header"] for spec in columns.values() if spec.get("required")}
        header = demo.headers[path]
        assert sorted(header) == sorted(canonical), path.name
        assert required <= set(header), path.name


def test_csv_files_are_utf8_without_bom_with_lf_line_ends(demo):
    for path, _ in demo.files:
        if path.suffix == ".csv":
            data = path.read_bytes()
            assert not data.startswith(b"\xef\xbb\xbf")
            assert b"\r\n" not in data
            data.decode("utf-8")


def test_xlsx_keeps_phones_and_codes_as_text_and_dates_as_iso_text(demo):
    by_kind = {kind: path for path, kind in demo.files if path.suffix == ".xlsx"}
    ws = openpyxl.load_workbook(by_kind["contacts"], read_only=True).active
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    phone = header.index("手机")
    phones = [row[phone] for row in ws.iter_rows(min_row=2, values_only=True) if row[phone]]
    assert phones and all(isinstance(v, str) and re.fullmatch(r"1[3-9]\d{9}", v) for v in phones)
    ws = openpyxl.load_workbook(by_kind["projects"], read_only=True).active
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    for row in ws.iter_rows(min_row=2, values_only=True):
        for col in ("线索日期", "签约日期", "开工日期", "投产日期", "入统日期"):
            value = row[header.index(col)]
            assert value is None or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value))


# -- counts ------------------------------------------------------------------------------

def test_full_scale_counts_meet_the_targets(demo):
    rows = demo.rows
    companies = demo.organizations("企业", "上市公司")
    assert 550 <= len(companies) <= 650
    assert 70 <= len(demo.organizations("上市公司")) <= 90
    assert 50 <= sum(r["本地企业"] == "是" for r in companies) <= 70
    assert len({r["所在城市"] for r in companies} - {"示例县"}) >= 30
    assert len(rows["contacts"]) >= 2000
    assert {r["籍贯乡镇"] for r in rows["contacts"]} == set(TOWNSHIPS) and len(TOWNSHIPS) >= 15
    assert len(rows["segments"]) >= 30 and len(load_chain().segments) >= 30
    assert len(rows["leaders"]) == 12 and len(rows["officers"]) == 10
    assert len({r["招商片区"] for r in rows["officers"]}) == 5
    assert 15 <= len(rows["ambassadors"]) <= 25
    assert len(rows["ties"]) >= 4500
    assert 700 <= len(rows["visits"]) <= 900
    assert 100 <= len(rows["projects"]) <= 140
    assert len(rows["events"]) >= 12 and 450 <= len(rows["attendance"]) <= 750
    sizes = [int(r["会员数"]) for r in demo.organizations("商会", "协会")]
    assert len(sizes) >= 35 and max(sizes) >= 500 and min(sizes) <= 20
    assert {r["类别"] for r in demo.organizations()} >= {"基金", "券商", "律所", "咨询机构", "政府部门"}


def test_duplicate_common_names_are_kept_apart_by_employer(demo):
    names = Counter(r["姓名"] for r in demo.rows["contacts"])
    assert names.most_common(1)[0][1] >= 2
    pairs = Counter((r["姓名"], r["工作单位"]) for r in demo.rows["contacts"])
    assert pairs.most_common(1)[0][1] == 1


def test_leaders_keep_three_to_five_contacts_each(demo):
    leaders = {r["姓名"] for r in demo.rows["leaders"]}
    per_leader = Counter(r["包保领导"] for r in demo.rows["contacts"] if r["包保领导"])
    assert set(per_leader) <= leaders and len(per_leader) >= 9
    assert all(3 <= n <= 5 for n in per_leader.values())
    assert 30 <= sum(per_leader.values()) <= 50


# -- references ----------------------------------------------------------------------------

def test_every_tie_names_a_person_from_a_person_list(demo):
    people = demo.people()
    for row in demo.rows["ties"]:
        for side in "AB":
            key = (row[f"姓名{side}"], row[f"单位{side}"])
            assert key in people, key
            assert row[f"手机{side}"] in people[key], key


def test_member_and_attendance_rows_name_listed_people_or_firms(demo):
    people = demo.people()
    orgs = {r["名称"] for r in demo.organizations()}
    for row in demo.rows["members"]:
        assert row["商协会"] in orgs
        if row["姓名"]:
            assert row["手机"] in people[(row["姓名"], row["工作单位"])]
        else:
            assert row["工作单位"] in orgs
    events = {r["活动名称"] for r in demo.rows["events"]}
    for row in demo.rows["attendance"]:
        assert row["活动名称"] in events
        if row["姓名"]:
            assert row["手机"] in people[(row["姓名"], row["单位"])]


def test_ambassadors_and_executives_merge_with_their_contact_rows(demo):
    contacts = {(r["姓名"], r["手机"]): r["工作单位"] for r in demo.rows["contacts"] if r["手机"]}
    for row in demo.rows["ambassadors"]:
        assert contacts[(row["姓名"], row["手机"])] == row["工作单位"]
    shared = [r for r in demo.rows["executives"] if (r["姓名"], r["手机"]) in contacts]
    assert len(shared) >= 50
    assert all(contacts[(r["姓名"], r["手机"])] == r["单位"] for r in shared)


def test_positions_and_supplies_name_taxonomy_segments_and_listed_firms(demo):
    chain = load_chain()
    leaves = {s.name for s in chain.leaves}
    segments = {r["环节"] for r in demo.rows["segments"]}
    assert segments == {s.name for s in chain.segments}
    orgs = {r["名称"] for r in demo.organizations("企业", "上市公司")}
    for row in demo.rows["positions"]:
        assert row["环节"] in leaves and row["单位"] in orgs
    for row in demo.rows["supplies"]:
        assert {row["供方"], row["需方"]} <= segments or {row["供方"], row["需方"]} <= orgs
    company_rows = [r for r in demo.rows["supplies"] if r["供方"] in orgs]
    assert 150 <= len(company_rows) <= 250
    assert ("EVA 树脂", "光伏封装胶膜") in {(r["供方"], r["需方"]) for r in demo.rows["supplies"]}


def test_leader_and_officer_names_are_unique_in_the_population(demo):
    ours = [r["姓名"] for r in demo.rows["leaders"] + demo.rows["officers"]]
    assert len(ours) == len(set(ours))
    holders = defaultdict(set)
    for key in demo.people():
        holders[key[0]].add(key)
    assert all(len(holders[name]) == 1 for name in ours)
    for row in demo.rows["visits"]:
        assert row["拜访人"] in ours


# -- domain shape ------------------------------------------------------------------------

def test_codes_are_well_formed(demo):
    coded = [r for r in demo.organizations() if r["统一社会信用代码"]]
    assert all(is_valid_credit_code(r["统一社会信用代码"]) for r in coded)
    companies = demo.organizations("企业")
    assert 0 < sum(not r["统一社会信用代码"] for r in companies) < len(companies) * 0.3
    for row in demo.organizations("上市公司"):
        assert re.fullmatch(r"\d{6}", row["股票代码"])
        assert row["股票代码"].startswith(EXCHANGES[row["上市板块"]])
        assert len(row["简称"]) == 4
        chars = iter(row["名称"])  # 简称 abbreviates the full name: its characters in order
        assert all(ch in chars for ch in row["简称"]), (row["简称"], row["名称"])


def test_local_firms_cluster_in_films_and_miss_new_energy(demo):
    local = {r["名称"] for r in demo.organizations("企业") if r["本地企业"] == "是"}
    assert all(r["所在城市"] == "示例县" for r in demo.organizations() if r["名称"] in local)
    per_segment = Counter(r["环节"] for r in demo.rows["positions"] if r["单位"] in local)
    for strong in ("BOPET 基膜", "离型膜", "保护膜", "光学基膜"):
        assert per_segment[strong] >= 5, strong
    for weak in ("光伏封装胶膜", "锂电隔膜", "储能", "光伏组件", "锂电池"):
        assert per_segment[weak] == 0, weak
    leaders = [r for r in demo.organizations("上市公司", "企业") if r["链主企业"] == "是"]
    assert len(leaders) >= 8


def test_project_dates_follow_the_stage(demo):
    order = ["线索日期", "签约日期", "开工日期", "投产日期", "入统日期"]
    needs = {"线索": 1, "在谈": 1, "签约": 2, "开工": 3, "投产": 4, "入统": 5}
    leaders = {r["姓名"] for r in demo.rows["leaders"]}
    for row in demo.rows["projects"]:
        filled = [row[c] for c in order if row[c]]
        assert len(filled) == needs[row["阶段"]], row["项目名称"]
        assert [row[c] for c in order[: len(filled)]] == filled
        assert filled == sorted(filled) and filled[-1] <= "2024-06-30"
        assert 0.3 <= float(row["投资额（亿元）"]) <= 30
        assert row["责任领导"] in leaders
    assert len({r["项目名称"] for r in demo.rows["projects"]}) == len(demo.rows["projects"])


def test_listed_chairmen_are_reachable_from_leaders_through_kept_contacts(demo):
    listed = {r["名称"] for r in demo.organizations("上市公司")}
    chairs = {(r["姓名"], r["单位"]) for r in demo.rows["executives"]
              if r["职务"] == "董事长" and r["单位"] in listed}
    knows = defaultdict(set)
    for row in demo.rows["ties"]:
        a, b = (row["姓名A"], row["单位A"]), (row["姓名B"], row["单位B"])
        knows[a].add(b)
        knows[b].add(a)
    kept = defaultdict(set)
    for row in demo.rows["contacts"]:
        if row["包保领导"]:
            kept[row["包保领导"]].add((row["姓名"], row["工作单位"]))
    reached = 0
    for contacts in kept.values():  # leader -> kept contact -> (someone ->) chairman
        frontier = set(contacts) | {n for c in contacts for n in knows[c]}
        frontier |= {n for c in frontier for n in knows[c]}
        reached += bool(frontier & chairs)
    assert reached == len(kept)


def test_visit_dates_fall_in_the_reporting_window(demo):
    days = sorted(r["拜访日期"] for r in demo.rows["visits"])
    assert days[0] >= "2023-01-01" and days[-1] <= "2024-06-30"
    assert all(date.fromisoformat(d).weekday() < 5 for d in days)
    share = sum(r["有效线索"] == "是" for r in demo.rows["visits"]) / len(days)
    assert 0.05 < share < 0.5
