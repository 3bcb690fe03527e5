"""In-memory records of the demo county before they are written as list files.

Each record knows how to become one row of its list kind: a dict keyed by the *field*
names of ``leadgraph/ingest/mappings.yaml`` (``name``, ``org``, ``mobile``…); the
writer turns field names into the canonical Chinese headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from leadgraph.demo.chain import Chain

__all__ = ["Org", "Person", "World", "Row", "yes_no"]

Row = dict[str, Any]


def yes_no(value: bool | None) -> str:
    """Booleans as the lists write them: 是 / 否, empty when unknown."""
    return "" if value is None else ("是" if value else "否")


@dataclass(eq=False)
class Org:
    """One organization of any kind; ``kind`` is the Chinese 类别 label."""

    name: str
    kind: str
    short_name: str = ""
    credit_code: str = ""
    stock_code: str = ""
    exchange: str = ""
    province: str = ""
    city: str = ""
    industry: str = ""
    revenue_yi: float | None = None
    employees: int | None = None
    member_count: int | None = None
    is_local: bool | None = None
    chain_leader: bool | None = None
    parent: str = ""
    note: str = ""
    brand: str = ""
    #: (segment, main product) pairs, primary first; companies only.
    segments: list[tuple[str, str]] = field(default_factory=list)
    #: how an association recruits members: "city", "county", "young", "women",
    #: "ambassador", "talent" or "industry".
    focus: str = ""
    focus_industries: tuple[str, ...] = ()

    @property
    def is_company(self) -> bool:
        return self.kind in ("企业", "上市公司")

    def row(self) -> Row:
        """This organization as a row of the ``organizations`` list."""
        return {
            "name": self.name, "short_name": self.short_name, "org_kind": self.kind,
            "credit_code": self.credit_code, "stock_code": self.stock_code,
            "exchange": self.exchange, "province": self.province, "city": self.city,
            "industry": self.industry, "revenue_yi": self.revenue_yi,
            "employees": self.employees, "member_count": self.member_count,
            "is_local": yes_no(self.is_local), "chain_leader": yes_no(self.chain_leader),
            "parent": self.parent, "note": self.note,
        }


@dataclass(eq=False)
class Person:
    """One person; ``org`` is the 单位 exactly as the person's own list writes it."""

    pid: int
    name: str
    org: str
    roles: list[str]
    title: str = ""
    mobile: str = ""
    gender: str = ""
    birth_year: int | None = None
    township: str = ""
    city: str = ""
    industry: str = ""
    portfolio: str = ""
    zone: str = ""
    since: str = ""
    leader: str = ""
    decision_maker: bool | None = None
    share_pct: float | None = None
    note: str = ""
    weight: float = 1.0

    def ref(self, suffix: str = "") -> Row:
        """The columns that identify this person in a list that references people."""
        return {f"name{suffix}": self.name, f"org{suffix}": self.org,
                f"mobile{suffix}": self.mobile}


@dataclass
class World:
    """Everything the demo county consists of, in load order within each list."""

    chain: Chain
    orgs: list[Org] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    company_supplies: list[Row] = field(default_factory=list)
    members: list[Row] = field(default_factory=list)
    ties: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    attendance: list[Row] = field(default_factory=list)
    visits: list[Row] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)

    def orgs_of(self, *kinds: str) -> list[Org]:
        return [o for o in self.orgs if o.kind in kinds]

    @property
    def companies(self) -> list[Org]:
        return [o for o in self.orgs if o.is_company]

    def people_with(self, role: str) -> list[Person]:
        return [p for p in self.people if role in p.roles]

    def org(self, name: str) -> Org:
        """The organization called ``name``; ``KeyError`` when there is none."""
        index = self.__dict__.get("_org_index")
        if index is None or len(index) != len(self.orgs):
            index = {o.name: o for o in self.orgs}
            self.__dict__["_org_index"] = index
        return index[name]
