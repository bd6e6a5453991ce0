"""Find the values of tables 二, 三 and 四 by their row and column labels.

The lines of a table region become one stream of tokens (text, number, blank cell, "/"-like
mark) in reading order. For each official row, the parser looks for the row's label (the
labels of `layout`, with variants: 2019 wording, “1、” for “1.”, wrapped labels whose first
piece is enough to identify the row) and takes the numbers that follow it, skipping the wrapped
rest of the label. Column order comes from the column labels where they can be read, else it
is the official order. Nothing depends on where in the file a table or value sits.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache

from .. import layout
from ..errors import Problem
from .sources import Source

# ---------- normalisation ----------

_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』")
_NUMBERING = re.compile(r"^(\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}\.(?!\d))")
_YEAR_NOTE = re.compile(r"\((?:19|20)\d{2}(?:年度?)?\)")


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Compact comparable form: NFKC, no blanks, no quotes, “1、” → “1.”."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text).translate(_QUOTES)
    text = re.sub(r"^(\d{1,2})[、,]", r"\1.", text)
    text = re.sub(r"^([一二三四五六七八九十]{1,3})\.", r"\1、", text)
    return text


def split_numbering(text: str) -> tuple[str, str]:
    match = _NUMBERING.match(text)
    return (match.group(), text[match.end():]) if match else ("", text)


# ---------- tokens ----------

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNIT = re.compile(r"(?:件|个|条|项|次|万元|元)$")
_MARKS = {"/", "\\", "-", "--", "—", "——", "–", "―", "无", "空", "×", "/ /"}
_TRAILING_NUMBERS = re.compile(
    r"^(?P<text>.*?[^\d\s.,+\-])\s+(?P<nums>[+-]?\d[\d,]*(?:\.\d+)?(?:\s+[+-]?\d[\d,]*(?:\.\d+)?)*)$")
_ONLY_NUMBERS = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?(?:\s+[+-]?\d[\d,]*(?:\.\d+)?)+$")


@dataclass
class Token:
    kind: str                 # "text" | "num" | "blank" | "mark"
    text: str                 # as printed
    line: int                 # index into Source.lines
    x: float | None = None
    value: Decimal | None = None
    sheet: int = 0            # page: x positions compare within one page

    @cached_property
    def norm(self) -> str:
        return norm(self.text)

    @property
    def filled(self) -> bool:
        return self.kind in ("num", "mark")


def number_value(text: str) -> Decimal | None:
    compact = unicodedata.normalize("NFKC", text).replace(" ", "").strip()
    compact = _UNIT.sub("", compact) if len(compact) > 1 else compact
    if not _NUMBER.match(compact):
        return None
    try:
        return Decimal(compact.replace(",", ""))
    except InvalidOperation:
        return None


def tokenize(source: Source, start: int, end: int) -> list[Token]:
    """Tokens of lines [start, end) in reading order."""
    tokens: list[Token] = []
    for index in range(start, end):
        line = source.lines[index]
        for cell in line.cells:
            for token in _cell_tokens(cell.text, index, cell.x):
                token.sheet = line.sheet
                tokens.append(token)
    return tokens


def _cell_tokens(text: str, line: int, x: float | None) -> list[Token]:
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        return [Token("blank", "", line, x)]
    value = number_value(raw)
    if value is not None:
        return [Token("num", raw, line, x, value)]
    if raw.replace(" ", "") in _MARKS:
        return [Token("mark", raw, line, x)]
    if _ONLY_NUMBERS.match(raw):
        return [Token("num", n, line, x, number_value(n)) for n in raw.split()]
    match = _TRAILING_NUMBERS.match(raw)
    if match and len(match.group("text")) <= 60 and "。" not in match.group("text"):
        nums = match.group("nums").split()
        return [Token("text", match.group("text"), line, x)] + [
            Token("num", n, line, x, number_value(n)) for n in nums]
    return [Token("text", raw, line, x)]


# ---------- row rules ----------

@dataclass(frozen=True)
class RowRule:
    path: tuple[str, ...]
    name: str                       # Chinese name used in messages
    labels: tuple[str, ...]         # accepted row labels
    kinds: tuple[str, ...]          # per value: "count" | "signed" | "money"
    keys: tuple[str, ...] = ()      # keys of a dict row; () for a list row or a single value
    column_labels: tuple[str, ...] = ()   # labels of the value columns (for the column order)
    block: bool = False             # first row of a block with its own column header

    @property
    def size(self) -> int:
        return len(self.kinds)


# label variants seen in real reports, beyond the official wording in `layout`
ALIASES: dict[tuple, tuple[str, ...]] = {
    ("active", "normative_documents"): ("行政规范性文件", "规范性文件"),
    ("requests", "outcomes", "total"): ("（七）合计",),
    ("requests", "carried_forward"): ("四、结转下年度继续办理数量",),
}


def table2_rules(format: str) -> tuple[RowRule, ...]:
    if format == "2021":
        doc_cols = tuple(label for _, label in layout.DOCUMENT_COLUMNS)
        doc_keys = tuple(key for key, _ in layout.DOCUMENT_COLUMNS)
        rules = [
            RowRule(("active", key), f"{layout.DOCUMENTS_CLAUSE} {label}", ALIASES.get(("active", key), (label,)),
                    ("count",) * 3, doc_keys, doc_cols, block=(key == "rules"))
            for key, label in layout.DOCUMENT_ROWS
        ]
        for key, label, clause in layout.DECISION_ROWS:
            rules.append(RowRule(("active", key), f"{clause} {label}", (label,), ("count",), (),
                                 (layout.DECISIONS_COLUMN,), block=key != "coercion"))
        rules.append(RowRule(("active", "fees"), f"{layout.FEES_CLAUSE} {layout.FEES_LABEL}", (layout.FEES_LABEL,),
                             ("money",), (), (layout.FEES_COLUMN,), block=True))
        return tuple(rules)
    doc_cols = tuple(label for _, label in layout.DOCUMENT_COLUMNS_2019)
    doc_keys = tuple(key for key, _ in layout.DOCUMENT_COLUMNS_2019)
    item_cols = tuple(label for _, label in layout.ITEM_COLUMNS_2019)
    item_keys = tuple(key for key, _ in layout.ITEM_COLUMNS_2019)
    rules = [
        RowRule(("active", key), f"{layout.DOCUMENTS_CLAUSE} {label}", ALIASES.get(("active", key), (label,)),
                ("count",) * 3, doc_keys, doc_cols, block=(key == "rules"))
        for key, label in layout.DOCUMENT_ROWS_2019
    ]
    for key, label, clause in layout.ITEM_ROWS_2019:
        rules.append(RowRule(("active", key), f"{clause} {label}", (label,), ("count", "signed", "count"),
                             item_keys, item_cols, block=key in ("licensing", "punishment")))
    rules.append(RowRule(("active", "fees"), f"{layout.FEES_CLAUSE} {layout.FEES_LABEL}", (layout.FEES_LABEL,),
                         ("count", "signed"), item_keys[:2], item_cols[:2], block=True))
    rules.append(RowRule(("active", "procurement"), f"{layout.PROCUREMENT_CLAUSE} 政府集中采购", ("政府集中采购",),
                         ("count", "money"), tuple(k for k, _ in layout.PROCUREMENT_COLUMNS_2019),
                         tuple(label for _, label in layout.PROCUREMENT_COLUMNS_2019), block=True))
    return tuple(rules)


def table3_rules(single_other: bool) -> tuple[RowRule, ...]:
    return tuple(
        RowRule(spec.path, spec.name, (spec.label, *ALIASES.get(spec.path, ())), ("count",) * 7)
        for spec in layout.table3_rows(single_other)
    )


OTHER_SUBROW_RULES = tuple(r for r in table3_rules(False) if r.path[:3] == ("requests", "outcomes", "other"))
SINGLE_OTHER_RULE = next(r for r in table3_rules(True) if r.path == ("requests", "outcomes", "other"))

# markers of the two versions of table 二 (normalised)
_MARKERS_2019 = ("本年新制作", "本年新公开", "对外公开总数量", "上一年项目数量", "本年增/减", "其他对外管理服务事项",
                 "政府集中采购", "第二十条第(九)项", "采购项目数量", "采购总金额")
_MARKERS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "行政规范性文件")
_GENERIC = {"其他", "总计", "合计", "小计"}


# ---------- label matching ----------

def label_matches(token: str, label: str) -> bool:
    """Whether a normalised cell text is (the start of) the normalised row label."""
    if not token:
        return False
    if token == label:
        return True
    if token.startswith(label):
        rest = token[len(label):]
        return rest[:1] in ("(", ":") or (len(label) >= 6 and len(rest) <= 12)
    if len(token) >= 6 and label.startswith(token) and split_numbering(token)[1]:
        return True   # first piece of a wrapped label
    t_num, t_text = split_numbering(token)
    l_num, l_text = split_numbering(label)
    if l_num and not t_num and l_text not in _GENERIC and len(l_text) >= 4:
        return t_text == l_text or (len(t_text) >= 6 and l_text.startswith(t_text)) or (
            t_text.startswith(l_text) and len(t_text) - len(l_text) <= 12)
    return False


@lru_cache(maxsize=256)
def rule_labels(rule: RowRule) -> tuple[str, ...]:
    return tuple(norm(label) for label in rule.labels)


def find_label(tokens: list[Token], rule: RowRule, start: int, used: set[int], stop: int | None = None) -> int | None:
    labels = rule_labels(rule)
    stop = len(tokens) if stop is None else stop
    for i in range(start, stop):
        token = tokens[i]
        if token.kind != "text" or i in used:
            continue
        text = token.norm
        if any(label_matches(text, label) for label in labels):
            return i
        # a short first piece of a wrapped label: join with the next text pieces
        if any(label.startswith(text) and len(text) < len(label) for label in labels) and len(text) >= 3:
            joined, j = text, i + 1
            while j < min(stop, i + 4) and tokens[j].kind == "text":
                joined += tokens[j].norm
                if any(label_matches(joined, label) for label in labels):
                    return i
                j += 1
    return None


def looks_like_label(token: Token, labels: list[str]) -> bool:
    text = token.norm
    if _NUMBERING.match(text):
        return True
    return any(label_matches(text, label) for label in labels)


# ---------- values ----------

@dataclass
class RowResult:
    rule: RowRule
    label_index: int
    slots: list[Token]
    values: list[Token] | None = None
    problem: str = ""           # why the values could not be read


def collect_slots(tokens: list[Token], index: int, labels: list[str], stop: int) -> list[Token]:
    """Value cells after the label at `index`: skip the wrapped rest of the label, then take cells up to the next text."""
    j = index + 1
    skipped = 0
    while j < stop and tokens[j].kind == "text":
        if looks_like_label(tokens[j], labels) or skipped >= 3:
            return []
        skipped += 1
        j += 1
    slots = []
    while j < stop and tokens[j].kind != "text":
        slots.append(tokens[j])
        j += 1
    return slots


def choose_values(result: RowResult) -> None:
    """Pick the row's values among its cells; blank cells used for padding are dropped."""
    size = result.rule.size
    slots = result.slots
    filled = [k for k, t in enumerate(slots) if t.filled]
    if not filled:
        if len(slots) >= size and slots:
            result.values = slots[:size]           # an all-blank row: blanks mean 0
        else:
            result.problem = "没有数值"
        return
    trimmed = slots[: filled[-1] + 1]
    if len(trimmed) >= size:
        lead = trimmed[: len(trimmed) - size]
        if any(t.filled for t in lead):
            result.problem = f"应有 {size} 个数，找到 {len(filled)} 个"
            return
        result.values = trimmed[len(trimmed) - size:]
        return
    if len(slots) >= size:
        result.values = slots[:size]               # explicit blank cells after the last value
        return
    result.problem = f"应有 {size} 个数，只找到 {len(filled)} 个"


