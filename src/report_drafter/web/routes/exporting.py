"""导出: Word, HTML and Markdown, refused with the reasons while the check finds errors (as the CLI)."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from ...errors import InputError
from ...export import FORMATS
from ...versions import MISSING, file_version
from ..security import inside
from .common import Year, open_year

router = APIRouter()
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}
_NAME = re.compile(r"^[^/\\\0]+\.(docx|html|md)$")


def export_context(site, ws, year: int) -> dict:
    from ...services.checking import check_draft

    path = site.checked(ws, ws.draft_path(year))
    if file_version(path) == MISSING:
        return {"report": None, "error": "还没有草稿，请先在“起草/重写”中起草全文。", "formats": FORMATS, "files": []}
    try:
        report = check_draft(ws, year).report
        error = ""
    except InputError as exc:
        report, error = None, str(exc)
    files = [p.name for p in sorted(ws.year_dir(year).glob("*年度报告.*")) if _NAME.match(p.name) and p.is_file()]
    return {"report": report, "error": error, "formats": FORMATS, "files": files}


@router.post("/{year}/export/{fmt}", response_class=HTMLResponse)
def export(request: Request, year: Year, fmt: str):
    from ...services.exporting import ExportRefused, export_draft

    site, ws = open_year(request, year)
    if fmt not in FORMATS:
        raise InputError(f"导出格式应为 {'、'.join(FORMATS)} 之一。")
    try:
        done = export_draft(ws, year, fmt)
    except ExportRefused as exc:
        errors = exc.report.errors
        return site.part("fragments/export_refused.html", status=409, year=year, errors=errors,
                         text=f"草稿核对发现 {len(errors)} 处错误，未导出。请按下列原因修改后再导出。")
    return site.part("fragments/export_done.html", year=year, name=done.path.name, fmt=FORMATS[fmt],
                     changed=done.changed, warnings=[f for f in done.report.findings if f.severity != "error"])


@router.get("/{year}/files/{name}")
def download(request: Request, year: Year, name: str):
    """An exported file of the year, as a download (never anything outside the year's folder)."""
    site, ws = open_year(request, year)
    folder = ws.year_dir(year)
    path = folder / name
    if not _NAME.match(name) or not inside(folder, path) or not path.is_file():
        raise InputError("没有这个导出文件。")
    fmt = path.suffix[1:]
    return FileResponse(path, media_type=MEDIA[fmt], headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}", "Cache-Control": "no-store"})

