"""The declared list mappings (``mappings.yaml``): loading, checking, header matching.

A mapping says, for one kind of list, which columns it has (with synonyms) and which
nodes and edges each row produces. It is checked against the schema when loaded, so
a mapping that names an unknown property fails at start-up, not in row 3,000.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from leadgraph.errors import SchemaError, UnknownKind
from leadgraph.graph.identity import canonical
from leadgraph.ingest.readers import HEADER_JOINER
from leadgraph.schema import Schema, default_schema

__all__ = [
    "Column",
    "Step",
    "KindMapping",
    "Mappings",
    "load_mappings",
    "default_mappings",
    "MAPPINGS_PATH",
]

MAPPINGS_PATH = Path(__file__).with_name("mappings.yaml")

ParseName = Literal[
    "text", "prose", "person_name", "org_name", "gender", "township", "phone", "date", "amount_yi", "bool", "int", "float",
    "pct", "context", "org_kind", "credit_code", "stock_code",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Column(_Strict):
    header: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    parse: ParseName = "text"


class Step(_Strict):
    """One thing a row produces: ``node`` (upsert), ``ref`` (find) or ``edge`` (upsert)."""

    op: Literal["node", "ref", "edge"]
    name: str | None = Field(default=None, alias="as")
    kind: tuple[str, ...]
    set: dict[str, str] = {}
    const: dict[str, str] = {}
    match: dict[str, str] = {}
    roles: tuple[str, ...] = ()
    create: bool = False
    optional: bool = False
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None

    @field_validator("kind", "when", "unless", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


class KindMapping(_Strict):
    name: str = ""
    label: str
    # Words that name this kind in a sheet or file name (招商大使名单 → ambassadors); they
    # decide between kinds whose columns all fit the headers.
    names: tuple[str, ...] = ()
    columns: dict[str, Column]
    produce: tuple[Step, ...]

    def named_in(self, text: str) -> bool:
        """Whether a sheet or file name ``text`` names this kind."""
        text = canonical(text)
        return any(canonical(word) in text for word in self.names)

    def headers(self) -> dict[str, str]:
        """Every accepted header text (canonical form) -> field."""
        return {text: field for text, (field, _) in self._ranks().items()}

    def field_of(self, text: str) -> str | None:
        """The field a header text names, if any."""
        return self._field_and_rank(self._ranks(), text)[0]

    def _ranks(self) -> dict[str, tuple[str, int]]:
        """Accepted header text (canonical) -> (field, its place: 0 the header, then the synonyms in order)."""
        ranks: dict[str, tuple[str, int]] = {}
        for field, column in self.columns.items():  # as headers(): a later field's claim wins
            for rank, text in enumerate((column.header, *column.synonyms)):
                if ranks.get(canonical(text), ("", -1))[0] != field:
                    ranks[canonical(text)] = (field, rank)
        return ranks

    @staticmethod
    def _field_and_rank(ranks: dict[str, tuple[str, int]], text: str) -> tuple[str | None, int]:
        # Two-row headers arrive joined ('联系方式-手机'): try the whole, then the sub-header.
        found = ranks.get(canonical(text)) or ranks.get(canonical(text.rsplit(HEADER_JOINER, 1)[-1]))
        return found if found is not None else (None, 0)

    def match_headers(self, header: list[str]) -> tuple[dict[str, str], list[str]]:
        """Map a sheet's header texts to fields; also return the texts nobody claims.

        When several columns name one field (电话 and 手机, 籍贯 and 乡镇), the column whose
        name the mapping declares first — its header, then its synonyms in their order, most
        specific first — is read; the others are unclaimed (see :meth:`field_of`).
        """
        ranks = self._ranks()
        best: dict[str, tuple[int, str]] = {}  # field -> (rank, text)
        for text in header:
            field, rank = self._field_and_rank(ranks, text)
            if field is not None and (field not in best or rank < best[field][0]):
                best[field] = (rank, text)
        chosen = {text: field for field, (_, text) in best.items()}
        mapped = {text: chosen[text] for text in header if text in chosen}
        return mapped, [text for text in header if text and text not in chosen]

    def missing_required(self, mapped: dict[str, str]) -> list[str]:
        present = set(mapped.values())
        return [c.header for f, c in self.columns.items() if c.required and f not in present]


class Mappings(_Strict):
    version: int
    kinds: dict[str, KindMapping]
    # Columns that must never be kept (ID numbers, home addresses, bank accounts).
    forbidden: tuple[str, ...] = ()
    # Columns the ingest report adds (处理, 问题…): a corrected report loads without them
    # being called unknown.
    ignored: tuple[str, ...] = ()

    def kind(self, name: str) -> KindMapping:
        try:
            return self.kinds[name]
        except KeyError:
            raise UnknownKind(
                f"未知的名录类型「{name}」(unknown list kind); 可选 (known kinds): {', '.join(self.kinds)}",
                kind=name,
                known=list(self.kinds),
            ) from None

    def is_forbidden(self, header: str) -> bool:
        text = canonical(header)
        return any(canonical(word) in text for word in self.forbidden)

    def header_score(self, header: list[str]) -> int:
        """How many cells of a candidate header row are known column names of any kind."""
        known = {h for mapping in self.kinds.values() for h in mapping.headers()}
        return sum(
            1
            for text in header
            if canonical(text) in known or canonical(text.rsplit(HEADER_JOINER, 1)[-1]) in known
        )

    def is_ignored(self, header: str) -> bool:
        return canonical(header) in {canonical(h) for h in self.ignored}

    def infer_kind(self, header: list[str], names: tuple[str, ...] = ()) -> str:
        """The kind of a sheet, from its headers and, between kinds they fit, its name.

        Only kinds whose required columns are all present are candidates. When the sheet's
        name (then the file's, both in ``names``) names exactly one candidate kind, that
        kind wins; otherwise the candidate claiming most headers; a tie is an error that
        lists the candidates and the headers seen.
        """
        scored = []
        for name, mapping in self.kinds.items():
            mapped, _ = mapping.match_headers(header)
            if mapping.missing_required(mapped):
                continue
            scored.append((len(mapped), name))
        scored.sort(reverse=True)
        for text in names:
            named = [(count, name) for count, name in scored if self.kinds[name].named_in(text)]
            if len(named) == 1:
                return named[0][1]
            if named:
                scored = named
                break
        if not scored:
            raise UnknownKind(
                "无法判断名录类型：表头不符合任何已知名录 (cannot infer the list kind); "
                f"表头 (headers seen): {', '.join(h for h in header if h)}",
                headers=header,
                candidates=[],
            )
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            tied = [name for count, name in scored if count == scored[0][0]]
            raise UnknownKind(
                f"名录类型不明确，可能是 (ambiguous list kind, candidates): {', '.join(tied)}; "
                f"请用 --kind 指定; 表头 (headers seen): {', '.join(h for h in header if h)}",
                headers=header,
                candidates=tied,
            )
        return scored[0][1]


def _parse_steps(raw_kind: dict) -> dict:
    steps = []
    for raw in raw_kind.get("produce", []):
        if not isinstance(raw, dict) or len(raw) != 1:
            raise ValueError(f"each produce step must be one of node/ref/edge, got {raw!r}")
        ((op, body),) = raw.items()
        if op == "edge":
            body = {**body}
        steps.append({"op": op, **body})
    return {**raw_kind, "produce": steps}


def _check_against_schema(mappings: Mappings, schema: Schema) -> None:
    for kind_name, mapping in mappings.kinds.items():
        object.__setattr__(mapping, "name", kind_name)
        named: dict[str, tuple[str, ...]] = {}
        where = f"kinds.{kind_name}"
        for step in mapping.produce:
            fields = [*step.set.values(), *step.match.values(), *step.when, *step.unless]
            for field in fields:
                if field not in mapping.columns:
                    raise SchemaError(f"mappings {where}: step uses unknown column field '{field}'")
            if step.op == "edge":
                edge = schema.edges.get(step.kind[0])
                if edge is None:
                    raise SchemaError(f"mappings {where}: unknown edge kind '{step.kind[0]}'")
                for end in (step.from_, step.to):
                    if end not in named:
                        raise SchemaError(f"mappings {where}: edge {edge.name} uses '{end}' before it is produced")
                props = [*step.set, *step.const]
                for prop in props:
                    if prop not in edge.properties:
                        raise SchemaError(f"mappings {where}: edge {edge.name} has no property '{prop}'")
                continue
            for kind in step.kind:
                node = schema.nodes.get(kind)
                if node is None:
                    raise SchemaError(f"mappings {where}: unknown node kind '{kind}'")
                for prop in (*step.set, *step.const, *step.match):
                    if prop not in node.properties:
                        raise SchemaError(f"mappings {where}: {kind} has no property '{prop}'")
                for role in step.roles:
                    if role not in node.roles:
                        raise SchemaError(f"mappings {where}: {kind} has no role '{role}'")
            if not step.name:
                raise SchemaError(f"mappings {where}: a {step.op} step needs 'as'")
            named[step.name] = step.kind


def load_mappings(path: str | Path = MAPPINGS_PATH, schema: Schema | None = None) -> Mappings:
    """Read and check the mappings; one :class:`SchemaError` names the first fault."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw["kinds"] = {name: _parse_steps(body) for name, body in raw["kinds"].items()}
        mappings = Mappings.model_validate(raw)
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            detail = f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
        else:
            detail = str(exc)
        raise SchemaError(f"mappings {path}: {detail}") from None
    _check_against_schema(mappings, schema or default_schema())
    return mappings


@lru_cache(maxsize=1)
def default_mappings() -> Mappings:
    return load_mappings()
