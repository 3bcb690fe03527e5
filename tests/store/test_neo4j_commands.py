"""Configuration only: with ``LEADGRAPH_BACKEND=neo4j`` and a ``neo4j://`` routing URI,
every command and the API answer exactly as they do on the embedded store.

The same session of commands runs twice through the CLI runner — once on an embedded
file, once on the real Neo4j server named only by environment variables — and the
outputs (JSON) must be the same, except the elapsed time of a path search.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from leadgraph.api import create_app
from leadgraph.cli import app
from leadgraph.graph.neo4j_store import Neo4jStore
from leadgraph.settings import Settings
from tests.fixtures.golden_county import FILES, HERE
from tests.store.test_transfer import CONTACTS, MEMBERS, ORGS, UNSURE

_SETTING_VARIABLES = [
    "LEADGRAPH_BACKEND", "LEADGRAPH_DB", "LEADGRAPH_ROLE", "NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD",
    "NEO4J_DATABASE", "NEO4J_AUTH", "NEO4J_TIMEOUT", "NEO4J_PATH_PROJECTION", "LEADGRAPH_NEO4J_URI",
    "LEADGRAPH_NEO4J_USER", "LEADGRAPH_NEO4J_PASSWORD", "LEADGRAPH_NEO4J_DATABASE", "LEADGRAPH_NEO4J_AUTH",
]  # fmt: skip


@pytest.fixture
def neo4j_env(neo4j_store: Neo4jStore, neo4j_driver: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment naming the (empty, locked) test database, through a routing URI."""
    _, config = neo4j_driver
    for name in _SETTING_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return {
        "LEADGRAPH_BACKEND": "neo4j", "NEO4J_URI": config["uri"].replace("bolt://", "neo4j://"),
        "NEO4J_USER": config["user"], "NEO4J_PASSWORD": config["password"], "NEO4J_DATABASE": config["database"],
    }  # fmt: skip


