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


def test_synthetic_export_file_loads_as_the_generated_items(tmp_path):
    from bench.synthetic_export import write_export
    from leadgraph.graph.transfer import import_graph

    file = tmp_path / "synthetic.jsonl"
    with file.open("w", encoding="utf-8", newline="\n") as out:
        written = write_export(300, 5, out, n_targets=4)
    nodes, edges, _ = items(generate(default_schema(), 300, seed=5))
    assert written["counts"] == {"nodes": len(nodes), "edges": len(edges), "reviews": 0, "redirects": 0}
    assert not list(tmp_path.glob("*.body"))  # the spooled body is removed
    store = EmbeddedStore(":memory:")
    with file.open(encoding="utf-8") as lines:
        assert import_graph(store, lines) == written["counts"]
    assert {n.id for n in store.iter_nodes()} == {n.id for n in nodes}
    assert {e.id for e in store.iter_edges()} == {e.id for e in edges}
    assert len(written["targets"]) == 4
    assert {store.get_node(t).kind for t in written["targets"]} == {"Organization"}
