"""export-graph / import-graph move a graph between backends without losing anything."""

from __future__ import annotations

import io
import json
import re
from typing import Any

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
        assert import_graph(neo4j_store, io.StringIO(first)) == {k: header[k] for k in ("nodes", "edges", "reviews", "redirects")}
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
    assert json.loads(header) == {
        "format": "leadgraph-graph", "schema_version": 1, "nodes": 2, "edges": 1, "reviews": 0, "redirects": 0,
    }
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


def test_import_refuses_a_store_holding_review_state_without_nodes(store):
    """Decisions left in a store without nodes would be mixed with the file's: refused, store unchanged."""
    store.restore_review_state([], [("per:00000000000000ff", "per:00000000000000fe")])
    with pytest.raises(InvalidQuery, match="empty store"):
        import_graph(store, _file(*NODES, EDGE, REVIEW, REDIRECT))
    assert list(store.iter_redirects()) == [("per:00000000000000ff", "per:00000000000000fe")]
    assert not any(store.counts()["nodes"].values()) and store.review_items(None) == []


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


# -- entity-resolution state: the review queue and the redirects of merged nodes ------------

ORGS = [["名称", "简称", "类别", "股票代码"], ["宁波激智科技股份有限公司", "激智科技", "上市公司", "300566"]]
CONTACTS = [
    ["姓名", "性别", "出生年份", "手机", "工作单位", "职务", "籍贯乡镇", "现居城市"],
    ["张伟", "男", "1975", "13800000001", "宁波激智科技股份有限公司", "董事长", "青石镇", "宁波市"],
    ["张伟", "男", "1988", "13800000003", "深圳示例材料有限公司", "工程师", "东湖镇", "深圳市"],
    ["李明", "男", "1980", "13800000005", "深圳示例材料有限公司", "总经理", "东湖镇", "深圳市"],
]
MEMBERS = [["商协会", "姓名", "工作单位", "会内职务"], ["宁波示例商会", "张伟", "宁波激智科技有限公司", "副会长"]]
UNSURE = [
    ["姓名", "工作单位", "出生年份", "籍贯乡镇"],
    ["张伟", "远方物流有限公司", "1975", ""],  # grey zone against the chairman: rejected below
    ["章伟", "宁波激智科技股份有限公司", "", "青石镇"],  # grey zone against the chairman: accepted (merged)
    ["李明", "远方物流有限公司", "1980", ""],  # grey zone against the manager: left pending
]


def _decided_county(store: GraphStore, write_csv) -> dict[str, Any]:
    """Automatic merges, then three review items: one rejected, one accepted (a redirect), one pending."""
    from leadgraph.ingest.loader import ingest_file

    ingest_file(store, write_csv("上市公司.csv", ORGS), kind="organizations")
    ingest_file(store, write_csv("乡贤名录.csv", CONTACTS), kind="contacts")
    ingest_file(store, write_csv("商会会员.csv", MEMBERS), kind="members")
    ingest_file(store, write_csv("新名录.csv", UNSURE), kind="contacts")
    by_summary = {item.summary.split("，")[0] + item.summary.split("，")[1][:2]: item for item in store.review_items()}
    rejected, accepted, pending = by_summary["张伟远方"], by_summary["章伟宁波"], by_summary["李明远方"]
    store.decide(rejected.id, "reject")
    store.decide(accepted.id, "accept")
    return {"rejected": rejected, "accepted": accepted, "pending": pending}


def _review_state(store: GraphStore, decided: dict[str, Any]) -> dict[str, Any]:
    """What `review list --status all`, `merged_into` and `rejected_between` answer."""
    items = {status: [i.to_dict() for i in store.review_items(status)] for status in ("pending", "accepted", "rejected", "merged")}
    rejected = decided["rejected"]
    return {
        "items": items,
        "all": [i.to_dict() for i in store.review_items(None)],
        "redirects": list(store.iter_redirects()),
        "merged_into": {i.node_id: store.merged_into(i.node_id) for i in decided.values()},
        "rejected_between": store.rejected_between(rejected.node_id, rejected.other_id),
    }


