"""The work done per file, in worker processes: reading a report, then checking it (against last year's).

Both steps return small picklable records whose bulky parts are packed here (`spool.pack`), for the
parent to keep in its spool as they arrive. Between the steps a report travels as its `Published`,
packed too (a few KB), so the parent holds no file's text while the batch is paired.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from dataclasses import dataclass, replace

from ...checks.review import ReviewSettings
from ...document import line_starts
from ...errors import DrafterError
from ...squeezing import squeezed as squeezed_text
from ..checking import Published, check_read, read_published
from .crossing import prose_of
from .page import prose_html
from .result import AuditedReport, LastYear, Mark
from .sorting import REPORT, sort_report
from .spool import Spooled, pack

NUMBER_MARKS = {"contradiction", "ambiguous", "unsupported", "blank", "claim"}


@dataclass
class Read:
    """A report read: who and which year it is, and the report itself, packed."""

    name: str
    agency: str
    agency_as_written: str
    year: int
    form: str
    published: Published = Spooled()
    alone: AuditedReport | Failed | None = None     # checked as if no last year's report were in reach
    status: str = REPORT                            # or a file set aside: not a report, the blank template
    reason: str = ""                                # why it was set aside, in Chinese

    def bare(self, name: str | None = None) -> Read:
        """This reading without its first check (what a worker checking it again is sent), under another
        file's `name` when given (a file with the same bytes)."""
        read = copy.copy(self)          # (not `replace`: that would read the report back from the spool)
        read.alone, read.name = None, name or self.name
        return read


@dataclass
class Failed:
    """A file that could not be read (or checked), and why, in Chinese."""

    name: str
    message: str


def _bug(exc: Exception, doing: str) -> str:
    return (f"{doing}时出现程序错误（{type(exc).__name__}: {exc}），已跳过这个文件；"
            "这是程序的问题，请把该文件反馈给开发者。")


def read_file(path: str, name: str, settings: ReviewSettings | None = None) -> Read | Failed:
    """Read one file as a published report; never raises (an unreadable file is a `Failed`).

    The report is checked at once as if it had no last year's report (most of a batch has none):
    only the reports paired with one are checked again, with it.
    """
    try:
        published = read_published(path, name)
    except DrafterError as exc:
        return Failed(name, str(exc))
    except Exception as exc:        # one file must not stop the batch
        return Failed(name, _bug(exc, "读取"))
    report = published.report
    sorted_as = sort_report(report)
    read = pack(Read(name, report.agency, report.agency_as_written, report.year, report.kind, published,
                     status=sorted_as.status, reason=sorted_as.reason))
    if sorted_as.status == REPORT:      # (a file set aside is not checked)
        read.alone = _checked(published, None, settings)
    return read


def check_file(read: Read, prior: Read | None, settings: ReviewSettings | None = None) -> AuditedReport | Failed:
    """Check a read report like `drafter check --report` (with last year's report when given)."""
    published = read.published
    published.name = read.name          # (a file with the same bytes as another was read once)
    if prior is not None:
        prior, prior_name = prior.published, prior.name
        prior.name = prior_name
    return _checked(published, prior, settings)


def _checked(published: Published, prior: Published | None, settings: ReviewSettings | None) -> AuditedReport | Failed:
    try:
        checked = check_read(published, prior, settings or ReviewSettings())
        return _audited(published, prior, checked)
    except Exception as exc:        # one file must not stop the batch
        return Failed(published.name, _bug(exc, "核对"))


def _audited(published: Published, prior: Published | None, checked) -> AuditedReport:
    report, result = published.report, checked.report
    sentences: dict[str, str] = {}
    for finding in result.findings:     # in a batch every finding names its file
        finding.file = finding.file or published.name
        finding.text = sentences.setdefault(finding.text, finding.text)     # one copy of a sentence per report
    tables = {key: table.status for key, table in report.tables.items()}
    marked = marks(report.markdown, result)
    line_map = _line_map(report.markdown, published.source_text) if published.text_file else None
    return pack(AuditedReport(
        file=published.name, agency=report.agency or report.agency_as_written, agency_as_written=report.agency_as_written,
        year=report.year, format=report.format, form=report.kind, form_name=report.kind_name, tables=tables,
        findings=result.findings, counts=result.counts(), markdown=report.markdown, marks=marked, line_map=line_map,
        prose_html=prose_html(report.markdown, marked, line_map), prose=prose_of(report.markdown),
        stats=report.stats if "complete" in tables.values() else None, printed=report.printed_marks,
        single_other=report.single_other,
        fees=report.stats.processing_fees, evidence=checked.evidence and replace(checked.evidence, findings=[]),
        last_year=_last_year(published, prior, checked.evidence) if prior else None))


def marks(markdown: str, result) -> list[Mark]:
    """Every checked number of the prose: verified, or what its finding says (offsets in `markdown`)."""
    out = [Mark(v.span[0], v.span[1], "verified", source=v.source) for v in result.verified if v.span[1] > v.span[0]]
    for f in result.findings:
        if f.category != "numbers" or f.kind not in NUMBER_MARKS or not f.found or f.offset < 0:
            continue
        start = markdown.find(f.found, f.offset, f.offset + len(f.text) + len(f.found) + 200)
        if start >= 0:
            out.append(Mark(start, start + len(f.found), f.kind, f.expected, f.source))
    out.sort(key=lambda m: (m.start, -m.end))
    kept: list[Mark] = []
    for mark in out:                # one mark per place: the first (a finding wins over nothing)
        if not kept or mark.start >= kept[-1].end:
            kept.append(mark)
        elif mark.kind != "verified" and kept[-1].kind == "verified" and mark.start == kept[-1].start:
            kept[-1] = mark
    return kept


def _line_map(markdown: str, source_text: str) -> list[int]:
    """The file line of each line of `markdown` (text rebuilt from the file): where its first characters are found.

    One search per line, in order (the page's line numbers; findings' lines come from `checks.lines.Alignment`).
    """
    squeezed = squeezed_text(source_text)
    flat = squeezed.flat
    starts = line_starts(source_text)
    out, cursor, line = [], 0, 1
    for text in markdown.split("\n"):
        key = "".join(text.lstrip("# ").split())[:12]
        at = flat.find(key, cursor) if key else -1
        if at >= 0:
            line, cursor = bisect_right(starts, squeezed.offset(at)), at + len(key)
        out.append(line)
    return out


def _last_year(published: Published, prior: Published, evidence) -> LastYear:
    now, then = published.report.stats.requests.carried_over, prior.report.stats.requests.carried_forward
    known = [(a, b) for a, b in zip(now, then) if a is not None and b is not None]
    carried = "unknown" if not known else "continues" if all(a == b for a, b in known) else "differs"
    return LastYear(prior.name, prior.report.agency or prior.report.agency_as_written, prior.report.year,
                    evidence.last_year_share if evidence else None, carried)
