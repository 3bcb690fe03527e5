"""GET /api/paths against an in-process app over the golden county."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from leadgraph.api import create_app


@pytest.fixture(scope="module")
def client(golden):
    with TestClient(create_app(store=golden)) as c:
        yield c


def test_paths_by_stock_code_are_ranked_and_explained(client):
    response = client.get("/api/paths", params={"to": "301002", "as_of": "2024-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["target"]["name"] == "深圳新能隔膜股份有限公司"
    assert body["truncated"] is False
    scores = [p["score"] for p in body["paths"]]
    assert scores == sorted(scores, reverse=True)
    hop = body["paths"][0]["hops"][0]
    assert set(hop) >= {"from", "to", "relation", "explanation", "sources"}
    assert set(hop["from"]) >= {"id", "name", "kind"}
    assert hop["sources"] == ["人脉关系登记"]
    assert body["paths"][0]["weakest"]["strength"] == min(h["strength"] for h in body["paths"][0]["hops"])


def test_paths_answer_equals_the_cli_core_answer(client, golden):
    from tests.fixtures.golden_county import answer

    body = client.get("/api/paths", params={"to": "光华膜材", "from": "县领导", "as_of": "2024-12-31"}).json()
    body.pop("stats")
    assert body == answer(golden, {"to": "光华膜材", "from": ["县领导"]})


def test_repeated_and_comma_separated_parameters_are_the_same(client):
    one = client.get("/api/paths", params=[("to", "光华膜材"), ("from", "王建国,刘芳"), ("as_of", "2024-12-31")])
    two = client.get("/api/paths", params=[("to", "光华膜材"), ("from", "王建国"), ("from", "刘芳"), ("as_of", "2024-12-31")])
    assert one.status_code == two.status_code == 200
    assert one.json()["paths"] == two.json()["paths"]


def test_unknown_target_is_404_with_near_candidates(client):
    response = client.get("/api/paths", params={"to": "光华科技集团"})
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "not_found"
    assert "江苏光华膜材科技股份有限公司" in [c["name"] for c in body["candidates"]]


def test_ambiguous_target_is_422_listing_candidates(client):
    response = client.get("/api/paths", params={"to": "青溪县"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "ambiguous"
    assert len(body["candidates"]) >= 2


def test_unknown_edge_kind_is_an_invalid_query(client):
    response = client.get("/api/paths", params={"to": "301002", "only_kinds": "FRIEND_OF"})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_query"


def test_max_hops_above_the_declared_limit_is_refused(client):
    response = client.get("/api/paths", params={"to": "301002", "max_hops": 9})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_query"


def test_no_mobile_number_appears_in_a_path_answer(client):
    text = client.get("/api/paths", params={"to": "光华膜材", "k": 10}).text
    for mobile in ("13800000001", "13900000001", "138****0001"):
        assert mobile not in text
