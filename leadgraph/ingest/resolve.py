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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from rapidfuzz import fuzz

from leadgraph.errors import SchemaError
from leadgraph.graph.identity import canonical, same_place, same_value
from leadgraph.graph.model import Node
from leadgraph.graph.orgnames import org_core_name
from leadgraph.graph.store import Probable, WriteBatch
from leadgraph.graph.terms import pinyin_terms
from leadgraph.ingest.normalize import OrgParts, org_parts
from leadgraph.schema import NodeKind, default_schema
from leadgraph.text import PLACE_FAMILIES, place_spellings, place_stem

__all__ = [
    "RULES_PATH",
    "PERSON_SIGNALS",
    "ResolutionRules",
    "load_rules",
    "default_rules",
    "Score",
    "match_org",
    "abbreviates",
    "may_abbreviate",
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


def _abbreviation_cores(short: str, full: str) -> tuple[str, str] | None:
    """The two core names when ``short`` could be a 简称 of ``full`` at all: no legal form of
    its own, no institution, compatible regions, a shorter core starting with the same
    character."""
    s, f = _parts(short), _parts(full)
    if s.legal_form or s.institution or f.institution or s.branch != f.branch or _regions_conflict(s, f):
        return None  # a registered name (…有限公司) is nobody's 简称
    a, b = s.core, f.core
    if len(a) < 2 or len(a) >= len(b) or a[0] != b[0]:
        return None
    return a, b


def abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` is a 简称 of ``full`` the way a brand is: the full core starts with
    it (激智 → 激智科技, 甬江 → 宁波甬江实业有限公司).

    Examples
    --------
    >>> abbreviates("激智", "宁波激智科技股份有限公司"), abbreviates("科技", "宁波激智科技股份有限公司")
    (True, False)
    """
    cores = _abbreviation_cores(short, full)
    return cores is not None and cores[1].startswith(cores[0]) and not cores[0].startswith(_NATIONAL)


# A short name starting like this names a sector, not a brand: 中国石油 is PetroChina, yet a
# prefix of 中国石油化工 (Sinopec).
_NATIONAL = ("中国", "中华", "国家", "全国")


def may_abbreviate(short: str, full: str) -> bool:
    """Whether ``short`` may be a 简称 taken from several words of ``full`` (中石化 → 中国石油化工):
    its characters appear in the full core in order. Only a person can tell: 中石油 fits
    中国石油化工 just as well, though it names another group (中国石油天然气), and 中建 fits
    中国建材 as well as 中国建筑.

    >>> may_abbreviate("中石化", "中国石油化工股份有限公司"), may_abbreviate("激智", "激智科技")
    (True, False)
    """
    cores = _abbreviation_cores(short, full)
    if cores is None:
        return False
    if cores[1].startswith(cores[0]):
        return cores[0].startswith(_NATIONAL)  # 中国石油 → 中国石油化工: see :func:`abbreviates`
    it = iter(cores[1])
    return all(ch in it for ch in cores[0])


@lru_cache(maxsize=1 << 16)  # a list names the same few hundred firms again and again
def match_org(a: str, b: str, *, similar_ratio: float = 88.0) -> tuple[OrgVerdict, str]:
    """Whether two organisation names are one organisation, with the reason in Chinese.

    ``same``: equal names, equal core names (in compatible regions), or one a brand-like
    简称 of the other (:func:`abbreviates`); ``similar``: the same core in two regions, a
    简称 from several words (:func:`may_abbreviate`: 中石化, but also 中石油, fit 中国石油化工),
    or core names alike (rapidfuzz ratio ≥ ``similar_ratio``); otherwise ``different``.
    Institutions (商会, 大学, 政府…) are only ever the same when written the same.
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
    if may_abbreviate(a, b) or may_abbreviate(b, a):
        short, full = (a, b) if len(pa.core) < len(pb.core) else (b, a)
        return "similar", f"「{short}」可能是「{full}」的简称（字序相符，需人工确认）"
    ratio = fuzz.ratio(pa.core, pb.core)
    if ratio >= similar_ratio and min(len(pa.core), len(pb.core)) >= 4:
        return "similar", f"单位名称相近（{a} / {b}，相似度 {ratio:.0f}）"
    return "different", f"单位不同（{a} / {b}）"


# ------------------------------------------------------------------------ people


@dataclass(frozen=True)
class Score:
    """How alike a row and a known person are: the clipped score, the signals that fired
    (names from ``resolution.yaml``) and the Chinese evidence, one line per signal.

    The evidence is written only when asked for: most candidates are scored and dropped."""

    value: float
    signals: tuple[str, ...]
    details: tuple[tuple[Any, ...], ...] = field(default=(), repr=False, compare=False)

    @property
    def evidence(self) -> tuple[str, ...]:
        return tuple(_EVIDENCE[signal](*args) for signal, args in zip(self.signals, self.details))


_EVIDENCE: dict[str, Callable[..., str]] = {
    "name_same": lambda: "姓名相同",
    "name_pinyin": lambda a, b: f"姓名读音相同（{a} / {b}）",
    "mobile_same": lambda: "手机相同",
    "mobile_different": lambda: "手机不同",
    "org_same": lambda why: why,
    "org_similar": lambda why: why,
    "org_different": lambda why: why,
    "township_same": lambda a: f"籍贯同为{a}",
    "township_different": lambda a, b: f"籍贯不同（{a} / {b}）",
    "city_same": lambda a: f"现居城市同为{a}",
    "city_different": lambda a, b: f"现居城市不同（{a} / {b}）",
    "birth_year_same": lambda a: f"出生年份同为 {a}",
    "birth_year_different": lambda a, b: f"出生年份不同（{a} / {b}）",
    "gender_different": lambda a, b: f"性别不同（{a} / {b}）",
    "title_same": lambda a: f"职务相同（{a}）",
    "industry_same": lambda a: f"行业相同（{a}）",
    "role_conflict": lambda a, b: f"身份不同（{'、'.join(sorted(a))} / {'、'.join(sorted(b))}）",
}


@lru_cache(maxsize=1 << 16)
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


_COMPARED = ("township", "city", "gender", "title", "industry")
_PERSON = default_schema().node("Person")  # for a scorer not given a store's schema


class _PersonFacts:
    """One side of a comparison, read once: its present values and their canonical forms."""

    __slots__ = ("props", "name", "name_canon", "mobile", "org", "year", "canon", "roles")

    def __init__(self, props: dict[str, Any]) -> None:
        self.props = props
        self.name = props.get("name", "")
        self.name_canon = canonical(self.name)
        self.mobile = _present(props, "mobile")
        self.org = _present(props, "org_name")
        year = _present(props, "birth_year")
        self.year = int(year) if year else None
        self.canon = {p: (v, canonical(v)) for p in _COMPARED if (v := _present(props, p))}
        self.roles = set(props.get("roles") or ())


class PersonScorer:
    """Scores one row against many known people (:func:`score_person` for one pair).

    The row's side is read once; a known person's side is kept while its properties stay
    the same object (a batch replaces a node's properties when it changes them).
    """

    def __init__(
        self,
        row: dict[str, Any],
        rules: ResolutionRules,
        *,
        same_org_node: Callable[[str, str], bool] | None = None,
        known_cache: dict[str, _PersonFacts] | None = None,
        person: NodeKind | None = None,
    ) -> None:
        self.row = _PersonFacts(row)
        self.rules = rules.person
        self.person = person or _PERSON  # its properties say how each is compared (城关 = 城关镇)
        self.same_org_node = same_org_node
        self._known = known_cache if known_cache is not None else {}
        group = {role: i for i, members in enumerate(self.rules.role_groups) for role in members}
        self._groups = lambda roles: {group.get(x) for x in roles} - {None}

    def facts(self, key: str, props: dict[str, Any]) -> _PersonFacts:
        cached = self._known.get(key)
        if cached is None or cached.props is not props:
            cached = self._known[key] = _PersonFacts(props)
        return cached

    def score(self, known: dict[str, Any], *, key: str | None = None) -> Score:
        r, a = self.rules, self.row
        b = self.facts(key, known) if key is not None else _PersonFacts(known)
        signals: list[str] = []
        details: list[tuple[Any, ...]] = []

        def fire(signal: str, *args: Any) -> None:
            signals.append(signal)
            details.append(args)

        if a.name_canon == b.name_canon:
            fire("name_same")
        else:
            fire("name_pinyin", a.props.get("name"), b.props.get("name"))
        if a.mobile and b.mobile:
            fire("mobile_same" if a.mobile == b.mobile else "mobile_different")
        if a.org and b.org:
            verdict, why = match_org(str(a.org), str(b.org), similar_ratio=r.org_similar_ratio)
            if verdict != "same" and self.same_org_node is not None and self.same_org_node(str(a.org), str(b.org)):
                verdict, why = "same", f"单位为同一机构（{a.org} / {b.org}）"
            fire(f"org_{verdict}", why)
        for prop in ("township", "city"):
            if prop in a.canon and prop in b.canon:
                (va, ca), (vb, cb) = a.canon[prop], b.canon[prop]
                if ca == cb or same_value(self.person, prop, va, vb):
                    fire(f"{prop}_same", va)
                else:
                    fire(f"{prop}_different", va, vb)
        if a.year and b.year:
            gap = abs(a.year - b.year)
            if gap == 0:
                fire("birth_year_same", a.props["birth_year"])
            elif gap >= 2:
                fire("birth_year_different", a.props["birth_year"], b.props["birth_year"])
        if "gender" in a.canon and "gender" in b.canon and a.canon["gender"][1] != b.canon["gender"][1]:
            fire("gender_different", a.canon["gender"][0], b.canon["gender"][0])
        for prop in ("title", "industry"):
            if prop in a.canon and prop in b.canon and a.canon[prop][1] == b.canon[prop][1]:
                fire(f"{prop}_same", a.canon[prop][0])
        if a.roles and b.roles and not a.roles & b.roles:
            ga, gb = self._groups(a.roles), self._groups(b.roles)
            if ga and gb and not ga & gb:
                fire("role_conflict", a.roles, b.roles)
        value = round(sum(r.weights[name] for name in signals), 6)  # 0.3 - 0.15 + 0.3 is 0.45, not 0.4499…
        return Score(min(1.0, max(0.0, value)), tuple(signals), tuple(details))


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
    return PersonScorer(row, rules, same_org_node=same_org_node).score(known)


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
        self._known: dict[str, _PersonFacts] = {}  # known people's compared values, by node id

    def probable(self, batch: WriteBatch, kind: str, props: dict[str, Any]) -> Probable | None:
        if not props.get("name"):
            return None
        if kind == "Person":
            return self._person(batch, props)
        if kind == "Organization":
            return self._organization(batch, props)
        if kind == "Region":
            return self._place(batch, props)
        return None

    def _place(self, batch: WriteBatch, props: dict[str, Any]) -> Probable | None:
        """A township or city written with or without its suffix (城关 / 城关镇, 宁波 / 宁波市)
        is the known place of its level with that stem, when exactly one is; the row's
        spelling becomes one more key of it, and the suffix a bare known name lacks becomes
        its name. Other levels, and suffixes of another family (长沙县 for the city 长沙), never."""
        level, name = props.get("level"), str(props["name"])
        if level not in PLACE_FAMILIES:
            return None
        stem = place_stem(canonical(name))
        spellings = place_spellings(stem, level) - {canonical(name)}
        found = {
            node.id: node
            for spelling in sorted(spellings)
            for node in batch.nodes_named("Region", spelling)
            if node.props.get("level") == level and same_place(name, node.name, level)
        }
        if len(found) != 1:
            return None
        (node,) = found.values()
        why = f"「{name}」与已有的「{node.name}」是同一地方（后缀不同）"
        rename = canonical(node.name) == stem  # the known name is the bare stem: the row's is fuller
        return Probable(node=node, score=1.0, evidence=[why], rename=rename, summary=name)

    def confirm(self, batch: WriteBatch, kind: str, props: dict[str, Any], node: Node) -> bool:
        """A person matched by name + company (or township) only is confirmed unless another
        known person of that name fits the row about as well (namesakes at one firm)."""
        if kind != "Person":
            return True
        others = [n for n in batch.nodes_named(kind, str(props["name"])) if n.id != node.id]
        if not others:
            return True
        rules, scorer = self.rules.person, self._scorer(batch, props)
        mine = scorer.score(node.props, key=node.id).value
        return all(
            theirs < rules.review_at or mine - theirs >= rules.margin
            for theirs in (scorer.score(o.props, key=o.id).value for o in others)
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

    def _scorer(self, batch: WriteBatch, row: dict[str, Any]) -> PersonScorer:
        """A scorer for one row, knowing from the batch which organisation names are one node."""
        found: dict[str, set[str]] = {}  # this row's lookups: the store does not change meanwhile

        def ids(name: str) -> set[str]:
            canon = canonical(name)
            if canon not in found:
                found[canon] = {n.id for n in batch.nodes_with_term("Organization", canon, limit=5)}
            return found[canon]

        def same(a: str, b: str) -> bool:
            return bool(ids(a)) and bool(ids(a) & ids(b))

        return PersonScorer(row, self.rules, same_org_node=same, known_cache=self._known, person=batch.schema.node("Person"))

    def _person(self, batch: WriteBatch, props: dict[str, Any]) -> Probable | None:
        rules = self.rules.person
        candidates = self._person_candidates(batch, str(props["name"]))
        if not candidates:
            return None
        scorer = self._scorer(batch, props)
        scored = sorted(
            ((scorer.score(c.props, key=c.id), c) for c in candidates),
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
        terms = {canonical(name), canonical(parts.core), canonical(org_core_name(name, purpose="search"))}
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
        maybe: list[tuple[Node, str]] = []  # a 简称 from several words: a person decides
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
            elif verdict == "similar" and (may_abbreviate(name, node.name) or may_abbreviate(node.name, name)):
                maybe.append((node, why))
            elif short and may_abbreviate(name, str(short)):
                maybe.append((node, f"「{name}」可能是「{node.name}」（{short}）的简称（字序相符，需人工确认）"))
        summary = name
        for group, score in ((same, rules.core_score), (abbrev, rules.abbreviation_score)):
            if len(group) == 1:
                node, why = group[0]
                rename = _parts(name).legal_form and not _parts(node.name).legal_form
                return Probable(node=node, score=score, evidence=[why], rename=rename, summary=summary)
            if len(group) > 1:
                review = [(node, rules.review_score, [why, f"「{name}」对应多个已知机构，需人工确认"]) for node, why in group]
                return Probable(review=review[: rules.max_reviews], summary=summary)
        if maybe:
            return Probable(review=[(node, rules.review_score, [why]) for node, why in maybe][: rules.max_reviews], summary=summary)
        return None
