"""Commands that write the draft: generate, regenerate, history, undo, prompts."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.text import Text

from ..errors import InputError
from .options import AUTO_BACKEND, BackendOption, DirOption, HistoryFile, HistoryFileOption, YearOption
from .output import console, errors, handles_errors, open_workspace

SECTION_HELP = "要重写的部分：overview/一（总体情况）、problems/五（问题及改进）、other/六（其他事项），也可写完整标题"


def register(app: typer.Typer) -> None:
    app.command("generate", help="起草某年度的完整报告 draft.md（表格由 stats.yaml 生成，正文由模型或离线模板起草）。")(generate)
    app.command("regenerate", help="按要求重写草稿中的一个部分，其余内容（包括手工修改）一字不动。")(regenerate)
    app.command("history", help="列出 draft.md（或 stats.yaml）的历史版本。")(history)
    app.command("undo", help="撤销 draft.md（或 stats.yaml）的上一次修改，恢复到之前的版本。")(undo)
    prompts_app = typer.Typer(help="查看起草所用的提示词模板。", no_args_is_help=True)
    prompts_app.command("list", help="列出全部模板、用途和来源（内置或工作目录 prompts/ 中的覆盖）。")(prompts_list)
    prompts_app.command("show", help="显示某个模板用某年度数据渲染后的内容。")(prompts_show)
    app.add_typer(prompts_app, name="prompts")


def drafting_tools(dir: Path, backend: str):
    """The workspace, its prompts and the chosen backend."""
    from ..backends import get_backend
    from ..prompts import Prompts

    workspace = open_workspace(dir)
    prompts = Prompts(workspace.root)
    return workspace, prompts, get_backend(backend, workspace.config, prompts)


def report_drafting(completions: dict, findings: list, repair_failed: dict | None = None) -> None:
    """Token usage, repairs that failed, and any findings that the drafting could not resolve."""
    from ..backends.base import total_usage
    from ..document import HEADINGS

    tokens_in, tokens_out = total_usage(completions.values())
    if tokens_in is not None or tokens_out is not None:
        console.print(f"用量：输入 {tokens_in or 0} 个词元，输出 {tokens_out or 0} 个词元。")
    for key, error in (repair_failed or {}).items():
        what = "的修改稿" if error.summary == "修改稿没有改进" else "时失败"
        errors.print(Text.assemble(("提示", "yellow"), f" 按核对结果修改“{HEADINGS[key]}”{what}：{error.detail}"
                                   "已保留修改前的文本。"))
    if findings:
        from .checking import print_findings

        print_findings(findings)
        n_errors = sum(1 for f in findings if f.severity == "error")
        errors.print(f"[red]草稿中仍有 {n_errors} 处问题[/red]，已记录在 draft.provenance.json；"
                     "请修改后运行 drafter check 复核。" if n_errors else "以上为提示，请核实。")


@handles_errors
def generate(
    year: YearOption,
    dir: DirOption = Path("."),
    backend: BackendOption = AUTO_BACKEND,
    force: Annotated[bool, typer.Option("--force", help="连同手工修改过的部分一并重新起草（原稿保存在历史中）")] = False,
) -> None:
    from .. import document
    from ..services.drafting import generate as draft
    from .ui import TerminalUI

    workspace, prompts, engine = drafting_tools(dir, backend)
    console.print(f"起草方式：{'模型 ' + engine.model if engine.follows_instructions else '离线模板'}")
    ui = TerminalUI()
    with ui.progress(list(document.PROSE_SECTIONS), enabled=engine.follows_instructions):
        result = draft(workspace, year, engine, prompts, force=force, ui=ui)
    shown = workspace.display(result.path)
    for key in result.kept:
        console.print(f"[yellow]保留[/yellow] {document.HEADINGS[key]}：该部分已手工修改，未重新起草"
                      f"（如需重写：{regenerate_command(key, year, dir)}）")
    report_drafting(result.completions, result.findings, result.repair_failed)
    if result.gaps:
        console.print(f"[yellow]草稿中有 {result.gaps} 处【待补充】[/yellow]：请在 {year}/notes.md 对应栏目记录工作情况后重新生成。")
    console.print(f"[green]已生成[/green] {escape(str(shown))}（起草 {len(result.drafted)} 个部分，用时 {result.duration_s:.2f} 秒）")
    report_failures(result, year, dir)
    if result.failed or any(f.severity == "error" for f in result.findings):
        raise typer.Exit(1)


def regenerate_command(key: str, year: int, dir: Path) -> str:
    """The regenerate command for a section, with --dir when the command was run on another folder."""
    from ..services.drafting import regenerate_command as command

    where = "" if Path(dir) == Path(".") else f" --dir {shlex.quote(str(dir))}"
    return command(key, year) + where


def report_failures(result, year: int, dir: Path) -> None:
    """Each section the model failed to draft: why, what the draft holds there, how to redraft it."""
    from .. import document

    if not result.failed:
        return
    for key, error in result.failed.items():
        kept = "保留了上一稿的这一部分" if key in result.restored else "草稿中这一部分暂为【待补充】占位"
        errors.print(Text.assemble(("起草失败", "red"), f" {document.HEADINGS[key]}：{error.detail}"))
        errors.print(f"  {kept}；重新起草：{regenerate_command(key, year, dir)}", markup=False)
    done = "、".join(document.HEADINGS[k] for k in result.drafted) or "无"
    errors.print(Text(f"{len(result.failed)} 个部分起草失败；起草成功的部分（{done}）已写入草稿。", style="red"))


def section_key(value: str) -> str:
    """The section key of “五”, “problems”, “五、存在的主要问题及改进情况” …"""
    from ..document import section_named

    key = section_named(value)
    if key is None:
        raise InputError(f"“{value}”不是可重写的部分。{SECTION_HELP}")
    return key


@handles_errors
def regenerate(
    section: Annotated[str, typer.Argument(help=SECTION_HELP)],
    year: YearOption,
    dir: DirOption = Path("."),
    instruction: Annotated[str, typer.Option("--instruction", "-i", help="修改要求，如“压缩到八百字以内”")] = "",
    backend: BackendOption = AUTO_BACKEND,
    yes: Annotated[bool, typer.Option("--yes", help="该部分有手工修改时不再询问，直接替换（原稿保存在历史中）")] = False,
) -> None:
    from .. import document
    from ..backends.base import BackendError, NeedsModel
    from ..services.drafting import regenerate as redraft
    from .ui import TerminalUI

    key = section_key(section)
    workspace, prompts, engine = drafting_tools(dir, backend)
    ui = TerminalUI(assume_yes=yes)
    with ui.progress([key], enabled=engine.follows_instructions):
        try:
            result = redraft(workspace, year, key, engine, prompts, instruction, ui)
        except BackendError as exc:
            if not isinstance(exc, NeedsModel):
                exc.args = (f"{exc}\n草稿未改动。",)
            raise
    if result is None:
        console.print("未做任何修改。")
        raise typer.Exit(1)
    report_drafting({key: result.completion}, result.findings, result.repair_failed)
    if not result.changed:
        console.print(f"重新起草的“{document.HEADINGS[key]}”与原稿相同，草稿未改动。")
    else:
        console.print(f"[green]已重写[/green] {document.HEADINGS[key]}（{escape(workspace.display(result.path))}，其余部分未改动）")
    if any(f.severity == "error" for f in result.findings):
        raise typer.Exit(1)


@handles_errors
def history(year: YearOption, dir: DirOption = Path("."), file: HistoryFileOption = HistoryFile.draft) -> None:
    from ..services.history import history as versions

    entries = versions(open_workspace(dir), year, file.value)
    if not entries:
        console.print(f"{year}/{file.value} 还没有历史版本。")
        if file == HistoryFile.draft:
            print_usage(open_workspace(dir), year)
        return
    from rich.table import Table

    table = Table("序号", "时间", "保存的版本", "被哪条命令替换", "状态")
    for n, entry in enumerate(entries, start=1):
        table.add_row(str(n), entry["time"], entry["saved_as"], entry["replaced_by"], "已恢复" if entry["undone"] else "")
    console.print(table)
    if file == HistoryFile.draft:
        print_usage(open_workspace(dir), year)


def print_usage(workspace, year: int) -> None:
    """Tokens and time of each section's last drafting (“约” where the server reported no usage)."""
    from rich.table import Table

    from ..document import HEADINGS
    from ..services.history import section_usage

    rows = section_usage(workspace, year)
    if not rows:
        return
    table = Table("部分", "起草方式", "输入词元", "输出词元", "首字用时", "用时", "起草时间", title="当前草稿各部分的起草用量",
                  caption="“约”：模型服务没有报告用量，按字数估算" if any(r.estimated for r in rows) else None)

    def tokens(value, estimated: bool) -> str:
        return "—" if value is None else f"{'约' if estimated else ''}{value}"

    for row in rows:
        table.add_row(HEADINGS[row.key][0], row.model or row.backend,
                      tokens(row.input_tokens, row.estimated), tokens(row.output_tokens, row.estimated),
                      "—" if row.first_token_s is None else f"{row.first_token_s:.1f} 秒",
                      "—" if row.duration_s is None else f"{row.duration_s:.1f} 秒", row.drafted_at.replace("T", " "))
    console.print(table)


