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


def test_two_people_who_are_classmates_and_comrades_keep_both_ties(any_store, write_csv):
    """One tie per context, each with its own strength and note; re-reading the list changes nothing."""
    from leadgraph.ingest.loader import ingest_file

    _person(any_store, name="张伟", mobile="13812345678")
    _person(any_store, name="王芳", mobile="13812349999")
    rows = [["姓名A", "手机A", "姓名B", "手机B", "关系", "强度", "说明"],
            ["张伟", "13812345678", "王芳", "13812349999", "同学", "0.9", "高中同班"],
            ["张伟", "13812345678", "王芳", "13812349999", "战友", "", ""],
            ["王芳", "13812349999", "张伟", "13812345678", "老乡", "", ""]]  # fmt: skip
    report = ingest_file(any_store, write_csv("人脉.csv", rows), kind="ties")
    assert report.rejected == [] and report.to_dict()["edges"] == {"created": 3, "updated": 0, "unchanged": 0}
    ties = sorted((e.props["context"], e.props.get("strength"), e.props.get("note")) for e in any_store.iter_edges("KNOWS"))
    assert ties == [("同乡", None, None), ("同学", 0.9, "高中同班"), ("战友", None, None)]
    again = ingest_file(any_store, write_csv("人脉.csv", rows), kind="ties")
    assert again.to_dict()["edges"] == {"created": 0, "updated": 0, "unchanged": 3}


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


def test_a_name_longer_than_the_limit_is_refused_on_both_backends(any_store):
    """A pasted paragraph is no name (and Neo4j cannot index 8 kB): the same refusal everywhere;
    a name at the limit is stored and found."""
    from leadgraph.graph.store import NAME_MAX

    with any_store.batch("x") as batch:
        with pytest.raises(InvalidQuery, match=f"机构名称太长（4000 个字符，上限 {NAME_MAX}）"):
            batch.upsert_node("Organization", {"name": "示例" * 2000})
        longest = batch.upsert_node("Organization", {"name": "膜" * (NAME_MAX - 4) + "有限公司"}).id
    assert any_store.node(longest).name == "膜" * (NAME_MAX - 4) + "有限公司"
    assert sum(any_store.counts()["nodes"].values()) == 1


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


def test_nodes_named_matches_canonical_names_in_id_order(any_store):
    a = _person(any_store, name="王 伟", mobile="13800000021")
    b = _person(any_store, name="王伟", mobile="13800000022")
    _person(any_store, name="王伟伟", mobile="13800000023")
    assert [n.id for n in any_store.nodes_named("Person", "王伟")] == sorted([a, b])
    assert any_store.nodes_named("Organization", "王伟") == []
    assert any_store.nodes_named("NoSuchKind", "王伟") == []


def test_iter_nodes_and_edges_come_in_id_order_and_filter_by_kind(any_store):
    with any_store.batch("名录") as batch:
        people = [batch.upsert_node("Person", {"name": f"人{i}", "mobile": f"1380000003{i}"}).id for i in range(4)]
        org = batch.upsert_node("Organization", {"name": "示例薄膜有限公司"}).id
        edges = [batch.upsert_edge("WORKS_AT", p, org, {"title": "经理"}).id for p in people]
        edges.append(batch.upsert_edge("KNOWS", people[0], people[1], {"context": "同事"}).id)
    assert [n.id for n in any_store.iter_nodes()] == sorted([*people, org])
    assert [n.id for n in any_store.iter_nodes("Person")] == sorted(people)
    assert [e.id for e in any_store.iter_edges()] == sorted(edges)
    assert [e.kind for e in any_store.iter_edges("KNOWS")] == ["KNOWS"]
    assert list(any_store.iter_nodes("NoSuchKind")) == []
    assert any_store.counts() == {"nodes": {"Organization": 1, "Person": 4}, "edges": {"KNOWS": 1, "WORKS_AT": 4}}


