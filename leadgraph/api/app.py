"""Build the FastAPI application around one store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi_offline import FastAPIOffline
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from leadgraph.errors import LeadgraphError
from leadgraph.graph import GraphStore, open_store
from leadgraph.settings import Settings

__all__ = ["create_app"]


def _render_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LeadgraphError)
    return JSONResponse(status_code=exc.status, content=exc.to_dict())


# Pydantic's reasons for a bad parameter, in the words of the API's other errors.
_PARAM_PROBLEMS = {
    "missing": "缺少参数",
    "greater_than_equal": "不应小于 {ge}",
    "less_than_equal": "不应大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_parsing": "应为 true 或 false",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）",
    "string_too_short": "不能为空",
    "string_too_long": "太长（最多 {max_length} 个字符）",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
}


def _render_invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """A parameter FastAPI refused, as an ``invalid_query`` error naming it (its value is not echoed)."""
    assert isinstance(exc, RequestValidationError)
    params = []
    for error in exc.errors():
        template = _PARAM_PROBLEMS.get(error["type"], "取值无效")
        try:
            problem = template.format(**(error.get("ctx") or {}))
        except (KeyError, IndexError):
            problem = "取值无效"
        params.append({"param": str(error["loc"][-1]), "problem": problem})
    message = "参数有误：" + "；".join(f"{p['param']} {p['problem']}" for p in params) + " (invalid request parameters)"
    return JSONResponse(status_code=422, content={"error": "invalid_query", "message": message, "params": params})


def _render_http_error(request: Request, exc: Exception) -> JSONResponse:
    """Routing errors (no such address, wrong method) in the API's one error shape."""
    assert isinstance(exc, StarletteHTTPException)
    known = {404: ("not_found", "没有这个地址"), 405: ("method_not_allowed", "不支持这种请求方法")}
    code, message = known.get(exc.status_code, ("http_error", str(exc.detail)))
    return JSONResponse(
        status_code=exc.status_code, content={"error": code, "message": message}, headers=getattr(exc, "headers", None)
    )


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
    app.add_exception_handler(RequestValidationError, _render_invalid_request)
    app.add_exception_handler(StarletteHTTPException, _render_http_error)
    for router in (health.router, search.router, nodes.router, paths.router):
        app.include_router(router, prefix="/api")
    return app
