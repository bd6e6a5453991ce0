"""草稿: the checked draft (a pane), and one prose section edited by hand in the page."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from ... import document
from ...errors import InputError
from ...versions import FileChanged, file_version
from .. import years
from .common import PANES, Year, open_year
from .workbench import grid_html

router = APIRouter()


def prose_key(key: str) -> str:
    if key not in document.PROSE_SECTIONS:
        raise InputError("只有“一、五、六”三个文字部分可以在这里修改；表格请在“统计表”中修改。")
    return key


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
