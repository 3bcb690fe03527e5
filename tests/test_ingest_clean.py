"""Clean lists in, exactly the right graph out — and loading again changes nothing."""

from __future__ import annotations

import json

import pytest

from leadgraph.errors import IngestError, UnknownKind
from leadgraph.graph import GraphStore
from leadgraph.ingest.loader import ingest_file

LEADERS = [["姓名", "职务", "分管领域", "手机"], ["王建国", "县长", "全面工作", "13900000001"]]
CONTACTS = [
    ["姓名", "手机", "工作单位", "职务", "籍贯乡镇", "现居城市", "包保领导"],
    ["张伟", "13800000001", "宁波示例光电科技股份有限公司", "董事长", "青石镇", "宁波市", "王建国"],
    ["李明", "13800000002", "上海示例薄膜有限公司", "总经理", "青石镇", "上海市", ""],
    ["张伟", "13800000003", "深圳示例材料有限公司", "工程师", "东湖镇", "深圳市", ""],
]


def _load_contacts(store, write_csv, rows=CONTACTS):
    ingest_file(store, write_csv("县领导.csv", LEADERS), kind="leaders")
    return ingest_file(store, write_csv("乡贤名录.csv", rows), kind="contacts")


def _dump(store: GraphStore) -> str:
    """The whole graph without last-seen times (seeing a fact again is allowed to update those)."""

    def strip(item: dict) -> dict:
        return {**item, "sources": [{k: v for k, v in s.items() if k != "last_seen"} for s in item["sources"]]}

    nodes = [strip(n.to_dict()) for n in store.iter_nodes()]
    edges = [strip(e.to_dict()) for e in store.iter_edges()]
    return json.dumps([nodes, edges], ensure_ascii=False, sort_keys=True)


def test_contacts_list_builds_people_firms_townships_and_leader_ties(store, write_csv):
    ingest_file(store, write_csv("县领导.csv", LEADERS), kind="leaders")
    report = ingest_file(store, write_csv("乡贤名录.csv", CONTACTS), kind="contacts")
    assert report.to_dict()["rows_loaded"] == 3
    counts = store.counts()
    assert counts["nodes"] == {"Organization": 3, "Person": 4, "Region": 5}
    assert counts["edges"] == {"ASSIGNED_TO": 1, "FROM": 3, "LOCATED_IN": 3, "WORKS_AT": 3}
    zhang = [n for n in store.nodes_named("Person", "张伟")]
    assert sorted(n.props["mobile"] for n in zhang) == ["13800000001", "13800000003"]
    assert all(n.roles == ["contact"] for n in zhang)
    leader = store.nodes_named("Person", "王建国")[0]
    assigned = [n.node.name for n in store.neighbours(leader.id)[0] if n.edge.kind == "ASSIGNED_TO"]
    assert assigned == ["张伟"]


def test_loading_the_same_file_twice_changes_nothing(store, write_csv):
    ingest_file(store, write_csv("县领导.csv", LEADERS), kind="leaders")
    path = write_csv("乡贤名录.csv", CONTACTS)
    ingest_file(store, path, kind="contacts")
    before = _dump(store)
    again = ingest_file(store, path, kind="contacts").to_dict()
    assert again["nodes"]["created"] == again["nodes"]["updated"] == 0
    assert again["edges"]["created"] == again["edges"]["updated"] == 0
    assert again["rows_loaded"] == 3
    assert _dump(store) == before


def test_xlsx_and_csv_of_the_same_list_load_the_same_graph(tmp_path, write_csv, write_xlsx):
    from leadgraph.graph import EmbeddedStore

    dumps = []
    for name, writer in (("a.csv", write_csv), ("a.xlsx", write_xlsx)):
        with EmbeddedStore(tmp_path / f"{name}.db") as store:
            ingest_file(store, writer("县领导" + name[1:], LEADERS), kind="leaders", source="名录")
            ingest_file(store, writer("乡贤" + name[1:], CONTACTS), kind="contacts", source="名录")
            dumps.append(
                sorted((n.kind, n.name, json.dumps(n.props, sort_keys=True)) for n in store.iter_nodes())
            )
    assert dumps[0] == dumps[1]


