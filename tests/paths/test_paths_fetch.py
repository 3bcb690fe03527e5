"""A neighbourhood fetched for one question answers exactly as the whole graph does.

The embedded store is asked twice: as itself (the whole graph's index) and through
neighbourhood fetching (what a server store does, see leadgraph.graph.pathfetch), on
random counties with a tiny hub cap so that capped hubs are everywhere, and from a small
first radius so that most questions need the neighbourhood to grow. Every answer must
be the same JSON, work counters included; only the elapsed time may differ.
"""

from __future__ import annotations

from datetime import date

import pytest

from leadgraph.errors import LeadgraphError
from leadgraph.graph import EmbeddedStore, pathfetch
from leadgraph.graph.paths import PathQuery, find_paths
from tests.paths.fetching import FetchingStore, random_questions, small_cap_schema, write_random_county

AS_OF = date(2024, 12, 31)


def ask(store, params, **extra):
    """One answer without its elapsed time. The time bound is generous: these tests are
    about identical answers, not speed (a busy machine must not truncate one side)."""
    extra.setdefault("time_limit", 60)
    try:
        answer = find_paths(store, PathQuery(
            to=params["to"], from_=tuple(params.get("from", ())), k=params.get("k"), max_hops=params.get("max_hops"),
            exclude=tuple(params.get("exclude", ())), only_kinds=tuple(params.get("only_kinds", ())),
            never_kinds=tuple(params.get("never_kinds", ())), as_of=AS_OF, **extra,
        ))
    except LeadgraphError as exc:
        return {"error": type(exc).__name__, "message": exc.message}
    answer["stats"].pop("elapsed_ms")
    return answer


class Spy:
    """Counts how much of the graph each fetched neighbourhood held, and how often it grew."""

    def __init__(self, monkeypatch):
        self.views = []
        original = pathfetch.Neighbourhood.__init__

        def init(view, *args, **kwargs):
            original(view, *args, **kwargs)
            self.views.append(view)

        monkeypatch.setattr(pathfetch.Neighbourhood, "__init__", init)


@pytest.mark.parametrize("seed,cap,first", [(1, 3, 0.3), (2, 4, 2.0), (3, 1000, 0.5), (4, 2, 0.1), (5, 6, 1.0)])
def test_fetched_neighbourhood_answers_like_the_whole_graph(tmp_path, monkeypatch, seed, cap, first):
    monkeypatch.setattr(pathfetch, "_FIRST_RADIUS", first)
    spy = Spy(monkeypatch)
    schema = small_cap_schema(cap)
    path = tmp_path / "county.db"
    with EmbeddedStore(path, schema=schema) as whole:
        ids = write_random_county(whole, seed)
    with EmbeddedStore(path, schema=schema) as whole, FetchingStore(path, schema=schema) as fetching:
        found = 0
        for params in random_questions(whole, ids, seed, 60):
            expected = ask(whole, params)
            assert ask(fetching, params) == expected, params
            found += len(expected.get("paths", ()))
        assert found > 30  # the questions do have answers
        size = whole.graph.number_of_nodes()
    assert sum(v.rounds > 1 for v in spy.views) >= 5  # neighbourhoods had to grow
    assert sum(len(v.rows) < size / 2 for v in spy.views) >= 5  # and held a part of the graph


def test_a_tight_work_bound_truncates_the_same_way(tmp_path, monkeypatch):
    monkeypatch.setattr(pathfetch, "_FIRST_RADIUS", 0.2)
    schema = small_cap_schema(3)
    path = tmp_path / "county.db"
    with EmbeddedStore(path, schema=schema) as whole:
        ids = write_random_county(whole, 11)
    with EmbeddedStore(path, schema=schema) as whole, FetchingStore(path, schema=schema) as fetching:
        truncated = 0
        for params in random_questions(whole, ids, 11, 40):
            expected = ask(whole, params, work_limit=12)
            assert ask(fetching, params, work_limit=12) == expected, params
            truncated += bool(expected.get("truncated"))
        assert truncated >= 5


def test_the_fetch_budget_truncates(tmp_path, monkeypatch):
    monkeypatch.setattr(pathfetch, "FETCH_LIMIT", 5)
    path = tmp_path / "county.db"
    with EmbeddedStore(path) as whole:
        ids = write_random_county(whole, 12)
    with EmbeddedStore(path) as whole, FetchingStore(path) as fetching:
        cut = 0
        for org in ids["Organization"]:
            answer = ask(fetching, {"to": org})
            if answer["truncated"]:
                cut += 1
            else:  # a neighbourhood small enough for the budget
                assert answer == ask(whole, {"to": org})
    assert cut >= len(ids["Organization"]) // 2
