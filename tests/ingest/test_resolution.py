"""Entity resolution across lists: one node per real person and firm, homonyms kept apart,
unsure pairs in a review queue whose decisions later imports respect."""

from __future__ import annotations

import pytest

from leadgraph.errors import SchemaError
from leadgraph.ingest.loader import ingest_file
from leadgraph.ingest.resolve import RULES_PATH, abbreviates, default_rules, load_rules, match_org, score_person

ORGS = [["名称", "简称", "类别", "股票代码"], ["宁波激智科技股份有限公司", "激智科技", "上市公司", "300566"]]
CONTACTS = [
    ["姓名", "性别", "出生年份", "手机", "工作单位", "职务", "籍贯乡镇", "现居城市"],
    ["张伟", "男", "1975", "13800000001", "宁波激智科技股份有限公司", "董事长", "青石镇", "宁波市"],
    ["张伟", "男", "1988", "13800000003", "深圳示例材料有限公司", "工程师", "东湖镇", "深圳市"],
]


def _load(store, write_csv, name, rows, kind, **kw):
    return ingest_file(store, write_csv(name, rows), kind=kind, **kw)


def _people(store, name):
    return store.nodes_named("Person", name)


@pytest.fixture
def county(store, write_csv):
    _load(store, write_csv, "上市公司.csv", ORGS, "organizations")
    _load(store, write_csv, "乡贤名录.csv", CONTACTS, "contacts")
    return store


def test_probable_match_merges_into_the_known_person_with_evidence(county, write_csv):
    report = _load(county, write_csv, "商会会员.csv",
                   [["商协会", "姓名", "工作单位", "会内职务"], ["宁波示例商会", "张伟", "宁波激智科技有限公司", "副会长"]],
                   "members")  # fmt: skip
    (merged,) = report.merged
    assert merged.line == 2
    assert merged.reason == (
        "「张伟，宁波激智科技有限公司」已与已有人员「张伟（宁波激智科技股份有限公司）」合并："
        "姓名相同；单位相同：宁波激智科技有限公司 ≈ 宁波激智科技股份有限公司（核心名「激智科技」）（得分 0.75）；"
        "「宁波激智科技有限公司」已与已有机构「宁波激智科技股份有限公司」合并："
        "单位相同：宁波激智科技有限公司 ≈ 宁波激智科技股份有限公司（核心名「激智科技」）（得分 1.00）"
    )
    zhang = {n.props["mobile"]: n for n in _people(county, "张伟")}
    assert set(zhang) == {"13800000001", "13800000003"}
    chair = county.node(zhang["13800000001"].id)
    assert chair.props["org_name"] == "宁波激智科技股份有限公司"
    assert chair.props["merged_from"] == [
        "商会会员 第 2 行「张伟，宁波激智科技有限公司」：姓名相同；"
        "单位相同：宁波激智科技有限公司 ≈ 宁波激智科技股份有限公司（核心名「激智科技」）（得分 0.75）"
    ]
    assert [s.source for s in chair.sources] == ["乡贤名录", "商会会员"]
    assert sorted(n.name for n in county.iter_nodes("Organization")) == ["宁波激智科技股份有限公司", "宁波示例商会", "深圳示例材料有限公司"]
    assert [i.status for i in county.review_items(None)] == ["merged", "merged"]


def test_short_name_and_other_spellings_resolve_to_the_full_name_node(county, write_csv):
    (listed,) = [n for n in county.iter_nodes("Organization") if n.props.get("stock_code")]
    report = _load(county, write_csv, "项目台账.csv",
                   [["项目名称", "投资主体"], ["光学膜项目", "激智"], ["增亮膜项目", "激智科技"],
                    ["扩散膜项目", "宁波激智科技有限公司"], ["背板膜项目", "宁波激智科技股份有限公司"]],
                   "projects")  # fmt: skip
    assert report.rejected == [] and [i.line for i in report.merged] == [2, 3, 4]  # line 5: the name itself
    assert report.merged[1].reason == "「激智科技」已与已有机构「宁波激智科技股份有限公司」合并：「激智科技」是「宁波激智科技股份有限公司」的简称（得分 1.00）"
    assert {e.dst for e in county.iter_edges("TARGETS")} == {listed.id}
    assert county.node(listed.id).name == "宁波激智科技股份有限公司"
    assert county.counts()["nodes"]["Organization"] == 2


