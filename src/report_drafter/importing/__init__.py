"""Read a published annual report: its tables become `stats.yaml`, its prose `published.md`.

Two entry points, one reader:

    report = import_report(Path("淮安市2024年报.pdf"))     # or .txt / .md / .html / .docx
    services.importing.import_into(workspace, path)       # writes <year>/stats.yaml + <year>/published.md

    report = read_report(Path("某局2023年报.txt"))          # for checking published reports
    report.tables["requests"].status                       # "complete" | "partial" | "missing"
    report.tables["requests"].unread                       # {row name: why it was not read}
    report.stats                                           # every cell that was read, None elsewhere

`import_report(path, year=None)` raises InputError (exit code 2; nothing should be written) when
the file cannot be read, or a table is missing, or rows of a table could not be found or read;
the message names the tables and rows and says why. `read_report(path, year=None)` never raises
for a readable file: missing tables and rows are reported in `report.tables` (and as warnings),
their cells are None in `report.stats`, and an undetectable year falls back with a warning. It
raises InputError only when the file itself cannot be read (missing, empty, not a report format).

Both return an `ImportedReport`: `stats` (cells printed blank, "/" or "—" are None, with a
warning), `warnings` (Problems: blank cells, ambiguous digit splits with their alternatives,
rows placed by order, annotations ignored), `tables` (per table: status, unread rows, layout
found), `format` / `single_other` / `layout_name` (the layout found: 2021 or 2019 table 二,
one or three （六） rows, 表四 with or without 总计), `agency`, `year`, `title`, `markdown`.
The tables as printed may break the format's rules: that is for `check_report` to say, not a
reason to refuse (import as published).

Supported inputs: text copied from a web page (cells tab- or |-separated, one per line, or run
together with no separator), Markdown converted from PDF, `pdftotext -layout` text, PDF (read
with pypdfium2; scanned pages by OCR with the `ocr` extra), HTML pages and Word .docx files, in UTF-8 (with or without BOM), GBK/GB18030
or UTF-16 (with BOM). See `tables` for how the values are found.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from .. import layout
from ..document import HEADINGS, ReportDocument, compose_document, parse_document
from ..errors import InputError
from ..findings import Finding
from ..model import FORMATS, Stats
from ..rules import check_stats
from . import identity
from . import sections as sec
from .lines import KIND_NAMES, Source
from .places import ocr_read_cells, row_places
from .settling import settle_by_prose
from .sources import read_source
from .tables import TableResult, read_table2, read_table3, read_table4

__all__ = ["ImportedReport", "TableStatus", "import_report", "import_source", "read_report", "read_report_source",
           "check_report", "FORMAT_NAMES"]

FORMAT_NAMES = {
    "2021": "2021 年格式（国办公开办函〔2021〕30号）",
    "2019": "2019 年试行格式（国办公开办函〔2019〕60号）",
}
Progress = Callable[[str], None]
OCR_NOTE = "（此单元格由文字识别（OCR）从扫描页读出，请对照原件核实）"
TABLE_TITLES = {
    "active": "表二（主动公开政府信息情况）",
    "requests": "表三（收到和处理政府信息公开申请情况）",
    "appeals": "表四（政府信息公开行政复议、行政诉讼情况）",
}


@dataclass
class TableStatus:
    """How much of one table was read."""

    key: str                        # "active" | "requests" | "appeals"
    name: str                       # 表二（主动公开政府信息情况）
    status: str                     # "complete" | "partial" | "missing"
    unread: dict[str, str] = field(default_factory=dict)   # row → why its cells were not read
    layout: str = ""                # the layout found, in Chinese
    cells_read: int = 0
    cells_expected: int = 0
    message: str = ""               # what is missing, in Chinese (empty when complete)


@dataclass
class ImportedReport:
    """A published report read into the workspace's shapes."""

    file: str                      # the imported file's name
    kind: str                      # "text" | "layout" | "pdf" | "html" | "docx"
    stats: Stats
    title: str
    agency: str                    # as detected (a shortened name in the title expanded from the text)
    agency_as_written: str         # as it appears in the title
    year: int                      # the report's year (--year when given)
    detected_year: int | None
    format: str                    # "2021" | "2019" (layout of table 二)
    single_other: bool             # table 三 has the one-row （六）其他处理 (2019 wording)
    markdown: str                  # published.md: title, preamble and the prose sections
    warnings: list[Finding] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)   # keys of the sections found in the report
    pages: int | None = None
    tables: dict[str, TableStatus] = field(default_factory=dict)
    appeal_totals: bool = True     # table 四 printed its 总计 columns
    row_places: dict[tuple, tuple[int | None, int]] = field(default_factory=dict)   # row path → (page, line)
    ocr_pages: list[int] = field(default_factory=list)      # scanned pages read by OCR
    ocr_cells: list[tuple] = field(default_factory=list)    # stats paths of the cells read from them

    def place_of(self, path: tuple) -> tuple[int | None, int] | None:
        """(page or None, line) where the row holding the cell at `path` is printed, when known."""
        for size in range(len(path), 0, -1):
            if path[:size] in self.row_places:
                return self.row_places[path[:size]]
        return None

    def mark_ocr(self, findings: list[Finding]) -> list[Finding]:
        """Findings about cells read by OCR marked so (`ocr`, and a note in the message): the scan may be misread."""
        tables = {path[0] for path in self.ocr_cells}
        for finding in findings:
            if finding.path and finding.path[0] in tables and not finding.ocr:
                finding.ocr = True
                finding.message += OCR_NOTE
        return findings

    @property
    def document(self) -> ReportDocument:
        return parse_document(self.markdown)

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind] + (f"，{self.pages} 页" if self.pages else "")

    @property
    def format_name(self) -> str:
        name = FORMAT_NAMES[self.format]
        if self.format == "2021" and self.single_other:
            name += "，表三“（六）其他处理”为单行（2019 年写法）"
        if not self.appeal_totals:
            name += "，表四未印总计列"
        return name

    @property
    def complete(self) -> bool:
        return all(t.status == "complete" for t in self.tables.values())

    @property
    def printed_marks(self) -> dict[tuple, str]:
        """What the report printed in each cell it left blank (“”, “/”, “—”), by stats path."""
        return {w.path: w.found or "" for w in self.warnings if w.rule == "8" and w.path}

    @property
    def cells_read(self) -> tuple[int, int]:
        """(cells read, cells expected) over the three tables."""
        return (sum(t.cells_read for t in self.tables.values()), sum(t.cells_expected for t in self.tables.values()))


