"""One test body for every GraphStore implementation."""

from __future__ import annotations

import pytest

from leadgraph.errors import InvalidQuery, NotFound, SchemaError
from leadgraph.graph import GraphStore


def _person(store: GraphStore, source: str = "名录A", **props) -> str:
    with store.batch(source) as batch:
        return batch.upsert_node("Person", props).id


def test_upsert_creates_then_reports_unchanged(any_store):
    with any_store.batch("名录A") as batch:
        first = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000001"})
    with any_store.batch("名录A") as batch:
        again = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000001"})
    assert first.status == "created"
    assert again == type(again)(first.id, "unchanged")
    assert any_store.counts()["nodes"] == {"Person": 1}


def test_fact_from_two_lists_keeps_both_sources(any_store):
    a = _person(any_store, "乡贤名录", name="张伟", mobile="13800000001")
    b = _person(any_store, "商会名录", name="张伟", mobile="13800000001", title="会长")
    assert a == b
    node = any_store.node(a)
    assert [s.source for s in node.sources] == ["乡贤名录", "商会名录"]
    assert node.props["title"] == "会长"


def test_same_name_same_company_is_one_person_unless_mobiles_differ(any_store):
    a = _person(any_store, name="王伟", org_name="示例薄膜有限公司", mobile="13800000001")
    same = _person(any_store, name="王伟", org_name="示例薄膜有限公司")
    other = _person(any_store, name="王伟", org_name="示例薄膜有限公司", mobile="13900000002")
    assert same == a
    assert other != a
    assert any_store.counts()["nodes"]["Person"] == 2


def test_company_found_by_credit_code_or_stock_code(any_store):
    with any_store.batch("上市公司名录") as batch:
        org = batch.upsert_node(
            "Organization",
            {"name": "示例光学膜股份有限公司", "credit_code": "91320400MA1XXXXX0A", "stock_code": "300999.SZ"},
        ).id
    with any_store.batch("走访记录") as batch:
        by_code = batch.upsert_node("Organization", {"name": "示例光学", "stock_code": "300999.SZ"}).id
        by_credit = batch.upsert_node("Organization", {"name": "示例光学膜公司", "credit_code": "91320400MA1XXXXX0A"}).id
    assert by_code == by_credit == org


def test_defaults_never_overwrite_known_values(any_store):
    with any_store.batch("上市公司名录") as batch:
        org = batch.upsert_node("Organization", {"name": "示例光学膜股份有限公司", "org_kind": "listed"}).id
    with any_store.batch("乡贤名录") as batch:
        again = batch.upsert_node("Organization", {"name": "示例光学膜股份有限公司"}, {"org_kind": "company"})
    assert again.id == org
    assert any_store.node(org).props["org_kind"] == "listed"


def test_empty_values_do_not_erase_known_ones(any_store):
    a = _person(any_store, name="李明", mobile="13800000003", city="上海市")
    _person(any_store, "名录B", name="李明", mobile="13800000003", city="")
    assert any_store.node(a).props["city"] == "上海市"


def test_roles_accumulate_across_lists(any_store):
    a = _person(any_store, name="赵强", mobile="13800000004", roles=["contact"])
    _person(any_store, "大使名单", name="赵强", mobile="13800000004", roles=["ambassador"])
    assert any_store.node(a).roles == ["contact", "ambassador"]


def test_symmetric_tie_is_one_edge_whichever_way_it_is_written(any_store):
    a = _person(any_store, name="甲", mobile="13800000005")
    b = _person(any_store, name="乙", mobile="13800000006")
    with any_store.batch("人脉A") as batch:
        one = batch.upsert_edge("KNOWS", a, b, {"context": "同学"})
    with any_store.batch("人脉B") as batch:
        two = batch.upsert_edge("KNOWS", b, a, {"context": "同学"})
    assert one.id == two.id
    assert [s.source for s in any_store.get_edge(one.id).sources] == ["人脉A", "人脉B"]


def test_visits_on_two_dates_are_two_edges(any_store):
    officer = _person(any_store, name="孙丽", mobile="13800000007")
    with any_store.batch("走访记录") as batch:
        org = batch.upsert_node("Organization", {"name": "示例薄膜有限公司"}).id
        first = batch.upsert_edge("VISITED", officer, org, {"date": "2024-01-05"})
        second = batch.upsert_edge("VISITED", officer, org, {"date": "2024-03-01"})
    assert first.id != second.id
    assert any_store.counts()["edges"] == {"VISITED": 2}


def test_edge_between_wrong_kinds_is_refused(any_store):
    with any_store.batch("x") as batch:
        seg = batch.upsert_node("ChainSegment", {"name": "增亮膜"}).id
        org = batch.upsert_node("Organization", {"name": "示例薄膜有限公司"}).id
        with pytest.raises(InvalidQuery, match="KNOWS cannot join a ChainSegment"):
            batch.upsert_edge("KNOWS", seg, org, {"context": "同学"})


def test_unknown_property_is_a_schema_error(any_store):
    with any_store.batch("x") as batch, pytest.raises(SchemaError, match="Person has no property 'wechat'"):
        batch.upsert_node("Person", {"name": "张伟", "wechat": "zw"})


def test_failed_batch_writes_nothing(any_store):
    _person(any_store, name="保留", mobile="13800000008")
    before = any_store.counts()
    with pytest.raises(RuntimeError), any_store.batch("坏名录") as batch:
        batch.upsert_node("Person", {"name": "丢弃", "mobile": "13800000009"})
        raise RuntimeError("boom")
    assert any_store.counts() == before
    assert any_store.search("丢弃") == []


def test_unknown_node_id_is_not_found(any_store):
    with pytest.raises(NotFound):
        any_store.node("per:0000000000000000")


def test_neighbours_report_truncation(any_store):
    with any_store.batch("商会名录") as batch:
        assoc = batch.upsert_node("Organization", {"name": "示例商会", "org_kind": "association"}).id
        for i in range(5):
            p = batch.upsert_node("Person", {"name": f"会员{i}", "mobile": f"1380000010{i}"}).id
            batch.upsert_edge("MEMBER_OF", p, assoc, {"role": "会员"})
    some, cut = any_store.neighbours(assoc, limit=3)
    everyone, whole = any_store.neighbours(assoc, limit=10)
    assert (len(some), cut) == (3, True)
    assert (len(everyone), whole) == (5, False)
    assert {n.direction for n in everyone} == {"in"}


def test_search_finds_people_by_pinyin_initials_and_companies_by_short_name(any_store):
    with any_store.batch("名录") as batch:
        batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000011"})
        batch.upsert_node("Person", {"name": "张巍", "mobile": "13800000012"})
        batch.upsert_node("Person", {"name": "李明", "mobile": "13800000013"})
        batch.upsert_node(
            "Organization", {"name": "宁波示例光电科技股份有限公司", "short_name": "示例光电", "stock_code": "688999.SH"}
        )
    people = any_store.search("zw")
    assert [h.name for h in people] == ["张伟", "张巍"]
    assert [h.name for h in any_store.search("示例光电")] == ["宁波示例光电科技股份有限公司"]
    assert any_store.search("688999")[0].name == "宁波示例光电科技股份有限公司"
    assert any_store.search("zhangw")[0].kind == "Person"
    assert any_store.search("zw", kinds=frozenset({"Organization"})) == []


def test_search_treats_sql_wildcards_as_text(any_store):
    _person(any_store, name="百分%号", mobile="13800000014")
    _person(any_store, name="普通人", mobile="13800000015")
    assert [h.name for h in any_store.search("%")] == ["百分%号"]
    assert any_store.search("_") == []