@handles_errors
def undo(year: YearOption, dir: DirOption = Path("."), file: HistoryFileOption = HistoryFile.draft) -> None:
    from ..services.history import undo as restore

    entry = restore(open_workspace(dir), year, file.value)
    console.print(f"[green]已恢复[/green] {year}/{file.value} 到 {entry['time']} 的版本（被“{escape(str(entry['replaced_by']))}”替换之前）。"
                  "撤销前的版本也已保存在历史中。")


@handles_errors
def prompts_list(dir: DirOption = Path(".")) -> None:
    from ..prompts import Prompts

    prompts = Prompts(Path(dir))
    for name in prompts.names():
        info = prompts.info(name)
        origin = "内置" if info.origin == "内置" else f"工作目录 prompts/{name}"
        console.print(f"[bold]{escape(name)}[/bold]（{escape(str(origin))}）：{escape(info.purpose)}")


@handles_errors
def prompts_show(
    name: Annotated[str, typer.Argument(help="模板文件名，如 overview.j2")],
    year: YearOption,
    dir: DirOption = Path("."),
) -> None:
    from ..prompts import Prompts
    from ..services.context import template_context
    from ..services.inputs import load_inputs

    workspace = open_workspace(dir)
    prompts = Prompts(workspace.root)
    inputs = load_inputs(workspace, year)
    console.print(prompts.render(name if name.endswith(".j2") else f"{name}.j2", template_context(inputs)), markup=False)
