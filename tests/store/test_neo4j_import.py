"""First load with neo4j-admin's offline importer: the files, the refusals, and a real server.

The CSV tests need nothing but Python. The server tests export a graph (the golden county,
names with quotes, commas, line breaks, backticks, Cypher, emoji and 䶮, every property
type), import it with ``leadgraph neo4j-import`` into a fresh home of their own
(``deploy/neo4j/neo4j.sh`` with ``NEO4J_STATE_DIR``, the shared jars), start that server
and check it: the export is byte-identical, every property and its type is what
``import-graph`` writes online, constraints and indexes come up, search finds the names.
They are skipped when the jars are absent, unless ``LEADGRAPH_REQUIRE_NEO4J=1``.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors
from typer.testing import CliRunner

from leadgraph.cli import app
from leadgraph.errors import IngestError, InvalidQuery
from leadgraph.graph import EmbeddedStore, Edge, Node, Source
from leadgraph.graph.identity import natural_keys
from leadgraph.graph.model import ReviewItem
from leadgraph.graph.neo4j_import import ARRAY_DELIMITER, import_files_for, import_files_from_export, write_import_files
from leadgraph.graph.neo4j_layout import schema_statements
from leadgraph.graph.neo4j_review import REVIEW_STATEMENTS
from leadgraph.graph.neo4j_store import Neo4jStore, preparer_pool
from leadgraph.graph.store import GraphStore, review_id
from leadgraph.graph.transfer import export_graph, import_graph
from leadgraph.schema import default_schema
from tests.fixtures.golden_county import load
from tests.store.neo4j_server import no_neo4j

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "neo4j" / "neo4j.sh"
SEEN = [Source("名录", "2024-01-01T00:00:00.000000Z", "2024-01-02T00:00:00.000000Z")]
AWKWARD = '张"伟,`MATCH (n) DETACH DELETE n //`\n第二行\r\n😀 䶮 \\ end'


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _person(i: int, **props: Any) -> Node:
    props = {"name": f"员工{i}", "mobile": f"1380000{i:04d}", **props}
    return Node(f"per:{i:016x}", "Person", str(props["name"]), props, SEEN)


def _decisions(store: GraphStore, text: str = "王五，远方物流有限公司") -> dict[str, ReviewItem]:
    """A pending, an accepted (its merge leaves a redirect), a rejected and an automatic-merge review item."""
    with store.batch("审核名录") as batch:
        a, b, c, d = (batch.upsert_node("Person", {"name": "王五", "mobile": f"1390000010{i}"}).id for i in range(4))

    def item(node: str, other: str) -> ReviewItem:
        return ReviewItem(
            id=review_id("rv", *sorted((node, other))), kind="Person", node_id=node, other_id=other, score=0.55,
            evidence=["姓名相同", text], status="pending", source=f"名录：{text}", line=7, summary=text,
            created_at="2024-01-01T00:00:00.000000Z",
        )

    merged = replace(item(a, a), id="mg-0000000001", other_id=None, evidence=[], status="merged", line=None, score=1.0,
                     decided_at="2024-01-01T00:00:00.000000Z")  # fmt: skip
    items = {"accepted": item(b, a), "rejected": item(c, a), "pending": item(d, a), "merged": merged}
    for review in items.values():
        store.add_review_item(review)
    store.decide(items["accepted"].id, "accept")
    store.decide(items["rejected"].id, "reject")
    return items


# -- the files ------------------------------------------------------------------------------


def test_the_worker_processes_run_without_the_cyclic_collector_and_this_one_keeps_it():
    """Workers make acyclic records only; the collector's passes over their pinyin tables cost a fifth of their time."""
    with preparer_pool() as pool:
        assert [pool.submit(gc.isenabled).result() for _ in range(4)] == [False] * 4
    assert gc.isenabled()


def test_a_big_import_through_the_workers_writes_what_one_process_writes(tmp_path):
    nodes = [_person(i, roles=["contact", "ambassador"], birth_year=1960 + i) for i in range(60)]
    edges = [Edge(f"e:{i:016x}", "KNOWS", nodes[i].id, nodes[i + 1].id, {"context": "同乡"}, SEEN) for i in range(59)]
    alone = import_files_for(default_schema(), tmp_path / "alone", nodes, edges, chunk_size=1000)
    shared = import_files_for(default_schema(), tmp_path / "shared", nodes, edges, chunk_size=7)
    assert alone.counts == shared.counts == {"nodes": 60, "edges": 59, "keys": 60, "reviews": 0, "redirects": 0}
    assert sorted(alone.nodes) == sorted(shared.nodes) and sorted(alone.relationships) == sorted(shared.relationships)
    for name in [*alone.nodes, *alone.relationships]:
        assert (tmp_path / "alone" / name).read_bytes() == (tmp_path / "shared" / name).read_bytes(), name


