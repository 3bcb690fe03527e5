from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from leadgraph.errors import SchemaError
from leadgraph.ingest.mapping import load_mappings
from leadgraph.schema import SCHEMA_PATH, load_schema


def _broken_schema(tmp_path: Path, mutate) -> Path:
    raw = yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "schema.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_bundled_schema_declares_every_domain_kind():
    schema = load_schema()
    assert set(schema.nodes) == {"Person", "Organization", "ChainSegment", "Region", "Project", "Event"}
    assert {"listed", "association"} <= set(schema.node("Organization").kinds)
    assert "zone" in schema.node("Region").levels
    assert schema.node("Project").stages == ("线索", "在谈", "签约", "开工", "投产", "入统")


def test_natural_keys_follow_the_declared_priorities():
    schema = load_schema()
    assert schema.node("Organization").keys[0] == ("credit_code",)
    assert ("stock_code",) in schema.node("Organization").keys
    assert schema.node("Person").keys[:2] == (("name", "mobile"), ("name", "org_name"))
    assert schema.node("Region").keys[0] == ("code",)


def test_person_tie_strength_depends_on_context():
    knows = load_schema().edge("KNOWS")
    assert knows.default_strength({"context": "亲属"}) > knows.default_strength({"context": "同学"})
    assert knows.default_strength({"context": "同学"}) > knows.default_strength({"context": "同乡"})
    assert knows.default_strength({}) == knows.strength


def test_schema_with_unknown_edge_end_names_the_fault(tmp_path):
    path = _broken_schema(tmp_path, lambda raw: raw["edges"]["KNOWS"].update({"to": ["Persn"]}))
    with pytest.raises(SchemaError, match="edge 'KNOWS' names unknown node kind 'Persn'"):
        load_schema(path)


def test_schema_with_key_on_undeclared_property_names_the_fault(tmp_path):
    path = _broken_schema(tmp_path, lambda raw: raw["nodes"]["Person"]["keys"].insert(0, ["wechat"]))
    with pytest.raises(SchemaError, match=r"nodes\.Person.*natural key part 'wechat'"):
        load_schema(path)


def test_schema_with_out_of_range_strength_names_the_fault(tmp_path):
    path = _broken_schema(tmp_path, lambda raw: raw["edges"]["FROM"].update({"strength": 3}))
    with pytest.raises(SchemaError, match=r"edges\.FROM\.strength"):
        load_schema(path)


def test_schema_that_is_not_yaml_is_refused_with_one_message(tmp_path):
    path = tmp_path / "schema.yaml"
    path.write_text("nodes: {Person: [", encoding="utf-8")
    with pytest.raises(SchemaError, match="not valid YAML"):
        load_schema(path)


def test_mappings_naming_an_undeclared_property_fail_at_load(tmp_path):
    from leadgraph.ingest.mapping import MAPPINGS_PATH

    raw = yaml.safe_load(MAPPINGS_PATH.read_text(encoding="utf-8"))
    raw["kinds"]["contacts"]["produce"][0]["node"]["set"]["wechat"] = "mobile"
    path = tmp_path / "mappings.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemaError, match="Person has no property 'wechat'"):
        load_mappings(path)
