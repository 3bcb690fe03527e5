"""export-graph / import-graph move a graph between backends without losing anything."""

from __future__ import annotations

import io
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from leadgraph.api import create_app
from leadgraph.cli import app
from leadgraph.errors import FileRefused, IngestError, InvalidQuery
from leadgraph.graph import EmbeddedStore, GraphStore
from leadgraph.graph.transfer import export_graph, import_graph
from tests.store.test_differential import _write_random_graph


def _export(store: GraphStore) -> str:
    buffer = io.StringIO()
    export_graph(store, buffer)
    return buffer.getvalue()


def _sorted_lines(text: str) -> list[str]:
    return sorted(text.splitlines())


def test_embedded_to_neo4j_and_back_is_byte_identical(neo4j_store, tmp_path):
    with EmbeddedStore(tmp_path / "a.db") as source, EmbeddedStore(tmp_path / "b.db") as back:
        _write_random_graph(source, seed=11)
        first = _export(source)
        header = json.loads(first.splitlines()[0])
        assert import_graph(neo4j_store, io.StringIO(first)) == {"nodes": header["nodes"], "edges": header["edges"]}
        second = _export(neo4j_store)
        assert _sorted_lines(second) == _sorted_lines(first)
        assert second == first  # already in id order on both backends
        import_graph(back, io.StringIO(second))
        assert _export(back) == first
        assert [h.to_dict() for h in back.search("膜")] == [h.to_dict() for h in source.search("膜")]


def test_neo4j_to_embedded_and_back_is_byte_identical(neo4j_store, neo4j_driver, tmp_path):
    from tests.store.neo4j_server import wipe

    _write_random_graph(neo4j_store, seed=12)
    first = _export(neo4j_store)
    with EmbeddedStore(tmp_path / "copy.db") as copy:
        import_graph(copy, io.StringIO(first))
        second = _export(copy)
    assert _sorted_lines(second) == _sorted_lines(first)
    driver, config = neo4j_driver
    wipe(driver, config["database"])
    import_graph(neo4j_store, io.StringIO(second))
    assert _export(neo4j_store) == first


def test_export_header_names_format_schema_version_and_counts(store):
    with store.batch("乡贤名录") as batch:
        a = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000001"}).id
        b = batch.upsert_node("Person", {"name": "李明", "mobile": "13800000002"}).id
        batch.upsert_edge("KNOWS", a, b, {"context": "同学"})
    header, *lines = _export(store).splitlines()
    assert json.loads(header) == {"format": "leadgraph-graph", "schema_version": 1, "nodes": 2, "edges": 1}
    node = json.loads(lines[0])
    assert set(node) == {"type", "id", "kind", "props", "keys", "sources"}
    assert node["sources"][0]["source"] == "乡贤名录"
    assert json.loads(lines[2])["type"] == "edge"


def test_import_refuses_a_store_that_is_not_empty(store):
    with store.batch("x") as batch:
        batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000001"})
    text = _export(store)
    with pytest.raises(InvalidQuery, match="empty store"):
        import_graph(store, io.StringIO(text))


def test_import_refuses_other_files_and_names_the_bad_line(tmp_path):
    with pytest.raises(FileRefused, match="not a leadgraph-graph file"):
        import_graph(EmbeddedStore(":memory:"), io.StringIO('{"name": "张伟"}\n'))
    header = '{"edges":0,"format":"leadgraph-graph","nodes":1,"schema_version":1}\n'
    bad = '{"type":"node","id":"per:1","kind":"Person","props":{"name":"x","wechat":"w"},"keys":[],"sources":[]}\n'
    with pytest.raises(IngestError, match="第 2 行"):
        import_graph(EmbeddedStore(":memory:"), io.StringIO(header + bad))
    with pytest.raises(IngestError, match="truncated"):
        import_graph(EmbeddedStore(":memory:"), io.StringIO(header))


def test_cli_export_then_import_moves_a_graph(tmp_path):
    runner = CliRunner()
    source, target, dump = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "graph.jsonl"
    with EmbeddedStore(source) as store:
        _write_random_graph(store, seed=3)
    exported = runner.invoke(app, ["export-graph", str(dump), "--db", str(source)])
    assert exported.exit_code == 0, exported.output
    imported = runner.invoke(app, ["import-graph", str(dump), "--db", str(target)])
    assert imported.exit_code == 0, imported.output
    again = runner.invoke(app, ["import-graph", str(dump), "--db", str(target)])
    assert again.exit_code == 2 and "只能导入到空图谱" in again.output
    with EmbeddedStore(target) as store:
        assert _export(store) == dump.read_text(encoding="utf-8")


def test_api_answers_from_neo4j_as_from_embedded(neo4j_store, tmp_path):
    with EmbeddedStore(tmp_path / "a.db") as embedded:
        _write_random_graph(embedded, seed=5)
        import_graph(neo4j_store, io.StringIO(_export(embedded)))
        answers = []
        for store in (embedded, neo4j_store):
            with TestClient(create_app(store=store)) as client:
                answers.append([client.get("/api/search", params={"q": q}).json() for q in ("zw", "膜", "300")])
                answers[-1].append(client.get("/api/health").json()["nodes"])
        assert answers[0] == answers[1]


def test_bulk_load_writes_nodes_keys_and_edges_that_upserts_then_find(neo4j_store):
    from leadgraph.graph import Edge, Node, Source

    seen = [Source("企业名录", "2024-01-01T00:00:00.000000Z", "2024-01-02T00:00:00.000000Z")]
    nodes = [Node(f"per:{i:016x}", "Person", f"员工{i}", {"name": f"员工{i}", "mobile": f"1380000{i:04d}"}, seen) for i in range(25)]
    org = Node("org:00000000000000ff", "Organization", "示例薄膜有限公司", {"name": "示例薄膜有限公司"}, seen)
    edges = [Edge(f"e:{i:016x}", "WORKS_AT", n.id, org.id, {"title": "工程师"}, seen) for i, n in enumerate(nodes)]
    assert neo4j_store.bulk_load([*nodes, org], edges, chunk_size=7) == {"nodes": 26, "edges": 25}
    assert neo4j_store.counts() == {"nodes": {"Organization": 1, "Person": 25}, "edges": {"WORKS_AT": 25}}
    assert neo4j_store.node(nodes[3].id) == nodes[3]
    with neo4j_store.batch("走访记录") as batch:
        assert batch.upsert_node("Person", {"name": "员工3", "mobile": "13800000003"}).id == nodes[3].id
        assert batch.upsert_node("Organization", {"name": "示例薄膜有限公司"}).id == org.id
    assert len(neo4j_store.neighbours(org.id)[0]) == 25