def place_by_columns(results: list[RowResult]) -> None:
    """Rows with too few numbers (blank cells invisible in PDF/layout text): place them by column position.

    Column centres come from the complete rows of the same size on the same page (else any page).
    """
    complete: list[tuple[int, int, list[float]]] = []
    for r in results:
        if r.values is not None and all(t.x is not None and t.filled for t in r.values):
            complete.append((r.rule.size, r.values[0].sheet, [t.x for t in r.values]))
    for r in results:
        if r.values is not None or not r.problem.startswith(f"应有 {r.rule.size} 个数，只找到"):
            continue
        filled = [t for t in r.slots if t.filled]
        if any(t.x is None for t in filled):
            continue
        same = [xs for size, sheet, xs in complete if size == r.rule.size and sheet == filled[0].sheet]
        rows = same if len(same) >= 2 else [xs for size, _, xs in complete if size == r.rule.size]
        if len(rows) < 2:
            continue
        centres = [statistics.median(row[k] for row in rows) for k in range(r.rule.size)]
        gap = min(b - a for a, b in zip(centres, centres[1:])) if len(centres) > 1 else 0
        placed: dict[int, Token] = {}
        for token in filled:
            column = min(range(len(centres)), key=lambda k: abs(centres[k] - token.x))
            if column in placed or (gap and abs(centres[column] - token.x) > gap / 2):
                break
            placed[column] = token
        else:
            last = filled[-1]
            r.values = [placed.get(k, Token("blank", "", last.line, centres[k], sheet=last.sheet))
                        for k in range(r.rule.size)]
            r.problem = ""