def test_neighbours_come_by_kind_then_id_and_filter_by_edge_kind(any_store):
    with any_store.batch("名录") as batch:
        me = batch.upsert_node("Person", {"name": "中心", "mobile": "13800000040"}).id
        org = batch.upsert_node("Organization", {"name": "示例薄膜有限公司"}).id
        batch.upsert_edge("WORKS_AT", me, org, {"title": "董事长"})
        for i in range(3):
            friend = batch.upsert_node("Person", {"name": f"朋友{i}", "mobile": f"1380000004{i + 1}"}).id
            batch.upsert_edge("KNOWS", friend, me, {"context": "同学"})
    everything, _ = any_store.neighbours(me)
    keys = [(n.edge.kind, n.edge.id) for n in everything]
    assert keys == sorted(keys) and len(keys) == 4
    knows, cut = any_store.neighbours(me, edge_kinds=frozenset({"KNOWS"}))
    assert {n.edge.kind for n in knows} == {"KNOWS"} and not cut
    works = any_store.neighbours(me, edge_kinds=frozenset({"WORKS_AT"}))[0]
    assert [(n.node.id, n.direction) for n in works] == [(org, "out")]


def test_node_keys_lists_every_natural_key_a_node_owns(any_store):
    with any_store.batch("上市公司名录") as batch:
        org = batch.upsert_node("Organization", {"name": "示例光学膜股份有限公司", "stock_code": "300999.SZ"}).id
    assert any_store.node_keys([org, "org:0000000000000000"]) == {
        org: ["Organization|name=示例光学膜股份有限公司", "Organization|stock_code=300999.sz"]
    }


def test_restore_keeps_sources_timestamps_and_keys_exactly(any_store):
    from leadgraph.graph import Edge, Node, Source

    old = Source("2019年乡贤名录", "2019-03-01T08:00:00.000000Z", "2021-05-04T09:30:00.000000Z")
    a = Node("per:00000000000000aa", "Person", "张伟", {"name": "张伟", "mobile": "13800000050"}, [old])
    b = Node("per:00000000000000bb", "Person", "李明", {"name": "李明", "roles": ["contact"]}, [old])
    tie = Edge("e:00000000000000ab", "KNOWS", a.id, b.id, {"context": "同学"}, [old])
    any_store.restore([a, b], [tie], [("Person|mobile=13800000050|name=张伟", a.id)])
    assert any_store.node(a.id) == a
    assert any_store.get_edge(tie.id) == tie
    assert any_store.search("zw")[0].id == a.id
    with any_store.batch("新名录") as batch:
        again = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000050"})
    assert again == type(again)(a.id, "updated")
    assert [s.source for s in any_store.node(a.id).sources] == ["2019年乡贤名录", "新名录"]


def test_edge_to_a_node_not_in_the_graph_is_refused(any_store):
    a = _person(any_store, name="甲", mobile="13800000060")
    with any_store.batch("x") as batch, pytest.raises(NotFound):
        batch.upsert_edge("KNOWS", a, "per:0000000000000000", {"context": "同学"})


def test_unknown_ids_read_as_none(any_store):
    assert any_store.get_node("per:0000000000000000") is None
    assert any_store.get_node("no-prefix") is None
    assert any_store.get_edge("e:0000000000000000") is None


def test_get_nodes_and_edges_read_many_ids_at_once_and_skip_unknown_ones(any_store):
    with any_store.batch("名录A") as batch:
        a = batch.upsert_node("Person", {"name": "甲", "mobile": "13800000061"}).id
        org = batch.upsert_node("Organization", {"name": "示例薄膜有限公司"}).id
        region = batch.upsert_node("Region", {"name": "青石镇", "level": "township"}).id
        works = batch.upsert_edge("WORKS_AT", a, org, {"title": "董事长"}).id
        born = batch.upsert_edge("FROM", a, region).id
    nodes = any_store.get_nodes([region, "per:0000000000000000", a, org, a, "no-prefix"])
    assert nodes == {node_id: any_store.node(node_id) for node_id in (region, a, org)}
    assert [s.source for s in nodes[a].sources] == ["名录A"]
    edges = any_store.get_edges([born, "e:0000000000000000", works, born])
    assert edges == {edge_id: any_store.get_edge(edge_id) for edge_id in (born, works)}
    assert edges[works].props == {"title": "董事长"} and edges[works].src == a
    assert any_store.get_nodes([]) == {} and any_store.get_edges([]) == {}


# -- entity resolution: review queue, merges, lookups for resolvers -------------------------


