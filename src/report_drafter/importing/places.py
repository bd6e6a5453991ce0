"""Where a report's table cells were found: the line (or PDF page and line) of each row, the cells read by OCR."""

from __future__ import annotations

from ..model import Stats, table_cells
from . import sections as sec
from .lines import Source
from .result import TableResult


def row_places(source: Source, results: list[TableResult]) -> dict[tuple, tuple[int | None, int]]:
    """Where each table row read is printed: (None, line of a text file) or (page, line on the page) of a PDF."""
    first: dict[int | None, int] = {}
    for index, line in enumerate(source.lines):
        first.setdefault(line.page, index)
    places: dict[tuple, tuple[int | None, int]] = {}
    for result in results:
        for path, index in result.rows.items():
            line = source.lines[index]
            if line.page is not None:
                places[path] = (line.page, index - first[line.page] + 1)
            elif line.number is not None:
                places[path] = (None, line.number)
    return places


def ocr_read_cells(source: Source, structure: sec.Structure, stats: Stats) -> list[tuple]:
    """Paths of the table cells read from OCR lines: every cell of a table whose region holds a line read by OCR."""
    cells = []
    for key in ("active", "requests", "appeals"):
        region = structure.regions.get(key)
        if region and any(source.lines[i].ocr for i in range(*region)):
            cells += [path for path, _ in table_cells(stats, (key,))]
    return cells

