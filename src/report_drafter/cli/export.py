"""drafter export: the checked draft as Word, HTML or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from .options import DirOption, ExportFormat, YearOption
from .output import console, errors, handles_errors, open_workspace

HELP = ("核对草稿后导出为 Word 公文（docx）、网页（html）或 Markdown（md）。表二至表四按官方格式由 stats.yaml 生成。"
        "核对有错误时不导出（退出码 1），加 --force 仍然导出。")


def register(app: typer.Typer) -> None:
    app.command("export", help=HELP, short_help="核对后导出为 Word 公文、网页或 Markdown。")(export)


@handles_errors
def export(
    year: YearOption,
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="导出格式：docx（Word 公文）、html（网页）或 md（Markdown）")] = ExportFormat.docx,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="输出文件（默认 <年度>/<机关名称><年度>年政府信息公开工作年度报告.<格式>）")] = None,
    dir: DirOption = Path("."),
    force: Annotated[bool, typer.Option("--force", help="草稿核对有错误时仍然导出（统计表本身有错误时不能导出）")] = False,
) -> None:
    from ..services import exporting
    from .checking import print_findings

    workspace = open_workspace(dir)
    try:
        result = exporting.export_draft(workspace, year, format.value, out, force)
    except exporting.ExportRefused as exc:
        print_findings(exc.report.findings)
        raise
    if result.report.errors:
        print_findings(result.report.findings)
        errors.print(f"[yellow]注意[/yellow]：{escape(str(result.shown))} 核对发现 {len(result.report.errors)} 处错误，已按 --force 导出。")
    shown = workspace.display(result.path)
    if result.changed:
        console.print(f"[green]已导出[/green] {escape(str(shown))}（{exporting.FORMATS[format.value]}）")
    else:
        console.print(f"未改动 {shown}（内容相同）")