def _review(node_id: str, other_id: str, source: str = "乡贤名录") -> "ReviewItem":
    from leadgraph.graph.model import ReviewItem
    from leadgraph.graph.store import review_id

    return ReviewItem(
        id=review_id("rv", *sorted((node_id, other_id))), kind="Person", node_id=node_id, other_id=other_id,
        score=0.55, evidence=["姓名相同", "出生年份同为 1975"], status="pending", source=source, line=7,
        summary="张伟，远方物流有限公司", created_at="2024-01-01T00:00:00.000000Z",
    )


def test_review_item_is_stored_once_and_listed_by_status(any_store):
    a = _person(any_store, name="张伟", mobile="13800000071")
    b = _person(any_store, name="张伟", mobile="13800000072")
    item = _review(b, a)
    assert any_store.add_review_item(item) is True
    assert any_store.add_review_item(item) is False
    assert any_store.review_items() == [item]
    assert any_store.review_items("rejected") == []
    assert any_store.review_item(item.id) == item
    with pytest.raises(NotFound):
        any_store.review_item("rv-0000000000")


def test_failed_batch_keeps_no_review_item(any_store):
    a = _person(any_store, name="张伟", mobile="13800000073")
    with pytest.raises(RuntimeError), any_store.batch("乡贤名录") as batch:
        b = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000074"}).id
        batch.add_review_item(_review(b, a))
        raise RuntimeError("boom")
    assert any_store.review_items(None) == []


def test_merge_repoints_edges_and_unions_sources_keys_props_and_roles(any_store):
    with any_store.batch("乡贤名录") as batch:
        keep = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000081", "township": "青石镇", "roles": ["contact"]}).id
        org = batch.upsert_node("Organization", {"name": "宁波示例光电科技股份有限公司"}).id
        friend = batch.upsert_node("Person", {"name": "李明", "mobile": "13800000082"}).id
        batch.upsert_edge("WORKS_AT", keep, org, {"title": "董事长"})
    with any_store.batch("商会名录") as batch:
        drop = batch.upsert_node("Person", {"name": "张伟", "org_name": "示例光电", "birth_year": 1975, "township": "东湖镇", "roles": ["ambassador"]}).id
        batch.upsert_edge("WORKS_AT", drop, org, {"decision_maker": True})
        batch.upsert_edge("KNOWS", friend, drop, {"context": "同学"})
        batch.upsert_edge("KNOWS", keep, drop, {"context": "同事"})
    merged = any_store.merge_nodes(keep, drop, note="人工确认")
    assert merged.id == keep and any_store.get_node(drop) is None
    assert merged.props["township"] == "青石镇"  # the kept node's values win
    assert merged.props["birth_year"] == 1975 and merged.props["org_name"] == "示例光电"  # the dropped one fills gaps
    assert merged.roles == ["contact", "ambassador"] and merged.props["merged_from"] == ["人工确认"]
    assert [s.source for s in merged.sources] == ["乡贤名录", "商会名录"]
    around = sorted((n.edge.kind, n.node.id, n.direction) for n in any_store.neighbours(keep)[0])
    assert around == [("KNOWS", friend, "in"), ("WORKS_AT", org, "out")]
    (works,) = [n.edge for n in any_store.neighbours(keep)[0] if n.edge.kind == "WORKS_AT"]
    assert works.props == {"title": "董事长", "decision_maker": True}
    assert [s.source for s in works.sources] == ["乡贤名录", "商会名录"]
    assert any_store.merged_into(drop) == keep and any_store.merged_into(keep) is None
    assert "Person|name=张伟|org_name=示例光电" in any_store.node_keys([keep])[keep]
    assert any_store.counts() == {"nodes": {"Organization": 1, "Person": 2}, "edges": {"KNOWS": 1, "WORKS_AT": 1}}
    with any_store.batch("商会名录") as batch:  # the dropped node's row finds the kept node: never split again
        assert batch.upsert_node("Person", {"name": "张伟", "org_name": "示例光电"}).id == keep


