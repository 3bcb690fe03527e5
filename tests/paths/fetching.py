"""Test helpers: an embedded store that answers paths the way a server store does (by
fetching neighbourhoods through :class:`~leadgraph.graph.pathfetch.Neighbourhood`), and a
seeded random graph with hubs, local firms, decision makers and dated ties."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

from leadgraph.graph import EmbeddedStore, GraphStore
from leadgraph.graph.pathfetch import NodeFacts, node_fact_properties, strength_properties
from leadgraph.schema import Schema, default_schema

__all__ = ["FetchingStore", "EmbeddedReader", "small_cap_schema", "write_random_county", "random_questions"]


def small_cap_schema(cap: int = 3) -> Schema:
    schema = default_schema()
    return schema.model_copy(update={"ranking": schema.ranking.model_copy(update={"hub_cap": cap})})


class EmbeddedReader:
    """A :class:`~leadgraph.graph.pathfetch.NeighbourhoodReader` over an embedded store's graph."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store
        self.schema = store.schema
        self.calls = 0
        traversable = self.schema.traversable_edges
        self._traversable = traversable
        self._hubs = {k for k in traversable if self.schema.edge(k).hub_damped}
        self._edge_props = strength_properties(self.schema)
        self._node_props = node_fact_properties(self.schema)
        self._props = {node_id: props for node_id, _, _, props in store.node_records()}

    def _ties(self, node_id: str) -> list[tuple[str, str, str, str, dict[str, Any]]]:
        graph = self.store.graph
        ties = []
        for src, dst, key, data in [*graph.out_edges(node_id, keys=True, data=True),
                                    *graph.in_edges(node_id, keys=True, data=True)]:
            if data["kind"] in self._traversable and src != dst:
                props = {p: data["props"][p] for p in self._edge_props if p in data["props"]}
                ties.append((key, data["kind"], src, dst, props))
        return ties

    def _our_side(self, node_id: str) -> bool:
        graph = self.store.graph
        kind = graph.nodes[node_id]["kind"]
        props = self._props[node_id]
        if kind == "Organization":
            return props.get("is_local") is True
        if kind != "Person":
            return False
        if not set(self.schema.node("Person").our_side_roles).isdisjoint(props.get("roles") or ()):
            return True
        return any(
            data["kind"] == "WORKS_AT" and graph.nodes[dst]["kind"] == "Organization"
            and self._props[dst].get("is_local") is True
            for _, dst, data in graph.out_edges(node_id, data=True)
        )

    def _facts(self, node_id: str) -> NodeFacts:
        graph = self.store.graph
        props = self._props[node_id]
        ties = self._ties(node_id)
        return NodeFacts(
            node_id,
            graph.nodes[node_id]["kind"],
            graph.nodes[node_id]["name"],
            {p: props[p] for p in self._node_props if p in props},
            self._our_side(node_id),
            len(ties),
            sum(1 for _, kind, _, dst, _ in ties if kind in self._hubs and dst == node_id),
        )

    def rows(self, ids: Sequence[str], known: Iterable[str]):
        self.calls += 1
        known = set(known)
        rows = {node_id: self._ties(node_id) for node_id in ids if node_id in self.store.graph}
        wanted = set(ids) | {end for row in rows.values() for e in row for end in (e[2], e[3])}
        return rows, {n: self._facts(n) for n in sorted(wanted - known) if n in self.store.graph}

    def our_side_count(self) -> int:
        return sum(1 for n in self.store.graph.nodes if self._our_side(n))

    def role_count(self, role: str) -> int:
        return sum(1 for props in self._props.values() if role in (props.get("roles") or ()))

    def our_people_from(self, region_id: str) -> list[str]:
        graph = self.store.graph
        return sorted({s for s, _, d in graph.in_edges(region_id, data=True) if d["kind"] == "FROM" and self._our_side(s)})


class FetchingStore(EmbeddedStore):
    """An embedded store whose path questions go through neighbourhood fetching."""

    def path_source(self) -> EmbeddedReader:
        return EmbeddedReader(self)


SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
CONTEXTS = ["同学", "同乡", "同事", "亲属", "业务", "朋友", "战友", "其他"]
TITLES = ["董事长", "总经理", "副总经理", "采购经理", "技术总监", "创始人"]
MEMBER_ROLES = ["会长", "副会长", "秘书长", "理事", "会员", "会员", "会员"]
ROLES = ["contact", "ambassador", "executive", "officer", "leader", "local"]