def to_number(token: Token, kind: str) -> int | Decimal | None:
    if token.kind != "num":
        return 0 if kind != "money" else Decimal(0)
    value = token.value
    if kind == "money":
        return value
    if value != value.to_integral_value():
        return None
    return int(value)


# ---------- tables ----------

@dataclass
class TableResult:
    key: str                                   # "active" | "requests" | "appeals"
    found: bool = False                        # the table (or its heading) is there at all
    data: dict = field(default_factory=dict)   # path → value(s)
    missing: list[str] = field(default_factory=list)     # rows not found
    expected: list[str] = field(default_factory=list)    # all rows looked for, in printed order
    broken: list[str] = field(default_factory=list)      # rows found without readable values
    format: str = ""
    single_other: bool = False
    problems: list[Problem] = field(default_factory=list)
    note: str = ""                             # e.g. "标题下没有表格"

    @property
    def complete(self) -> bool:
        return self.found and not self.missing and not self.broken and not self.note


def _header_order(header: str, column_labels: tuple[str, ...]) -> list[int]:
    """Order of the value columns as printed: index into column_labels per printed position."""
    compact = _YEAR_NOTE.sub("", header)
    positions = [compact.find(norm(label)) for label in column_labels]
    if len(column_labels) < 2 or min(positions) < 0 or len(set(positions)) < len(positions):
        return list(range(len(column_labels)))
    return sorted(range(len(column_labels)), key=lambda k: positions[k])


