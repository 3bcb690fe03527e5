"""Load throughput into Neo4j through ``Neo4jStore.bulk_load`` on a generated graph.

Usage (with a server from ``make neo4j``; it empties that database first)::

    set -a; . .neo4j/env; set +a
    .venv/bin/python bench/neo4j_load.py --nodes 100000 --edges 200000

Prints nodes/s and relationships/s. The graph is synthetic: people with mobiles,
companies with stock codes, KNOWS / WORKS_AT / MEMBER_OF edges between random ends.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Iterator

from neo4j import GraphDatabase

from bench.neo4j_bench import BENCH_ID_KEY
from leadgraph.graph.identity import edge_id, natural_keys, node_id
from leadgraph.graph.model import Edge, Node, Source
from leadgraph.graph.neo4j_store import Neo4jStore
from leadgraph.schema import default_schema
from leadgraph.settings import Settings

__all__ = ["generated_nodes", "generated_edges", "main"]

_SOURCE = [Source("bench", "2024-01-01T00:00:00.000000Z", "2024-01-01T00:00:00.000000Z")]


def _node(kind: str, props: dict) -> Node:
    spec = default_schema().node(kind)
    return Node(node_id(spec, natural_keys(spec, props)[0], BENCH_ID_KEY), kind, props["name"], props, _SOURCE)


def generated_nodes(count: int, seed: int = 1) -> list[Node]:
    """People (90 %) and companies (10 %) with distinct natural keys."""
    rng = random.Random(seed)
    nodes = []
    for i in range(count):
        if i % 10:
            props = {"name": f"{rng.choice('张王李赵刘陈杨黄')}{rng.choice('伟芳娜敏静丽强')}{i}", "mobile": f"1{i:010d}",
                     "roles": ["contact"], "city": rng.choice(["苏州", "上海", "深圳"])}
            nodes.append(_node("Person", props))
        else:
            props = {"name": f"示例{i}薄膜有限公司", "stock_code": f"{300000 + i}.SZ", "org_kind": "listed"}
            nodes.append(_node("Organization", props))
    return nodes


def generated_edges(nodes: list[Node], count: int, seed: int = 2) -> Iterator[Edge]:
    rng = random.Random(seed)
    people = [n.id for n in nodes if n.kind == "Person"]
    orgs = [n.id for n in nodes if n.kind == "Organization"]
    schema = default_schema()
    seen = set()
    while len(seen) < count:
        kind = rng.choice(["KNOWS", "KNOWS", "WORKS_AT", "MEMBER_OF"])
        src = rng.choice(people)
        dst = rng.choice(people) if kind == "KNOWS" else rng.choice(orgs)
        props = {"context": "同学"} if kind == "KNOWS" else {}
        new_id = edge_id(schema.edge(kind), src, dst, props)
        if src != dst and new_id not in seen:
            seen.add(new_id)
            yield Edge(new_id, kind, src, dst, props, _SOURCE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    args = parser.parse_args()
    nodes = generated_nodes(args.nodes)
    edges = list(generated_edges(nodes, args.edges))
    settings = Settings()
    with GraphDatabase.driver(settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password)) as driver:
        with driver.session(database=settings.neo4j_database) as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    with Neo4jStore.from_settings(settings) as store:
        started = time.perf_counter()
        store.bulk_load(nodes, [], chunk_size=args.chunk)
        node_seconds = time.perf_counter() - started
        started = time.perf_counter()
        store.bulk_load([], edges, chunk_size=args.chunk)
        edge_seconds = time.perf_counter() - started
        counts = store.counts()
    print(json.dumps({
        "nodes": args.nodes, "edges": args.edges, "chunk": args.chunk,
        "nodes_per_s": round(args.nodes / node_seconds), "relationships_per_s": round(args.edges / edge_seconds),
        "counts": counts,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
