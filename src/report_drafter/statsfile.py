"""Read and write the canonical statistics file `<year>/stats.yaml`.

Reading keeps line numbers so every problem names its line; writing keeps the
user's comments (ruamel.yaml round trip) and writes new files in the canonical layout.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from . import layout
from .errors import InputError, Problem
from .model import FORMATS, OtherHandling, Stats
from .textfile import read_text

MONEY_PATHS = {("active", "fees"), ("processing_fees", "amount_yuan"), ("active", "procurement", "amount")}
BLANKS = (None, "", "/", "-", "—", "／")


def _yaml() -> YAML:
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


def parse_yaml(text: str, file: str) -> object:
    """Parse YAML text, turning syntax errors into an InputError naming the line."""
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "格式错误"
        raise InputError(
            f"{file}:{line}：YAML 格式错误（{what}），请检查这一行的缩进、冒号和括号。",
            [Problem("error", f"YAML 格式错误（{what}）", file=file, line=line)],
        ) from None


def _shape(model: type[BaseModel]) -> dict:
    """Nested dict of expected keys (None marks a leaf)."""
    shape: dict = {}
    for name, info in model.model_fields.items():
        ann = info.annotation
        shape[name] = _shape(ann) if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return shape


def _walk_keys(data: object, shape: dict, path: tuple, problems: list[Problem]) -> None:
    """Report unknown (with the nearest right key) and missing keys."""
    if not isinstance(data, dict):
        problems.append(Problem("error", f"此处应为若干“键: 值”，实际为 {_show(data)}", path))
        return
    for key in data:
        if key not in shape:
            near = difflib.get_close_matches(str(key), list(shape), n=1, cutoff=0.5)
            hint = f"，是否应为“{near[0]}”？" if near else f"，可用的键：{', '.join(shape)}"
            problems.append(Problem("error", f"未知的键“{key}”{hint}", (*path, key), found=str(key),
                                    expected=near[0] if near else None))
    for key, sub in shape.items():
        if key not in data:
            if path == () and key in ("agency",):
                continue
            problems.append(Problem("error", f"缺少键“{key}”", (*path, key), expected=key))
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


def _normalise(data: object, path: tuple, problems: list[Problem]) -> object:
    """Blank cells become None with a warning; floats become Decimal; other values pass to pydantic."""
    if isinstance(data, dict):
        return {k: _normalise(v, (*path, k), problems) for k, v in data.items()}
    if isinstance(data, list):
        return [_normalise(v, (*path, i), problems) for i, v in enumerate(data)]
    if path and path[0] in ("active", "requests", "appeals") and (data in BLANKS if isinstance(data, (str, type(None))) else False):
        problems.append(Problem("warning", f"单元格为{_show(data) if data else '空'}，记为空白（不按 0 计，校验时跳过）；"
                                           "正式报告中应填写 0", path, expected="0",
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


def _pydantic_problems(exc: ValidationError, data: dict) -> list[Problem]:
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
        problems.append(Problem("error", message, loc, found=None if found is None else str(found)))
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
    problems: list[Problem]

    def locate(self, problems: list[Problem]) -> list[Problem]:
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
    doc = StatsDocument(file, data, None, [])
    if not isinstance(data, dict):
        doc.problems.append(Problem("error", "文件内容应为若干“键: 值”，请参照 drafter init 生成的模板"))
        doc.locate(doc.problems)
        return doc
    fmt = str(data.get("format", "2021"))
    if fmt not in FORMATS:
        doc.problems.append(Problem("error", f"格式版本应为 \"2021\" 或 \"2019\"，填写为“{fmt}”", ("format",), found=fmt))
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


# ---------- writing ----------

def _num(value: object) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return "null" if value is None else str(value)


def _cell(value: object) -> str:
    """A table cell as a mapping value: a blank cell is an empty value."""
    return "" if value is None else _num(value)


def _text(value: str) -> str:
    return value if value and ":" not in value and "#" not in value else f'"{value}"'


def _row(values: list[int | None]) -> str:
    """A table 三 row; a blank cell is written null (a flow list has no empty entries)."""
    return "[" + ", ".join(_num(v) for v in values) + "]"


def _line(left: str, comment: str, width: int = 26) -> str:
    return f"{left.ljust(max(width, len(left) + 2))}# {comment}" if comment else left


def render_stats(stats: Stats) -> str:
    """The canonical stats.yaml text: keys in official order, each row's Chinese label as comment."""
    out = [
        "# 政府信息公开工作年度报告 统计数据（本文件由 drafter 生成，可直接编辑）",
        "# 键名为英文，请勿修改；注释为官方表格中的中文名称。",
        "# 表三每行 7 个数，依次为：[自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]",
        *(["# 空白单元格（报告中未填或无法读取）：表三行内写作 null，其余留空；校验时跳过并提示。"]
          if _has_blank(stats) else []),
        _line(f'format: "{stats.format}"', "国办公开办函〔2021〕30号（试行格式填 \"2019\"）"),
        f"agency: {_text(stats.agency)}",
        f"year: {stats.year}",
        "",
        _line("active:", layout.SECTION_LABELS["active"]),
    ]
    out += _render_active(stats)
    out += ["", _line("requests:", layout.SECTION_LABELS["requests"])]
    out += _render_requests(stats)
    out += ["", _line("appeals:", layout.SECTION_LABELS["appeals"])]
    for key, label in layout.APPEAL_GROUPS:
        g = getattr(stats.appeals, key)
        cells = ", ".join(f"{k}: {_cell(getattr(g, k))}" for k, _ in layout.APPEAL_COLUMNS)
        out.append(_line(f"  {key}:".ljust(27) + f"{{{cells}}}", label, 90))
    out.append("  # " + "，".join(label for _, label in layout.APPEAL_COLUMNS))
    fees = stats.processing_fees
    out += [
        "",
        _line("processing_fees:", "六、信息处理费（《政府信息公开信息处理费管理办法》）"),
        _line(f"  cases: {_num(fees.cases)}", "收费件数（null 表示未统计）"),
        _line(f"  amount_yuan: {_num(fees.amount_yuan)}", "收费金额（元）"),
    ]
    return "\n".join(out) + "\n"


