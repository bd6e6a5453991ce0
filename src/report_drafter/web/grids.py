"""The statistics tables as the editor shows them: the official grids, one value per stats.yaml path.

Tables 二, 三 and 四 are export.tables' grids (the merged-cell layout of the official form); the
信息处理费 of section 六 gets a small grid of its own. A cell's stats path travels through the page
as dotted text (“requests.outcomes.total.6”).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal, InvalidOperation

from .. import layout
from ..findings import Finding
from ..export.tables import Cell, Grid, table_grids
from ..facts import number_text
from ..model import Stats, get_path
from ..statsfile import MONEY_PATHS

FEES_PATHS = (("processing_fees", "cases"), ("processing_fees", "amount_yuan"))
OPTIONAL_PATHS = {("processing_fees", "cases")}
_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^\d+(\.\d{1,4})?$")


class CellValueError(ValueError):
    """What was typed into a cell cannot be its value; the message says what is needed."""


def dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def parse_path(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in text.split("."))


def cell_id(path: tuple) -> str:
    return "c-" + "-".join(str(p) for p in path)


def fees_grid(stats: Stats) -> Grid:
    """信息处理费: 收费件数 and 收费金额（元）, as reported in section 六."""
    fees = stats.processing_fees
    cells = (
        Cell(0, 0, "收费件数", kind="head"), Cell(0, 1, "收费金额（元）", kind="head"),
        Cell(1, 0, "" if fees.cases is None else number_text(fees.cases), kind="value", path=FEES_PATHS[0],
             value=fees.cases),
        Cell(1, 1, number_text(fees.amount_yuan), kind="value", path=FEES_PATHS[1], value=fees.amount_yuan),
    )
    return Grid("processing_fees", layout.TABLE_NAMES["processing_fees"], (2435, 2435), cells)


def editor_grids(stats: Stats) -> list[Grid]:
    """表二, 表三, 表四 and 信息处理费, in the order of the report."""
    return [*table_grids(stats).values(), fees_grid(stats)]


def editable_paths(stats: Stats) -> set[tuple]:
    return {cell.path for grid in editor_grids(stats) for cell in grid.numbers()}


@lru_cache(maxsize=1024)
def cell_label(path: tuple) -> str:
    """“表三 （七）总计 · 自然人”."""
    return layout.location(path)


def short_label(path: tuple) -> str:
    """A cell named briefly, as a typed cell's note lists what it broke: “总计”, “（七）总计”, “结转”."""
    if path[:2] == ("requests", "carried_forward"):
        return "结转"
    if path[:3] == ("requests", "outcomes", "total"):
        return "（七）总计"
    if path[0] == "requests" and path[-1] == 6 or path[0] == "appeals" and path[-1] == "total":
        return "总计"
    return cell_label(path)


def parse_value(path: tuple, text: str) -> int | Decimal | None:
    """The value typed into the cell at `path` (full-width digits and thousands separators accepted)."""
    text = unicodedata.normalize("NFKC", text or "").strip().replace(",", "").replace(" ", "")
    if not text:
        if path in OPTIONAL_PATHS:
            return None
        raise CellValueError("请填写数字；没有的填 0")
    if path in MONEY_PATHS:
        if not _DECIMAL.match(text):
            raise CellValueError("应为不小于 0 的金额，可带最多 4 位小数，如 12.5")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise CellValueError("应为金额，如 12.5") from None
    if not _INTEGER.match(text):
        raise CellValueError("应为整数，如 12")
    value = int(text)
    if value < 0 and path[-1] != "change":
        raise CellValueError("不能为负数")
    return value


def with_value(stats: Stats, path: tuple, value) -> Stats:
    """A copy of `stats` with one cell changed (validated like stats.yaml)."""
    data = stats.model_dump()
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return type(stats).model_validate(data)


def shown(stats: Stats, path: tuple) -> str:
    value = get_path(stats, path)
    return "" if value is None else number_text(value)


@dataclass
class CellMark:
    severity: str
    message: str


def cell_marks(problems: list[Finding], paths: set[tuple]) -> dict[str, CellMark]:
    """The problem shown on each cell (errors before warnings), by dotted path."""
    marks: dict[str, CellMark] = {}
    for p in sorted(problems, key=lambda p: p.severity != "error"):
        if p.path in paths and dotted(p.path) not in marks:
            marks[dotted(p.path)] = CellMark(p.severity, p.message)
    return marks
