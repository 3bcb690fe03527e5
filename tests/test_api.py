"""The FastAPI app: in-process for most checks, and once over real HTTP with uvicorn."""

from __future__ import annotations

import re
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from leadgraph.api import create_app
from leadgraph.graph import EmbeddedStore
from leadgraph.settings import Settings


@pytest.fixture
def populated(tmp_path):
    store = EmbeddedStore(tmp_path / "api.db")
    with store.batch("乡贤名录") as batch:
        zhang = batch.upsert_node("Person", {"name": "张伟", "mobile": "13812345678", "roles": ["contact"]}).id
        org = batch.upsert_node(
            "Organization",
            {"name": "宁波示例光电科技股份有限公司", "short_name": "示例光电", "org_kind": "listed", "stock_code": "688999.SH"},
        ).id
        batch.upsert_edge("WORKS_AT", zhang, org, {"title": "董事长"})
    yield store, zhang, org
    store.close()


def _client(store, role="viewer"):
    return TestClient(create_app(Settings(role=role), store=store))


def test_health_reports_backend_and_size(populated):
    store, _, _ = populated
    assert _client(store).get("/api/health").json() == {"status": "ok", "backend": "embedded", "nodes": 2, "edges": 1}


def test_search_finds_people_by_pinyin_initials_and_firms_by_short_name(populated):
    client = _client(populated[0])
    assert [h["name"] for h in client.get("/api/search", params={"q": "zw"}).json()] == ["张伟"]
    hit = client.get("/api/search", params={"q": "示例光电"}).json()[0]
    assert (hit["name"], hit["kind"], hit["detail"]["org_kind"]) == ("宁波示例光电科技股份有限公司", "Organization", "listed")


def test_person_page_masks_mobile_for_viewers_and_shows_it_to_officers(populated):
    store, zhang, _ = populated
    masked = _client(store).get(f"/api/people/{zhang}").json()
    plain = _client(store, role="officer").get(f"/api/people/{zhang}").json()
    assert masked["props"]["mobile"] == "138****5678"
    assert plain["props"]["mobile"] == "13812345678"
    assert masked["sources"][0]["source"] == "乡贤名录"


def test_org_page_lists_neighbours_with_relation_and_sources(populated):
    store, zhang, org = populated
    page = _client(store).get(f"/api/orgs/{org}").json()
    (neighbour,) = page["neighbours"]
    assert (neighbour["relation"], neighbour["relation_label"], neighbour["direction"]) == ("WORKS_AT", "任职", "in")
    assert neighbour["node"]["id"] == zhang
    assert neighbour["node"]["props"]["mobile"] == "138****5678"
    assert neighbour["props"] == {"title": "董事长"}
    assert page["neighbours_truncated"] is False


def test_unknown_or_wrong_kind_id_is_a_json_404(populated):
    store, zhang, _ = populated
    client = _client(store)
    for url in ("/api/people/per:0000000000000000", f"/api/orgs/{zhang}"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


def test_unknown_kind_filter_is_a_422_naming_it(populated):
    response = _client(populated[0]).get("/api/search", params={"q": "zw", "kind": "Persn"})
    assert response.status_code == 422
    assert "Persn" in response.json()["message"]


def test_openapi_documents_the_routes(populated):
    schema = _client(populated[0]).get("/openapi.json").json()
    assert {"/api/health", "/api/search", "/api/people/{node_id}", "/api/orgs/{node_id}"} <= set(schema["paths"])


def test_settings_refuse_unmasked_roles_beyond_loopback():
    from leadgraph.errors import InvalidQuery

    with pytest.raises(InvalidQuery, match="viewer"):
        Settings(host="0.0.0.0", role="admin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_api_answers_over_real_http(tmp_path):
    db = tmp_path / "http.db"
    with EmbeddedStore(db) as store, store.batch("名录") as batch:
        batch.upsert_node("Person", {"name": "张伟", "mobile": "13812345678"})
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(db=str(db))), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/api/health").json()["nodes"] == 1
        assert httpx.get(f"{base}/api/search", params={"q": "zw"}).json()[0]["name"] == "张伟"
        docs = httpx.get(f"{base}/docs")
        assert docs.status_code == 200
        # Offline intranet: every script, stylesheet and font of the docs page is ours, and
        # none of them fetches an image or font from elsewhere (ReDoc's bundle draws its
        # logo from cdn.redoc.ly, so ReDoc is not served).
        assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
        assert assets and all(a.startswith("/") for a in assets), assets
        assert "googleapis" not in docs.text and "cdn." not in docs.text
        for asset in assets:
            served = httpx.get(f"{base}{asset}")
            assert served.status_code == 200 and "cdn." not in served.text and "fonts.g" not in served.text, asset
        assert httpx.get(f"{base}/redoc").status_code == 404
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.parametrize(
    ("url", "param", "problem"),
    [
        ("/api/paths?to=张伟&k=0", "k", "不应小于 1"),
        ("/api/paths?to=张伟&max_hops=abc", "max_hops", "应为整数"),
        ("/api/paths?to=张伟&as_of=2024-13-01", "as_of", "应为日期（YYYY-MM-DD）"),
        ("/api/search", "q", "缺少参数"),
        ("/api/search?q=zw&limit=0", "limit", "不应小于 1"),
    ],
)
def test_a_bad_parameter_is_the_documented_error_shape_in_chinese(populated, url, param, problem):
    response = _client(populated[0]).get(url)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_query" and "detail" not in body
    assert f"{param} {problem}" in body["message"]
    assert {"param": param, "problem": problem} in body["params"]


def test_a_bad_parameter_is_not_echoed_back(populated):
    response = _client(populated[0]).get("/api/search", params={"q": "张伟", "limit": "x" * 5000})
    assert response.status_code == 422 and len(response.content) < 500


def test_unknown_routes_and_methods_keep_the_error_shape(populated):
    client = _client(populated[0])
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found" and "detail" not in missing.json()
    wrong = client.post("/api/search?q=zw")
    assert wrong.status_code == 405 and wrong.json()["error"] == "method_not_allowed"


def test_search_says_in_a_header_when_the_limit_cut_the_hits(populated):
    with populated[0].batch("机构名录") as batch:
        batch.upsert_node("Organization", {"name": "上海示例薄膜有限公司"})
    client = _client(populated[0])
    cut = client.get("/api/search", params={"q": "示例", "limit": 1})
    assert cut.headers["X-Truncated"] == "true" and len(cut.json()) == 1
    whole = client.get("/api/search", params={"q": "示例", "limit": 20})
    assert whole.headers["X-Truncated"] == "false" and len(whole.json()) >= 2
