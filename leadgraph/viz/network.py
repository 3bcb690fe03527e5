"""One node's neighbourhood as an interactive, self-contained pyvis page.

The page inlines vis-network from the pyvis package and fetches nothing: county
intranets have no internet. Colours come from the node kinds declared in the schema,
labels from their Chinese names.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pyvis
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from pyvis.network import Network

from leadgraph.graph import GraphStore
from leadgraph.privacy import mask_props

__all__ = ["KIND_COLORS", "neighbourhood_html"]

_TEMPLATES = Path(__file__).with_name("templates")
_PYVIS_TEMPLATES = Path(pyvis.__file__).with_name("templates")

# Colour per node kind, by the kind's declared name; a kind added to the schema without
# a colour here is drawn grey rather than failing.
KIND_COLORS = {
    "Person": "#3b82f6",
    "Organization": "#f59e0b",
    "ChainSegment": "#10b981",
    "Region": "#a3a3a3",
    "Project": "#ef4444",
    "Event": "#8b5cf6",
}
_OTHER = "#9ca3af"


def _tooltip(store: GraphStore, kind: str, props: dict, role: str) -> str:
    shown = mask_props(store.schema, kind, props, role)
    spec = store.schema.node(kind)
    lines = [
        f"{spec.properties[k].label}：{'、'.join(v) if isinstance(v, list) else v}"
        for k, v in shown.items()
        if k in spec.properties and k != "name"
    ]
    return "\n".join(lines)


def neighbourhood_html(store: GraphStore, node_id: str, *, role: str = "viewer", limit: int = 200) -> str:
    """An HTML page drawing ``node_id`` and up to ``limit`` of its ties.

    Raises :class:`~leadgraph.errors.NotFound` for an unknown id.
    """
    centre = store.node(node_id)
    neighbours, truncated = store.neighbours(node_id, limit=limit)
    net = Network(height="720px", width="100%", directed=True, cdn_resources="in_line")
    net.templateEnv = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(_TEMPLATES)), FileSystemLoader(str(_PYVIS_TEMPLATES))]),
        autoescape=False,
    )
    net.path = "network.html"
    for node in [centre, *(n.node for n in neighbours)]:
        if node.id in net.get_nodes():
            continue
        net.add_node(
            node.id,
            label=node.name,
            title=_tooltip(store, node.kind, node.props, role),
            color=KIND_COLORS.get(node.kind, _OTHER),
            size=28 if node.id == centre.id else 16,
        )
    for n in neighbours:
        spec = store.schema.edge(n.edge.kind)
        detail = n.edge.props.get("title") or n.edge.props.get("context") or n.edge.props.get("role") or ""
        sources = "、".join(s.source for s in n.edge.sources)
        net.add_edge(
            n.edge.src, n.edge.dst,
            label=f"{spec.label}{'·' + str(detail) if detail else ''}",
            title=f"来源：{sources}",
            arrows="" if spec.symmetric else "to",
        )
    net.set_options(json.dumps({"physics": {"stabilization": {"iterations": 150}}, "edges": {"font": {"size": 11}}}))
    kinds = {centre.kind, *(n.node.kind for n in neighbours)}
    legend = "".join(
        f'<span><i style="background:{KIND_COLORS.get(k, _OTHER)}"></i>{escape(store.schema.node(k).label)}</span>'
        for k in sorted(kinds)
    )
    if truncated:
        legend += f"<span>（关系过多，仅显示前 {limit} 条）</span>"
    net.heading = escape(f"{centre.name} 的关系网络")
    # pyvis renders only its own variables; the legend slot is filled afterwards.
    return net.generate_html().replace('<div class="legend"></div>', f'<div class="legend">{legend}</div>', 1)
