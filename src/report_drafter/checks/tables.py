"""The tables of a report: a draft's tables against stats.yaml, and a published report's own rule violations."""

from __future__ import annotations

import re

from .. import document, rendering
from ..findings import Finding
from .result import CheckReport

TABLE_SECTIONS = ("active", "requests", "appeals")


def _table_expectations(stats) -> dict[str, list[str]]:
    """Row label → expected cells, for every row draft tables render."""
    expected: dict[str, list[str]] = {}
    for table in (rendering.table2(stats), rendering.table3(stats), rendering.table4(stats)):
        for _, cells in rendering.table_rows(table, 0):
            if cells and cells[1:] and all(re.fullmatch(r"-?[\d.]+", c) for c in cells[1:]):
                expected[cells[0]] = cells[1:]
    return expected


def _table_finding(section: str, line: int, text: str, message: str, **fields) -> Finding:
    return Finding(severity="error", category="numbers", kind="table", section=section, line=line, text=text,
                   message=message, **fields)


def check_tables(text: str, stats) -> CheckReport:
    """Compare each table cell of sections 二–四 with stats.yaml (a clerk may edit tables by hand)."""
    report = CheckReport()
    doc = document.parse_document(text)
    expected = _table_expectations(stats)
    seen = set()
    for key in TABLE_SECTIONS:
        section = doc.sections.get(key)
        if section is None:
            report.findings.append(_table_finding(key, 1, document.HEADINGS[key], found="",
                                                  message=f"草稿缺少“{document.HEADINGS[key]}”及其表格"))
            continue
        header: list[str] = []
        for line, cells in rendering.table_rows(section.body, section.body_line):
            if cells[0] not in expected:
                header = cells
                continue
            seen.add(cells[0])
            for col, (got, want) in enumerate(zip(cells[1:], expected[cells[0]])):
                report.table_cells += 1
                if got.replace(",", "") != want:
                    column = header[col + 1] if len(header) > col + 1 else f"第{col + 2}列"
                    report.findings.append(_table_finding(
                        key, line, " | ".join(cells), found=got, expected=want,
                        source=f"stats.yaml {cells[0]} · {column}",
                        message=f"表格“{cells[0]} · {column}”填写为 {got}，stats.yaml 中为 {want}。"
                                "表格应由 stats.yaml 生成，请修改 stats.yaml 后运行 drafter generate"))
    if any(doc.sections.get(k) for k in TABLE_SECTIONS):
        for label in expected:
            if label not in seen:
                report.findings.append(_table_finding("requests", 1, label, found="",
                                                      message=f"草稿的表格中缺少“{label}”一行"))
    return report


def rule_findings(problems: list) -> list[Finding]:
    """A published report's own table problems (rule violations, blank cells) as findings of category tables."""
    return [Finding(severity=p.severity, category="tables", kind="rule", section="tables", line=p.line,
                    text=p.where, found=p.found or "", expected=p.expected, source=p.where, path=p.path,
                    rule=p.rule, message=p.message)
            for p in problems]