def _render_active(stats: Stats) -> list[str]:
    a = stats.active
    out = []
    if stats.format == "2021":
        clause = {"rules": f"{layout.DOCUMENTS_CLAUSE} 规章", "normative_documents": "行政规范性文件"}
        for key, _ in layout.DOCUMENT_ROWS:
            out.append(_line(f"  {key}:", clause[key]))
            for col, label in layout.DOCUMENT_COLUMNS:
                out.append(_line(f"    {col}: {_cell(getattr(getattr(a, key), col))}", label))
        for key, label, clause_text in layout.DECISION_ROWS:
            out.append(_line(f"  {key}: {_cell(getattr(a, key))}", f"{clause_text} {label} {layout.DECISIONS_COLUMN}"))
        out.append(_line(f"  fees: {_cell(a.fees)}", f"{layout.FEES_CLAUSE} {layout.FEES_LABEL} {layout.FEES_COLUMN}"))
        return out
    for key, label in layout.DOCUMENT_ROWS_2019:
        out.append(_line(f"  {key}:", f"{layout.DOCUMENTS_CLAUSE} {label}"))
        for col, col_label in layout.DOCUMENT_COLUMNS_2019:
            out.append(_line(f"    {col}: {_cell(getattr(getattr(a, key), col))}", col_label))
    for key, label, clause_text in layout.ITEM_ROWS_2019:
        out.append(_line(f"  {key}:", f"{clause_text} {label}"))
        for col, col_label in layout.ITEM_COLUMNS_2019:
            out.append(_line(f"    {col}: {_cell(getattr(getattr(a, key), col))}", col_label))
    out.append(_line("  fees:", f"{layout.FEES_CLAUSE} {layout.FEES_LABEL}"))
    for col, col_label in layout.ITEM_COLUMNS_2019[:2]:
        out.append(_line(f"    {col}: {_cell(getattr(a.fees, col))}", col_label))
    out.append(_line("  procurement:", f"{layout.PROCUREMENT_CLAUSE} 政府集中采购"))
    out.append(_line(f"    projects: {_cell(a.procurement.projects)}", "采购项目数量"))
    out.append(_line(f"    amount: {_cell(a.procurement.amount)}", "采购总金额（万元）"))
    return out


def _has_blank(stats: Stats) -> bool:
    def walk(node: object) -> bool:
        if isinstance(node, dict):
            return any(walk(v) for v in node.values())
        if isinstance(node, list):
            return any(walk(v) for v in node)
        return node is None

    data = stats.model_dump()
    return walk({k: data[k] for k in ("active", "requests", "appeals")})


