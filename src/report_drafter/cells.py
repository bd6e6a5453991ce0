"""What each table cell means: a printed number, a printed 0, blank, not applicable (“/”, “—”), or derived.

Published tables often leave cells blank that their own sums determine: every 总计 of a 2019-format
table, or the 法人或其他组织 columns of a web table. A blank is not a number, but it is not unknown either:

- a blank 总计 whose parts are all printed is their sum (“总计栏空白，按各列之和 131 件计”);
- a blank part of a row whose printed 总计 equals the sum of its printed parts is 0;
- a blank 办理结果 （七）总计 cell whose outcome rows are all printed in that column is their sum.

`derive(stats)` gives the stats with those cells filled in and what was derived, so checks use the values
and say where they came from; the stats as printed (stats.yaml) keep their blanks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from . import layout
from .model import TOTAL_COLUMN, Stats, get_path, set_path

MEANINGS = {
    "number": "印有数字",
    "zero": "印有 0",
    "blank": "空白",
    "not_applicable": "不适用（印为“/”或“—”）",
    "derived": "空白，按合计关系推得",
}
NOT_APPLICABLE_MARKS = frozenset({"/", "／", "\\", "-", "--", "—", "——", "–", "―", "－", "×", "//", "不适用"})

_APPEAL_PARTS = ("upheld", "corrected", "other", "pending")


@dataclass(frozen=True)
class Derived:
    """A blank cell whose value the table's own sums give."""

    path: tuple
    value: int
    note: str           # how, in Chinese: “总计栏空白，按各列之和 131 件计”


def meaning(value: object, printed: str | None = None, derived: Derived | None = None) -> str:
    """The key in MEANINGS of a cell with `value` (None: blank) as printed (`printed`: the text, when known)."""
    if derived is not None:
        return "derived"
    if value is None:
        return "not_applicable" if printed and printed.strip() in NOT_APPLICABLE_MARKS else "blank"
    return "zero" if value == 0 else "number"


def _table3_rows(stats: Stats) -> Iterator[tuple]:
    """The stats path of every 7-cell row of table 三."""
    for spec in layout.table3_rows(not hasattr(stats.requests.outcomes.other, "no_correction")):
        yield spec.path


def _outcome_rows(stats: Stats) -> list[tuple]:
    return [p for p in _table3_rows(stats) if p[:2] == ("requests", "outcomes") and p[2] != "total"]


def derive(stats: Stats) -> tuple[Stats, dict[tuple, Derived]]:
    """`stats` with its derivable blank cells filled in (a copy when any is), and what was derived, by path."""
    if not _has_blank(stats):
        return stats, {}
    filled = stats.model_copy(deep=True)
    found: dict[tuple, Derived] = {}
    for _ in range(2):          # a column sum may complete a row, and a row a column
        for path in _table3_rows(filled):
            _row(filled, [(*path, c) for c in range(TOTAL_COLUMN)], (*path, TOTAL_COLUMN), "各列", found)
        for column in range(TOTAL_COLUMN + 1):
            parts = [(*p, column) for p in _outcome_rows(filled)]
            _row(filled, parts, ("requests", "outcomes", "total", column), "各项办理结果", found)
        for key, _ in layout.APPEAL_GROUPS:
            _row(filled, [("appeals", key, c) for c in _APPEAL_PARTS], ("appeals", key, "total"), "各项结果",
                 found)
    return filled, found


def _has_blank(stats: Stats) -> bool:
    return any(v is None for p in _table3_rows(stats) for v in get_path(stats, p)) or any(
        getattr(getattr(stats.appeals, key), c) is None for key, _ in layout.APPEAL_GROUPS
        for c in (*_APPEAL_PARTS, "total"))


def _row(stats: Stats, parts: list[tuple], total_path: tuple, what: str, found: dict[tuple, Derived]) -> None:
    """Fill a blank total from its printed parts, or blank parts with 0 when the printed total is already reached."""
    values = [get_path(stats, p) for p in parts]
    total = get_path(stats, total_path)
    blanks = [p for p, v in zip(parts, values) if v is None]
    if total is None and not blanks:
        value = sum(values)
        set_path(stats, total_path, value)
        found[total_path] = Derived(total_path, value, f"总计栏空白，按{what}之和 {value} 件计")
    elif total is not None and blanks and sum(v for v in values if v is not None) == total:
        for path in blanks:
            set_path(stats, path, 0)
            found[path] = Derived(path, 0, f"单元格空白，本行总计 {total} 件已等于其余各项之和，按 0 计")


def cell_list(stats: Stats, printed: dict[tuple, str] | None = None) -> list[dict]:
    """Every cell of tables 三 and 四 that is not a printed number: its path, meaning, printed text and the value
    used (for `import --json`)."""
    printed = printed or {}
    _, derived = derive(stats)
    out = []
    paths = [(*p, c) for p in _table3_rows(stats) for c in range(TOTAL_COLUMN + 1)]
    paths += [("appeals", key, c) for key, _ in layout.APPEAL_GROUPS for c in (*_APPEAL_PARTS, "total")]
    for path in paths:
        value = get_path(stats, path)
        if value is not None:
            continue
        d = derived.get(path)
        out.append({"path": ".".join(map(str, path)), "where": layout.location(path),
                    "meaning": meaning(value, printed.get(path), d), "printed": printed.get(path, ""),
                    "value": d.value if d else None, "note": d.note if d else ""})
    return out