def test_person_in_two_lists_is_one_node_with_both_sources(store, write_csv):
    _load_contacts(store, write_csv)
    ingest_file(
        store,
        write_csv("商会会员.csv", [["商协会", "姓名", "工作单位", "手机", "会内职务"],
                                   ["宁波示例商会", "张伟", "宁波示例光电科技股份有限公司", "13800000001", "副会长"]]),
        kind="members",
    )
    (zhang,) = [n for n in store.nodes_named("Person", "张伟") if n.props["mobile"] == "13800000001"]
    node = store.node(zhang.id)
    assert [s.source for s in node.sources] == ["乡贤名录", "商会会员"]
    works_at = [n.edge for n in store.neighbours(node.id)[0] if n.edge.kind == "WORKS_AT"]
    assert [[s.source for s in e.sources] for e in works_at] == [["乡贤名录", "商会会员"]]


def test_every_kind_loads_its_canonical_columns(store, write_csv):
    files = [
        ("segments", [["环节", "上级环节", "阶段"], ["光学膜", "", "中游"], ["增亮膜", "光学膜", "中游"], ["显示面板", "", "下游"]]),
        ("organizations", [["名称", "简称", "类别", "股票代码", "所在城市", "本地企业"],
                           ["宁波示例光电科技股份有限公司", "示例光电", "上市公司", "688999", "宁波市", "否"],
                           ["示例县膜材料有限公司", "", "企业", "", "示例县", "是"],
                           ["上海示例商会", "", "商会", "", "上海市", ""]]),
        ("leaders", LEADERS),
        ("officers", [["姓名", "手机", "派出单位", "招商片区", "驻点城市"], ["孙丽", "13700000001", "示例县投资促进中心", "沪片区", "上海市"]]),
        ("contacts", CONTACTS),
        ("ambassadors", [["姓名", "手机", "工作单位", "聘任日期"], ["李明", "13800000002", "上海示例薄膜有限公司", "2023-05-01"]]),
        ("executives", [["姓名", "单位", "职务", "决策人", "持股比例（%）"], ["陈刚", "宁波示例光电科技股份有限公司", "总经理", "是", "12.5"]]),
        ("members", [["商协会", "姓名", "工作单位", "会内职务"], ["上海示例商会", "李明", "上海示例薄膜有限公司", "会长"],
                     ["上海示例商会", "", "示例县膜材料有限公司", "会员"]]),
        ("ties", [["姓名A", "单位A", "姓名B", "单位B", "关系"], ["李明", "上海示例薄膜有限公司", "陈刚", "宁波示例光电科技股份有限公司", "大学同学"]]),
        ("positions", [["单位", "环节", "主营产品"], ["宁波示例光电科技股份有限公司", "增亮膜", "增亮膜"]]),
        ("supplies", [["供方", "需方", "产品"], ["增亮膜", "显示面板", "背光模组用膜"]]),
        ("events", [["活动名称", "类型", "日期", "地点"], ["示例县功能膜论坛", "论坛", "2023-09-01", "示例县"]]),
        ("attendance", [["活动名称", "姓名", "单位", "身份"], ["示例县功能膜论坛", "陈刚", "宁波示例光电科技股份有限公司", "嘉宾"]]),
        ("visits", [["拜访日期", "拜访人", "拜访单位", "有效线索"], ["2024-01-05", "孙丽", "宁波示例光电科技股份有限公司", "是"]]),
        ("projects", [["项目名称", "投资主体", "投资额（亿元）", "阶段", "签约日期", "责任领导"],
                      ["年产5000万平方米增亮膜项目", "宁波示例光电科技股份有限公司", "12", "签约", "2024-03-01", "王建国"]]),
    ]
    for kind, rows in files:
        report = ingest_file(store, write_csv(f"{kind}.csv", rows), kind=kind).to_dict()
        assert report["rows_rejected"] == 0, (kind, report["sheets"][0]["rejected"])
    listed = store.search("示例光电")[0]
    assert store.node(listed.id).props["org_kind"] == "listed"
    assert store.node(listed.id).props["stock_code"] == "688999.SH"
    (li,) = store.nodes_named("Person", "李明")
    assert li.roles == ["contact", "ambassador"]
    edges = store.counts()["edges"]
    for kind in ("PART_OF", "STATIONED_IN", "SHAREHOLDER_OF", "MEMBER_OF", "KNOWS", "OPERATES_IN",
                 "SUPPLIES", "ATTENDED", "VISITED", "TARGETS", "RESPONSIBLE_FOR", "ASSIGNED_TO"):
        assert edges.get(kind, 0) >= 1, kind
    knows = next(store.iter_edges("KNOWS"))
    assert knows.props == {"context": "同学"}
    project = next(store.iter_nodes("Project"))
    assert project.props["amount_yi"] == 12.0 and project.props["signed_on"] == "2024-03-01"


