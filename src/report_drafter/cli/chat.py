"""drafter chat: the terminal side of the chat (prompt_toolkit input, rich output)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from .drafting import drafting_tools
from .options import AUTO_BACKEND, BackendOption, DirOption, YearOption
from ..settings import hide_secrets
from .output import console, errors, handles_errors
from .ui import show_diff


def register(app: typer.Typer) -> None:
    app.command("chat", short_help="以对话方式修改草稿，每个修改确认后才写入。", help="以对话方式修改草稿：每个修改先显示差异和数字核对结果，确认后才写入；"
                "/help 查看命令。用 --message 可只处理一条要求（供脚本使用）。")(chat)


class PlainIO:
    """Chat input and output on plain streams (pipes, scripts, tests)."""

    def read(self) -> str | None:
        try:
            return input("你> ")
        except EOFError:
            return None

    def ask(self, question: str) -> str:
        try:
            return input(f"{question}> ").strip().lower()[:1]
        except EOFError:
            return ""

    def say(self, text: str, style: str = "") -> None:
        (errors if style == "red" else console).print(Text(hide_secrets(text), style=style))  # red: an error, on stderr

    def stream(self, text: str) -> None:
        console.print(text, end="", markup=False, highlight=False)

    def show_diff(self, diff: str) -> None:
        show_diff(diff)

    def confirm(self, question: str, detail: str = "") -> bool:
        if detail:
            show_diff(detail)
        return self.ask(f"{question} y/n") == "y"

    def stream_section(self, key: str, text: str) -> None:
        self.stream(text)

    def notice(self, key: str, message: str) -> None:
        from ..backends.waiting import ROUTINE

        if message not in ROUTINE:  # the answer's text appearing says the rest
            errors.print(Text(f"（{message}）", style="yellow"))

    def show_changes(self, changes: list[list[tuple[str, str]]]) -> None:
        """Each changed paragraph once: deleted text struck through in red, inserted text in green."""
        styles = {"=": "", "-": "red strike", "+": "green bold"}
        marks = {"=": "", "-": "[-", "+": "{+"}
        ends = {"=": "", "-": "-]", "+": "+}"}
        console.print(Text(f"修改之处（共 {len(changes)} 段；[-删除-] {{+新增+}}）：", style="bold"))
        for segments in changes:
            line = Text("  ")
            for kind, text in segments:
                line.append(f"{marks[kind]}{text}{ends[kind]}", style=styles[kind])
            console.print(line)

    def show_findings(self, findings: list) -> None:
        if not findings:
            console.print(Text("数字核对：未发现问题。", style="green"))
            return
        from .checking import print_findings

        console.print(Text("数字核对发现以下问题：", style="red"))
        print_findings(findings)

    def edit(self, text: str) -> str:
        """Open the text in $VISUAL/$EDITOR and return what the clerk saved."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w", suffix=".md", encoding="utf-8", delete=False) as handle:
            handle.write(text)
            path = Path(handle.name)
        try:
            subprocess.run([*shlex.split(editor), str(path)], check=False)
            return path.read_text(encoding="utf-8").strip()
        finally:
            path.unlink(missing_ok=True)


class TerminalIO(PlainIO):
    """In a real terminal: prompt_toolkit with history, Alt+Enter for a new line, Ctrl-C and Ctrl-D."""

    def __init__(self, history_path: Path):
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory
        from prompt_toolkit.key_binding import KeyBindings

        keys = KeyBindings()

        @keys.add("escape", "enter")
        def _(event):
            event.current_buffer.insert_text("\n")

        self.prompt = PromptSession(history=FileHistory(str(history_path)), key_bindings=keys, multiline=False)

    def read(self) -> str | None:
        try:
            return self.prompt.prompt("你> ")
        except EOFError:
            return None

    def ask(self, question: str) -> str:
        try:
            return self.prompt.prompt(f"{question}> ").strip().lower()[:1]
        except (EOFError, KeyboardInterrupt):
            return ""


@handles_errors
def chat(
    year: YearOption,
    dir: DirOption = Path("."),
    message: Annotated[Optional[str], typer.Option("--message", "-m", help="只处理这一条要求（或 /命令）后退出；要求的修改没有写入草稿时退出码非 0")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="与 --message 一起使用：不询问，直接接受修改")] = False,
    new: Annotated[bool, typer.Option("--new", help="开始新的对话（上次的对话保存在历史中）")] = False,
    backend: BackendOption = AUTO_BACKEND,
) -> None:
    from ..services.chat import ChatSession
    from ..services.conversation import ChatLoop

    workspace, prompts, engine = drafting_tools(dir, backend)
    session = ChatSession(workspace, year, engine, prompts)
    session.load(new=new)
    interactive = message is None and sys.stdin.isatty() and sys.stdout.isatty()
    io = TerminalIO(workspace.year_dir(year) / ".chat_history") if interactive else PlainIO()
    loop = ChatLoop(session, io, assume_yes=yes)
    if message is not None:
        loop.announce_damage()
        loop.handle(message)
        session.save()
        turn = loop.turn
        if turn.asks_change and not turn.applied:
            errors.print(Text("未应用任何修改，草稿未改动。", style="yellow"))
        if not turn.succeeded:
            raise typer.Exit(130 if turn.cancelled else turn.error.exit_code if turn.error else 1)
        return
    loop.run()
    session.save()
