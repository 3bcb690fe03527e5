"""Search terms of a node and the ranking of a query against them.

Both backends index the same terms and rank with :func:`rank_hit`, so a search answers
identically on SQLite and on Neo4j.

Examples
--------
>>> sorted(pinyin_terms("张伟"))
['zhangwei', 'zw']
>>> node_terms("Organization", {"name": "宁波激智科技股份有限公司"})["激智科技"]  # its core name
2
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pypinyin import Style, pinyin

from leadgraph.graph import orgnames
from leadgraph.graph.identity import canonical
from leadgraph.graph.pinyin import lazy_pinyin_normal

__all__ = [
    "node_terms",
    "pinyin_terms",
    "normalize_query",
    "rank_hit",
    "rank_candidates",
    "hit_detail",
    "RankedHit",
    "KIND_ORDER",
]

KIND_ORDER = {"Person": 0, "Organization": 1, "ChainSegment": 2, "Project": 3, "Event": 4, "Region": 5}

# Weights: what a hit on this term is worth when the query equals it (a prefix hit
# is worth less; a substring hit of the name least).
_EXACT, _PREFIX, _SUBSTRING = 100, 50, 10

_MAX_READINGS = 4
_WORD = re.compile(r"[0-9a-z]+")


@lru_cache(maxsize=8192)
def _readings(char: str) -> list[str]:
    """Every reading of one character (names share few first characters: cached)."""
    return pinyin(char, style=Style.NORMAL, heteronym=True)[0]


@lru_cache(maxsize=65536)
def pinyin_terms(text: str) -> frozenset[str]:
    """Full pinyin and initials of ``text``; heteronyms of the first character only.

    At most four readings of the first character (曾 zeng/ceng, 单 dan/shan/chan); Latin
    words are kept as words, so "Tom Lee" gives ``tomlee`` and ``tl``.

    >>> sorted(pinyin_terms("曾伟"))
    ['cengwei', 'cw', 'zengwei', 'zw']
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("·", " ").strip()
    if not text:
        return frozenset()
    syllables = [w for chunk in lazy_pinyin_normal(text) for w in _WORD.findall(chunk.casefold())]
    if not syllables:
        return frozenset()
    firsts = [syllables[0]]
    if not text[0].isascii():
        firsts += [r for r in _readings(text[0]) if r not in firsts]
    terms = set()
    for first in firsts[:_MAX_READINGS]:
        words = [first, *syllables[1:]]
        terms.add("".join(words))
        terms.add("".join(w[0] for w in words))
    return frozenset(terms)


def node_terms(kind: str, props: dict[str, Any]) -> dict[str, int]:
    """Every term a node can be found by, with the weight of an exact hit on it."""
    name = str(props.get("name", ""))
    terms: dict[str, int] = {canonical(name): 3}
    spoken = name
    if kind == "Organization":
        core = orgnames.org_core_name(name, purpose="search")  # stored in every index: kept as it is
        terms.setdefault(canonical(core), 2)
        spoken = core
        short = props.get("short_name")
        if short:
            terms[canonical(short)] = 3
        code = props.get("stock_code")
        if code:
            terms[canonical(code)] = 3
            terms.setdefault(canonical(str(code).split(".")[0]), 3)
        if props.get("credit_code"):
            terms.setdefault(canonical(props["credit_code"]), 3)
    for term in pinyin_terms(spoken):
        terms.setdefault(term, 1)
    if kind == "Organization" and props.get("short_name"):
        for term in pinyin_terms(str(props["short_name"])):
            terms.setdefault(term, 1)
    return {t: w for t, w in terms.items() if t}


def normalize_query(query: str) -> str:
    return canonical(query)


def rank_hit(query: str, term: str, weight: int) -> int:
    """Score of one term against a normalised query; 0 when it does not match."""
    if term == query:
        return _EXACT + weight
    if term.startswith(query):
        return _PREFIX + weight
    if query in term:
        return _SUBSTRING + weight
    return 0


@dataclass(frozen=True)
class RankedHit:
    """One node that matched a query: its best term and that term's score."""

    node_id: str
    kind: str
    name: str
    term: str
    score: int


def rank_candidates(
    query: str, candidates: Iterable[tuple[str, str, str, Iterable[tuple[str, int]]]], limit: int
) -> list[RankedHit]:
    """Rank nodes ``(id, kind, name, [(term, weight), ...])`` against a normalised query.

    A node's best term wins (ties go to the smallest term); nodes are ordered by score,
    then kind, then shorter name, name and id. Every backend ranks through this one
    function, so hits and their order agree exactly.

    Examples
    --------
    >>> hits = rank_candidates("zw", [("per:2", "Person", "张巍", [("zw", 1)]),
    ...                               ("per:1", "Person", "张伟", [("zw", 1), ("zhangwei", 1)])], 5)
    >>> [(h.node_id, h.term, h.score) for h in hits]
    [('per:1', 'zw', 101), ('per:2', 'zw', 101)]
    """
    ranked = []
    for node_id, kind, name, terms in candidates:
        best: tuple[int, str] | None = None
        for term, weight in terms:
            score = rank_hit(query, term, weight)
            if score and (best is None or score > best[0] or (score == best[0] and term < best[1])):
                best = (score, term)
        if best is not None:
            ranked.append(RankedHit(node_id, kind, name, best[1], best[0]))
    ranked.sort(key=lambda h: (-h.score, KIND_ORDER.get(h.kind, 9), len(h.name), h.name, h.node_id))
    return ranked[:limit]


_DETAIL_PROPERTIES = {
    "Person": ("roles", "org_name", "title", "city", "township"),
    "Organization": ("org_kind", "short_name", "stock_code", "city"),
    "ChainSegment": ("stage",),
    "Region": ("level", "code"),
    "Project": ("stage", "amount_yi"),
    "Event": ("event_type", "date"),
}


def hit_detail(kind: str, props: dict[str, Any]) -> dict[str, Any]:
    """The few properties that tell two same-named hits apart in a result list."""
    return {k: props[k] for k in _DETAIL_PROPERTIES.get(kind, ()) if k in props}
