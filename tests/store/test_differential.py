"""The same writes on both backends give the same graph and the same answers.

A seeded random graph is written through the WriteBatch API into an embedded store and
into Neo4j; then both are asked the same few hundred searches and neighbour queries.
Everything must agree, except the wall-clock timestamps of sources.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from leadgraph.errors import LeadgraphError
from leadgraph.graph import EmbeddedStore, GraphStore
from leadgraph.graph.terms import pinyin_terms

SURNAMES = "张王李赵刘陈杨黄周吴徐孙"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚巍"
PLACES = ["宁波", "苏州", "常州", "江苏", "上海", "深圳", ""]
CORES = ["激智", "长阳", "双星", "裕兴", "东材", "光电", "新材", "示例", "膜材"]
FORMS = ["科技股份有限公司", "新材料有限公司", "薄膜有限公司", "集团", "光学膜公司"]
SEGMENTS = ["PET基膜", "光学膜", "增亮膜", "离型膜", "保护膜", "光伏背板", "封装胶膜", "隔膜"]
TOWNS = ["青石镇", "柳河乡", "东湖街道", "白沙镇"]
CONTEXTS = ["同学", "同乡", "同事", "亲属", "业务", "朋友"]
TITLES = ["董事长", "总经理", "副总经理", "采购经理", "技术总监"]
EDGE_MIX = ["KNOWS", "KNOWS", "WORKS_AT", "MEMBER_OF", "FROM", "VISITED", "OPERATES_IN", "SUPPLIES", "ATTENDED", "TARGETS"]


def _person_props(rng: random.Random) -> dict[str, Any]:
    props: dict[str, Any] = {"name": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 1, 2])))}
    choice = rng.random()
    if choice < 0.5:
        props["mobile"] = f"138{rng.randrange(10**8):08d}"
    if choice > 0.3:
        props["org_name"] = rng.choice(PLACES) + rng.choice(CORES) + rng.choice(FORMS)
    if "mobile" not in props and "org_name" not in props or rng.random() < 0.3:
        props["township"] = rng.choice(TOWNS)
    if rng.random() < 0.6:
        props["roles"] = rng.sample(["contact", "ambassador", "executive", "officer", "leader"], rng.choice([1, 2]))
    if rng.random() < 0.4:
        props["title"] = rng.choice(TITLES)
    return props


def _org_props(rng: random.Random) -> dict[str, Any]:
    core = rng.choice(CORES) + rng.choice(CORES)
    props: dict[str, Any] = {"name": rng.choice(PLACES) + core + rng.choice(FORMS)}
    if rng.random() < 0.4:
        props["short_name"] = core
    if rng.random() < 0.3:
        props["stock_code"] = f"{rng.choice(['300', '688', '600', '002'])}{rng.randrange(1000):03d}.{rng.choice(['SZ', 'SH'])}"
    if rng.random() < 0.2:
        props["org_kind"] = rng.choice(["listed", "company", "association"])
    return props


def _restated(rng: random.Random, stated: list[dict[str, Any]]) -> dict[str, Any]:
    """An earlier row stated again by another list: fewer keys, a new value, or more roles."""
    props = dict(rng.choice(stated))
    change = rng.randrange(4)
    if change == 0 and len(props) > 2:
        props.pop(rng.choice(sorted(set(props) - {"name"})))
    elif change == 1:
        props["city" if "stock_code" not in props else "short_name"] = rng.choice(PLACES[:-1])
    elif change == 2 and "roles" in props:
        props["roles"] = [*props["roles"], "ambassador"]
    else:
        props["name"] = " " + props["name"]  # same canonical name, other spelling
    return props


def _write_random_graph(store: GraphStore, seed: int) -> list[Any]:
    """Write a seeded random graph in several batches; returns every upsert's outcome."""
    rng = random.Random(seed)
    outcomes: list[Any] = []
    people: list[str] = []
    orgs: list[str] = []
    others: dict[str, list[str]] = {"ChainSegment": [], "Region": [], "Event": [], "Project": []}
    stated_people: list[dict[str, Any]] = []
    stated_orgs: list[dict[str, Any]] = []

    def attempt(write: Callable[[], Any]) -> str | None:
        try:
            result = write()
        except LeadgraphError as exc:
            outcomes.append(("refused", type(exc).__name__, exc.message))
            return None
        outcomes.append(result)
        return result.id

    for number in range(4):
        with store.batch(f"名录{number % 3}") as batch:
            for _ in range(30):
                props = _restated(rng, stated_people) if stated_people and rng.random() < 0.35 else _person_props(rng)
                stated_people.append(props)
                if (node := attempt(lambda: batch.upsert_node("Person", props))) is not None:
                    people.append(node)
            for _ in range(12):
                props = _restated(rng, stated_orgs) if stated_orgs and rng.random() < 0.35 else _org_props(rng)
                stated_orgs.append(props)
                if (node := attempt(lambda: batch.upsert_node("Organization", props, {"org_kind": "company"}))) is not None:
                    orgs.append(node)
            for segment in rng.sample(SEGMENTS, 3):
                others["ChainSegment"].append(batch.upsert_node("ChainSegment", {"name": segment, "stage": "中游"}).id)
            for town in rng.sample(TOWNS, 2):
                others["Region"].append(batch.upsert_node("Region", {"name": town, "level": "township"}).id)
            event = {"name": f"{rng.choice(PLACES)}功能膜推介会", "date": f"2024-0{rng.randrange(1, 10)}-15"}
            others["Event"].append(batch.upsert_node("Event", event).id)
            project = {"name": f"{rng.choice(CORES)}膜项目", "amount_yi": rng.choice([1.5, 3, 10])}
            others["Project"].append(batch.upsert_node("Project", project).id)
            for _ in range(70):
                kind = rng.choice(EDGE_MIX)
                a, b = rng.choice(people), rng.choice(orgs)
                spec: dict[str, tuple[str, str, dict[str, Any]]] = {
                    "KNOWS": (a, rng.choice(people), {"context": rng.choice(CONTEXTS)}),
                    "WORKS_AT": (a, b, {"title": rng.choice(TITLES), "decision_maker": rng.random() < 0.3}),
                    "MEMBER_OF": (a, b, {"role": rng.choice(["会长", "会员", "理事"])}),
                    "FROM": (a, rng.choice(others["Region"]), {}),
                    "VISITED": (a, b, {"date": f"2024-0{rng.randrange(1, 4)}-0{rng.randrange(1, 4)}"}),
                    "OPERATES_IN": (b, rng.choice(others["ChainSegment"]), {"main_product": rng.choice(SEGMENTS)}),
                    "SUPPLIES": (b, rng.choice(orgs), {}),
                    "ATTENDED": (a, rng.choice(others["Event"]), {}),
                    "TARGETS": (rng.choice(others["Project"]), b, {}),
                }
                src, dst, props = spec[kind]
                attempt(lambda: batch.upsert_edge(kind, src, dst, props))
    return outcomes


