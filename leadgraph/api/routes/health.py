from __future__ import annotations

from fastapi import APIRouter

from leadgraph.api.deps import SettingsDep, StoreDep
from leadgraph.api.models import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(store: StoreDep, settings: SettingsDep) -> Health:
    """服务状态与图谱规模。"""
    counts = store.counts()
    return Health(
        status="ok",
        backend=settings.backend,
        nodes=sum(counts["nodes"].values()),
        edges=sum(counts["edges"].values()),
    )