def test_accept_merges_the_pair_and_reject_keeps_it_apart_for_good(any_store):
    a = _person(any_store, name="张伟", township="青石镇")
    b = _person(any_store, "商会名录", name="张伟", org_name="远方物流有限公司")
    c = _person(any_store, "活动名单", name="张伟", org_name="某某贸易有限公司")
    first, second = _review(b, a), _review(c, a)
    any_store.add_review_item(first)
    any_store.add_review_item(second)
    accepted = any_store.decide(first.id, "accept")
    assert accepted.status == "accepted" and accepted.decided_at
    assert any_store.get_node(b) is None and any_store.current_id(b) == a
    rejected = any_store.decide(second.id, "reject")
    assert rejected.status == "rejected"
    assert any_store.get_node(c) is not None and any_store.rejected_between(c, a)
    assert [i.id for i in any_store.review_items()] == []
    with pytest.raises(InvalidQuery):
        any_store.decide(first.id, "reject")
    again = _review(c, b)  # the same pair, reached through the merged-away node
    any_store.add_review_item(again)
    with pytest.raises(InvalidQuery):
        any_store.decide(again.id, "accept")
    assert any_store.counts()["nodes"]["Person"] == 2


def test_batch_finds_nodes_by_search_term_including_its_own_writes(any_store):
    with any_store.batch("上市公司名录") as batch:
        batch.upsert_node("Organization", {"name": "宁波激智科技股份有限公司", "short_name": "激智科技"})
    with any_store.batch("走访记录") as batch:
        own = batch.upsert_node("Organization", {"name": "激光智造有限公司"}).id
        exact = [n.name for n in batch.nodes_with_term("Organization", "激智科技")]
        prefix = [n.id for n in batch.nodes_with_term("Organization", "激", prefix=True)]
        people = batch.nodes_with_term("Person", "激智科技")
    assert exact == ["宁波激智科技股份有限公司"]
    assert own in prefix and len(prefix) == 2
    assert people == []


def test_resolver_merges_a_short_name_and_a_probable_person_on_every_backend(any_store):
    from leadgraph.ingest.resolve import EntityResolver

    with any_store.batch("乡贤名录") as batch:
        org = batch.upsert_node("Organization", {"name": "宁波激智科技股份有限公司"}).id
        zhang = batch.upsert_node("Person", {"name": "张伟", "org_name": "宁波激智科技股份有限公司", "township": "青石镇"}).id
    with any_store.batch("商会名录") as batch:
        batch.resolver = EntityResolver()
        batch.line = 3
        assert batch.upsert_node("Organization", {"name": "激智科技"}).id == org
        assert batch.upsert_node("Person", {"name": "张伟", "org_name": "激智科技"}).id == zhang
        merges = batch.take_decisions()
    assert [(m.status, m.node_id) for m in merges] == [("merged", org), ("merged", zhang)]
    node = any_store.node(zhang)
    assert node.props["org_name"] == "宁波激智科技股份有限公司"  # a probable match never rewrites identity
    assert node.props["merged_from"] == [
        "商会名录 第 3 行「张伟，激智科技」：姓名相同；单位相同：激智科技 ≈ 宁波激智科技股份有限公司（核心名「激智科技」）（得分 0.75）"
    ]
    assert [i.status for i in any_store.review_items("merged")] == ["merged", "merged"]


def test_same_name_same_company_but_other_birth_year_or_gender_is_another_person(any_store):
    a = _person(any_store, name="王伟", org_name="示例薄膜有限公司", birth_year=1975, gender="男")
    older = _person(any_store, name="王伟", org_name="示例薄膜有限公司", birth_year=1960)
    woman = _person(any_store, name="王伟", org_name="示例薄膜有限公司", gender="女")
    same = _person(any_store, name="王伟", org_name="示例薄膜有限公司", birth_year=1975)
    assert len({a, older, woman}) == 3 and same == a
    with any_store.batch("名录B") as batch:  # loading them again finds each one: no third or fourth 王伟
        assert batch.upsert_node("Person", {"name": "王伟", "org_name": "示例薄膜有限公司", "birth_year": 1960}).id == older
        assert batch.upsert_node("Person", {"name": "王伟", "org_name": "示例薄膜有限公司", "gender": "女"}).id == woman
    assert any_store.counts()["nodes"]["Person"] == 3


