"""Prompt and prose templates: jinja2, sandboxed, StrictUndefined.

Defaults ship in the package (`report_drafter/prompts/*.j2`); a workspace `prompts/` folder
overrides any of them by file name. Data and notes are passed as values, never as templates.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PureWindowsPath

from jinja2 import BaseLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from .errors import DrafterError
from .leakage import QUOTED, unknown_delimiters
from .textfile import decode

_PURPOSE = re.compile(r"\{#\s*用途[:：]\s*(.+?)\s*#\}")
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff，。；：、（）“”《》])\s+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%])\s+(?=[\u4e00-\u9fff，。；：、（）“”《》])")
_TRAILING = "。；;，,、.．！!？? "
ORDINALS = "一二三四五六七八九十"
_TEMPLATE_NAME = re.compile(r"^[^./\\:\x00-\x1f][^/\\:\x00-\x1f]*\.j2$")


class PromptError(DrafterError):
    """A template that cannot be rendered (syntax error, or a fact the data does not provide)."""


@dataclass
class TemplateInfo:
    name: str
    purpose: str
    origin: str         # "内置" or the workspace path
    path: Path
    sha256: str


def is_template_name(name: str) -> bool:
    """A bare template file name (“overview.j2”): no folder, no drive, not hidden, ending in .j2."""
    return (bool(_TEMPLATE_NAME.match(name)) and Path(name).name == name and PureWindowsPath(name).name == name)


def builtin_dir() -> Path:
    return Path(str(resources.files("report_drafter") / "prompts"))


def tidy(text: str) -> str:
    """Remove the spaces web copies put between Chinese and digits (“32 条” → “32条”)."""
    return _CJK_SPACE.sub("", text.strip())


def clause(text: str) -> str:
    """A note entry as a clause: tidied, without trailing punctuation."""
    return tidy(text).rstrip(_TRAILING)


def sentences(items: list[str], sep: str = "；") -> str:
    """Note entries joined into one sentence ending in 。."""
    parts = [clause(i) for i in items if clause(i)]
    return sep.join(parts) + "。" if parts else ""


def enumerate_cn(items: list[str]) -> str:
    """“一是…；二是…；三是…。” from a list of entries (a single entry stays plain)."""
    parts = [clause(i) for i in items if clause(i)]
    if len(parts) == 1:
        return parts[0] + "。"
    return "；".join(f"{ORDINALS[n]}是{p}" for n, p in enumerate(parts)) + ("。" if parts else "")


class _Loader(BaseLoader):
    """Templates from the workspace's prompts/ (in any encoding an office saves) over the built-in ones."""

    def __init__(self, prompts: "Prompts"):
        self.prompts = prompts

    def get_source(self, environment, name: str):
        if not is_template_name(name):
            self.prompts.path(name)         # raises the PromptError that says why
        try:
            path = self.prompts.path(name)
        except PromptError:
            raise TemplateNotFound(name) from None
        mtime = path.stat().st_mtime
        return self.prompts.source(name), str(path), lambda: path.exists() and path.stat().st_mtime == mtime


