from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from leadgraph.api.deps import SettingsDep, StoreDep
from leadgraph.api.models import SearchHitPublic
from leadgraph.errors import InvalidQuery
from leadgraph.privacy import mask_props

router = APIRouter(tags=["search"])


@router.get("/search", response_model=list[SearchHitPublic])
def search(
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=100, description="姓名、简称、拼音首字母或股票代码")],
    kind: Annotated[list[str] | None, Query(description="只查这些节点类型")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[SearchHitPublic]:
    """按名称、简称、拼音首字母（张伟 ← zw）和股票代码搜索。

    结果多于 ``limit`` 条时只返回前 ``limit`` 条，并带响应头 ``X-Truncated: true``。"""
    unknown = [name for name in kind or () if name not in store.schema.nodes]
    if unknown:
        raise InvalidQuery(
            f"未知的节点类型：{'、'.join(unknown)} (unknown kind); 可选：{'、'.join(store.schema.nodes)}"
        )
    hits = store.search(q, kinds=frozenset(kind) if kind else None, limit=limit + 1)  # one more: were there more?
    response.headers["X-Truncated"] = "true" if len(hits) > limit else "false"
    hits = hits[:limit]
    return [
        SearchHitPublic(
            id=h.id, kind=h.kind, name=h.name, matched=h.matched, score=h.score,
            detail=mask_props(store.schema, h.kind, h.detail, settings.role),
        )
        for h in hits
    ]