def _reingested(store: GraphStore, write_csv) -> dict[str, Any]:
    from leadgraph.ingest.loader import ingest_file

    report = ingest_file(store, write_csv("新名录.csv", UNSURE), kind="contacts")
    again = ingest_file(store, write_csv("乡贤名录.csv", CONTACTS), kind="contacts")
    return {"flagged": len(report.flagged) + len(again.flagged), "merged": len(report.merged) + len(again.merged),
            "counts": store.counts(), "review_items": [i.to_dict() for i in store.review_items(None)]}


@pytest.mark.parametrize("origin", ["embedded", "neo4j"])
def test_review_queue_and_redirects_move_between_backends_byte_identical(origin, neo4j_store, write_csv, tmp_path):
    with EmbeddedStore(tmp_path / "embedded.db") as embedded, EmbeddedStore(tmp_path / "back.db") as back:
        source, target = (embedded, neo4j_store) if origin == "embedded" else (neo4j_store, embedded)
        decided = _decided_county(source, write_csv)
        first = _export(source)
        header, *lines = (json.loads(line) for line in first.splitlines())
        types = [line["type"] for line in lines]
        assert (header["reviews"], header["redirects"]) == (types.count("review"), types.count("redirect")) == (5, 1)
        assert types == sorted(types, key=["node", "edge", "review", "redirect"].index)
        assert [line["id"] for line in lines if line["type"] == "review"] == sorted(i.id for i in source.review_items(None))
        assert import_graph(target, io.StringIO(first)) == {k: header[k] for k in ("nodes", "edges", "reviews", "redirects")}
        assert _export(target) == first
        assert _review_state(target, decided) == _review_state(source, decided)
        assert _review_state(target, decided)["rejected_between"] is True
        assert target.merged_into(decided["accepted"].node_id) == decided["accepted"].other_id
        with pytest.raises(InvalidQuery, match="已处理"):  # decisions stay decided
            target.decide(decided["rejected"].id, "accept")
        import_graph(back, io.StringIO(_export(target)))
        assert _export(back) == first
        assert _reingested(target, write_csv) == _reingested(source, write_csv)
        assert _reingested(back, write_csv) == _reingested(source, write_csv)


def test_export_of_a_store_without_decisions_has_zero_review_counts(store):
    header = json.loads(_export(store).splitlines()[0])
    assert (header["reviews"], header["redirects"]) == (0, 0)


HEADER = {"format": "leadgraph-graph", "schema_version": 1, "nodes": 2, "edges": 1, "reviews": 1, "redirects": 1}
A, B = "per:000000000000000a", "per:000000000000000b"
SEEN = [{"source": "名录", "first_seen": "2024-01-01T00:00:00Z", "last_seen": "2024-01-01T00:00:00Z"}]
NODES = [
    {"type": "node", "id": node, "kind": "Person", "props": {"name": name}, "keys": [], "sources": SEEN}
    for node, name in ((A, "张伟"), (B, "李明"))
]
EDGE = {"type": "edge", "id": "e:1", "kind": "KNOWS", "src": A, "dst": B, "props": {}, "sources": SEEN}
REVIEW = {
    "type": "review", "id": "rv-1", "kind": "Person", "node_id": B, "other_id": A, "score": 0.45, "evidence": ["姓名相同"],
    "status": "rejected", "source": "名录", "line": 2, "summary": "李明", "created_at": "2024-01-01T00:00:00Z",
    "decided_at": "2024-01-02T00:00:00Z",
}
REDIRECT = {"type": "redirect", "old_id": "per:00000000000000ff", "new_id": A}


