"""The HTTP API (FastAPI): thin routes over the store; errors rendered by one handler."""

from __future__ import annotations

from leadgraph.api.app import create_app

__all__ = ["create_app"]
