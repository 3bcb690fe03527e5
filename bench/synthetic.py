"""A synthetic province-scale contact graph for the referral-path benchmark.

Heavy-tailed everywhere it matters: acquaintance degrees (Chung–Lu with Pareto
weights), company sizes, association sizes (a few with tens of thousands of members),
township sizes and event sizes. Our side is a few percent of the people (contacts,
officers, leaders, ambassadors) plus local firms and their staff; every company has one
to three decision makers.

Tie strengths go through :mod:`leadgraph.graph.strength` (the schema's tables, hub
damping and decay) exactly as for a real store; only the reading of the graph differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from leadgraph.graph.pathindex import TraversalIndex
from leadgraph.graph.strength import scale_strengths
from leadgraph.schema import Schema

__all__ = ["SyntheticGraph", "generate", "AS_OF"]

AS_OF = date(2025, 1, 1)
MEMBER_ROLES = ["会长", "执行会长", "副会长", "秘书长", "理事", "会员"]  # by edge category


@dataclass
class SyntheticGraph:
    schema: Schema
    kind: np.ndarray
    roles: np.ndarray
    our_side: np.ndarray
    is_local: np.ndarray
    declared_size: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    edge_kind: np.ndarray
    strength: np.ndarray
    decision: np.ndarray
    companies: np.ndarray
    # Readable properties for writing the graph into a store: per edge, a category
    # (context, role, decision flag) and an age in days (NaN when undated).
    category: np.ndarray
    age: np.ndarray

    @property
    def n_nodes(self) -> int:
        return int(self.kind.shape[0])

    @property
    def n_edges(self) -> int:
        return int(self.src.shape[0])

    def node_props(self, i: int) -> tuple[str, dict[str, Any]]:
        """Node ``i`` as a store holds it: its kind and readable properties."""
        kind = list(self.schema.nodes)[int(self.kind[i])]
        if kind == "Person":
            roles = list(self.schema.node("Person").roles)
            props: dict[str, Any] = {"name": f"n{i}", "mobile": f"1{i:010d}"}
            held = [r for b, r in enumerate(roles) if self.roles[i] >> b & 1]
            if held:
                props["roles"] = held
        elif kind == "Organization":
            props = {"name": f"n{i}", "org_kind": "association" if self.declared_size[i] else "company"}
            if self.declared_size[i]:
                props["member_count"] = int(self.declared_size[i])
            if self.is_local[i]:
                props["is_local"] = True
        elif kind == "Region":
            props = {"name": f"n{i}", "level": "township", "population": int(self.declared_size[i])}
        else:
            props = {"name": f"n{i}", "date": str(np.datetime64(AS_OF) - np.timedelta64(i % 1400, "D"))}
        return kind, props

    def edge_props(self, j: int) -> tuple[str, dict[str, Any]]:
        """Edge ``j`` as a store holds it: its kind and readable properties."""
        kind = list(self.schema.edges)[int(self.edge_kind[j])]
        cat = int(self.category[j])
        if kind == "KNOWS":
            return kind, {"context": list(self.schema.edge("KNOWS").strengths)[cat]}
        if kind == "MEMBER_OF":
            return kind, {"role": MEMBER_ROLES[cat]}
        if kind == "WORKS_AT":
            return kind, {"decision_maker": bool(cat)}
        if kind == "SHAREHOLDER_OF":
            return kind, {"share_pct": 8.0 if cat else 1.0}
        if kind == "VISITED":
            return kind, {"date": str(np.datetime64(AS_OF) - np.timedelta64(int(self.age[j]), "D"))}
        return kind, {}

    def index(self, hub_cap: int | None = None) -> TraversalIndex:
        return TraversalIndex.from_arrays(
            self.schema,
            kind=self.kind,
            roles=self.roles,
            our_side=self.our_side,
            edge_src=self.src,
            edge_dst=self.dst,
            edge_kind=self.edge_kind,
            edge_strength=self.strength,
            edge_decision=self.decision,
            hub_cap=hub_cap,
            as_of=AS_OF,
        )


def _pareto_weights(rng: np.random.Generator, n: int, alpha: float, cap: float) -> np.ndarray:
    return np.minimum(rng.pareto(alpha, n) + 1.0, cap)


def _pick(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    p = weights / weights.sum()
    return rng.choice(weights.shape[0], size=size, p=p)


def generate(schema: Schema, n_nodes: int, avg_degree: float = 10.0, seed: int = 7) -> SyntheticGraph:
    """A graph of about ``n_nodes`` nodes and ``n_nodes × avg_degree / 2`` edges."""
    rng = np.random.default_rng(seed)
    kinds = list(schema.nodes)
    edges = list(schema.edges)
    roles = list(schema.node("Person").roles)
    n_person = int(n_nodes * 0.78)
    n_assoc = max(int(n_nodes * 0.002), 5)
    n_town = max(int(n_nodes * 0.0005), 3)
    n_event = max(int(n_nodes * 0.005), 5)
    n_company = n_nodes - n_person - n_assoc - n_town - n_event
    person = np.arange(n_person)
    company = n_person + np.arange(n_company)
    assoc = company[-1] + 1 + np.arange(n_assoc)
    town = assoc[-1] + 1 + np.arange(n_town)
    event = town[-1] + 1 + np.arange(n_event)
    n = event[-1] + 1
    kind = np.empty(n, dtype=np.int8)
    kind[person] = kinds.index("Person")
    kind[company] = kinds.index("Organization")
    kind[assoc] = kinds.index("Organization")
    kind[town] = kinds.index("Region")
    kind[event] = kinds.index("Event")

    role_bits = np.zeros(n, dtype=np.int32)
    for role, share in (("contact", 0.02), ("ambassador", 0.001), ("officer", 0.0005), ("leader", 0.0001)):
        chosen = rng.choice(person, size=max(int(n_person * share), 1), replace=False)
        role_bits[chosen] |= 1 << roles.index(role)
    is_local = np.zeros(n, dtype=bool)
    is_local[rng.choice(company, size=max(int(n_company * 0.01), 1), replace=False)] = True

    src_parts, dst_parts, kind_parts, cat_parts, age_parts = [], [], [], [], []

    def add(kind_name: str, s: np.ndarray, d: np.ndarray, category: np.ndarray | None = None,
            age: np.ndarray | None = None) -> None:
        distinct = s != d
        if not distinct.all():
            s, d = s[distinct], d[distinct]
            category = category[distinct] if category is not None else None
            age = age[distinct] if age is not None else None
        src_parts.append(s.astype(np.int32))
        dst_parts.append(d.astype(np.int32))
        kind_parts.append(np.full(s.shape[0], edges.index(kind_name), dtype=np.int8))
        cat_parts.append(category if category is not None else np.zeros(s.shape[0], dtype=np.int16))
        age_parts.append(age if age is not None else np.full(s.shape[0], np.nan))

    # Employment: company sizes heavy-tailed; the first employees listed are decision makers.
    company_w = _pareto_weights(rng, n_company, 1.1, 5e4)
    employer = company[_pick(rng, company_w, n_person)]
    decision = np.zeros(n_person, dtype=np.int16)
    order = np.argsort(employer, kind="stable")
    first_of = np.r_[True, employer[order][1:] != employer[order][:-1]]
    rank = np.arange(n_person) - np.maximum.accumulate(np.where(first_of, np.arange(n_person), 0))
    decision[order[rank < rng.integers(1, 4, n_person)[order]]] = 1
    add("WORKS_AT", person, employer, decision)
    # Hometown townships, association memberships, event attendance: the hubs.
    home_people = rng.choice(person, size=int(n_person * 0.6), replace=False)
    add("FROM", home_people, town[_pick(rng, _pareto_weights(rng, n_town, 1.0, 1e6), home_people.shape[0])])
    members = rng.choice(person, size=int(n_person * 0.3))
    member_role = rng.choice(6, size=members.shape[0], p=[0.002, 0.003, 0.02, 0.005, 0.07, 0.9]).astype(np.int16)
    add("MEMBER_OF", members, assoc[_pick(rng, _pareto_weights(rng, n_assoc, 0.9, 1e6), members.shape[0])], member_role)
    goers = rng.choice(person, size=int(n_person * 0.2))
    add("ATTENDED", goers, event[_pick(rng, _pareto_weights(rng, n_event, 1.2, 1e6), goers.shape[0])],
        age=rng.uniform(0, 1500, goers.shape[0]))
    # Companies supplying companies; shareholders.
    n_supply = int(n_nodes * 0.3)
    add("SUPPLIES", company[_pick(rng, company_w, n_supply)], company[rng.integers(0, n_company, n_supply)])
    holders = rng.choice(person, size=int(n_nodes * 0.05))
    add("SHAREHOLDER_OF", holders, company[_pick(rng, company_w, holders.shape[0])],
        (rng.uniform(0, 30, holders.shape[0]) >= 5).astype(np.int16))
    # Officers visit companies; leaders adopt contacts.
    officers = np.flatnonzero(role_bits & (1 << roles.index("officer")))
    contacts = np.flatnonzero(role_bits & (1 << roles.index("contact")))
    leaders = np.flatnonzero(role_bits & (1 << roles.index("leader")))
    n_visit = int(n_nodes * 0.02)
    add("VISITED", officers[rng.integers(0, officers.shape[0], n_visit)], company[_pick(rng, company_w, n_visit)],
        age=rng.uniform(0, 1100, n_visit))
    adopted = rng.choice(contacts, size=min(contacts.shape[0], leaders.shape[0] * 5), replace=False)
    add("ASSIGNED_TO", leaders[rng.integers(0, leaders.shape[0], adopted.shape[0])], adopted)
    # Acquaintances fill the rest of the edge budget: Chung–Lu with heavy-tailed weights.
    used = sum(p.shape[0] for p in src_parts)
    n_knows = max(int(n_nodes * avg_degree / 2) - used, 0)
    person_w = _pareto_weights(rng, n_person, 2.1, 2e3)
    a = _pick(rng, person_w, n_knows)
    b = _pick(rng, person_w, n_knows)
    keep = a != b
    contexts = list(schema.edge("KNOWS").strengths)
    shares = np.array([0.05, 0.2, 0.02, 0.25, 0.2, 0.2, 0.06, 0.02])
    add("KNOWS", person[a[keep]], person[b[keep]],
        rng.choice(len(contexts), size=int(keep.sum()), p=shares / shares.sum()).astype(np.int16))

    src = np.concatenate(src_parts)
    dst = np.concatenate(dst_parts)
    edge_kind = np.concatenate(kind_parts)
    category = np.concatenate(cat_parts)
    age = np.concatenate(age_parts)

    # Declared sizes: associations state a member count above what the lists hold,
    # townships their population.
    declared = np.zeros(n)
    declared[assoc] = rng.integers(10, 3000, n_assoc)
    declared[town] = rng.integers(5_000, 80_000, n_town)
    strength, is_decision = _strengths(schema, src, dst, edge_kind, category, age, declared, n)
    our = (role_bits & sum(1 << roles.index(r) for r in schema.node("Person").our_side_roles)) > 0
    our |= is_local
    works = edge_kind == edges.index("WORKS_AT")
    our[src[works & is_local[dst]]] = True
    return SyntheticGraph(
        schema, kind, role_bits, our, is_local, declared, src, dst, edge_kind, strength, is_decision,
        company, category, age,
    )


def _strengths(schema: Schema, src, dst, edge_kind, category, age, declared, n):
    """Every edge's strength: base strengths from the schema's tables by category, then
    hub damping and decay through :func:`leadgraph.graph.strength.scale_strengths`."""
    edges = list(schema.edges)
    base = np.empty(src.shape[0])
    decision = np.zeros(src.shape[0], dtype=bool)
    for code, name in enumerate(edges):
        mask = edge_kind == code
        if not mask.any():
            continue
        spec = schema.edge(name)
        if name == "KNOWS":
            table = np.array([spec.default_strength({"context": c}) for c in spec.strengths])
            base[mask] = table[category[mask]]
        elif name == "MEMBER_OF":
            table = np.array([spec.default_strength({"role": r}) for r in ("会长", "执行会长", "副会长", "秘书长", "理事", "会员")])
            base[mask] = table[category[mask]]
        elif name == "WORKS_AT":
            base[mask] = np.where(category[mask] == 1, spec.default_strength({"decision_maker": True}),
                                  spec.default_strength({"decision_maker": False}))
            decision[mask] = category[mask] == 1
        else:
            base[mask] = spec.strength
            if name == "SHAREHOLDER_OF":
                decision[mask] = category[mask] == 1
    hub_kinds = [edges.index(k) for k, spec in schema.edges.items() if spec.hub_damped]
    degree = np.bincount(dst[np.isin(edge_kind, hub_kinds)], minlength=n).astype(float)
    size = np.maximum(declared, degree)
    return scale_strengths(schema, edge_kind, base, size[dst], age), decision
