"""What the Neo4j backend promises the server itself, checked on the real server.

Constraints and indexes come from the schema (the full-text index included) and come back
when missing; a batch goes to the server as a few ``UNWIND`` statements, not one per row;
only the schema's labels and relationship types ever reach the database; every session
names the configured database; and a transient error (a real deadlock) is retried, the
batch then written exactly once.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from neo4j import exceptions as neo4j_errors

from leadgraph.errors import SchemaError
from leadgraph.graph.neo4j_batch import Neo4jBatch
from leadgraph.graph.neo4j_review import REDIRECT_LABEL, REVIEW_LABEL
from leadgraph.graph.neo4j_store import Neo4jStore
from leadgraph.schema import default_schema


def _expected_schema() -> dict[str, tuple[str, list[str], list[str]]]:
    """name -> (type, labels or types, properties), written out from the schema by hand."""
    schema = default_schema()
    wanted = {}
    for kind in schema.nodes:
        low = kind.lower()
        wanted[f"leadgraph_{low}_id"] = ("UNIQUENESS", [kind], ["id"])
        wanted[f"leadgraph_{low}_name"] = ("RANGE", [kind], ["_name_canon"])
        wanted[f"leadgraph_{low}_search"] = ("TEXT", [kind], ["_search"])
    for kind in schema.edges:
        wanted[f"leadgraph_rel_{kind.lower()}_id"] = ("RELATIONSHIP_UNIQUENESS", [kind], ["id"])
    wanted["leadgraph_key"] = ("UNIQUENESS", ["_Key"], ["key"])
    wanted["leadgraph_key_node"] = ("RANGE", ["_Key"], ["node_id"])
    wanted["leadgraph_review_id"] = ("UNIQUENESS", [REVIEW_LABEL], ["id"])
    wanted["leadgraph_review_status"] = ("RANGE", [REVIEW_LABEL], ["status"])
    wanted["leadgraph_redirect_old"] = ("UNIQUENESS", [REDIRECT_LABEL], ["old_id"])
    wanted["leadgraph_names"] = ("FULLTEXT", sorted(schema.nodes), ["name", "short_name"])
    return wanted


def _server_schema(driver: Any, database: str) -> dict[str, tuple[str, list[str], list[str], str]]:
    found = {}
    for row in driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties", database_=database
    ).records:
        found[row["name"]] = (row["type"], sorted(row["labelsOrTypes"]), list(row["properties"]), "ONLINE")
    for row in driver.execute_query(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state, owningConstraint "
        "WHERE owningConstraint IS NULL AND type <> 'LOOKUP'",
        database_=database,
    ).records:
        found[row["name"]] = (row["type"], sorted(row["labelsOrTypes"]), list(row["properties"]), row["state"])
    return found


def test_every_constraint_and_index_the_schema_calls_for_is_online(neo4j_store, neo4j_driver):
    driver, config = neo4j_driver
    found = _server_schema(driver, config["database"])
    for name, (kind, labels, props) in _expected_schema().items():
        assert found.get(name) == (kind, sorted(labels), props, "ONLINE"), name


def test_missing_constraints_and_indexes_are_created_again_when_a_store_opens(neo4j_store, neo4j_driver):
    driver, config = neo4j_driver
    database = config["database"]
    driver.execute_query("DROP INDEX `leadgraph_names` IF EXISTS", database_=database)
    driver.execute_query("DROP CONSTRAINT `leadgraph_person_id` IF EXISTS", database_=database)
    driver.execute_query("DROP INDEX `leadgraph_organization_search` IF EXISTS", database_=database)
    with Neo4jStore(neo4j_store.uri, config["user"], config["password"], database):
        pass
    found = _server_schema(driver, database)
    expected = _expected_schema()
    for name in ("leadgraph_names", "leadgraph_person_id", "leadgraph_organization_search"):
        assert found.get(name) == (expected[name][0], sorted(expected[name][1]), expected[name][2], "ONLINE"), name


def test_uniqueness_constraints_refuse_a_second_node_with_an_id_or_key(neo4j_store, neo4j_driver):
    driver, config = neo4j_driver
    with neo4j_store.batch("名录") as batch:
        person = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000001"}).id
    for query in ("CREATE (:Person {id: $id})", "MATCH (k:_Key {node_id: $id}) CREATE (:_Key {key: k.key})"):
        with pytest.raises(neo4j_errors.ConstraintError):
            driver.execute_query(query, id=person, database_=config["database"])
    assert neo4j_store.counts()["nodes"] == {"Person": 1}


def test_full_text_index_finds_names_and_short_names_written_by_a_batch(neo4j_store, neo4j_driver):
    driver, config = neo4j_driver
    with neo4j_store.batch("上市公司名录") as batch:
        org = batch.upsert_node("Organization", {"name": "宁波激智科技股份有限公司", "short_name": "激智科技"}).id
        person = batch.upsert_node("Person", {"name": "Zhang Wei", "mobile": "13800000001"}).id
    driver.execute_query("CALL db.awaitIndexes(60)", database_=config["database"])

    def hits(text: str) -> list[str]:
        rows = driver.execute_query(
            "CALL db.index.fulltext.queryNodes('leadgraph_names', $q) YIELD node RETURN node.id AS id",
            q=text, database_=config["database"],
        ).records  # fmt: skip
        return sorted(row["id"] for row in rows)

    assert hits("激智科技") == [org]
    assert hits("short_name:激智") == [org]
    assert hits("zhang~") == [person]  # fuzzy, as docs/neo4j.md shows analysts


def _labels_and_types(driver: Any, database: str) -> tuple[set[str], set[str]]:
    labels = {r["l"] for r in driver.execute_query("MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l", database_=database).records}
    types = {r["t"] for r in driver.execute_query("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t", database_=database).records}
    return labels, types


def test_only_the_schema_labels_and_types_reach_the_database(neo4j_store, neo4j_driver):
    from tests.store.test_differential import _write_random_graph
    from tests.store.test_injection import NASTY

    driver, config = neo4j_driver
    _write_random_graph(neo4j_store, seed=3)
    for text in NASTY:
        with neo4j_store.batch(text) as batch:
            a = batch.upsert_node("Person", {"name": text, "mobile": "13800000001"}).id
            b = batch.upsert_node("Organization", {"name": text})
            batch.upsert_edge("WORKS_AT", a, b.id, {"title": text})
            for refused in (
                lambda: batch.upsert_node(text, {"name": "x"}),
                lambda: batch.upsert_edge(text, a, b.id, {}),
            ):
                with pytest.raises(SchemaError):
                    refused()
    labels, types = _labels_and_types(driver, config["database"])
    schema = default_schema()
    assert labels <= {*schema.nodes, "_Key", "_Meta", REVIEW_LABEL, REDIRECT_LABEL, "_LeadgraphTestDatabase"}
    assert types <= set(schema.edges) and types


class _Statements:
    """Records the statements of every write transaction a batch commits (they still run)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.texts: list[str] = []
        original = Neo4jBatch._write
        outer = self

        class Recording:
            def __init__(self, tx: Any) -> None:
                self._tx = tx

            def run(self, query: str, *args: Any, **kwargs: Any) -> Any:
                outer.texts.append(" ".join(query.split()))
                return self._tx.run(query, *args, **kwargs)

        monkeypatch.setattr(Neo4jBatch, "_write", lambda batch, tx: original(batch, Recording(tx)))