def import_report(path: Path | str, year: int | None = None, progress: Progress | None = None) -> ImportedReport:
    """Read a published report file for the workspace; `year` overrides the detected year.

    Raises InputError (exit code 2) when the file cannot be read or its tables are missing or cut off.
    `progress` is told of slow steps (OCR of each scanned page).
    """
    return import_source(read_source(Path(path), progress), year)


def read_report(path: Path | str, year: int | None = None, progress: Progress | None = None) -> ImportedReport:
    """Read a published report to check it: never raises for a readable file (see the module docstring)."""
    return read_report_source(read_source(Path(path), progress), year)


def import_source(source: Source, year: int | None = None) -> ImportedReport:
    """Import an already read `Source` (see `sources.read_source`); refuses incomplete tables."""
    structure, results, detected = _read_tables(source, year)
    if not all(r.complete for r in results):
        raise _missing_tables(source, results)
    if year is None and detected is None:
        raise InputError(f"无法从 {source.file} 中识别报告年度，请用 --year 指定，例如 --year 2023。")
    return _report(source, structure, results, detected, year)


def read_report_source(source: Source, year: int | None = None) -> ImportedReport:
    """`read_report` for an already read `Source`."""
    structure, results, detected = _read_tables(source, year)
    return _report(source, structure, results, detected, year)


def _read_tables(source: Source, year: int | None) -> tuple[sec.Structure, list[TableResult], int | None]:
    structure = sec.find_structure(source)
    detected = identity.detect_year(structure, source)
    hint = year if year is not None else detected
    active = read_table2(source, structure.regions.get("active"), hint)
    old_format = active.format == "2019" if active.format else (hint is not None and hint < 2021)
    results = [
        active,
        read_table3(source, structure.regions.get("requests"), old_format),
        read_table4(source, structure.regions.get("appeals")),
    ]
    return structure, results, detected


