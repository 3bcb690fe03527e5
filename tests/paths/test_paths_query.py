"""Resolving targets and our side, filters, and keeping the index fresh."""

from __future__ import annotations

from datetime import date

import pytest

from leadgraph.errors import Ambiguous, InvalidQuery, NotFound
from leadgraph.graph import EmbeddedStore
from leadgraph.graph.explain import PHRASES
from leadgraph.graph.pathindex import index_for
from leadgraph.graph.paths import PathQuery, find_paths
from leadgraph.schema import default_schema

AS_OF = date(2024, 12, 31)


def ask(store, to, **params):
    return find_paths(store, PathQuery(to=to, as_of=AS_OF, **params))


def people(path):
    return [path["start"]["name"]] + [h["to"]["name"] for h in path["hops"]]


def test_every_traversable_edge_kind_has_a_chinese_phrase():
    assert set(PHRASES) == set(default_schema().traversable_edges)


def test_from_a_township_narrows_our_side_to_its_people(golden):
    result = ask(golden, "光华膜材", from_=("青石镇",))
    assert result["from"][0]["kind"] == "township"
    assert {p["start"]["name"] for p in result["paths"]} <= {"张伟", "孙丽", "吴磊"}
    assert result["paths"]


def test_from_a_named_person_starts_every_path_there(golden):
    result = ask(golden, "301002", from_=("周强",))
    assert result["paths"] and all(p["start"]["name"] == "周强" for p in result["paths"])


def test_excluded_people_are_never_on_a_path(golden):
    result = ask(golden, "301002", exclude=("马骏",))
    assert result["paths"]
    assert all("马骏" not in people(p) for p in result["paths"])


def test_only_kinds_keeps_every_hop_within_them(golden):
    result = ask(golden, "光华膜材", only_kinds=("KNOWS", "WORKS_AT"))
    assert result["paths"]
    assert all(h["relation"] in {"KNOWS", "WORKS_AT"} for p in result["paths"] for h in p["hops"])


def test_max_hops_bounds_every_path(golden):
    result = ask(golden, "301002", max_hops=2)
    assert all(len(p["hops"]) <= 2 for p in result["paths"])


def test_excluding_the_target_itself_is_refused(golden):
    with pytest.raises(InvalidQuery):
        ask(golden, "301002", exclude=("深圳新能隔膜股份有限公司",))


def test_unknown_target_lists_near_candidates(golden):
    with pytest.raises(NotFound) as caught:
        ask(golden, "新能电池")
    assert "深圳新能隔膜股份有限公司" in [c["name"] for c in caught.value.details["candidates"]]


def test_two_equally_good_matches_are_ambiguous(golden):
    with pytest.raises(Ambiguous) as caught:
        ask(golden, "青溪县")
    assert len(caught.value.details["candidates"]) >= 2


def test_only_and_never_leaving_nothing_is_refused(golden):
    with pytest.raises(InvalidQuery):
        ask(golden, "301002", only_kinds=("KNOWS",), never_kinds=("KNOWS",))


def test_a_visit_counts_less_as_it_ages(golden):
    def visit_score(as_of):
        result = find_paths(golden, PathQuery(to="301002", from_=("赵敏",), as_of=as_of))
        return result["paths"][0]["score"]

    assert visit_score(date(2023, 12, 1)) > visit_score(date(2024, 12, 31)) > visit_score(date(2026, 12, 31))


@pytest.fixture
def small(tmp_path):
    with EmbeddedStore(tmp_path / "small.db") as store:
        with store.batch("测试名录") as b:
            ours = b.upsert_node("Person", {"name": "甲", "org_name": "县政府", "roles": ["officer"]}).id
            mid = b.upsert_node("Person", {"name": "乙", "org_name": "某公司"}).id
            org = b.upsert_node("Organization", {"name": "无人公司"}).id
            b.upsert_edge("KNOWS", ours, mid, {"context": "同事"})
            b.upsert_edge("SUPPLIES", org, b.upsert_node("Organization", {"name": "某公司"}).id, {})
            b.upsert_edge("WORKS_AT", mid, b.resolve("Organization", {"name": "某公司"})[0].id, {})
        yield store


def test_company_without_known_decision_makers_is_reached_itself(small):
    result = ask(small, "无人公司")
    assert result["target"]["decision_makers"] == [] and result["target"]["note"]
    assert people(result["paths"][0]) == ["甲", "乙", "某公司", "无人公司"]