def test_awkward_texts_are_quoted_so_a_csv_reader_gets_them_back(tmp_path):
    nodes = [_person(1, name=AWKWARD, roles=["contact", 'a,"b"\nc'], note="")]
    files = import_files_for(default_schema(), tmp_path, nodes, [])
    assert files.nodes == ["keys.csv", "nodes-Person-multiline.csv"] and files.multiline == ["nodes-Person-multiline.csv"]
    [row] = _rows(tmp_path / "nodes-Person-multiline.csv")
    assert row["id:ID(node)"] == nodes[0].id and row[":LABEL"] == "Person"
    assert row["name:string"] == AWKWARD and row["note:string"] == ""
    assert row["roles:string[]"].split(ARRAY_DELIMITER) == ["contact", 'a,"b"\nc']
    assert row["_src:string[]"] == "名录" and all(w.isdigit() for w in row["_term_weights:long[]"].split(ARRAY_DELIMITER))
    [key] = _rows(tmp_path / "keys.csv")  # keys are canonical: no line breaks
    assert key == {"key:ID(key)": natural_keys(default_schema().node("Person"), nodes[0].props)[0], ":LABEL": "_Key",
                   "node_id:string": nodes[0].id}


def test_a_value_of_another_type_goes_to_a_variant_file_typed_as_neo4j_stores_it(tmp_path):
    org = Node("org:1", "Organization", "甲公司", {"name": "甲公司", "revenue_yi": 3, "employees": 12.5, "is_local": True}, SEEN)
    plain = Node("org:2", "Organization", "乙公司", {"name": "乙公司", "revenue_yi": 2.5, "employees": 7}, SEEN)
    files = import_files_for(default_schema(), tmp_path, [org, plain], [])
    assert files.nodes == ["keys.csv", "nodes-Organization.csv", "nodes-Organization-2.csv"]
    header = (tmp_path / "nodes-Organization-2.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "revenue_yi:long" in header and "employees:double" in header and "is_local:boolean" in header
    [variant], [default] = _rows(tmp_path / "nodes-Organization-2.csv"), _rows(tmp_path / "nodes-Organization.csv")
    assert (variant["revenue_yi:long"], variant["employees:double"], variant["is_local:boolean"]) == ("3", "12.5", "true")
    assert (default["revenue_yi:double"], default["employees:long"]) == ("2.5", "7")


def test_numbers_lists_and_booleans_are_written_as_neo4j_types_them(tmp_path):
    edge_props = {"context": "同学", "weights": [1, 2.5], "flags": [True, False], "big": -(2**63), "nan": float("nan")}
    a, b = _person(1), _person(2)
    edge = Edge("e:1", "KNOWS", a.id, b.id, edge_props, SEEN)
    files = import_files_for(default_schema(), tmp_path, [a, b], [edge])
    [name] = files.relationships
    [row] = _rows(tmp_path / name)
    assert row[":START_ID(node)"] == a.id and row[":END_ID(node)"] == b.id and row[":TYPE"] == "KNOWS"
    assert row["weights:double[]"] == f"1.0{ARRAY_DELIMITER}2.5" and row["flags:boolean[]"] == f"true{ARRAY_DELIMITER}false"
    assert row["big:long"] == str(-(2**63)) and row["nan:double"] == "NaN" and row["id:string"] == "e:1"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({"a": 1}, "a map"),
        ([1, "a"], "mixing types"),
        ([["a"]], "mixing types"),
        ([], "empty list"),
        ([""], "empty list"),
        ([f"a{ARRAY_DELIMITER}b"], r"U\+001E"),
        (2**63, "64 bits"),
    ],
)
def test_values_the_importer_cannot_write_are_refused_by_item_and_property(tmp_path, value, reason):
    with pytest.raises(IngestError, match=reason) as raised:
        import_files_for(default_schema(), tmp_path, [_person(1, roles=value)], [])
    assert raised.value.details == {"item": _person(1).id, "property": "roles"}


