"""One console for all terminal output, and the mapping of domain errors to exit codes."""

from __future__ import annotations

import functools
import json
import os
from typing import Callable

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import DrafterError, Problem
from ..workspace import RUNNING_COMMAND

console = Console(highlight=False, soft_wrap=True)


def handles_errors(func: Callable) -> Callable:
    """Turn DrafterError into its Chinese message and exit code (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        RUNNING_COMMAND.set(describe_command(func.__name__, kwargs))
        try:
            return func(*args, **kwargs)
        except DrafterError as exc:
            for problem in getattr(exc, "problems", [])[1:]:
                print_problem(problem)
            console.print(f"[red]错误：[/red]{escape(str(exc))}")
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: say so plainly, without a traceback (DRAFTER_DEBUG=1 shows it)
            if os.environ.get("DRAFTER_DEBUG"):
                raise
            console.print(f"[red]内部错误：[/red]{type(exc).__name__}: {escape(str(exc))}\n"
                          "这是程序的问题，不是您的操作错误；文件均为整体替换写入，不会留下写了一半的文件。请设置 DRAFTER_DEBUG=1 重新运行并把输出反馈给开发者。")
            raise typer.Exit(3) from None

    return wrapper


def describe_command(name: str, options: dict) -> str:
    """“drafter regenerate --year 2023 --instruction …” for history records."""
    words = ["drafter", name.replace("_command", "").replace("_", " ")]
    for key, value in options.items():
        if key == "dir" or value in (None, False, ""):
            continue
        words.append(f"--{key}" if value is True else f"--{key} {value}")
    return " ".join(words)


def print_problem(problem: Problem) -> None:
    style = "red" if problem.severity == "error" else "yellow"
    label = "错误" if problem.severity == "error" else "提示"
    console.print(f"[{style}]{label}[/{style}] {escape(str(problem))}")


def print_json(data: object) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False, default=str))
