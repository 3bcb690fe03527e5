"""Entity resolution: which known node a row means when no natural key says so.

Natural keys (mobile, credit code, stock code, name + company, name + township) merge
deterministically in :class:`~leadgraph.graph.store.WriteBatch`. This module handles the
rest, by rules declared in ``resolution.yaml``:

- **People** — candidates are the known people with the same name or a name read the
  same (:func:`~leadgraph.graph.terms.pinyin_terms`); :func:`score_person` adds up the
  signals (organisation, township, city, birth year, gender, title, mobile, role).
  At or above ``merge_at`` (and clearly ahead of the runner-up) the row is loaded into
  that person with the evidence kept on the node; in the grey zone the row becomes a
  node of its own and the pair goes to the review queue; below, they are different.
- **Organisations** — :func:`match_org` says whether two names are one organisation:
  same core name (宁波激智科技有限公司 = 激智科技股份有限公司), a 简称 of it (激智), or one
  node in the store (its ``short_name``). A row resolves to a known organisation only
  when exactly one fits.

Scoring is plain functions over property dicts; :class:`EntityResolver` only looks the
candidates up through the batch, so both backends resolve identically.

Examples
--------
>>> match_org("宁波激智科技有限公司", "激智科技股份有限公司")[0]
'same'
>>> match_org("激智", "宁波激智科技股份有限公司")[0]
'same'
>>> match_org("常州市浙江商会", "浙江商会")[0]
'different'
>>> rules = default_rules()
>>> s = score_person({"name": "张伟", "org_name": "激智科技", "township": "青石镇"},
...                  {"name": "张伟", "org_name": "宁波激智科技股份有限公司", "township": "青石镇"}, rules)
>>> round(s.value, 2), s.signals
(1.0, ('name_same', 'org_same', 'township_same'))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from rapidfuzz import fuzz

from leadgraph.errors import SchemaError
from leadgraph.graph.identity import canonical
from leadgraph.graph.model import Node
from leadgraph.graph.store import Probable, WriteBatch
from leadgraph.graph.terms import org_core_name as term_core_name
from leadgraph.graph.terms import pinyin_terms
from leadgraph.ingest.normalize import OrgParts, org_parts

__all__ = [
    "RULES_PATH",
    "PERSON_SIGNALS",
    "ResolutionRules",
    "load_rules",
    "default_rules",
    "Score",
    "match_org",
    "abbreviates",
    "full_pinyin",
    "score_person",
    "EntityResolver",
]

RULES_PATH = Path(__file__).with_name("resolution.yaml")

PERSON_SIGNALS = (
    "name_same", "name_pinyin", "mobile_same", "mobile_different", "org_same", "org_similar", "org_different",
    "township_same", "township_different", "city_same", "city_different", "birth_year_same",
    "birth_year_different", "gender_different", "title_same", "industry_same", "role_conflict",
)  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonRules(_Strict):
    merge_at: float
    review_at: float
    margin: float
    max_reviews: int
    max_candidates: int
    pinyin_merge_needs: tuple[str, ...] = ()
    org_similar_ratio: float
    weights: dict[str, float]
    role_groups: tuple[tuple[str, ...], ...] = ()

    @model_validator(mode="after")
    def _known_signals(self) -> "PersonRules":
        for name in (*self.weights, *self.pinyin_merge_needs):
            if name not in PERSON_SIGNALS:
                raise ValueError(f"unknown signal '{name}' (known: {', '.join(PERSON_SIGNALS)})")
        missing = [s for s in PERSON_SIGNALS if s not in self.weights]
        if missing:
            raise ValueError(f"weights missing for: {', '.join(missing)}")
        if not 0 < self.review_at <= self.merge_at <= 1:
            raise ValueError("need 0 < review_at <= merge_at <= 1")
        return self


class OrganizationRules(_Strict):
    core_score: float
    abbreviation_score: float
    review_score: float
    max_reviews: int
    max_candidates: int


class ResolutionRules(_Strict):
    version: int
    person: PersonRules
    organization: OrganizationRules


def load_rules(path: str | Path = RULES_PATH) -> ResolutionRules:
    """Read and check ``resolution.yaml``; one :class:`SchemaError` names the fault."""
    path = Path(path)
    try:
        return ResolutionRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            detail = f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
        else:
            detail = str(exc)
        raise SchemaError(f"resolution rules {path}: {detail}") from None


@lru_cache(maxsize=1)
def default_rules() -> ResolutionRules:
    return load_rules()


# ------------------------------------------------------------------- organisations

OrgVerdict = Literal["same", "similar", "different"]


@lru_cache(maxsize=65536)
def _parts(name: str) -> OrgParts:
    return org_parts(name)


def _regions_conflict(a: OrgParts, b: OrgParts) -> bool:
    """Both names carry a region and none of one's regions is among the other's."""
    if not a.regions or not b.regions:
        return False
    return not any(x.startswith(y) or y.startswith(x) for x in a.regions for y in b.regions)


def abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` is a 简称 of ``full``: no legal form of its own, a shorter core that
    starts like the full core and whose characters all appear in it in order (激智 → 激智科技,
    中石化 → 中国石油化工).

    Examples
    --------
    >>> abbreviates("激智", "宁波激智科技股份有限公司"), abbreviates("科技", "宁波激智科技股份有限公司")
    (True, False)
    """
    s, f = _parts(short), _parts(full)
    if s.legal_form or s.institution or f.institution or s.branch != f.branch or _regions_conflict(s, f):
        return False  # a registered name (…有限公司) is nobody's 简称
    a, b = s.core, f.core
    if len(a) < 2 or len(a) >= len(b) or a[0] != b[0]:
        return False
    it = iter(b)
    return all(ch in it for ch in a)