def test_empty_internal_lists_are_left_absent_as_every_reader_takes_them(tmp_path):
    unsourced = Node("per:1", "Person", "张伟", {"name": "张伟", "mobile": "13800000001"}, [])
    import_files_for(default_schema(), tmp_path, [unsourced], [])
    [row] = _rows(tmp_path / "nodes-Person.csv")
    assert row["_src:string[]"] == row["_src_first:string[]"] == ""


def test_repeated_ids_and_edges_to_unknown_nodes_are_refused(tmp_path):
    a, b = _person(1), _person(2)
    with pytest.raises(IngestError, match="appears twice"):
        import_files_for(default_schema(), tmp_path / "1", [a, a], [])
    with pytest.raises(IngestError, match="not in the graph"):
        import_files_for(default_schema(), tmp_path / "2", [a], [Edge("e:1", "KNOWS", a.id, b.id, {}, SEEN)])
    knows = Edge("e:1", "KNOWS", a.id, b.id, {}, SEEN)
    with pytest.raises(IngestError, match="appears twice"):
        import_files_for(default_schema(), tmp_path / "3", [a, b], [knows, knows])


def test_natural_keys_are_claimed_first_come_as_bulk_load_claims_them(tmp_path):
    first, second = _person(1), Node("per:ff", "Person", "员工1", {"name": "员工1", "mobile": "13800000001"}, SEEN)
    files = import_files_for(default_schema(), tmp_path, [first, second], [])
    assert [row["node_id:string"] for row in _rows(tmp_path / "keys.csv")] == [first.id]
    assert files.counts == {"nodes": 2, "edges": 0, "keys": 1, "reviews": 0, "redirects": 0}


def test_given_keys_are_claimed_as_restore_claims_them_the_last_owner_wins(tmp_path):
    a, b = _person(1), _person(2)
    write_import_files(default_schema(), tmp_path, [([a, b], [], [("k1", a.id), ("k2", a.id), ("k1", b.id)])])
    assert {row["key:ID(key)"]: row["node_id:string"] for row in _rows(tmp_path / "keys.csv")} == {"k1": b.id, "k2": a.id}


def test_the_arguments_name_every_file_under_the_directory_neo4j_admin_sees(tmp_path):
    files = import_files_for(default_schema(), tmp_path, [_person(1, note="a\nb"), _person(2)], [])
    args = files.write_arguments("/import").read_text(encoding="utf-8").splitlines()
    assert "--array-delimiter=U+001E" in args and "--bad-tolerance=0" in args
    assert "--multiline-fields=/import/nodes-Person-multiline.csv" in args
    assert [a for a in args if a.startswith("--nodes")] == [
        "--nodes=/import/keys.csv", "--nodes=/import/nodes-Person.csv", "--nodes=/import/nodes-Person-multiline.csv",
    ]
    with pytest.raises(InvalidQuery, match="whitespace"):
        files.arguments("/my import")


def test_an_export_file_is_checked_as_import_graph_checks_it(tmp_path):
    header = '{"edges":0,"format":"leadgraph-graph","nodes":2,"schema_version":1}\n'
    node = '{"type":"node","id":"per:1","kind":"Person","props":{"name":"x"},"keys":[],"sources":[]}\n'
    with pytest.raises(IngestError, match="truncated"):
        import_files_from_export(default_schema(), tmp_path, io.StringIO(header + node))


def test_review_items_and_redirects_go_to_their_own_files_as_neo4j_stores_them(tmp_path):
    with EmbeddedStore(":memory:") as store:
        items = _decisions(store)
        text = io.StringIO()
        export_graph(store, text)
        accepted = store.review_item(items["accepted"].id)
    text.seek(0)
    files = import_files_from_export(default_schema(), tmp_path, text)
    assert files.counts == {"nodes": 3, "edges": 0, "keys": 4, "reviews": 4, "redirects": 1}
    assert files.nodes == ["keys.csv", "nodes-Person.csv", "redirects.csv", "reviews.csv"]
    header = (tmp_path / "reviews.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == (
        "id:ID(review),:LABEL,kind:string,node_id:string,other_id:string,score:double,evidence:string[],status:string,"
        "source:string,line:long,summary:string,created_at:string,decided_at:string"
    )
    rows = {row["id:ID(review)"]: row for row in _rows(tmp_path / "reviews.csv")}
    assert set(rows) == {i.id for i in items.values()} and {r[":LABEL"] for r in rows.values()} == {"_Review"}
    row = rows[accepted.id]
    assert (row["status:string"], row["score:double"], row["line:long"]) == ("accepted", "0.55", "7")
    assert row["evidence:string[]"].split(ARRAY_DELIMITER) == accepted.evidence
    assert row["decided_at:string"] == accepted.decided_at
    merged = rows["mg-0000000001"]  # None is no property, an empty evidence is left absent
    assert merged["other_id:string"] == merged["line:long"] == merged["evidence:string[]"] == ""
    assert _rows(tmp_path / "redirects.csv") == [
        {"old_id:ID(redirect)": items["accepted"].node_id, ":LABEL": "_Redirect", "new_id:string": items["accepted"].other_id}
    ]