def test_restored_review_state_is_listed_redirected_and_replaced_by_id(any_store):
    from dataclasses import replace

    keep = _person(any_store, name="张伟", mobile="13800000091")
    other = _person(any_store, name="张伟", mobile="13800000092")
    pending = _review(other, keep)
    decided = replace(_review("per:00000000000000aa", keep), status="accepted", decided_at="2024-01-02T00:00:00.000000Z")
    merged = replace(_review(keep, keep), id="mg-0000000001", other_id=None, status="merged", evidence=[], line=None)
    redirects = [("per:00000000000000bb", keep), ("per:00000000000000aa", keep)]
    any_store.restore_review_state([pending, decided, merged], redirects)
    assert sorted(any_store.review_items(None), key=lambda i: i.id) == sorted([pending, decided, merged], key=lambda i: i.id)
    assert any_store.review_items() == [pending]
    assert any_store.merged_into("per:00000000000000aa") == keep and any_store.current_id("per:00000000000000bb") == keep
    assert list(any_store.iter_redirects()) == sorted(redirects)
    rejected = replace(pending, status="rejected", decided_at="2024-01-03T00:00:00.000000Z")
    any_store.restore_review_state([rejected], [("per:00000000000000bb", other)])  # same ids: replaced
    assert any_store.review_item(pending.id) == rejected and any_store.rejected_between(other, keep)
    assert any_store.merged_into("per:00000000000000bb") == other
    assert len(any_store.review_items(None)) == 3 and len(list(any_store.iter_redirects())) == 2
    assert any_store.counts()["nodes"] == {"Person": 2}  # review state is not part of the graph's counts


# -- the rest of the interface: batch look-ups of its own writes, decisions by id, paging, close --


def test_batch_lookups_see_the_batch_own_writes_before_commit(any_store):
    from leadgraph.graph.store import Probable

    _person(any_store, "乡贤名录", name="王伟", mobile="13800000101")
    with any_store.batch("商会名录") as batch:
        own = batch.upsert_node("Person", {"name": "王 伟", "mobile": "13800000102", "city": "宁波市"}).id
        assert batch.get_node(own).props["city"] == "宁波市"
        assert batch.get_node("per:0000000000000000") is None and batch.get_node("no-prefix") is None
        assert [n.id for n in batch.nodes_named("Person", "王伟")] == sorted([own, any_store.nodes_named("Person", "王伟")[0].id])
        found, probable = batch.lookup("Person", {"name": "王伟", "mobile": "13800000102"})
        assert [n.id for n in found] == [own] and probable is None
        assert [n.id for n in batch.resolve("Person", {"name": "王伟", "mobile": "13800000102"})] == [own]
        named, _ = batch.lookup("Person", {"name": "王伟"})  # no key: every namesake, the batch's own included
        assert sorted(n.id for n in named) == sorted(n.id for n in batch.nodes_named("Person", "王伟"))
        assert batch.lookup("Person", {"name": "无此人"}) == ([], None)
        batch.line = 9
        batch.record_merge("Person", own, Probable(node=batch.get_node(own), score=0.8, evidence=["手机相同"], summary="王伟"))
        (merge,) = batch.take_decisions()
        assert batch.take_decisions() == []
        assert (merge.status, merge.node_id, merge.line, merge.evidence) == ("merged", own, 9, ["手机相同"])
    assert any_store.get_review_item(merge.id) == merge
    assert any_store.review_items("merged") == [merge]


def test_lookup_stores_nothing_and_an_unknown_review_item_reads_as_none(any_store):
    a = _person(any_store, name="赵强", mobile="13800000103")
    before = any_store.counts()
    with any_store.batch("名录B") as batch:
        assert [n.id for n in batch.lookup("Person", {"name": "赵强", "mobile": "13800000103"})[0]] == [a]
    assert any_store.counts() == before and [s.source for s in any_store.node(a).sources] == ["名录A"]
    assert any_store.get_review_item("rv-0000000000") is None
    assert any_store.merged_into(a) is None and any_store.current_id(a) == a


