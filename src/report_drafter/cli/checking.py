"""drafter check: the number checker on a draft or on a published report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from .output import console, handles_errors, print_json



def register(app: typer.Typer) -> None:
    app.command("check", help="核对正文中的每个数字和“未/无/均”判断是否与统计表、工作记录一致。"
                "退出码：0 无错误，1 有错误，2 无法读取。")(check)


@handles_errors
def check(
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="核对工作目录中该年度的草稿")] = None,
    dir: Annotated[Path, typer.Option("--dir", "-d", help="工作目录（默认为当前目录）")] = Path("."),
    draft: Annotated[Optional[Path], typer.Option("--draft", help="要核对的草稿文件（默认 <年度>/draft.md）")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="核对一份已发布的年报（txt/pdf/html/docx）")] = None,
    prior: Annotated[Optional[Path], typer.Option("--prior", help="与 --report 一起使用：上一年度的已发布年报")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="输出格式：text 或 json")] = "text",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="同时列出核对通过的数字和被排除的数字及原因")] = False,
) -> None:
    from .. import checking
    from ..workspace import Workspace

    if report is not None:
        result, shown = checking.check_published(report, prior)
    elif year is not None:
        result, shown = checking.check_draft(Workspace.open(dir), year, draft)
    else:
        from ..errors import InputError

        raise InputError("请用 --year 指定要核对的年度草稿，或用 --report 指定一份已发布的年报。")
    if format == "json":
        print_json({"file": shown, "checked": result.counts(), "findings": [f.as_dict() for f in result.findings]})
    else:
        print_report(result, shown, verbose)
    raise typer.Exit(1 if result.errors else 0)


def _highlight(finding) -> Text:
    text = Text(finding.text)
    start, end = finding.span
    if end > start:
        text.stylize("bold red" if finding.severity == "error" else "bold yellow", start, end)
    return text


def print_findings(findings: list) -> None:
    """Findings as one table per section: line, level, the sentence with the number marked, the problem."""
    from ..document import HEADINGS

    sections = {}
    for finding in findings:
        sections.setdefault(finding.section, []).append(finding)
    for key, findings in sections.items():
        table = Table(title=HEADINGS.get(key, key), title_justify="left", show_lines=True, expand=True)
        table.add_column("行", justify="right", no_wrap=True)
        table.add_column("级别", no_wrap=True)
        table.add_column("原文")
        table.add_column("问题")
        for f in findings:
            level = "[red]错误[/red]" if f.severity == "error" else "[yellow]提示[/yellow]"
            table.add_row(str(f.line), level, _highlight(f), f.message)
        console.print(table)


def print_report(result, shown: str, verbose: bool) -> None:
    print_findings(result.findings)
    if verbose:
        for v in result.verified:
            console.print(f"[green]通过[/green] 第 {v.line} 行 “{v.found}”：{v.source}")
        for line, span, reason in result.skipped:
            console.print(f"[dim]排除[/dim] 第 {line} 行 “{span}”：{reason}")
    c = result.counts()
    reasons = "，".join(f"{k} {v} 个" for k, v in c["skipped_by_reason"].items())
    console.print(
        f"{shown}：核对数字 {c['mentions']} 个，通过 {c['verified']} 个；“未/无/均”判断 {c['claims']} 处；"
        f"表格单元格 {c['table_cells']} 个；排除非统计数字 {c['skipped']} 个" + (f"（{reasons}）" if reasons else "") + "。")
    if result.errors:
        console.print(f"[red]发现 {c['errors']} 处错误[/red]" + (f"、{c['warnings']} 处提示。" if c["warnings"] else "。"))
    else:
        console.print("[green]未发现错误[/green]" + (f"（{c['warnings']} 处提示）。" if c["warnings"] else "。"))