def _fallback_year(source: Source) -> tuple[int, str]:
    """The most mentioned year of the text, else last year (reports are published the year after)."""
    years = Counter(int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", "\n".join(line.text for line in source.lines)))
    if years:
        found = years.most_common(1)[0][0]
        return found, f"未能从标题识别报告年度，按正文中最常出现的 {found} 年处理"
    guess = date.today().year - 1
    return guess, f"未能识别报告年度，暂按 {guess} 年处理"


def _report(source: Source, structure: sec.Structure, results: list[TableResult], detected: int | None,
            year: int | None) -> ImportedReport:
    warnings: list[Finding] = [p for r in results for p in r.problems]
    if year is not None and detected is not None and detected != year:
        warnings.append(Finding(severity="warning", message=f"报告中识别的年度为 {detected}，按指定的 {year} 年导入", path=("year",),
                                file=source.file, expected=str(year), found=str(detected)))
    if year is None and detected is None:
        year, why = _fallback_year(source)
        warnings.append(Finding(severity="warning", message=why, path=("year",), file=source.file))
    year = year if year is not None else detected
    agency, written = identity.detect_agency(structure, source)
    if not agency:
        warnings.append(Finding(severity="warning", message="未能从报告中识别机关名称，请在 stats.yaml 的 agency 中填写",
                                path=("agency",), file=source.file))

    all_text = "\n".join(line.text for line in source.lines)
    fmt = results[0].format or ("2019" if year < 2021 else "2021")
    if year >= 2021 and identity.cites_superseded_format(all_text):
        warnings.append(Finding(severity="warning", message=f"{year} 年度报告引用了已被替代的国办公开办函〔2019〕60号；自 2021 年度报告起应依据"
                                        "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》", path=("format",), file=source.file,
                                expected="国办公开办函〔2021〕30号", found="国办公开办函〔2019〕60号", rule="8"))

    bodies = _bodies(source, structure)
    cases, amount = identity.processing_fees(bodies.get("other", ""))
    if amount is None:
        cases, amount = identity.processing_fees("\n".join(bodies.values()))
    if amount is None:
        warnings.append(Finding(severity="warning", message="正文中未找到信息处理费的收取情况，按 0 元记录；如有收费请在 stats.yaml 中填写",
                                path=("processing_fees", "amount_yuan"), file=source.file))
        amount = Decimal(0)
    for key in ("overview", "problems", "other"):
        if key not in structure.headings:
            warnings.append(Finding(severity="warning", category="structure", message=f"报告中没有“{HEADINGS[key]}”部分",
                                    file=source.file))
        elif key in structure.inferred:
            warnings.append(Finding(severity="warning", category="structure",
                                    message=f"报告中没有“{HEADINGS[key]}”标题，从“{structure.heading_texts[key]}”起的内容"
                                            "作为这一部分", file=source.file))

    single = results[1].single_other if results[1].found and not results[1].note else fmt == "2019"
    stats = _build_stats(source, results, fmt, single, agency, year, cases, amount, warnings)
    ocr_pages = sorted({line.page for line in source.lines if line.ocr})
    ocr_cells = ocr_read_cells(source, structure, stats)
    if ocr_pages:
        tables = "、".join(TABLE_TITLES[key].split("（")[0] for key in dict.fromkeys(p[0] for p in ocr_cells))
        warnings.append(Finding(severity="warning", message=f"第 {'、'.join(map(str, ocr_pages))} 页是扫描件，由文字识别（OCR）读出"
                                + (f"，其中{tables}的 {len(ocr_cells)} 个单元格来自识别结果" if ocr_cells else "")
                                + "；识别可能有误，请对照原件逐项核实", file=source.file, ocr=True))
    title = structure.title or f"{agency}{year}年政府信息公开工作年度报告"
    preamble = "\n\n".join(sec.paragraphs(source, structure.preamble_lines))
    markdown = compose_document(title, preamble, bodies)
    stats = settle_by_prose(stats, markdown, [a for r in results for a in r.ambiguities])
    tables = {r.key: _status(r, _cells_expected(r.key, fmt, single, results[2].appeal_totals)) for r in results}
    for result, status in zip(results, tables.values()):
        if not result.complete:         # (rows left blank in a complete table have warnings of their own)
            warnings.append(Finding(severity="warning", message=f"表格不完整：{status.message}", path=(status.key,),
                                    file=source.file))
    return ImportedReport(
        file=source.file, kind=source.kind, stats=stats, title=title, agency=agency, agency_as_written=written,
        year=year, detected_year=detected, format=fmt, single_other=single, markdown=markdown,
        warnings=warnings, sections=sorted(structure.headings, key=lambda k: structure.headings[k]),
        pages=source.pages, tables=tables, appeal_totals=results[2].appeal_totals, ocr_pages=ocr_pages,
        ocr_cells=ocr_cells, row_places=row_places(source, results))


def _cells_expected(key: str, fmt: str, single: bool, totals: bool) -> int:
    """Cells of a table in the layout found (or, for a missing table, the layout the report's year implies)."""
    if key == "active":
        return 10 if fmt == "2021" else 22
    if key == "requests":
        return len(layout.table3_rows(single)) * len(layout.APPLICANT_COLUMNS)
    return 15 if totals else 12


def _status(result: TableResult, expected: int) -> TableStatus:
    name = TABLE_TITLES[result.key]
    message = "" if result.status == "complete" else _describe(result)
    unread = dict(result.unread)
    if result.status == "missing" and not unread:
        unread = {name: message}
    read = 0 if result.status == "missing" else result.cells_read
    return TableStatus(result.key, name, result.status, unread, result.layout, read, expected, message)


def _describe(result: TableResult) -> str:
    if not result.found:
        return "未找到"
    if result.note:
        return result.note
    if result.complete:
        return "；".join(f"“{row}”{why}" if not why.startswith("“") else why for row, why in result.unread.items())
    return _incomplete(result)


def _bodies(source: Source, structure: sec.Structure) -> dict[str, str]:
    """Prose of sections 一, 五, 六, and any prose paragraph inside sections 二–四."""
    bodies: dict[str, str] = {}
    for key, lines in structure.section_lines.items():
        if key in sec.PROSE_KEYS:
            text = "\n\n".join(sec.paragraphs(source, lines))
        else:
            single = [i for i in lines if sum(1 for c in source.lines[i].cells if c.text.strip()) == 1]
            paras = [p for p in sec.paragraphs(source, single) if len(p) >= 30 and "。" in p]
            text = "\n\n".join(paras)
        if text.strip():
            bodies[key] = text
    return bodies


def _skeleton(fmt: str, single: bool) -> dict:
    """Every table cell None: what a report that prints nothing gives."""
    def blank(node):
        if isinstance(node, dict):
            return {k: blank(v) for k, v in node.items()}
        if isinstance(node, list):
            return [None] * len(node)
        return None if not isinstance(node, str) else node

    data = FORMATS[fmt](year=2020).model_dump()
    if single:
        data["requests"]["outcomes"]["other"] = [0] * layout.APPLICANT_COLUMNS.__len__()
    return {key: blank(data[key]) for key in ("active", "requests", "appeals")}


def _build_stats(source: Source, results: list[TableResult], fmt: str, single: bool, agency: str, year: int,
                 cases: int | None, amount: Decimal, warnings: list[Finding]) -> Stats:
    data: dict = {"format": fmt, "agency": agency, "year": year, **_skeleton(fmt, single)}
    for result in results:
        if result.key == "active" and result.format and result.format != fmt:
            continue
        for path, value in result.data.items():
            node = data
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = value
    data["processing_fees"] = {"cases": cases, "amount_yuan": amount}
    for _ in range(20):
        try:
            return FORMATS[fmt].model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and ("[" in p or p == "OtherHandling")))
                _set(data, loc, None)
                warnings.append(Finding(severity="warning", message=f"数值无法使用（{error['msg']}），记为空白", path=loc,
                                        file=source.file))
    raise InputError(f"{source.file} 的统计表数值无法使用。")


