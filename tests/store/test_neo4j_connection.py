"""Connecting to Neo4j: routing URIs work; a dead server or wrong password is one clear line."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from leadgraph.cli import app
from leadgraph.errors import BackendUnavailable
from leadgraph.graph import open_store
from leadgraph.graph.neo4j_store import Neo4jStore
from leadgraph.settings import Settings


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_closed_port_is_one_clear_error():
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    with pytest.raises(BackendUnavailable, match="无法连接 Neo4j 服务器") as caught:
        Neo4jStore(uri, "neo4j", "whatever")
    assert "cannot reach the Neo4j server" in caught.value.message and uri in caught.value.message


def test_cli_reports_an_unreachable_server_without_a_traceback():
    env = {"LEADGRAPH_BACKEND": "neo4j", "NEO4J_URI": f"neo4j://127.0.0.1:{_closed_port()}", "NEO4J_PASSWORD": "x"}
    result = CliRunner().invoke(app, ["stats"], env=env)
    assert result.exit_code == 2
    assert "无法连接 Neo4j 服务器" in result.output and "Traceback" not in result.output


def test_not_a_neo4j_uri_is_refused_clearly():
    with pytest.raises(BackendUnavailable, match="不是有效的 Neo4j 地址"):
        Neo4jStore("http://127.0.0.1:7474", "neo4j", "x")


def test_wrong_password_on_the_real_server_is_one_clear_error(neo4j_driver):
    _, config = neo4j_driver
    with pytest.raises(BackendUnavailable, match="拒绝了用户「neo4j」的登录") as caught:
        Neo4jStore(config["uri"], "neo4j", config["password"] + "-wrong", config["database"])
    assert config["password"] not in caught.value.message


def test_unknown_database_is_one_clear_error(neo4j_driver):
    _, config = neo4j_driver
    with pytest.raises(BackendUnavailable, match="没有数据库「nosuchdb」"):
        Neo4jStore(config["uri"], config["user"], config["password"], "nosuchdb")


def test_routing_uri_reads_and_writes_through_settings(neo4j_store, neo4j_driver):
    _, config = neo4j_driver
    routing = config["uri"].replace("bolt://", "neo4j://")
    settings = Settings(
        backend="neo4j", NEO4J_URI=routing, NEO4J_USER=config["user"], NEO4J_PASSWORD=config["password"],
        NEO4J_DATABASE=config["database"],
    )
    with open_store(settings) as store:
        assert isinstance(store, Neo4jStore) and store.uri.startswith("neo4j://")
        with store.batch("乡贤名录") as batch:
            person = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000001"}).id
        assert [h.id for h in store.search("zw")] == [person]
    assert neo4j_store.node(person).name == "张伟"


def test_cli_reports_wrong_credentials_on_the_real_server_in_one_line(neo4j_driver):
    _, config = neo4j_driver
    wrong = config["password"] + "-wrong"
    env = {"LEADGRAPH_BACKEND": "neo4j", "NEO4J_URI": config["uri"].replace("bolt://", "neo4j://"),
           "NEO4J_USER": config["user"], "NEO4J_PASSWORD": wrong, "NEO4J_DATABASE": config["database"]}  # fmt: skip
    result = CliRunner().invoke(app, ["search", "张伟"], env=env)
    assert result.exit_code == 2
    assert "拒绝了用户「neo4j」的登录" in result.output and "Traceback" not in result.output
    assert wrong not in result.output and len(result.output.strip().splitlines()) <= 2


@pytest.mark.parametrize("failure", ["wrong_password", "unreachable"])
def test_serve_reports_an_unusable_neo4j_in_one_clear_line(neo4j_driver, failure):
    import os
    import subprocess
    import sys

    _, config = neo4j_driver
    env = {**os.environ, "LEADGRAPH_BACKEND": "neo4j", "NEO4J_URI": config["uri"], "NEO4J_USER": config["user"],
           "NEO4J_PASSWORD": config["password"] + "-wrong", "NEO4J_DATABASE": config["database"]}  # fmt: skip
    if failure == "unreachable":
        env.update(NEO4J_URI=f"bolt://127.0.0.1:{_closed_port()}", NEO4J_PASSWORD=config["password"])
    serve = [sys.executable, "-c", "from leadgraph.cli import main; main()", "serve", "--port", str(_closed_port())]
    done = subprocess.run(serve, env=env, capture_output=True, text=True, timeout=120, check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert ("拒绝了用户" if failure == "wrong_password" else "无法连接 Neo4j 服务器") in output
    assert "Traceback" not in output