class Prompts:
    """The template set of one workspace."""

    def __init__(self, workspace_root: Path | None = None):
        self.override_dir = workspace_root / "prompts" if workspace_root else None
        self.env = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=False, extensions=["jinja2.ext.do"],
                                        trim_blocks=True, lstrip_blocks=True, autoescape=False)
        self.env.loader = _Loader(self)
        self.env.filters.update(tidy=tidy, clause=clause, sentences=sentences, enumerate_cn=enumerate_cn)

    def source(self, name: str) -> str:
        """A template's text, whatever encoding the workspace's copy was saved in."""
        path = self.path(name)
        shown = f"prompts/{name}" if path.parent != builtin_dir() else name
        try:
            return decode(path.read_bytes(), shown)
        except DrafterError as exc:
            raise PromptError(str(exc)) from None

    def path(self, name: str) -> Path:
        if not is_template_name(name):
            # `{% include "/etc/passwd" %}` or "../x": a template may use only templates of its own set
            raise PromptError(f"提示词模板只能引用同一组模板（prompts/ 中的 .j2 文件），不能引用“{name}”。"
                              "请改为模板文件名，如 {% include \"_facts.j2\" %}。")
        if self.override_dir and (self.override_dir / name).is_file():
            path = self.override_dir / name
            if path.resolve().parent != self.override_dir.resolve():
                raise PromptError(f"prompts/{name} 是指向工作目录 prompts/ 以外的链接，不能作为提示词模板使用。"
                                  "请把模板文件本身放在 prompts/ 中。")
            return path
        path = builtin_dir() / name
        if not path.is_file():
            raise PromptError(f"找不到提示词模板 {name}。可用 drafter prompts list 查看全部模板。")
        return path

    def info(self, name: str) -> TemplateInfo:
        path = self.path(name)
        source = self.source(name)
        purpose = _PURPOSE.search(source)
        origin = "内置" if path.parent == builtin_dir() else str(path)
        return TemplateInfo(name, purpose.group(1) if purpose else "", origin, path,
                            hashlib.sha256(source.encode()).hexdigest()[:16])

    def names(self) -> list[str]:
        found = {p.name for p in builtin_dir().glob("*.j2")}
        if self.override_dir and self.override_dir.is_dir():
            found |= {p.name for p in self.override_dir.glob("*.j2")}
        return sorted(found)

    def render(self, name: str, context: dict) -> str:
        """Render a template; a missing fact or a syntax error is a PromptError naming the line."""
        self.path(name)
        try:
            rendered = self.env.get_template(name).render(**context).strip() + "\n"
        except TemplateSyntaxError as exc:
            line, message = syntax_error(exc, self.source(exc.name or name))
            raise PromptError(f"提示词模板 {exc.name or name} 第 {line} 行语法错误：{message}") from None
        except UndefinedError as exc:
            raise PromptError(
                f"提示词模板 {name} 第 {_template_line(exc)} 行引用了数据中没有的内容（{_undefined_name(exc)}），"
                "请检查模板中的变量名。可用 drafter prompts show 查看可用数据。") from None
        except (TemplateError, TypeError, ValueError, AttributeError) as exc:
            raise PromptError(f"提示词模板 {name} 第 {_template_line(exc)} 行无法渲染：{exc}") from None
        unknown = unknown_delimiters(rendered)
        if unknown:   # the checker must know every delimiter a prompt uses, or a leaked one would pass
            raise PromptError(
                f"提示词模板 {name} 使用了核对程序不认识的材料分隔标记：{'、'.join(f'【{n}开始】' for n in sorted(unknown))}。"
                f"请改用已有的标记（{'、'.join(QUOTED)}），以便核对时能发现混入草稿的提示词。")
        return rendered


def _template_line(exc: Exception) -> str:
    tb = exc.__traceback__
    line = "?"
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = str(tb.tb_lineno)
        tb = tb.tb_next
    return line


def _undefined_name(exc: UndefinedError) -> str:
    match = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'|no element '?([^']+?)'?$", str(exc))
    return next((g for g in match.groups() if g), str(exc)) if match else str(exc)


_BLOCK_TAG = re.compile(r"\{%-?\s*(end)?(if|for|macro|call|filter|block|raw|with|autoescape|trans)\b")
_SYNTAX_MESSAGES = (
    (r"^Encountered unknown tag '([^']+)'", r"不认识的标签“\1”（只能使用 if、for、set 等 jinja2 标签）"),
    (r"^unexpected '([^']+)'", r"多余的“\1”"),
    (r"^expected token 'end of print statement', got '([^']+)'", r"{{ … }} 中的写法有误（在“\1”处），或少了“}}”"),
    (r"^expected token 'end of statement block', got '([^']+)'", r"{% … %} 中的写法有误（在“\1”处），或少了“%}”"),
    (r"^unexpected end of template, expected '([^']+)'", r"模板在此结束，但还缺少“\1”：请检查 {{ }} 和 {% %} 是否配对"),
    (r"^unexpected char '([^']+)'", r"不能使用的字符“\1”（表达式中请用英文标点）"),
)


def syntax_error(exc: TemplateSyntaxError, source: str) -> tuple[int | None, str]:
    """(line, Chinese message) of a template syntax error; an unclosed block is reported where it opens."""
    if exc.message and exc.message.startswith("Unexpected end of template"):
        opened = _unclosed_block(source)
        if opened:
            tag, line = opened
            return line, f"这里的 {{% {tag} %}} 没有对应的 {{% end{tag} %}}"
    for pattern, chinese in _SYNTAX_MESSAGES:
        if re.search(pattern, exc.message or ""):
            return exc.lineno, re.sub(pattern + ".*", chinese, exc.message, flags=re.S)
    return exc.lineno, exc.message or str(exc)


def _unclosed_block(source: str) -> tuple[str, int] | None:
    """The innermost block tag left open at the end of `source`, with its line."""
    stack: list[tuple[str, int]] = []
    for match in _BLOCK_TAG.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        if match.group(1):
            if stack and stack[-1][0] == match.group(2):
                stack.pop()
        else:
            stack.append((match.group(2), line))
    return stack[-1] if stack else None