def _set(data: dict, loc: tuple, value: object) -> None:
    node = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    try:
        node[loc[-1]] = value
    except (KeyError, IndexError, TypeError):
        pass


def _missing_tables(source: Source, results: list[TableResult]) -> InputError:
    lines = []
    problems = []
    for result in results:
        name = TABLE_TITLES[result.key]
        if result.complete:
            continue
        detail = "未找到" if not result.found else result.note or _incomplete(result)
        lines.append(f"  · {name}：{detail}")
        problems.append(Finding(severity="error", message=f"{name}：{detail}", path=(result.key,), file=source.file))
    if not any(r.found for r in results):
        head = f"无法导入 {source.file}：报告中没有找到统计表（表二、表三、表四），未写入任何文件。"
    else:
        head = f"无法导入 {source.file}：统计表缺失或不完整，未写入任何文件。"
    tail = "文件可能只是报告的开头或摘录，或表格被截断；请使用完整的报告全文（PDF、网页、Word 或完整复制的文字）。"
    message = "\n".join([head, *lines, tail])
    error = InputError(message, [Finding(severity="error", message=message, file=source.file)])
    error.details = problems    # one error per incomplete table
    return error


def _incomplete(result: TableResult) -> str:
    """What is missing from a table that was found: a cut-off point, or the rows not found."""
    missing, expected = result.missing, result.expected
    pieces = []
    tail = bool(missing) and len(missing) < len(expected) and expected[len(expected) - len(missing):] == missing
    if tail and len(missing) >= 2:
        last = expected[len(expected) - len(missing) - 1]
        pieces.append(f"表格在“{last}”之后中断（可能被截断），缺少其后的 {len(missing)} 行："
                      f"“{missing[0]}”至“{missing[-1]}”")
    elif missing:
        pieces.append(f"未找到 {len(missing)} 行：" + "、".join(f"“{name}”" for name in missing))
    pieces += result.broken
    return "；".join(pieces)


def check_report(report: ImportedReport, prior: Stats | None = None) -> list[Finding]:
    """The consistency rules on the imported tables (with last year's tables when known); cells read by OCR say so."""
    return report.mark_ocr(check_stats(report.stats, prior))
