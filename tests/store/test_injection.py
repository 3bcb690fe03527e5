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
