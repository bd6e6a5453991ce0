"""Export: a checked draft as a Word document (公文 layout), a web page, or Markdown without our comments."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..checks.result import CheckReport
from ..errors import DrafterError
from ..export import FORMATS, output_name, render, require_format
from ..workspace import Workspace
from .checking import check_draft
from .inputs import load_draft
from .tables import check_year

__all__ = ["FORMATS", "ExportRefused", "Exported", "export_draft"]


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


def export_draft(workspace: Workspace, year: int, fmt: str, out: Path | None = None, force: bool = False) -> Exported:
    """Check `<year>/draft.md`, then write it as `fmt`; check errors refuse the export unless `force`."""
    require_format(fmt)
    checked = check_draft(workspace, year)
    if checked.report.errors and not force:
        raise ExportRefused(checked.report, checked.file)
    _, text = load_draft(workspace, year)
    stats, _ = check_year(workspace, year)
    path = out or workspace.year_dir(year) / output_name(workspace.agency or stats.agency, year, fmt)
    inside = path.resolve().is_relative_to(workspace.root.resolve())
    changed = workspace.write_bytes(path, render(text, stats, fmt), keep_history=inside)
    return Exported(path, changed, checked.report, checked.file)
