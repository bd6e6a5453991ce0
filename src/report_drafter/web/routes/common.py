"""What the routes share: the site, the year's workspace, the drafting engine and the header's facts."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path as PathParam
from fastapi import Request
from fastapi.responses import HTMLResponse

from ... import document
from ...errors import DrafterError, InputError
from ...workspace import Workspace
from ..site import Site

Year = Annotated[int, PathParam(ge=1900, le=2099)]
PANES = {"stats": "统计表", "notes": "工作记录", "draft": "草稿", "drafting": "起草/重写", "export": "导出"}


def site_of(request: Request) -> Site:
    return request.app.state.site


def open_year(request: Request, year: int) -> tuple[Site, Workspace]:
    """The site and a fresh workspace whose year folder exists inside it."""
    site = site_of(request)
    ws = site.workspace()
    site.year_dir(ws, year)
    return site, ws


def engine(site, ws: Workspace):
    """(backend, prompts) of the workspace: `drafter serve --backend`'s choice, by default as drafter.toml says."""
    from ...backends import get_backend
    from ...prompts import Prompts

    prompts = Prompts(ws.root)
    return get_backend(site.backend, ws.config, prompts), prompts


def engine_label(site, ws: Workspace) -> tuple[str, str]:
    """(what drafts, a problem with the model settings) for the page header."""
    try:
        backend, _ = engine(site, ws)
    except DrafterError as exc:
        return "模型设置有误", str(exc)
    return (f"模型 {backend.model}" if backend.follows_instructions else "离线模板"), ""


def last_usage(ws: Workspace, year: int) -> dict:
    """Model and token usage of the last drafting, from the draft's provenance."""
    from ...services.provenance import read_provenance

    data = read_provenance(ws, year)
    usage = data.get("usage") or {}
    return {"model": data.get("model"), "backend": data.get("backend"), "at": data.get("generated_at"),
            "input_tokens": usage.get("input_tokens"), "output_tokens": usage.get("output_tokens")}


def htmx_redirect(url: str) -> HTMLResponse:
    """Send the browser to `url` after an htmx request."""
    return HTMLResponse("", headers={"HX-Redirect": url})


def grid_html(site):
    macro = site.env.get_template("macros.html").module.grid

    def draw(stats, key: str) -> str | None:
        from ..grids import editor_grids

        grid = next((g for g in editor_grids(stats) if g.key == key), None)
        return str(macro(grid)) if grid is not None else None

    return draw


def prose_key(key: str) -> str:
    if key not in document.PROSE_SECTIONS:
        raise InputError("只有“一、五、六”三个文字部分可以在这里修改；表格请在“统计表”中修改。")
    return key
