"""The tie-strength model: how strong one edge is, and what a path of edges is worth.

Every number comes from the schema (``schema.yaml``: each edge kind's ``strength``,
``strengths``, ``hub_damped``, ``decays``, ``half_life_days``, and the ``ranking``
section); these functions only combine them. They are plain functions over plain
values, and :func:`hub_factor`, :func:`decay_factor` and :func:`hop_cost` also accept
numpy arrays, so the path index of every backend (and the benchmark's generated graph)
scores ties through this one code path.

A tie's strength is ``base × hub factor × decay factor``:

* **base** — an explicit ``strength`` written in a list (0–1, or 0–10, or 0–100) wins;
  otherwise the kind's ``strengths`` entry picked by its ``strength_by`` property;
  otherwise the kind's default ``strength``;
* **hub factor** — for a ``hub_damped`` kind (shared membership of an association,
  a township, an event), ``min(1, (reference_size / size) ** exponent)``: a 12-person
  council is not damped, an 800-member chamber is;
* **decay factor** — for a ``decays`` kind (visits, events), ``0.5 ** (age / half_life)``,
  never below ``decay_floor``; an undated tie counts as one half-life old.

A path's score is the product over its hops of ``strength × hop_penalty``, so one weak
hop sinks a route and every extra hop costs something. Search minimises the sum of
:func:`hop_cost` (``-log(strength × hop_penalty)``), which orders paths identically.

Examples
--------
>>> from leadgraph.schema import default_schema
>>> schema = default_schema()
>>> edge_strength(schema, "KNOWS", {"context": "同学"})
0.7
>>> edge_strength(schema, "KNOWS", {"context": "同学", "strength": 8})
0.8
>>> round(edge_strength(schema, "MEMBER_OF", {"role": "会员"}, hub_size=800), 4)
0.049
>>> edge_strength(schema, "MEMBER_OF", {"role": "会员"}, hub_size=12)
0.4
>>> from datetime import date
>>> edge_strength(schema, "VISITED", {"date": "2023-06-30"}, as_of=date(2024, 6, 29))
0.25
>>> round(path_score([0.85, 0.7, 0.9], schema.ranking), 4)
0.3904
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

import numpy as np

from leadgraph.schema import HubDamping, Ranking, Schema

__all__ = [
    "explicit_strength",
    "is_decision_tie",
    "base_strength",
    "hub_factor",
    "hub_size",
    "decay_factor",
    "age_days",
    "edge_strength",
    "scale_strengths",
    "hop_cost",
    "path_score",
]

Num = TypeVar("Num", float, np.ndarray)


def explicit_strength(value: Any) -> float | None:
    """A strength written in a list, read as a share of 1, 10 or 100; None if unusable.

    >>> explicit_strength(0.8), explicit_strength(8), explicit_strength(80), explicit_strength(0)
    (0.8, 0.8, 0.8, None)
    """
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    for scale in (1.0, 10.0, 100.0):
        if number <= scale:
            return round(number / scale, 10)
    return None


def is_decision_tie(schema: Schema, kind: str, props: Mapping[str, Any]) -> bool:
    """Whether an edge makes its person a decision maker of the organisation it reaches.

    A ``WORKS_AT`` with ``decision_maker`` true — or, when the flag is absent, a title
    containing one of ``decision_makers.titles`` — or a ``SHAREHOLDER_OF`` at or above
    ``decision_makers.shareholder_min_pct``.

    >>> from leadgraph.schema import default_schema
    >>> is_decision_tie(default_schema(), "WORKS_AT", {"title": "董事长"})
    True
    >>> is_decision_tie(default_schema(), "WORKS_AT", {"title": "董事长", "decision_maker": False})
    False
    >>> is_decision_tie(default_schema(), "SHAREHOLDER_OF", {"share_pct": 4.9})
    False
    """
    rules = schema.decision_makers
    if kind == "WORKS_AT":
        flag = props.get("decision_maker")
        if flag is not None:
            return bool(flag)
        return rules.is_decision_title(props.get("title"))
    if kind == "SHAREHOLDER_OF":
        try:
            return float(props.get("share_pct") or 0) >= rules.shareholder_min_pct
        except (TypeError, ValueError):
            return False
    return False


def base_strength(schema: Schema, kind: str, props: Mapping[str, Any]) -> float:
    """The strength of one edge before hub damping and decay."""
    explicit = explicit_strength(props.get("strength"))
    if explicit is not None:
        return explicit
    spec = schema.edge(kind)
    if spec.strength_by == "decision_maker" and props.get("decision_maker") is None:
        props = {**props, "decision_maker": is_decision_tie(schema, kind, props)}
    return spec.default_strength(dict(props))


def hub_factor(size: Num, damping: HubDamping) -> Num:
    """``min(1, (reference_size / size) ** exponent)``; sizes below 1 count as 1.

    >>> from leadgraph.schema import HubDamping
    >>> d = HubDamping()
    >>> hub_factor(12.0, d), round(hub_factor(800.0, d), 4), round(hub_factor(60000.0, d), 4)
    (1.0, 0.1225, 0.0141)
    """
    if isinstance(size, np.ndarray):
        return np.minimum(1.0, (damping.reference_size / np.maximum(size, 1.0)) ** damping.exponent)
    return min(1.0, (damping.reference_size / max(float(size), 1.0)) ** damping.exponent)


def hub_size(props: Mapping[str, Any], degree: int, damping: HubDamping) -> float:
    """The size of a hub: its declared size (first of ``size_props`` present) or its
    number of shared-membership ties, whichever is larger."""
    declared = 0.0
    for name in damping.size_props:
        value = props.get(name)
        if value not in (None, "") and not isinstance(value, bool):
            try:
                declared = float(value)
            except (TypeError, ValueError):
                continue
            break
    return max(declared, float(degree))


def decay_factor(age: Num | None, half_life: float, floor: float) -> Num | float:
    """``max(floor, 0.5 ** (age / half_life))``; future dates do not decay, unknown age
    (None, or NaN in an array) counts as one half-life.

    >>> decay_factor(0.0, 365, 0.1), decay_factor(365.0, 365, 0.1), decay_factor(None, 365, 0.1)
    (1.0, 0.5, 0.5)
    >>> decay_factor(3650.0, 365, 0.1)
    0.1
    """
    if isinstance(age, np.ndarray):
        filled = np.where(np.isnan(age), half_life, np.maximum(age, 0.0))
        return np.maximum(floor, 0.5 ** (filled / half_life))
    if age is None:
        age = half_life
    return max(floor, 0.5 ** (max(float(age), 0.0) / half_life))


def age_days(when: Any, as_of: date) -> float | None:
    """Days from an ISO date (``2024-05-01``, or a ``2024-05`` month) to ``as_of``."""
    if isinstance(when, date):
        return float((as_of - when).days)
    if not when:
        return None
    text = str(when)[:10]
    for candidate in (text, text[:7] + "-01", text[:4] + "-01-01"):
        try:
            return float((as_of - date.fromisoformat(candidate)).days)
        except ValueError:
            continue
    return None


def edge_strength(
    schema: Schema,
    kind: str,
    props: Mapping[str, Any],
    *,
    hub_size: float | None = None,
    when: Any = None,
    as_of: date | None = None,
) -> float:
    """The effective strength of one edge in ``(0, 1]``.

    ``hub_size`` is the size of the shared hub (see :func:`hub_size`) for a
    ``hub_damped`` kind; ``when`` is the date to age from when the edge itself carries
    no ``date`` (an attendance is as old as its event); ``as_of`` defaults to today.
    """
    spec = schema.edge(kind)
    ranking = schema.ranking
    strength = base_strength(schema, kind, props)
    if spec.hub_damped and hub_size is not None:
        strength *= hub_factor(float(hub_size), ranking.hub_damping)
    if spec.decays:
        assert spec.half_life_days is not None  # checked when the schema loads
        age = age_days(props.get("date") or when, as_of or date.today())
        strength *= decay_factor(age, spec.half_life_days, ranking.decay_floor)
    return strength


def scale_strengths(
    schema: Schema, kind_codes: np.ndarray, base: np.ndarray, hub_sizes: np.ndarray, ages: np.ndarray
) -> np.ndarray:
    """:func:`edge_strength` for many edges at once, from their base strengths.

    ``kind_codes`` index ``list(schema.edges)``; ``hub_sizes`` (used for ``hub_damped``
    kinds) and ``ages`` in days (used for ``decays`` kinds; NaN when undated) are per edge.

    >>> from leadgraph.schema import default_schema
    >>> schema = default_schema()
    >>> kinds = list(schema.edges)
    >>> codes = np.array([kinds.index("MEMBER_OF"), kinds.index("VISITED"), kinds.index("KNOWS")])
    >>> scale_strengths(schema, codes, np.array([0.4, 0.5, 0.7]), np.array([800.0, 0, 0]),
    ...                 np.array([np.nan, 365.0, np.nan])).round(4).tolist()
    [0.049, 0.25, 0.7]
    """
    ranking = schema.ranking
    strength = np.asarray(base, dtype=np.float64).copy()
    for code, spec in enumerate(schema.edges.values()):
        if not (spec.hub_damped or spec.decays):
            continue
        mask = kind_codes == code
        if not mask.any():
            continue
        if spec.hub_damped:
            strength[mask] *= hub_factor(np.asarray(hub_sizes, dtype=np.float64)[mask], ranking.hub_damping)
        if spec.decays:
            assert spec.half_life_days is not None
            strength[mask] *= decay_factor(np.asarray(ages, dtype=np.float64)[mask], spec.half_life_days,
                                           ranking.decay_floor)
    return strength


def hop_cost(strength: Num, hop_penalty: float) -> Num:
    """The additive cost search minimises for one hop: ``-log(strength × hop_penalty)``."""
    if isinstance(strength, np.ndarray):
        return -np.log(strength * hop_penalty)
    return -math.log(strength * hop_penalty)


def path_score(strengths: Iterable[float], ranking: Ranking) -> float:
    """The score of a path from its hops' strengths: the product of ``s × hop_penalty``."""
    score = 1.0
    for s in strengths:
        score *= s * ranking.hop_penalty
    return score