def write_random_county(store: GraphStore, seed: int, people: int = 60, firms: int = 14) -> dict[str, list[str]]:
    """A random county with hubs (townships, associations, events), local firms, decision
    makers, dated visits and ties of every strength; returns the ids by kind."""
    rng = random.Random(seed)
    ids: dict[str, list[str]] = {"Person": [], "Organization": [], "Region": [], "Event": [], "assoc": []}
    with store.batch("随机名录") as batch:
        for i in range(people):
            props: dict[str, Any] = {"name": rng.choice(SURNAMES) + rng.choice(GIVEN) + f"{i}", "mobile": f"139{i:08d}"}
            if rng.random() < 0.35:
                props["roles"] = rng.sample(ROLES, rng.choice([1, 1, 2]))
            if rng.random() < 0.4:
                props["title"] = rng.choice(TITLES)
            ids["Person"].append(batch.upsert_node("Person", props).id)
        for i in range(firms):
            props = {"name": f"{rng.choice(SURNAMES)}{i}膜材科技有限公司", "org_kind": "company"}
            if rng.random() < 0.25:
                props["is_local"] = True
            ids["Organization"].append(batch.upsert_node("Organization", props).id)
        for i in range(3):
            props = {"name": f"{rng.choice(SURNAMES)}{i}商会", "org_kind": "association"}
            if rng.random() < 0.7:
                props["member_count"] = rng.choice([8, 12, 40, 800])
            ids["assoc"].append(batch.upsert_node("Organization", props).id)
        for i, town in enumerate(["青石镇", "柳河乡", "白沙镇"]):
            props = {"name": town, "level": "township"}
            if i:
                props["population"] = rng.choice([3000, 60000])
            ids["Region"].append(batch.upsert_node("Region", props).id)
        for i in range(3):
            props = {"name": f"推介会{i}", "date": f"202{rng.randrange(2, 5)}-0{rng.randrange(1, 10)}-15"}
            ids["Event"].append(batch.upsert_node("Event", props).id)
        person, firm = ids["Person"], ids["Organization"]
        for _ in range(people * 3):
            kind = rng.choice(["KNOWS", "KNOWS", "KNOWS", "WORKS_AT", "WORKS_AT", "MEMBER_OF", "FROM", "VISITED",
                               "ATTENDED", "SUPPLIES", "SHAREHOLDER_OF", "ASSIGNED_TO", "LOCATED_IN"])
            a = rng.choice(person)
            if kind == "KNOWS":
                b, props = rng.choice(person), {"context": rng.choice(CONTEXTS)}
                if rng.random() < 0.15:
                    props["strength"] = rng.choice([0.2, 0.5, 0.8, 1.0, 7, 90])
            elif kind == "WORKS_AT":
                b, props = rng.choice(firm), {"title": rng.choice(TITLES)}
                if rng.random() < 0.2:
                    props["decision_maker"] = rng.random() < 0.5
            elif kind == "MEMBER_OF":
                b, props = rng.choice(ids["assoc"]), {"role": rng.choice(MEMBER_ROLES)}
            elif kind == "FROM":
                b, props = rng.choice(ids["Region"]), {}
            elif kind == "VISITED":
                b, props = rng.choice(firm + person), {"date": f"202{rng.randrange(1, 5)}-0{rng.randrange(1, 10)}-0{rng.randrange(1, 10)}"}
            elif kind == "ATTENDED":
                b, props = rng.choice(ids["Event"]), {}
            elif kind == "SUPPLIES":
                a, b, props = rng.choice(firm), rng.choice(firm), {}
            elif kind == "SHAREHOLDER_OF":
                b, props = rng.choice(firm), {"share_pct": rng.choice([1.0, 5.0, 12.0])}
            elif kind == "ASSIGNED_TO":
                b, props = rng.choice(person), {}
            else:
                b, props = rng.choice(ids["Region"]), {}
            if a != b:
                batch.upsert_edge(kind, a, b, props)
    return ids


def random_questions(store: GraphStore, ids: dict[str, list[str]], seed: int, count: int) -> list[dict[str, Any]]:
    """Path questions (``find_paths`` parameters) over a random county, with every filter."""
    rng = random.Random(seed)
    names = {i: store.node(i).name for kind in ids.values() for i in kind}
    kinds = sorted(store.schema.traversable_edges)
    our_roles = set(store.schema.node("Person").our_side_roles)
    ours = [i for i in ids["Person"] if our_roles & set(store.node(i).props.get("roles") or ())]
    ours += [i for i in ids["Organization"] if store.node(i).props.get("is_local") is True]
    out = []
    for _ in range(count):
        to = rng.choice(ids["Organization"] * 3 + ids["Person"])
        q: dict[str, Any] = {"to": to if rng.random() < 0.5 else names[to]}
        if rng.random() < 0.3:
            q["k"] = rng.choice([1, 2, 3, 8])
        if rng.random() < 0.4:
            q["max_hops"] = rng.choice([1, 2, 3, 4, 5])
        if rng.random() < 0.2:
            q["only_kinds"] = rng.sample(kinds, rng.choice([2, 4, 6]))
        elif rng.random() < 0.2:
            q["never_kinds"] = rng.sample(kinds, rng.choice([1, 2]))
        if rng.random() < 0.25:
            q["exclude"] = [i for i in rng.sample(ids["Person"] + ids["assoc"], rng.choice([1, 2])) if i != to]
        pick = rng.random()
        if pick < 0.15:
            q["from"] = [rng.choice(["leader", "县领导", "contact", "executive", "在外乡贤"])]
        elif pick < 0.25:
            q["from"] = [rng.choice(["青石镇", "柳河乡", "白沙镇"])]
        elif pick < 0.35:
            q["from"] = rng.sample(ours, 3)  # --from narrows our side
        elif pick < 0.38:
            q["from"] = [rng.choice(ids["Person"])]  # anyone: refused alike when not ours
        out.append(q)
    return out
