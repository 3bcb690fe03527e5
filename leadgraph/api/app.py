"""Build the FastAPI application around one store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi_offline import FastAPIOffline
from fastapi.responses import JSONResponse

from leadgraph.errors import LeadgraphError
from leadgraph.graph import GraphStore, open_store
from leadgraph.settings import Settings

__all__ = ["create_app"]


def _render_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LeadgraphError)
    return JSONResponse(status_code=exc.status, content=exc.to_dict())


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The API over ``store`` (or the store ``settings`` name, opened at start-up)."""
    from leadgraph.api.routes import health, nodes, paths, search

    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store if store is not None else open_store(settings)
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    # Government intranets are offline: the docs pages are served from local assets.
    app = FastAPIOffline(
        title="leadgraph 招商人脉关系图谱",
        description="在外乡贤、招商大使、商协会、上市公司与产业链环节的关系图谱 API。",
        version="0.1.0",
        lifespan=lifespan,
        swagger_ui_parameters={"validatorUrl": None},
        redoc_url=None,  # ReDoc's bundle draws its logo from cdn.redoc.ly; /docs is enough
        generate_unique_id_function=lambda route: route.name,
    )
    app.state.settings = settings
    if store is not None:
        app.state.store = store
    app.add_exception_handler(LeadgraphError, _render_error)
    for router in (health.router, search.router, nodes.router, paths.router):
        app.include_router(router, prefix="/api")
    return app
