"""The backends every store test runs against (one shared test body)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadgraph.graph import EmbeddedStore, GraphStore
from tests.store.neo4j_server import neo4j_driver, neo4j_store  # noqa: F401  (fixtures)

BACKENDS = ["embedded", "neo4j"]


@pytest.fixture(params=BACKENDS)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    if request.param == "embedded":
        with EmbeddedStore(tmp_path / "contract.db") as store:
            yield store
    else:
        yield request.getfixturevalue("neo4j_store")
