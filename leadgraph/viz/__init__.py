"""Rendering of what :mod:`leadgraph.graph` returns: self-contained HTML, no network access."""

from __future__ import annotations

from leadgraph.viz.network import KIND_COLORS, neighbourhood_html

__all__ = ["KIND_COLORS", "neighbourhood_html"]