def test_a_redirect_to_a_node_not_in_the_file_is_refused_naming_its_line(tmp_path):
    header = '{"edges":0,"format":"leadgraph-graph","nodes":1,"redirects":1,"reviews":0,"schema_version":1}\n'
    node = '{"type":"node","id":"per:1","kind":"Person","props":{"name":"x"},"keys":[],"sources":[]}\n'
    redirect = '{"type":"redirect","old_id":"per:2","new_id":"per:3"}\n'
    with pytest.raises(IngestError, match="第 3 行.*not in the graph"):
        import_files_from_export(default_schema(), tmp_path, io.StringIO(header + node + redirect))


def test_cli_writes_the_files_and_the_neo4j_admin_command_for_a_container(tmp_path):
    dump = tmp_path / "graph.jsonl"
    with EmbeddedStore(tmp_path / "a.db") as store, dump.open("w", encoding="utf-8") as handle:
        load(store)
        export_graph(store, handle)
    result = CliRunner().invoke(app, ["neo4j-import-files", str(dump), str(tmp_path / "csv"), "--files-at", "/import"])
    assert result.exit_code == 0, result.output
    assert "neo4j-admin database import full neo4j @/import/neo4j-admin.args" in result.output
    assert "--nodes=/import/nodes-Person.csv" in (tmp_path / "csv" / "neo4j-admin.args").read_text(encoding="utf-8")


# -- a real server --------------------------------------------------------------------------


def _jars() -> Path | None:
    lib = Path(os.environ.get("NEO4J_LIB_DIR") or ROOT / ".neo4j" / "lib")
    return lib if (lib / ".complete").is_file() and any(lib.glob("neo4j-import-tool-*.jar")) else None


