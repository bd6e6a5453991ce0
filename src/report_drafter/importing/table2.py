"""Table 二 (主动公开政府信息情况), 2021 layout (本年制发/本年废止/现行有效件数) or the 2019 trial
layout (本年新制作/本年新公开/对外公开总数量, 上一年项目数量/本年增/减, 政府集中采购).

Rows have no sums to check: a glued run of digits is read by `splitting.plausibility` and said to
be a guess, with the other readings. The printed column order follows the column labels.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from itertools import combinations

from .. import layout
from ..findings import Finding
from . import vocabulary as voc
from .labels import clean, compact, norm
from .placement import place
from .result import Ambiguity, TableResult, by_columns, note_ambiguity, note_blanks, note_unplaced, readings, warn
from .solver import solve
from .lines import Source
from .splitting import Candidate
from .tokens import Run, Token, runs, tokenize

HEADER = tuple(compact(w) for w in (
    layout.CONTENT, layout.FEES_COLUMN, "(单位:万元)", layout.DECISIONS_COLUMN,
    *(label for _, label in layout.DOCUMENT_COLUMNS), *(label for _, label in layout.DOCUMENT_COLUMNS_2019),
    *(label for _, label in layout.ITEM_COLUMNS_2019), *(label for _, label in layout.PROCUREMENT_COLUMNS_2019),
    "处理决定数量", "本年收费金额", "万元", "表二", "主动公开政府信息情况"))


def _shapes(format: str) -> dict[tuple, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
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
        options = [compact(label), *(compact(v) for v in voc.TABLE2_COLUMN_VARIANTS.get(label, ()))]
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
    """Table 二 from the lines `region` of `source`; `year_hint` decides the layout when its labels do not."""
    result = TableResult("active")
    if region is None:
        return result
    result.found = True
    tokens = tokenize(source, *region)
    all_runs = runs(tokens)
    result.format = _table2_format(tokens, year_hint)
    words = voc.table2_words(result.format)
    shapes = _shapes(result.format)
    paths = [w.path for w in words]
    result.expected = [_table2_name(w) for w in words]
    result.cells_expected = sum(len(shapes[p][0]) for p in paths)
    result.layout = ("表二 2019 年试行格式（本年新制作/本年新公开/对外公开总数量，政府集中采购）" if result.format == "2019"
                     else "表二 2021 年格式（本年制发/本年废止/现行有效件数）")

    @lru_cache(maxsize=None)
    def fits(run_index: int, j: int) -> bool:
        run = all_runs[run_index]
        kinds = shapes[paths[j]][0]
        options = readings(run, kinds)
        if options:
            return True
        filled = [t for t in run.tokens if t.filled]
        return options is None or 0 < len(filled) < len(kinds)

    placement = place(all_runs, words, lambda run, j: fits(run.index, j), ordered=False, header_words=HEADER)
    if not any(j not in placement.by_order for j in placement.rows):
        has_values = any(r.has_values for r in all_runs)
        result.note = "未找到表中各行（表格可能被截断）" if has_values else "标题下没有表格"
        return result
    result.not_found([result.expected[j] for j in placement.missing])
    orders = _column_orders(placement, paths, shapes)
    options: dict[tuple, list[Candidate]] = {}
    placements: dict[tuple, list[Candidate]] = {}
    by_column: set[tuple] = set()
    for j, run in placement.rows.items():
        path = paths[j]
        found = readings(run, shapes[path][0])
        if not found and found is not None:
            # PDF or layout text prints nothing for a blank cell: place the numbers under their column labels
            placed = by_columns(run, len(shapes[path][0]), _header_centres(tokens, run, shapes[path][2]))
            found = [placed] if placed else found
            by_column |= {path} if placed else set()
        if not found and found is not None and (gapped := _gapped(run, shapes[path][0])):
            found, placements[path] = gapped[:1], gapped     # blank cells not printed: placed in order
        if found:
            options[path] = found
        else:
            _unread_row(result, source, run, path, result.expected[j], shapes, found)
    solution = solve(options)
    for j, run in placement.rows.items():
        path = paths[j]
        chosen = solution.chosen.get(path)
        if chosen is None:
            continue
        kinds, keys, _ = shapes[path]
        values: list = [None] * len(kinds)
        for position, column in enumerate(orders.get(j, range(len(kinds)))):
            values[column] = chosen.values[position]
        values = _money_units(result, source, run, path, kinds, values)
        note_blanks(result, source, run, tuple(values), [(*path, key) for key in keys] if keys else [path],
                    by_column=path in by_column)
        ties = solution.ties.get(path)
        result.data[path] = _table2_value(path, shapes, values)
        result.rows[path] = run.tokens[0].line
        warning = note_ambiguity(result, source, run, path, result.expected[j], chosen, ties,
                                 "表二没有合计关系可供核对") if ties and chosen.split else None
        if path in placements and len(placements[path]) > 1:
            warning = _note_placements(result, source, run, path, result.expected[j], placements[path])
            ties, chosen = placements[path][1:], placements[path][0]
        if warning is not None and "money" not in kinds:
            readings_ = [chosen, *(c for c in ties if c != chosen)][:6]
            options = [_table2_value(path, shapes, _in_columns(c.values, orders.get(j), len(kinds))) for c in readings_]
            result.ambiguities.append(Ambiguity(path, options, [c.text for c in readings_], warning))
        result.cells_read += len(kinds)
    for path in paths:
        result.data.setdefault(path, _table2_value(path, shapes, [None] * len(shapes[path][0])))
    note_unplaced(result, source, placement, "表二")
    return result


def _header_centres(tokens: list[Token], run: Run, labels: tuple[str, ...]) -> list[float] | None:
    """Positions of the row's column labels in the header above it (printed order), when the text has them."""
    if len(labels) < 2 or run.tokens[0].x is None:
        return None
    xs = []
    for label in labels:
        target = compact(label)
        hits = [t for t in tokens if t.kind == "text" and t.x is not None and t.line < run.line
                and t.sheet == run.tokens[0].sheet and target in compact(t.text)]
        if not hits:
            return None
        xs.append(hits[-1].x)
    return sorted(xs)


