"""Problems found in user input, and the exceptions that carry them to the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .layout import describe, location

Severity = Literal["error", "warning"]


@dataclass
class Problem:
    """One finding about an input file: where it is, what was expected and found."""

    severity: Severity
    message: str
    path: tuple = ()
    file: str = ""
    line: int | None = None
    expected: str | None = None
    found: str | None = None
    rule: str = ""

    @property
    def where(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return " ".join(p for p in (place, location(self.path)) if p)

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message

    def as_dict(self) -> dict:
        table, row, column = describe(self.path)
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "table": table or None,
            "row": row or None,
            "column": column or None,
            "rule": self.rule or None,
            "expected": self.expected,
            "found": self.found,
            "message": str(self),
        }


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


class DrafterError(Exception):
    """A failure the user can act on; its text is Chinese and shown as is."""

    exit_code = 1


class InputError(DrafterError):
    """Input that cannot be read at all (missing file, broken YAML, unreadable report)."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []
