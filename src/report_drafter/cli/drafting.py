"""Commands that write the draft: generate, regenerate, history, undo, prompts."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .output import console, handles_errors, print_problem
from .tables import DirOption, YearOption

BackendOption = Annotated[
    str, typer.Option("--backend", "-b", help="起草方式：auto（有模型设置时用模型，否则离线）、offline、openai")]


SECTION_HELP = "要重写的部分：overview/一（总体情况）、problems/五（问题及改进）、other/六（其他事项）"


def register(app: typer.Typer) -> None:
    app.command("generate", help="起草某年度的完整报告 draft.md（表格由 stats.yaml 生成，正文由模型或离线模板起草）。")(generate)
    app.command("regenerate", help="按要求重写草稿中的一个部分，其余内容（包括手工修改）一字不动。")(regenerate)
    app.command("history", help="列出 draft.md 的历史版本。")(history)
    app.command("undo", help="撤销 draft.md 的上一次修改，恢复到之前的版本。")(undo)
    prompts_app = typer.Typer(help="查看起草所用的提示词模板。", no_args_is_help=True)
    prompts_app.command("list", help="列出全部模板、用途和来源（内置或工作目录 prompts/ 中的覆盖）。")(prompts_list)
    prompts_app.command("show", help="显示某个模板用某年度数据渲染后的内容。")(prompts_show)
    app.add_typer(prompts_app, name="prompts")


def make_backend(workspace, choice: str, prompts):
    """The backend to draft with: offline unless a model is configured (or chosen)."""
    from ..backends.offline import OfflineBackend

    if choice not in ("auto", "offline", "openai"):
        raise InputError(f"起草方式应为 auto、offline 或 openai，收到“{choice}”。")
    if choice == "offline":
        return OfflineBackend(prompts)
    from ..settings import backend_name, load_settings

    settings = load_settings(workspace.config)
    if choice == "auto" and backend_name(settings) == "offline":
        return OfflineBackend(prompts)
    from ..backends.openai_backend import OpenAIBackend

    return OpenAIBackend(settings)


@contextmanager
def streaming(engine, keys: list[str]):
    """A live progress display of streamed sections; yields the chunk callback (None offline)."""
    if engine.name == "offline":
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("已接收 {task.completed:.0f} 字"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        from ..document import HEADINGS

        tasks = {k: progress.add_task(HEADINGS[k], total=None) for k in keys}
        yield lambda key, text: progress.advance(tasks[key], len(text)) if key in tasks else None


def report_drafting(completions: dict, findings: list) -> None:
    """Token usage and any number findings that the drafting could not resolve."""
    from ..backends.base import total_usage

    tokens_in, tokens_out = total_usage(completions.values())
    if tokens_in is not None or tokens_out is not None:
        console.print(f"用量：输入 {tokens_in or 0} 个词元，输出 {tokens_out or 0} 个词元。")
    if findings:
        from .checking import print_findings

        print_findings(findings)
        errors = sum(1 for f in findings if f.severity == "error")
        console.print(f"[red]草稿中仍有 {errors} 处问题[/red]，已记录在 draft.provenance.json；"
                      "请修改后运行 drafter check 复核。" if errors else "以上为提示，请核实。")


@handles_errors
def generate(
    year: YearOption,
    dir: DirOption = Path("."),
    backend: BackendOption = "auto",
    force: Annotated[bool, typer.Option("--force", help="连同手工修改过的部分一并重新起草（原稿保存在历史中）")] = False,
) -> None:
    from .. import drafting
    from ..prompts import Prompts
    from ..workspace import Workspace

    workspace = Workspace.open(dir)
    prompts = Prompts(workspace.root)
    engine = make_backend(workspace, backend, prompts)
    console.print(f"起草方式：{'离线模板' if engine.name == 'offline' else '模型 ' + engine.model}")
    with streaming(engine, list(drafting.document.PROSE_SECTIONS)) as on_chunk:
        result = drafting.generate(workspace, year, engine, prompts, force=force, on_chunk=on_chunk)
    for problem in result.warnings:
        print_problem(problem)
    shown = workspace.display(result.path)
    for key in result.kept:
        console.print(f"[yellow]保留[/yellow] {drafting.document.HEADINGS[key]}：该部分已手工修改，未重新起草"
                      f"（如需重写：drafter regenerate {key} --year {year}）")
    report_drafting(result.completions, result.findings)
    gaps = result.path.read_text(encoding="utf-8").count("【待补充")
    if gaps:
        console.print(f"[yellow]草稿中有 {gaps} 处【待补充】[/yellow]：请在 {year}/notes.md 对应栏目记录工作情况后重新生成。")
    console.print(f"[green]已生成[/green] {shown}（起草 {len(result.drafted)} 个部分，用时 {result.duration_s:.2f} 秒）")
    if any(f.severity == "error" for f in result.findings):
        raise typer.Exit(1)


def section_key(value: str) -> str:
    from ..document import SECTION_ALIASES

    key = SECTION_ALIASES.get(value.strip())
    if key is None:
        raise InputError(f"“{value}”不是可重写的部分。{SECTION_HELP}")
    return key


@handles_errors
def regenerate(
    section: Annotated[str, typer.Argument(help=SECTION_HELP)],
    year: YearOption,
    dir: DirOption = Path("."),
    instruction: Annotated[str, typer.Option("--instruction", "-i", help="修改要求，如“压缩到八百字以内”")] = "",
    backend: BackendOption = "auto",
    yes: Annotated[bool, typer.Option("--yes", help="该部分有手工修改时不再询问，直接替换（原稿保存在历史中）")] = False,
) -> None:
    from .. import drafting
    from ..prompts import Prompts
    from ..workspace import Workspace

    key = section_key(section)
    workspace = Workspace.open(dir)
    prompts = Prompts(workspace.root)
    engine = make_backend(workspace, backend, prompts)

    def confirm(diff: str) -> bool:
        console.print(f"[yellow]“{drafting.document.HEADINGS[key]}”在上次起草后被手工修改过：[/yellow]")
        console.print(diff, markup=False)
        return yes or typer.confirm("用新起草的内容替换这些手工修改吗？（原稿会保存在历史中）", default=False)

    with streaming(engine, [key]) as on_chunk:
        result = drafting.regenerate(workspace, year, key, engine, prompts, instruction, confirm, on_chunk)
    if result is None:
        console.print("未做任何修改。")
        raise typer.Exit(1)
    report_drafting({key: result.completion}, result.findings)
    console.print(f"[green]已重写[/green] {drafting.document.HEADINGS[key]}（{workspace.display(result.path)}，其余部分未改动）")
    if any(f.severity == "error" for f in result.findings):
        raise typer.Exit(1)


@handles_errors
def history(year: YearOption, dir: DirOption = Path(".")) -> None:
    from .. import drafting
    from ..workspace import Workspace

    workspace = Workspace.open(dir)
    entries = drafting.history(workspace, year)
    if not entries:
        console.print(f"{year}/draft.md 还没有历史版本。")
        return
    from rich.table import Table

    table = Table("序号", "时间", "保存的版本", "被哪条命令替换", "状态")
    for n, entry in enumerate(entries, start=1):
        table.add_row(str(n), entry["time"], entry["saved_as"], entry["replaced_by"], "已恢复" if entry["undone"] else "")
    console.print(table)


@handles_errors
def undo(year: YearOption, dir: DirOption = Path(".")) -> None:
    from .. import drafting
    from ..workspace import Workspace

    workspace = Workspace.open(dir)
    entry = drafting.undo(workspace, year)
    console.print(f"[green]已恢复[/green] {year}/draft.md 到 {entry['time']} 的版本（被“{entry['replaced_by']}”替换之前）。"
                  "撤销前的版本也已保存在历史中。")


@handles_errors
def prompts_list(dir: DirOption = Path(".")) -> None:
    from ..prompts import Prompts

    prompts = Prompts(Path(dir))
    for name in prompts.names():
        info = prompts.info(name)
        origin = "内置" if info.origin == "内置" else f"工作目录 prompts/{name}"
        console.print(f"[bold]{name}[/bold]（{origin}）：{info.purpose}")


@handles_errors
def prompts_show(
    name: Annotated[str, typer.Argument(help="模板文件名，如 overview.j2")],
    year: YearOption,
    dir: DirOption = Path("."),
) -> None:
    from .. import drafting
    from ..prompts import Prompts
    from ..workspace import Workspace

    workspace = Workspace.open(dir)
    prompts = Prompts(workspace.root)
    inputs = drafting.load_inputs(workspace, year)
    console.print(prompts.render(name if name.endswith(".j2") else f"{name}.j2", drafting.context(inputs)), markup=False)
