"""Findings: one record type for everything a check has to say about a file.

A finding about a table cell carries the cell's stats.yaml path (its table, row and column are
derived from it); a finding about prose carries the sentence, the span of the number or phrase
in it and the section. Only the front-ends turn findings into text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .layout import describe, location

Severity = Literal["error", "warning"]

# category → Chinese name, in the order findings are listed
CATEGORIES = {"tables": "统计表", "numbers": "数字核对", "structure": "结构完整", "copying": "雷同",
              "substance": "内容实质", "style": "文风格式", "leakage": "提示词混入",
              "repetition": "重复", "notes": "工作记录"}

FIELDS = ("severity", "category", "kind", "file", "page", "line", "section", "table", "row", "column", "rule", "text",
          "found", "expected", "source", "ocr", "message")
TABLE_FIELDS = ("severity", "file", "line", "table", "row", "column", "rule", "expected", "found", "message")


@dataclass(kw_only=True)
class Finding:
    """One thing a check found: where it is, what was expected and found, and what to do."""

    severity: Severity
    message: str
    category: str = "tables"
    kind: str = ""                      # what kind of finding within its category (contradiction, table, rule …)
    file: str = ""
    line: int | None = None             # in a PDF: the line on `page`
    page: int | None = None             # of a PDF
    section: str = ""                   # section key of the report (overview, problems …) for prose findings
    path: tuple = ()                    # stats.yaml key path of a table cell
    text: str = ""                      # the sentence or table row the finding is about
    span: tuple[int, int] = (0, 0)      # of the number or phrase inside `text`
    found: str | None = None
    expected: str | None = None
    source: str | None = None           # where the expected value comes from
    rule: str = ""                      # number of the format's rule (FORMAT.md), for table findings
    offset: int = -1                    # of the text in the checked document (to map lines back to a source file)
    ocr: bool = False                   # about a cell read by OCR from a scanned page (it may be misread)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def where(self) -> str:
        """“2024/stats.yaml:54 表三 （七）总计 · 自然人”: file, line and table cell, as far as known."""
        if self.page is not None:
            place = f"{self.file}（第 {self.page} 页第 {self.line} 行）" if self.line else f"{self.file}（第 {self.page} 页）"
        else:
            place = f"{self.file}:{self.line}" if self.file and self.line else self.file
        return " ".join(p for p in (place, location(self.path)) if p)

    def __str__(self) -> str:
        where = self.where
        return f"{where}：{self.message}" if where else self.message

    def as_dict(self, fields: tuple[str, ...] = FIELDS) -> dict:
        """The JSON form (check, import, audit); `validate` lists only TABLE_FIELDS."""
        table, row, column = describe(self.path)
        full = {
            "severity": self.severity, "category": self.category, "kind": self.kind or None,
            "file": self.file, "page": self.page, "line": self.line, "section": self.section or None,
            "table": table or None, "row": row or None, "column": column or None, "rule": self.rule or None,
            "text": self.text, "found": self.found, "expected": self.expected, "source": self.source,
            "ocr": self.ocr, "message": str(self),
        }
        return full if fields is FIELDS else {key: full[key] for key in fields}


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning"]
