"""Totals of the statistics tables computed from their parts, for filling in on request.

Rule 3 (each row of table 三: 总计 is the sum of the applicant columns), rule 2 (（七）总计 is the
sum of the 办理结果 rows) and rule 4 (each group of table 四: 总计 is the sum of the four results).
Rule 1 (一 + 二 = 七 + 四) gives 结转下年度 as 一 + 二 − 七 per column: `fill_carried_forward`, for the
workbench's live totals (a published table is imported as printed, so `fill_totals` leaves it alone).
"""

from __future__ import annotations

from .layout import APPEAL_GROUPS, table3_rows
from .model import TOTAL_COLUMN, Stats, get_path
from .rules import outcome_rows

Change = tuple[tuple, object, int]      # (stats path, old value, new value)


def _sum(values) -> int:
    return sum(v or 0 for v in values)


def fill_totals(stats: Stats) -> tuple[Stats, list[Change]]:
    """A copy of `stats` with every total computed from its parts, and the cells that changed."""
    new = stats.model_copy(deep=True)
    changes: list[Change] = []

    def put(row: list, index: int, path: tuple, value: int) -> None:
        if row[index] != value:
            changes.append(((*path, index), row[index], value))
            row[index] = value

    single = isinstance(new.requests.outcomes.other, list)
    total_path = ("requests", "outcomes", "total")
    for spec in table3_rows(single):
        if spec.path != total_path:
            row = get_path(new, spec.path)
            put(row, TOTAL_COLUMN, spec.path, _sum(row[:TOTAL_COLUMN]))
    rows = [row for _, row in outcome_rows(new)]
    total = new.requests.outcomes.total
    for col in range(TOTAL_COLUMN):
        put(total, col, total_path, _sum(row[col] for row in rows))
    put(total, TOTAL_COLUMN, total_path, _sum(total[:TOTAL_COLUMN]))
    for key, _ in APPEAL_GROUPS:
        group = getattr(new.appeals, key)
        value = _sum((group.upheld, group.corrected, group.other, group.pending))
        if group.total != value:
            changes.append((("appeals", key, "total"), group.total, value))
            group.total = value
    return new, changes


def fill_carried_forward(stats: Stats) -> list[Change]:
    """Set 四、结转下年度继续办理 to 一 + 二 − （七）总计 in each column (in place); the cells changed.

    A column whose parts are blank, or whose result would be negative, is left as it is (the rules report it).
    """
    requests = stats.requests
    changes: list[Change] = []
    for col, now in enumerate(requests.carried_forward):
        parts = (requests.new[col], requests.carried_over[col], requests.outcomes.total[col])
        if None in parts or parts[0] + parts[1] - parts[2] < 0:
            continue
        value = parts[0] + parts[1] - parts[2]
        if now != value:
            changes.append((("requests", "carried_forward", col), now, value))
            requests.carried_forward[col] = value
    return changes


def computed_paths(stats: Stats) -> set[tuple]:
    """The cells the workbench computes while totals are live: every total and 结转下年度."""
    paths = {("requests", "carried_forward", col) for col in range(len(stats.requests.carried_forward))}
    single = isinstance(stats.requests.outcomes.other, list)
    paths |= {(*spec.path, TOTAL_COLUMN) for spec in table3_rows(single)}
    paths |= {("requests", "outcomes", "total", col) for col in range(TOTAL_COLUMN + 1)}
    paths |= {("appeals", key, "total") for key, _ in APPEAL_GROUPS}
    return paths
