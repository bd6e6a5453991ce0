"""Export: a checked draft as a Word document (公文 layout), a web page, or Markdown without our comments."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..checks.result import CheckReport
from .. import document
from ..errors import DrafterError
from ..export import FORMATS, output_name, render, require_format
from ..workspace import Workspace
from .checking import check_draft
from .inputs import load_draft
from .tables import check_year

__all__ = ["FORMATS", "ExportRefused", "Exported", "export_draft"]


class ExportRefused(DrafterError):
    """The draft has check errors and the export was not forced."""

    def __init__(self, report: CheckReport, shown: str, unsigned: bool = False):
        why = (f"{shown} 末尾落款的成文日期还没有填写，未导出。请在 draft.md 末尾填写实际日期" if unsigned and not report.errors
               else f"{shown} 核对发现 {len(report.errors)} 处错误，未导出。请修改后重新运行 drafter check")
        super().__init__(why + "；确需导出时加 --force。")
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
    unsigned = any(f.category == "structure" and f.kind == "signature" and document.PLACEHOLDER.search(f.found or "")
                   for f in checked.report.findings)
    if (checked.report.errors or unsigned) and not force:
        raise ExportRefused(checked.report, checked.file, unsigned)
    _, text = load_draft(workspace, year)
    stats, _ = check_year(workspace, year)
    path = out or workspace.year_dir(year) / output_name(workspace.agency or stats.agency, year, fmt)
    inside = path.resolve().is_relative_to(workspace.root.resolve())
    changed = workspace.write_bytes(path, render(text, stats, fmt), keep_history=inside)
    return Exported(path, changed, checked.report, checked.file)