def _blank_problem(source: Source, token: Token, path: tuple) -> Problem:
    file, line = source.where(source.lines[token.line])
    shown = "空" if token.kind == "blank" else f"“{token.text}”"
    return Problem("warning", f"单元格为{shown}，按 0 处理；正式报告中应填写 0", path, file=file, line=line,
                   expected="0", found=token.text, rule="8")


def _store(result: TableResult, source: Source, row: RowResult, order: list[int]) -> None:
    rule = row.rule
    values: list = [None] * rule.size
    for printed, token in enumerate(row.values or []):
        column = order[printed]
        kind = rule.kinds[column]
        path = rule.path + ((rule.keys[column],) if rule.keys else ((column,) if rule.size > 1 else ()))
        if token.kind in ("blank", "mark"):
            result.problems.append(_blank_problem(source, token, path))
        number = to_number(token, kind)
        if number is None or (kind == "count" and number < 0) or (kind == "money" and number < 0):
            row.problem = f"{layout.location(path) or rule.name} 应为非负整数，表中为“{token.text}”"
            result.broken.append(row.problem)
            return
        values[column] = number
    if rule.keys:
        result.data[rule.path] = dict(zip(rule.keys, values))
    elif rule.size == 1:
        result.data[rule.path] = values[0]
    else:
        result.data[rule.path] = values


