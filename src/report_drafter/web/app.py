"""The workbench application: FastAPI routes behind the Guard, server-rendered pages, htmx in the browser."""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ..errors import DrafterError, WorkspaceLocked
from ..versions import FileChanged
from . import grids, routes
from .security import Guard, Keys, is_loopback
from .site import Site, YearMissing
from .years import MONEY

log = logging.getLogger("report_drafter.web")


def create_app(root: Path | str, host: str = "127.0.0.1", port: int = 8765, access_token: str | None = None,
               backend: str = "auto") -> FastAPI:
    """The workbench for the workspace `root`, drafting with `backend` (by name; "auto": as drafter.toml says).
    Away from loopback an `access_token` is required."""
    loopback = is_loopback(host)
    if not loopback and not access_token:
        raise ValueError("listening beyond loopback needs an access token")
    keys = Keys(access_token)
    from ..workspace import sweep_stale_temps

    sweep_stale_temps(Path(root))        # left by a workbench that was killed while writing
    site = Site(Path(root), keys)
    site.backend = backend
    site.env.globals.update(dotted=grids.dotted, cell_id=grids.cell_id, label=grids.cell_label, money=MONEY)
    app = FastAPI(title="drafter serve", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.site = site
    site.warm()
    _read_ahead(site)
    app.add_middleware(Guard, keys=keys, port=port, loopback=loopback)
    app.mount("/static", StaticFiles(directory=str(files("report_drafter.web") / "static")), name="static")
    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    for router in routes.routers():
        app.include_router(router)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        log.warning("invalid request to %s: %s", request.url.path, exc.errors())
        return _error(request, site, "请求不完整或格式不对。请刷新页面后重试。", 422)

    @app.exception_handler(YearMissing)
    async def year_missing(request: Request, exc: YearMissing) -> Response:
        return _error(request, site, str(exc), 404)

    @app.exception_handler(FileChanged)
    async def file_changed(request: Request, exc: FileChanged) -> Response:
        if request.headers.get("accept", "").startswith("application/json"):
            return JSONResponse({"conflict": True, "message": str(exc)}, status_code=409)
        return site.part("fragments/conflict.html", status=409, text=str(exc))

    @app.exception_handler(WorkspaceLocked)
    async def locked(request: Request, exc: WorkspaceLocked) -> Response:
        return _error(request, site, str(exc), 409)

    @app.exception_handler(grids.CellValueError)
    async def bad_value(request: Request, exc: grids.CellValueError) -> Response:
        return JSONResponse({"invalid": True, "message": str(exc)}, status_code=422)

    @app.exception_handler(DrafterError)
    async def drafter_error(request: Request, exc: DrafterError) -> Response:
        return _error(request, site, str(exc), 400)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:   # never a traceback on the page
        log.exception("internal error on %s", request.url.path)
        return _error(request, site, f"内部错误：{type(exc).__name__}。这是程序的问题，不是您的操作错误；"
                                     "文件均为整体替换写入，不会留下写了一半的文件。", 500)

    return app


def _read_ahead(site: Site) -> None:
    """Read and draw the newest years' tables once at start, so the first page waits for neither the YAML parser nor the grids."""
    from .routes.common import PANES
    from .routes.workbench import header, pane_context

    try:
        ws = site.workspace()
        for year in ws.years()[-3:]:
            context = {**header(site, ws, year), **pane_context(site, ws, year, "stats")}
            site.fragment("workbench.html", csrf="", tab="stats", panes=PANES, pane="panes/stats.html", **context)
    except Exception:  # the pages will say what is wrong
        pass


def _error(request: Request, site: Site, text: str, status: int) -> Response:
    if request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"message": site.redact(text)}, status_code=status)
    if request.headers.get("hx-request"):
        return site.message(text, status=status)
    return site.page(request, "error.html", status=status, text=text)
