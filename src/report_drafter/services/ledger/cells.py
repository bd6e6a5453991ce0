"""A report's table cells as the ledger keeps them: where (table, row, column), as printed, the value, what it means.

What a cell means is decided in one place (`meaning`), so the checker's own reading of blank cells can
take its place later. The import keeps a cell's value, not its text: a "/" or "—" cell reads as None like
an empty one, so today both are stored as blank (and `printed` is the value's text); `derived` (a total
the import worked out rather than read) is kept for when the import says so.
"""

from __future__ import annotations

from decimal import Decimal

from ...layout import describe

NUMBER, ZERO, BLANK, NOT_APPLICABLE, DERIVED = "number", "zero", "blank", "not_applicable", "derived"
MEANINGS = (NUMBER, ZERO, BLANK, NOT_APPLICABLE, DERIVED)
NOT_APPLICABLE_MARKS = frozenset({"/", "／", "—", "——", "-", "--", "－", "不适用"})
TABLES = ("active", "requests", "appeals")


def meaning(printed: str | None, value) -> str:
    """What a cell says: a number, zero, blank (nothing printed) or not applicable ("/", "—" printed)."""
    if printed is not None and printed.strip() in NOT_APPLICABLE_MARKS:
        return NOT_APPLICABLE
    if value is None:
        return BLANK
    return ZERO if value == 0 else NUMBER


def printed_of(value) -> str | None:
    """The text of a cell as read (the import keeps values, not the text: a blank or “/” cell reads as None)."""
    if value is None:
        return None
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def cell_rows(stats) -> list[dict]:
    """Every cell of tables 二, 三, 四 of a report's `model.Stats`: table, row, column, path, printed, value, meaning."""
    data = stats.model_dump(include=set(TABLES))
    rows: list[dict] = []

    def walk(node, path: tuple) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))
        else:
            table, row, column = describe(path)
            printed = printed_of(node)
            rows.append({"table_name": table, "row_label": row, "column_label": column,
                         "path": ".".join(map(str, path)), "printed": printed,
                         "value": None if node is None else Decimal(node), "meaning": meaning(printed, node)})

    for table in TABLES:
        walk(data[table], (table,))
    return rows