def test_full_name_arriving_later_renames_the_short_name_node(store, write_csv):
    _load(store, write_csv, "项目台账.csv", [["项目名称", "投资主体"], ["光学膜项目", "激智科技"]], "projects")
    report = _load(store, write_csv, "机构.csv", ORGS, "organizations")
    (org,) = store.iter_nodes("Organization")
    assert org.name == "宁波激智科技股份有限公司" and org.props["stock_code"] == "300566.SZ"
    assert report.to_dict()["nodes"] == {"created": 0, "updated": 1, "unchanged": 0}


def test_grey_zone_loads_a_node_of_its_own_and_queues_a_review(county, write_csv):
    report = _load(county, write_csv, "新名录.csv", [["姓名", "工作单位", "出生年份"], ["张伟", "远方物流有限公司", "1975"]],
                   "contacts")  # fmt: skip
    (item,) = county.review_items()
    chair = next(n for n in _people(county, "张伟") if n.props.get("mobile") == "13800000001")
    assert (item.status, item.kind, item.other_id, item.score, item.line) == ("pending", "Person", chair.id, 0.45, 2)
    assert item.evidence == ["姓名相同", "单位不同（远方物流有限公司 / 宁波激智科技股份有限公司）", "出生年份同为 1975"]
    assert county.node(item.node_id).props["org_name"] == "远方物流有限公司"
    (flag,) = report.flagged
    assert flag.reason == (
        "「张伟，远方物流有限公司」疑似与已有人员「张伟（宁波激智科技股份有限公司）」相同（得分 0.45：姓名相同；"
        "单位不同（远方物流有限公司 / 宁波激智科技股份有限公司）；出生年份同为 1975），已单独建档，"
        f"待审核：leadgraph review accept {item.id}（合并）或 reject {item.id}（不同）"
    )
    assert report.review_items == [item.id]
    assert len(_people(county, "张伟")) == 3


def test_homonyms_with_different_hometowns_birth_years_or_mobiles_stay_apart(county, write_csv):
    rows = [
        ["姓名", "性别", "出生年份", "手机", "工作单位", "籍贯乡镇"],
        ["张伟", "男", "1990", "", "宁波激智科技有限公司", "西山乡"],    # same firm, other hometown and age
        ["张伟", "女", "", "", "深圳示例材料有限公司", ""],              # same firm as the engineer, other gender
        ["张伟", "", "", "13900000009", "宁波激智科技股份有限公司", "东湖镇"],  # the chairman's firm, another mobile
    ]  # fmt: skip
    report = _load(county, write_csv, "另一名录.csv", rows, "contacts")
    assert report.flagged == [] and county.review_items() == []
    assert [(i.line, "人员" in i.reason) for i in report.merged] == [(2, False)]  # only 宁波激智科技有限公司 merged
    assert len(_people(county, "张伟")) == 5


def test_pinyin_equal_name_merges_only_with_the_same_mobile(county, write_csv):
    rows = [["姓名", "手机", "工作单位", "籍贯乡镇"], ["张玮", "138 0000 0001", "", "青石镇"],
            ["章伟", "", "宁波激智科技股份有限公司", "青石镇"]]  # fmt: skip
    report = _load(county, write_csv, "乡贤补充.csv", rows, "contacts")
    (merged,) = report.merged
    assert merged.reason == (
        "「张玮，青石镇」已与已有人员「张伟（宁波激智科技股份有限公司）」合并："
        "姓名读音相同（张玮 / 张伟）；手机相同；籍贯同为青石镇（得分 0.95）"
    )
    assert _people(county, "张玮") == [] and len(_people(county, "章伟")) == 1
    (item,) = county.review_items()  # 0.80 without a mobile: only a review
    assert (item.summary, item.score) == ("章伟，宁波激智科技股份有限公司，青石镇", 0.8)
    assert item.evidence[0] == "姓名读音相同（章伟 / 张伟）"


def test_reject_is_stored_and_a_reimport_neither_merges_nor_asks_again(county, write_csv):
    path = write_csv("新名录.csv", [["姓名", "工作单位", "出生年份"], ["张伟", "远方物流有限公司", "1975"]])
    ingest_file(county, path, kind="contacts")
    (item,) = county.review_items()
    county.decide(item.id, "reject")
    again = ingest_file(county, path, kind="contacts")
    assert again.flagged == [] and again.merged == []
    assert [(i.id, i.status) for i in county.review_items(None) if i.status != "merged"] == [(item.id, "rejected")]
    assert len(_people(county, "张伟")) == 3


