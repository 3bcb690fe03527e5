"""The tie-strength model: declared strengths, hub damping, decay, path score."""

from __future__ import annotations

from datetime import date

import pytest

from leadgraph.graph.pathindex import index_for
from leadgraph.graph.strength import edge_strength, is_decision_tie, path_score
from leadgraph.schema import default_schema

SCHEMA = default_schema()


def member_pair_score(size: int) -> float:
    tie = edge_strength(SCHEMA, "MEMBER_OF", {"role": "会员"}, hub_size=size)
    return path_score([tie, tie], SCHEMA.ranking)


def test_strength_written_in_a_list_overrides_the_default():
    assert edge_strength(SCHEMA, "KNOWS", {"context": "同乡", "strength": 0.9}) == 0.9
    assert edge_strength(SCHEMA, "KNOWS", {"context": "同乡"}) == 0.35


def test_a_small_council_is_a_strong_tie_and_a_big_chamber_a_weak_one():
    assert member_pair_score(12) > 10 * member_pair_score(800)
    assert member_pair_score(800) < path_score([edge_strength(SCHEMA, "KNOWS", {"context": "同乡"})], SCHEMA.ranking) / 50


@pytest.mark.parametrize("size", [100, 800, 5000, 60000])
def test_a_hub_never_makes_members_close(size):
    assert member_pair_score(size) < 0.02
    assert member_pair_score(size) < member_pair_score(size // 2)


def test_township_shared_by_thousands_is_weaker_than_any_declared_acquaintance():
    tie = edge_strength(SCHEMA, "FROM", {}, hub_size=60000)
    weakest_knows = min(SCHEMA.edge("KNOWS").strengths.values())
    assert path_score([tie, tie], SCHEMA.ranking) < path_score([weakest_knows], SCHEMA.ranking) / 1000


def test_visits_halve_every_declared_half_life_down_to_the_floor():
    fresh = edge_strength(SCHEMA, "VISITED", {"date": "2024-01-01"}, as_of=date(2024, 1, 1))
    year = edge_strength(SCHEMA, "VISITED", {"date": "2023-01-01"}, as_of=date(2024, 1, 1))
    ancient = edge_strength(SCHEMA, "VISITED", {"date": "2000-01-01"}, as_of=date(2024, 1, 1))
    assert fresh == 0.5 and year == pytest.approx(0.25)
    assert ancient == pytest.approx(0.5 * SCHEMA.ranking.decay_floor)


def test_a_visit_known_only_by_month_or_year_ages_from_its_start():
    as_of = date(2024, 1, 1)
    by_month = edge_strength(SCHEMA, "VISITED", {"date": "2023-01"}, as_of=as_of)
    by_year = edge_strength(SCHEMA, "VISITED", {"date": "2023"}, as_of=as_of)
    assert by_month == by_year == edge_strength(SCHEMA, "VISITED", {"date": "2023-01-01"}, as_of=as_of)
    assert by_month == pytest.approx(0.25)


def test_attendance_ages_with_its_event_date():
    recent = edge_strength(SCHEMA, "ATTENDED", {}, hub_size=3, when="2024-06-01", as_of=date(2024, 6, 1))
    old = edge_strength(SCHEMA, "ATTENDED", {}, hub_size=3, when="2022-06-02", as_of=date(2024, 6, 1))
    assert recent == 0.3 and old == pytest.approx(0.075)


def test_one_weak_hop_sinks_a_route():
    strong = path_score([0.9, 0.9, 0.9], SCHEMA.ranking)
    sunk = path_score([0.9, 0.05, 0.9], SCHEMA.ranking)
    assert sunk < strong / 10


def test_deputy_general_manager_is_not_a_decision_maker_but_chairman_is():
    assert is_decision_tie(SCHEMA, "WORKS_AT", {"title": "董事长"})
    assert not is_decision_tie(SCHEMA, "WORKS_AT", {"title": "副总经理"})
    assert is_decision_tie(SCHEMA, "SHAREHOLDER_OF", {"share_pct": 5.0})


def test_chairman_by_title_counts_as_a_decision_tie_for_strength():
    assert edge_strength(SCHEMA, "WORKS_AT", {"title": "董事长"}) == 0.9
    assert edge_strength(SCHEMA, "WORKS_AT", {"title": "销售经理"}) == 0.6


def test_our_side_holds_roles_local_firms_and_their_people(golden):
    index = index_for(golden, as_of=date(2024, 12, 31))
    ours = {index.names[i] for i in range(index.n_nodes) if index.our_side[i]}
    assert {"王建国", "陈立", "蒋文", "张伟", "青溪县恒泰包装材料有限公司", "郑海"} <= ours
    assert not {"李明", "冯刚", "马骏"} & ours


def test_index_strengths_equal_the_scalar_model_for_every_tie(golden):
    from leadgraph.graph.strength import hub_size

    as_of = date(2024, 12, 31)
    index = index_for(golden, as_of=as_of)
    damping = SCHEMA.ranking.hub_damping
    for e, edge_id in enumerate(index.edge_ids):
        edge = golden.get_edge(edge_id)
        hub = golden.node(edge.dst)
        size = index.hub_sizes.get(int(index.edge_dst[e])) if SCHEMA.edge(edge.kind).hub_damped else None
        if size is not None:
            assert size >= hub_size(hub.props, 0, damping)
        expected = edge_strength(SCHEMA, edge.kind, edge.props, hub_size=size, when=hub.props.get("date"), as_of=as_of)
        assert float(index.edge_strength[e]) == pytest.approx(expected, rel=1e-12), edge.kind
