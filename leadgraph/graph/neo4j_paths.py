"""Referral paths on Neo4j: the neighbourhood reader behind :class:`~.pathfetch.Neighbourhood`,
used while the store's projection (:mod:`leadgraph.graph.neo4j_projection`) is stale.

``Neo4jStore.path_source()`` returns a :class:`Neo4jPathReader`. The generic code in
:mod:`leadgraph.graph.pathfetch` decides which nodes' ties it needs (hop by hop from the
target's decision makers, within a cost radius); this module fetches them with bounded
Cypher: one query per hop for a whole frontier, ``UNWIND $ids`` per label (an index
seek on ``id``), over the schema's traversable relationship types only, values as
parameters, each transaction bounded by ``NEO4J_TIMEOUT``. With the ties come the facts
the index needs about every node at their ends: kind, name, roles, ``is_local``, hub
size properties and event dates, whether it is on our side (which may depend on a local
employer outside the neighbourhood), its number of traversable ties (for the hub cap)
and its number of shared-membership ties (its size as a hub) — degrees that Neo4j keeps
per node, so a 60,000-member township costs no more than a person.

Counts over the whole graph (how many are on our side, who holds a role, our people
from a township) are cached per database state: the bookmark a read returns changes
exactly when a transaction commits, so a cached count is reused only while nothing was
written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from neo4j import ManagedTransaction, unit_of_work

from leadgraph.graph.pathfetch import NodeFacts, node_fact_properties, strength_properties
from leadgraph.graph.neo4j_layout import label, rel_type

if TYPE_CHECKING:
    from leadgraph.graph.neo4j_store import Neo4jStore

__all__ = ["Neo4jPathReader"]

T = TypeVar("T")


class Neo4jPathReader:
    """A :class:`~leadgraph.graph.pathfetch.NeighbourhoodReader` on a Neo4j store."""

    def __init__(self, store: "Neo4jStore") -> None:
        self.store = store
        self.schema = schema = store.schema
        traversable = sorted(schema.traversable_edges)
        hubs = sorted(k for k in traversable if schema.edge(k).hub_damped)
        self._types = "|".join(rel_type(schema, k) for k in traversable)
        self._hub_types = "|".join(rel_type(schema, k) for k in hubs)
        self._our_roles = list(schema.node("Person").our_side_roles)
        self._edge_props = strength_properties(schema)
        self._node_props = node_fact_properties(schema)
        person, org = label(schema, "Person"), label(schema, "Organization")
        self._ours = (
            f"CASE WHEN m:{person} THEN any(x IN coalesce(m.roles, []) WHERE x IN $our_roles) "
            f"OR EXISTS {{ (m)-[:{rel_type(schema, 'WORKS_AT')}]->(o:{org}) WHERE o.is_local = true }} "
            f"WHEN m:{org} THEN coalesce(m.is_local = true, false) ELSE false END"
        )
        tie = ", ".join(["n.id", "r.id", "type(r)", "startNode(r) = n", "m.id", *(f"r.`{p}`" for p in self._edge_props)])
        fact = ", ".join([
            "m.id", "coalesce(m.name, '')", *(f"m.`{p}`" for p in self._node_props), self._ours,
            f"COUNT {{ (m)-[:{self._types}]-() }}",
            f"COUNT {{ (m)<-[:{self._hub_types}]-() }}" if hubs else "0",
        ])
        # One round trip and one record per frontier: the driver pays per record, so ties
        # and facts come back as two lists of lists.
        self._rows_query = self._by_label("n") + (
            "WITH collect(n) AS owners "
            "CALL (owners) { UNWIND owners AS n "
            f"MATCH (n)-[r:{self._types}]-(m) WHERE m <> n "
            f"RETURN collect([{tie}]) AS ties, collect(DISTINCT m) AS others }} "
            "CALL (owners, others) { UNWIND owners + others AS m WITH DISTINCT m WHERE NOT m.id IN $known "
            f"RETURN collect([{fact}]) AS facts }} "
            "RETURN ties, facts"
        )
        self.version: tuple[str, ...] | None = None  # the database state of the latest read
        self.calls = 0
        if not store.__dict__.get("_path_queries_planned"):  # plan both queries before any question's clock starts
            self.rows([f"{schema.node('Person').id_prefix}:-"], ())
            store.__dict__["_path_queries_planned"] = True

    # -- plumbing ------------------------------------------------------------------------
    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        store = self.store
        with store._translated_errors(), store._session() as session:
            value = session.execute_read(unit_of_work(timeout=store.timeout)(work))
            self.version = tuple(sorted(session.last_bookmarks().raw_values))
        self.calls += 1
        return value

    def _by_label(self, variable: str) -> str:
        """``CALL { UNWIND $ids AS id WITH id WHERE id STARTS WITH 'per:' MATCH (x:Person {id: id})
        RETURN x UNION ALL … }`` over every label of the schema: an index seek per id in
        its own label, and one query text with one parameter, so the server plans it once
        (a plan is cached per query text and parameter types, and an empty list is a type
        of its own)."""
        parts = [
            f"UNWIND $ids AS id WITH id WHERE id STARTS WITH '{spec.id_prefix}:' "
            f"MATCH ({variable}:{label(self.schema, kind)} {{id: id}}) RETURN {variable}"
            for kind, spec in self.schema.nodes.items()
        ]
        return "CALL { " + " UNION ALL ".join(parts) + " } "

    def _cached(self, key: tuple[Any, ...], compute: Callable[[ManagedTransaction], T]) -> T:
        cache: dict[tuple[Any, ...], tuple[Any, Any]] = self.store.__dict__.setdefault("_path_counts", {})
        hit = cache.get(key)
        if hit is not None and self.version is not None and hit[0] == self.version:
            return hit[1]
        value = self._read(compute)
        if len(cache) > 256:
            cache.clear()
        cache[key] = (self.version, value)
        return value

    # -- the reader ----------------------------------------------------------------------
    def rows(
        self, ids: Sequence[str], known: Iterable[str]
    ) -> tuple[dict[str, list[tuple[str, str, str, str, dict[str, Any]]]], dict[str, NodeFacts]]:
        known = set(known)
        ids = list(ids)
        if not ids:
            return {}, {}

        def work(tx: ManagedTransaction) -> tuple[list[list[Any]], list[list[Any]]]:
            record = tx.run(self._rows_query, ids=ids, known=list(known), our_roles=self._our_roles).single()
            return record["ties"], record["facts"]

        ties, found = self._read(work)
        rows: dict[str, list[Any]] = {node_id: [] for node_id in ids}
        names = self._edge_props
        for node, edge_id, kind, out, other, *values in ties:
            src, dst = (node, other) if out else (other, node)
            rows[node].append((edge_id, kind, src, dst, {k: v for k, v in zip(names, values) if v is not None}))
        facts: dict[str, NodeFacts] = {}
        names = self._node_props
        for node_id, name, *values in found:
            *props, ours, degree, hub = values
            facts[node_id] = NodeFacts(
                node_id, self.schema.kind_of_id(node_id), str(name),
                {k: v for k, v in zip(names, props) if v is not None}, bool(ours), int(degree), int(hub),
            )
        return rows, facts

    def our_side_count(self) -> int:
        person, org = label(self.schema, "Person"), label(self.schema, "Organization")

        # Labels come from the schema; the only value, our_roles, is a parameter.
        people_query = f"MATCH (m:{person}) WHERE {self._ours} RETURN count(m) AS c"
        local_query = f"MATCH (o:{org}) WHERE o.is_local = true RETURN count(o) AS c"

        def work(tx: ManagedTransaction) -> int:
            total = tx.run(people_query, our_roles=self._our_roles).single()["c"]
            return total + tx.run(local_query).single()["c"]

        return self._cached(("our_side",), work)

    def role_count(self, role: str) -> int:
        query = f"MATCH (p:{label(self.schema, 'Person')}) WHERE $role IN p.roles RETURN count(p) AS c"
        return self._cached(("role", role), lambda tx: tx.run(query, role=role).single()["c"])

    def our_people_from(self, region_id: str) -> list[str]:
        region = label(self.schema, "Region")

        def work(tx: ManagedTransaction) -> list[str]:
            rows = tx.run(
                f"MATCH (r:{region} {{id: $id}})<-[:{rel_type(self.schema, 'FROM')}]-(m) WITH DISTINCT m "
                f"WHERE {self._ours} RETURN m.id AS id ORDER BY id",
                id=region_id, our_roles=self._our_roles,
            )
            return [rec["id"] for rec in rows]

        return self._cached(("from", region_id), work)
