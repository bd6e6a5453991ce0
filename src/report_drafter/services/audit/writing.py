"""The files an audit writes: index.html, summary.xlsx, findings.json and aggregate.stats.yaml."""

from __future__ import annotations

import io
import json
from pathlib import Path

from ...findings import CATEGORIES
from ...workspace import atomic_write_bytes
from .aggregate import render_aggregates
from .page import FORM_NAMES, STATUS_NAMES, render_page
from .result import Audit

NAMES = {"html": "index.html", "xlsx": "summary.xlsx", "json": "findings.json", "yaml": "aggregate.stats.yaml"}
TABLE_KEYS = (("active", "表二"), ("requests", "表三"), ("appeals", "表四"))


def write_all(result: Audit, out: Path) -> dict[str, Path]:
    """Write the four files into `out` (made when missing), each replaced whole."""
    files = {"html": render_page(result).encode("utf-8"), "xlsx": workbook(result),
             "json": (json.dumps(result.as_dict(), ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8"),
             "yaml": render_aggregates(result.aggregates).encode("utf-8")}
    paths = {}
    for key, data in files.items():
        path = out / NAMES[key]
        atomic_write_bytes(path, data, keep_history=False)
        paths[key] = path
    return paths


def summary_rows(result: Audit) -> tuple[list[str], list[list]]:
    """The table of index.html as plain rows (shares as fractions), for the workbook."""
    scored = result.rules is not None
    header = ["序号", "机关", "年度", "文件", "形式", "格式", "统计表", *(name for _, name in TABLE_KEYS), "错误", "提示",
              "与上年度相同", "上年度报告", "上年结转", "与其他机关相同（最高）", "相同的机关", "相同的文件",
              *(["得分", "扣分原因"] if scored else [])]
    rows = []
    for rank, r in enumerate(result.reports, 1):
        top = r.similar_to[0] if r.similar_to else None
        last = r.last_year
        row = [rank, r.agency, r.year, r.file, FORM_NAMES.get(r.form, r.form), r.format, STATUS_NAMES[r.table_status],
               *(STATUS_NAMES[r.tables.get(key, "missing")] for key, _ in TABLE_KEYS), r.errors, r.warnings,
               last.share if last else None, last.file if last else "",
               {"continues": "衔接", "differs": "不衔接", "unknown": "无法比较"}[last.carried_over] if last else "",
               top.share if top else None, top.agency if top else "", top.file if top else ""]
        if scored:
            row += [float(r.score.score), "；".join(f"{d.text}（扣 {d.points} 分）" for d in r.score.deductions)]
        rows.append(row)
    return header, rows


def workbook(result: Audit) -> bytes:
    """summary.xlsx: the ranked table, every finding, and the files that could not be read."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "审查结果"
    header, rows = summary_rows(result)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    percent = {i + 1 for i, name in enumerate(header) if name in ("与上年度相同", "与其他机关相同（最高）")}
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.column in percent and cell.value is not None:
                cell.number_format = "0%"
    widths = {"机关": 28, "文件": 36, "上年度报告": 30, "相同的机关": 24, "相同的文件": 30, "扣分原因": 60}
    _style(sheet, header, widths, Font, PatternFill, Alignment)

    details = book.create_sheet("核对结果")
    names = ["文件", "机关", "年度", "级别", "类别", "种类", "行", "部分", "原文", "问题", "应为", "实为"]
    details.append(names)
    for r in result.reports:
        for f in r.findings:
            details.append([r.file, r.agency, r.year, "错误" if f.severity == "error" else "提示",
                            CATEGORIES.get(f.category, f.category), f.kind, f.line, f.section, f.text, f.message,
                            f.expected, f.found])
    _style(details, names, {"文件": 30, "机关": 24, "原文": 50, "问题": 80}, Font, PatternFill, Alignment)

    if result.unreadable:
        lost = book.create_sheet("无法读取")
        lost.append(["文件", "原因"])
        for u in result.unreadable:
            lost.append([u.file, u.message])
        _style(lost, ["文件", "原因"], {"文件": 40, "原因": 100}, Font, PatternFill, Alignment)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _style(sheet, header: list[str], widths: dict[str, int], Font, PatternFill, Alignment) -> None:
    from openpyxl.utils import get_column_letter

    for i, name in enumerate(header, 1):
        cell = sheet.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.alignment = Alignment(vertical="center")
        sheet.column_dimensions[get_column_letter(i)].width = widths.get(name, max(8, len(name) * 2 + 2))
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
