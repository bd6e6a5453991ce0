"""Chinese texts for the parts of typer's help and error output that it does not let us set.

Typer (with its vendored click) hard-codes a few English strings; clerks read only Chinese,
so they are replaced here, in one place, at CLI import.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import re
import sys

from typer._click import core as click_core
from typer._click import formatting

_CONSTANTS = {
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已弃用）",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已取消。",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}

_ERRORS = (
    (re.compile(r"^Missing option '([^']+)'.*"), r"缺少选项 \1。"),
    (re.compile(r"^Missing argument '([^']+)'.*"), r"缺少参数 \1。"),
    (re.compile(r"^No such option: (\S+)(?: Did you mean (\S+)\?)?"), r"没有这个选项：\1。"),
    (re.compile(r"^No such command '([^']+)'\."), r"没有这个命令：\1。"),
    (re.compile(r"^Missing command\."), "缺少命令。"),
    (re.compile(r"^Option '([^']+)' requires an argument\."), r"选项 \1 需要一个值。"),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)"), r"多余的参数：\1"),
    (re.compile(r"^Invalid value for '([^']+)': (?:Value )?'?([^']*?)'? is not a valid (\w+)\.?"),
     r"选项 \1 的值“\2”无效，应为\3。"),
    (re.compile(r"^Invalid value for '([^']+)'(?: / '[^']+')?: Input should be a valid (\w+).*"),
     r"选项 \1 的值无效，应为\2。"),
    (re.compile(r"^Invalid value for '([^']+)'(?: / '[^']+')?: (.*)"), r"选项 \1 的值无效：\2"),
)
_BOUNDS = {"greater than or equal to": "不小于", "less than or equal to": "不大于", "greater than": "大于", "less than": "小于"}
_OUT_OF_RANGE = re.compile(r"^Invalid value for '([^']+)'(?: / '[^']+')?: Input should be ("
                           + "|".join(_BOUNDS) + r") (\S+?)\.?$")
_TYPE_NAMES = {"integer": "整数", "number": "数字", "int": "整数", "float": "数字", "path": "路径", "boolean": "是/否"}


_NOT_ONE_OF = re.compile(r"^Invalid value for '([^']+)'(?: / '[^']+')?: (?:Value error, )?'([^']*)' is not one of (.*?)\.?$")


def translate_error(message: str, label: str = "") -> str:
    """Chinese text for a usage error raised by the command-line parser (`label`: what the option chooses)."""
    bound = _OUT_OF_RANGE.match(message)
    if bound:
        option, relation, limit = bound.groups()
        return f"选项 {option} 的值应{_BOUNDS[relation]} {limit}。"
    choice = _NOT_ONE_OF.match(message)
    if choice:
        option, value, choices = choice.groups()
        allowed = "、".join(re.findall(r"'([^']*)'", choices))
        return f"{label or '选项 ' + option}应为 {allowed} 之一，收到“{value}”。"
    for pattern, replacement in _ERRORS:
        if pattern.match(message):
            text = pattern.sub(replacement, message)
            for english, chinese in _TYPE_NAMES.items():
                text = text.replace(f"应为{english}。", f"应为{chinese}。")
            return text
    return message


def install() -> None:
    """Patch the parser's texts now, and typer's rich help texts when typer first loads them."""
    original_usage = formatting.HelpFormatter.write_usage

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")
        original_usage(self, prog, args, "用法：" if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage

    original_help_option = click_core.Command.get_help_option

    def get_help_option(self, ctx):
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option

    click_core.Command.get_help_option = get_help_option
    if "typer.rich_utils" in sys.modules:
        _patch_rich_utils(sys.modules["typer.rich_utils"])
    else:  # importing it costs ~50 ms (rich.markdown, pygments); most commands never need it
        sys.meta_path.insert(0, _PatchOnImport())


def _patch_rich_utils(rich_utils) -> None:
    for name, text in _CONSTANTS.items():
        setattr(rich_utils, name, text)
    rich_utils.OptionHighlighter.highlights = [
        *rich_utils.OptionHighlighter.highlights[:-1], r"(?P<usage>用法：)"]
    original_format_error = rich_utils.rich_format_error

    def rich_format_error(self) -> None:
        help_text = getattr(getattr(self, "param", None), "help", None) or ""
        label = help_text.split("：", 1)[0] if "：" in help_text else ""
        self.message = translate_error(self.format_message(), label)
        self.format_message = lambda: self.message
        original_format_error(self)

    rich_utils.rich_format_error = rich_format_error


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Applies the Chinese texts to typer.rich_utils right after it is imported."""

    def find_spec(self, name, path, target=None):
        if name != "typer.rich_utils":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        execute = spec.loader.exec_module

        def exec_module(module) -> None:
            execute(module)
            _patch_rich_utils(module)

        spec.loader.exec_module = exec_module
        return spec
