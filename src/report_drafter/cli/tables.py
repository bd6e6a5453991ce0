"""Commands on the statistics tables: init, validate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from .options import DirOption, FormatOption, OutputFormat, TableFormat, YearOption
from .output import console, errors, handles_errors, open_workspace, print_json, print_problem


def register(app: typer.Typer) -> None:
    app.command("init", help="新建年度目录：生成全零的 stats.yaml 和工作记录 notes.md（不覆盖已有文件）。")(init)
    app.command("validate", help="按勾稽关系校验某年度的统计表。退出码：0 通过，1 有错误，2 无法读取。")(validate)


@handles_errors
def init(
    year: YearOption,
    agency: Annotated[Optional[str], typer.Option("--agency", "-a", help="机关名称，如“中牟县科学技术和工业信息化局”")] = None,
    dir: DirOption = Path("."),
    format: Annotated[TableFormat, typer.Option("--format", help="表格格式：2021（默认）或 2019（试行格式）")] = TableFormat.f2021,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="同时生成 Excel 填报表 stats.xlsx（Excel、WPS 均可填写，校验时自动读入）")] = False,
) -> None:
    from ..services.tables import start_year

    started = start_year(dir, year, agency, format.value, xlsx)
    for path, created in started.files:
        shown = path.relative_to(dir) if path.is_relative_to(dir) else path
        console.print(f"[green]已创建[/green] {escape(str(shown))}" if created else f"[yellow]已存在，未改动[/yellow] {escape(str(shown))}")
    if started.agency_from:
        console.print(f"机关名称取自 {escape(str(started.agency_from))}。")
    if started.carried:
        from ..layout import location
        console.print(f"已从 {year - 1} 年的统计表带入（请核对）：")
        for cell in started.carried:
            console.print(f"  {location(cell.path)}：{cell.value}（{cell.source}）")
    table = f"{year}/stats.xlsx（或 stats.yaml）" if xlsx else f"{year}/stats.yaml"
    console.print(f"下一步：填写 {table} 和 {year}/notes.md，然后运行 drafter validate --year {year}")


@handles_errors
def validate(year: YearOption, dir: DirOption = Path("."), format: FormatOption = OutputFormat.text) -> None:
    from ..services.tables import validate_year

    report_validation(validate_year(open_workspace(dir), year, workbook=True, notes=True), format)


def report_validation(result, format: OutputFormat) -> None:
    """Print a validation (JSON on stdout, or problems on stderr and the verdict) and exit 0 or 1."""
    from ..findings import TABLE_FIELDS

    if format == OutputFormat.json:
        print_json({"valid": result.valid, "notes_valid": not result.note_errors,
                    "problems": [_table_dict(p, TABLE_FIELDS) for p in result.problems]})
        raise typer.Exit(0 if result.valid and not result.note_errors else 1)
    if result.workbook is not None:
        _print_workbook(result.workbook)
    for problem in result.problems:
        print_problem(problem)
    notes = result.note_errors
    n_err = sum(1 for p in result.problems if p.severity == "error") - len(notes)
    n_warn = sum(1 for p in result.problems if p.severity != "error")
    if not result.valid:
        errors.print(f"[red]校验未通过[/red]：{result.file} 有 {n_err} 处错误、{n_warn} 处提示。")
        raise typer.Exit(1)
    console.print(f"[green]校验通过[/green]：{result.file}" + (f"（{n_warn} 处提示）" if n_warn else ""))
    if notes:
        errors.print(f"[red]工作记录与统计表不符[/red]：{notes[0].file} 有 {len(notes)} 处写的是统计表中的数却写得不一样，"
                     "改正之前不能起草（统计表本身没有问题）。")
        raise typer.Exit(1)


def _table_dict(problem, fields) -> dict:
    data = problem.as_dict()
    return {key: data.get(key) for key in fields}


def _print_workbook(read) -> None:
    if read.stats is None:
        errors.print(f"[red]未读入[/red] {escape(read.source)}：有错误，stats.yaml 未改动。")
    elif read.changed:
        console.print(f"已从 {read.source} 读入统计数据，写入 {read.target_shown}。")
    else:
        console.print(f"已读入 {read.source}：数据与 {read.target_shown} 相同。")
