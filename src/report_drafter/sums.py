"""Statistics tables added up: many agencies' tables of one year and format summed into one (a whole-city report).

A blank cell (printed blank or “/”) counts as 0 and is listed. Table 三's “（六）其他处理” is summed
in the shape of the format: three rows in the 2021 format (a report printing one row has it counted
under “3.其他”), one row in the 2019 format (a report printing three rows has them added together).
Totals are then computed from their parts (`totals.fill_totals`), so the sum is consistent even
when a report's own totals are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import FORMATS, Stats
from .totals import fill_totals

TABLES = ("active", "requests", "appeals")


@dataclass
class Summed:
    """The sum, and what was approximated on the way."""

    stats: Stats
    blanks: list[tuple[int, tuple]] = field(default_factory=list)    # (index of the item, cell path) counted as 0
    reshaped: list[int] = field(default_factory=list)                # items whose （六） rows differ from the format


def sum_stats(items: list[tuple[Stats, tuple[str, ...]]], fmt: str, year: int, agency: str = "") -> Summed:
    """Add up the `tables` (of TABLES) of each (stats, tables) item; every stats must be of format `fmt`."""
    data = {key: _zero(value) for key, value in FORMATS[fmt](year=year).model_dump().items() if key in TABLES}
    single = isinstance(data["requests"]["outcomes"]["other"], list)
    summed = Summed(FORMATS[fmt](year=year, agency=agency))
    for index, (stats, tables) in enumerate(items):
        source = stats.model_dump()
        for key in tables:
            part = source[key]
            if key == "requests":
                part = _other_as(part, single)
                if part is not source[key]:
                    summed.reshaped.append(index)
            _add(data[key], part, (key,), lambda path, i=index: summed.blanks.append((i, path)))
    result = FORMATS[fmt].model_validate({**summed.stats.model_dump(), **data})
    summed.stats, _ = fill_totals(result)
    return summed


def _zero(node):
    if isinstance(node, dict):
        return {k: _zero(v) for k, v in node.items()}
    if isinstance(node, list):
        return [0] * len(node)
    return 0 if not isinstance(node, str) else node


def _other_as(requests: dict, single: bool) -> dict:
    """Table 三 with its （六） rows in the shape wanted: one row, or three with a single row under “3.其他”."""
    other = requests["outcomes"]["other"]
    if isinstance(other, list) == single:
        return requests
    if single:
        rows = list(other.values())
        merged = [None if all(r[c] is None for r in rows) else sum(r[c] or 0 for r in rows) for c in range(len(rows[0]))]
    else:
        merged = {"no_correction": [0] * len(other), "fee_unpaid": [0] * len(other), "other": other}
    return {**requests, "outcomes": {**requests["outcomes"], "other": merged}}


def _add(target, value, path: tuple, blank) -> None:
    """Add `value` into `target` (same shape) in place; a None cell counts 0 and is reported to `blank`."""
    items = target.items() if isinstance(target, dict) else enumerate(target)
    for key, current in list(items):
        part = value[key]
        if isinstance(current, (dict, list)):
            _add(current, part, (*path, key), blank)
        elif part is None:
            blank((*path, key))
        else:
            target[key] = current + part
