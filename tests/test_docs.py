"""Docs that must not drift from the code: list formats, commands, settings."""

from __future__ import annotations

from pathlib import Path

import typer.main

from leadgraph.cli import app
from leadgraph.ingest.formats_doc import render_formats
from leadgraph.ingest.mapping import default_mappings
from leadgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_formats_doc_is_regenerated_from_the_mappings():
    written = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    assert written == render_formats(), "run: python -m leadgraph.ingest.formats_doc > docs/formats.md"


def test_every_list_kind_and_column_is_documented():
    written = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for name, mapping in default_mappings().kinds.items():
        assert f"## `{name}`" in written, f"kind {name} is undocumented"
        for column in mapping.columns.values():
            assert column.header in written, f"{name}.{column.header} is undocumented"


def test_every_cli_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = typer.main.get_command(app).commands
    for name in commands:
        assert f"leadgraph {name}" in readme, f"command '{name}' is undocumented in README.md"


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        env = f"LEADGRAPH_{name.upper()}"
        aliases = getattr(field.validation_alias, "choices", None) or []
        assert env in readme or any(a in readme for a in aliases), f"setting '{name}' is undocumented"


def test_readme_quick_start_is_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
