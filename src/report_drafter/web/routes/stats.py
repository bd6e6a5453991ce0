"""统计表: one cell saved and validated per request; totals filled in on request; stats.yaml text as a fallback."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ...errors import InputError
from .. import grids, years
from .common import Year, open_year

router = APIRouter()


@router.post("/{year}/stats/cell")
def edit_cell(request: Request, year: Year, path: str = Form(...), value: str = Form(""), version: str = Form(...),
              live: str = Form("")):
    """Save one cell (with `live`, totals and 结转 recomputed); the marks of every cell and the problem list."""
    return _edited(request, year, [path], [value], version, live == "1")


@router.post("/{year}/stats/cells")
def edit_cells(request: Request, year: Year, path: list[str] = Form(...), value: list[str] = Form(...),
               version: str = Form(...), live: str = Form("")):
    """Save a block pasted from a spreadsheet in one write."""
    return _edited(request, year, path, value, version, live == "1")


def _edited(request: Request, year: int, paths: list[str], values: list[str], version: str, live: bool):
    site, ws = open_year(request, year)
    typed = [(grids.parse_path(p), v) for p, v in zip(paths, values)]
    edited = years.edit_cells(site, ws, year, typed, version, live_totals=live)
    state = edited.state
    if len(typed) == 1 and edited.refused:
        why = next(iter(edited.refused.values()))
        raise InputError(why + "。") if why == "没有这个单元格" else grids.CellValueError(why)
    problems = site.fragment("fragments/stats_problems.html", state=state, year=year)
    shown = {grids.dotted(p): grids.shown(state.stats, p) for p, _ in typed} if state.stats is not None else {}
    shown.update({grids.dotted(p): grids.shown(state.stats, p) for p in edited.changed})
    return JSONResponse({**state.as_json(), "value": shown.get(paths[0], ""), "values": shown,
                         "computed": [grids.dotted(p) for p in edited.computed], "broke": edited.broke,
                         "refused": edited.refused, "problems_html": problems},
                        headers={"Cache-Control": "no-store"})


@router.post("/{year}/stats/totals", response_class=HTMLResponse)
def fill_totals(request: Request, year: Year, version: str = Form(...)):
    site, ws = open_year(request, year)
    state, changes = years.fill_in_totals(site, ws, year, version)
    if changes:
        note = f"已按各项之和填写 {len(changes)} 个合计单元格：" + "、".join(grids.cell_label(p) for p, _, _ in changes[:6])
        note += "等。" if len(changes) > 6 else "。"
    else:
        note = "各合计单元格都已等于其各项之和，无需修改。"
    return site.part("fragments/stats_editor.html", state=state, year=year, note=note,
                     changed=[grids.dotted(p) for p, _, _ in changes])


@router.post("/{year}/stats/text", response_class=HTMLResponse)
def save_text(request: Request, year: Year, text: str = Form(...), version: str = Form(...)):
    site, ws = open_year(request, year)
    years.save_stats_text(site, ws, year, text, version)
    return site.part("pane.html", year=year, tab="stats", panes={}, pane="panes/stats.html", oob=False,
                     state=years.stats_state(site, ws, year))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/{year}/stats.xlsx")
def download_workbook(request: Request, year: Year):
    """The Excel form of the year's tables (formulas for the totals, locked total cells), as `drafter init --xlsx`."""
    from ...spreadsheet import write_xlsx

    site, ws = open_year(request, year)
    state = years.stats_state(site, ws, year)
    if state.stats is None:
        raise InputError(f"{state.shown} 有错误，无法生成 Excel 填报表。请先在统计表页面按提示修改。")
    name = quote(f"{ws.agency or state.stats.agency}{year}年统计表.xlsx")
    return Response(write_xlsx(state.stats), media_type=XLSX,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}", "Cache-Control": "no-store"})


@router.post("/{year}/stats/xlsx", response_class=HTMLResponse)
async def upload_workbook(request: Request, year: Year, file: UploadFile = File(...), version: str = Form(...)):
    from ..security import MAX_UPLOAD

    site, ws = open_year(request, year)
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InputError(f"上传的文件太大（上限 {MAX_UPLOAD // (1024 * 1024)} MB）。")
    name = file.filename or "上传的 Excel"
    state, problems = await run_in_threadpool(years.read_uploaded_workbook, site, ws, year, data, name, version)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        note = f"未读入 {name}：" + "；".join(str(p) for p in errors[:5]) + ("等。" if len(errors) > 5 else "。") + "统计表未改动。"
    else:
        note = f"已从 {name} 读入统计数据，写入 {state.shown}（原文件存入历史）。"
    return site.part("fragments/stats_editor.html", state=state, year=year, note=note,
                     note_kind="error" if errors else "ok")
