"""The backends every store test runs against (one shared test body)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadgraph.graph import EmbeddedStore, GraphStore

BACKENDS = ["embedded"]


@pytest.fixture(params=BACKENDS)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    if request.param == "embedded":
        with EmbeddedStore(tmp_path / "contract.db") as store:
            yield store