def test_accept_is_stored_and_a_reimport_of_either_list_never_splits(county, write_csv):
    path = write_csv("新名录.csv", [["姓名", "工作单位", "出生年份"], ["张伟", "远方物流有限公司", "1975"]])
    ingest_file(county, path, kind="contacts")
    (item,) = county.review_items()
    county.decide(item.id, "accept")
    assert county.review_item(item.id).status == "accepted"
    before = county.counts()
    again = ingest_file(county, path, kind="contacts").to_dict()
    ingest_file(county, write_csv("乡贤名录.csv", CONTACTS), kind="contacts")
    assert again["nodes"]["created"] == 0 and county.counts() == before
    (chair,) = [n for n in _people(county, "张伟") if n.props.get("mobile") == "13800000001"]
    assert chair.props["org_name"] == "宁波激智科技股份有限公司" and len(_people(county, "张伟")) == 2
    assert county.current_id(item.node_id) == chair.id


def test_resolution_can_be_turned_off(county, write_csv):
    rows = [["商协会", "姓名", "工作单位"], ["宁波示例商会", "张伟", "激智科技"]]
    report = _load(county, write_csv, "商会.csv", rows, "members", resolve=False)
    assert report.merged == [] and len(_people(county, "张伟")) == 3


def test_kind_is_inferred_from_the_sheet_name_when_headers_fit_several(store, write_xlsx):
    rows = [["姓名", "手机", "工作单位"], ["李明", "13800000002", "上海示例薄膜有限公司"]]
    report = ingest_file(store, write_xlsx("名单.xlsx", rows, sheet="招商大使"))
    assert report.sheets[0].kind == "ambassadors"
    report = ingest_file(store, write_xlsx("青石镇在外乡贤.xlsx", rows))
    assert report.sheets[0].kind == "contacts"
    assert store.nodes_named("Person", "李明")[0].roles == ["contact", "ambassador"]


# -- the scoring functions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        ("宁波激智科技有限公司", "激智科技股份有限公司", "same"),
        ("激智", "宁波激智科技股份有限公司", "same"),
        ("中石化", "中国石油化工股份有限公司", "similar"),  # 中石油 fits it as well: a person decides
        ("中石油", "中国石油化工集团有限公司", "similar"),
        ("中建", "中国建材集团有限公司", "similar"),
        ("中国石油", "中国石油化工股份有限公司", "similar"),  # a national prefix is no brand
        ("宁波市江北区示例膜业有限公司", "示例膜业有限公司", "same"),
        ("激智科技（苏州）有限公司", "宁波激智科技股份有限公司", "similar"),  # a subsidiary elsewhere
        ("宁波激智科技股份有限公司苏州分公司", "宁波激智科技股份有限公司", "different"),  # a branch
        ("激智光电科技有限公司", "宁波激智科技股份有限公司", "different"),  # a registered name is no 简称
        ("常州市浙江商会", "浙江商会", "different"),  # an institution's region is part of it
        ("浙江大学", "南京大学", "different"),
        ("科技", "宁波激智科技股份有限公司", "different"),
    ],
)
def test_match_org(a, b, verdict):
    assert match_org(a, b)[0] == verdict


def test_abbreviation_needs_the_first_character_of_the_core():
    assert abbreviates("激智", "激智科技") and not abbreviates("智科", "激智科技")


def test_score_person_adds_the_declared_weights():
    known = {"name": "张伟", "org_name": "宁波激智科技股份有限公司", "township": "青石镇", "city": "宁波市",
             "birth_year": 1975, "roles": ["contact"]}  # fmt: skip
    score = score_person({"name": "张伟", "township": "青石镇", "city": "宁波市"}, known, default_rules())
    assert (score.value, score.signals) == (0.7, ("name_same", "township_same", "city_same"))
    leader = score_person({"name": "张伟", "township": "青石镇", "roles": ["leader"]}, known, default_rules())
    assert (leader.value, leader.evidence[-1]) == (0.15, "身份不同（leader / contact）")


