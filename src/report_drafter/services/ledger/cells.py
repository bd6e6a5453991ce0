"""A report's table cells as the ledger keeps them: where (table, row, column), as printed, the value, what it means.

What a cell means is decided in one place (`report_drafter.cells`, the checker's own reading): a printed number,
a printed 0, blank, not applicable (“/”, “—” printed) or derived (a blank cell the table's own sums fill in, stored
with the value the checks use).
"""

from __future__ import annotations

from decimal import Decimal

from ...layout import describe
from ...model import table_cells

NUMBER, ZERO, BLANK, NOT_APPLICABLE, DERIVED = "number", "zero", "blank", "not_applicable", "derived"
MEANINGS = (NUMBER, ZERO, BLANK, NOT_APPLICABLE, DERIVED)


def meaning(printed: str | None, value, derived=None) -> str:
    """What a cell says: a number, zero, blank (nothing printed), not applicable ("/", "—" printed) or derived."""
    from ...cells import meaning as cell_meaning

    return cell_meaning(value, printed, derived)


def printed_of(value) -> str | None:
    """The text of a cell as read (the import keeps values, not the text: a blank or “/” cell reads as None)."""
    if value is None:
        return None
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def cell_rows(stats, marks: dict | None = None) -> list[dict]:
    """Every cell of tables 二, 三, 四 of a report's `model.Stats`: table, row, column, path, printed, value, meaning
    (`marks`: what the report printed in cells it left blank, by path)."""
    from ...cells import derive

    _, derived = derive(stats)
    marks = marks or {}
    rows: list[dict] = []
    for path, node in table_cells(stats):
        table, row, column = describe(path)
        printed = printed_of(node) if node is not None else marks.get(path)
        filled = derived.get(path)
        value = node if node is not None else filled.value if filled else None
        rows.append({"table_name": table, "row_label": row, "column_label": column,
                     "path": ".".join(map(str, path)), "printed": printed,
                     "value": None if value is None else Decimal(value), "meaning": meaning(printed, node, filled)})
    return rows
