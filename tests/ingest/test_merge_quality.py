"""Merge quality as CI sees it: the generator of ``bench/merge_quality.py``, smaller.

A regression in entity resolution (a rule that merges namesakes, or misses 简称) fails
here; the full-size measurement and its output are in docs/benchmarks.md.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_BENCH = Path(__file__).resolve().parents[2] / "bench" / "merge_quality.py"


@pytest.fixture(scope="module")
def merge_quality():
    spec = importlib.util.spec_from_file_location("bench_merge_quality", _BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [7, 23])
def test_merges_planted_duplicates_and_keeps_planted_homonyms_apart(merge_quality, tmp_path, seed):
    world = merge_quality.make_world(people=150, companies=40, seed=seed)
    assert sum(p.homonym for p in world.people) >= 30 and any(c.twin for c in world.companies)
    result = merge_quality.measure(world, tmp_path)
    for kind in ("people", "companies"):
        quality = result[kind]
        assert quality.records >= 240, kind
        assert quality.precision >= 0.98, (kind, quality)
        assert quality.recall >= 0.95, (kind, quality)
    assert result["rejected_rows"] == 0
    assert result["reimport"] == {"nodes_created": 0, "review_items_added": 0, "counts_unchanged": True}
