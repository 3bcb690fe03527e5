"""Dependencies that route signatures read like sentences with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from leadgraph.graph import GraphStore
from leadgraph.settings import Settings

__all__ = ["StoreDep", "SettingsDep"]


def _store(request: Request) -> GraphStore:
    return request.app.state.store


def _settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[GraphStore, Depends(_store)]
SettingsDep = Annotated[Settings, Depends(_settings)]
