"""Referral paths give the same answers on Neo4j as on the embedded store (the whole
graph's index), both from Neo4j's projection of the whole graph and from neighbourhoods
fetched hop by hop by Cypher (projection off): every test runs in both modes.

* The golden county is loaded into both stores through the real ingest, and every named
  question plus filtered variants (``--from`` a role, a township, named people; excluded
  people and organisations; only / never edge kinds; k; max hops) must get the same JSON.
* A seeded random county (hubs, local firms, decision makers, dated ties), written into
  both, with a tiny hub cap so capped hubs are everywhere, answers a few hundred random
  questions identically, starting from a small radius so that most neighbourhoods grow.

Only ``stats.elapsed_ms`` may differ; work counters, ``truncated`` and every path must not.
"""

from __future__ import annotations

import io
import random

import pytest

from leadgraph.graph import EmbeddedStore, pathfetch
from leadgraph.graph.neo4j_store import Neo4jStore
from leadgraph.graph.transfer import export_graph, import_graph
from tests.fixtures.golden_county import QUERIES, load
from tests.paths.fetching import random_questions, small_cap_schema, write_random_county
from tests.paths.test_paths_fetch import ask

GOLDEN_EXTRA = {
    "from_township": {"to": "光华膜材", "from": ["青石镇"]},
    "from_two_people": {"to": "新能隔膜", "from": ["孙丽", "周强"]},
    "from_role_and_person": {"to": "瑞丰薄膜", "from": ["招商大使", "陈立"]},
    "only_knows_and_work": {"to": "301002", "only_kinds": ["KNOWS", "WORKS_AT"], "k": 3},
    "exclude_chamber": {"to": "301002", "exclude": ["江苏省膜产业商会"], "max_hops": 3},
    "one_hop": {"to": "光华膜材", "max_hops": 1},
    "k_one": {"to": "冯刚", "k": 1},
    "never_membership": {"to": "新能隔膜", "never_kinds": ["MEMBER_OF", "VISITED"]},
}


MODES = {"projection": "auto", "hop_by_hop": "off"}


def _answered_as(store: Neo4jStore, mode: str) -> None:
    """Every question went the way the mode says: the projection is built once, at the first
    question (the graph is small), and answers all of them; or every one goes hop by hop."""
    stats = store.projection.stats
    if mode == "projection":
        assert stats["projection"] > 0 and stats["neighbourhood"] == 0 and stats["builds"] == 1, stats
    else:
        assert stats["projection"] == 0 and stats["neighbourhood"] > 0 and stats["builds"] == 0, stats


@pytest.fixture(params=sorted(MODES))
def paths_neo4j(request, neo4j_store):
    """The (empty, locked) test database behind a store answering paths in one mode."""
    with Neo4jStore(neo4j_store.uri, neo4j_store.user, database=neo4j_store.database, driver=neo4j_store._driver,
                    projection=MODES[request.param]) as store:
        yield store, request.param


def test_golden_county_answers_the_same_on_neo4j(paths_neo4j, tmp_path):
    neo4j, mode = paths_neo4j
    load(neo4j)
    with EmbeddedStore(tmp_path / "golden.db") as embedded:
        load(embedded)
        questions = {**QUERIES, **GOLDEN_EXTRA}
        for name, params in questions.items():
            expected = ask(embedded, params)
            assert "error" not in expected, (name, expected)
            assert ask(neo4j, params) == expected, name
        assert sum(len(ask(embedded, p)["paths"]) for p in questions.values()) > 30
    _answered_as(neo4j, mode)


@pytest.fixture(params=sorted(MODES))
def small_cap_neo4j(request, neo4j_store):
    """The (empty, locked) test database behind a store whose schema caps hubs at 3 ties."""
    with Neo4jStore(neo4j_store.uri, neo4j_store.user, database=neo4j_store.database, schema=small_cap_schema(3),
                    driver=neo4j_store._driver, projection=MODES[request.param]) as store:
        yield store, request.param


def test_random_questions_answer_the_same_on_neo4j(small_cap_neo4j, tmp_path, monkeypatch):
    neo4j, mode = small_cap_neo4j
    monkeypatch.setattr(pathfetch, "_FIRST_RADIUS", 0.4)
    schema = neo4j.schema
    with EmbeddedStore(tmp_path / "county.db", schema=schema) as embedded:
        ids = write_random_county(embedded, seed=2024, people=150, firms=30)
        dump = io.StringIO()
        export_graph(embedded, dump)
        import_graph(neo4j, io.StringIO(dump.getvalue()))
        rng = random.Random(7)
        asked = found = cut = 0
        for params in random_questions(embedded, ids, seed=2024, count=300):
            work_limit = rng.choice([None] * 8 + [6, 12])
            expected = ask(embedded, params, work_limit=work_limit)
            assert ask(neo4j, params, work_limit=work_limit) == expected, params
            asked += 1
            found += len(expected.get("paths", ()))
            cut += bool(expected.get("truncated"))
    assert asked == 300 and found > 300 and cut >= 3
    _answered_as(neo4j, mode)
