"""`drafter rules list/show`: the rule packs that score a report, and what each deducts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .options import DirOption
from .output import console, handles_errors

rules_app = typer.Typer(help="查看评分规则包（按考核指标给报告打分）。", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")


@rules_app.command("list", help="列出全部规则包、满分和来源（内置，或工作目录 rulepacks/ 中的）。")
@handles_errors
def rules_list(dir: DirOption = Path(".")) -> None:
    from ..rulepacks import available, load_pack

    for source in available(Path(dir)):
        pack = load_pack(source.name, Path(dir))
        console.print(f"[bold]{escape(source.name)}[/bold]（{escape(source.origin)}）：{escape(pack.title or pack.name)}，满分 {pack.full_score}，"
                      f"{len(pack.rules)} 条规则")


@rules_app.command("show", help="显示一个规则包的内容（文件原文），可据此改写成本地的规则包。")
@handles_errors
def rules_show(
    name: Annotated[str, typer.Argument(help="规则包名称（如 national）或文件路径")] = "national",
    dir: DirOption = Path("."),
) -> None:
    from ..rulepacks import find_pack, load_pack
    from ..textfile import read_text

    load_pack(name, Path(dir))                      # refuse a pack with errors, naming its lines
    source = find_pack(name, Path(dir))
    console.print(f"# {source.origin}：{source.path}", markup=False)
    console.print(read_text(source.path), markup=False)
