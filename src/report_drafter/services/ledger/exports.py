"""Files made from the ledger: any list as CSV or xlsx, an agency's 问题清单 as Word, the area's summed tables as xlsx."""

from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa

from . import schema as t
from .browsing import AreaSums

LIST_HEADER = {"agency": "机关", "level": "级别", "area": "地区", "year": "年度", "version": "版本", "file": "文件",
               "format": "格式", "form": "形式", "tables": "统计表", "errors": "错误", "warnings": "提示",
               "last_year_share": "与上年度相同", "other_share": "与其他机关相同", "unreviewed": "待核实",
               "confirmed": "属实"}


def list_csv(rows: list[dict]) -> bytes:
    """The list as CSV (UTF-8 with a BOM, so that Excel opens it in Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LIST_HEADER.values())
    for row in rows:
        writer.writerow(["" if row.get(k) is None else row[k] for k in LIST_HEADER])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def list_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("审查结果")
    sheet.append(list(LIST_HEADER.values()))
    for row in rows:
        sheet.append([_plain(row.get(k)) for k in LIST_HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plain(value):
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


def issues_docx(engine, agency_id: int) -> tuple[str, bytes]:
    """(the agency's name, its 问题清单): the errors and the findings confirmed (属实) of the latest version of each
    year's report, with where they are and what to do — to send back to the agency."""
    from docx import Document

    r, a, f = t.reports.c, t.agencies.c, t.findings.c
    with engine.connect() as conn:
        name = conn.execute(sa.select(a.name).where(a.id == agency_id)).scalar()
        if name is None:
            return "", b""
        newest = (sa.select(r.year, sa.func.max(r.version).label("version")).where(r.agency_id == agency_id)
                  .group_by(r.year).subquery())
        reports = conn.execute(sa.select(r.id, r.year, r.file, r.version).join(
            newest, sa.and_(newest.c.year == r.year, newest.c.version == r.version))
            .where(r.agency_id == agency_id).order_by(r.year.desc())).all()
        items = {rep.id: conn.execute(sa.select(t.findings).where(
            f.report_id == rep.id, f.review_status != "误报",
            sa.or_(f.severity == "error", f.review_status.in_(("属实", "已整改")))).order_by(f.line, f.id)).all()
            for rep in reports}
    doc = Document()
    doc.add_heading(f"{name}政府信息公开工作年度报告问题清单", level=1)
    doc.add_paragraph(f"（{date.today():%Y年%m月%d日}，由 drafter 审查记录生成；误报已排除）")
    for rep in reports:
        found = items[rep.id]
        doc.add_heading(f"{rep.year} 年度报告（{rep.file}，第 {rep.version} 版）：{len(found)} 项", level=2)
        if not found:
            doc.add_paragraph("未发现需要整改的问题。")
            continue
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("序号", "位置", "原文", "问题及整改要求", "核实结果")):
            cell.text = text
        for k, item in enumerate(found, 1):
            cells = table.add_row().cells
            cells[0].text = str(k)
            cells[1].text = f"第 {item.line} 行" if item.line else ""
            cells[2].text = item.quote or ""
            cells[3].text = item.message
            cells[4].text = item.review_status + (f"：{item.review_note}" if item.review_note else "")
    buffer = io.BytesIO()
    doc.save(buffer)
    return name, buffer.getvalue()


def sums_xlsx(sums: AreaSums) -> bytes:
    """The area's summed tables, one sheet, table by table, and the reports they include."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{sums.year}汇总")
    sheet.append([f"{sums.area or '全部地区'} {sums.year} 年度统计表汇总（{len(sums.reports)} 份报告；不含不是年报的文件）"])
    for name, cells in sums.tables.items():
        sheet.append([])
        sheet.append([name, "行", "列", "合计", "其中空白或不适用的格数"])
        for cell in cells:
            sheet.append(["", cell["row_label"], cell["column_label"], _plain(cell["value"]), cell["blanks"]])
    listed = book.create_sheet("计入的报告")
    listed.append(["机关", "文件"])
    for report in sums.reports:
        listed.append([report["agency"], report["file"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
