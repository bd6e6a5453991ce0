"""The consistency rules of the format (勾稽关系, FORMAT.md rules 1–6 and 8).

A comparison that involves a blank cell (None: printed blank or not readable) is skipped; a
blank total whose parts are known is a warning, never a violation.
"""

from __future__ import annotations

import re

from .findings import Finding
from .layout import APPEAL_GROUPS, APPLICANT_COLUMNS, table3_rows
from .model import TOTAL_COLUMN, Stats, get_path

_OUT = ("requests", "outcomes")


def outcome_rows(stats: Stats) -> list[tuple[tuple, list[int]]]:
    """Every 办理结果 row that adds up to （七）总计, with its path."""
    single = isinstance(stats.requests.outcomes.other, list)
    return [
        (spec.path, get_path(stats, spec.path))
        for spec in table3_rows(single)
        if spec.path[:2] == _OUT and spec.path[2] != "total"
    ]


def check_stats(stats: Stats, prior: Stats | None = None, continuity: str = "error") -> list[Finding]:
    """All rule violations (errors) and plausibility warnings of one year's tables.

    `continuity` is the severity of a 上年结转 that does not continue last year's 结转下年度: an
    error in a workspace (both years are the clerk's own), a warning between two published reports.
    """
    problems = _row_sums(stats) + _column_sums(stats) + _balance(stats) + _appeals(stats)
    problems += _plausibility(stats)
    if prior is not None:
        problems += _across_years(stats, prior, continuity)
    return problems


def _known(values) -> bool:
    return all(v is not None for v in values)


def _blank_total(parts: int, path: tuple, rule: str, what: str) -> Finding:
    """A total printed blank while its parts are known: a warning, never a violation."""
    return Finding(severity="warning", message=f"总计为空（{what}为 {parts}）；正式报告中应填写", path=path, expected=str(parts),
                   found="", rule=rule)


def _row_sums(stats: Stats) -> list[Finding]:
    """Rule 3: every row of table 三, 自然人 … 其他 add up to 总计."""
    problems = []
    single = isinstance(stats.requests.outcomes.other, list)
    for spec in table3_rows(single):
        row = get_path(stats, spec.path)
        if not _known(row[:TOTAL_COLUMN]):
            continue
        parts = sum(row[:TOTAL_COLUMN])
        if row[TOTAL_COLUMN] is None:
            problems.append(_blank_total(parts, (*spec.path, TOTAL_COLUMN), "3", "自然人至其他各列之和"))
        elif parts != row[TOTAL_COLUMN]:
            problems.append(Finding(severity="error", message=f"自然人至其他各列之和为 {parts}，总计填写为 {row[TOTAL_COLUMN]}",
                                    path=(*spec.path, TOTAL_COLUMN), expected=str(parts), found=str(row[TOTAL_COLUMN]),
                                    rule="3"))
    return problems


def _column_sums(stats: Stats) -> list[Finding]:
    """Rule 2: in every column, （七）总计 is the sum of all 办理结果 rows."""
    problems = []
    rows = [row for _, row in outcome_rows(stats)]
    total = stats.requests.outcomes.total
    for col, name in enumerate(APPLICANT_COLUMNS):
        cells = [row[col] for row in rows]
        if not _known(cells):
            continue
        parts = sum(cells)
        if total[col] is None:
            problems.append(_blank_total(parts, (*_OUT, "total", col), "2", "各项办理结果之和"))
        elif parts != total[col]:
            problems.append(Finding(severity="error", message=f"各项办理结果之和为 {parts}，填写为 {total[col]}",
                                    path=(*_OUT, "total", col), expected=str(parts), found=str(total[col]), rule="2"))
    return problems


def _balance(stats: Stats) -> list[Finding]:
    """Rule 1: in every column, 一 + 二 = 三（七）总计 + 四 (skipped where a cell is blank)."""
    r = stats.requests
    problems = []
    for col in range(len(APPLICANT_COLUMNS)):
        cells = (r.new[col], r.carried_over[col], r.outcomes.total[col], r.carried_forward[col])
        if not _known(cells):
            continue
        received = r.new[col] + r.carried_over[col]
        handled = r.outcomes.total[col] + r.carried_forward[col]
        if received != handled:
            problems.append(Finding(severity="error",
                                    message=f"第一项加第二项之和为 {received}（{r.new[col]}+{r.carried_over[col]}），"
                                            f"第三项（七）总计加第四项之和为 {handled}（{r.outcomes.total[col]}+{r.carried_forward[col]}），两者应相等",
                                    path=("requests", "carried_forward", col), expected=str(received),
                                    found=str(handled), rule="1"))
    return problems


