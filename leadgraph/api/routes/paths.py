"""Referral paths: ``GET /api/paths`` — the same question as ``leadgraph paths``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from leadgraph.api.deps import StoreDep
from leadgraph.api.models import PathsPublic
from leadgraph.graph.paths import PathQuery, find_paths, split_values

router = APIRouter(tags=["paths"])


@router.get("/paths", response_model=PathsPublic)
def paths(
    store: StoreDep,
    to: Annotated[str, Query(min_length=1, max_length=200, description="目标企业（全称、简称或股票代码）或人员，或节点 ID")],
    from_: Annotated[
        list[str] | None, Query(alias="from", description="只从这些人员/单位、角色（如 leader、县领导）或乡镇出发")
    ] = None,
    k: Annotated[int | None, Query(ge=1, description="返回几条路径（默认 5）")] = None,
    max_hops: Annotated[int | None, Query(ge=1, description="每条路径最多几跳（默认 4）")] = None,
    exclude: Annotated[list[str] | None, Query(description="不经过这些人员或单位")] = None,
    only_kinds: Annotated[list[str] | None, Query(description="只走这些关系类型，如 KNOWS")] = None,
    never_kinds: Annotated[list[str] | None, Query(description="不走这些关系类型")] = None,
    as_of: Annotated[date | None, Query(description="按此日期计算拜访、活动关系的衰减（默认今天）")] = None,
    time_limit: Annotated[float | None, Query(gt=0, le=60, description="时间上限（秒，默认 2）")] = None,
) -> PathsPublic:
    """从我方（县领导、驻外干部、招商大使、在外乡贤、本地企业）到目标企业决策人的引荐路径，按强度排序并逐跳说明依据。"""
    answer = find_paths(
        store,
        PathQuery(
            to=to,
            from_=split_values(from_),
            k=k,
            max_hops=max_hops,
            exclude=split_values(exclude),
            only_kinds=split_values(only_kinds),
            never_kinds=split_values(never_kinds),
            as_of=as_of,
            time_limit=time_limit,
        ),
    )
    return PathsPublic.model_validate(answer)
