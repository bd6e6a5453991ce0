"""The files an audit writes: index.html, summary.xlsx, findings.json and aggregate.stats.yaml."""

from __future__ import annotations

import io
import json
from functools import partial
from pathlib import Path

from ...findings import CATEGORIES
from ...spreadsheet import as_text, text_cells
from ...workspace import atomic_write_bytes, replacing
from .aggregate import render_aggregates
from .forking import side_by_side
from .page import FORM_NAMES, STATUS_NAMES, heading, page_chunks
from .result import Audit, AuditedReport
from .sorting import STATUS_NAMES as SET_ASIDE_NAMES

NAMES = {"html": "index.html", "xlsx": "summary.xlsx", "json": "findings.json", "yaml": "aggregate.stats.yaml"}
TABLE_KEYS = (("active", "表二"), ("requests", "表三"), ("appeals", "表四"))


def findings_json(result: Audit) -> str:
    """findings.json: the audit as one JSON object (what `drafter audit --format json` prints)."""
    return "".join(json_chunks(result))


def json_chunks(result: Audit):
    """`result.as_dict()` as JSON, a report at a time (each with the fast encoder: no indent)."""
    yield JSON_OPEN
    for k, report in enumerate(result.reports):
        yield ("," if k else "") + _dump({**report.as_dict(), "rank": k + 1})
    yield json_close(result)


JSON_OPEN = '{"reports": ['


def json_close(result: Audit) -> str:
    """What follows the ranked reports in findings.json: the files set aside (in the same list, unranked), then the rest."""
    aside = "".join(("," if result.reports or k else "") + _dump(s.as_dict()) for k, s in enumerate(result.set_aside))
    close = aside + '], "unreadable": ' + _dump([u.as_dict() for u in result.unreadable]) + ', "summary": ' + _dump(result.summary())
    if result.missing:
        close += ', "missing": ' + _dump([m.as_dict() for m in result.missing])
    return close + "}\n"


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def write_all(result: Audit, out: Path) -> dict[str, Path]:
    """Write the four files into `out` (made when missing), each replaced whole; the large ones as they are made.

    The page and findings.json are made in one pass over the reports (each report read back from the spool once,
    as the page comes to its detail), and the workbook meanwhile beside it.
    """
    paths = {key: out / name for key, name in NAMES.items()}

    def page_and_json() -> None:
        with replacing(paths["json"], "w") as handle:
            handle.write(JSON_OPEN)
            written = 0

            def each(report: AuditedReport, shown: dict) -> None:
                nonlocal written
                handle.write(("," if written else "") + _dump({**report.as_dict(shown["every"], shown["counts"]),
                                                                 "rank": written + 1}))
                written += 1

            write_chunks(paths["html"], page_chunks(result, each))
            handle.write(json_close(result))

    # the workbook is made meanwhile in a forked copy of this process (when it can be: see `forking`)
    _, workbook = side_by_side([page_and_json, partial(workbook_bytes, result)], result.jobs)
    atomic_write_bytes(paths["xlsx"], workbook, keep_history=False)
    atomic_write_bytes(paths["yaml"], render_aggregates(result.aggregates).encode("utf-8"), keep_history=False)
    return paths


def write_chunks(path: Path, chunks) -> None:
    """Write text as it is produced into a temporary file beside `path`, then put it in place (a template gives
    many small pieces: written a few thousand at a time)."""
    with replacing(path, "w") as handle:
        batch: list[str] = []
        for chunk in chunks:
            batch.append(chunk)
            if len(batch) >= 4096:
                handle.write("".join(batch))
                batch.clear()
        handle.write("".join(batch))


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


def workbook_bytes(result: Audit) -> bytes:
    """summary.xlsx: the ranked table, the errors and copying found, and the files that could not be read.

    (Every finding is in findings.json and index.html; a sheet of all of them would take longer to write than
    the rest of the audit's output together.)
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    header, rows = summary_rows(result)
    percent = {i for i, name in enumerate(header) if name in ("与上年度相同", "与其他机关相同（最高）")}
    widths = {"机关": 28, "文件": 36, "上年度报告": 30, "相同的机关": 24, "相同的文件": 30, "扣分原因": 60}
    sheet = _sheet(book, "审查结果", header, widths)
    for row in rows:
        sheet.append(text_cells(sheet, [_percent(sheet, v) if i in percent and v is not None else v
                                        for i, v in enumerate(row)]))
    names = ["文件", "机关", "年度", "级别", "类别", "行", "部分", "原文", "问题", "应为", "实为"]
    details = _sheet(book, "错误和雷同", names, {"文件": 30, "机关": 24, "原文": 50, "问题": 80})
    for r in result.reports:
        for f in (f for f in r.findings if f.severity == "error" or f.category == "copying"):
            details.append(text_cells(details, [
                r.file, r.agency, r.year, "错误" if f.severity == "error" else "提示", CATEGORIES.get(f.category, f.category),
                f.line, heading(f.section) if f.section else "", f.text, f.message, f.expected, f.found]))
    if result.set_aside:
        aside = _sheet(book, "不是年报", ["文件", "类别", "原因"], {"文件": 40, "原因": 100})
        for item in result.set_aside:
            aside.append(text_cells(aside, [item.file, SET_ASIDE_NAMES[item.status], item.reason]))
    if result.unreadable:
        lost = _sheet(book, "无法读取", ["文件", "原因"], {"文件": 40, "原因": 100})
        for u in result.unreadable:
            lost.append(text_cells(lost, [u.file, u.message]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book, title: str, header: list[str], widths: dict[str, int]):
    """A write-only sheet with a bold, frozen, filterable header row."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    for i, name in enumerate(header, 1):
        sheet.column_dimensions[get_column_letter(i)].width = widths.get(name, max(8, len(name) * 2 + 2))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"
    cells = []
    for name in header:
        cell = as_text(WriteOnlyCell(sheet, value=name))
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="F2F2F2")
        cells.append(cell)
    sheet.append(cells)
    return sheet


def _percent(sheet, value: float):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "0%"
    return cell
