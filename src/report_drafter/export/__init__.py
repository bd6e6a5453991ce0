"""Rendering a report for publication: a draft as a Word document (公文 layout), a web page, or Markdown without our comments.

Tables 二–四 are drawn from stats.yaml in the official merged-cell layout, never parsed from the draft.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import InputError
if TYPE_CHECKING:
    from ..model import Stats

FORMATS = {"docx": "Word 文档", "html": "网页", "md": "Markdown"}


def output_name(agency: str, year: int, fmt: str) -> str:
    """“某某局2024年政府信息公开工作年度报告.docx”."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "", agency)
    return f"{safe}{year}年政府信息公开工作年度报告.{fmt}"


def require_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InputError(f"导出格式应为 {'、'.join(FORMATS)} 之一，收到“{fmt}”。")


def render(text: str, stats: Stats, fmt: str) -> bytes:
    """The draft `text` in format `fmt` (docx, html or md)."""
    require_format(fmt)
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(text, stats)
    if fmt == "html":
        from .html import render_html

        return render_html(text, stats).encode("utf-8")
    from .blocks import strip_comments

    return strip_comments(text).encode("utf-8")