def _parse_rows(source: Source, tokens: list[Token], rules: tuple[RowRule, ...], result: TableResult,
                header_check: bool = True) -> None:
    labels = sorted({label for rule in rules for label in rule_labels(rule)})
    used: set[int] = set()
    rows: list[RowResult] = []
    pos = 0
    result.expected = [rule.name for rule in rules]
    for rule in rules:
        index = find_label(tokens, rule, pos, used)
        if index is None:
            index = find_label(tokens, rule, 0, used)
        if index is None:
            result.missing.append(rule.name)
            continue
        used.add(index)
        row = RowResult(rule, index, collect_slots(tokens, index, labels, len(tokens)))
        choose_values(row)
        rows.append(row)
        pos = index + 1
    place_by_columns(rows)
    order: list[int] = []
    previous_end = 0
    for row in sorted(rows, key=lambda r: r.label_index):
        if row.rule.block or not order or len(order) != row.rule.size:
            header = "".join(t.norm for t in tokens[previous_end:row.label_index] if t.kind == "text")
            order = _header_order(header, row.rule.column_labels) if row.rule.column_labels else list(
                range(row.rule.size))
        previous_end = row.label_index + 1 + len(row.slots)
        if row.values is None:
            result.broken.append(f"“{row.rule.name}”一行{row.problem}")
            continue
        _store(result, source, row, order)


def parse_table2(source: Source, region: tuple[int, int] | None) -> TableResult:
    result = TableResult("active")
    if region is None:
        return result
    tokens = tokenize(source, *region)
    result.found = True
    if not any(t.kind != "text" for t in tokens) and not _has_any_label(tokens, table2_rules("2021") + table2_rules("2019")):
        result.note = "标题下没有表格"
        return result
    text = _YEAR_NOTE.sub("", "".join(t.norm for t in tokens if t.kind == "text"))
    score_2019 = sum(marker in text for marker in _MARKERS_2019)
    score_2021 = sum(marker in text for marker in _MARKERS_2021)
    result.format = "2019" if score_2019 > score_2021 else "2021"
    _parse_rows(source, tokens, table2_rules(result.format), result)
    return result


def parse_table3(source: Source, region: tuple[int, int] | None) -> TableResult:
    result = TableResult("requests")
    if region is None:
        return result
    tokens = tokenize(source, *region)
    result.found = True
    full = table3_rules(False)
    if not _has_any_label(tokens, full):
        result.note = "标题下没有表格" if not any(t.kind != "text" for t in tokens) else "只有表头，没有找到表格各行（表格可能被截断）"
        return result
    has_subrows = any(find_label(tokens, rule, 0, set()) is not None for rule in OTHER_SUBROW_RULES)
    single = False
    if not has_subrows:
        index = find_label(tokens, SINGLE_OTHER_RULE, 0, set())
        labels = sorted({label for rule in full for label in rule_labels(rule)})
        single = index is not None and any(t.filled for t in collect_slots(tokens, index, labels, len(tokens)))
    result.single_other = single
    _parse_rows(source, tokens, table3_rules(single), result)
    header = "".join(t.norm for t in tokens if t.kind == "text")
    if "自然人" not in header:
        result.problems.append(Problem("warning", "表三中未找到“自然人”等列标题，按官方列顺序（自然人、商业企业、科研机构、"
                                                  "社会公益组织、法律服务机构、其他、总计）读取", ("requests",),
                                       file=source.file))
    return result


