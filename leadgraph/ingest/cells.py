"""Turn one cell's text into a typed value, or say in Chinese why it cannot.

Each ``parse`` name a mapping may use (see ``mappings.yaml``) has one function here;
the real work is done by the small functions in :mod:`leadgraph.ingest.normalize`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from leadgraph.graph.store import NAME_MAX
from leadgraph.ingest import normalize
from leadgraph.schema import Schema

__all__ = ["parse_cell", "Parsed"]

Parsed = tuple[Any, str | None]

_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "对", "有"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无", "不是"}


def _text(text: str, schema: Schema) -> Parsed:
    return normalize.nfkc_text(text) or None, None


def _prose(text: str, schema: Schema) -> Parsed:
    return normalize.prose_text(text) or None, None


def _person_name(text: str, schema: Schema) -> Parsed:
    return normalize.check_person_name(normalize.normalize_person_name(text))


def _org_name(text: str, schema: Schema) -> Parsed:
    name = normalize.normalize_org_name(text) or None
    if name is not None and len(name) > NAME_MAX:  # a pasted paragraph: the row may still load without it
        return None, f"太长（{len(name)} 个字符，上限 {NAME_MAX}），未保存，请只填写单位名称：{name[:20]}…"
    return name, None


def _gender(text: str, schema: Schema) -> Parsed:
    return normalize.normalize_gender(text)


def _township(text: str, schema: Schema) -> Parsed:
    return normalize.normalize_township(text), None


def _phone(text: str, schema: Schema) -> Parsed:
    parsed = normalize.parse_phones(text)
    if parsed.problem:
        return None, parsed.problem
    if parsed.mobiles:
        extra = f"单元格含多个手机号，已取第一个（{'、'.join(parsed.mobiles[1:])} 未保存）" if len(parsed.mobiles) > 1 else None
        return parsed.mobiles[0], extra
    if parsed.landlines:
        return None, f"只有座机号 {parsed.landlines[0]}，手机列未保存"
    return None, None


def _date(text: str, schema: Schema) -> Parsed:
    parsed = normalize.parse_date(text)
    return parsed.text, parsed.problem


def _amount(text: str, schema: Schema) -> Parsed:
    return normalize.parse_amount_yi(text, default_unit="亿元")


def _bool(text: str, schema: Schema) -> Parsed:
    value = normalize.nfkc_text(text).casefold()
    if value in _TRUE:
        return True, None
    if value in _FALSE:
        return False, None
    return None, f"「{text}」不是 是/否"


_NUMBER_WITH_TEXT = re.compile(r"(?:[¥]|rmb|cny)?\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)\s*(%?)\s*(\D*)")
_MAGNITUDE = re.compile(r"[十百千万亿兆]|[km]\b")


def _number(cast: Callable[[str], Any], *, percent_points: bool = False) -> Callable[[str, Schema], Parsed]:
    """A number, also as a cell shows it with a unit (1975年, 500人, ￥3.00; a format's text):
    a unit that scales it (万, 亿, 千, k) is refused, not guessed. ``12.5%`` is 12.5 in a
    percentage column (``percent_points``), 0.125 in any other."""

    def parse(text: str, schema: Schema) -> Parsed:
        value = normalize.nfkc_text(text).replace(",", "").casefold()
        found = _NUMBER_WITH_TEXT.fullmatch(value)
        if found is None:
            return None, f"「{text}」不是数字"
        digits, percent, unit = found.groups()
        if unit and _MAGNITUDE.search(unit):
            return None, f"「{text}」带单位「{unit}」，请按表头的单位只填数字"
        number = float(digits)
        if percent and not percent_points:
            number /= 100
        if cast is int:
            if not number.is_integer():
                return None, f"「{text}」不是整数"
            return int(number), None
        return number, None

    return parse


def _context(text: str, schema: Schema) -> Parsed:
    context = schema.tie_context(normalize.nfkc_text(text))
    if context is None:
        known = "、".join(schema.tie_contexts)
        return None, f"关系「{text}」无法识别（可用：{known}）"
    return context, None


def _org_kind(text: str, schema: Schema) -> Parsed:
    value = normalize.nfkc_text(text)
    kinds = schema.node("Organization").kinds
    for code, label in kinds.items():
        if value in (code, label) or value in re.split(r"[/／]", label):
            return code, None
    return None, f"机构类别「{text}」无法识别（可用：{'、'.join(kinds.values())}）"


def _credit_code(text: str, schema: Schema) -> Parsed:
    return normalize.normalize_credit_code(text)


def _stock_code(text: str, schema: Schema) -> Parsed:
    return normalize.normalize_stock_code(text)


_PARSERS: dict[str, Callable[[str, Schema], Parsed]] = {
    "text": _text,
    "prose": _prose,
    "person_name": _person_name,
    "org_name": _org_name,
    "gender": _gender,
    "township": _township,
    "phone": _phone,
    "date": _date,
    "amount_yi": _amount,
    "bool": _bool,
    "int": _number(int),
    "float": _number(float),
    "pct": _number(float, percent_points=True),
    "context": _context,
    "org_kind": _org_kind,
    "credit_code": _credit_code,
    "stock_code": _stock_code,
}


_USES_SCHEMA = frozenset({"context", "org_kind"})


@lru_cache(maxsize=1 << 17)
def _parse_text(parse: str, text: str) -> Parsed:
    # Lists repeat their firms, townships, cities and titles row after row; the parsers
    # are pure and their results immutable, so each distinct cell is parsed once.
    return _PARSERS[parse](text, None)  # type: ignore[arg-type]


def parse_cell(parse: str, text: str, schema: Schema) -> Parsed:
    """Parse ``text`` as declared; empty text is ``(None, None)``."""
    if text is None or not str(text).strip():
        return None, None
    if parse in _USES_SCHEMA:
        return _PARSERS[parse](str(text), schema)
    return _parse_text(parse, str(text))
