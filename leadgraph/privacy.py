"""Masking of personal data (mobile numbers above all) for roles that may not see it.

Which properties are personal is declared in the schema (``personal: true``).

Examples
--------
>>> mask_value("13812345678")
'138****5678'
"""

from __future__ import annotations

from typing import Any

from leadgraph.schema import Schema

__all__ = ["ROLES_SEEING_PERSONAL", "may_see_personal", "mask_value", "mask_props"]

ROLES_SEEING_PERSONAL = frozenset({"officer", "admin"})


def may_see_personal(role: str) -> bool:
    return role in ROLES_SEEING_PERSONAL


def mask_value(value: Any) -> str:
    text = str(value)
    if len(text) >= 7:
        return text[:3] + "*" * (len(text) - 7) + text[-4:] if len(text) > 7 else text[:3] + "****"
    return "*" * len(text)


def mask_props(schema: Schema, kind: str, props: dict[str, Any], role: str) -> dict[str, Any]:
    """A copy of ``props`` with the kind's personal properties masked unless ``role`` may see them."""
    if may_see_personal(role) or kind not in schema.nodes:
        return dict(props)
    personal = schema.node(kind).personal_properties
    return {k: (mask_value(v) if k in personal and v not in (None, "") else v) for k, v in props.items()}
