"""The neighbourhood page: self-contained, offline, masked, drawn from the store."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from leadgraph.api import create_app
from leadgraph.errors import NotFound
from leadgraph.settings import Settings
from leadgraph.viz import neighbourhood_html


@pytest.fixture
def company(store):
    with store.batch("上市公司名录") as batch:
        org = batch.upsert_node("Organization", {"name": "宁波示例光电科技股份有限公司", "org_kind": "listed"}).id
        boss = batch.upsert_node("Person", {"name": "张伟", "mobile": "13812345678"}).id
        batch.upsert_edge("WORKS_AT", boss, org, {"title": "董事长"})
    return org


def _drawn(html: str, name: str) -> list[dict]:
    return json.loads(re.search(rf"var {name} = new vis.DataSet\((.*?)\);", html, re.S).group(1))


def test_page_draws_the_node_and_its_ties_with_relation_labels(store, company):
    html = neighbourhood_html(store, company)
    assert sorted(n["label"] for n in _drawn(html, "nodes")) == ["宁波示例光电科技股份有限公司", "张伟"]
    (edge,) = _drawn(html, "edges")
    assert edge["label"] == "任职·董事长"
    assert "来源：上市公司名录" in edge["title"]
    assert "人员" in html and "机构" in html  # legend from the schema's labels


def test_page_loads_nothing_from_the_network(store, company):
    html = neighbourhood_html(store, company)
    assert re.findall(r"<(?:script|link)[^>]+(?:src|href)=", html) == []
    assert "vis.Network" in html and "cdnjs" not in html and "jsdelivr" not in html


def test_page_masks_mobiles_for_viewers(store, company):
    masked = neighbourhood_html(store, company)
    plain = neighbourhood_html(store, company, role="officer")
    assert "138****5678" in masked and "13812345678" not in masked
    assert "13812345678" in plain


def test_unknown_node_is_not_found(store):
    with pytest.raises(NotFound):
        neighbourhood_html(store, "org:0000000000000000")


def test_api_serves_the_page_as_html(store, company):
    response = TestClient(create_app(Settings(), store=store)).get(f"/api/nodes/{company}/graph")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "张伟" in {n["label"] for n in _drawn(response.text, "nodes")}
