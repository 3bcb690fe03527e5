"""Neo4j's path projection: used while fresh, stale after any client's write, rebuilt at once
(small graphs) or in the background, and never a reason for a question to fail.

Which way a question went is read from ``store.projection.stats``, never from timings.
"""

from __future__ import annotations

import logging
from datetime import date

import pytest

from leadgraph.graph import EmbeddedStore, neo4j_projection, pathfetch
from leadgraph.graph.neo4j_store import Neo4jStore
from leadgraph.graph.paths import PathQuery, find_paths, resolve_node
from tests.fixtures.golden_county import AS_OF, load
from tests.paths.test_paths_fetch import ask

GUANGHUA = {"to": "光华膜材"}
PEOPLE = frozenset({"Person"})


@pytest.fixture
def config(neo4j_driver):
    return neo4j_driver[1]


def _own_store(config, **options) -> Neo4jStore:
    """A store with a driver of its own: another client of the same server."""
    return Neo4jStore(config["uri"], config["user"], config["password"], config["database"], **options)


def _starts(answer):
    return {path["start"]["name"] for path in answer["paths"]}


def _broken(source):
    raise RuntimeError("the server went away mid-read")
    yield  # pragma: no cover


def _add_leader_related_to_chairman(store) -> None:
    chairman = resolve_node(store, "李明", PEOPLE).id
    with store.batch("补充名录") as batch:
        new = batch.upsert_node("Person", {"name": "赵新", "mobile": "13900000999", "roles": ["leader"]}).id
        batch.upsert_edge("KNOWS", new, chairman, {"context": "亲属"})


def test_fresh_projection_answers_every_question_without_fetching(neo4j_store, monkeypatch):
    load(neo4j_store)
    fetched = []
    original = pathfetch.Neighbourhood.__init__
    monkeypatch.setattr(pathfetch.Neighbourhood, "__init__", lambda view, *a, **k: fetched.append(original(view, *a, **k)))
    first = ask(neo4j_store, GUANGHUA)
    again = ask(neo4j_store, GUANGHUA)
    ask(neo4j_store, {"to": "301002"})
    assert first == again and first["paths"]
    stats = neo4j_store.projection.stats
    assert (stats["projection"], stats["neighbourhood"], stats["builds"], stats["indexes"]) == (3, 0, 1, 1)
    assert not fetched


def test_database_state_changes_with_every_commit_of_any_client(neo4j_store, config):
    load(neo4j_store)
    before = neo4j_store.database_state()
    neo4j_store.counts()
    assert neo4j_store.database_state() == before  # reads commit nothing
    with _own_store(config) as other:
        _add_leader_related_to_chairman(other)
    assert neo4j_store.database_state() != before


def test_a_write_through_another_store_makes_the_projection_stale(neo4j_store, config, tmp_path):
    load(neo4j_store)
    before = ask(neo4j_store, GUANGHUA)
    assert "赵新" not in _starts(before)
    with _own_store(config) as other:
        _add_leader_related_to_chairman(other)
    after = ask(neo4j_store, GUANGHUA)
    assert "赵新" in _starts(after)
    with EmbeddedStore(tmp_path / "golden.db") as embedded:
        load(embedded)
        _add_leader_related_to_chairman(embedded)
        assert after == ask(embedded, GUANGHUA)
    stats = neo4j_store.projection.stats
    assert (stats["projection"], stats["neighbourhood"], stats["builds"]) == (2, 0, 2)


def test_a_write_while_the_projection_is_read_leaves_it_stale(neo4j_store, config, monkeypatch):
    load(neo4j_store)
    original = neo4j_projection.Neo4jGraphSource.edges
    written = []

    def edges_then_a_write(source):
        yield from original(source)
        if not written:  # the pages are read; another client commits before the projection is kept
            with _own_store(config) as other:
                _add_leader_related_to_chairman(other)
            written.append(True)

    monkeypatch.setattr(neo4j_projection.Neo4jGraphSource, "edges", edges_then_a_write)
    first = ask(neo4j_store, GUANGHUA)  # answered from a projection that missed the write
    assert "赵新" not in _starts(first)
    second = ask(neo4j_store, GUANGHUA)  # its state is older than the database's: read again
    assert "赵新" in _starts(second)
    assert neo4j_store.projection.stats["builds"] == 2


def test_a_big_graph_is_answered_hop_by_hop_while_the_projection_builds_in_the_background(neo4j_store, tmp_path):
    load(neo4j_store)
    with Neo4jStore(neo4j_store.uri, neo4j_store.user, database=neo4j_store.database, driver=neo4j_store._driver,
                    projection_sync_below=10) as store, EmbeddedStore(tmp_path / "golden.db") as embedded:
        load(embedded)
        expected = ask(embedded, GUANGHUA)
        assert ask(store, GUANGHUA) == expected
        assert store.projection.wait(60)
        assert ask(store, GUANGHUA) == expected
        stats = store.projection.stats
        assert (stats["neighbourhood"], stats["projection"], stats["builds"]) == (1, 1, 1)