def test_a_batch_of_hundreds_of_rows_is_written_as_a_few_unwind_statements(neo4j_store, monkeypatch):
    sent = _Statements(monkeypatch)
    with neo4j_store.batch("乡贤名录") as batch:
        org = batch.upsert_node("Organization", {"name": "示例薄膜有限公司"}).id
        people = [batch.upsert_node("Person", {"name": f"会员{i}", "mobile": f"1380000{i:04d}"}).id for i in range(300)]
        for a, b in zip(people, people[1:]):
            batch.upsert_edge("KNOWS", a, b, {"context": "同乡"})
        for p in people:
            batch.upsert_edge("WORKS_AT", p, org, {"title": "工程师"})
    first = list(sent.texts)
    assert 4 <= len(first) <= 6, first  # Organization, Person, keys, KNOWS, WORKS_AT
    assert all(text.startswith("UNWIND $rows AS row") for text in first)
    assert any("MERGE (k:`_Key` {key: row.key})" in text for text in first)
    sent.texts.clear()
    with neo4j_store.batch("商会名录") as batch:  # the same people again, with something new: updates
        for i, p in enumerate(people):
            assert batch.upsert_node("Person", {"name": f"会员{i}", "mobile": f"1380000{i:04d}", "city": "宁波市"}).id == p
        for a, b in zip(people, people[1:]):
            batch.upsert_edge("KNOWS", a, b, {"context": "同乡"})
    assert 1 <= len(sent.texts) <= 4, sent.texts  # Person updates, node sources, edge sources
    assert all(text.startswith("UNWIND $") for text in sent.texts)
    assert neo4j_store.counts() == {"nodes": {"Organization": 1, "Person": 300}, "edges": {"KNOWS": 299, "WORKS_AT": 300}}
    assert [s.source for s in neo4j_store.node(people[7]).sources] == ["乡贤名录", "商会名录"]
    assert neo4j_store.node(people[7]).props["city"] == "宁波市"


