"""One console for all terminal output, and the mapping of domain errors to exit codes."""

from __future__ import annotations

import functools
import json
from typing import Callable

import typer
from rich.console import Console

from ..errors import DrafterError, Problem

console = Console(highlight=False, soft_wrap=True)


def handles_errors(func: Callable) -> Callable:
    """Turn DrafterError into its Chinese message and exit code (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DrafterError as exc:
            for problem in getattr(exc, "problems", [])[1:]:
                print_problem(problem)
            console.print(f"[red]错误：[/red]{exc}")
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def print_problem(problem: Problem) -> None:
    style = "red" if problem.severity == "error" else "yellow"
    label = "错误" if problem.severity == "error" else "提示"
    console.print(f"[{style}]{label}[/{style}] {problem}")


def print_json(data: object) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False, default=str))
