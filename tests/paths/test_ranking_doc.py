"""docs/ranking.md and docs/api.md stay true: their examples run, their parameters match."""

from __future__ import annotations

import doctest
from pathlib import Path

from leadgraph.schema import default_schema

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_ranking_doc_examples_are_computed_by_the_code():
    result = doctest.testfile(str(DOCS / "ranking.md"), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10
    assert result.failed == 0


def test_every_ranking_parameter_is_documented():
    text = (DOCS / "ranking.md").read_text(encoding="utf-8")
    for name in type(default_schema().ranking).model_fields:
        assert f"`{name}" in text, f"ranking.{name} is not documented in docs/ranking.md"


def test_paths_api_and_every_parameter_are_documented():
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    assert "GET /api/paths" in text
    for parameter in ("to", "from", "k", "max_hops", "exclude", "only_kinds", "never_kinds", "as_of", "time_limit"):
        assert f"`{parameter}`" in text, f"parameter {parameter} is not documented in docs/api.md"
    for field in ("score", "weakest", "hops", "relation", "explanation", "sources", "truncated"):
        assert f'"{field}"' in text
