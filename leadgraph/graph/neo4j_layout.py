"""How the declared graph is laid out in Neo4j: labels, properties, constraints, indexes.

One node kind is one label and one edge kind is one relationship type, both taken only
from the schema's fixed set and checked before they are written into Cypher; values
always travel as parameters. A node carries its own properties under their schema
names, plus a few internal ones whose names start with ``_``:

============== ===========================================================================
``id``         the stable id (unique per label)
``_name_canon`` canonical name, for the ambiguous-name lookup (range index)
``_terms``     search terms, with ``_term_weights`` in parallel (see :mod:`.terms`)
``_search``    the terms joined by U+001F, for substring search (text index)
``_src``       the sources that stated the item, with ``_src_first`` / ``_src_last``
               (first and last seen) in parallel; relationships carry them too
============== ===========================================================================

Natural keys are ``(:_Key {key, node_id})`` nodes: ``key`` is unique, so finding the
owner of a key is one index seek, and two batches racing to claim a key cannot both win.
The store's own settings are ``(:_Meta {name, value})`` nodes (``name`` unique): today only
``id_key``, the secret that signs new node ids (see :mod:`leadgraph.graph.identity`).

Examples
--------
>>> from leadgraph.schema import default_schema
>>> label(default_schema(), "Person")
'`Person`'
>>> label(default_schema(), "Person`) DETACH DELETE n //")
Traceback (most recent call last):
...
leadgraph.errors.SchemaError: unknown node kind 'Person`) DETACH DELETE n //'
"""

from __future__ import annotations

import json
import re
from typing import Any

from leadgraph.errors import SchemaError
from leadgraph.graph.identity import canonical
from leadgraph.graph.model import Edge, Node, Source
from leadgraph.graph.terms import node_terms
from leadgraph.schema import Schema

__all__ = [
    "KEY_LABEL",
    "META_LABEL",
    "TERM_SEPARATOR",
    "FULLTEXT_INDEX",
    "label",
    "rel_type",
    "schema_statements",
    "edge_by_id_query",
    "nodes_by_id_query",
    "edges_by_id_query",
    "check_property_names",
    "plain_props",
    "node_record",
    "edge_record",
    "node_from_record",
    "edge_from_record",
    "source_names",
]

KEY_LABEL = "_Key"
META_LABEL = "_Meta"
TERM_SEPARATOR = "\x1f"  # canonical() strips it (it is whitespace), so no term or query holds it
FULLTEXT_INDEX = "leadgraph_names"
_FULLTEXT_PROPERTIES = ("name", "short_name")
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _checked(name: str, allowed: dict[str, Any], what: str) -> str:
    if name not in allowed:
        raise SchemaError(f"unknown {what} kind '{name}'")
    if not _IDENTIFIER.match(name):
        raise SchemaError(f"{what} kind '{name}' cannot be a Neo4j {'label' if what == 'node' else 'type'}")
    return f"`{name}`"


def label(schema: Schema, kind: str) -> str:
    """The quoted label of a declared node kind; anything else is refused."""
    return _checked(kind, schema.nodes, "node")


def rel_type(schema: Schema, kind: str) -> str:
    """The quoted relationship type of a declared edge kind; anything else is refused."""
    return _checked(kind, schema.edges, "edge")


def check_property_names(schema: Schema) -> None:
    """Refuse a schema whose property names would collide with the internal ones."""
    for kinds in (schema.nodes, schema.edges):
        for kind, spec in kinds.items():
            for prop in spec.properties:
                if prop == "id" or prop.startswith("_") or not _IDENTIFIER.match(prop):
                    raise SchemaError(f"{kind}.{prop}: property names must not be 'id' or start with '_' on Neo4j")


def schema_statements(schema: Schema) -> list[tuple[str, str]]:
    """``(name, statement)`` for every constraint and index the schema calls for."""

    def create(name: str, what: str, target: str, rule: str) -> tuple[str, str]:
        return name, f"CREATE {what} `{name}` IF NOT EXISTS FOR {target} {rule}"

    statements = []
    for kind in schema.nodes:
        node, low = f"(n:{label(schema, kind)})", kind.lower()
        statements += [
            create(f"leadgraph_{low}_id", "CONSTRAINT", node, "REQUIRE n.id IS UNIQUE"),
            create(f"leadgraph_{low}_name", "INDEX", node, "ON (n._name_canon)"),
            create(f"leadgraph_{low}_search", "TEXT INDEX", node, "ON (n._search)"),
        ]
    for kind in schema.edges:
        rel = f"()-[r:{rel_type(schema, kind)}]-()"
        statements.append(create(f"leadgraph_rel_{kind.lower()}_id", "CONSTRAINT", rel, "REQUIRE r.id IS UNIQUE"))
    key = f"(k:`{KEY_LABEL}`)"
    statements += [
        create("leadgraph_key", "CONSTRAINT", key, "REQUIRE k.key IS UNIQUE"),
        create("leadgraph_key_node", "INDEX", key, "ON (k.node_id)"),
        create("leadgraph_meta", "CONSTRAINT", f"(m:`{META_LABEL}`)", "REQUIRE m.name IS UNIQUE"),
    ]
    labels = "|".join(label(schema, kind) for kind in schema.nodes)
    fields = [p for p in _FULLTEXT_PROPERTIES if any(p in spec.properties for spec in schema.nodes.values())]
    on_each = ", ".join(f"n.`{p}`" for p in fields)
    statements.append(create(FULLTEXT_INDEX, "FULLTEXT INDEX", f"(n:{labels})", f"ON EACH [{on_each}]"))
    return statements