def match_org(a: str, b: str, *, similar_ratio: float = 88.0) -> tuple[OrgVerdict, str]:
    """Whether two organisation names are one organisation, with the reason in Chinese.

    ``same``: equal names, equal core names (in compatible regions), or one abbreviates
    the other; ``similar``: the same core in two regions, or core names alike (rapidfuzz
    ratio ≥ ``similar_ratio``); otherwise ``different``. Institutions (商会, 大学, 政府…)
    are only ever the same when written the same.
    """
    if canonical(a) == canonical(b):
        return "same", f"单位相同（{a}）"
    pa, pb = _parts(a), _parts(b)
    if pa.institution or pb.institution or pa.branch != pb.branch:
        return "different", f"单位不同（{a} / {b}）"
    if pa.stem == pb.stem and len(pa.stem) >= 2:
        if _regions_conflict(pa, pb):
            return "similar", f"单位核心名相同但地区不同（{a} / {b}）"
        return "same", f"单位相同：{a} ≈ {b}（核心名「{pa.core if pa.core == pb.core else pa.stem}」）"
    if abbreviates(a, b) or abbreviates(b, a):
        short, full = (a, b) if len(pa.core) < len(pb.core) else (b, a)
        return "same", f"单位简称：「{short}」是「{full}」的简称"
    ratio = fuzz.ratio(pa.core, pb.core)
    if ratio >= similar_ratio and min(len(pa.core), len(pb.core)) >= 4:
        return "similar", f"单位名称相近（{a} / {b}，相似度 {ratio:.0f}）"
    return "different", f"单位不同（{a} / {b}）"


# ------------------------------------------------------------------------ people


@dataclass(frozen=True)
class Score:
    """How alike a row and a known person are: the clipped score, the signals that fired
    (names from ``resolution.yaml``) and the Chinese evidence, one line per signal."""

    value: float
    signals: tuple[str, ...]
    evidence: tuple[str, ...]


@lru_cache(maxsize=65536)
def full_pinyin(name: str) -> frozenset[str]:
    """The full readings of a name (without initials), heteronyms of its first character too.

    >>> sorted(full_pinyin("曾伟"))
    ['cengwei', 'zengwei']
    """
    text = canonical(name)
    return frozenset(t for t in pinyin_terms(text) if len(t) > len(text))


def _present(props: dict[str, Any], key: str) -> Any:
    value = props.get(key)
    return None if value in (None, "", []) else value


