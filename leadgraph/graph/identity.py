"""Natural keys, stable ids and property merging, shared by every backend.

A node's id is a keyed hash (HMAC-SHA1) of the natural key it was created under, as
followthemoney signs ids with its namespace. The key matters: a person's natural key
holds the mobile, and a plain hash of ``name + mobile`` would give any viewer who sees the
id and the masked number (138****2646) the full number in 10,000 guesses. Each store keeps
its own random id key (:func:`new_id_key`); stores that must agree on ids — two backends
loaded from the same lists — share one through ``LEADGRAPH_ID_KEY``. Nodes are found again
by their natural keys, never by recomputing an id, so a store's key only names new nodes.

Examples
--------
>>> from leadgraph.schema import default_schema
>>> keys = natural_keys(default_schema().node("Person"), {"name": "张伟", "mobile": "13800000000"})
>>> keys[0]
'Person|mobile=13800000000|name=张伟'
>>> node_id(default_schema().node("Person"), keys[0], "a store's id key")
'per:...'
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import unicodedata
from functools import lru_cache
from typing import Any

from leadgraph.graph.model import UpsertStatus
from leadgraph.schema import EdgeKind, NodeKind
from leadgraph.text import PLACE_FAMILIES, place_parts

__all__ = [
    "canonical",
    "same_value",
    "same_place",
    "natural_keys",
    "discriminated_keys",
    "node_id",
    "new_id_key",
    "ID_KEY_VARIABLE",
    "edge_id",
    "key_conflicts",
    "clean_props",
    "merge_props",
    "ordered_ends",
]


def canonical(value: Any) -> str:
    """Text used inside keys: NFKC, no whitespace, case-folded, brackets unified."""
    return _canonical_text(value if type(value) is str else str(value))


@lru_cache(maxsize=1 << 18)
def _canonical_text(value: str) -> str:
    # Names, companies and townships repeat across rows and lists: computed once each.
    text = unicodedata.normalize("NFKC", value)
    text = "".join(text.split()).casefold()
    return text.replace("(", "（").replace(")", "）")


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def natural_keys(kind: NodeKind, props: dict[str, Any]) -> list[str]:
    """Every declared key of ``kind`` whose parts are all present, strongest first."""
    keys = []
    for parts in kind.keys:
        ordered = _sorted_parts(parts)
        values = [props.get(p) for p in ordered]
        if None in values or "" in values:
            continue
        keys.append(kind.name + "|" + "|".join([f"{p}={canonical(v)}" for p, v in zip(ordered, values)]))
    return keys


@lru_cache(maxsize=256)
def _sorted_parts(parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(parts))


def discriminated_keys(kind: NodeKind, props: dict[str, Any]) -> dict[str, str]:
    """For each weaker key (not the first) of ``props``: the same key with the declared
    discriminators it has appended — what a second 王伟 at one company, born another year,
    owns when the plain key belongs to the first.

    >>> from leadgraph.schema import default_schema
    >>> discriminated_keys(default_schema().node("Person"), {"name": "王伟", "org_name": "示例", "birth_year": 1960})
    {'Person|name=王伟|org_name=示例': 'Person|name=王伟|org_name=示例|+birth_year=1960'}
    """
    variants = {}
    for parts in kind.keys[1:]:
        if any(props.get(p) in (None, "") for p in parts):
            continue
        extra = [(p, props[p]) for p in kind.discriminators if p not in parts and props.get(p) not in (None, "")]
        if extra:
            key = natural_keys(kind, {p: props[p] for p in parts})[0]
            variants[key] = key + "".join(f"|+{p}={canonical(v)}" for p, v in extra)
    return variants


ID_KEY_VARIABLE = "LEADGRAPH_ID_KEY"


def new_id_key() -> str:
    """The id key of a store that has none yet: ``LEADGRAPH_ID_KEY`` when set, else random."""
    return os.environ.get(ID_KEY_VARIABLE) or secrets.token_hex(16)


def node_id(kind: NodeKind, key: str, id_key: str) -> str:
    """The id of a new node created under the natural key ``key``, signed with the store's key."""
    signed = hmac.new(id_key.encode("utf-8"), key.encode("utf-8"), hashlib.sha1).hexdigest()
    return f"{kind.id_prefix}:{signed[:16]}"


