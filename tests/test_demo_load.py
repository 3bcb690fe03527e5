"""`leadgraph demo` writes the fictional county's lists and loads them through ingest."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from leadgraph.cli import app
from leadgraph.graph import EmbeddedStore


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    db = str(root / "demo.db")
    result = CliRunner().invoke(
        app, ["demo", "--db", db, "--out", str(root / "lists"), "--scale", "0.25", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return db, root / "lists", json.loads(result.stdout)


def test_demo_loads_every_list_without_rejections(demo_db):
    _, _, summary = demo_db
    assert len(summary["files"]) >= 15
    rejected = {f["file"]: f["rows_rejected"] for f in summary["files"] if f["rows_rejected"]}
    assert rejected == {}
    kinds = {sheet["kind"] for f in summary["files"] for sheet in f["sheets"]}
    assert {"contacts", "organizations", "ties", "members", "visits", "projects"} <= kinds


def test_demo_graph_holds_every_node_kind(demo_db):
    _, _, summary = demo_db
    assert set(summary["counts"]["nodes"]) == {"Person", "Organization", "ChainSegment", "Region", "Project", "Event"}
    assert summary["counts"]["nodes"]["ChainSegment"] >= 30


def test_demo_listed_company_is_found_by_short_name_and_stock_code(demo_db):
    db, lists, _ = demo_db
    with (lists / "02_上市公司名录.csv").open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    with EmbeddedStore(db) as store:
        by_short = store.search(first["简称"], kinds=frozenset({"Organization"}))
        by_code = store.search(first["股票代码"], kinds=frozenset({"Organization"}))
    assert by_short[0].name == first["名称"]
    assert by_code[0].name == first["名称"]
    assert by_short[0].detail["org_kind"] == "listed"


def test_demo_people_are_found_by_pinyin_initials(demo_db):
    db, _, _ = demo_db
    with EmbeddedStore(db) as store:
        person = next(store.iter_nodes("Person"))
        from leadgraph.graph.terms import pinyin_terms

        initials = min(t for t in pinyin_terms(person.name) if len(t) == len(person.name))
        assert person.id in {h.id for h in store.search(initials, limit=500)}


def test_demo_ambassadors_merge_with_their_contact_rows(demo_db):
    db, _, _ = demo_db
    with EmbeddedStore(db) as store:
        ambassadors = [n for n in store.iter_nodes("Person") if "ambassador" in n.roles]
    assert ambassadors
    assert all("contact" in n.roles for n in ambassadors)
    assert all(len(n.sources) >= 2 for n in ambassadors)


def test_demo_paths_to_a_listed_company_start_on_our_side_and_end_at_a_decision_maker(demo_db):
    from leadgraph.graph.paths import PathQuery, find_paths

    db, lists, _ = demo_db
    with (lists / "02_上市公司名录.csv").open(encoding="utf-8") as handle:
        listed = [row["简称"] for row in csv.DictReader(handle)]
    our_roles = {"leader", "officer", "ambassador", "contact", "local"}
    answered = 0
    with EmbeddedStore(db) as store:
        for short in listed[:10]:
            answer = find_paths(store, PathQuery(to=short))
            deciders = {d["id"] for d in answer["target"]["decision_makers"]}
            for path in answer["paths"]:
                # A zero-hop path: the decision maker is one of our own contacts already.
                first = store.node(path["start"]["id"])
                assert our_roles & set(first.roles), first
                assert path["end"]["id"] in deciders
                assert all(hop["explanation"] and hop["sources"] for hop in path["hops"])
                assert path["explanation"]
            answered += bool(answer["paths"])
    assert answered >= 5