def score_person(
    row: dict[str, Any],
    known: dict[str, Any],
    rules: ResolutionRules,
    *,
    same_org_node: Callable[[str, str], bool] | None = None,
) -> Score:
    """Score a row against a known person's properties (see ``resolution.yaml``).

    ``same_org_node(a, b)`` may say, from the store, that two organisation names are one
    node (an org known by its 简称 ``short_name``).
    """
    r = rules.person
    fired: list[tuple[str, str]] = []
    if canonical(row.get("name", "")) == canonical(known.get("name", "")):
        fired.append(("name_same", "姓名相同"))
    else:
        fired.append(("name_pinyin", f"姓名读音相同（{row.get('name')} / {known.get('name')}）"))
    mobile_a, mobile_b = _present(row, "mobile"), _present(known, "mobile")
    if mobile_a and mobile_b:
        fired.append(("mobile_same", "手机相同") if mobile_a == mobile_b else ("mobile_different", "手机不同"))
    org_a, org_b = _present(row, "org_name"), _present(known, "org_name")
    if org_a and org_b:
        verdict, why = match_org(str(org_a), str(org_b), similar_ratio=r.org_similar_ratio)
        if verdict != "same" and same_org_node is not None and same_org_node(str(org_a), str(org_b)):
            verdict, why = "same", f"单位为同一机构（{org_a} / {org_b}）"
        fired.append((f"org_{verdict}", why))
    for prop, label in (("township", "籍贯"), ("city", "现居城市")):
        a, b = _present(row, prop), _present(known, prop)
        if a and b:
            if canonical(a) == canonical(b):
                fired.append((f"{prop}_same", f"{label}同为{a}"))
            else:
                fired.append((f"{prop}_different", f"{label}不同（{a} / {b}）"))
    year_a, year_b = _present(row, "birth_year"), _present(known, "birth_year")
    if year_a and year_b:
        gap = abs(int(year_a) - int(year_b))
        if gap == 0:
            fired.append(("birth_year_same", f"出生年份同为 {year_a}"))
        elif gap >= 2:
            fired.append(("birth_year_different", f"出生年份不同（{year_a} / {year_b}）"))
    gender_a, gender_b = _present(row, "gender"), _present(known, "gender")
    if gender_a and gender_b and canonical(gender_a) != canonical(gender_b):
        fired.append(("gender_different", f"性别不同（{gender_a} / {gender_b}）"))
    for prop, label in (("title", "职务"), ("industry", "行业")):
        a, b = _present(row, prop), _present(known, prop)
        if a and b and canonical(a) == canonical(b):
            fired.append((f"{prop}_same", f"{label}相同（{a}）"))
    roles_a, roles_b = set(row.get("roles") or ()), set(known.get("roles") or ())
    if roles_a and roles_b and not roles_a & roles_b:
        group = {role: i for i, members in enumerate(r.role_groups) for role in members}
        ga, gb = {group.get(x) for x in roles_a} - {None}, {group.get(x) for x in roles_b} - {None}
        if ga and gb and not ga & gb:
            fired.append(("role_conflict", f"身份不同（{'、'.join(sorted(roles_a))} / {'、'.join(sorted(roles_b))}）"))
    value = round(sum(r.weights[name] for name, _ in fired), 6)  # 0.3 - 0.15 + 0.3 is 0.45, not 0.4499…
    return Score(min(1.0, max(0.0, value)), tuple(n for n, _ in fired), tuple(e for _, e in fired))


def _person_summary(props: dict[str, Any]) -> str:
    parts = [props.get("name"), props.get("org_name"), props.get("township"), props.get("city")]
    return "，".join(str(p) for p in parts if p not in (None, ""))


# ----------------------------------------------------------------------- resolver