def test_review_items_come_oldest_first_then_by_id(any_store):
    from dataclasses import replace

    a = _person(any_store, name="张伟", mobile="13800000104")
    others = [_person(any_store, name="张伟", mobile=f"1380000011{i}") for i in range(3)]
    late, early_b, early_a = (_review(o, a) for o in others)
    late = replace(late, created_at="2024-03-01T00:00:00.000000Z")
    early_a = replace(early_a, id="rv-000000000a", created_at="2024-01-01T00:00:00.000000Z")
    early_b = replace(early_b, id="rv-000000000b", created_at="2024-01-01T00:00:00.000000Z")
    for item in (late, early_b, early_a):
        assert any_store.add_review_item(item)
    assert [i.id for i in any_store.review_items()] == [early_a.id, early_b.id, late.id]
    assert [i.id for i in any_store.review_items(None)] == [early_a.id, early_b.id, late.id]


def test_merge_nodes_named_review_marks_it_accepted_in_the_same_step(any_store):
    a = _person(any_store, name="张伟", mobile="13800000121")
    b = _person(any_store, "商会名录", name="张伟", mobile="13800000122")
    item = _review(b, a)
    any_store.add_review_item(item)
    merged = any_store.merge_nodes(a, b, note="人工确认", review=item.id)
    assert merged.id == a and any_store.get_node(b) is None and any_store.merged_into(b) == a
    decided = any_store.review_item(item.id)
    assert decided.status == "accepted" and decided.decided_at
    assert list(any_store.iter_redirects()) == [(b, a)]


def test_long_listings_are_complete_and_in_id_order_across_pages(any_store, monkeypatch):
    """Neo4j reads nodes, edges and redirects page by page: tiny pages must lose nothing."""
    from leadgraph.graph import Edge, Node, Source, neo4j_store

    monkeypatch.setattr(neo4j_store, "_PAGE", 3)
    seen = [Source("名录", "2024-01-01T00:00:00.000000Z", "2024-01-01T00:00:00.000000Z")]
    people = [Node(f"per:{i:016x}", "Person", f"人{i}", {"name": f"人{i}"}, seen) for i in range(11)]
    orgs = [Node(f"org:{i:016x}", "Organization", f"公司{i}", {"name": f"公司{i}"}, seen) for i in range(4)]
    ties = [Edge(f"e:{i:016x}", "KNOWS" if i % 2 else "WORKS_AT", people[i].id, (people[i + 1] if i % 2 else orgs[i % 4]).id, {}, seen)
            for i in range(10)]  # fmt: skip
    any_store.restore([*people, *orgs], ties, [])
    redirects = [(f"per:{i:016x}", people[0].id) for i in range(100, 108)]
    any_store.restore_review_state([], redirects)
    assert [n.id for n in any_store.iter_nodes()] == sorted(n.id for n in [*people, *orgs])
    assert [n.id for n in any_store.iter_nodes("Person")] == sorted(n.id for n in people)
    assert [e.id for e in any_store.iter_edges()] == sorted(e.id for e in ties)
    assert list(any_store.iter_redirects()) == sorted(redirects)


def test_closing_a_store_leaves_others_on_the_same_graph_working(any_store, tmp_path):
    """A second store opened on the same graph (a CLI command beside the API) and closed
    leaves the first one, and the data, as they were."""
    from leadgraph.graph import EmbeddedStore
    from leadgraph.graph.neo4j_store import Neo4jStore
    from tests.store.neo4j_server import neo4j_config

    a = _person(any_store, name="甲", mobile="13800000131")
    if isinstance(any_store, Neo4jStore):
        config = neo4j_config()  # a store with a driver of its own, which close() closes
        second = Neo4jStore(any_store.uri, config["user"], config["password"], any_store.database)
    else:
        second = EmbeddedStore(any_store.path)
    with second:
        assert second.node(a).name == "甲"
        with second.batch("名录B") as batch:
            batch.upsert_node("Person", {"name": "乙", "mobile": "13800000132"})
    assert any_store.node(a).name == "甲" and any_store.counts()["nodes"] == {"Person": 2}


def test_restore_refuses_node_and_edge_kinds_the_schema_does_not_declare(any_store):
    from leadgraph.graph import Edge, Node

    a = Node("per:00000000000000aa", "Person", "甲", {"name": "甲"})
    b = Node("per:00000000000000bb", "Person", "乙", {"name": "乙"})
    with pytest.raises(SchemaError):
        any_store.restore([Node("per:00000000000000cc", "Person`) DETACH DELETE n //", "x", {"name": "x"})], [], [])
    with pytest.raises(SchemaError):
        any_store.restore([a, b], [Edge("e:00000000000000ab", "KNOWS]->() DETACH DELETE n //", a.id, b.id, {})], [])
    assert any_store.counts() == {"nodes": {}, "edges": {}}


