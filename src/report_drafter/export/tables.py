"""Tables 二, 三, 四 as grids of merged cells in the official layout, built from the statistics.

The layout follows the 2021 format's Word attachment (国办公开办函〔2021〕30号); labels come from
`layout`. Word, HTML and Excel output all draw these same grids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .. import layout
from ..facts import number_text
from ..model import TOTAL_COLUMN, Stats, get_path

from ..layout import (  # noqa: F401  (re-exported for the renderers)
    APPLICANTS, BALANCE_NOTE, CONTENT, DOCUMENTS_CLAUSE, FEES_CLAUSE, LEGAL_PERSONS, PROCUREMENT_CLAUSE,
)

Range = tuple[tuple[int, int], tuple[int, int]]
_NUMBERED = re.compile(r"^(（[一二三四五六七八九十]）)(.+)$")


@dataclass(frozen=True)
class Cell:
    """One (possibly merged) cell; `path` names the stats value it shows, `sums` the cells it totals."""

    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1
    kind: str = "label"          # head | label | value | total
    path: tuple = ()
    value: int | Decimal | None = None
    sums: Range | None = None    # ((first row, first col), (last row, last col)) of a total

    @property
    def is_number(self) -> bool:
        return self.kind in ("value", "total")

    @property
    def lines(self) -> list[str]:
        """Text lines: a tall group label breaks after its number, “（三）” over “不予公开”."""
        match = _NUMBERED.match(self.text)
        return list(match.groups()) if match and self.rows > 1 else [self.text]


@dataclass(frozen=True)
class Grid:
    key: str                     # section key: active | requests | appeals
    name: str                    # 表二 …
    widths: tuple[int, ...]      # relative column widths (twips of the official attachment)
    cells: tuple[Cell, ...]
    header_rows: int = 0         # rows to repeat when the table breaks across pages

    @property
    def n_rows(self) -> int:
        return max(c.row + c.rows for c in self.cells)

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, left to right."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[cell.row].append(cell)
        return out

    def numbers(self) -> list[Cell]:
        return [c for c in self.cells if c.is_number]


def _number(stats: Stats, row: int, col: int, path: tuple, cols: int = 1, sums: Range | None = None) -> Cell:
    value = get_path(stats, path)
    return Cell(row, col, "" if value is None else number_text(value), cols=cols, kind="total" if sums else "value", path=path,
                value=value, sums=sums)


# ---------- table 二 ----------

def _active_blocks(stats: Stats) -> list[tuple[str, list[str], list[tuple[str, list[tuple]]]]]:
    """(clause, column labels, [(row label, value paths)]) blocks of table 二 in printed order."""
    if stats.format == "2019":
        item_blocks: dict[str, list] = {}
        for key, label, clause in layout.ITEM_ROWS_2019:
            item_blocks.setdefault(clause, []).append((label, [("active", key, c) for c, _ in layout.ITEM_COLUMNS_2019]))
        return [
            (DOCUMENTS_CLAUSE, [l for _, l in layout.DOCUMENT_COLUMNS_2019],
             [(label, [("active", key, c) for c, _ in layout.DOCUMENT_COLUMNS_2019])
              for key, label in layout.DOCUMENT_ROWS_2019]),
            *((clause, [l for _, l in layout.ITEM_COLUMNS_2019], rows) for clause, rows in item_blocks.items()),
            (FEES_CLAUSE, [l for _, l in layout.ITEM_COLUMNS_2019[:2]],
             [(layout.FEES_LABEL, [("active", "fees", c) for c, _ in layout.ITEM_COLUMNS_2019[:2]])]),
            (PROCUREMENT_CLAUSE, [l for _, l in layout.PROCUREMENT_COLUMNS_2019],
             [(layout.describe(("active", "procurement"))[1],
               [("active", "procurement", c) for c, _ in layout.PROCUREMENT_COLUMNS_2019])]),
        ]
    decision_blocks: dict[str, list] = {}
    for key, label, clause in layout.DECISION_ROWS:
        decision_blocks.setdefault(clause, []).append((label, [("active", key)]))
    return [
        (DOCUMENTS_CLAUSE, [l for _, l in layout.DOCUMENT_COLUMNS],
         [(label, [("active", key, c) for c, _ in layout.DOCUMENT_COLUMNS]) for key, label in layout.DOCUMENT_ROWS]),
        *((clause, [layout.DECISIONS_COLUMN], rows) for clause, rows in decision_blocks.items()),
        (FEES_CLAUSE, [layout.FEES_COLUMN], [(layout.FEES_LABEL, [("active", "fees")])]),
    ]


def _spread(items: list, width: int) -> list[tuple[int, int, object]]:
    """(col, colspan, item) placing items from column 1, the last one spanning to `width`."""
    return [(1 + i, width - i if i == len(items) - 1 else 1, item) for i, item in enumerate(items)]


def table2_grid(stats: Stats) -> Grid:
    """Table 二: one block per clause of 第二十条, each with its own column headers."""
    width, cells, row = 3, [], 0
    for clause, columns, rows in _active_blocks(stats):
        cells.append(Cell(row, 0, clause, cols=width + 1, kind="head"))
        cells.append(Cell(row + 1, 0, CONTENT, kind="head"))
        cells += [Cell(row + 1, col, label, cols=span, kind="head") for col, span, label in _spread(columns, width)]
        row += 2
        for label, paths in rows:
            cells.append(Cell(row, 0, label))
            cells += [_number(stats, row, col, path, cols=span) for col, span, path in _spread(paths, width)]
            row += 1
    return Grid("active", layout.TABLE_NAMES["active"], (2435,) * 4, tuple(cells))


# ---------- table 三 ----------

def table3_grid(stats: Stats) -> Grid:
    """Table 三: 25 rows (or 23 with a single （六）其他处理) under a three-row applicant header."""
    single = isinstance(stats.requests.outcomes.other, list)
    specs = layout.table3_rows(single)
    outcomes = [s for s in specs if s.path[1] == "outcomes"]
    head = 3
    cells = [
        Cell(0, 0, BALANCE_NOTE, rows=head, cols=3, kind="head"),
        Cell(0, 3, APPLICANTS, cols=7, kind="head"),
        Cell(1, 3, layout.APPLICANT_COLUMNS[0], rows=2, kind="head"),
        Cell(1, 4, LEGAL_PERSONS, cols=5, kind="head"),
        Cell(1, 9, layout.APPLICANT_COLUMNS[TOTAL_COLUMN], rows=2, kind="head"),
        *(Cell(2, 4 + i, label, kind="head") for i, label in enumerate(layout.APPLICANT_COLUMNS[1:TOTAL_COLUMN])),
    ]
    first_outcome = head + specs.index(outcomes[0])
    parts = (first_outcome, first_outcome + len(outcomes) - 2)   # outcome rows that add up to （七）总计
    seen_groups: set[str] = set()
    for i, spec in enumerate(specs):
        row = head + i
        if spec.path[1] != "outcomes":
            cells.append(Cell(row, 0, spec.label, cols=3))
        elif spec.label[:1].isdigit():
            if spec.group not in seen_groups:
                seen_groups.add(spec.group)
                size = sum(1 for s in specs if s.group == spec.group)
                cells.append(Cell(row, 1, spec.group, rows=size, kind="head"))
            cells.append(Cell(row, 2, spec.label))
        else:
            cells.append(Cell(row, 1, spec.label, cols=2))
        if spec is outcomes[0]:
            cells.append(Cell(row, 0, spec.group, rows=len(outcomes), kind="head"))
        is_total_row = spec.path[-1] == "total"
        for col in range(len(layout.APPLICANT_COLUMNS)):
            if col == TOTAL_COLUMN:
                sums = ((row, 3), (row, 3 + TOTAL_COLUMN - 1))
            else:
                sums = ((parts[0], 3 + col), (parts[1], 3 + col)) if is_total_row else None
            cells.append(_number(stats, row, 3 + col, (*spec.path, col), sums=sums))
    # labels one line where possible, four digits per count, five in 总计
    widths = (460, 980, 3164) + (590,) * TOTAL_COLUMN + (700,)
    return Grid("requests", layout.TABLE_NAMES["requests"], widths, tuple(cells), header_rows=head)


# ---------- table 四 ----------

_QUALIFIED = re.compile(r"^(.+?)（(.+)）$")


def table4_grid(stats: Stats) -> Grid:
    """Table 四: 行政复议 and 行政诉讼 (未经复议直接起诉 / 复议后起诉) side by side, values in one row."""
    n = len(layout.APPEAL_COLUMNS)
    (_, review_label), *litigation = layout.APPEAL_GROUPS
    cells = [Cell(0, 0, review_label, cols=n, kind="head")]
    cells += [Cell(1, i, label, rows=2, kind="head") for i, (_, label) in enumerate(layout.APPEAL_COLUMNS)]
    for g, (_, label) in enumerate(litigation):
        outer, inner = _QUALIFIED.match(label).groups()
        start = n * (g + 1)
        if g == 0:
            cells.append(Cell(0, start, outer, cols=n * len(litigation), kind="head"))
        cells.append(Cell(1, start, inner, cols=n, kind="head"))
        cells += [Cell(2, start + i, col_label, kind="head") for i, (_, col_label) in enumerate(layout.APPEAL_COLUMNS)]
    for g, (key, _) in enumerate(layout.APPEAL_GROUPS):
        for i, (column, _) in enumerate(layout.APPEAL_COLUMNS):
            col = n * g + i
            sums = ((3, n * g), (3, col - 1)) if column == "total" else None
            cells.append(_number(stats, 3, col, ("appeals", key, column), sums=sums))
    widths = (650,) * (n * len(layout.APPEAL_GROUPS))
    return Grid("appeals", layout.TABLE_NAMES["appeals"], widths, tuple(cells), header_rows=3)


def table_grids(stats: Stats) -> dict[str, Grid]:
    """The grids of tables 二, 三, 四 keyed by their section."""
    return {g.key: g for g in (table2_grid(stats), table3_grid(stats), table4_grid(stats))}
