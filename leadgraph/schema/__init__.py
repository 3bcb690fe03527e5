"""Load and check the declared domain schema (``schema.yaml``).

The schema is data; this module only reads it, checks it and offers typed access.
A malformed schema raises one :class:`~leadgraph.errors.SchemaError` naming the fault.

Examples
--------
>>> schema = load_schema()
>>> schema.node("Person").keys[0]
('name', 'mobile')
>>> schema.edge("KNOWS").default_strength({"context": "同学"})
0.7
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from leadgraph.errors import SchemaError

__all__ = [
    "PropertySpec",
    "NodeKind",
    "EdgeKind",
    "HubDamping",
    "Ranking",
    "Schema",
    "load_schema",
    "default_schema",
    "SCHEMA_PATH",
]

SCHEMA_PATH = Path(__file__).with_name("schema.yaml")

PropType = Literal["str", "int", "float", "bool", "date", "list[str]"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PropertySpec(_Strict):
    type: PropType
    label: str
    required: bool = False
    personal: bool = False
    # How two values are told apart when a discriminator or entity resolution compares them:
    # "text" (canonical text), or a place of a family with or without its suffix ("township":
    # 城关 is 城关镇; "city": 宁波 is 宁波市).
    compare: Literal["text", "township", "city"] = "text"


class NodeKind(_Strict):
    name: str = ""
    label: str
    id_prefix: str = Field(pattern=r"^[a-z]{2,5}$")
    properties: dict[str, PropertySpec]
    keys: tuple[tuple[str, ...], ...]
    # A match on any key but the first is refused when one of these differs (two 张伟 at
    # one company, one born in 1975 and one in 1988, are two people).
    discriminators: tuple[str, ...] = ()
    roles: dict[str, str] = {}
    our_side_roles: tuple[str, ...] = ()
    kinds: dict[str, str] = {}
    stages: tuple[str, ...] = ()
    levels: dict[str, str] = {}
    types: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _keys_name_properties(self) -> "NodeKind":
        if "name" not in self.properties:
            raise ValueError("every node kind needs a 'name' property")
        if not self.keys:
            raise ValueError("at least one natural key is required")
        for key in self.keys:
            for part in key:
                if part not in self.properties:
                    raise ValueError(f"natural key part '{part}' is not a declared property")
        for part in self.discriminators:
            if part not in self.properties:
                raise ValueError(f"discriminator '{part}' is not a declared property")
        for role in self.our_side_roles:
            if role not in self.roles:
                raise ValueError(f"our_side role '{role}' is not a declared role")
        return self

    @property
    def personal_properties(self) -> frozenset[str]:
        return frozenset(p for p, spec in self.properties.items() if spec.personal)


class EdgeKind(_Strict):
    name: str = ""
    label: str
    from_: tuple[str, ...] = Field(alias="from")
    to: tuple[str, ...]
    properties: dict[str, PropertySpec]
    key: tuple[str, ...] = ()
    symmetric: bool = False
    traversable: bool
    strength: float = Field(gt=0, le=1)
    strength_by: str | None = None
    strengths: dict[str, float] = {}
    hub_damped: bool = False
    decays: bool = False
    half_life_days: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _consistent(self) -> "EdgeKind":
        for part in self.key:
            if part not in self.properties:
                raise ValueError(f"edge key part '{part}' is not a declared property")
        if self.strength_by is not None:
            if self.strength_by not in self.properties:
                raise ValueError(f"strength_by '{self.strength_by}' is not a declared property")
            if not self.strengths:
                raise ValueError("strength_by needs a 'strengths' table")
        for value, s in self.strengths.items():
            if not 0 < s <= 1:
                raise ValueError(f"strength for '{value}' must be in (0, 1], got {s}")
        if self.decays and self.half_life_days is None:
            raise ValueError("a tie that decays needs half_life_days")
        return self

    def default_strength(self, props: dict[str, Any]) -> float:
        """The declared strength of one edge from its properties (before hub damping)."""
        if self.strength_by is not None:
            value = props.get(self.strength_by)
            if isinstance(value, bool):
                value = "true" if value else "false"
            if value is not None and str(value) in self.strengths:
                return self.strengths[str(value)]
        return self.strength


class DecisionMakers(_Strict):
    titles: tuple[str, ...]
    shareholder_min_pct: float = Field(gt=0, le=100)

    def is_decision_title(self, title: str | None) -> bool:
        """Whether a title names a decision maker; a deputy (副总经理) is not one unless
        the deputy title itself is listed (副董事长).

        >>> rules = DecisionMakers(titles=("董事长", "副董事长", "总经理"), shareholder_min_pct=5)
        >>> rules.is_decision_title("董事长兼总经理"), rules.is_decision_title("副总经理"), rules.is_decision_title("副董事长")
        (True, False, True)
        """
        if not title:
            return False
        for word in self.titles:
            at = title.find(word)
            while at >= 0:
                if at == 0 or title[at - 1] != "副" or word.startswith("副"):
                    return True
                at = title.find(word, at + 1)
        return False


class HubDamping(_Strict):
    reference_size: float = Field(12, gt=0)
    exponent: float = Field(0.5, gt=0)
    size_props: tuple[str, ...] = ("member_count", "population")


class Ranking(_Strict):
    """Parameters of referral-path ranking and search (see docs/ranking.md)."""

    hop_penalty: float = Field(0.9, gt=0, lt=1)
    hub_damping: HubDamping = HubDamping()
    decay_floor: float = Field(0.1, ge=0, le=1)
    min_score: float = Field(1e-4, gt=0, lt=1)
    default_k: int = Field(5, ge=1)
    max_k: int = Field(50, ge=1)
    default_max_hops: int = Field(4, ge=1)
    max_hops_limit: int = Field(6, ge=1)
    hub_cap: int = Field(1000, ge=1)
    time_limit_s: float = Field(2.0, gt=0)
    work_limit: int = Field(200_000, ge=1)

    @model_validator(mode="after")
    def _defaults_within_limits(self) -> "Ranking":
        if self.default_k > self.max_k:
            raise ValueError("default_k must not exceed max_k")
        if self.default_max_hops > self.max_hops_limit:
            raise ValueError("default_max_hops must not exceed max_hops_limit")
        return self


class Schema(_Strict):
    version: int
    nodes: dict[str, NodeKind]
    edges: dict[str, EdgeKind]
    decision_makers: DecisionMakers
    tie_contexts: dict[str, tuple[str, ...]]
    ranking: Ranking = Ranking()

    @model_validator(mode="after")
    def _cross_checks(self) -> "Schema":
        prefixes: dict[str, str] = {}
        for name, kind in self.nodes.items():
            if kind.id_prefix in prefixes:
                raise ValueError(
                    f"node kinds '{prefixes[kind.id_prefix]}' and '{name}' share id_prefix '{kind.id_prefix}'"
                )
            prefixes[kind.id_prefix] = name
            object.__setattr__(kind, "name", name)
        for name, edge in self.edges.items():
            object.__setattr__(edge, "name", name)
            for end in (*edge.from_, *edge.to):
                if end not in self.nodes:
                    raise ValueError(f"edge '{name}' names unknown node kind '{end}'")
        knows = self.edges.get("KNOWS")
        if knows is not None:
            for context in self.tie_contexts:
                if context not in knows.strengths:
                    raise ValueError(f"tie context '{context}' has no strength in KNOWS.strengths")
        return self

    def node(self, kind: str) -> NodeKind:
        try:
            return self.nodes[kind]
        except KeyError:
            raise SchemaError(f"unknown node kind '{kind}'") from None

    def edge(self, kind: str) -> EdgeKind:
        try:
            return self.edges[kind]
        except KeyError:
            raise SchemaError(f"unknown edge kind '{kind}'") from None

    def kind_of_id(self, node_id: str) -> str:
        prefix = node_id.split(":", 1)[0]
        for name, kind in self.nodes.items():
            if kind.id_prefix == prefix:
                return name
        raise SchemaError(f"node id '{node_id}' has no known kind prefix")

    def tie_context(self, raw: str | None) -> str | None:
        """Map a written relationship ('大学同学', '老乡') to its canonical context."""
        if not raw:
            return None
        text = raw.strip()
        for context, synonyms in self.tie_contexts.items():
            if text == context or text in synonyms:
                return context
        for context, synonyms in self.tie_contexts.items():
            if context in text or any(s in text for s in synonyms):
                return context
        return None

    @property
    def traversable_edges(self) -> frozenset[str]:
        return frozenset(n for n, e in self.edges.items() if e.traversable)


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def load_schema(path: str | Path = SCHEMA_PATH) -> Schema:
    """Read, check and return the schema at ``path``.

    Raises
    ------
    SchemaError
        One message naming the file and the first fault found.
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchemaError(f"schema {path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise SchemaError(f"schema {path}: not valid YAML ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(raw, dict):
        raise SchemaError(f"schema {path}: top level must be a mapping")
    try:
        return Schema.model_validate(raw)
    except ValidationError as exc:
        raise SchemaError(f"schema {path}: {_describe(exc)}") from None


@lru_cache(maxsize=1)
def default_schema() -> Schema:
    """The bundled schema, loaded once on first use (not at import)."""
    return load_schema()
