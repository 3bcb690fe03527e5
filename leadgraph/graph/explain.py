"""Chinese sentences that explain one tie of a referral path, with its evidence.

Each traversable edge kind has one phrasing, read in the edge's declared direction
(``王建国包保联系 张伟`` whichever way the path runs); ``tests/paths`` fails when a
traversable kind has none. No personal property (mobile, landline) is ever quoted.

Examples
--------
>>> from leadgraph.graph.model import Edge, Node
>>> a = Node("per:1", "Person", "张伟", {})
>>> b = Node("per:2", "Person", "李明", {})
>>> tie = Edge("e:1", "KNOWS", "per:1", "per:2", {"context": "同学", "note": "大学同学"})
>>> tie_sentence(tie, a, b, sources=["乡贤名录2024"])
'张伟与李明为同学（大学同学）（来源：乡贤名录2024）'
>>> boss = Node("per:0", "Person", "王建国", {"title": "县长", "roles": ["leader"]})
>>> tie_sentence(Edge("e:2", "ASSIGNED_TO", "per:0", "per:1", {}), boss, a, first=boss)
'王建国（县长）包保联系 张伟'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from leadgraph.graph.model import Edge, Node

__all__ = ["PHRASES", "tie_sentence", "person_label"]

_CONTEXT = {
    "亲属": "亲属", "同学": "同学", "战友": "战友", "同事": "同事", "朋友": "朋友",
    "业务": "业务伙伴", "同乡": "同乡", "其他": "相识",
}  # fmt: skip
_ROLE_LABEL = {"leader": "县领导", "officer": "驻外招商", "ambassador": "招商大使", "contact": "在外乡贤"}


def person_label(node: Node) -> str:
    """A name with the title (or our-side role) that says who this is: ``王建国（县长）``."""
    if node.kind != "Person":
        return node.name
    title = node.props.get("title")
    if not title:
        title = next((_ROLE_LABEL[r] for r in ("leader", "officer", "ambassador", "contact") if r in node.roles), None)
    return f"{node.name}（{title}）" if title else node.name


def _size(hub_size: float | None, unit: str) -> str:
    return f"（约 {int(hub_size)} {unit}）" if hub_size and hub_size > 12 else ""


def _works_at(p: dict[str, Any], a: str, b: str, size: float | None) -> str:
    if p.get("title"):
        return f"{a}任 {b} {p['title']}"
    if p.get("decision_maker"):
        return f"{a}是 {b} 的决策人"
    return f"{a}在 {b} 任职"


def _shareholder(p: dict[str, Any], a: str, b: str, size: float | None) -> str:
    pct = p.get("share_pct")
    return f"{a}持有 {b} {float(pct):g}% 股份" if pct not in (None, "") else f"{a}是 {b} 的股东"


def _member(p: dict[str, Any], a: str, b: str, size: float | None) -> str:
    role = p.get("role")
    body = f"{a}任 {b} {role}" if role and role != "会员" else f"{a}是 {b} 会员"
    return body + _size(size, "名会员")


def _knows(p: dict[str, Any], a: str, b: str, size: float | None) -> str:
    context = _CONTEXT.get(str(p.get("context") or "其他"), str(p.get("context")))
    note = f"（{p['note']}）" if p.get("note") else ""
    return f"{a}与{b}为{context}{note}"


def _from(p: dict[str, Any], a: str, b: str, size: float | None) -> str:
    return f"{a}籍贯 {b}" + _size(size, "人")


def _supplies(p: dict[str, Any], a: str, b: str, size: float | None) -> str:
    product = f"（{p['product']}）" if p.get("product") else ""
    return f"{a}向 {b} 供货{product}"


def _subsidiary(p: dict[str, Any], a: str, b: str, size: float | None) -> str:
    pct = f"（持股 {float(p['share_pct']):g}%）" if p.get("share_pct") not in (None, "") else ""
    return f"{a}是 {b} 的子公司{pct}"


def _assigned(p: dict[str, Any], a: str, b: str, size: float | None) -> str:
    return f"{a}包保联系 {b}"


def _visited(p: dict[str, Any], a: str, b: str, size: float | None) -> str:
    when = f"于 {p['date']} " if p.get("date") else ""
    host = f"（接待人：{p['contact_person']}）" if p.get("contact_person") else ""
    lead = "，形成有效线索" if p.get("valid_lead") else ""
    return f"{a}{when}拜访 {b}{host}{lead}"


def _attended(p: dict[str, Any], a: str, b: str, size: float | None) -> str:
    role = f"（{p['role']}）" if p.get("role") else ""
    return f"{a}参加 {b}{role}" + _size(size, "人参加")


Phrase = Callable[[dict[str, Any], str, str, "float | None"], str]

PHRASES: dict[str, Phrase] = {
    "WORKS_AT": _works_at,
    "SHAREHOLDER_OF": _shareholder,
    "MEMBER_OF": _member,
    "KNOWS": _knows,
    "FROM": _from,
    "SUPPLIES": _supplies,
    "SUBSIDIARY_OF": _subsidiary,
    "ASSIGNED_TO": _assigned,
    "VISITED": _visited,
    "ATTENDED": _attended,
}


def tie_sentence(
    edge: Edge,
    src: Node,
    dst: Node,
    *,
    sources: Sequence[str] = (),
    first: Node | None = None,
    hub_size: float | None = None,
) -> str:
    """One tie as a sentence: ``src`` and ``dst`` are the edge's own ends; ``first``
    (the node a path starts from) is named with its title."""
    a = person_label(src) if first is not None and src.id == first.id else src.name
    b = person_label(dst) if first is not None and dst.id == first.id else dst.name
    phrase = PHRASES.get(edge.kind)
    body = phrase(edge.props, a, b, hub_size) if phrase else f"{a}—{edge.kind}—{b}"
    return body + (f"（来源：{'、'.join(sources)}）" if sources else "")