def test_tie_naming_an_unknown_person_is_rejected_with_reason(store, write_csv):
    _load_contacts(store, write_csv)
    report = ingest_file(
        store,
        write_csv("人脉.csv", [["姓名A", "单位A", "姓名B", "单位B", "关系"],
                               ["李明", "上海示例薄膜有限公司", "查无此人", "某公司", "同学"]]),
        kind="ties",
    )
    (issue,) = report.rejected
    assert issue.line == 2
    assert "查无此人" in issue.reason and "不在任何已导入名录中" in issue.reason
    assert store.counts()["edges"].get("KNOWS", 0) == 0


def test_ambiguous_name_reference_is_rejected_not_guessed(store, write_csv):
    _load_contacts(store, write_csv)
    report = ingest_file(
        store,
        write_csv("人脉.csv", [["姓名A", "姓名B", "关系"], ["张伟", "李明", "同乡"]]),
        kind="ties",
    )
    (issue,) = report.rejected
    assert "对应多个人员" in issue.reason
    assert store.counts()["edges"].get("KNOWS", 0) == 0


def test_row_missing_a_required_value_is_rejected_and_the_rest_loads(store, write_csv):
    rows = [*CONTACTS[:2], ["", "13800000009", "某公司", "", "", "", ""], CONTACTS[2]]
    report = _load_contacts(store, write_csv, rows)
    assert [(i.line, i.reason) for i in report.rejected] == [(3, "必填列「姓名」为空")]
    assert report.to_dict()["rows_loaded"] == 2


def test_unknown_kind_is_one_clear_error(store, write_csv):
    with pytest.raises(UnknownKind, match="未知的名录类型「contact」.*contacts"):
        ingest_file(store, write_csv("乡贤名录.csv", CONTACTS), kind="contact")


def test_missing_required_column_refuses_the_sheet_and_writes_nothing(store, write_csv):
    with pytest.raises(IngestError, match="缺少必填列：关系"):
        ingest_file(store, write_csv("人脉.csv", [["姓名A", "姓名B"], ["张伟", "李明"]]), kind="ties")
    assert store.counts() == {"nodes": {}, "edges": {}}


def test_dry_run_reports_but_writes_nothing(store, write_csv):
    report = ingest_file(store, write_csv("乡贤名录.csv", CONTACTS), kind="contacts", dry_run=True)
    assert report.to_dict()["nodes"]["created"] > 0
    assert store.counts() == {"nodes": {}, "edges": {}}


def test_kind_is_inferred_from_headers_when_unambiguous(store, write_csv):
    report = ingest_file(store, write_csv("关系.csv", [["姓名A", "姓名B", "关系"], ["甲", "乙", "同学"]]))
    assert report.sheets[0].kind == "ties"


def test_ambiguous_headers_name_the_candidate_kinds(store, write_csv):
    with pytest.raises(UnknownKind, match="contacts.*ambassadors|ambassadors.*contacts"):
        ingest_file(store, write_csv("名单.csv", [["姓名", "手机", "工作单位"], ["甲", "13800000001", "某公司"]]))


def test_contact_whose_leader_is_unknown_loads_without_the_link_and_is_flagged(store, write_csv):
    report = ingest_file(store, write_csv("乡贤名录.csv", CONTACTS), kind="contacts")
    assert report.rejected == []
    (flag,) = report.sheets[0].flagged
    assert flag.line == 2 and "王建国" in flag.reason and "未建立此关联" in flag.reason
    assert store.counts()["nodes"]["Person"] == 3
    assert "ASSIGNED_TO" not in store.counts()["edges"]
