"""drafter check: the number checker and the review (structure, copying, substance, style) of a draft or a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.markup import escape
from rich.text import Text

from .options import DirOption, FormatOption, OutputFormat
from .output import console, handles_errors, open_workspace, print_json


def register(app: typer.Typer) -> None:
    app.command("check", help="核对正文中的数字和“未/无/均”判断是否与统计表、工作记录一致，并检查结构是否完整、"
                "是否与上年度报告雷同、问题是否具体并得到回应、文风是否规范。退出码：0 无错误，1 有错误，2 无法读取。",
                short_help="核对草稿或已发布年报中的数字、判断、结构、雷同和文风。")(check)


@handles_errors
def check(
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="核对工作目录中该年度的草稿")] = None,
    dir: DirOption = Path("."),
    draft: Annotated[Optional[Path], typer.Option("--draft", help="要核对的草稿文件（默认 <年度>/draft.md）")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="核对一份已发布的年报（txt/pdf/html/docx）")] = None,
    prior: Annotated[Optional[Path], typer.Option("--prior", help="与 --report 一起使用：上一年度的已发布年报（核对同比数字、雷同和上年度问题的整改）")] = None,
    format: FormatOption = OutputFormat.text,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="同时列出核对通过的数字和被排除的数字及原因")] = False,
    rules: Annotated[Optional[str], typer.Option("--rules", help="评分规则包：名称（national、example-regional 或工作目录 rulepacks/ 中的）或规则包文件；默认 national")] = None,
) -> None:
    from ..checks.review import settings_from
    from ..rulepacks import load_pack, score
    from ..services.checking import check_draft, check_published

    workspace = open_workspace(dir) if dir.is_dir() or report is None else None
    pack = load_pack(rules, workspace.root if workspace else None)
    if report is not None:
        from .ui import TerminalUI

        checked = check_published(report, prior, settings_from(workspace.config if workspace else {}),
                                  progress=lambda message: TerminalUI().notice("", message))
    elif year is not None:
        checked = check_draft(workspace, year, draft)
    elif draft is not None and draft.suffix.lower() == ".docx" and draft.is_file():
        from ..services.wordfile import word_year

        found = word_year(draft)
        if found is None:
            from ..errors import InputError
            raise InputError("Word 文件的标题中没有年度，请用 --year 指定要核对的年度。")
        checked = check_draft(workspace, found, draft)
    else:
        from ..errors import InputError
        raise InputError("请用 --year 指定要核对的年度草稿，或用 --report 指定一份已发布的年报。")
    result, shown = checked.report, checked.file
    scored = score(pack, checked.evidence)
    if format == OutputFormat.json:
        print_json({"file": shown, "checked": result.counts(), "copying": result.copying,
                    "findings": [f.as_dict() for f in result.findings], "score": scored.as_dict()})
    else:
        print_report(result, shown, verbose)
        print_score(scored, pack)
    raise typer.Exit(1 if result.errors else 0)


def print_score(scored, pack) -> None:
    """The score by the rule pack: each deduction with its reason and lines, then what could not be judged."""
    title = pack.title or pack.name
    console.print(f"按“{escape(title)}”评分：[bold]{_points(scored.score)}[/bold] / {_points(scored.max)} 分。")
    for d in scored.deductions:
        lines = f"（第 {'、'.join(map(str, d.lines[:8]))}{' 等' if len(d.lines) > 8 else ''} 行）" if d.lines else ""
        console.print(f"  [red]扣 {_points(d.points)} 分[/red] {escape(d.text)}：{escape(d.why)}{lines}")
    for u in scored.unjudged:
        console.print(f"  [dim]无法判断[/dim] {escape(u.text)}：{escape(u.reason)}")


def _points(value) -> str:
    return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))


SECTION_LABELS = {"title": "标题", "preamble": "开头说明", "document": "全文", "tables": "表格", "signature": "落款"}


def _highlight(finding) -> Text:
    text = Text(finding.text)
    start, end = finding.span
    if end > start:
        text.stylize("bold red" if finding.severity == "error" else "bold yellow", start, end)
    return text


def print_findings(findings: list) -> None:
    """Findings grouped by category (numbers, structure, copying, substance, style), one table per section."""
    from ..document import HEADINGS
    from ..findings import CATEGORIES

    groups = {}
    for finding in findings:
        groups.setdefault((finding.category, finding.section), []).append(finding)
    for category, section in sorted(groups, key=lambda g: list(CATEGORIES).index(g[0])):
        title = f"{CATEGORIES[category]} · {HEADINGS.get(section, SECTION_LABELS.get(section, section))}"
        table = Table(title=title, title_justify="left", show_lines=True, expand=True)
        table.add_column("行", justify="right", no_wrap=True)
        table.add_column("级别", no_wrap=True)
        table.add_column("原文", overflow="fold")   # Chinese has no spaces to wrap at
        table.add_column("问题", overflow="fold")
        for f in groups[category, section]:
            level = "[red]错误[/red]" if f.severity == "error" else "[yellow]提示[/yellow]"
            line = f"{f.page}页{f.line}行" if f.page is not None else str(f.line) if f.line else "—"
            table.add_row(line, level, _highlight(f), Text(f.message))
        console.print(table)


def copying_line(copying: dict) -> str:
    """“与上年度报告相同的文字占 38%（一、总体情况 40% …）”: the figure, whatever the threshold."""
    from ..document import HEADINGS

    parts = "，".join(f"{HEADINGS[key]} {ratio:.0%}" for key, ratio in copying["sections"].items())
    return (f"与{escape(copying['prior'])}相同的文字占正文的 {copying['share']:.0%}"
            + (f"（{parts}）" if parts else "") + f"；超过 {copying['threshold']:.0%} 时列为问题（评议常用 30%、50% 两档）。")


def print_report(result, shown: str, verbose: bool) -> None:
    from ..findings import CATEGORIES

    print_findings(result.findings)
    if verbose:
        for v in result.verified:
            console.print(f"[green]通过[/green] 第 {v.line or '?'} 行 “{escape(v.found)}”：{escape(v.source)}")
        for s in result.skipped:
            console.print(f"[dim]排除[/dim] 第 {s.line or '?'} 行 “{escape(s.text)}”：{escape(s.reason)}")
    c = result.counts()
    reasons = "，".join(f"{k} {v} 个" for k, v in c["skipped_by_reason"].items())
    console.print(
        f"{shown}：核对数字 {c['mentions']} 个，通过 {c['verified']} 个；“未/无/均”判断 {c['claims']} 处；"
        f"表格单元格 {c['table_cells']} 个；排除非统计数字 {c['skipped']} 个" + (f"（{reasons}）" if reasons else "") + "。")
    if result.copying is not None:
        console.print(copying_line(result.copying))
    by_category = "、".join(f"{CATEGORIES[k]} {v} 处" for k, v in c["findings_by_category"].items())
    if by_category:
        console.print(f"发现的问题按类别：{by_category}。")
    if result.errors:
        console.print(f"[red]发现 {c['errors']} 处错误[/red]" + (f"、{c['warnings']} 处提示。" if c["warnings"] else "。"))
    else:
        console.print("[green]未发现错误[/green]" + (f"（{c['warnings']} 处提示）。" if c["warnings"] else "。"))
