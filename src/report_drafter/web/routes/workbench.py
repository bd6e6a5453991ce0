"""The year's workbench page, its panes (loaded by htmx when a tab is chosen) and the files' versions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from ...errors import InputError
from .. import years
from .common import PANES, Year, engine_label, grid_html, last_usage, open_year

router = APIRouter()


def pane_context(site, ws, year: int, name: str) -> dict:
    """What the template of pane `name` needs."""
    if name == "stats":
        return {"state": years.stats_state(site, ws, year)}
    if name == "notes":
        return {"state": years.notes_state(site, ws, year)}
    if name == "draft":
        return {"state": years.draft_state(site, ws, year, grid_html(site))}
    if name == "drafting":
        from .drafting import drafting_context

        return drafting_context(site, ws, year)
    if name == "export":
        from .exporting import export_context

        return export_context(site, ws, year)
    raise InputError(f"没有“{name}”这一栏。")


def header(site, ws, year: int) -> dict:
    label, problem = engine_label(site, ws)
    return {"year": year, "agency": ws.agency, "engine": label, "engine_problem": problem,
            "usage": last_usage(ws, year), "years": ws.years()}


@router.get("/{year}", response_class=HTMLResponse)
def workbench(request: Request, year: Year, tab: str = "stats"):
    site, ws = open_year(request, year)
    tab = tab if tab in PANES else "stats"
    context = {**header(site, ws, year), **pane_context(site, ws, year, tab)}
    return site.page(request, "workbench.html", tab=tab, panes=PANES, pane=f"panes/{tab}.html", **context)


@router.get("/{year}/pane/{name}", response_class=HTMLResponse)
def pane(request: Request, year: Year, name: str):
    site, ws = open_year(request, year)
    if name not in PANES:
        raise InputError(f"没有“{name}”这一栏。")
    return site.part("pane.html", year=year, tab=name, panes=PANES, pane=f"panes/{name}.html", oob=True,
                     **pane_context(site, ws, year, name))


@router.get("/{year}/versions")
def file_versions(request: Request, year: Year):
    site, ws = open_year(request, year)
    return JSONResponse(years.versions(site, ws, year), headers={"Cache-Control": "no-store"})