def _appeals(stats: Stats) -> list[Finding]:
    """Rule 4: in each group of table 四, the four results add up to 总计."""
    problems = []
    for key, _ in APPEAL_GROUPS:
        g = getattr(stats.appeals, key)
        cells = (g.upheld, g.corrected, g.other, g.pending)
        if not _known(cells):
            continue
        parts = sum(cells)
        if g.total is None:
            problems.append(_blank_total(parts, ("appeals", key, "total"), "4", "结果维持、结果纠正、其他结果、尚未审结之和"))
        elif parts != g.total:
            problems.append(Finding(severity="error", message=f"结果维持、结果纠正、其他结果、尚未审结之和为 {parts}，总计填写为 {g.total}",
                                    path=("appeals", key, "total"), expected=str(parts), found=str(g.total), rule="4"))
    return problems


_RULEMAKERS = re.compile(r"^(国务院|国家|中国)|[^区县]部$|委员会$|(省|自治区|市)人民政府(办公厅|办公室)?$")
_LOCAL = re.compile(r"县|乡|镇|街道|(?<!自治)区")


def may_make_rules(agency: str) -> bool:
    """Whether an agency can plausibly issue 规章 (State Council bodies, provinces, 设区的市)."""
    return bool(_RULEMAKERS.search(agency)) and not _LOCAL.search(agency)


def _plausibility(stats: Stats) -> list[Finding]:
    """Rule 8 (warnings): 规章 from a body without rule-making power; format not matching the year."""
    problems = []
    rules = stats.active.rules
    first = "issued" if stats.format == "2021" else "made"
    if stats.agency and any(v for v in rules.model_dump().values()) and not may_make_rules(stats.agency):
        problems.append(Finding(severity="warning",
                                message=f"“{stats.agency}”一般没有规章制定权（规章由国务院部门和省、设区的市人民政府制定），请核实规章一行是否应为 0",
                                path=("active", "rules", first), rule="8"))
    if stats.format == "2019" and stats.year >= 2021:
        problems.append(Finding(severity="warning", message=f"{stats.year} 年度报告应使用国办公开办函〔2021〕30号格式，这里为 2019 年试行格式",
                                path=("format",), expected="2021", found="2019", rule="8"))
    if stats.format == "2021" and stats.year < 2021:
        problems.append(Finding(severity="warning",
                                message=f"{stats.year} 年度报告使用的是 2019 年试行格式（国办公开办函〔2019〕60号），这里为 2021 年格式",
                                path=("format",), expected="2019", found="2021", rule="8"))
    return problems


def _across_years(stats: Stats, prior: Stats, continuity: str = "error") -> list[Finding]:
    """Rule 6: 上年结转 equals last year's 结转下年度; 现行有效件数 carries over (a warning)."""
    problems = []
    for col, name in enumerate(APPLICANT_COLUMNS):
        now, then = stats.requests.carried_over[col], prior.requests.carried_forward[col]
        if now is not None and then is not None and now != then:
            problems.append(Finding(severity=continuity,
                                    message=f"应等于 {prior.year} 年报告的“四、结转下年度继续办理”（{name}）{then}，填写为 {now}",
                                    path=("requests", "carried_over", col), expected=str(then), found=str(now),
                                    rule="6"))
    if stats.format == prior.format == "2021":
        for key in ("rules", "normative_documents"):
            now, then = getattr(stats.active, key), getattr(prior.active, key)
            if not _known((then.in_force, now.issued, now.repealed, now.in_force)):
                continue
            expected = then.in_force + now.issued - now.repealed
            if expected != now.in_force:
                problems.append(Finding(severity="warning",
                                        message=f"按 {prior.year} 年现行有效 {then.in_force} 件 + 本年制发 {now.issued} 件 − 本年废止 {now.repealed} 件"
                                                f"应为 {expected} 件，填写为 {now.in_force} 件（如有文件到期失效，可忽略本提示）",
                                        path=("active", key, "in_force"), expected=str(expected),
                                        found=str(now.in_force), rule="6"))
    return problems
