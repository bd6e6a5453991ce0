"""统计表: one cell saved and validated per request; totals filled in on request; stats.yaml text as a fallback."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse

from .. import grids, years
from .common import Year, open_year

router = APIRouter()


@router.post("/{year}/stats/cell")
def edit_cell(request: Request, year: Year, path: str = Form(...), value: str = Form(""), version: str = Form(...)):
    """Save one cell; the marks of every cell and the problem list, as the rules see the tables now."""
    site, ws = open_year(request, year)
    state = years.edit_cell(site, ws, year, grids.parse_path(path), value, version)
    problems = site.fragment("fragments/stats_problems.html", state=state, year=year)
    cell = grids.parse_path(path)
    return JSONResponse({**state.as_json(), "value": grids.shown(state.stats, cell), "problems_html": problems},
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
