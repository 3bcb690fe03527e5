"""docker-compose.yml and the Dockerfile agree with the settings code (no Docker engine needed)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from leadgraph.settings import Settings
from tests.store.neo4j_server import no_neo4j

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _setting_variables() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        names.add(f"LEADGRAPH_{name.upper()}")
        names.update(getattr(field.validation_alias, "choices", None) or [])
    return names


def _env_file(path: str) -> dict[str, str]:
    values = {}
    for line in (ROOT / path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_neo4j_service_runs_the_official_community_image_on_loopback_with_a_volume(compose):
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert all(str(port).startswith("127.0.0.1:") for port in neo4j["ports"])
    assert any(volume.endswith(":/data") for volume in neo4j["volumes"])
    assert neo4j["volumes"][0].split(":")[0] in compose["volumes"]
    assert "7474" in " ".join(neo4j["healthcheck"]["test"])


def test_neo4j_password_comes_from_the_documented_env_file(compose):
    assert compose["services"]["neo4j"]["env_file"] == "deploy/neo4j.env"
    example = _env_file("deploy/neo4j.env.example")
    user, _, password = example["NEO4J_AUTH"].partition("/")
    assert user == "neo4j" and len(password) >= 8  # Neo4j 5 refuses shorter passwords
    assert "deploy/neo4j.env" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_api_waits_for_a_healthy_neo4j_and_is_configured_only_by_settings(compose):
    api = compose["services"]["api"]
    assert api["build"] == "."
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert all(str(port).startswith("127.0.0.1:") for port in api["ports"])
    environment = api["environment"]
    known = _setting_variables()
    unknown = [name for name in [*environment, *_env_file("deploy/neo4j.env.example")] if name not in known]
    assert unknown == [], f"not Settings fields: {unknown}"
    assert environment["LEADGRAPH_BACKEND"] == "neo4j"
    assert environment["NEO4J_URI"] == "bolt://neo4j:7687"
    assert api["env_file"] == compose["services"]["neo4j"]["env_file"]


def test_api_settings_from_compose_are_valid_and_use_the_shared_password(compose, monkeypatch):
    environment = {**_env_file("deploy/neo4j.env.example"), **compose["services"]["api"]["environment"]}
    for name in _setting_variables():
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, str(value))
    settings = Settings(host="0.0.0.0")  # what `leadgraph serve --host 0.0.0.0` builds in the container
    assert (settings.backend, settings.neo4j_uri, settings.role) == ("neo4j", "bolt://neo4j:7687", "viewer")
    assert (settings.neo4j_user, settings.neo4j_password) == ("neo4j", "change-this-password")


def test_dockerfile_installs_the_package_and_serves_beyond_loopback():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in dockerfile.splitlines()
    assert "pip install ." in dockerfile
    assert 'CMD ["leadgraph", "serve", "--host", "0.0.0.0"' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".neo4j", "deploy/neo4j.env"} <= set(ignored)


# -- docker-compose.yml's Neo4j settings are settings the real Neo4j 5.26 server knows ----------


def _image_setting(variable: str) -> str:
    """The setting the official image derives from an environment variable (its documented
    rule: drop ``NEO4J_``, ``__`` stands for ``_``, ``_`` for ``.``)."""
    return variable.removeprefix("NEO4J_").replace("__", "\0").replace("_", ".").replace("\0", "_")


def test_neo4j_settings_in_compose_are_known_to_a_real_5_26_server(compose):
    from neo4j import GraphDatabase

    from tests.store.neo4j_server import neo4j_config

    config = neo4j_config()
    if config is None:
        pytest.skip("no Neo4j test server")
    variables = [name for name in compose["services"]["neo4j"]["environment"] if name.startswith("NEO4J_")]
    wanted = sorted(_image_setting(name) for name in variables)
    assert "server.memory.pagecache.size" in wanted and "dbms.usage_report.enabled" in wanted
    with GraphDatabase.driver(config["uri"], auth=(config["user"], config["password"])) as driver:
        rows = driver.execute_query("SHOW SETTINGS YIELD name WHERE name IN $names RETURN name", names=wanted,
                                    database_=config["database"]).records  # fmt: skip
    assert sorted(row["name"] for row in rows) == wanted


def test_api_container_port_healthcheck_and_command_agree(compose):
    api = compose["services"]["api"]
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    command = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    port = command.split('"--port", "')[1].split('"')[0]
    assert f"EXPOSE {port}" in dockerfile.splitlines()
    assert [str(p).rsplit(":", 1)[1] for p in api["ports"]] == [port]
    assert f"127.0.0.1:{port}/api/health" in " ".join(api["healthcheck"]["test"])
    neo4j = compose["services"]["neo4j"]
    bolt = compose["services"]["api"]["environment"]["NEO4J_URI"].rsplit(":", 1)[1]
    assert any(str(p).endswith(f":{bolt}") for p in neo4j["ports"])
    assert "wget" in neo4j["healthcheck"]["test"][1] and "curl" not in neo4j["healthcheck"]["test"][1]  # the image has no curl


# -- make neo4j / make neo4j-stop / make test on a real server -----------------------------------
# They run the repo's Makefile and deploy/neo4j in a scratch copy of the repo, so the server
# they start and stop has its own home (never the dev server's .neo4j) and reuses its jars.

LIB = ROOT / ".neo4j" / "lib"


def _scratch_repo(tmp_path: Path) -> Path:
    import hashlib
    import shutil

    if not (LIB / ".complete").is_file():
        no_neo4j("no Neo4j jars in .neo4j/lib (run bash deploy/neo4j/neo4j.sh start once)")
    repo = tmp_path / "repo"
    (repo / "deploy" / "neo4j").mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "deploy/neo4j/neo4j.sh", "deploy/neo4j/pom.xml"):
        shutil.copy(ROOT / name, repo / name)
    venv = repo / ".venv"  # the repo's venv, seen from the copy (no install runs)
    venv.mkdir()
    for entry in (ROOT / ".venv").iterdir():
        if not entry.name.startswith(".installed-"):
            (venv / entry.name).symlink_to(entry)
    digest = hashlib.sha1((repo / "pyproject.toml").read_bytes()).hexdigest()[:12]
    (venv / f".installed-{digest}").touch()
    return repo


def _make(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LEADGRAPH_"))}
    env.update(NEO4J_LIB_DIR=str(LIB), NEO4J_HEAP_INITIAL="256m", NEO4J_HEAP_MAX="512m", NEO4J_PAGECACHE="64m",
               NEO4J_START_TIMEOUT="240")  # fmt: skip
    return subprocess.run(["make", "--no-print-directory", "-C", str(repo), *args], env=env, capture_output=True,
                          text=True, timeout=600, check=False)  # fmt: skip


def _alive(pid: int) -> bool:
    try:
        return "CommunityEntryPoint" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


def _env(repo: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in (repo / ".neo4j" / "env").read_text(encoding="utf-8").splitlines())


def _count(env: dict[str, str], write: bool = False) -> int:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(env["NEO4J_URI"], auth=(env["NEO4J_USER"], env["NEO4J_PASSWORD"])) as driver:
        if write:
            driver.execute_query("CREATE (:Probe)", database_=env["NEO4J_DATABASE"])
        return driver.execute_query("MATCH (n) RETURN count(n) AS c", database_=env["NEO4J_DATABASE"]).records[0]["c"]


def test_make_neo4j_starts_a_fresh_local_server_and_make_neo4j_stop_stops_it(tmp_path):
    repo = _scratch_repo(tmp_path)
    home = repo / ".neo4j"
    try:
        started = _make(repo, "neo4j")
        assert started.returncode == 0, started.stderr
        env, pid = _env(repo), int((home / "neo4j.pid").read_text())
        assert _alive(pid)
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert b"org.neo4j.server.CommunityEntryPoint" in cmdline
        assert f"--home-dir={home}".encode() in cmdline and f"--config-dir={home}/conf".encode() in cmdline
        port = env["NEO4J_URI"].removeprefix("bolt://127.0.0.1:")
        conf = (home / "conf" / "neo4j.conf").read_text(encoding="utf-8").splitlines()
        assert f"server.bolt.listen_address=127.0.0.1:{port}" in conf
        assert {"server.http.enabled=false", "server.https.enabled=false", "server.default_listen_address=127.0.0.1"} <= set(conf)
        assert _count(env, write=True) == 1
        again = _make(repo, "neo4j")  # a running server is restarted on a fresh, empty database
        assert again.returncode == 0, again.stderr
        assert not _alive(pid) and _count(_env(repo)) == 0
        pid = int((home / "neo4j.pid").read_text())
        stopped = _make(repo, "neo4j-stop")
        assert stopped.returncode == 0, stopped.stderr
        assert not _alive(pid) and not (home / "neo4j.pid").exists() and not (home / "env").exists()
        assert _make(repo, "neo4j-stop").returncode == 0  # stopping nothing is fine
    finally:
        _make(repo, "neo4j-stop")


@pytest.mark.parametrize("suite_exit", [1, 0])
def test_make_test_runs_the_suite_against_its_own_server_and_stops_it_whatever_the_outcome(tmp_path, suite_exit):
    repo = _scratch_repo(tmp_path)
    record = tmp_path / "suite.txt"
    suite = tmp_path / "suite"  # stands in for `python -m pytest`: what it saw, then its outcome
    suite.write_text(
        "#!/usr/bin/env bash\n"
        f"{{ echo \"pid=$(cat .neo4j/neo4j.pid)\"; echo \"require=$LEADGRAPH_REQUIRE_NEO4J\"; echo \"uri=$NEO4J_URI\"; }} > {record}\n"
        f"PYTHONPATH={ROOT} {ROOT / '.venv' / 'bin' / 'python'} -c 'from tests.test_deploy import _count; import os; print(\"nodes=%d\" % _count(os.environ))' "
        f">> {record}\n"
        f"exit {suite_exit}\n",
        encoding="utf-8",
    )
    suite.chmod(0o755)
    try:
        ran = _make(repo, "test", f"PY={suite}")
        seen = dict(line.split("=", 1) for line in record.read_text(encoding="utf-8").splitlines())
        assert (ran.returncode == 0) == (suite_exit == 0), ran.stderr
        assert seen["require"] == "1" and seen["uri"].startswith("bolt://127.0.0.1:") and seen["nodes"] == "0"
        assert not _alive(int(seen["pid"]))
        assert not (repo / ".neo4j" / "neo4j.pid").exists() and not (repo / ".neo4j" / "env").exists()
    finally:
        _make(repo, "neo4j-stop")