def create_nodes_query(schema: Schema, kind: str) -> str:
    """``UNWIND $rows`` creating new nodes of one declared kind (label checked, values as parameters)."""
    return f"UNWIND $rows AS row CREATE (n:{label(schema, kind)}) SET n = row.map"


def update_nodes_query(schema: Schema, kind: str) -> str:
    """``UNWIND $rows`` merging new properties into existing nodes of one declared kind."""
    return f"UNWIND $rows AS row MATCH (n:{label(schema, kind)} {{id: row.id}}) SET n += row.map"


def edge_by_id_query(schema: Schema, only: str | None = None) -> str:
    """A query finding an edge by ``$id``: one index seek per kind, or only in kind ``only``."""
    return " UNION ".join(
        f"MATCH (a)-[r:{rel_type(schema, kind)} {{id: $id}}]->(b) "
        "RETURN type(r) AS kind, properties(r) AS p, a.id AS src, b.id AS dst"
        for kind in ([only] if only else schema.edges)
    )


def nodes_by_id_query(schema: Schema) -> str:
    """A query finding the nodes of ``$ids``: per label, an index seek for each id with its
    prefix. One text for any ids, so the server plans it once."""
    return " UNION ALL ".join(
        f"UNWIND $ids AS id WITH id WHERE id STARTS WITH '{spec.id_prefix}:' "
        f"MATCH (n:{label(schema, kind)} {{id: id}}) RETURN properties(n) AS p"
        for kind, spec in schema.nodes.items()
    )


def edges_by_id_query(schema: Schema) -> str:
    """A query finding the edges of ``$ids``: per kind, an index seek for each id."""
    return " UNION ALL ".join(
        f"UNWIND $ids AS id MATCH (a)-[r:{rel_type(schema, kind)} {{id: id}}]->(b) "
        "RETURN type(r) AS kind, properties(r) AS p, a.id AS src, b.id AS dst"
        for kind in schema.edges
    )


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain_props(props: dict[str, Any]) -> dict[str, Any]:
    """Properties as the embedded store keeps them: through JSON (dates become text).

    Text, numbers, booleans, nulls and lists of text come through JSON unchanged, so
    those are copied without the round trip (a tenth of the time for a typical map).

    >>> from datetime import date
    >>> plain_props({"name": "张伟", "roles": ["contact"], "when": date(2024, 1, 2)})
    {'name': '张伟', 'roles': ['contact'], 'when': '2024-01-02'}
    """
    plain = {}
    for name, value in props.items():
        kind = type(value)
        if kind in _JSON_SCALARS and type(name) is str:
            plain[name] = value
        elif kind is list and type(name) is str and all(type(v) is str for v in value):
            plain[name] = list(value)
        else:
            return json.loads(json.dumps(props, ensure_ascii=False, default=str))
    return plain


def _source_lists(sources: list[Source]) -> dict[str, list[str]]:
    return {
        "_src": [s.source for s in sources],
        "_src_first": [s.first_seen for s in sources],
        "_src_last": [s.last_seen for s in sources],
    }


def node_record(node: Node, sources: list[Source] | None = None) -> dict[str, Any]:
    """The Neo4j property map of a node; sources only when given (a batch adds them itself)."""
    props = plain_props(node.props)
    terms = sorted(node_terms(node.kind, props).items())
    record = {
        **props,
        "id": node.id,
        "_name_canon": canonical(node.name),
        "_terms": [t for t, _ in terms],
        "_term_weights": [w for _, w in terms],
        "_search": TERM_SEPARATOR.join(t for t, _ in terms),
    }
    if sources is not None:
        record.update(_source_lists(sources))
    return record


def edge_record(edge: Edge, sources: list[Source] | None = None) -> dict[str, Any]:
    """The Neo4j property map of a relationship."""
    record = {**plain_props(edge.props), "id": edge.id}
    if sources is not None:
        record.update(_source_lists(sources))
    return record


def _own_props(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: raw[k] for k in sorted(raw) if k != "id" and not k.startswith("_")}


def _sources(raw: dict[str, Any]) -> list[Source]:
    rows = zip(raw.get("_src") or [], raw.get("_src_first") or [], raw.get("_src_last") or [])
    return sorted((Source(*row) for row in rows), key=lambda s: (s.first_seen, s.source))


def source_names(raw: dict[str, Any]) -> frozenset[str]:
    return frozenset(raw.get("_src") or ())


def node_from_record(schema: Schema, raw: dict[str, Any], *, with_sources: bool = True) -> Node:
    props = _own_props(raw)
    return Node(
        raw["id"], schema.kind_of_id(raw["id"]), str(props.get("name", "")), props, _sources(raw) if with_sources else []
    )


def edge_from_record(kind: str, src: str, dst: str, raw: dict[str, Any], *, with_sources: bool = True) -> Edge:
    return Edge(raw["id"], kind, src, dst, _own_props(raw), _sources(raw) if with_sources else [])
