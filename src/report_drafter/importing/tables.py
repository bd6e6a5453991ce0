"""Read tables 二, 三 and 四 of a published report, whatever form the text took.

For each table: the region's text becomes tokens and runs of value cells (`tokens`); runs are
assigned to the official rows by their labels and by order (`placement`, vocabulary in
`vocabulary`); each row's candidate readings (`splitting`: digits of several cells run together,
blank cells, column positions in PDF text) are chosen by the format's arithmetic (`solver`).

The result says what was found (`TableResult.layout`), which rows could not be read and why,
and carries every value that was read; blank cells ("", “/”, “—”) are None with a warning.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from .. import layout
from ..errors import Problem
from . import vocabulary as voc
from .labels import clean, compact, norm
from .placement import Placement, place
from .solver import Solution, solve, sums_to_last
from .sources import Source
from .splitting import Candidate, TooMany, candidates
from .tokens import Run, Token, runs, tokenize

APPLICANTS = len(layout.APPLICANT_COLUMNS)
TOTAL = APPLICANTS - 1
_O = ("requests", "outcomes")
TABLE3_HEADER = tuple(compact(w) for w in (layout.BALANCE_NOTE, "本列数据的勾稽关系为", "第一项加第二项之和", "等于第三项加第四项之和",
                                         layout.APPLICANTS, "法人或其他组织", "自然人", "商业企业", "科研机构", "社会公益组织",
                                         "法律服务机构"))
TABLE2_HEADER = tuple(compact(w) for w in (
    layout.CONTENT, layout.FEES_COLUMN, "(单位:万元)", layout.DECISIONS_COLUMN,
    *(label for _, label in layout.DOCUMENT_COLUMNS), *(label for _, label in layout.DOCUMENT_COLUMNS_2019),
    *(label for _, label in layout.ITEM_COLUMNS_2019), *(label for _, label in layout.PROCUREMENT_COLUMNS_2019),
    "处理决定数量", "本年收费金额", "万元", "表二", "主动公开政府信息情况"))


@dataclass
class TableResult:
    key: str                                   # "active" | "requests" | "appeals"
    found: bool = False                        # the table (or its heading) is there at all
    data: dict = field(default_factory=dict)   # path → value(s); None = blank or not readable
    expected: list[str] = field(default_factory=list)    # all rows looked for, in printed order
    missing: list[str] = field(default_factory=list)     # rows not found
    broken: list[str] = field(default_factory=list)      # rows found but not readable: “name”一行…
    unread: dict[str, str] = field(default_factory=dict)  # row name → why some of its cells were not read
    format: str = ""                           # table 二: "2021" | "2019"
    single_other: bool = False                 # table 三: one （六）其他处理 row
    appeal_totals: bool = True                 # table 四: 总计 columns printed
    problems: list[Problem] = field(default_factory=list)  # warnings
    note: str = ""                             # the table as a whole: e.g. "标题下没有表格"
    layout: str = ""                           # what was found, in Chinese
    cells_read: int = 0
    cells_expected: int = 0

    @property
    def complete(self) -> bool:
        """Every row found and readable (cells printed blank count as read)."""
        return self.found and not self.missing and not self.broken and not self.note

    @property
    def status(self) -> str:
        if not self.found or self.note:
            return "missing"
        return "complete" if self.complete and not self.unread else "partial"


# ---------- shared ----------

def _where(source: Source, token: Token) -> tuple[str, int | None]:
    return source.where(source.lines[token.line])


def _warn(result: TableResult, source: Source, token: Token | None, path: tuple, message: str, **extra) -> None:
    file, line = _where(source, token) if token is not None else (source.file, None)
    result.problems.append(Problem("warning", message, path, file=file, line=line, **extra))


@lru_cache(maxsize=None)
def _kinds(size: int, kind: str = "count") -> tuple[str, ...]:
    return (kind,) * size


def readings(run: Run, kinds: tuple[str, ...]) -> list[Candidate] | None:
    """Candidate readings of a run for a row; None when there are too many to choose from."""
    try:
        return candidates(run.tokens, kinds)
    except TooMany:
        return None


def _by_columns(run: Run, size: int, centres: list[float] | None) -> Candidate | None:
    """PDF and layout text print nothing for a blank cell: place the numbers by column position."""
    filled = [t for t in run.tokens if t.filled]
    if not centres or not filled or len(filled) >= size or any(t.x is None for t in filled):
        return None
    gap = min(b - a for a, b in zip(centres, centres[1:])) if len(centres) > 1 else 0
    placed: dict[int, Token] = {}
    for token in filled:
        column = min(range(size), key=lambda k: abs(centres[k] - token.x))
        if column in placed or (gap and abs(centres[column] - token.x) > gap / 2):
            return None
        placed[column] = token
    values = []
    for k in range(size):
        token = placed.get(k)
        if token is None or token.kind == "mark":
            values.append(None)
            continue
        reading = readings(Run([token]), ("count",))
        if not reading:
            return None
        values.append(reading[0].values[0])
    return Candidate(tuple(values), False)


def _column_centres(rows: list[tuple[Run, int]]) -> dict[tuple[int, int], list[float]]:
    """Median x of each column, per (row size, page), from the rows that print every cell."""
    samples: dict[tuple[int, int], list[list[float]]] = {}
    for run, size in rows:
        tokens = [t for t in run.tokens if t.kind != "blank"]
        if len(tokens) == size and all(t.x is not None for t in tokens):
            samples.setdefault((size, tokens[0].sheet), []).append([t.x for t in tokens])
            samples.setdefault((size, -1), []).append([t.x for t in tokens])
    return {key: [statistics.median(row[k] for row in rows) for k in range(key[0])]
            for key, rows in samples.items() if len(rows) >= 2}


def _blank_tokens(run: Run, size: int) -> list[Token]:
    from .splitting import trim
    return [t for t in trim(run.tokens, size) if t.kind in ("blank", "mark")]


def _note_blanks(result: TableResult, source: Source, run: Run, values: tuple, paths: list[tuple],
                 by_column: bool = False) -> None:
    """A warning per cell printed blank or “/”: recorded as blank (None), not 0."""
    blanks = iter(_blank_tokens(run, len(values)))
    for value, path in zip(values, paths):
        if value is not None:
            continue
        token = None if by_column else next(blanks, None)
        shown = "空" if token is None or token.kind == "blank" else f"“{token.text}”"
        _warn(result, source, token or run.tokens[0], path,
              f"单元格为{shown}，记为空白（不按 0 计）；正式报告中应填写 0", expected="0",
              found="" if token is None else token.text, rule="8")


def _ambiguity(result: TableResult, source: Source, run: Run, path: tuple, name: str, chosen: Candidate,
               ties: list[Candidate], reason: str) -> None:
    others = [c.text for c in ties if c != chosen][:5]
    if not others:
        return
    printed = "".join(t.text for t in run.numbers)
    _warn(result, source, run.tokens[0], path,
          f"“{name}”一行的数字连在一起（“{printed}”），{reason}，可拆分为 {chosen.text}，也可为 "
          f"{'、'.join(others)}；按“数值较小且位数相近”取 {chosen.text}，请对照原文核实")


def _unplaced(result: TableResult, source: Source, placement: Placement, name: str) -> None:
    for run in placement.unplaced:
        _warn(result, source, run.tokens[0], (result.key,),
              f"{name}中的数字“{run.printed}”无法归入任何一行，已忽略")


# ---------- table 三 ----------

def _table3_rules(single: bool) -> tuple[tuple[tuple, str], ...]:
    return tuple((spec.path, spec.name) for spec in layout.table3_rows(single))


def _balance_violations(values: dict[tuple, tuple]) -> int:
    """Table rules of 表三 broken by a reading: per column, （七）= Σ 办理结果, 一+二 = （七）+四."""
    total = values.get((*_O, "total"))
    outcomes = [v for p, v in values.items() if p[:2] == _O and p[2] != "total"]
    new, carried, forward = (values.get(("requests", k)) for k in ("new", "carried_over", "carried_forward"))
    broken = 0
    for col in range(APPLICANTS):
        if total is not None and all(row is not None for row in outcomes):
            cells = [row[col] for row in outcomes]
            if total[col] is not None and None not in cells and sum(cells) != total[col]:
                broken += 1
        if None not in (new, carried, total, forward):
            cells = (new[col], carried[col], total[col], forward[col])
            if None not in cells and cells[0] + cells[1] != cells[2] + cells[3]:
                broken += 1
    return broken


def _table3_layout(runs_: list[Run], single: bool, fits) -> tuple[Placement, tuple]:
    words = voc.table3_words(single)
    groups = tuple(g for g in voc.TABLE3_GROUPS if not (single and g == layout.OTHER))
    return place(runs_, words, lambda run, j: fits(run, j), ordered=True, header_words=TABLE3_HEADER,
                 groups=groups), words


def _single_other(layouts: dict[bool, tuple[Placement, tuple]], hint: bool) -> bool:
    """Whether （六）其他处理 is printed as one row: by the labels found, else by the format of table 二."""
    def labelled(single: bool) -> bool:
        placement, words = layouts[single]
        return any(j in placement.rows and j not in placement.by_order
                   for j, w in enumerate(words) if w.path[:3] == (*_O, "other"))

    three, one = labelled(False), labelled(True)
    if three != one:
        return one
    if three and one:
        return min((False, True), key=lambda single: (len(layouts[single][0].missing) + len(layouts[single][0].unplaced),
                                                      -layouts[single][0].score))
    return hint


def read_table3(source: Source, region: tuple[int, int] | None, single_hint: bool = False) -> TableResult:
    result = TableResult("requests")
    if region is None:
        return result
    result.found = True
    tokens = tokenize(source, *region)
    all_runs = [r for r in runs(tokens)]
    kinds = _kinds(APPLICANTS)

    @lru_cache(maxsize=None)
    def fits(run_index: int) -> bool:
        run = all_runs[run_index]
        options = readings(run, kinds)
        return options is None or bool(options) or (
            0 < len([t for t in run.tokens if t.filled]) < APPLICANTS and all(t.x is not None for t in run.tokens))

    layouts = {single: _table3_layout(all_runs, single, lambda run, j: fits(run.index)) for single in (False, True)}
    single = _single_other(layouts, single_hint)
    placement, words = layouts[single]
    result.single_other = single
    specs = layout.table3_rows(single)
    result.expected = [spec.name for spec in specs]
    result.cells_expected = len(specs) * APPLICANTS
    labelled = sum(1 for j in placement.rows if j not in placement.by_order)
    if not labelled and len(placement.rows) < len(specs):
        has_text = any(t.kind == "text" for t in tokens)
        result.note = "只有表头，没有找到表格各行（表格可能被截断）" if has_text else "标题下没有表格"
        return result
    result.missing = [specs[j].name for j in placement.missing]
    # candidate readings per placed row
    centres = _column_centres([(run, APPLICANTS) for run in placement.rows.values()])
    options: dict[tuple, list[Candidate]] = {}
    by_column: set[tuple] = set()
    for j, run in placement.rows.items():
        spec = specs[j]
        found = readings(run, kinds)
        if found is None:
            result.broken.append(f"“{spec.name}”一行的数字连在一起且过长（“{run.printed}”），无法拆分")
            continue
        if not found:
            line_centres = centres.get((APPLICANTS, run.tokens[0].sheet)) or centres.get((APPLICANTS, -1))
            placed = _by_columns(run, APPLICANTS, line_centres)
            if placed is None:
                filled = len([t for t in run.tokens if t.filled])
                result.broken.append(f"“{spec.name}”一行应有 {APPLICANTS} 个数，"
                                     f"{'找到' if filled > APPLICANTS else '只找到'} {filled} 个（{run.printed}）")
                continue
            found = [placed]
            by_column.add(spec.path)
        options[spec.path] = found
    solution = solve(options, lambda path, values: sums_to_last(values), _balance_violations)
    names = dict(_table3_rules(single))
    for j, run in placement.rows.items():
        spec = specs[j]
        chosen = solution.chosen.get(spec.path)
        if chosen is None:
            continue
        result.data[spec.path] = list(chosen.values)
        result.cells_read += APPLICANTS
        _note_blanks(result, source, run, chosen.values, [(*spec.path, k) for k in range(APPLICANTS)],
                     by_column=spec.path in by_column)
        ties = solution.ties.get(spec.path)
        if ties and chosen.split:
            reason = "按行、列合计关系仍有多种拆分" if not solution.violations else "合计关系不成立，无法据此确定拆分"
            _ambiguity(result, source, run, (*spec.path, TOTAL), names[spec.path], chosen, ties, reason)
    for spec in specs:
        result.data.setdefault(spec.path, [None] * APPLICANTS)
    _report_order(result, source, placement, specs)
    _unplaced(result, source, placement, "表三")
    header = "".join(clean(r.above + r.own) for r in all_runs[:2])
    if "自然人" not in header and "自然人" not in "".join(t.text for t in tokens if t.kind == "text"):
        result.problems.append(Problem("warning", "表三中未找到“自然人”等列标题，按官方列顺序（自然人、商业企业、科研机构、"
                                                  "社会公益组织、法律服务机构、其他、总计）读取", ("requests",),
                                       file=source.file))
    result.layout = "表三（六）其他处理为单行" if single else "表三（六）其他处理分三行"
    for name in result.broken:
        result.unread[name.split("”")[0].lstrip("“")] = name
    for name in result.missing:
        result.unread[name] = "未找到"
    return result


def _report_order(result: TableResult, source: Source, placement: Placement, specs) -> None:
    """Rows placed by their position between labelled rows: say which, so the reader can check."""
    placed = sorted(placement.by_order)
    if not placed:
        return
    names = "、".join(f"“{specs[j].name}”" for j in placed)
    first = placement.rows[placed[0]]
    _warn(result, source, first.tokens[0], (result.key,),
          f"{len(placed)} 行没有可识别的行标签（或标签与数字分离），按表中顺序放入：{names}；请对照原文核实")


# ---------- table 二 ----------

def _table2_kinds(format: str) -> dict[tuple, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """path → (cell kinds, keys of a dict row or (), column labels)."""
    out: dict[tuple, tuple] = {}
    if format == "2021":
        keys = tuple(k for k, _ in layout.DOCUMENT_COLUMNS)
        labels = tuple(label for _, label in layout.DOCUMENT_COLUMNS)
        for key, _ in layout.DOCUMENT_ROWS:
            out[("active", key)] = (("count",) * 3, keys, labels)
        for key, _, _ in layout.DECISION_ROWS:
            out[("active", key)] = (("count",), (), (layout.DECISIONS_COLUMN,))
        out[("active", "fees")] = (("money",), (), (layout.FEES_COLUMN,))
        return out
    keys = tuple(k for k, _ in layout.DOCUMENT_COLUMNS_2019)
    labels = tuple(label for _, label in layout.DOCUMENT_COLUMNS_2019)
    for key, _ in layout.DOCUMENT_ROWS_2019:
        out[("active", key)] = (("count",) * 3, keys, labels)
    item_keys = tuple(k for k, _ in layout.ITEM_COLUMNS_2019)
    item_labels = tuple(label for _, label in layout.ITEM_COLUMNS_2019)
    for key, _, _ in layout.ITEM_ROWS_2019:
        out[("active", key)] = (("count", "signed", "count"), item_keys, item_labels)
    out[("active", "fees")] = (("count", "signed"), item_keys[:2], item_labels[:2])
    out[("active", "procurement")] = (("count", "money"), tuple(k for k, _ in layout.PROCUREMENT_COLUMNS_2019),
                                      tuple(label for _, label in layout.PROCUREMENT_COLUMNS_2019))
    return out


def _header_order(header: str, column_labels: tuple[str, ...]) -> list[int]:
    """Printed position → official column, from the column labels in the header (official order when unsure)."""
    positions = []
    for label in column_labels:
        options = [norm(label), *(norm(v) for v in voc.TABLE2_COLUMN_VARIANTS.get(label, ()))]
        found = [header.find(o) for o in options if header.find(o) >= 0]
        positions.append(min(found) if found else -1)
    if len(column_labels) < 2 or min(positions) < 0 or len(set(positions)) < len(positions):
        return list(range(len(column_labels)))
    return sorted(range(len(column_labels)), key=lambda k: positions[k])


def _table2_format(tokens: list[Token], year_hint: int | None) -> str:
    text = "".join(norm(t.text) for t in tokens if t.kind == "text")
    score_2019 = sum(marker in text for marker in voc.MARKERS_2019)
    score_2021 = sum(marker in text for marker in voc.MARKERS_2021)
    if score_2019 == score_2021 and year_hint is not None:
        return "2019" if year_hint < 2021 else "2021"
    return "2019" if score_2019 > score_2021 else "2021"


def read_table2(source: Source, region: tuple[int, int] | None, year_hint: int | None = None) -> TableResult:
    result = TableResult("active")
    if region is None:
        return result
    result.found = True
    tokens = tokenize(source, *region)
    all_runs = runs(tokens)
    result.format = _table2_format(tokens, year_hint)
    words = voc.table2_words(result.format)
    shapes = _table2_kinds(result.format)
    paths = [w.path for w in words]
    result.expected = [_table2_name(path) for path in paths]
    result.cells_expected = sum(len(shapes[p][0]) for p in paths)

    @lru_cache(maxsize=None)
    def fits(run_index: int, j: int) -> bool:
        run = all_runs[run_index]
        kinds = shapes[paths[j]][0]
        options = readings(run, kinds)
        if options:
            return True
        filled = [t for t in run.tokens if t.filled]
        return options is None or 0 < len(filled) < len(kinds)

    placement = place(all_runs, words, lambda run, j: fits(run.index, j), ordered=False,
                      header_words=TABLE2_HEADER)
    labelled = [j for j in placement.rows if j not in placement.by_order]
    if not labelled:
        has_values = any(r.has_values for r in all_runs)
        result.note = "未找到表中各行（表格可能被截断）" if has_values else "标题下没有表格"
        return result
    result.missing = [result.expected[j] for j in placement.missing]
    # column order per block, from the header text before each row
    order_of: dict[int, list[int]] = {}
    previous: list[int] = []
    for j, run in sorted(placement.rows.items(), key=lambda item: item[1].index):
        labels = shapes[paths[j]][2]
        header = clean(run.above + run.own)
        order = _header_order(header, labels)
        if order == list(range(len(labels))) and len(previous) == len(labels):
            order = previous
        order_of[j] = previous = order
    options: dict[tuple, list[Candidate]] = {}
    for j, run in placement.rows.items():
        path = paths[j]
        found = readings(run, shapes[path][0])
        if found is None:
            result.broken.append(f"“{result.expected[j]}”一行的数字连在一起且过长（“{run.printed}”），无法拆分")
            continue
        if found:
            options[path] = found
            continue
        size = len(shapes[path][0])
        filled = [t for t in run.tokens if t.filled]
        name = result.expected[j]
        if len(filled) > size:
            result.broken.append(f"“{name}”一行应有 {size} 个数，找到 {len(filled)} 个（{run.printed}）")
            continue
        # fewer numbers than columns and no way to tell which is which: leave the row blank
        result.data[path] = _table2_value(path, shapes, [None] * size)
        why = (f"一行应有 {size} 个数，只印出 {len(filled)} 个（{run.printed}），无法确定各数所在的列，"
               "整行记为空白，请对照原文填写")
        result.unread[name] = why
        _warn(result, source, run.tokens[0], path, f"“{name}”{why}")
    solution = solve(options)
    for j, run in placement.rows.items():
        path = paths[j]
        chosen = solution.chosen.get(path)
        if chosen is None:
            continue
        kinds, keys, labels = shapes[path]
        printed = list(chosen.values)
        values: list = [None] * len(kinds)
        for position, column in enumerate(order_of.get(j, range(len(kinds)))):
            values[column] = printed[position]
        values = _money_units(result, source, run, path, kinds, values)
        cell_paths = [(*path, key) for key in keys] if keys else [path]
        _note_blanks(result, source, run, tuple(values), cell_paths)
        ties = solution.ties.get(path)
        if ties and chosen.split:
            _ambiguity(result, source, run, cell_paths[0], result.expected[j], chosen, ties, "表二没有合计关系可供核对")
        result.data[path] = _table2_value(path, shapes, values)
        result.cells_read += len(kinds)
    for j in placement.missing:
        result.unread[result.expected[j]] = "未找到"
    for path in paths:
        result.data.setdefault(path, _table2_value(path, shapes, [None] * len(shapes[path][0])))
    for name in result.broken:
        result.unread[name.split("”")[0].lstrip("“")] = name
    _unplaced(result, source, placement, "表二")
    result.layout = ("表二 2019 年试行格式（本年新制作/本年新公开/对外公开总数量，政府集中采购）" if result.format == "2019"
                     else "表二 2021 年格式（本年制发/本年废止/现行有效件数）")
    return result


def _table2_name(path: tuple) -> str:
    table, row, column = layout.describe(path)
    clause = {"rules": layout.DOCUMENTS_CLAUSE, "normative_documents": layout.DOCUMENTS_CLAUSE,
              "licensing": "第二十条第（五）项", "other_services": "第二十条第（五）项",
              "punishment": "第二十条第（六）项", "coercion": "第二十条第（六）项",
              "fees": layout.FEES_CLAUSE, "procurement": layout.PROCUREMENT_CLAUSE}[path[1]]
    return f"{clause} {row}"


def _table2_value(path: tuple, shapes: dict, values: list) -> object:
    kinds, keys, _ = shapes[path]
    if keys:
        return dict(zip(keys, values))
    return values[0]


def _money_units(result: TableResult, source: Source, run: Run, path: tuple, kinds: tuple, values: list) -> list:
    """Money printed in 元 where the table counts in 万元: converted, with a warning."""
    for k, kind in enumerate(kinds):
        if kind != "money" or values[k] is None:
            continue
        units = {t.unit for t in run.numbers if t.unit}
        if units == {"元"}:
            converted = (Decimal(values[k]) / 10000).normalize()
            _warn(result, source, run.tokens[0], path,
                  f"金额印为 {values[k]} 元，按万元记为 {format(converted, 'f')}", expected="万元", found="元")
            values[k] = converted
    return values


# ---------- table 四 ----------

def _appeal_order(text: str, words: dict[str, tuple[str, ...]], keys: list[str]) -> list[int]:
    """Printed order of groups or columns from the header (official order when unsure)."""
    positions = []
    for key in keys:
        found = [text.find(norm(w)) for w in words[key] if text.find(norm(w)) >= 0]
        positions.append(min(found) if found else -1)
    if min(positions) < 0 or len(set(positions)) < len(positions):
        return list(range(len(keys)))
    return sorted(range(len(keys)), key=lambda k: positions[k])


def _appeal_violations(values: dict, per: int) -> int:
    flat = values["all"]
    broken = 0
    for g in range(3):
        group = flat[g * per:(g + 1) * per]
        if per == 5 and sums_to_last(group) is False:
            broken += 1
    return broken


def read_table4(source: Source, region: tuple[int, int] | None) -> TableResult:
    result = TableResult("appeals")
    if region is None:
        return result
    result.found = True
    tokens = tokenize(source, *region)
    all_runs = [r for r in runs(tokens) if r.has_values or len(r.tokens) >= 12]
    text = "".join(norm(t.text) for t in tokens if t.kind == "text")
    result.expected = [f"{label} · {col}" for _, label in layout.APPEAL_GROUPS for _, col in layout.APPEAL_COLUMNS]
    result.cells_expected = 15
    header_totals = "总计" in text or "合计" in text
    chosen = _appeals_single(all_runs, header_totals) or _appeals_by_rows(all_runs)
    if chosen is None:
        filled = sum(1 for t in tokens if t.filled)
        if filled == 0:
            result.note = "标题下没有表格" if len(text) < 8 else "未找到表中的数值"
        else:
            result.broken.append(f"应有 15 个数（行政复议，行政诉讼未经复议直接起诉、复议后起诉，各 5 项），找到 {filled} 个")
            result.unread["表四"] = result.broken[-1]
        for key, _ in layout.APPEAL_GROUPS:
            result.data[("appeals", key)] = {k: None for k, _ in layout.APPEAL_COLUMNS}
        return result
    run_list, solution, per, by_rows = chosen
    values = solution.chosen["all"].values
    if "复议" not in text:
        result.problems.append(Problem("warning", "表四中未找到“行政复议”“行政诉讼”等列标题，按官方列顺序读取", ("appeals",),
                                       file=source.file))
    group_keys = [k for k, _ in layout.APPEAL_GROUPS]
    column_keys = [k for k, _ in layout.APPEAL_COLUMNS][:per]
    group_order = list(range(3)) if by_rows else _appeal_order(text, voc.APPEAL_GROUP_WORDS, group_keys)
    column_order = _appeal_order(text, voc.APPEAL_COLUMN_WORDS, column_keys)
    run = run_list[0]
    paths: list[tuple] = []
    for printed_group, group in enumerate(group_order):
        cells: dict = {k: None for k, _ in layout.APPEAL_COLUMNS}
        for printed_column, column in enumerate(column_order):
            cells[column_keys[column]] = values[printed_group * per + printed_column]
            paths.append(("appeals", group_keys[group], column_keys[column]))
        result.data[("appeals", group_keys[group])] = cells
    if not by_rows:
        _note_blanks(result, source, run, values, paths)
    ties = solution.ties.get("all")
    if ties and solution.chosen["all"].split:
        reason = "按各类合计关系仍有多种拆分" if per == 5 and not solution.violations else "无法据合计关系确定拆分"
        _ambiguity(result, source, run, ("appeals",), "表四", solution.chosen["all"], ties, reason)
    result.cells_read = 15 if per == 5 else 12
    if per == 4:
        result.appeal_totals = False
        result.cells_expected = 12
        _warn(result, source, run.tokens[0], ("appeals",),
              "表四没有印“总计”列（每类只有结果维持、结果纠正、其他结果、尚未审结 4 项），总计记为空白")
        result.layout = "表四未印总计列（每类 4 项）"
    else:
        result.layout = "表四每类 5 项（含总计）"
    return result


def _appeals_single(all_runs: list[Run], header_totals: bool):
    """The 15 values (12 without 总计 columns) printed as one row or one cell per line; the fullest run wins."""
    from .splitting import trim

    ranked = sorted(reversed(all_runs), key=lambda r: -sum(t.filled for t in r.tokens))
    fallback = None
    for strict in (True, False):
        for run in ranked:
            found = readings(run, _kinds(15))
            if found:
                solution = solve({"all": found}, None, lambda values: _appeal_violations(values, 5))
                if solution.violations == 0 or len(trim(run.tokens, 15)) == 15 or not strict:
                    return [run], solution, 5, False
                fallback = fallback or ([run], solution, 5, False)
            found = readings(run, _kinds(12))
            if found and (len(trim(run.tokens, 12)) == 12 or not header_totals or not strict):
                return [run], solve({"all": found}), 4, False
        if fallback:
            return fallback
    return None


def _appeals_by_rows(all_runs: list[Run]):
    """Transposed layout: one row per group (行政复议 / 未经复议直接起诉 / 复议后起诉) with 5 values."""
    words = tuple(voc.RowWords(("appeals", key), label, (), voc.APPEAL_GROUP_WORDS[key])
                  for key, label in layout.APPEAL_GROUPS)
    placement = place(all_runs, words, lambda run, j: bool(readings(run, _kinds(5))), ordered=False)
    if len(placement.rows) != 3 or placement.by_order:
        return None
    flat: list = []
    split = False
    for j in range(3):
        found = readings(placement.rows[j], _kinds(5))
        solution = solve({"row": found}, lambda key, values: sums_to_last(values))
        flat += solution.chosen["row"].values
        split = split or solution.chosen["row"].split
    candidate = Candidate(tuple(flat), split)
    return [placement.rows[0]], Solution({"all": candidate}), 5, True
