"""How the library reaches a person: one small protocol the CLI, the chat and the web implement.

Use cases never print and never ask. What must reach a person goes through a `UI`:
a question (replace a section edited by hand? `detail` holds the diff), the text of a section as
a model streams it, and short notices (waiting for a queued model server, a section that failed).
"""

from __future__ import annotations

from typing import Protocol


class UI(Protocol):
    def confirm(self, question: str, detail: str = "") -> bool:
        """Ask a yes/no question; `detail` (a diff, a list) is shown with it."""
        ...

    def stream(self, key: str, text: str) -> None:
        """New text of section `key` as a model writes it."""
        ...

    def notice(self, key: str, message: str) -> None:
        """A short status of section `key` (e.g. 排队等待模型服务) or of the whole job (key "")."""
        ...


class QuietUI:
    """No person present: answers every question no, shows nothing (library calls, batch runs)."""

    def confirm(self, question: str, detail: str = "") -> bool:
        return False

    def stream(self, key: str, text: str) -> None:
        pass

    def notice(self, key: str, message: str) -> None:
        pass


class YesUI(QuietUI):
    """No person present, and every question answered yes (`--yes`)."""

    def confirm(self, question: str, detail: str = "") -> bool:
        return True