def ordered_ends(edge: EdgeKind, src: str, dst: str) -> tuple[str, str]:
    """Ends as they enter the id: sorted for symmetric kinds, so A–B equals B–A."""
    if edge.symmetric and dst < src:
        return dst, src
    return src, dst


def edge_id(edge: EdgeKind, src: str, dst: str, props: dict[str, Any]) -> str:
    a, b = ordered_ends(edge, src, dst)
    discriminator = "|".join(canonical(props.get(p, "")) for p in edge.key)
    return f"e:{_digest(f'{edge.name}|{a}|{b}|{discriminator}')}"


def key_conflicts(kind: NodeKind, key_index: int, row: dict[str, Any], node: dict[str, Any]) -> bool:
    """Whether a match on a weaker key is contradicted by a stronger key's parts, or (for
    any key but the first) by a declared discriminator.

    Two 张伟 at one company are one person unless their mobiles, genders or birth years differ.
    """
    if key_index > 0:
        for part in kind.discriminators:
            if part in kind.keys[key_index]:
                continue
            mine, theirs = row.get(part), node.get(part)
            if mine not in (None, "") and theirs not in (None, "") and not same_value(kind, part, mine, theirs):
                return True
    used = set(kind.keys[key_index])
    for stronger in kind.keys[:key_index]:
        for part in stronger:
            if part in used:
                continue
            mine, theirs = row.get(part), node.get(part)
            if mine not in (None, "") and theirs not in (None, "") and canonical(mine) != canonical(theirs):
                return True
    return False


def same_value(kind: NodeKind, prop: str, a: Any, b: Any) -> bool:
    """Whether two values of ``prop`` say the same: equal canonical text, or for a place
    (``compare: township`` or ``city`` in the schema) one spelling with and one without its
    suffix (城关 / 城关镇, 宁波 / 宁波市; see :func:`same_place`).

    >>> from leadgraph.schema import default_schema
    >>> person = default_schema().node("Person")
    >>> same_value(person, "township", "城关", "城关镇"), same_value(person, "township", "城关乡", "城关镇")
    (True, False)
    """
    if canonical(a) == canonical(b):
        return True
    spec = kind.properties.get(prop)
    return spec is not None and spec.compare != "text" and same_place(a, b, spec.compare)


def same_place(a: Any, b: Any, family: str) -> bool:
    """Two spellings of one place of ``family`` (``township`` or ``city``): equal, or one stem
    with suffixes of one class or none (城关 / 城关镇, 庄桥街道 / 庄桥街道办事处, 宁波 / 宁波市);
    城关乡 and 城关镇 are two places, and so are 长沙 and 长沙县 (a county is no city).

    >>> same_place("长沙", "长沙市", "city"), same_place("长沙", "长沙县", "city"), same_place("庄桥街道", "庄桥街道办", "township")
    (True, False, True)
    """
    ca, cb = canonical(a), canonical(b)
    if ca == cb:
        return True
    allowed = PLACE_FAMILIES[family] | {""}
    (sa, xa), (sb, xb) = place_parts(ca), place_parts(cb)
    return sa == sb and xa in allowed and xb in allowed and (xa == xb or not xa or not xb)


def clean_props(props: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values: an empty cell says nothing, it must not erase a known value."""
    return {k: v for k, v in props.items() if v is not None and v != "" and v != []}


def merge_props(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Merge ``new`` into ``old``: scalars are replaced, lists (roles) are unioned.

    Returns the merged mapping and whether anything changed.
    """
    merged = dict(old)
    for key, value in clean_props(new).items():
        if isinstance(value, list):
            current = list(merged.get(key) or [])
            union = current + [v for v in value if v not in current]
            merged[key] = union
        else:
            merged[key] = value
    return merged, merged != old


def status_of(created: bool, changed: bool, new_source: bool) -> UpsertStatus:
    if created:
        return "created"
    return "updated" if changed or new_source else "unchanged"