def _without_times(item: Any) -> dict[str, Any]:
    data = item.to_dict()
    data["sources"] = [s["source"] for s in data["sources"]]
    return data


def _queries(store: GraphStore, rng: random.Random, count: int) -> list[str]:
    names = sorted({n.name for n in store.iter_nodes()})
    extras = sorted({str(n.props[p]) for n in store.iter_nodes("Organization") for p in ("short_name", "stock_code") if p in n.props})
    queries = []
    while len(queries) < count:
        name = rng.choice(names)
        pick = rng.randrange(8)
        if pick == 0:
            queries.append(name)
        elif pick == 1:
            queries.append(name[: rng.randrange(1, len(name) + 1)])
        elif pick == 2:
            start = rng.randrange(len(name))
            queries.append(name[start : start + rng.randrange(1, 4)])
        elif pick == 3:
            queries.append(rng.choice(sorted(pinyin_terms(name)) or [name]))
        elif pick == 4 and extras:
            extra = rng.choice(extras)
            queries.append(extra.split(".")[0][: rng.randrange(2, 7)] if extra[0].isdigit() else extra)
        elif pick == 5:
            queries.append("".join(rng.choices("zwlmhcyjx", k=rng.randrange(1, 4))))
        elif pick == 6:
            queries.append(rng.choice(SURNAMES + GIVEN) + rng.choice(["", " ", "有限公司"]))
        else:
            queries.append(rng.choice(["膜", "科技", "ZW", "宁波", "（", "300", "sh", "", " "]))
    return queries


