"""Table 三 (收到和处理政府信息公开申请情况): 25 rows of 7 cells (23 with the one-row （六）其他处理).

Rows are found by label and order (`placement`); glued digits are split so that each row's
自然人…其他 add up to its 总计 and, per column, （七）总计 is the sum of the 办理结果 rows and
一 + 二 = （七）+ 四 (`solver`).
"""

from __future__ import annotations

import statistics
from functools import lru_cache

from .. import layout
from ..findings import Finding
from . import vocabulary as voc
from .labels import compact
from .placement import Placement, place
from .result import (TableResult, by_columns, column_centres, gap_readings, kinds_of, note_ambiguity, note_blanks,
                     note_gaps, note_order, note_unplaced, readings)
from .solver import solve, sums_to_last
from .lines import Source
from .splitting import Candidate
from .tokens import Run, Token, runs, tokenize

APPLICANTS = len(layout.APPLICANT_COLUMNS)
TOTAL = APPLICANTS - 1
_O = ("requests", "outcomes")
HEADER = tuple(compact(w) for w in (layout.BALANCE_NOTE, "本列数据的勾稽关系为", "第一项加第二项之和", "等于第三项加第四项之和",
                                   layout.APPLICANTS, "法人或其他组织", "自然人", "商业企业", "科研机构", "社会公益组织",
                                   "法律服务机构"))


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
    return place(runs_, words, lambda run, j: fits(run, j), ordered=True, header_words=HEADER,
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
    """Table 三 from the lines `region` of `source`; `single_hint`: the 2019 layout of table 二 was found."""
    result = TableResult("requests")
    if region is None:
        return result
    result.found = True
    tokens = tokenize(source, *region)
    all_runs = runs(tokens)
    kinds = kinds_of(APPLICANTS)

    @lru_cache(maxsize=None)
    def fits(run_index: int) -> bool:
        run = all_runs[run_index]
        options = readings(run, kinds)
        return options is None or bool(options) or bool(gap_readings(run, kinds)) or (
            0 < len([t for t in run.tokens if t.filled]) < APPLICANTS and all(t.x is not None for t in run.tokens))

    layouts = {single: _table3_layout(all_runs, single, lambda run, j: fits(run.index)) for single in (False, True)}
    single = _single_other(layouts, single_hint)
    placement, _ = layouts[single]
    specs = layout.table3_rows(single)
    result.single_other = single
    result.expected = [spec.name for spec in specs]
    result.cells_expected = len(specs) * APPLICANTS
    result.layout = "表三（六）其他处理为单行" if single else "表三（六）其他处理分三行"
    if not any(j not in placement.by_order for j in placement.rows) and len(placement.rows) < len(specs):
        has_text = any(t.kind == "text" for t in tokens)
        result.note = "只有表头，没有找到表格各行（表格可能被截断）" if has_text else "标题下没有表格"
        return result
    result.not_found([specs[j].name for j in placement.missing])
    # a table cut off after its last row found: that row may be cut too, its cells are not placed by the sums
    cut = max(placement.rows) if placement.missing and min(placement.missing) > max(placement.rows) else None
    options, by_column = _row_options(result, placement, specs, cut, tokens)
    solution = solve(options, lambda path, values: sums_to_last(values), _balance_violations)
    gapped = []
    for j, run in sorted(placement.rows.items()):
        spec = specs[j]
        chosen = solution.chosen.get(spec.path)
        if chosen is None:
            continue
        result.data[spec.path] = list(chosen.values)
        result.rows[spec.path] = run.tokens[0].line
        result.cells_read += APPLICANTS
        gapped += [(run, chosen)] if chosen.gaps else []
        note_blanks(result, source, run, chosen.values, [(*spec.path, k) for k in range(APPLICANTS)],
                    by_column=spec.path in by_column or bool(chosen.gaps))
        ties = solution.ties.get(spec.path)
        if ties and (chosen.split or chosen.gaps):
            reason = "按行、列合计关系仍有多种拆分" if not solution.violations else "合计关系不成立，无法据此确定拆分"
            note_ambiguity(result, source, run, (*spec.path, TOTAL), spec.name, chosen, ties, reason)
    note_gaps(result, source, layout.APPLICANT_COLUMNS, gapped, "表三")
    for spec in specs:
        result.data.setdefault(spec.path, [None] * APPLICANTS)
    complete = not placement.missing and not result.broken
    note_order(result, source, placement, specs, (solution.violations == 0 and not solution.row_breaks) if complete else None)
    note_unplaced(result, source, placement, "表三")
    if "自然人" not in "".join(t.text for t in tokens if t.kind == "text"):
        result.problems.append(Finding(severity="warning", message="表三中未找到“自然人”等列标题，按官方列顺序（自然人、商业企业、科研机构、"
                                                  "社会公益组织、法律服务机构、其他、总计）读取", path=("requests",), file=source.file))
    return result


def _labels_on(tokens: list[Token], rows: list[Run], sheet: int) -> list[float] | None:
    """Positions of the seven column labels in the header of a page: what precedes the page's first row.

    Labels are often broken over lines (“商业 / 企业”, “其 / 他”): the header's pieces at one position are
    read top to bottom, and each label is found by its first two characters, left to right.
    """
    first = min(r.line for r in rows if r.tokens[0].sheet == sheet)
    stacks: list[list] = []            # [x, text] of the pieces at one position
    for t in tokens:
        if t.kind != "text" or t.x is None or t.line >= first or t.sheet != sheet:
            continue
        stack = next((s for s in stacks if abs(s[0] - t.x) <= 1), None)
        if stack is None:
            stacks.append([t.x, t.text])
        else:
            stack[1] += t.text
    xs: list[float] = []
    for label in layout.APPLICANT_COLUMNS:
        hits = sorted(x for x, text in stacks if label[:2] in text and (not xs or x > xs[-1]))
        if not hits:
            return None
        xs.append(hits[0])
    return xs


def _span(rows: list[Run], sheet: int) -> tuple[float, float] | None:
    """Median positions of the first (自然人) and last (总计) numbers of the page's rows."""
    ends = [(r.tokens[0].x, r.tokens[-1].x) for r in rows if r.tokens[0].sheet == sheet and len(r.numbers) >= 2
            and r.tokens[0].kind == "num" and r.tokens[-1].kind == "num" and r.tokens[0].x is not None]
    if not ends:
        return None
    return statistics.median(a for a, _ in ends), statistics.median(b for _, b in ends)


def _header_centres(tokens: list[Token], rows: list[Run], run: Run) -> list[float] | None:
    """Column positions for `run` from the column labels: of its page's header, else of another page's
    header moved to where this page's first and last numbers sit (a table continued without its header)."""
    sheet = run.tokens[0].sheet
    own = _labels_on(tokens, rows, sheet)
    if own or run.tokens[0].x is None:
        return own
    for other in sorted({r.tokens[0].sheet for r in rows} - {sheet}):
        labels = _labels_on(tokens, rows, other)
        there, here = _span(rows, other), _span(rows, sheet)
        if labels and there and here and there[1] > there[0]:
            scale = (here[1] - here[0]) / (there[1] - there[0])
            return [here[0] + (x - there[0]) * scale for x in labels]
    return None


def _row_options(result: TableResult, placement: Placement, specs, cut: int | None = None,
                 tokens: list[Token] = ()) -> tuple[dict[tuple, list[Candidate]], set[tuple]]:
    """Candidate readings of each placed row, and the rows whose blank cells were placed by column position
    (of the rows that print every cell, else of the column labels)."""
    centres = column_centres([(run, APPLICANTS) for run in placement.rows.values()])
    kinds = kinds_of(APPLICANTS)
    options: dict[tuple, list[Candidate]] = {}
    by_column: set[tuple] = set()
    for j, run in placement.rows.items():
        spec = specs[j]
        found = readings(run, kinds)
        if found is None:
            result.unreadable(spec.name, f"一行的数字连在一起且过长（“{run.printed}”），无法拆分")
            continue
        # a row printing fewer cells than it has: its numbers placed by the sums (the row's own first)
        gaps = (gap_readings(run, kinds, APPLICANTS, sums_to_last) or gap_readings(run, kinds)) if j != cut else []
        if not found:
            placed = by_columns(run, APPLICANTS, centres.get((APPLICANTS, run.tokens[0].sheet))
                                or centres.get((APPLICANTS, -1)))
            if placed is None and gaps and not centres:
                # no row prints every cell: the column labels on the page say where the columns are (less
                # precisely: the sums still choose between this placement and the others)
                header = by_columns(run, APPLICANTS, _header_centres(tokens, list(placement.rows.values()), run),
                                    loose=True)
                if header is not None:
                    blank = tuple(k for k, v in enumerate(header.values) if v is None)
                    gaps = [Candidate(header.values, False, kinds, blank, -1), *gaps]
            if placed is None and gaps:
                options[spec.path] = gaps
                continue
            if placed is None:
                filled = len([t for t in run.tokens if t.filled])
                result.unreadable(spec.name, f"一行应有 {APPLICANTS} 个数，"
                                             f"{'找到' if filled > APPLICANTS else '只找到'} {filled} 个（{run.printed}）")
                continue
            found = [placed]
            by_column.add(spec.path)
        options[spec.path] = found + gaps
    return options, by_column