def test_malformed_rules_are_one_clear_error(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text(RULES_PATH.read_text(encoding="utf-8").replace("name_same: 0.30", "name_typo: 0.30"), encoding="utf-8")
    with pytest.raises(SchemaError, match="unknown signal 'name_typo'"):
        load_rules(bad)


def test_a_row_that_fits_two_namesakes_at_one_firm_is_reviewed_not_merged_and_reloads_the_same(store, write_csv):
    contacts = [["姓名", "出生年份", "手机", "工作单位", "籍贯乡镇"],
                ["马磊", "1974", "13800000011", "镇江峻和新能源科技有限公司", "枫林镇"],
                ["马磊", "1992", "13800000012", "峻和新能源", "新集镇"]]  # fmt: skip
    _load(store, write_csv, "乡贤名录.csv", contacts, "contacts")
    members = write_csv("商会会员.csv", [["商协会", "姓名", "工作单位"], ["示例商会", "马磊", "镇江峻和新能源科技有限公司"]])
    report = ingest_file(store, members, kind="members")
    assert report.merged == [] and len(report.review_items) == 2
    assert sorted(i.score for i in store.review_items()) == [0.75, 0.75]
    assert len(_people(store, "马磊")) == 3
    again = ingest_file(store, members, kind="members").to_dict()
    assert again["nodes"]["created"] == 0 and again["review_items"] == []
    assert len(_people(store, "马磊")) == 3 and len(store.review_items()) == 2


SOE = [["名称", "类别"], ["中国石油化工集团有限公司", "企业"], ["中国建材集团有限公司", "企业"],
       ["中国信达资产管理股份有限公司", "企业"]]  # fmt: skip


def test_a_short_name_taken_from_several_words_is_reviewed_not_merged(store, write_csv):
    """中石油 fits 中国石油化工 character by character but names PetroChina; 中建 fits 中国建材 but
    names 中国建筑; 中信 fits 中国信达. Each person is loaded, each firm of their own, and a
    person decides; a brand-like 简称 (a prefix of the core) still merges."""
    _load(store, write_csv, "企业名录.csv", SOE, "organizations")
    rows = [["姓名", "手机", "工作单位"], ["甲", "13811110001", "中石油"], ["乙", "13811110002", "中建"],
            ["丙", "13811110003", "中信"]]  # fmt: skip
    report = _load(store, write_csv, "乡贤名录.csv", rows, "contacts")
    assert report.rejected == [] and report.merged == [] and len(report.flagged) == 3
    firms = {n.id: n.name for n in store.iter_nodes("Organization")}
    works_at = {store.node(e.src).name: firms[e.dst] for e in store.iter_edges("WORKS_AT")}
    assert works_at == {"甲": "中石油", "乙": "中建", "丙": "中信"}
    pending = {(firms[i.node_id], firms[i.other_id]) for i in store.review_items()}
    assert pending == {("中石油", "中国石油化工集团有限公司"), ("中建", "中国建材集团有限公司"),
                       ("中信", "中国信达资产管理股份有限公司")}  # fmt: skip
    assert "「中石油」可能是「中国石油化工集团有限公司」的简称（字序相符，需人工确认）" in report.flagged[0].reason


def test_a_short_name_the_organisation_list_registers_merges_whatever_its_shape(store, write_csv):
    _load(store, write_csv, "企业名录.csv", [["名称", "简称"], ["中国石油化工集团有限公司", "中石化"]], "organizations")
    report = _load(store, write_csv, "乡贤名录.csv", [["姓名", "手机", "工作单位"], ["甲", "13811110001", "中石化"]],
                   "contacts")  # fmt: skip
    assert [m.reason for m in report.merged] == [
        "「中石化」已与已有机构「中国石油化工集团有限公司」合并：「中石化」是「中国石油化工集团有限公司」的简称（得分 1.00）"
    ]
    assert store.counts()["nodes"]["Organization"] == 1 and store.review_items() == []


def test_one_person_whose_gender_or_hometown_is_written_another_way_stays_one(store, tmp_path):
    """女 / 女性, 新塘乡 / 示例县新塘乡, 城关镇 / 城关 (with the firm's 简称): the same people."""
    import openpyxl

    def book(name, rows):
        wb = openpyxl.Workbook()
        wb.active.title = "乡贤"
        for row in [["姓名", "性别", "工作单位", "籍贯乡镇"], *rows]:
            wb.active.append(row)
        wb.save(tmp_path / name)
        return tmp_path / name

    first = book("乡贤E.xlsx", [["赵敏", "女", "宁波海天塑机集团有限公司", "城关镇"],
                                ["周涛", None, "宁波海天塑机集团有限公司", "新塘乡"],
                                ["孙丽", None, "宁波海天塑机集团有限公司", "城关镇"]])  # fmt: skip
    second = book("乡贤F.xlsx", [["赵敏", "女性", "宁波海天塑机集团有限公司", "城关镇"],
                                 ["周涛", None, "宁波海天塑机集团有限公司", "示例县新塘乡"],
                                 ["孙丽", None, "海天塑机", "城关"]])  # fmt: skip
    ingest_file(store, first, kind="contacts")
    report = ingest_file(store, second, kind="contacts")
    assert report.rejected == [] and store.review_items() == []
    people = sorted((n.name, n.props.get("gender"), n.props["township"]) for n in store.iter_nodes("Person"))
    assert people == [("周涛", None, "新塘乡"), ("孙丽", None, "城关镇"), ("赵敏", "女", "城关镇")]
    (merged,) = report.merged
    assert merged.line == 4 and "籍贯同为城关" in merged.reason


def test_a_gender_no_list_spells_is_not_kept_and_flagged(store, write_csv):
    rows = [["姓名", "性别", "手机"], ["甲", "男女", "13800000001"], ["乙", "保密", "13800000002"]]
    report = _load(store, write_csv, "名录.csv", rows, "contacts")
    assert [(f.line, f.reason) for f in report.flagged] == [(2, "性别：性别「男女」无法识别（请填 男 或 女），未保存")]
    assert {n.name: n.props.get("gender") for n in store.iter_nodes("Person")} == {"甲": None, "乙": None}


def test_a_place_written_without_its_suffix_is_the_known_place(store, write_csv):
    rows = [["姓名", "手机", "籍贯乡镇", "现居城市"], ["甲", "13800000001", "城关镇", "宁波"],
            ["乙", "13800000002", "城关", "宁波市"], ["丙", "13800000003", "城关", "宁波市"]]  # fmt: skip
    report = _load(store, write_csv, "名录.csv", rows, "contacts")
    places = sorted((n.name, n.props["level"]) for n in store.iter_nodes("Region"))
    assert places == [("城关镇", "township"), ("宁波市", "city")]  # the suffixed spelling names the place
    homes = {store.node(e.src).name: store.node(e.dst).name for e in store.iter_edges("FROM")}
    assert homes == {"甲": "城关镇", "乙": "城关镇", "丙": "城关镇"}
    assert [m.line for m in report.merged] == [3]  # once: the spelling is then a key of the place
    assert "「城关」与已有的「城关镇」是同一地方" in report.merged[0].reason


def test_a_stem_two_places_share_stays_a_place_of_its_own(store, write_csv):
    rows = [["姓名", "手机", "籍贯乡镇"], ["甲", "13800000001", "城关镇"], ["乙", "13800000002", "城关乡"],
            ["丙", "13800000003", "城关"]]  # fmt: skip
    _load(store, write_csv, "名录.csv", rows, "contacts")
    assert sorted(n.name for n in store.iter_nodes("Region")) == ["城关", "城关乡", "城关镇"]


def test_places_of_another_family_or_class_stay_apart_and_street_offices_are_one(store, write_csv):
    """长沙 (a city) is 长沙市 but not 长沙县; 吉林 is not 吉林省; 庄桥街道 is 庄桥街道办事处."""
    rows = [["姓名", "工作单位", "籍贯乡镇", "现居城市"], ["周甲", "甲公司", "庄桥街道", "长沙"],
            ["周甲", "甲公司", "庄桥街道办事处", "长沙市"], ["周乙", "乙公司", "荆州市沙市区中山路街道", "长沙县"],
            ["周丙", "丙公司", "城关镇", "吉林"], ["周丁", "丁公司", "城关镇", "吉林省"]]  # fmt: skip
    _load(store, write_csv, "名录.csv", rows, "contacts")
    places = sorted((n.props["level"], n.name) for n in store.iter_nodes("Region"))
    assert places == [("city", "吉林"), ("city", "吉林省"), ("city", "长沙县"), ("city", "长沙市"),
                      ("township", "中山路街道"), ("township", "城关镇"), ("township", "庄桥街道")]  # fmt: skip
    assert sorted(n.name for n in store.iter_nodes("Person")) == ["周丁", "周丙", "周乙", "周甲"]
