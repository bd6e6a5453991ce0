"""The terminal's side of the library's UI protocol: questions with typer, streamed sections in a rich progress display."""

from __future__ import annotations

from contextlib import contextmanager

import typer
from rich.markup import escape
from rich.text import Text

from ..settings import hide_secrets
from .output import errors


class TerminalUI:
    """Asks on the terminal (or answers yes with --yes); shows each streamed section's progress."""

    def __init__(self, assume_yes: bool = False):
        self.assume_yes = assume_yes
        self.tasks: dict[str, object] = {}
        self.received: dict[str, int] = {}   # characters of the answer being received, per section
        self.display = None

    def confirm(self, question: str, detail: str = "") -> bool:
        if detail:
            show_diff(detail)
        if self.assume_yes:
            return True
        return typer.confirm(question, default=False, err=True)

    def stream(self, key: str, text: str) -> None:
        if self.display is not None and key in self.tasks:
            self.received[key] = self.received.get(key, 0) + len(text)
            self.display.advance(self.tasks[key], len(text))

    def notice(self, key: str, message: str) -> None:
        """A live status column in a terminal; elsewhere (a log, a pipe) a line, routine statuses left out."""
        from ..backends.waiting import DONE, ROUTINE
        from ..services.drafting import REPAIRING

        message = hide_secrets(message)
        if self.display is not None and key in self.tasks:
            task = self.tasks[key]
            if message == DONE:   # the clock and the count stop here
                self.display.update(task, total=self.received.get(key) or 1, status=escape(message))
            elif message.startswith(REPAIRING):   # a new answer: counted from zero, the clock runs again
                self.received[key] = 0
                self.display.reset(task, total=None, status=escape(message))
            else:
                self.display.update(task, status=escape(message))
            if errors.is_terminal:
                return
        if message in ROUTINE:
            return
        from ..document import HEADINGS

        errors.print(Text(f"{HEADINGS[key]}：{message}" if key in HEADINGS else message, style="yellow"))

    @contextmanager
    def progress(self, keys: list[str], enabled: bool = True):
        """A live display of the sections `keys` while a model drafts them (nothing for offline drafting)."""
        if not enabled:
            yield self
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from ..document import HEADINGS

        columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("已接收 {task.completed:.0f} 字"),
                   TextColumn("{task.fields[status]}"), TimeElapsedColumn())
        with Progress(*columns, console=errors, transient=False) as display:
            self.display = display
            self.tasks = {k: display.add_task(HEADINGS[k], total=None, status="") for k in keys}
            try:
                yield self
            finally:
                self.display, self.tasks = None, {}


def show_diff(diff: str) -> None:
    for line in diff.splitlines():
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim" if line.startswith("@@") else ""
        errors.print(Text(line, style=style))