def _graph_file(path: Path) -> str:
    """The golden county plus awkward names, every property type and review decisions, as export-graph writes it."""
    with EmbeddedStore(":memory:") as store:
        load(store)
        with store.batch('名录,"引号"\n`x` 😀') as batch:
            person = batch.upsert_node("Person", {
                "name": AWKWARD, "mobile": "13800000099", "roles": ["contact", "leader"], "birth_year": 1975,
                "note": "a\\b \r\n c", "appointed_on": "2024-01-02", "merged_from": ['依据,"1"', "依据 2"],
            }).id
            org = batch.upsert_node("Organization", {
                "name": "䶮科技有限公司", "short_name": "䶮科", "stock_code": "300999.SZ", "revenue_yi": 3,
                "employees": 12.5, "is_local": True, "chain_leader": False,
            }).id
            batch.upsert_edge("WORKS_AT", person, org, {"title": "董事长", "decision_maker": True})
            batch.upsert_edge("SHAREHOLDER_OF", person, org, {"share_pct": 8.25})
        _decisions(store, AWKWARD)
        buffer = io.StringIO()
        export_graph(store, buffer)
    header, *lines = buffer.getvalue().splitlines(keepends=True)
    # What only a hand-written file holds: an empty text, a list with an empty element.
    sources = [{"first_seen": "2024-01-01T00:00:00Z", "last_seen": "2024-01-01T00:00:00Z", "source": "手写"}]
    extra = [
        {"type": "node", "id": "per:0000000000000000", "kind": "Person", "keys": [], "sources": sources,
         "props": {"name": "空 ", "note": "", "roles": ["", "x"]}},
        {"type": "node", "id": "per:0000000000000001", "kind": "Person", "keys": [], "sources": [],
         "props": {"name": "无来源"}},
    ]
    extra_lines = [json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n" for item in extra]
    node_lines = [line for line in lines if '"type":"node"' in line] + extra_lines
    nodes = sorted(node_lines, key=lambda line: json.loads(line)["id"])
    counts = json.loads(header)
    counts["nodes"] += len(extra)
    text = json.dumps(counts, sort_keys=True, separators=(",", ":")) + "\n" + "".join(nodes)
    text += "".join(line for line in lines if '"type":"node"' not in line)  # edges, review items, redirects
    path.write_text(text, encoding="utf-8")
    return text


def _layout(driver: Any, database: str, *, absent_when_empty: bool = False) -> list[str]:
    """Every node and relationship: labels or type, properties and the type of each.

    ``absent_when_empty`` leaves out empty internal lists (``_src`` of an item without
    sources, ``evidence`` of a review item), which the importer cannot write and every
    reader takes as absent.
    """
    rows = []
    for query in (  # not the store's own settings (:_Meta, its id key): the database's, not the graph's
        "MATCH (n) WHERE NOT n:_Meta RETURN labels(n) AS l, properties(n) AS p, [k IN keys(n) | [k, valueType(n[k])]] AS t",
        "MATCH (a)-[r]->(b) RETURN type(r) AS l, a.id AS a, b.id AS b, properties(r) AS p, "
        "[k IN keys(r) | [k, valueType(r[k])]] AS t",
    ):
        for record in driver.execute_query(query, database_=database).records:
            row = record.data()
            if absent_when_empty:
                empty = {k for k, v in row["p"].items() if (k.startswith("_") or k == "evidence") and v == []}
                row["p"] = {k: v for k, v in row["p"].items() if k not in empty}
                row["t"] = [t for t in row["t"] if t[0] not in empty]
            row["t"] = sorted(row["t"])
            rows.append(json.dumps(row, sort_keys=True, ensure_ascii=False, default=repr))
    return sorted(rows)


def _script(command: str, home: Path, lib: Path) -> None:
    env = {**os.environ, "NEO4J_STATE_DIR": str(home), "NEO4J_LIB_DIR": str(lib), "NEO4J_HEAP_INITIAL": "256m",
           "NEO4J_HEAP_MAX": "512m", "NEO4J_PAGECACHE": "64m", "NEO4J_START_TIMEOUT": "240"}
    env.pop("NEO4J_BOLT_PORT", None)
    finished = subprocess.run(["bash", str(SCRIPT), *command.split()], env=env, capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stderr


def _review_state(store: GraphStore) -> dict[str, Any]:
    items = store.review_items(None)
    return {
        "items": [i.to_dict() for i in items],
        "redirects": list(store.iter_redirects()),
        "merged_into": {i.node_id: store.merged_into(i.node_id) for i in items},
        "rejected": [store.rejected_between(i.node_id, i.other_id) for i in items if i.status == "rejected"],
    }


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Import into a fresh home, start it, and record what the tests check (the server is private)."""
    lib = _jars()
    if lib is None:
        no_neo4j("no Neo4j jars (run bash deploy/neo4j/neo4j.sh start once, or set NEO4J_LIB_DIR)")
    tmp = tmp_path_factory.mktemp("neo4j-import")
    home, graph, small = tmp / "home", tmp / "county.jsonl", tmp / "small.jsonl"
    text = _graph_file(graph)
    small.write_text('{"edges":0,"format":"leadgraph-graph","nodes":0,"schema_version":1}\n', encoding="utf-8")
    runner, seen = CliRunner(), {}
    _script("init", home, lib)
    try:
        first = runner.invoke(app, ["neo4j-import", str(small), "--home", str(home)])
        assert first.exit_code == 0, first.output
        seen["refused_existing"] = runner.invoke(app, ["neo4j-import", str(graph), "--home", str(home)])
        seen["overwrite"] = runner.invoke(app, ["neo4j-import", str(graph), "--home", str(home), "--overwrite"])
        assert seen["overwrite"].exit_code == 0, seen["overwrite"].output
        _script("start --keep-data", home, lib)
        seen["refused_running"] = runner.invoke(app, ["neo4j-import", str(graph), "--home", str(home), "--overwrite"])
        env = dict(line.split("=", 1) for line in (home / "env").read_text(encoding="utf-8").splitlines())
        with GraphDatabase.driver(env["NEO4J_URI"], auth=(env["NEO4J_USER"], env["NEO4J_PASSWORD"]),
                                  notifications_min_severity="OFF") as driver:
            database = env["NEO4J_DATABASE"]
            with Neo4jStore(env["NEO4J_URI"], env["NEO4J_USER"], database=database, driver=driver) as store:
                buffer = io.StringIO()
                export_graph(store, buffer)
                seen["export"] = buffer.getvalue()
                queries = ("䶮", "zw", "DETACH", "空", "无来源", "300999")
                seen["hits"] = {q: [h.to_dict() for h in store.search(q)] for q in queries}
                seen["review_state"] = _review_state(store)
                shown = driver.execute_query("SHOW CONSTRAINTS YIELD name", database_=database).records
                seen["constraints"] = {r["name"] for r in shown}
                shown = driver.execute_query("SHOW INDEXES YIELD name, state", database_=database).records
                seen["indexes"] = {r["name"]: r["state"] for r in shown}
                seen["duplicates"] = []
                for query in ("MATCH (n:Person) WITH n LIMIT 1 CREATE (:Person {id: n.id})",
                              "MATCH (k:_Key) WITH k LIMIT 1 CREATE (:_Key {key: k.key})"):
                    try:
                        driver.execute_query(query, database_=database)
                        seen["duplicates"].append(None)
                    except neo4j_errors.ConstraintError as exc:
                        seen["duplicates"].append(exc.code)
                seen["offline"] = _layout(driver, database)
                driver.execute_query("MATCH (n) DETACH DELETE n", database_=database)
                with graph.open(encoding="utf-8") as handle:
                    import_graph(store, handle)
                seen["online"] = _layout(driver, database)
                seen["online_without_empty_lists"] = _layout(driver, database, absent_when_empty=True)
        with EmbeddedStore(":memory:") as embedded:
            import_graph(embedded, io.StringIO(text))
            seen["embedded_hits"] = {q: [h.to_dict() for h in embedded.search(q)] for q in seen["hits"]}
            seen["embedded_review_state"] = _review_state(embedded)
        yield {"text": text, **seen}
    finally:
        _script("stop", home, lib)


def test_export_from_the_imported_server_is_byte_identical(imported):
    header = json.loads(imported["text"].splitlines()[0])
    assert f"节点 {header['nodes']}，关系 {header['edges']}" in imported["overwrite"].output
    assert imported["export"] == imported["text"]


def test_every_property_and_its_type_is_what_import_graph_writes_online(imported):
    assert len(imported["offline"]) > 100
    assert imported["offline"] == imported["online_without_empty_lists"]
    # The differences: the sourceless node's empty _src lists and the automatic merge's
    # empty evidence are absent, not empty.
    sourceless, no_evidence = sorted(set(imported["online"]) - set(imported["offline"]), key=lambda row: "_Review" in row)
    assert '"id": "per:0000000000000001"' in sourceless and '"_src": []' in sourceless
    assert '"id": "mg-0000000001"' in no_evidence and '"evidence": []' in no_evidence


def test_review_queue_and_redirects_survive_the_offline_import(imported):
    header = json.loads(imported["text"].splitlines()[0])
    assert (header["reviews"], header["redirects"]) == (4, 1)
    state = imported["review_state"]
    assert sorted(i["status"] for i in state["items"]) == ["accepted", "merged", "pending", "rejected"]
    assert len(state["redirects"]) == 1 and state["rejected"] == [True]
    assert state == imported["embedded_review_state"]


def test_constraints_hold_and_indexes_are_online_on_the_imported_graph(imported):
    statements = [*schema_statements(default_schema()), *REVIEW_STATEMENTS]
    wanted = {name for name, statement in statements if " CONSTRAINT " in statement}
    assert wanted <= imported["constraints"]
    assert imported["indexes"] and set(imported["indexes"].values()) == {"ONLINE"}
    assert imported["duplicates"] == ["Neo.ClientError.Schema.ConstraintValidationFailed"] * 2


def test_search_on_the_imported_graph_answers_as_the_embedded_store(imported):
    assert [hit["name"] for hit in imported["hits"]["䶮"]] == ["䶮科技有限公司", AWKWARD]
    assert imported["hits"]["DETACH"][0]["name"] == AWKWARD
    assert imported["hits"] == imported["embedded_hits"]


def test_import_refuses_an_existing_database_without_overwrite(imported):
    refused = imported["refused_existing"]
    assert refused.exit_code == 2 and "--overwrite" in refused.output and "已存在" in refused.output


def test_import_refuses_while_the_server_runs(imported):
    refused = imported["refused_running"]
    assert refused.exit_code == 2 and "正在运行" in refused.output and "stop it first" in refused.output
