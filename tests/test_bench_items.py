"""The Neo4j benchmarks' generated items, small: a change to how stores make ids or keys
must not leave ``bench/neo4j_bench.py`` and ``bench/neo4j_import_bench.py`` unable to run
(their full runs take an hour and are not part of the suite)."""

from __future__ import annotations

from bench.neo4j_bench import BENCH_ID_KEY, items, stream_items
from bench.synthetic import generate
from leadgraph.graph import EmbeddedStore
from leadgraph.graph.identity import natural_keys, node_id
from leadgraph.schema import default_schema


def test_streamed_items_are_the_listed_items_in_the_same_order():
    graph = generate(default_schema(), 400, seed=3)
    nodes, edges, keys = items(graph)
    ids: list[str] = []
    streamed_nodes, streamed_edges = stream_items(graph, ids)
    assert list(streamed_nodes) == nodes
    assert ids == [n.id for n in nodes]
    assert list(streamed_edges) == edges
    assert len(nodes) == graph.n_nodes and 0 < len(edges) <= graph.n_edges
    assert len({e.id for e in edges}) == len(edges)  # repeated ties merged, as an upsert merges them
    assert {node_id for _, node_id in keys} == set(ids)


def test_item_ids_are_the_ones_a_store_signed_with_the_bench_key_would_make():
    schema = default_schema()
    nodes, edges, keys = items(generate(schema, 300, seed=5))
    for node in nodes[:50]:
        spec = schema.node(node.kind)
        assert node.id == node_id(spec, natural_keys(spec, node.props)[0], BENCH_ID_KEY)
    store = EmbeddedStore(":memory:")
    store.restore(nodes, edges, keys)
    assert sum(store.counts()["nodes"].values()) == len(nodes)
    assert sum(store.counts()["edges"].values()) == len(edges)
