"""What every reader makes of a report file: lines of cells (a prose line is one cell; a table row one cell per table cell)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

KIND_NAMES = {
    "text": "网页复制文本",
    "layout": "版式文本（pdftotext -layout）",
    "pdf": "PDF",
    "html": "网页（HTML）",
    "docx": "Word 文档（.docx）",
}

# page numbers: "-1-", "- 4 -", "—3—", "第 2 页", "第2页 共6页"
PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)\s*$")


@dataclass
class Cell:
    text: str
    x: float | None = None      # horizontal centre (PDF points or text columns), when known


@dataclass
class Line:
    cells: list[Cell]
    number: int | None = None   # 1-based line number in a text file
    page: int | None = None     # 1-based page of a PDF
    indent: float = 0.0         # leading indentation in character widths (layout text, PDF)
    sheet: int = 0              # page of layout text or PDF (column positions are comparable within one)
    ruled: bool = True          # cell boundaries are printed (tabs, bars, table markup, column gaps)
    ocr: bool = False           # read by OCR from a page image (a scanned PDF page)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @cached_property
    def text(self) -> str:
        """The line as prose: non-empty cells joined by a space (worked out once: change cells by `set_cells`)."""
        return " ".join(c.text.strip() for c in self.cells if c.text.strip())

    def set_cells(self, cells: list[Cell]) -> None:
        self.cells = cells
        self.__dict__.pop("text", None)


@dataclass
class Source:
    file: str                   # name shown in messages
    kind: str                   # key of KIND_NAMES
    lines: list[Line]
    wrapped: bool = False       # prose is hard-wrapped (layout text, PDF): paragraphs by indentation
    pages: int | None = None
    title_hint: str = ""        # the page's own title element (HTML <h1>), when it names a report

    def where(self, line: Line) -> tuple[str, int | None]:
        """(file, line) for a Finding pointing at `line`."""
        if line.page is not None:
            return f"{self.file}（第 {line.page} 页）", None
        return self.file, line.number