class EntityResolver:
    """Probable matches for rows no natural key identifies; set as ``batch.resolver``.

    >>> from leadgraph.graph import EmbeddedStore
    >>> store = EmbeddedStore(":memory:")
    >>> with store.batch("机构名录") as batch:
    ...     org = batch.upsert_node("Organization", {"name": "宁波激智科技股份有限公司", "short_name": "激智科技"}).id
    >>> with store.batch("走访记录") as batch:
    ...     batch.resolver = EntityResolver()
    ...     batch.upsert_node("Organization", {"name": "激智"}).id == org
    True
    """

    kinds = frozenset({"Person", "Organization"})

    def __init__(self, rules: ResolutionRules | None = None) -> None:
        self.rules = rules or default_rules()

    def probable(self, batch: WriteBatch, kind: str, props: dict[str, Any]) -> Probable | None:
        if not props.get("name"):
            return None
        if kind == "Person":
            return self._person(batch, props)
        if kind == "Organization":
            return self._organization(batch, props)
        return None

    def confirm(self, batch: WriteBatch, kind: str, props: dict[str, Any], node: Node) -> bool:
        """A person matched by name + company (or township) only is confirmed unless another
        known person of that name fits the row about as well (namesakes at one firm)."""
        if kind != "Person":
            return True
        others = [n for n in batch.nodes_named(kind, str(props["name"])) if n.id != node.id]
        if not others:
            return True
        rules, same_org = self.rules.person, self._same_org_node(batch)
        mine = score_person(props, node.props, self.rules, same_org_node=same_org).value
        return all(
            theirs < rules.review_at or mine - theirs >= rules.margin
            for theirs in (score_person(props, o.props, self.rules, same_org_node=same_org).value for o in others)
        )

    # -- people -------------------------------------------------------------------------
    def _person_candidates(self, batch: WriteBatch, name: str) -> list[Node] | None:
        found = {n.id: n for n in batch.nodes_named("Person", name)}
        for term in sorted(full_pinyin(name)):
            for node in batch.nodes_with_term("Person", term, limit=self.rules.person.max_candidates + 1):
                found.setdefault(node.id, node)
        if len(found) > self.rules.person.max_candidates:
            return None
        readings = full_pinyin(name)
        return [n for i, n in sorted(found.items()) if full_pinyin(n.name) & readings or canonical(n.name) == canonical(name)]

    def _same_org_node(self, batch: WriteBatch) -> Callable[[str, str], bool]:
        def same(a: str, b: str) -> bool:
            ids_a = {n.id for n in batch.nodes_with_term("Organization", canonical(a), limit=5)}
            return bool(ids_a) and bool(ids_a & {n.id for n in batch.nodes_with_term("Organization", canonical(b), limit=5)})

        return same

    def _person(self, batch: WriteBatch, props: dict[str, Any]) -> Probable | None:
        rules = self.rules.person
        candidates = self._person_candidates(batch, str(props["name"]))
        if not candidates:
            return None
        same_org = self._same_org_node(batch)
        scored = sorted(
            ((score_person(props, c.props, self.rules, same_org_node=same_org), c) for c in candidates),
            key=lambda sc: (-sc[0].value, sc[1].id),
        )
        best, node = scored[0]
        runner_up = scored[1][0].value if len(scored) > 1 else 0.0
        summary = _person_summary(props)
        may_merge = "name_same" in best.signals or all(s in best.signals for s in rules.pinyin_merge_needs)
        if best.value >= rules.merge_at and best.value - runner_up >= rules.margin and may_merge:
            return Probable(node=node, score=best.value, evidence=list(best.evidence), summary=summary)
        grey = [(c, s.value, list(s.evidence)) for s, c in scored if s.value >= rules.review_at][: rules.max_reviews]
        return Probable(review=grey, summary=summary) if grey else None

    # -- organisations --------------------------------------------------------------------
    def _org_candidates(self, batch: WriteBatch, name: str) -> list[Node]:
        parts, limit = _parts(name), self.rules.organization.max_candidates
        found: dict[str, Node] = {}
        terms = {canonical(name), canonical(parts.core), canonical(term_core_name(name))}
        terms |= {parts.core[:k] for k in range(2, len(parts.core))}  # a known 简称 of this full name
        for term in sorted(t for t in terms if len(t) >= 2):
            for node in batch.nodes_with_term("Organization", term, limit=limit):
                found.setdefault(node.id, node)
        if not parts.institution and len(parts.core) >= 2:
            # This row may be a 简称: organisations whose names start like it (first char for
            # short cores, 中石化 → 中国石油化工; first two when the first is too common).
            for prefix in (parts.core[:1], parts.core[:2]) if len(parts.core) <= 4 else (parts.core[:2],):
                nodes = batch.nodes_with_term("Organization", prefix, prefix=True, limit=limit + 1)
                if len(nodes) <= limit:
                    for node in nodes:
                        found.setdefault(node.id, node)
                    break
        return [found[i] for i in sorted(found)]

    def _organization(self, batch: WriteBatch, props: dict[str, Any]) -> Probable | None:
        rules = self.rules.organization
        name = str(props["name"])
        same: list[tuple[Node, str]] = []
        abbrev: list[tuple[Node, str]] = []
        for node in self._org_candidates(batch, name):
            if any(
                _present(props, code) and _present(node.props, code) and canonical(props[code]) != canonical(node.props[code])
                for code in ("credit_code", "stock_code")
            ):
                continue
            short = _present(node.props, "short_name")
            if short and canonical(short) == canonical(name):
                same.append((node, f"「{name}」是「{node.name}」的简称"))
                continue
            verdict, why = match_org(name, node.name)
            if verdict == "same" and not (abbreviates(name, node.name) or abbreviates(node.name, name)):
                same.append((node, why))
            elif verdict == "same" or (short and abbreviates(name, str(short))):
                abbrev.append((node, why if verdict == "same" else f"「{name}」是「{node.name}」（{short}）的简称"))
        summary = name
        for group, score in ((same, rules.core_score), (abbrev, rules.abbreviation_score)):
            if len(group) == 1:
                node, why = group[0]
                rename = _parts(name).legal_form and not _parts(node.name).legal_form
                return Probable(node=node, score=score, evidence=[why], rename=rename, summary=summary)
            if len(group) > 1:
                review = [(node, rules.review_score, [why, f"「{name}」对应多个已知机构，需人工确认"]) for node, why in group]
                return Probable(review=review[: rules.max_reviews], summary=summary)
        return None