def test_index_follows_writes_to_the_store(small):
    before = index_for(small, as_of=AS_OF)
    assert index_for(small, as_of=AS_OF) is before
    with small.batch("补充名录") as b:
        boss = b.upsert_node("Person", {"name": "丙", "org_name": "无人公司", "title": "董事长"}).id
        b.upsert_edge("WORKS_AT", boss, b.resolve("Organization", {"name": "无人公司"})[0].id, {"title": "董事长"})
        b.upsert_edge("KNOWS", b.resolve("Person", {"name": "甲", "org_name": "县政府"})[0].id, boss, {"context": "朋友"})
    assert index_for(small, as_of=AS_OF) is not before
    result = ask(small, "无人公司")
    assert [m["name"] for m in result["target"]["decision_makers"]] == ["丙"]
    assert people(result["paths"][0]) == ["甲", "丙"]


def test_index_follows_writes_another_process_commits(small, tmp_path):
    """``leadgraph serve`` keeps its store open while ``leadgraph ingest`` or ``review accept``
    writes the same file from another process: the next question sees what they wrote."""
    before = index_for(small, as_of=AS_OF)
    assert people(ask(small, "无人公司")["paths"][0]) == ["甲", "乙", "某公司", "无人公司"]
    with EmbeddedStore(tmp_path / "small.db") as other:  # another connection, as another process has
        with other.batch("补充名录") as b:
            boss = b.upsert_node("Person", {"name": "丙", "org_name": "无人公司", "title": "董事长"}).id
            b.upsert_edge("WORKS_AT", boss, b.resolve("Organization", {"name": "无人公司"})[0].id, {"title": "董事长"})
            b.upsert_edge("KNOWS", b.resolve("Person", {"name": "甲", "org_name": "县政府"})[0].id, boss, {"context": "朋友"})
            new_org = b.upsert_node("Organization", {"name": "新来公司"}).id
            b.upsert_edge("WORKS_AT", boss, new_org, {"title": "董事"})
    assert index_for(small, as_of=AS_OF) is not before
    result = ask(small, "无人公司")
    assert [m["name"] for m in result["target"]["decision_makers"]] == ["丙"]
    assert people(result["paths"][0]) == ["甲", "丙"]
    assert people(ask(small, "新来公司")["paths"][0]) == ["甲", "丙", "新来公司"]  # a firm only the other wrote
    assert small.graph.has_edge(boss, new_org)


def test_our_side_person_who_is_the_target_is_a_path_of_no_hops(small):
    result = ask(small, "甲")
    assert result["paths"][0]["hops"] == [] and result["paths"][0]["score"] == 1.0


class _InterfaceOnly:
    """A store seen only through the GraphStore interface (as a Neo4j store is):
    no in-memory graph, no bulk node reader, no version counter."""

    def __init__(self, store):
        self._store = store
        self.schema = store.schema

    def __getattr__(self, name):
        if name in ("graph", "node_records", "version"):
            raise AttributeError(name)
        return getattr(self._store, name)


def test_a_store_read_through_the_interface_answers_identically(golden):
    from tests.fixtures.golden_county import QUERIES, answer

    for params in QUERIES.values():
        assert answer(_InterfaceOnly(golden), params) == answer(golden, params)


def test_from_someone_not_on_our_side_is_refused_rather_than_called_ours(golden):
    """李明 chairs the target: "本人在我方名单中" would be false; --from only narrows our side."""
    with pytest.raises(InvalidQuery) as caught:
        ask(golden, "光华膜材", from_=("李明",))
    assert "「李明」不在我方" in caught.value.message


def test_from_a_role_outside_our_side_is_refused_naming_ours(golden):
    with pytest.raises(InvalidQuery) as caught:
        ask(golden, "光华膜材", from_=("executive",))
    assert "不是我方角色" in caught.value.message and "县领导" in caught.value.message


def test_from_and_exclude_are_bounded_and_repeats_count_once(golden):
    result = ask(golden, "光华膜材", from_=("县领导",) * 500 + ("leader",))
    assert [f["query"] for f in result["from"]] == ["县领导"]  # one role, however it is written
    with pytest.raises(InvalidQuery) as caught:
        ask(golden, "光华膜材", from_=tuple(f"人{i}" for i in range(51)))
    assert "最多 50 个" in caught.value.message
    with pytest.raises(InvalidQuery):
        ask(golden, "光华膜材", exclude=tuple(f"人{i}" for i in range(51)))
    with pytest.raises(InvalidQuery) as caught:
        ask(golden, "光华膜材", from_=("张" * 201,))
    assert "太长" in caught.value.message
