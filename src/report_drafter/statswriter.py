"""Write `<year>/stats.yaml`: new files in the canonical layout (Chinese labels as comments on every row),
existing ones edited in place so the user's comments, layout and other values survive.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from . import layout
from .model import Stats, blank_cells
from .statsfile import yaml_parser


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
          if bool(blank_cells(stats)) else []),
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


TOKEN = re.compile(r'"[^"]*"|'"'[^']*'"r"|[^,\]\}\s#]+")


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
                out.append((*node.lc.value(key), scalar(key, value[key])))
        return True
    if isinstance(node, CommentedSeq):
        if not isinstance(value, list) or len(node) != len(value):
            return False
        for i, item in enumerate(node):
            if isinstance(item, (CommentedMap, CommentedSeq)):
                return False
            if _differs(item, value[i]):
                out.append((*node.lc.item(i), scalar(None, value[i])))
        return True
    return False


def _differs(old: object, new: object) -> bool:
    if isinstance(new, Decimal) and isinstance(old, (int, float)) and not isinstance(old, bool):
        return Decimal(repr(old)) != new
    return type(old) is bool or old != new or (old is None) != (new is None)


def scalar(key: object, value: object) -> str:
    if key == "format":
        return f'"{value}"'
    if value is None and key is not None and key != "cases":
        return ""                 # a blank table cell: an empty mapping value
    return _text(value) if isinstance(value, str) else _num(value)


_COMMENT = re.compile(r"(\s+)#")


def realign(original: str, edited: str) -> str:
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
            doc = yaml_parser().load(previous_text)
        except MarkedYAMLError:
            doc = None
        edits: list[tuple[int, int, str]] = []
        if isinstance(doc, CommentedMap) and _patches(doc, stats_data(stats), edits):
            lines = previous_text.splitlines(keepends=True)
            originals = {line: lines[line] for line, _, _ in edits}
            for line, col, text in sorted(edits, reverse=True):
                old = TOKEN.match(lines[line], col)
                end = old.end() if old else col
                if text and col and lines[line][col - 1] == ":":
                    text = " " + text          # a value where the key had an empty one
                if text and lines[line][end:end + 1] not in ("", " ", ",", "]", "}", "\n"):
                    text += " "
                lines[line] = lines[line][:col] + text + lines[line][end:]
            for line, original in originals.items():
                lines[line] = realign(original, lines[line])
            return "".join(lines)
    return render_stats(stats)
