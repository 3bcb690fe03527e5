"""Fixtures for the real Neo4j test server (``make neo4j`` or ``bash deploy/neo4j/neo4j.sh start``).

The server is the one named by ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD`` /
``NEO4J_DATABASE``, else by ``.neo4j/env`` (written by the start script). Without one the
Neo4j tests are skipped, unless ``LEADGRAPH_REQUIRE_NEO4J=1`` (``make test`` sets it):
then they fail. Each test starts from an empty database. To keep a mistyped
``NEO4J_URI`` from emptying real data, the fixture only ever wipes a database that
was empty when the test session first saw it (it then marks it as a test database).
Test sessions running at once on one machine (engineers share the dev server) take a
file lock per test, so no test sees another's data.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

from leadgraph.graph.neo4j_store import Neo4jStore

__all__ = ["neo4j_config", "neo4j_driver", "neo4j_store", "exclusive_use", "wipe", "no_neo4j"]

ENV_FILE = Path(__file__).resolve().parents[2] / ".neo4j" / "env"
_MARKER = "_LeadgraphTestDatabase"


def neo4j_config() -> dict[str, str] | None:
    """Connection settings of the test server, or None when none is configured."""
    values = {k: os.environ[k] for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE") if k in os.environ}
    if "NEO4J_URI" not in values and ENV_FILE.is_file():
        for line in ENV_FILE.read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition("=")
            if name.startswith("NEO4J_"):
                values[name.strip()] = value.strip()
    if "NEO4J_URI" not in values:
        return None
    return {"uri": values["NEO4J_URI"], "user": values.get("NEO4J_USER", "neo4j"),
            "password": values.get("NEO4J_PASSWORD", ""), "database": values.get("NEO4J_DATABASE", "neo4j")}


def wipe(driver: Driver, database: str) -> None:
    """Empty the test database (constraints and indexes stay)."""
    driver.execute_query(f"MATCH (n) WHERE NOT n:{_MARKER} DETACH DELETE n", database_=database)


def no_neo4j(message: str) -> None:
    """What a test does without a Neo4j: skip, or fail when the run requires Neo4j (``make test``)."""
    if os.environ.get("LEADGRAPH_REQUIRE_NEO4J") == "1":
        pytest.fail(message + " and LEADGRAPH_REQUIRE_NEO4J=1")
    pytest.skip(message)


@pytest.fixture(scope="session")
def neo4j_driver() -> Iterator[tuple[Driver, dict[str, str]]]:
    config = neo4j_config()
    if config is None:
        no_neo4j("no Neo4j test server (run `make neo4j`, or set NEO4J_URI)")
    driver = GraphDatabase.driver(
        config["uri"], auth=(config["user"], config["password"]), notifications_min_severity="OFF"
    )
    database = config["database"]
    marked = driver.execute_query(f"MATCH (m:{_MARKER}) RETURN count(m) AS c", database_=database).records[0]["c"]
    if not marked:
        used = driver.execute_query("MATCH (n) RETURN count(n) AS c", database_=database).records[0]["c"]
        if used:
            driver.close()
            pytest.fail(f"refusing to empty {config['uri']} database {database!r}: it holds {used} nodes not made by tests")
        driver.execute_query(f"CREATE (:{_MARKER})", database_=database)
    yield driver, config
    driver.close()


@contextmanager
def exclusive_use(config: dict[str, str], wait_s: float = 600.0) -> Iterator[None]:
    """Hold the machine-wide lock of this test database (other pytest runs wait)."""
    digest = hashlib.sha1(f"{config['uri']}|{config['database']}".encode()).hexdigest()[:12]
    with open(Path(tempfile.gettempdir()) / f"leadgraph-neo4j-test-{digest}.lock", "w") as handle:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the Neo4j test database stayed busy for {wait_s:.0f} s (another test run?)")
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture
def neo4j_store(neo4j_driver: tuple[Driver, dict[str, str]]) -> Iterator[Neo4jStore]:
    driver, config = neo4j_driver
    with exclusive_use(config):
        wipe(driver, config["database"])
        with Neo4jStore(config["uri"], config["user"], database=config["database"], driver=driver) as store:
            yield store
