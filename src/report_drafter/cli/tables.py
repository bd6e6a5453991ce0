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
) -> None:
    from .. import workspace as ws

    for path, created in ws.init_year(dir, year, agency, format):
        shown = path.relative_to(dir) if path.is_relative_to(dir) else path
        console.print(f"[green]已创建[/green] {shown}" if created else f"[yellow]已存在，未改动[/yellow] {shown}")
    console.print(f"下一步：填写 {year}/stats.yaml 和 {year}/notes.md，然后运行 drafter validate --year {year}")


@handles_errors
def validate(
    year: YearOption,
    dir: DirOption = Path("."),
    format: Annotated[str, typer.Option("--format", "-f", help="输出格式：text 或 json")] = "text",
) -> None:
    from ..errors import errors
    from ..workspace import Workspace

    workspace = Workspace.open(dir)
    _, problems = workspace.validate(year)
    failed = bool(errors(problems))
    if format == "json":
        print_json({"valid": not failed, "problems": [p.as_dict() for p in problems]})
    else:
        for problem in problems:
            print_problem(problem)
        n_err, n_warn = len(errors(problems)), len(problems) - len(errors(problems))
        shown = workspace.display(workspace.stats_path(year))
        if failed:
            console.print(f"[red]校验未通过[/red]：{shown} 有 {n_err} 处错误、{n_warn} 处提示。")
        else:
            console.print(f"[green]校验通过[/green]：{shown}" + (f"（{n_warn} 处提示）" if n_warn else ""))
    raise typer.Exit(1 if failed else 0)
