"""Export: a checked draft as a Word document (公文 layout), a web page, or Markdown without our comments.

Tables 二–四 are drawn from stats.yaml in the official merged-cell layout, never parsed from the draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DrafterError, InputError

if TYPE_CHECKING:
    from ..checking import CheckReport
    from ..model import Stats
    from ..workspace import Workspace

FORMATS = {"docx": "Word 文档", "html": "网页", "md": "Markdown"}


class ExportRefused(DrafterError):
    """The draft has check errors and the export was not forced."""

    def __init__(self, report: CheckReport, shown: str):
        super().__init__(f"{shown} 核对发现 {len(report.errors)} 处错误，未导出。"
                         "请修改后重新运行 drafter check；确需导出时加 --force。")
        self.report = report
        self.shown = shown


@dataclass
class Exported:
    path: Path
    changed: bool           # False when the file already had exactly this content
    report: CheckReport     # the check of the draft (errors only when forced)
    shown: str              # the draft as shown to the user


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


def export_draft(workspace: Workspace, year: int, fmt: str, out: Path | None = None, force: bool = False) -> Exported:
    """Check `<year>/draft.md`, then write it as `fmt`; check errors refuse the export unless `force`."""
    from ..checking import check_draft
    from ..drafting import load_draft
    from ..workspace import atomic_write_bytes

    require_format(fmt)
    report, shown = check_draft(workspace, year)
    if report.errors and not force:
        raise ExportRefused(report, shown)
    _, text = load_draft(workspace, year)
    stats, _ = workspace.validate(year)
    path = out or workspace.year_dir(year) / output_name(workspace.agency or stats.agency, year, fmt)
    inside = path.resolve().is_relative_to(workspace.root.resolve())
    changed = atomic_write_bytes(path, render(text, stats, fmt), keep_history=inside)
    return Exported(path, changed, report, shown)