def _column_orders(placement, paths: list[tuple], shapes: dict) -> dict[int, list[int]]:
    """Printed column order of each row, from the header text before it (else the row before's)."""
    orders: dict[int, list[int]] = {}
    previous: list[int] = []
    for j, run in sorted(placement.rows.items(), key=lambda item: item[1].index):
        labels = shapes[paths[j]][2]
        order = _header_order(clean(run.above + run.own), labels)
        if order == list(range(len(labels))) and len(previous) == len(labels):
            order = previous
        orders[j] = previous = order
    return orders


def _gapped(run: Run, kinds: tuple[str, ...]) -> list[Candidate]:
    """A row printing fewer numbers than its columns (blank cells not printed at all): every way to place the
    numbers in order, those filling the first and last columns first (the middle one, 本年废止, is the cell most
    often left blank), then leftmost. Empty when the numbers cannot be read or the columns differ in kind."""
    filled = [t for t in run.tokens if t.filled]
    if not 0 < len(filled) < len(kinds) or len(set(kinds)) != 1:
        return []
    printed = readings(Run(filled), kinds[:len(filled)])
    if not printed or printed[0].split:
        return []
    out = []
    for columns in combinations(range(len(kinds)), len(filled)):
        values: list = [None] * len(kinds)
        for column, value in zip(columns, printed[0].values):
            values[column] = value
        out.append(Candidate(tuple(values), False, kinds))
    return sorted(out, key=lambda c: (c.values[0] is None) + (c.values[-1] is None))


def _note_placements(result: TableResult, source: Source, run: Run, path: tuple, name: str,
                     placements: list[Candidate]) -> Finding:
    chosen, others = placements[0], [c.text for c in placements[1:]]
    warn(result, source, run.tokens[0], path,
         f"“{name}”一行只印出 {len([v for v in chosen.values if v is not None])} 个数（{run.printed}），"
         f"空白的单元格没有印出，可放入 {chosen.text}，也可为 {'、'.join(others)}；"
         f"正文中没有能区分的数字，按首列、末列优先取 {chosen.text}，请对照原文核实")
    return result.problems[-1]


def _unread_row(result: TableResult, source: Source, run: Run, path: tuple, name: str, shapes: dict,
                found: list[Candidate] | None) -> None:
    """A row whose numbers cannot fill its cells: too many (refused), or too few (left blank, with a warning)."""
    size = len(shapes[path][0])
    filled = [t for t in run.tokens if t.filled]
    if found is None:
        result.unreadable(name, f"一行的数字连在一起且过长（“{run.printed}”），无法拆分")
    elif len(filled) > size:
        result.unreadable(name, f"一行应有 {size} 个数，找到 {len(filled)} 个（{run.printed}）")
    else:
        # fewer numbers than columns and no way to tell which is which: the row stays blank
        result.data[path] = _table2_value(path, shapes, [None] * size)
        why = (f"一行应有 {size} 个数，只印出 {len(filled)} 个（{run.printed}），无法确定各数所在的列，"
               "整行记为空白，请对照原文填写")
        result.unread[name] = why
        warn(result, source, run.tokens[0], path, f"“{name}”{why}")


def _table2_name(words) -> str:
    """“第二十条第（一）项 规章”: the clause and the row label as the layout prints them."""
    clause = {"rules": layout.DOCUMENTS_CLAUSE, "normative_documents": layout.DOCUMENTS_CLAUSE,
              "licensing": "第二十条第（五）项", "other_services": "第二十条第（五）项",
              "punishment": "第二十条第（六）项", "coercion": "第二十条第（六）项",
              "fees": layout.FEES_CLAUSE, "procurement": layout.PROCUREMENT_CLAUSE}[words.path[1]]
    return f"{clause} {words.label}"


def _in_columns(printed: tuple, order, size: int) -> list:
    """Values in the table's column order from their printed order."""
    values: list = [None] * size
    for position, column in enumerate(order or range(size)):
        values[column] = printed[position]
    return values


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
            warn(result, source, run.tokens[0], path,
                  f"金额印为 {values[k]} 元，按万元记为 {format(converted, 'f')}", expected="万元", found="元")
            values[k] = converted
    return values
