"""Commands on the statistics tables: init, validate, import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .output import console, handles_errors, print_json, print_problem

DirOption = Annotated[Path, typer.Option("--dir", "-d", help="工作目录（默认为当前目录）")]
YearOption = Annotated[int, typer.Option("--year", "-y", help="报告年度，如 2023")]


def register(app: typer.Typer) -> None:
    app.command("init", help="新建年度目录：生成全零的 stats.yaml 和工作记录 notes.md（不覆盖已有文件）。")(init)
    app.command("validate", help="按勾稽关系校验某年度的统计表。退出码：0 通过，1 有错误，2 无法读取。")(validate)


@handles_errors
def init(
    year: YearOption,
    agency: Annotated[Optional[str], typer.Option("--agency", "-a", help="机关名称，如“中牟县科学技术和工业信息化局”")] = None,
    dir: DirOption = Path("."),
    format: Annotated[str, typer.Option("--format", help="表格格式：2021（默认）或 2019（试行格式）")] = "2021",
    xlsx: Annotated[bool, typer.Option("--xlsx", help="同时生成 Excel 填报表 stats.xlsx（Excel、WPS 均可填写，校验时自动读入）")] = False,
) -> None:
    from .. import workspace as ws

    created_files = ws.init_year(dir, year, agency, format)
    if xlsx:
        from ..spreadsheet import init_xlsx

        created_files.append(init_xlsx(ws.Workspace.open(dir), year))
    for path, created in created_files:
        shown = path.relative_to(dir) if path.is_relative_to(dir) else path
        console.print(f"[green]已创建[/green] {shown}" if created else f"[yellow]已存在，未改动[/yellow] {shown}")
    table = f"{year}/stats.xlsx（或 stats.yaml）" if xlsx else f"{year}/stats.yaml"
    console.print(f"下一步：填写 {table} 和 {year}/notes.md，然后运行 drafter validate --year {year}")


@handles_errors
def validate(
    year: YearOption,
    dir: DirOption = Path("."),
    format: Annotated[str, typer.Option("--format", "-f", help="输出格式：text 或 json")] = "text",
) -> None:
    from ..spreadsheet import newer_xlsx, update_stats
    from ..workspace import Workspace

    workspace = Workspace.open(dir)
    xlsx = newer_xlsx(workspace, year)
    report_validation(workspace, year, update_stats(workspace, xlsx, year) if xlsx else None, format)


def import_xlsx(file: Path, dir: Path, year: int | None) -> None:
    """`drafter import stats.xlsx`: the workbook's values into <year>/stats.yaml, then validated."""
    from ..spreadsheet import update_stats
    from ..workspace import Workspace

    dir.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.open(dir)
    update = update_stats(workspace, file, year)
    report_validation(workspace, year or (update.stats.year if update.stats else 0), update, "text")


def _print_update(workspace, update) -> None:
    if update.stats is None:
        console.print(f"[red]未读入[/red] {update.source}：有错误，stats.yaml 未改动。")
    elif update.changed:
        console.print(f"已从 {update.source} 读入统计数据，写入 {workspace.display(update.target)}。")
    else:
        console.print(f"已读入 {update.source}：数据与 {workspace.display(update.target)} 相同。")


def report_validation(workspace, year: int, update, format: str) -> None:
    """Validate a year's tables and print the result; problems point at stats.xlsx cells when it was read."""
    from ..errors import errors
    from ..spreadsheet import cell_refs, locate

    if update is not None and update.stats is None:
        problems, shown = update.problems, update.source
    else:
        stats, problems = workspace.validate(year)
        shown = workspace.display(workspace.stats_path(year))
        if update is not None:
            problems = update.problems + locate(problems, cell_refs(stats), update.source)
    failed = bool(errors(problems))
    if format == "json":
        print_json({"valid": not failed, "problems": [p.as_dict() for p in problems]})
    else:
        if update is not None:
            _print_update(workspace, update)
        for problem in problems:
            print_problem(problem)
        n_err, n_warn = len(errors(problems)), len(problems) - len(errors(problems))
        if failed:
            console.print(f"[red]校验未通过[/red]：{shown} 有 {n_err} 处错误、{n_warn} 处提示。")
        else:
            console.print(f"[green]校验通过[/green]：{shown}" + (f"（{n_warn} 处提示）" if n_warn else ""))
    raise typer.Exit(1 if failed else 0)
