"""The golden county: exact top paths for named questions, loaded through the real ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.golden_county import EXPECTED, QUERIES, answer


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_expected_answers_cover_every_named_question(expected):
    assert set(expected) == set(QUERIES)
    assert all(expected[name]["query"] == params for name, params in QUERIES.items())


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_golden_answer_is_unchanged(golden, expected, name):
    assert answer(golden, QUERIES[name]) == expected[name]["answer"], (
        "ranking changed: review, then run python -m tests.fixtures.golden_county.regenerate"
    )


def _names(path: dict) -> list[str]:
    return [path["start"]["name"]] + [hop["to"]["name"] for hop in path["hops"]]


def test_strong_three_hop_route_beats_two_hops_through_a_big_association(golden):
    paths = answer(golden, {"to": "301002"})["paths"]
    assert _names(paths[0]) == ["孙丽", "马骏", "林峰", "冯刚"]
    hub_route = next(p for p in paths if any(h["to"]["name"] == "江苏省膜产业商会" for h in p["hops"]))
    assert len(hub_route["hops"]) == 2
    assert paths[0]["score"] > 50 * hub_route["score"]
    assert hub_route["weakest"]["relation"] == "MEMBER_OF"


def test_leaders_reach_the_chairman_through_the_contact_they_adopted(golden):
    best = answer(golden, {"to": "光华膜材", "from": ["县领导"]})["paths"][0]
    assert best["explanation"].startswith("王建国（县长）包保联系 张伟")
    assert "张伟与李明为同学" in best["explanation"]
    assert best["explanation"].endswith("李明任 江苏光华膜材科技股份有限公司 董事长（来源：企业高管名单）")
    assert [h["relation"] for h in best["hops"]] == ["ASSIGNED_TO", "KNOWS"]


def test_one_visit_reaches_the_company_once_not_once_per_decision_maker(golden):
    paths = answer(golden, {"to": "光华膜材"})["paths"]
    assert sum(1 for p in paths if p["start"]["name"] == "陈立") == 1


def test_every_path_starts_on_our_side_and_ends_at_a_decision_maker(golden):
    result = answer(golden, {"to": "光华膜材"})
    makers = {m["id"] for m in result["target"]["decision_makers"]}
    assert {m["name"] for m in result["target"]["decision_makers"]} == {"李明", "黄涛", "钱进"}
    for path in result["paths"]:
        assert path["end"]["id"] in makers
        assert golden.node(path["start"]["id"]).roles or path["start"]["kind"] == "Organization"


def test_small_council_is_not_damped_but_big_chamber_is(golden):
    paths = answer(golden, {"to": "光华膜材", "never_kinds": ["KNOWS"]})["paths"]
    council = next(p for p in paths if any("联谊会" in h["to"]["name"] for h in p["hops"]))
    chamber = next(p for p in paths if any("商会" in h["to"]["name"] for h in p["hops"]))
    assert council["hops"][0]["strength"] == 0.8  # 会长 of a 12-member council
    assert chamber["hops"][0]["strength"] < 0.1  # 副会长 of an 800-member chamber


def test_golden_lists_are_files_in_the_declared_formats():
    from tests.fixtures.golden_county import FILES, HERE

    for name, _, _ in FILES:
        assert (HERE / name).is_file()
    assert Path(EXPECTED).is_file()
