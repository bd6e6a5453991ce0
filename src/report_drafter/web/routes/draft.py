"""草稿: the checked draft (a pane), and one prose section edited by hand in the page."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from ... import document
from ...versions import FileChanged, file_version
from .. import years
from .common import PANES, Year, grid_html, open_year, prose_key

router = APIRouter()


@router.get("/{year}/draft/section/{key}/edit", response_class=HTMLResponse)
def edit_section(request: Request, year: Year, key: str):
    site, ws = open_year(request, year)
    key = prose_key(key)
    path = site.checked(ws, ws.draft_path(year))
    version = file_version(path)
    body = document.parse_document(ws.read(path)).body(key)
    return site.part("fragments/section_editor.html", year=year, key=key, body=body, version=version)


@router.post("/{year}/draft/section/{key}", response_class=HTMLResponse)
def save_section(request: Request, year: Year, key: str, text: str = Form(...), version: str = Form(...)):
    site, ws = open_year(request, year)
    try:
        years.save_section(site, ws, year, prose_key(key), text, version)
    except FileChanged as exc:
        return site.part("fragments/section_editor.html", status=409, year=year, key=key, body=text, version=version,
                         conflict=str(exc), headers={"HX-Retarget": f"#edit-{key}"})
    return site.part("pane.html", year=year, tab="draft", panes=PANES, pane="panes/draft.html", oob=True,
                     state=years.draft_state(site, ws, year, grid_html(site)))