def _csv(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def _run(env: dict[str, str], *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == code, (args, result.output)
    return result.stdout


def _json(env: dict[str, str], *args: str) -> Any:
    return json.loads(_run(env, *args, "--format", "json"))


def _session(env: dict[str, str], db: list[str], work: Path) -> dict[str, Any]:
    """Every command a user runs, in order; what each one answers."""
    seen: dict[str, Any] = {}
    for name, kind, source in FILES:
        seen[f"ingest {name}"] = _json(env, "ingest", str(HERE / name), "--kind", kind, "--source", source, "--no-report", *db)
    lists = work.parent / "lists"
    lists.mkdir(exist_ok=True)
    for name, kind, rows in (("上市公司.csv", "organizations", ORGS), ("乡贤名录.csv", "contacts", CONTACTS),
                             ("商会会员.csv", "members", MEMBERS), ("新名录.csv", "contacts", UNSURE)):  # fmt: skip
        seen[f"ingest {name}"] = _json(env, "ingest", str(_csv(lists / name, rows)), "--kind", kind, "--no-report", *db)
    seen["dry run"] = _json(env, "ingest", str(lists / "新名录.csv"), "--kind", "contacts", "--dry-run", "--no-report", *db)
    seen["stats"] = _json(env, "stats", *db)
    seen["stats table"] = _run(env, "stats", *db)
    for query in ("zw", "光华", "301002", "膜", "' OR 1=1 //"):
        seen[f"search {query}"] = _json(env, "search", query, *db)
    seen["search kinds"] = _json(env, "search", "z", "--kind", "Organization", "--kind", "Person", "-n", "3", *db)
    seen["search table"] = _run(env, "search", "张伟", *db)
    for params in (["--to", "光华膜材"], ["--to", "301002", "--from", "青石镇"], ["--to", "新能隔膜", "--never-kinds", "KNOWS"],
                   ["--to", "瑞丰薄膜", "--exclude", "蒋文", "-k", "2", "--max-hops", "3"]):  # fmt: skip
        answer = _json(env, "paths", *params, "--as-of", "2024-12-31", "--time-limit", "60", *db)
        answer["stats"].pop("elapsed_ms")
        seen[f"paths {params}"] = answer
    pending = _json(env, "review", "list", *db)
    seen["review list"] = pending
    assert len(pending) >= 2, pending
    seen["accept"] = _json(env, "review", "accept", pending[0]["id"], *db)
    seen["reject"] = _json(env, "review", "reject", pending[1]["id"], *db)
    seen["review all"] = _json(env, "review", "list", "--status", "all", *db)
    seen["decided again"] = _run(env, "review", "accept", pending[0]["id"], *db, code=2)
    dump = work / "graph.jsonl"
    seen["export"] = _run(env, "export-graph", str(dump), *db)
    seen["export file"] = dump.read_text(encoding="utf-8")
    seen["import into a full graph"] = _run(env, "import-graph", str(dump), *db, code=2)
    seen["stats after"] = _json(env, "stats", *db)
    return seen


_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def _without_times(seen: Any, work: Path) -> Any:
    """Outputs with the wall-clock times of this run (sources, review decisions) and the
    run's own folder taken out: everything else must match byte for byte."""
    text = json.dumps(seen, ensure_ascii=False, sort_keys=True)
    return json.loads(_TIME.sub("<time>", text.replace(str(work), "<dir>")))


def test_every_command_answers_on_neo4j_as_on_the_embedded_store(neo4j_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "embedded").mkdir()
    (tmp_path / "neo4j").mkdir()
    db = str(tmp_path / "embedded" / "graph.db")
    embedded = _without_times(_session({"LEADGRAPH_BACKEND": "embedded"}, ["--db", db], tmp_path / "embedded"), tmp_path / "embedded")
    on_neo4j = _without_times(_session(neo4j_env, [], tmp_path / "neo4j"), tmp_path / "neo4j")
    assert on_neo4j.keys() == embedded.keys()
    for step in embedded:
        assert on_neo4j[step] == embedded[step], step
    assert "<time>" in embedded["export file"] and "<time>" in json.dumps(embedded["review all"])
    with _store_of(neo4j_env) as store:
        assert store.counts() == embedded["stats after"]


def _store_of(env: dict[str, str]) -> Neo4jStore:
    return Neo4jStore(env["NEO4J_URI"], env["NEO4J_USER"], env["NEO4J_PASSWORD"], env["NEO4J_DATABASE"])


def test_import_graph_and_export_graph_commands_move_a_graph_into_neo4j_and_back(neo4j_env, tmp_path):
    from tests.store.test_differential import _write_random_graph
    from leadgraph.graph import EmbeddedStore

    db, dump, back = tmp_path / "a.db", tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    with EmbeddedStore(db) as store:
        _write_random_graph(store, seed=21)
    _run({"LEADGRAPH_BACKEND": "embedded"}, "export-graph", str(dump), "--db", str(db))
    loaded = _run(neo4j_env, "import-graph", str(dump))
    assert "已导入" in loaded
    _run(neo4j_env, "export-graph", str(back))
    assert back.read_bytes() == dump.read_bytes()


def test_demo_command_loads_the_demo_county_into_neo4j(neo4j_env, tmp_path):
    embedded = _json({"LEADGRAPH_BACKEND": "embedded"}, "demo", "--scale", "0.03", "--out", str(tmp_path / "a"),
                     "--db", str(tmp_path / "demo.db"))  # fmt: skip
    on_neo4j = _json(neo4j_env, "demo", "--scale", "0.03", "--out", str(tmp_path / "b"))
    assert on_neo4j["counts"] == embedded["counts"] and sum(on_neo4j["counts"]["nodes"].values()) > 100
    strip = lambda reports: [{k: v for k, v in r.items() if k != "file"} for r in reports]  # noqa: E731
    assert strip(on_neo4j["files"]) == strip(embedded["files"])


def test_api_opened_from_the_environment_answers_as_on_the_embedded_store(neo4j_env, tmp_path, monkeypatch):
    """``create_app(Settings())`` as ``leadgraph serve`` builds it: the store comes from the settings."""
    from leadgraph.graph import EmbeddedStore
    from tests.fixtures.golden_county import load

    db = tmp_path / "golden.db"
    with EmbeddedStore(db) as embedded, _store_of(neo4j_env) as neo4j:
        load(embedded)
        load(neo4j)
        people = [n.id for n in embedded.iter_nodes("Person")][:6]
        orgs = [n.id for n in embedded.iter_nodes("Organization")][:6]
    answers = []
    for env in ({"LEADGRAPH_BACKEND": "embedded", "LEADGRAPH_DB": str(db)}, neo4j_env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings = Settings()
        assert settings.backend == env["LEADGRAPH_BACKEND"]
        seen = []
        with TestClient(create_app(settings)) as client:
            assert isinstance(client.app.state.store, Neo4jStore) == (env is neo4j_env)
            health = client.get("/api/health").json()
            assert health.pop("backend") == env["LEADGRAPH_BACKEND"]
            seen.append(health)
            for q in ("zw", "光华", "301002", "}) DETACH DELETE n //"):
                seen.append(client.get("/api/search", params={"q": q}).json())
            for node_id in people:
                seen.append(client.get(f"/api/people/{node_id}").json())
            for node_id in orgs:
                seen.append(client.get(f"/api/orgs/{node_id}").json())
            seen.append(client.get(f"/api/nodes/{people[0]}/graph").status_code)
            for params in ({"to": "光华膜材"}, {"to": "301002", "from": "青石镇"}, {"to": "新能隔膜", "never_kinds": "KNOWS"}):
                answer = client.get("/api/paths", params={**params, "as_of": "2024-12-31", "time_limit": 60}).json()
                answer.get("stats", {}).pop("elapsed_ms", None)
                seen.append(answer)
            seen.append(client.get("/api/people/per:0000000000000000").json())
        answers.append(seen)
        monkeypatch.delenv("LEADGRAPH_DB", raising=False)
    assert _without_times(answers[1], tmp_path) == _without_times(answers[0], tmp_path)
    assert any(isinstance(a, dict) and a.get("paths") for a in answers[0])


def test_demo_refuses_a_neo4j_database_that_holds_data_unless_told_to_keep_it(neo4j_env, tmp_path):
    """--fresh empties only the embedded store's file; a team's Neo4j database is never wiped,
    and fictional data is not mixed into it unasked."""
    with _store_of(neo4j_env) as store, store.batch("真实名录") as batch:
        batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000001"})
    refused = CliRunner().invoke(app, ["demo", "--scale", "0.03", "--out", str(tmp_path / "a")], env=neo4j_env)
    assert refused.exit_code == 2
    assert "不是空的" in refused.output and "--keep" in refused.output and "Traceback" not in refused.output
    with _store_of(neo4j_env) as store:
        assert store.counts()["nodes"] == {"Person": 1}
    kept = _json(neo4j_env, "demo", "--keep", "--scale", "0.03", "--out", str(tmp_path / "b"))
    assert kept["counts"]["nodes"]["Person"] > 1
