"""Cypher and SQL fragments in names, sources, filters and searches are only ever text."""

from __future__ import annotations

import pytest

from leadgraph.errors import SchemaError

NASTY = [
    "' OR 1=1 //",
    "}) DETACH DELETE n //",
    "`Person`) DETACH DELETE n //",
    "$param",
    '"; MATCH (n) DETACH DELETE n; //',
    "{id: 'x'}) SET n.name = 'pwned' //",
    "\\' OR ''='",
    "%_'; DROP TABLE nodes; --",
]


def test_cypher_fragments_are_stored_and_found_as_plain_text(any_store):
    with any_store.batch("名录") as batch:
        keep = batch.upsert_node("Person", {"name": "保留", "mobile": "13800000001"}).id
    before = sum(any_store.counts()["nodes"].values())
    ids = {}
    for i, text in enumerate(NASTY):
        with any_store.batch(text) as batch:
            person = batch.upsert_node("Person", {"name": text, "mobile": f"1390000000{i}", "note": text}).id
            org = batch.upsert_node("Organization", {"name": f"{text}有限公司", "short_name": text}).id
            batch.upsert_edge("WORKS_AT", person, org, {"title": text})
            ids[text] = person
    assert sum(any_store.counts()["nodes"].values()) == before + 2 * len(NASTY)
    assert any_store.node(keep).name == "保留"
    for text, person in ids.items():
        node = any_store.node(person)
        assert (node.name, node.props["note"], [s.source for s in node.sources]) == (text, text, [text])
        hits = any_store.search(text, kinds=frozenset({"Person"}))
        assert hits[0].id == person and hits[0].name == text
        assert [n.id for n in any_store.nodes_named("Person", text)] == [person]
        works = any_store.neighbours(person)[0]
        assert [n.edge.props["title"] for n in works] == [text]


@pytest.mark.parametrize("text", NASTY)
def test_cypher_fragments_as_kinds_and_ids_match_nothing(any_store, text):
    with any_store.batch("名录") as batch:
        person = batch.upsert_node("Person", {"name": "张伟", "mobile": "13800000001"}).id
    assert any_store.search("张伟", kinds=frozenset({text})) == []
    assert list(any_store.iter_nodes(text)) == []
    assert list(any_store.iter_edges(text)) == []
    assert any_store.nodes_named(text, "张伟") == []
    assert any_store.get_node(text) is None
    assert any_store.get_edge(text) is None
    assert any_store.neighbours(person, edge_kinds=frozenset({text})) == ([], False)
    with pytest.raises(SchemaError), any_store.batch("名录") as batch:
        batch.upsert_node(text, {"name": "x"})
    assert any_store.counts()["nodes"] == {"Person": 1}


def test_cypher_fragments_in_path_targets_and_filters_are_plain_text(neo4j_store, tmp_path):
    """Paths on the server: fragments as the target, ``from``, ``exclude`` and edge kinds
    answer as on the embedded store, a firm named by one is found, and nothing is deleted."""
    from leadgraph.graph import EmbeddedStore
    from tests.fixtures.golden_county import load
    from tests.paths.test_paths_fetch import ask

    with EmbeddedStore(tmp_path / "golden.db") as embedded:
        for store in (embedded, neo4j_store):
            load(store)
            (chairman,) = [n for n in store.nodes_named("Person", "李明") if n.props.get("org_name")]
            with store.batch(NASTY[1]) as batch:
                for i, text in enumerate(NASTY):
                    org = batch.upsert_node("Organization", {"name": f"注入测试{i}有限公司", "short_name": text}).id
                    batch.upsert_edge("WORKS_AT", chairman.id, org, {"title": text, "decision_maker": True})
        before = neo4j_store.counts()
        assert before == embedded.counts()
        found = 0
        for text in NASTY:
            for params in (
                {"to": text},
                {"to": "光华膜材", "from": [text]},
                {"to": "光华膜材", "exclude": [text]},
                {"to": text, "exclude": [text, "陈立"]},
                {"to": "光华膜材", "only_kinds": [text]},
                {"to": "光华膜材", "never_kinds": [text]},
            ):
                expected = ask(embedded, params)
                assert ask(neo4j_store, params) == expected, params
            found += bool(ask(embedded, {"to": text}).get("paths"))
        assert found == len(NASTY)  # every firm named by a fragment is found as a target, with routes
        assert neo4j_store.counts() == before
