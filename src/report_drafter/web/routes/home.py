"""The first page: the workspace's years, 新建年度 and 导入已发布的年报."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from ...errors import DrafterError, InputError
from ...versions import MISSING
from .. import years
from ..security import MAX_UPLOAD
from ..uploads import UploadRefused, import_upload
from .common import htmx_redirect, site_of

router = APIRouter()


def year_summary(site, ws, year: int) -> dict:
    """One line of the year list: the tables' state and whether there is a draft."""
    try:
        site.year_dir(ws, year)
        state = years.stats_state(site, ws, year)
    except DrafterError as exc:
        return {"year": year, "tables": str(exc), "ok": False, "draft": False, "published": False}
    if state.version == MISSING:
        tables, ok = "缺少统计表", False
    elif state.stats is None:
        tables, ok = "统计表无法读取", False
    elif state.errors:
        tables, ok = f"统计表有 {len(state.errors)} 处错误", False
    else:
        tables, ok = "统计表校验通过", True
    return {"year": year, "tables": tables, "ok": ok, "draft": ws.draft_path(year).exists(),
            "published": ws.published_path(year).exists()}


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    site = site_of(request)
    ws = site.workspace()
    listed = [year_summary(site, ws, y) for y in reversed(ws.years())]
    return site.page(request, "home.html", root=str(site.root), agency=ws.agency, years=listed,
                     next_year=date.today().year - 1 if not listed else max(y["year"] for y in listed) + 1)


@router.post("/years", response_class=HTMLResponse)
def new_year(request: Request, year: int = Form(...), agency: str = Form(""), format: str = Form("2021")):
    from ...services.tables import init_year

    site = site_of(request)
    if not 2008 <= year <= 2099:
        raise InputError("年度应为 2008 至 2099 之间的四位数字。")
    init_year(site.root, year, agency.strip() or None, format)
    return htmx_redirect(f"/{year}")


@router.post("/import", response_class=HTMLResponse)
async def import_report(request: Request, file: UploadFile = File(...), replace: str = Form("")):
    site = site_of(request)
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InputError(f"上传的文件太大（上限 {MAX_UPLOAD // (1024 * 1024)} MB）。")
    try:
        summary = await run_in_threadpool(import_upload, site.root, file.filename or "", data, bool(replace))
    except UploadRefused as exc:
        raise InputError(str(exc)) from None
    return site.part("fragments/import_result.html", r=summary)
