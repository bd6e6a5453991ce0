"""`drafter import`: a published report becomes `<year>/stats.yaml` and `<year>/published.md`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Optional

import typer

from .output import console, handles_errors, print_json

HELP = (
    "导入已发布的年度报告，作为下一年度的基础：统计表写入 <年度>/stats.yaml，正文写入 <年度>/published.md。"
    "支持网页复制的文字（.txt）、pdftotext 文本、PDF、网页（.html）和 Word（.docx）。"
    "导入后按勾稽关系校验（工作目录中有上一年度数据时一并核对）。"
    "退出码：0 成功（可有提示）；1 已写入，但统计表不符合勾稽关系（已发布的报告按原样导入）；"
    "2 文件无法读取或统计表缺失、不完整（不写入任何文件）。"
)


def register(app: typer.Typer) -> None:
    app.command("import", help=HELP, short_help="导入已发布的年报（txt/pdf/html/docx/xlsx），写入 stats.yaml 和 published.md。")(import_command)


def _plain(value: object) -> object:
    """Decimals as JSON numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _diagnostics():
    """Warnings and errors go to stderr (stdout is for results and --json)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _print_problem(err, problem) -> None:
    from rich.markup import escape

    style, label = ("red", "错误") if problem.severity == "error" else ("yellow", "提示")
    err.print(f"[{style}]{label}[/{style}] {escape(str(problem))}")


@handles_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="已发布的年度报告文件（.txt、.md、.pdf、.html、.docx）", show_default=False)],
    dir: Annotated[Path, typer.Option("--dir", "-d", help="工作目录（默认为当前目录）")] = Path("."),
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="报告年度（默认从报告中识别）")] = None,
    json: Annotated[bool, typer.Option("--json", help="只输出统计数据（JSON，键名同 stats.yaml），不写入文件")] = False,
) -> None:
    from rich.markup import escape

    from .. import workspace as ws
    from ..errors import InputError, errors
    from ..importing import check_report, import_report, save_report
    from ..importing.sections import same_agency
    from ..spreadsheet import is_stats_workbook
    from ..statsfile import read_stats, stats_data
    from .tables import import_xlsx

    if file.suffix.lower() == ".xlsx" and is_stats_workbook(file):  # from `drafter init --xlsx`: statistics only
        return import_xlsx(file, dir, year)
    err = _diagnostics()
    try:
        report = import_report(file, year)
    except InputError as exc:
        err.print(f"[red]错误：[/red]{escape(str(exc))}")
        raise typer.Exit(exc.exit_code) from None
    out = err if json else console
    out.print(_detected(report))
    if json:
        # the statistics alone on stdout; what was detected and any warnings on stderr
        prior = ws.Workspace.open(dir).prior_stats(report.year) if dir.is_dir() else None
        problems = report.warnings + check_report(report, prior)
        for problem in problems:
            _print_problem(err, problem)
        print_json(_plain(stats_data(report.stats)))
        raise typer.Exit(1 if errors(problems) else 0)

    if not dir.exists():
        dir.mkdir(parents=True)
    workspace = ws.Workspace.open(dir)
    if not report.agency and workspace.agency:
        report.stats.agency = workspace.agency
        console.print(f"机关名称取自工作目录设置：{escape(workspace.agency)}")
    elif report.agency and workspace.agency and not same_agency(report.agency, workspace.agency):
        err.print(f"[yellow]提示[/yellow] 报告中的机关“{escape(report.agency)}”与工作目录设置的“{escape(workspace.agency)}”不同，"
                  "请确认导入的是本机关的报告。")
    written = save_report(workspace, report)

    stats_path = workspace.stats_path(report.year)
    shown = workspace.display(stats_path)
    prior = workspace.prior_stats(report.year)
    problems = check_report(report, prior)
    read_stats(stats_path.read_text(encoding="utf-8"), shown).locate(problems)
    for problem in report.warnings + problems:
        _print_problem(err, problem)
    for path, changed, existed in written:
        name = workspace.display(path)
        if not changed:
            console.print(f"未改动 {name}（内容相同）")
        elif existed:
            console.print(f"[green]已更新[/green] {name}（原文件已存入历史记录）")
        else:
            console.print(f"[green]已写入[/green] {name}")
    found = [heading for heading in ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
             if f"## {heading}" in report.markdown]
    if found:
        console.print("正文已按章节保存：" + "、".join(found))
    n_err = len(errors(problems))
    n_warn = len(problems) - n_err + len(report.warnings)
    against = f"，并与 {report.year - 1} 年数据核对" if prior is not None else ""
    if n_err:
        err.print(f"[red]校验未通过[/red]：{shown} 有 {n_err} 处错误、{n_warn} 处提示{against}。"
                  "已发布的报告按原样导入，请核对原文后再修改。")
        raise typer.Exit(1)
    console.print(f"[green]校验通过[/green]：{shown}" + (f"（{n_warn} 处提示）" if n_warn else "") + f"{against}。")


def _detected(report) -> str:
    from rich.markup import escape

    agency = report.agency or "（未识别）"
    if report.agency_as_written and report.agency_as_written != report.agency:
        agency += f"（标题中写作“{report.agency_as_written}”）"
    year = f"{report.year} 年度" + ("（按 --year 指定）" if report.detected_year != report.year else "")
    read, expected = report.cells_read
    layouts = "；".join(t.layout for t in report.tables.values() if t.layout)
    return escape(f"识别结果：机关 {agency}；{year}；表格格式 {report.format_name}；文件类型 {report.kind_name}\n"
                  f"表格：{layouts}；读取 {read}/{expected} 个单元格")