_APPEAL_GROUP_LABELS = ("行政复议", "未经复议直接起诉", "复议后起诉")


def parse_table4(source: Source, region: tuple[int, int] | None) -> TableResult:
    result = TableResult("appeals")
    if region is None:
        return result
    tokens = tokenize(source, *region)
    result.found = True
    text = "".join(t.norm for t in tokens if t.kind == "text")
    values = _appeals_run(tokens)
    group_order = [0, 1, 2]
    column_order = list(range(5))
    if values is not None:
        positions = [text.find(label) for label in _APPEAL_GROUP_LABELS]
        if min(positions) >= 0 and len(set(positions)) == 3:
            group_order = sorted(range(3), key=lambda k: positions[k])
        column_order = _header_order(text, tuple(label for _, label in layout.APPEAL_COLUMNS))
    else:
        values = _appeals_by_rows(tokens)
    if values is None:
        filled = sum(1 for t in tokens if t.filled)
        if filled == 0:
            result.note = "标题下没有表格" if not text or len(text) < 8 else "未找到表中的数值"
        else:
            result.broken.append(f"应有 15 个数（行政复议，行政诉讼未经复议直接起诉、复议后起诉，各 5 项），找到 {filled} 个")
        return result
    if "复议" not in text:
        result.problems.append(Problem("warning", "表四中未找到“行政复议”“行政诉讼”等列标题，按官方列顺序读取", ("appeals",),
                                       file=source.file))
    for printed_group, group in enumerate(group_order):
        key = layout.APPEAL_GROUPS[group][0]
        cells: dict[str, int] = {}
        for printed_column, column in enumerate(column_order):
            token = values[printed_group * 5 + printed_column]
            column_key = layout.APPEAL_COLUMNS[column][0]
            path = ("appeals", key, column_key)
            if token.kind in ("blank", "mark"):
                result.problems.append(_blank_problem(source, token, path))
            number = to_number(token, "count")
            if number is None or number < 0:
                result.broken.append(f"{layout.location(path)} 应为非负整数，表中为“{token.text}”")
                return result
            cells[column_key] = number
        result.data[("appeals", key)] = cells
    return result


def _appeals_run(tokens: list[Token]) -> list[Token] | None:
    """The row of 15 values under the header (the run of value cells with 15 numbers)."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        if token.kind == "text":
            if current:
                runs.append(current)
            current = []
        else:
            current.append(token)
    if current:
        runs.append(current)
    rule = RowRule(("appeals",), "表四", (), ("count",) * 15)
    # the run with the most numbers; among equals (e.g. an all-blank table) the last one
    for run in sorted(reversed(runs), key=lambda r: -sum(t.filled for t in r)):
        row = RowResult(rule, 0, run)
        choose_values(row)
        if row.values is not None:
            return row.values
    return None


def _appeals_by_rows(tokens: list[Token]) -> list[Token] | None:
    """Transposed layout: one row per group (行政复议 / 未经复议直接起诉 / 复议后起诉) with 5 values."""
    values: list[Token] = []
    labels = [norm(label) for label in _APPEAL_GROUP_LABELS]
    for label in _APPEAL_GROUP_LABELS:
        rule = RowRule(("appeals",), label, (label,), ("count",) * 5)
        index = find_label(tokens, rule, 0, set())
        if index is None:
            return None
        row = RowResult(rule, index, collect_slots(tokens, index, labels, len(tokens)))
        choose_values(row)
        if row.values is None:
            return None
        values += row.values
    return values


def _has_any_label(tokens: list[Token], rules: tuple[RowRule, ...]) -> bool:
    return any(find_label(tokens, rule, 0, set()) is not None for rule in rules)
