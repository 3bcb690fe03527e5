"""The golden county, loaded once per session for every referral-path test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leadgraph.graph import EmbeddedStore, GraphStore
from tests.fixtures.golden_county import load


@pytest.fixture(scope="session")
def golden_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("golden") / "golden.db"
    with EmbeddedStore(path) as store:
        load(store)
    return str(path)


@pytest.fixture(scope="session")
def golden(golden_db: str) -> Iterator[GraphStore]:
    with EmbeddedStore(golden_db) as store:
        yield store
