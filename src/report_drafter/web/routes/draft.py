"""草稿: the checked draft (a pane), and one prose section edited by hand in the page."""

from __future__ import annotations

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
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


@router.post("/{year}/draft/fix", response_class=HTMLResponse)
def fix_mark(request: Request, year: Year, start: int = Form(...), end: int = Form(...), found: str = Form(...),
             replacement: str = Form(...), version: str = Form(...)):
    """改为: put the expected figure in place of the marked one, then check the draft again."""
    from ...services.marks import apply_fix

    site, ws = open_year(request, year)
    site.checked(ws, ws.draft_path(year))
    apply_fix(ws, year, start, end, found, replacement, version)
    return _draft_pane(site, ws, year, f"已把“{found}”改为“{replacement}”（原稿存入历史），并重新核对。")


@router.post("/{year}/draft/record", response_class=HTMLResponse)
def record_mark(request: Request, year: Year, start: int = Form(...), end: int = Form(...), found: str = Form(...),
                version: str = Form(...)):
    """记入工作记录: the sentence with the figure goes into the right topic of notes.md, then the draft is checked again."""
    from ...services.marks import record_in_notes

    site, ws = open_year(request, year)
    site.checked(ws, ws.draft_path(year))
    recorded = record_in_notes(ws, year, start, end, found, version)
    return _draft_pane(site, ws, year, f"已记入工作记录“{recorded.heading}”：{recorded.entry[2:]}")


@router.post("/{year}/draft/ignore", response_class=HTMLResponse)
def ignore_mark(request: Request, year: Year, kind: str = Form(""), found: str = Form(""), text: str = Form(""),
                reason: str = Form("")):
    """忽略 with a reason: the finding stays listed, as a warning giving the reason (kept in <year>/ignored.json)."""
    from ...services.marks import ignore_finding

    site, ws = open_year(request, year)
    ignore_finding(ws, year, kind, found, text, reason)
    return _draft_pane(site, ws, year, f"已忽略这条核对结果（理由：{reason.strip()}），它仍以提示列出。")


def _draft_pane(site, ws, year: int, note: str) -> HTMLResponse:
    return site.part("pane.html", year=year, tab="draft", panes=PANES, pane="panes/draft.html", oob=True,
                     state=years.draft_state(site, ws, year, grid_html(site)), note=note)


@router.post("/{year}/draft/word", response_class=HTMLResponse)
async def upload_word(request: Request, year: Year, file: UploadFile = File(...)):
    """An exported report edited in Word/WPS, read back into draft.md section by section, then checked."""
    import tempfile
    from pathlib import Path

    from ...errors import InputError
    from ...services.roundtrip import import_word_draft
    from ..security import MAX_UPLOAD

    site, ws = open_year(request, year)
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InputError(f"上传的文件太大（上限 {MAX_UPLOAD // (1024 * 1024)} MB）。")
    name = Path(file.filename or "上传的报告.docx").name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.docx"
        path.write_bytes(data)
        result = await run_in_threadpool(import_word_draft, ws, year, path, name)
    return site.part("fragments/word_result.html", r=result, year=year)