class _SessionsOf:
    """The real driver, recording the database every session and query names."""

    def __init__(self, driver: Any) -> None:
        self._driver = driver
        self.databases: list[str | None] = []

    def session(self, **config: Any) -> Any:
        self.databases.append(config.get("database"))
        return self._driver.session(**config)

    def execute_query(self, *args: Any, **kwargs: Any) -> Any:
        self.databases.append(kwargs.get("database_"))
        return self._driver.execute_query(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


@pytest.mark.parametrize("projection", ["inline", "off"])
def test_every_read_and_write_names_the_configured_database(neo4j_store, neo4j_driver, tmp_path, projection):
    import io

    from leadgraph.graph.paths import PathQuery, find_paths
    from leadgraph.graph.transfer import export_graph, import_graph
    from tests.fixtures.golden_county import AS_OF, load

    driver, config = neo4j_driver
    spy = _SessionsOf(driver)
    with Neo4jStore(neo4j_store.uri, config["user"], database=config["database"], driver=spy, projection=projection) as store:
        load(store)  # every list of the golden county: batches, resolver look-ups, review items
        for item in store.review_items():
            store.decide(item.id, "reject")
        person = next(store.iter_nodes("Person"))
        store.neighbours(person.id)
        store.search("zw")
        store.get_nodes([person.id])
        store.get_edges([e.id for e in store.iter_edges("KNOWS")][:3])
        store.node_keys([person.id])
        store.nodes_named("Person", person.name)
        store.counts()
        list(store.iter_redirects())
        store.merged_into(person.id)
        find_paths(store, PathQuery(to="光华膜材", as_of=AS_OF, time_limit=60))
        find_paths(store, PathQuery(to="301002", from_=("青石镇",), as_of=AS_OF, time_limit=60))
        dump = io.StringIO()
        export_graph(store, dump)
        driver.execute_query("MATCH (n) WHERE NOT n:_LeadgraphTestDatabase DETACH DELETE n", database_=config["database"])
        import_graph(store, io.StringIO(dump.getvalue()))
        with store.batch("合并") as batch:
            other = batch.upsert_node("Person", {"name": person.name, "mobile": "13900000000"}).id
        store.merge_nodes(person.id, other, note="测试")
    assert len(spy.databases) > 50
    assert set(spy.databases) == {config["database"]}


def _blocked_on_the_server(driver: Any, database: str, query_part: str, *, timeout: float) -> bool:
    """Whether a transaction running ``query_part`` is waiting for a lock, by the server's own
    account (SHOW TRANSACTIONS), polled until ``timeout`` seconds: never a guess by sleeping."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = driver.execute_query(
            "SHOW TRANSACTIONS YIELD status, currentQuery WHERE currentQuery CONTAINS $part RETURN status",
            part=query_part, database_=database,
        ).records
        if any(str(row["status"]).startswith("Blocked") for row in rows):
            return True
        time.sleep(0.05)
    return False


def test_a_deadlocked_batch_is_retried_and_written_exactly_once(neo4j_store, neo4j_driver, monkeypatch):
    """Another transaction holds A and waits for B; the batch holds B and asks for A: the
    server aborts the younger one (the batch) with DeadlockDetected, a transient error,
    and the driver runs the batch's transaction again once the other is gone."""
    driver, config = neo4j_driver
    database = config["database"]
    with neo4j_store.batch("乡贤名录") as batch:
        a = batch.upsert_node("Person", {"name": "甲", "mobile": "13800000001"}).id
        b = batch.upsert_node("Person", {"name": "乙", "mobile": "13800000002"}).id

    attempts: list[str] = []
    holds_b, other_waits = threading.Event(), threading.Event()
    original = Neo4jBatch._write

    def write(batch: Neo4jBatch, tx: Any) -> None:
        attempts.append("started")
        if len(attempts) == 1:
            tx.run("MATCH (n:Person {id: $id}) SET n._probe = 1", id=b).consume()  # lock B first
            holds_b.set()
            assert other_waits.wait(30)
        try:
            original(batch, tx)  # locks A, held by the other transaction
        except neo4j_errors.Neo4jError as exc:
            attempts.append(exc.code)
            raise

    monkeypatch.setattr(Neo4jBatch, "_write", write)
    with driver.session(database=database) as other_session:
        other = other_session.begin_transaction()
        try:
            other.run("MATCH (n:Person {id: $id}) SET n._probe = 1", id=a).consume()  # lock A

            def commit_batch() -> None:
                with neo4j_store.batch("商会名录") as batch:
                    batch.upsert_node("Person", {"name": "甲", "mobile": "13800000001", "city": "宁波市"})
                    batch.upsert_node("Person", {"name": "乙", "mobile": "13800000002", "city": "苏州市"})

            failures: list[BaseException] = []
            writer = threading.Thread(target=lambda: _catching(commit_batch, failures))
            writer.start()
            assert holds_b.wait(30)
            waiter = threading.Thread(
                target=lambda: _catching(lambda: other.run("MATCH (n:Person {id: $id}) SET n._probe = 1", id=b).consume(), failures)
            )
            waiter.start()  # the other transaction now waits for B
            assert _blocked_on_the_server(driver, database, "SET n._probe = 1", timeout=60)
            other_waits.set()  # only now may the batch ask for A: it, not the other, closes the cycle
            waiter.join(60)
        finally:
            other.rollback()
        writer.join(60)
    assert not failures, failures
    assert attempts[:3] == ["started", "Neo.TransientError.Transaction.DeadlockDetected", "started"], attempts
    assert len(attempts) == 3
    for node_id, city in ((a, "宁波市"), (b, "苏州市")):
        node = neo4j_store.node(node_id)
        assert node.props["city"] == city and [s.source for s in node.sources] == ["乡贤名录", "商会名录"]
    rows = driver.execute_query("MATCH (n) WHERE n._probe IS NOT NULL RETURN count(n) AS c", database_=database).records
    assert rows[0]["c"] == 0


def _catching(work: Any, failures: list[BaseException]) -> None:
    try:
        work()
    except BaseException as exc:  # reported by the test thread
        failures.append(exc)


def test_stores_opening_a_fresh_database_at_once_all_open(neo4j_store, neo4j_driver):
    """The api container starting while someone runs a first ingest: every store creates the
    missing constraints and indexes at the same moment; a creator that loses the race to an
    equivalent rule opens all the same."""
    import threading

    driver, config = neo4j_driver
    database = config["database"]
    names = list(_expected_schema())
    for attempt in range(4):
        for name in names:  # DROP CONSTRAINT drops its index too; DROP INDEX the others
            driver.execute_query(f"DROP CONSTRAINT `{name}` IF EXISTS", database_=database)
            driver.execute_query(f"DROP INDEX `{name}` IF EXISTS", database_=database)
        start, failures = threading.Barrier(4), []

        def open_store() -> None:
            start.wait()
            try:
                Neo4jStore(neo4j_store.uri, config["user"], config["password"], database).close()
            except Exception as exc:  # noqa: BLE001 - the failure is what the test reports
                failures.append(f"{type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=open_store) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == [], (attempt, failures)
    found = _server_schema(driver, database)
    assert {name for name in names if found.get(name, ("", [], [], ""))[3] == "ONLINE"} == set(names)