def _file(*records: dict[str, Any], header: dict[str, Any] = HEADER) -> io.StringIO:
    return io.StringIO("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (header, *records)))


def test_a_file_with_review_state_restores_it_through_the_store():
    with EmbeddedStore(":memory:") as store:
        assert import_graph(store, _file(*NODES, EDGE, REVIEW, REDIRECT)) == {"nodes": 2, "edges": 1, "reviews": 1, "redirects": 1}
        assert [i.status for i in store.review_items(None)] == ["rejected"] and store.rejected_between(A, B)
        assert store.merged_into(REDIRECT["old_id"]) == A


def test_an_older_file_without_review_lines_or_counts_still_imports():
    older = {"format": "leadgraph-graph", "schema_version": 1, "nodes": 2, "edges": 1}
    with EmbeddedStore(":memory:") as store:
        assert import_graph(store, _file(*NODES, EDGE, header=older)) == {"nodes": 2, "edges": 1, "reviews": 0, "redirects": 0}
        assert store.review_items(None) == [] and list(store.iter_redirects()) == []
        assert json.loads(_export(store).splitlines()[0]) == {**older, "reviews": 0, "redirects": 0}
    with pytest.raises(IngestError, match="truncated"):  # review lines the header does not count
        import_graph(EmbeddedStore(":memory:"), _file(*NODES, EDGE, REVIEW, header=older))


@pytest.mark.parametrize(
    ("records", "line", "message"),
    [
        ([*NODES, EDGE, {**REVIEW, "status": "maybe"}, REDIRECT], 5, "maybe.*unknown review status"),
        ([*NODES, EDGE, {k: v for k, v in REVIEW.items() if k != "node_id"}, REDIRECT], 5, "缺少字段 node_id"),
        ([*NODES, EDGE, {**REVIEW, "evidence": "姓名相同"}, REDIRECT], 5, "evidence"),
        ([*NODES, EDGE, {**REVIEW, "kind": "Alien"}, REDIRECT], 5, "Alien"),
        ([*NODES, EDGE, {**REVIEW, "colour": "red"}, REDIRECT], 5, "colour"),
        ([*NODES, REVIEW, EDGE, REDIRECT], 5, "关系行应在审核项行之前 .edge lines must come before review lines"),
        ([NODES[0], REVIEW, NODES[1], EDGE, REDIRECT], 4, "node lines must come before review lines"),
        ([*NODES, EDGE, REDIRECT, REVIEW], 6, "review lines must come before redirect lines"),
        ([*NODES, EDGE, REVIEW, {**REDIRECT, "new_id": "per:0000000000000077"}], 6, "not in the graph"),
        ([*NODES, EDGE, REVIEW, {**REDIRECT, "old_id": B}], 6, "still in the graph"),
        ([*NODES, EDGE, REVIEW, {**REDIRECT, "old_id": A}], 6, "itself"),
        ([*NODES, EDGE, REVIEW, {"type": "redirect", "old_id": "per:00000000000000ff"}], 6, "缺少字段 new_id"),
        ([*NODES, EDGE, REVIEW, {**REDIRECT, "old_id": "zzz:1"}], 6, "zzz:1"),
        # what SQLite cannot hold, or what would leave the two backends disagreeing
        ([*NODES, EDGE, {**REVIEW, "score": float("nan")}, REDIRECT], 5, "score must be a finite number"),
        ([*NODES, EDGE, {**REVIEW, "score": float("inf")}, REDIRECT], 5, "score must be a finite number"),
        ([*NODES, EDGE, {**REVIEW, "line": 2**70}, REDIRECT], 5, "line must be a 64-bit integer or null"),
        # ids of the review's kind, and a decision time exactly when decided
        ([*NODES, EDGE, {**REVIEW, "node_id": "org:0000000000000001"}, REDIRECT], 5, "org:0000000000000001.*Person"),
        ([*NODES, EDGE, {**REVIEW, "other_id": "org:0000000000000001"}, REDIRECT], 5, "org:0000000000000001.*Person"),
        ([*NODES, EDGE, {**REVIEW, "decided_at": None}, REDIRECT], 5, "rejected.*decided_at"),
        ([*NODES, EDGE, {**REVIEW, "status": "pending"}, REDIRECT], 5, "pending.*decided_at"),
        ([*NODES, EDGE, {**REVIEW, "status": "pending", "decided_at": None, "other_id": None}, REDIRECT], 5, "other_id"),
    ],
)
def test_a_bad_review_or_redirect_line_is_refused_naming_it(records, line, message):
    with pytest.raises(IngestError, match=f"第 {line} 行") as raised:
        import_graph(EmbeddedStore(":memory:"), _file(*records))
    assert raised.value.details == {"line": line}
    assert re.search(message, raised.value.message)


def test_a_review_item_or_redirect_given_twice_is_refused_naming_the_second():
    header = {**HEADER, "reviews": 2, "redirects": 2}
    with pytest.raises(IngestError, match="第 6 行.*rv-1.*twice"):
        import_graph(EmbeddedStore(":memory:"), _file(*NODES, EDGE, REVIEW, REVIEW, REDIRECT, REDIRECT, header=header))
    header = {**HEADER, "redirects": 2}
    with pytest.raises(IngestError, match="第 7 行.*twice"):
        import_graph(EmbeddedStore(":memory:"), _file(*NODES, EDGE, REVIEW, REDIRECT, REDIRECT, header=header))


def test_line_order_and_repeated_ids_are_checked_across_blocks():
    from leadgraph.graph.transfer import read_graph
    from leadgraph.schema import default_schema

    cases = [
        ([*NODES, REVIEW, EDGE, REDIRECT], HEADER, "第 5 行.*edge lines must come before review lines"),
        ([*NODES, EDGE, REDIRECT, REVIEW], HEADER, "第 6 行.*review lines must come before redirect lines"),
        ([*NODES, EDGE, REVIEW, REVIEW, REDIRECT], {**HEADER, "reviews": 2}, "第 6 行.*rv-1.*appears twice"),
    ]
    for records, header, message in cases:
        with pytest.raises(IngestError, match=message):
            list(read_graph(default_schema(), _file(*records, header=header), chunk_size=1))


def test_cli_moves_the_review_queue_and_review_list_shows_it(tmp_path, write_csv):
    runner = CliRunner()
    source, target, dump = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "graph.jsonl"
    with EmbeddedStore(source) as store:
        _decided_county(store, write_csv)
    exported = runner.invoke(app, ["export-graph", str(dump), "--db", str(source)])
    assert exported.exit_code == 0 and "审核项 5" in exported.output and "合并跳转 1" in exported.output, exported.output
    imported = runner.invoke(app, ["import-graph", str(dump), "--db", str(target)])
    assert imported.exit_code == 0 and "审核项 5" in imported.output, imported.output
    listed = [runner.invoke(app, ["review", "list", "--status", "all", "--format", "json", "--db", str(db)]) for db in (source, target)]
    assert listed[0].exit_code == 0 and json.loads(listed[0].output) and listed[0].output == listed[1].output


@pytest.mark.parametrize("chunk_size", [1, 1000])
def test_a_node_given_twice_or_an_edge_to_no_node_is_refused_naming_the_line(chunk_size):
    """A second copy of a node would silently overwrite the first; an edge to nowhere is counted but joins nothing."""
    from leadgraph.graph.transfer import read_graph
    from leadgraph.schema import default_schema

    renamed = {**NODES[0], "props": {**NODES[0]["props"], "name": "篡改的名字"}}
    cases = [
        ([*NODES, renamed, EDGE], {**HEADER, "nodes": 3}, "第 4 行.*appears twice"),
        ([*NODES, {**EDGE, "dst": "per:0000000000000000"}], HEADER, "第 4 行.*per:0000000000000000 is not a node of the file"),
    ]
    for records, header, message in cases:
        with pytest.raises(IngestError, match=message):
            list(read_graph(default_schema(), _file(*records, header=header), chunk_size=chunk_size))
    with EmbeddedStore(":memory:") as store, pytest.raises(IngestError, match="第 4 行"):
        import_graph(store, _file(*NODES, renamed, EDGE, header={**HEADER, "nodes": 3}))


@pytest.mark.parametrize("version", ["1", 1.0, True])
def test_a_schema_version_of_another_type_is_refused(version):
    with EmbeddedStore(":memory:") as store, pytest.raises(FileRefused, match="schema_version"):
        import_graph(store, _file(*NODES, EDGE, header={**HEADER, "schema_version": version}))
