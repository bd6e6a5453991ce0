"""Read the canonical statistics file `<year>/stats.yaml` (writing it: statswriter).

Reading keeps line numbers so every problem names its line.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.scalarint import BinaryInt, HexInt, OctalInt
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from .errors import InputError
from .findings import Finding
from .model import FORMATS, OtherHandling, Stats
from .textfile import read_text

MONEY_PATHS = {("active", "fees"), ("processing_fees", "amount_yuan"), ("active", "procurement", "amount")}
BLANKS = (None, "", "/", "-", "—", "／")


def yaml_parser() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


# ---------- reading ----------

def line_of(data: object, path: tuple) -> int | None:
    """1-based line of the deepest node of `path` that the YAML document knows."""
    line = None
    node = data
    for part in path:
        try:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    return line


_YAML_MESSAGES = (
    (r"found character '\\t'", "这一行用 Tab 键缩进了，YAML 只能用空格缩进：请把 Tab 换成空格"),
    (r"expected ',' or '\]'", "方括号中的数之间应以英文逗号“,”分隔，并以“]”结尾"),
    (r"could not find expected ':'", "缺少英文冒号：键和值之间应写“: ”（冒号后有一个空格）"),
    (r"mapping values are not allowed", "这里不能有冒号：可能是冒号后缺空格，或一行写了两个“键: 值”"),
    (r"did not find expected key|expected <block end>", "缩进不一致：同一层的键应对齐，下一层多缩进两个空格"),
    (r"found unexpected end of stream|while scanning a quoted scalar", "引号没有配对"),
    (r"while parsing a flow sequence", "方括号没有配对"),
    (r"found duplicate key", "同一个键写了两次"),
)


def yaml_message(problem: str) -> str:
    """A YAML parser message in Chinese (the English one is kept when no translation fits)."""
    for pattern, chinese in _YAML_MESSAGES:
        if re.search(pattern, problem):
            return chinese
    return problem


def parse_yaml(text: str, file: str) -> object:
    """Parse YAML text, turning syntax errors into an InputError naming the line."""
    try:
        return yaml_parser().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = yaml_message(" ".join(p for p in (exc.problem, exc.context) if p) or "格式错误")
        raise InputError(
            f"{file}:{line}：YAML 格式错误（{what}）。请检查这一行的缩进、冒号和括号。",
            [Finding(severity="error", message=f"YAML 格式错误（{what}）", file=file, line=line)],
        ) from None


def _shape(model: type[BaseModel]) -> dict:
    """Nested dict of expected keys (None marks a leaf)."""
    shape: dict = {}
    for name, info in model.model_fields.items():
        ann = info.annotation
        shape[name] = _shape(ann) if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return shape


def _walk_keys(data: object, shape: dict, path: tuple, problems: list[Finding]) -> None:
    """Report unknown (with the nearest right key) and missing keys."""
    if not isinstance(data, dict):
        problems.append(Finding(severity="error", message=f"此处应为若干“键: 值”，实际为 {_show(data)}", path=path))
        return
    for key in data:
        if key not in shape:
            near = difflib.get_close_matches(str(key), list(shape), n=1, cutoff=0.5)
            hint = f"，是否应为“{near[0]}”？" if near else f"，可用的键：{', '.join(shape)}"
            problems.append(Finding(severity="error", message=f"未知的键“{key}”{hint}", path=(*path, key), found=str(key),
                                    expected=near[0] if near else None))
    for key, sub in shape.items():
        if key not in data:
            if path == () and key in ("agency",):
                continue
            problems.append(Finding(severity="error", message=f"缺少键“{key}”", path=(*path, key), expected=key))
            continue
        value = data[key]
        if path[-1:] == ("outcomes",) and key == "other" and isinstance(value, list):
            continue  # the single-row （六）其他处理
        if path[-1:] == ("outcomes",) and key == "other":
            sub = _shape(OtherHandling)
        if sub is not None:
            _walk_keys(value, sub, (*path, key), problems)


def _show(value: object) -> str:
    return "空值" if value is None else f"“{value}”"


_WRITTEN_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[+-]?\d+(?:\.\d+)?$")
TABLES = ("active", "requests", "appeals", "processing_fees")


def _cell_value(data: object, path: tuple, problems: list[Finding]) -> tuple[bool, object]:
    """(handled, value) for a table cell written in a way YAML reads wrongly: a quoted or hexadecimal
    number is refused; full-width digits and thousands separators are read, with a warning."""
    if isinstance(data, (HexInt, OctalInt, BinaryInt)):
        problems.append(Finding(severity="error", message=f"写成了非十进制的数（YAML 把它读作 {int(data)}），请直接写十进制数字",
                                path=path, found=str(data)))
        return True, None
    if not isinstance(data, str) or data.strip() in BLANKS or path in MONEY_PATHS:
        return False, data
    compact = unicodedata.normalize("NFKC", data).strip()
    if not _WRITTEN_NUMBER.match(compact):
        return False, data
    if isinstance(data, (DoubleQuotedScalarString, SingleQuotedScalarString)):
        problems.append(Finding(severity="error", message=f"“{data}”加了引号，是文字不是数字：请去掉引号，写成 {compact}",
                                path=path, found=f"\"{data}\"", expected=compact))
        return True, None
    value = compact.replace(",", "")
    number = Decimal(value) if "." in value else int(value)
    problems.append(Finding(severity="warning", message=f"“{data}”按 {value} 读入；请直接写半角数字，不加千位分隔符",
                            path=path, found=str(data), expected=value))
    return True, number


def _normalise(data: object, path: tuple, problems: list[Finding]) -> object:
    """Blank cells become None with a warning; floats become Decimal; other values pass to pydantic."""
    if isinstance(data, dict):
        return {k: _normalise(v, (*path, k), problems) for k, v in data.items()}
    if isinstance(data, list):
        return [_normalise(v, (*path, i), problems) for i, v in enumerate(data)]
    if path and path[0] in TABLES:
        handled, value = _cell_value(data, path, problems)
        if handled:
            return value
    if path and path[0] in ("active", "requests", "appeals") and (data in BLANKS if isinstance(data, (str, type(None))) else False):
        problems.append(Finding(severity="warning", message=f"单元格为{_show(data) if data else '空'}，记为空白（不按 0 计，校验时跳过）；"
                                        "正式报告中应填写 0", path=path, expected="0",
                                found=str(data) if data is not None else "", rule="8"))
        return None
    if isinstance(data, float):
        return Decimal(repr(data))
    if isinstance(data, str) and path in MONEY_PATHS:
        try:
            return Decimal(data.strip())
        except InvalidOperation:
            return data
    return data


_TYPE_MESSAGES = {
    "int_type": "应为非负整数",
    "int_parsing": "应为非负整数",
    "int_from_float": "应为整数",
    "greater_than_equal": "不能为负数",
    "decimal_parsing": "应为数字（金额可带小数）",
    "decimal_type": "应为数字（金额可带小数）",
    "string_type": "应为文字",
    "literal_error": "应为 \"2021\" 或 \"2019\"",
    "list_type": "应为 7 个数的列表：[自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]",
    "dict_type": "此处应为若干“键: 值”",
    "model_type": "此处应为若干“键: 值”",
    "less_than_equal": "超出合理范围",
}


def _pydantic_problems(exc: ValidationError, data: dict) -> list[Finding]:
    problems = []
    seen = set()
    for err in exc.errors():
        loc = tuple(err["loc"])
        # drop union branch tags: keep the branch that matches the data's shape
        branch = next((p for p in loc if isinstance(p, str) and ("[" in p or p == "OtherHandling")), None)
        if branch:
            value = _get(data, loc[: loc.index(branch)])
            if (branch == "OtherHandling") != isinstance(value, dict):
                continue
            loc = tuple(p for p in loc if p != branch)
        if err["type"] in ("extra_forbidden", "missing") or loc in seen:
            continue
        seen.add(loc)
        found = err.get("input")
        kind = err["type"]
        if kind in ("too_short", "too_long"):
            n = len(found) if isinstance(found, list) else "?"
            message = f"应有 7 个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计），实际为 {n} 个"
        else:
            message = _TYPE_MESSAGES.get(kind, "取值无效")
            message = f"{message}，填写为{_show(found)}"
        problems.append(Finding(severity="error", message=message, path=loc,
                                found=None if found is None else str(found)))
    return problems


def _get(data: object, path: tuple) -> object:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


@dataclass
class StatsDocument:
    """A parsed stats.yaml: the model (None when it has errors), its problems, and line lookup."""

    file: str
    data: object
    stats: Stats | None
    problems: list[Finding]

    def locate(self, problems: list[Finding]) -> list[Finding]:
        """Fill in file and line of problems found later (e.g. by the rules)."""
        for p in problems:
            p.file = p.file or self.file
            if p.line is None:
                p.line = line_of(self.data, p.path)
        return problems


def read_stats(text: str, file: str) -> StatsDocument:
    """Parse stats.yaml text into a model; problems carry file and line.

    Content errors leave `stats` None; text that is not YAML raises InputError.
    """
    data = parse_yaml(text, file)
    if data is None:
        raise InputError(f"{file}：文件为空。可用 drafter init 生成模板。")
    return read_data(data, file)


def read_data(data: object, file: str) -> StatsDocument:
    """Statistics given as data (parsed stats.yaml, or cells read from a workbook) checked into a model."""
    doc = StatsDocument(file, data, None, [])
    if not isinstance(data, dict):
        doc.problems.append(Finding(severity="error", message="文件内容应为若干“键: 值”，请参照 drafter init 生成的模板"))
        doc.locate(doc.problems)
        return doc
    fmt = str(data.get("format", "2021"))
    if fmt not in FORMATS:
        doc.problems.append(Finding(severity="error", message=f"格式版本应为 \"2021\" 或 \"2019\"，填写为“{fmt}”",
                                    path=("format",), found=fmt))
        doc.locate(doc.problems)
        return doc
    model = FORMATS[fmt]
    problems = doc.problems
    _walk_keys(data, _shape(model), (), problems)
    clean = _normalise(data, (), problems)
    clean["format"] = fmt
    try:
        stats = model.model_validate(clean)
    except ValidationError as exc:
        stats = None
        problems += _pydantic_problems(exc, clean)
    if not any(p.severity == "error" for p in problems):
        doc.stats = stats
    doc.locate(problems)
    return doc


def load_stats(path: Path, display: str | None = None) -> StatsDocument:
    """Read a stats.yaml file; a missing or unreadable file is an InputError."""
    display = display or str(path)
    if not path.exists():
        raise InputError(f"找不到统计数据文件 {display}。可用 drafter init 生成，或用 drafter import 从已发布的年报导入。")
    return read_stats(read_text(path, display), display)
