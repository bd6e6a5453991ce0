"""Table 四 (政府信息公开行政复议、行政诉讼情况): 15 cells, 行政复议 and the two kinds of 行政诉讼,
each 结果维持 / 结果纠正 / 其他结果 / 尚未审结 / 总计 (12 when a report prints no 总计 columns).

The values are one printed row (or one cell per line, or one row per group); glued digits are split
so that each group adds up to its 总计. Group and column order follow the header where it is legible.
"""

from __future__ import annotations

from typing import NamedTuple

from .. import layout
from ..findings import Finding
from . import vocabulary as voc
from .labels import norm
from .placement import place
from .result import TableResult, gap_readings, kinds_of, note_ambiguity, note_blanks, readings, warn
from .solver import Solution, solve, sums_to_last
from .lines import Source
from .splitting import Candidate, trim
from .tokens import Run, runs, tokenize


def _appeal_order(text: str, words: dict[str, tuple[str, ...]], keys: list[str]) -> list[int]:
    """Printed order of groups or columns from the header (official order when unsure)."""
    positions = []
    for key in keys:
        found = [text.find(norm(w)) for w in words[key] if text.find(norm(w)) >= 0]
        positions.append(min(found) if found else -1)
    if min(positions) < 0 or len(set(positions)) < len(positions):
        return list(range(len(keys)))
    return sorted(range(len(keys)), key=lambda k: positions[k])


def _group_sums_broken(values: dict) -> int:
    """Groups of a 15-cell reading whose four results do not add up to their 总计."""
    flat = values["all"]
    return sum(sums_to_last(flat[g * 5:(g + 1) * 5]) is False for g in range(3))


class Values(NamedTuple):
    run: Run                  # the run the values came from (the first, for a row per group)
    solution: Solution        # the reading chosen: key "all", 15 or 12 values
    per: int                  # cells per group: 5, or 4 without 总计
    by_rows: bool             # printed one row per group


def read_table4(source: Source, region: tuple[int, int] | None) -> TableResult:
    """Table 四 from the lines `region` of `source`."""
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
    run, solution, per, by_rows = chosen
    values = solution.chosen["all"].values
    if "复议" not in text:
        result.problems.append(Finding(severity="warning", message="表四中未找到“行政复议”“行政诉讼”等列标题，按官方列顺序读取",
                                       path=("appeals",), file=source.file))
    group_keys = [k for k, _ in layout.APPEAL_GROUPS]
    column_keys = [k for k, _ in layout.APPEAL_COLUMNS][:per]
    group_order = list(range(3)) if by_rows else _appeal_order(text, voc.APPEAL_GROUP_WORDS, group_keys)
    column_order = _appeal_order(text, voc.APPEAL_COLUMN_WORDS, column_keys)
    paths: list[tuple] = []
    for printed_group, group in enumerate(group_order):
        cells: dict = {k: None for k, _ in layout.APPEAL_COLUMNS}
        for printed_column, column in enumerate(column_order):
            cells[column_keys[column]] = values[printed_group * per + printed_column]
            paths.append(("appeals", group_keys[group], column_keys[column]))
        result.data[("appeals", group_keys[group])] = cells
        result.rows[("appeals", group_keys[group])] = run.tokens[0].line
    gaps = bool(solution.chosen["all"].gaps)
    if not by_rows:
        note_blanks(result, source, run, values, paths, by_column=gaps)
    ties = solution.ties.get("all")
    if ties and (solution.chosen["all"].split or gaps):
        reason = "按各类合计关系仍有多种拆分" if per == 5 and not solution.violations else "无法据合计关系确定拆分"
        note_ambiguity(result, source, run, ("appeals",), "表四", solution.chosen["all"], ties, reason)
    result.cells_read = 15 if per == 5 else 12
    if per == 4:
        result.appeal_totals = False
        result.cells_expected = 12
        warn(result, source, run.tokens[0], ("appeals",),
              "表四没有印“总计”列（每类只有结果维持、结果纠正、其他结果、尚未审结 4 项），总计记为空白")
        result.layout = "表四未印总计列（每类 4 项）"
    else:
        result.layout = "表四每类 5 项（含总计）"
    return result


def _appeals_single(all_runs: list[Run], header_totals: bool) -> Values | None:
    """The 15 values (12 without 总计 columns) printed as one row or one cell per line; the fullest run wins."""
    ranked = sorted(reversed(all_runs), key=lambda r: -sum(t.filled for t in r.tokens))
    valued = [r for r in all_runs if r.has_values]
    if len(valued) > 1:
        # the values wrapped over several printed lines
        ranked.append(Run([t for r in valued for t in r.tokens], valued[0].own, valued[0].above))
    fallback = None
    for strict in (True, False):
        for run in ranked:
            found = readings(run, kinds_of(15), 5, sums_to_last) or readings(run, kinds_of(15))
            if found:
                solution = solve({"all": found}, None, _group_sums_broken)
                if solution.violations == 0 or len(trim(run.tokens, 15)) == 15 or not strict:
                    return Values(run, solution, 5, False)
                fallback = fallback or Values(run, solution, 5, False)
            found = readings(run, kinds_of(12))
            if found and (len(trim(run.tokens, 12)) == 12 or not header_totals or not strict):
                return Values(run, solve({"all": found}), 4, False)
        if fallback:
            return fallback
    # fewer numbers than cells, blank cells not printed: placed so that each group adds up to its 总计
    for run in ranked:
        found = gap_readings(run, kinds_of(15), 5, sums_to_last)
        if found:
            return Values(run, solve({"all": found}, None, _group_sums_broken), 5, False)
    return None


def _appeals_by_rows(all_runs: list[Run]) -> Values | None:
    """Transposed layout: one row per group (行政复议 / 未经复议直接起诉 / 复议后起诉) with 5 values."""
    words = tuple(voc.RowWords(("appeals", key), label, (), voc.APPEAL_GROUP_WORDS[key])
                  for key, label in layout.APPEAL_GROUPS)
    placement = place(all_runs, words, lambda run, j: bool(readings(run, kinds_of(5))), ordered=False)
    if len(placement.rows) != 3 or placement.by_order:
        return None
    flat: list = []
    split = False
    for j in range(3):
        found = readings(placement.rows[j], kinds_of(5))
        solution = solve({"row": found}, lambda key, values: sums_to_last(values))
        flat += solution.chosen["row"].values
        split = split or solution.chosen["row"].split
    candidate = Candidate(tuple(flat), split)
    return Values(placement.rows[0], Solution({"all": candidate}), 5, True)