def test_inline_mode_builds_a_small_graph_at_once_and_never_starts_a_background_build(neo4j_store, tmp_path):
    """``inline`` is for one-shot processes (the CLI): a build they would drop at exit is not started."""
    load(neo4j_store)
    with EmbeddedStore(tmp_path / "golden.db") as embedded:
        load(embedded)
        expected = ask(embedded, GUANGHUA)
    common = {"database": neo4j_store.database, "driver": neo4j_store._driver, "projection": "inline"}
    with Neo4jStore(neo4j_store.uri, neo4j_store.user, projection_sync_below=10, **common) as big:
        assert ask(big, GUANGHUA) == expected
        assert ask(big, GUANGHUA) == expected
        assert big.projection._thread is None
        stats = big.projection.stats
        assert (stats["neighbourhood"], stats["projection"], stats["builds"]) == (2, 0, 0)
    with Neo4jStore(neo4j_store.uri, neo4j_store.user, **common) as small:
        assert ask(small, GUANGHUA) == expected
        assert small.projection._thread is None
        stats = small.projection.stats
        assert (stats["neighbourhood"], stats["projection"], stats["builds"]) == (0, 1, 1)


def test_a_failing_background_build_never_breaks_a_question(neo4j_store, tmp_path, monkeypatch, caplog):
    load(neo4j_store)
    monkeypatch.setattr(neo4j_projection.Neo4jGraphSource, "nodes", _broken)
    with Neo4jStore(neo4j_store.uri, neo4j_store.user, database=neo4j_store.database, driver=neo4j_store._driver,
                    projection="background") as store, EmbeddedStore(tmp_path / "golden.db") as embedded:
        load(embedded)
        expected = ask(embedded, GUANGHUA)
        with caplog.at_level(logging.ERROR, logger="leadgraph.graph.neo4j_projection"):
            assert ask(store, GUANGHUA) == expected
            assert store.projection.wait(60)
            assert ask(store, GUANGHUA) == expected  # within retry_after: no new attempt
            store.projection.wait(60)
        stats = store.projection.stats
        assert (stats["failed_builds"], stats["neighbourhood"], stats["projection"]) == (1, 2, 0)
        assert "projection failed" in caplog.text and "went away" in caplog.text

        monkeypatch.undo()
        store.projection.retry_after = 0.0
        assert ask(store, GUANGHUA) == expected  # retried, in the background
        assert store.projection.wait(60)
        assert ask(store, GUANGHUA) == expected
        assert (stats["failed_builds"], stats["builds"], stats["projection"]) == (1, 1, 1)


def test_a_failing_build_at_question_time_falls_back_to_hop_by_hop(neo4j_store, tmp_path, monkeypatch):
    load(neo4j_store)
    monkeypatch.setattr(neo4j_projection.Neo4jGraphSource, "edges", _broken)
    with EmbeddedStore(tmp_path / "golden.db") as embedded:
        load(embedded)
        expected = ask(embedded, GUANGHUA)
        assert ask(neo4j_store, GUANGHUA) == expected
        assert ask(neo4j_store, GUANGHUA) == expected  # within retry_after: not tried again
        stats = neo4j_store.projection.stats
        assert (stats["failed_builds"], stats["neighbourhood"], stats["projection"]) == (1, 2, 0)
        monkeypatch.undo()
        neo4j_store.projection.retry_after = 0.0
        assert ask(neo4j_store, GUANGHUA) == expected
        assert (stats["failed_builds"], stats["builds"], stats["projection"]) == (1, 1, 1)


def test_another_date_derives_its_index_without_reading_the_graph_again(neo4j_store, tmp_path):
    load(neo4j_store)

    def answer(store, as_of):
        found = find_paths(store, PathQuery(to="301002", as_of=date.fromisoformat(as_of), time_limit=60))
        found["stats"].pop("elapsed_ms")
        return found

    with EmbeddedStore(tmp_path / "golden.db") as embedded:
        load(embedded)
        for as_of in ("2024-12-31", "2019-06-30", "2024-12-31"):
            assert answer(neo4j_store, as_of) == answer(embedded, as_of)
        assert answer(embedded, "2019-06-30") != answer(embedded, "2024-12-31")  # visits age, so the date matters
    stats = neo4j_store.projection.stats
    assert (stats["builds"], stats["indexes"], stats["projection"]) == (1, 2, 3)


def test_projection_off_always_fetches_hop_by_hop(neo4j_store, config):
    load(neo4j_store)
    with _own_store(config, projection="off") as store:
        assert ask(store, GUANGHUA)["paths"]
        stats = store.projection.stats
        assert (stats["neighbourhood"], stats["projection"], stats["builds"]) == (1, 0, 0)
        assert store.projected_index(AS_OF) is None


def test_an_unknown_projection_mode_is_refused(config):
    with pytest.raises(ValueError, match="auto, inline, background or off"):
        _own_store(config, projection="sometimes")