# ------------------------------------------------------------------ signed ids


def _reopened(store: GraphStore) -> GraphStore:
    """Another handle on the same database, as a second process opens it."""
    from leadgraph.graph import EmbeddedStore
    from leadgraph.graph.neo4j_store import Neo4jStore

    if isinstance(store, EmbeddedStore):
        return EmbeddedStore(store.path)
    assert isinstance(store, Neo4jStore)
    return Neo4jStore(store.uri, store.user, database=store.database, driver=store._driver)


def test_a_person_id_cannot_be_recomputed_from_the_name_and_a_guessed_mobile(any_store):
    """A viewer sees 苏小红, 138****2646 and the id: without the store's key the id gives nothing."""
    import hashlib

    from leadgraph.graph.identity import natural_keys, node_id

    spec = any_store.schema.node("Person")
    person = _person(any_store, name="苏小红", mobile="13873132646")
    guesses = {
        "per:" + hashlib.sha1(natural_keys(spec, {"name": "苏小红", "mobile": f"138{d:04d}2646"})[0].encode()).hexdigest()[:16]
        for d in range(10_000)
    }
    assert person not in guesses
    assert person == node_id(spec, natural_keys(spec, {"name": "苏小红", "mobile": "13873132646"})[0], any_store.id_key)


def test_a_store_makes_its_own_id_key_once_and_keeps_it(any_store, monkeypatch):
    monkeypatch.delenv("LEADGRAPH_ID_KEY")
    assert any_store.id_key == "leadgraph-tests"  # made while the variable was set (tests/__init__.py)
    again = _reopened(any_store)
    try:
        assert again.id_key == any_store.id_key  # kept: the variable no longer matters
        first = _person(any_store, name="张伟", mobile="13800000001")
        assert _person(again, name="李娜", mobile="13800000002").startswith("per:")
        assert _person(again, name="张伟", mobile="13800000001") == first
    finally:
        again.close()


def test_stores_without_a_configured_key_sign_ids_differently(tmp_path, monkeypatch):
    from leadgraph.graph import EmbeddedStore

    monkeypatch.delenv("LEADGRAPH_ID_KEY")
    with EmbeddedStore(tmp_path / "a.db") as a, EmbeddedStore(tmp_path / "b.db") as b:
        assert len(a.id_key) == len(b.id_key) == 32 and a.id_key != b.id_key
        assert _person(a, name="张伟", mobile="13800000001") != _person(b, name="张伟", mobile="13800000001")


def test_a_list_row_with_a_pasted_paragraph_for_a_name_is_rejected_and_the_rest_loads(any_store, write_csv):
    from leadgraph.ingest.loader import ingest_file

    rows = [["名称", "类别"], ["宁波示例膜业有限公司", "企业"], ["示例" * 2000, "企业"]]
    report = ingest_file(any_store, write_csv("企业名录.csv", rows), kind="organizations")
    assert report.total("rows_loaded") == 1
    (rejected,) = report.rejected
    too_long = "太长（4000 个字符，上限 200），未保存，请只填写单位名称：示例示例示例示例示例示例示例示例示例示例…"
    assert (rejected.line, rejected.reason) == (3, f"名称：{too_long}")
    # A paragraph pasted as a contact's 工作单位 loses the firm, not the person (who has a mobile).
    contacts = [["姓名", "手机", "工作单位"], ["张伟", "13800000001", "示例" * 2000], ["李强", "", "示例" * 2000]]
    report = ingest_file(any_store, write_csv("乡贤.csv", contacts), kind="contacts")
    assert [(r.line, r.reason) for r in report.flagged] == [(2, f"工作单位：{too_long}")]
    assert [r.line for r in report.rejected] == [3]  # no mobile, no firm, no township: nothing identifies 李强
    assert "工作单位" in report.rejected[0].reason
    assert sorted(n.name for n in any_store.iter_nodes()) == ["宁波示例膜业有限公司", "张伟"]
    (zhang,) = any_store.iter_nodes("Person")
    assert "org_name" not in zhang.props and list(any_store.iter_edges()) == []
