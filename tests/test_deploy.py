"""docker-compose.yml and the Dockerfile agree with the settings code (no Docker engine needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from leadgraph.settings import Settings

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