def _render_requests(stats: Stats) -> list[str]:
    r = stats.requests
    o = r.outcomes
    out = [
        _line(f"  new:            {_row(r.new)}", "一、本年新收政府信息公开申请数量", 52),
        _line(f"  carried_over:   {_row(r.carried_over)}", "二、上年结转政府信息公开申请数量", 52),
        _line("  outcomes:", "三、本年度办理结果", 52),
        _line(f"    disclosed:         {_row(o.disclosed)}", "（一）予以公开", 57),
        _line(f"    partly_disclosed:  {_row(o.partly_disclosed)}", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 57),
    ]
    for key, group, rows in layout.OUTCOME_GROUPS:
        value = getattr(o, key)
        if isinstance(value, list):
            out.append(_line(f"    {key}:".ljust(23) + _row(value), f"{group}（单行）", 57))
            continue
        out.append(_line(f"    {key}:", group, 57))
        for sub, label in rows:
            out.append(_line(f"      {sub}:".ljust(27) + _row(getattr(value, sub)), f"  {label}", 57))
    out.append(_line(f"    total:             {_row(o.total)}", "（七）总计", 57))
    out.append(_line(f"  carried_forward:  {_row(r.carried_forward)}", "四、结转下年度继续办理", 57))
    return out


def stats_data(stats: Stats) -> dict:
    """Plain data in stats.yaml form (Decimal kept, key order canonical)."""
    data = stats.model_dump()
    order = ["format", "agency", "year", "active", "requests", "appeals", "processing_fees"]
    return {k: data[k] for k in order}


_TOKEN = re.compile(r'"[^"]*"|'"'[^']*'"r"|[^,\]\}\s#]+")


def _patches(node: object, value: object, out: list[tuple[int, int, str]]) -> bool:
    """Collect (line, col, text) edits that turn `node` into `value`; False when shapes differ."""
    if isinstance(node, CommentedMap):
        if not isinstance(value, dict) or set(node) != set(value):
            return False
        for key in node:
            if isinstance(node[key], (CommentedMap, CommentedSeq)):
                if not _patches(node[key], value[key], out):
                    return False
            elif _differs(node[key], value[key]):
                out.append((*node.lc.value(key), _scalar(key, value[key])))
        return True
    if isinstance(node, CommentedSeq):
        if not isinstance(value, list) or len(node) != len(value):
            return False
        for i, item in enumerate(node):
            if isinstance(item, (CommentedMap, CommentedSeq)):
                return False
            if _differs(item, value[i]):
                out.append((*node.lc.item(i), _scalar(None, value[i])))
        return True
    return False


def _differs(old: object, new: object) -> bool:
    if isinstance(new, Decimal) and isinstance(old, (int, float)) and not isinstance(old, bool):
        return Decimal(repr(old)) != new
    return type(old) is bool or old != new or (old is None) != (new is None)


def _scalar(key: object, value: object) -> str:
    if key == "format":
        return f'"{value}"'
    if value is None and key is not None and key != "cases":
        return ""                 # a blank table cell: an empty mapping value
    return _text(value) if isinstance(value, str) else _num(value)


_COMMENT = re.compile(r"(\s+)#")


def _realign(original: str, edited: str) -> str:
    """Keep a trailing comment in its original column after values on its line changed length."""
    old, new = _COMMENT.search(original), _COMMENT.search(edited)
    if not old or not new or '"' in edited[: new.start()]:
        return edited
    pad = max(1, old.end() - 1 - new.start())
    return edited[: new.start()] + " " * pad + edited[new.end() - 1 :]


def dump_stats(stats: Stats, previous_text: str | None = None) -> str:
    """YAML text for `stats`: the previous file edited in place (comments and layout kept), else canonical."""
    if previous_text:
        try:
            doc = _yaml().load(previous_text)
        except MarkedYAMLError:
            doc = None
        edits: list[tuple[int, int, str]] = []
        if isinstance(doc, CommentedMap) and _patches(doc, stats_data(stats), edits):
            lines = previous_text.splitlines(keepends=True)
            originals = {line: lines[line] for line, _, _ in edits}
            for line, col, text in sorted(edits, reverse=True):
                old = _TOKEN.match(lines[line], col)
                end = old.end() if old else col
                if text and col and lines[line][col - 1] == ":":
                    text = " " + text          # a value where the key had an empty one
                if text and lines[line][end:end + 1] not in ("", " ", ",", "]", "}", "\n"):
                    text += " "
                lines[line] = lines[line][:col] + text + lines[line][end:]
            for line, original in originals.items():
                lines[line] = _realign(original, lines[line])
            return "".join(lines)
    return render_stats(stats)
