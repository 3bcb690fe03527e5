"""The film-material chain taxonomy (``chain.yaml``), read into plain records.

The tree is data; this module flattens it (parents before children), resolves the
inherited ``stage`` and ``industry``, and checks that every supply edge names a
declared segment.

Examples
--------
>>> chain = load_chain()
>>> chain.segment("增亮膜").parent, chain.segment("增亮膜").stage
('光学膜', '中游')
>>> ("EVA 树脂", "光伏封装胶膜") in {(s.supplier, s.buyer) for s in chain.supplies}
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["CHAIN_PATH", "Segment", "SegmentSupply", "Chain", "load_chain", "read_yaml"]

CHAIN_PATH = Path(__file__).with_name("chain.yaml")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """Parse a UTF-8 YAML file safely (with the C loader when PyYAML has it)."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_YAML_LOADER)


@dataclass(frozen=True)
class Segment:
    """One chain segment; ``leaf`` is False for group nodes such as 光学膜."""

    name: str
    parent: str
    stage: str
    industry: str
    description: str
    products: tuple[str, ...]
    leaf: bool


@dataclass(frozen=True)
class SegmentSupply:
    """A segment -> segment supply edge (供方 -> 需方)."""

    supplier: str
    buyer: str
    product: str


@dataclass(frozen=True)
class Chain:
    """The flattened taxonomy: segments in tree order and supply edges."""

    name: str
    stages: tuple[str, ...]
    segments: tuple[Segment, ...]
    supplies: tuple[SegmentSupply, ...]

    def segment(self, name: str) -> Segment:
        """The segment called ``name``; ``KeyError`` when there is none."""
        for seg in self.segments:
            if seg.name == name:
                return seg
        raise KeyError(name)

    @property
    def leaves(self) -> tuple[Segment, ...]:
        """Segments a firm can operate in (no group nodes)."""
        return tuple(s for s in self.segments if s.leaf)

    def neighbours(self, name: str) -> list[str]:
        """Segments one supply edge away from ``name``, in file order."""
        out: list[str] = []
        for edge in self.supplies:
            if edge.supplier == name:
                out.append(edge.buyer)
            elif edge.buyer == name:
                out.append(edge.supplier)
        return out


def _flatten(nodes: list[dict[str, Any]], parent: str, stage: str, industry: str,
             out: list[Segment]) -> None:
    for node in nodes:
        node_stage = node.get("stage", stage)
        node_industry = node.get("industry", industry)
        children = node.get("children") or []
        out.append(Segment(
            name=node["name"], parent=parent, stage=node_stage, industry=node_industry,
            description=node.get("description", ""), products=tuple(node.get("products", ())),
            leaf=not children,
        ))
        _flatten(children, node["name"], node_stage, node_industry, out)


def load_chain(path: Path = CHAIN_PATH) -> Chain:
    """Read and check the chain taxonomy at ``path``.

    Raises ``ValueError`` naming the fault when a name repeats, a stage is undeclared
    or a supply edge names an unknown segment.
    """
    raw = read_yaml(path)
    stages = tuple(raw["stages"])
    segments: list[Segment] = []
    _flatten(raw["segments"], "", "", "", segments)
    names = [s.name for s in segments]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"chain segment names repeat: {dupes}")
    for seg in segments:
        if seg.stage not in stages:
            raise ValueError(f"segment '{seg.name}' has undeclared stage '{seg.stage}'")
        if seg.leaf and not seg.products:
            raise ValueError(f"leaf segment '{seg.name}' lists no products")
    known = set(names)
    supplies = []
    for edge in raw.get("supplies", []):
        for end in (edge["from"], edge["to"]):
            if end not in known:
                raise ValueError(f"supply edge names unknown segment '{end}'")
        supplies.append(SegmentSupply(edge["from"], edge["to"], edge.get("product", "")))
    return Chain(raw["name"], stages, tuple(segments), tuple(supplies))