@pytest.mark.parametrize("seed", [7, 2024])
def test_random_graph_reads_the_same_on_both_backends(neo4j_store, tmp_path, seed):
    with EmbeddedStore(tmp_path / "embedded.db") as embedded:
        assert _write_random_graph(embedded, seed) == _write_random_graph(neo4j_store, seed)
        stores = (embedded, neo4j_store)
        nodes = [[_without_times(n) for n in s.iter_nodes()] for s in stores]
        assert nodes[0] == nodes[1]
        edges = [[_without_times(e) for e in s.iter_edges()] for s in stores]
        assert edges[0] == edges[1]
        ids = [n["id"] for n in nodes[0]]
        assert embedded.node_keys(ids) == neo4j_store.node_keys(ids)
        assert embedded.counts() == neo4j_store.counts()

        rng = random.Random(seed)
        for query in _queries(embedded, rng, 300):
            kinds = rng.choice([None, None, frozenset({"Person"}), frozenset({"Organization", "ChainSegment"})])
            limit = rng.choice([5, 20, 100])
            expected = [h.to_dict() for h in embedded.search(query, kinds=kinds, limit=limit)]
            assert [h.to_dict() for h in neo4j_store.search(query, kinds=kinds, limit=limit)] == expected, query

        for node_id in rng.sample(ids, 60):
            edge_kinds = rng.choice([None, frozenset({"KNOWS"}), frozenset({"WORKS_AT", "MEMBER_OF", "VISITED"})])
            limit = rng.choice([1, 3, 10, 500])
            answers = []
            for store in stores:
                found, cut = store.neighbours(node_id, edge_kinds=edge_kinds, limit=limit)
                answers.append(([(_without_times(n.edge), _without_times(n.node), n.direction) for n in found], cut))
            assert answers[0] == answers[1], node_id


def test_golden_county_searches_and_neighbours_read_the_same_on_both_backends(neo4j_store, tmp_path):
    """The golden scenario through the real ingest: every node's name, prefixes, pinyin and
    aliases searched, every node's neighbours read with and without kind filters."""
    from tests.fixtures.golden_county import load

    load(neo4j_store)
    with EmbeddedStore(tmp_path / "golden.db") as embedded:
        load(embedded)
        nodes = [_without_times(n) for n in embedded.iter_nodes()]
        assert [_without_times(n) for n in neo4j_store.iter_nodes()] == nodes
        assert [_without_times(e) for e in neo4j_store.iter_edges()] == [_without_times(e) for e in embedded.iter_edges()]
        assert neo4j_store.counts() == embedded.counts()
        queries = set()
        for node in nodes:
            name = node["name"]
            queries |= {name, name[:1], name[:2], name[1:3], *pinyin_terms(name)}
            queries |= {str(node["props"][p]) for p in ("short_name", "stock_code", "mobile") if p in node["props"]}
        asked = 0
        for query in sorted(queries):
            for kinds in (None, frozenset({"Person"}), frozenset({"Organization", "Region"})):
                expected = [h.to_dict() for h in embedded.search(query, kinds=kinds, limit=10)]
                assert [h.to_dict() for h in neo4j_store.search(query, kinds=kinds, limit=10)] == expected, (query, kinds)
                asked += 1
        assert asked > 300
        edge_kinds = sorted(embedded.schema.edges)
        for node in nodes:
            for kinds, limit in ((None, 500), (None, 2), (frozenset({"KNOWS", "WORKS_AT"}), 500), (frozenset(edge_kinds[::2]), 3)):
                answers = []
                for store in (embedded, neo4j_store):
                    found, cut = store.neighbours(node["id"], edge_kinds=kinds, limit=limit)
                    answers.append(([(_without_times(n.edge), _without_times(n.node), n.direction) for n in found], cut))
                assert answers[1] == answers[0], (node["id"], kinds, limit)
