"""All terminal output: results on stdout, diagnostics on stderr, domain errors mapped to exit codes."""

from __future__ import annotations

import functools
import json
import os
import typing
from typing import Callable

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ..errors import DrafterError
from ..settings import hide_secrets
# no emoji codes: user text (a template, a report) may hold “:x:”, and is printed as written
console = Console(highlight=False, soft_wrap=True, emoji=False)                 # results: what the command produced
errors = Console(highlight=False, soft_wrap=True, stderr=True, emoji=False)     # diagnostics: errors, warnings, progress
_command = ["drafter"]
CANCELLED = {"generate": "已取消，草稿未改动。", "regenerate": "已取消，草稿未改动。"}


def running_command() -> str:
    """The command being run, as history records name it (“drafter regenerate --year 2023 …”)."""
    return _command[0]


def handles_errors(func: Callable) -> Callable:
    """Turn DrafterError into its Chinese message and exit code (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        _command[0] = describe_command(func, kwargs)
        try:
            return func(*args, **kwargs)
        except DrafterError as exc:
            for problem in getattr(exc, "problems", []):
                if problem.message not in str(exc):
                    print_problem(problem)
            errors.print(Text.assemble(("错误：", "red"), hide_secrets(str(exc))))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            errors.print(Text(CANCELLED.get(func.__name__, "已取消，文件未改动。"), style="yellow"))
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug: say so plainly, without a traceback (DRAFTER_DEBUG=1 shows it)
            if os.environ.get("DRAFTER_DEBUG"):
                raise
            errors.print(f"[red]内部错误：[/red]{type(exc).__name__}: {escape(hide_secrets(str(exc)))}\n"
                         "这是程序的问题，不是您的操作错误；文件均为整体替换写入，不会留下写了一半的文件。"
                         "请设置 DRAFTER_DEBUG=1 重新运行并把输出反馈给开发者。")
            raise typer.Exit(3) from None

    return wrapper


def describe_command(func: Callable, options: dict) -> str:
    """“drafter regenerate 五 --year 2023 --instruction …” for history records: arguments bare, options named."""
    words = ["drafter", func.__name__.replace("_command", "").replace("_", " ")]
    arguments = _argument_names(func)
    for key, value in options.items():
        value = getattr(value, "value", value)      # Enum choices
        if key == "dir" or value in (None, False, ""):
            continue
        if key in arguments:
            words.insert(2, str(value))
        else:
            words.append(f"--{key}" if value is True else f"--{key} {value}")
    return " ".join(words)


def _argument_names(func: Callable) -> set[str]:
    """Parameters declared with typer.Argument (positional on the command line)."""
    hints = typing.get_type_hints(func, include_extras=True)
    return {name for name, hint in hints.items()
            if any(isinstance(meta, typer.models.ArgumentInfo) for meta in getattr(hint, "__metadata__", ()))}


def open_workspace(root):
    """The workspace of a command, its writes recorded as made by the running command."""
    from ..workspace import Workspace

    return Workspace.open(root, actor=running_command())


def print_problem(problem) -> None:
    style = "red" if problem.severity == "error" else "yellow"
    label = "错误" if problem.severity == "error" else "提示"
    errors.print(Text.assemble((label, style), " ", hide_secrets(str(problem))))


def print_json(data: object) -> None:
    """Machine output: the JSON alone on stdout."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
