"""Checking a draft against its workspace, and a published report against its own tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import document
from ..checks.lines import remap_lines
from ..checks import check_document
from ..checks.numbers import Sources, check_numbers
from ..checks.result import CheckReport
from ..checks.review import ReviewContext, ReviewSettings, copying_share, review_document
from ..checks.tables import rule_findings
from ..facts import compute_facts
from ..findings import Finding
from ..rules import check_stats
from ..rulepacks import Evidence
from ..workspace import Workspace
from .inputs import load_draft, load_inputs
from .scoring import evidence


@dataclass
class Checked:
    """A check's result, the file it is about (as shown to the user), and what a rule pack judges it by."""

    report: CheckReport
    file: str
    evidence: Evidence | None = None


def check_draft(workspace: Workspace, year: int, draft: Path | None = None, review: bool = True) -> Checked:
    """Check a year's draft (default <year>/draft.md) against its tables and notes, then review it."""
    inputs = load_inputs(workspace, year, action="核对草稿", drafting=False)
    word = None
    if draft is not None and draft.suffix.lower() == ".docx":   # edited in Word: tracked changes read as accepted
        from .wordfile import read_word, word_markdown
        path, word = draft, read_word(workspace, draft)
        text = word_markdown(word, inputs.stats)
    else:
        path, text = load_draft(workspace, year, draft)
    report = check_document(text, inputs.sources, inputs.stats)
    report.findings += inputs.note_errors
    context = inputs.review_context
    if review:
        report.findings += review_document(text, context)
        report.copying = copying_share(text, context)
    if draft is None:      # what the clerk chose to ignore in the workbench, with the reason
        from .marks import apply_ignored
        apply_ignored(workspace, year, report.findings)
    if word is not None:   # its tables are compared with stats.yaml, never read as the numbers
        from .wordfile import word_table_findings
        report.findings += word_table_findings(word, inputs.stats, workspace.display(path))
    return Checked(report, workspace.display(path), evidence(year, text, report.findings, context))


@dataclass
class Published:
    """A published report as read: its tables and prose, and the text of the file (for lines and its 落款 date)."""

    report: object                  # importing.ImportedReport
    source_text: str
    name: str                       # the file as shown to the user
    pages: list[int | None] | None = None   # PDF: the page of each line of source_text
    markup: str | None = None       # HTML: the page's source with its markup blanked out, line for line

    @property
    def text_file(self) -> bool:
        """Text input: finding lines can be mapped back to lines of the file."""
        return self.report.kind in ("text", "layout")

    @property
    def lines_text(self) -> str | None:
        """The text whose lines findings are given in: the file itself (text, HTML source), the extracted lines
        of a PDF (then turned into pages and lines on the page); None for Word (lines of the extracted text)."""
        if self.text_file:
            return self.source_text
        return self.markup if self.markup is not None else (self.source_text if self.pages else None)


_MARKUP = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>|&[#\w]+;", re.S | re.I)


def blank_markup(html: str) -> str:
    """An HTML page's source with tags, comments, scripts and entities turned into spaces (line breaks kept),
    so offsets of its visible text are offsets of the source."""
    return _MARKUP.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), html)


def read_published(path: Path | str, name: str | None = None, progress=None) -> Published:
    """Read a published report of any kind `drafter import` reads (`progress` hears of each page OCR reads)."""
    from ..importing import read_report_source
    from ..importing.sources import read_source
    from ..textfile import decode

    path = Path(path)
    source = read_source(path, progress)
    report = read_report_source(source)
    pages = markup = None
    if report.kind in ("text", "layout"):
        source_text = decode(path.read_bytes(), path.name)
    else:
        source_text = "\n".join(line.text for line in source.lines)
        if report.kind == "pdf":
            pages = [line.page for line in source.lines]
        elif report.kind == "html":
            markup = blank_markup(decode(path.read_bytes(), path.name))
    return Published(report, source_text, name or path.name, pages, markup)


def check_published(path: Path | str, prior_path: Path | str | None = None,
                    review: ReviewSettings | None = None, progress=None) -> Checked:
    """Check a published report (any kind `drafter import` reads) against its own tables.

    Numbers no table backs are warnings (a published report has no notes). With `review` the review
    checks run too, against the prior report when given. Line numbers refer to the file for text
    input, and to the extracted text (as `drafter import` writes published.md) for PDF, HTML and Word.
    """
    prior = read_published(prior_path, progress=progress) if prior_path else None
    return check_read(read_published(path, progress=progress), prior, review)


def check_read(published: Published, prior: Published | None = None, review: ReviewSettings | None = None) -> Checked:
    """Check a published report already read, against its own tables and (when given) last year's report.

    Tables missing or cut off are findings (the prose is still checked against every cell that was
    read); so are the rule violations of the tables as printed.
    """
    report = published.report
    prior_stats = prior.report.stats if prior else None
    result = check_numbers(report.markdown, Sources(compute_facts(report.stats, prior_stats), strict=False))
    context = published_context(report, prior.report if prior else None, review or ReviewSettings(),
                                prior.name if prior else "")
    if review is not None:
        result.findings += review_document(report.markdown, context)
        result.copying = copying_share(report.markdown, context)
    if published.lines_text is not None:
        remap_lines(result, report.markdown, published.lines_text)
        if published.pages:
            _to_pages(result, published.pages)
    result.findings += table_findings(report, published.name)
    result.findings += rule_findings(check_stats(report.stats, prior_stats, continuity="warning"))
    for finding in result.findings:
        finding.file = finding.file or published.name
        if finding.category == "tables" and not finding.line and finding.path:
            place = report.place_of(finding.path)        # the line of the row the finding is about
            if place is not None:
                finding.page, finding.line = place
    report.mark_ocr(result.findings)
    return Checked(result, published.name,
                   evidence(report.year, report.markdown, result.findings, context, published.source_text))


def _to_pages(result: CheckReport, pages: list[int | None]) -> None:
    """Lines of a PDF's extracted text as (page, line on that page)."""
    first: dict[int | None, int] = {}
    for index, page in enumerate(pages):
        first.setdefault(page, index)
    for item in result.findings:
        if item.line and 0 < item.line <= len(pages) and pages[item.line - 1] is not None:
            page = pages[item.line - 1]
            item.page, item.line = page, item.line - first[page]


def table_findings(report, name: str) -> list[Finding]:
    """A finding for each table that is missing or could not be read in full, naming what is missing."""
    return [Finding(severity="error", category="tables", kind="missing" if table.status == "missing" else "partial",
                    section="tables", file=name, path=(table.key,), text=table.name, found=table.status,
                    message=f"{table.message or '未找到这张表'}。正文中的数字只能与读到的单元格核对；"
                            "请确认报告包含完整的统计表（文件可能只是报告的开头或摘录，或表格被截断）。")
            for table in report.tables.values() if table.status != "complete"]


def published_context(report, prior, settings: ReviewSettings, prior_name: str = "") -> ReviewContext:
    """What an imported published report is reviewed against: its agency and year, an imported prior report."""
    prior_doc = document.parse_document(prior.markdown) if prior else None
    return ReviewContext(report.agency or report.agency_as_written, report.year, (report.agency_as_written,),
                         prior_doc, f"上年度报告（{prior_name}）" if prior_name else "上年度报告", settings,
                         spacing_reliable=report.kind not in ("layout", "pdf"))
