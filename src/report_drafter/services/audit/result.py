"""What an audit of a batch of published reports found: one compact record per report, and the batch's summary.

Records keep what the outputs show (findings, the marked numbers, the prose, the tables read), never
the file's own text. Their bulky parts are `Spooled`: on disk while the batch is worked through (see
`spool`), so a batch of thousands stays small in memory; in memory stays what ranks and sums them.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from ...findings import Finding
from .spool import Spool, Spooled, extend

STATUS_ORDER = ("complete", "partial", "missing")


@dataclass
class Mark:
    """A checked number in the prose: where it is (offsets in `markdown`) and what the check said."""

    start: int
    end: int
    kind: str                   # verified | contradiction | ambiguous | unsupported | blank | claim
    expected: str | None = None
    source: str | None = None


@dataclass
class Similar:
    """Another agency's report sharing text with this one."""

    file: str
    agency: str
    year: int
    share: float                # of this report's prose (一、五、六) found in the other report
    passage: str                # the longest shared passage
    line: int | None = None     # of that passage in this report's file

    def as_dict(self) -> dict:
        return {"file": self.file, "agency": self.agency, "year": self.year, "share": round(self.share, 4),
                "passage": self.passage}


@dataclass
class Cluster:
    """Reports of other agencies whose prose repeats each other's: a model report copied, or one copying another."""

    files: list[str]
    agencies: list[str]
    low: float                  # the smallest and the largest share of a report's prose found in another's
    high: float
    passage: str                # a passage they share

    @property
    def text(self) -> str:
        """“这 6 份报告正文相同：…” for the page and the terminal."""
        names = "、".join(f"{a or f}（{f}）" for a, f in zip(self.agencies, self.files))
        share = f"{self.low:.0%}" if round(self.low, 2) == round(self.high, 2) else f"{self.low:.0%}–{self.high:.0%}"
        return f"这 {len(self.files)} 份报告正文相同（相同的文字占 {share}）：{names}"

    def as_dict(self) -> dict:
        return {"size": len(self.files), "files": self.files, "agencies": self.agencies,
                "share_min": round(self.low, 4), "share_max": round(self.high, 4), "passage": self.passage}


@dataclass
class LastYear:
    """The same agency's report of the year before, and what comparing with it gave."""

    file: str
    agency: str
    year: int
    share: float | None         # of the prose repeating it
    carried_over: str           # continues | differs | unknown: 上年结转 against its 结转下年度

    def as_dict(self) -> dict:
        return {"file": self.file, "agency": self.agency, "year": self.year,
                "share": None if self.share is None else round(self.share, 4), "carried_over": self.carried_over}


@dataclass
class AuditedReport:
    """One report of the batch, checked like `drafter check --report`, with its place in the batch.

    Its `Spooled` fields are read back from the audit's spool each time they are asked for (a copy: change
    one by assigning it).
    """

    file: str                   # as shown (relative to the folder given)
    agency: str
    agency_as_written: str
    year: int
    format: str                 # "2021" | "2019"
    form: str                   # text | layout | pdf | html | docx
    form_name: str
    tables: dict[str, str]      # table key → complete | partial | missing
    findings: list[Finding] = Spooled()
    counts: dict = Spooled()                # what was checked and found, by kind
    markdown: str = Spooled()               # title, preamble and prose as read
    marks: list[Mark] = Spooled()
    line_map: list[int] | None = Spooled(None)      # file line of each markdown line (text input)
    stats: object | None = Spooled(None)    # model.Stats when some table is complete, until summed (then None)
    printed: dict = Spooled(None)           # what the report printed in its blank cells (“/”, “—”), by stats path
    single_other: bool = False
    fees: object = None                     # information-processing fees (元) as read
    evidence: object | None = None          # rulepacks.Evidence (its findings: the report's `findings`)
    last_year: LastYear | None = None
    similar_to: list[Similar] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)   # other files of the same agency and year
    score: object | None = None             # rulepacks.Score (with --rules)
    group: str = ""                         # one key per agency across the batch
    prose_html: str = Spooled("")           # the prose with its checked numbers marked, as the detail shows it
    prose: object | None = Spooled(None)    # crossing.Prose, until the batch has been compared
    errors: int = field(init=False, default=0)      # findings of each severity (kept in memory for ranking)
    warnings: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.errors = sum(1 for f in self.findings if f.severity == "error")
        self.warnings = len(self.findings) - self.errors

    def add_findings(self, findings: list[Finding]) -> None:
        """Add findings of the batch's own (copying across agencies) after those of the report's check, and count them."""
        if not findings:
            return
        extend(self, "findings", findings)      # (the findings kept are not read back)
        errors = sum(1 for f in findings if f.severity == "error")
        self.errors, self.warnings = self.errors + errors, self.warnings + len(findings) - errors
        counts = self.counts
        by_kind, by_category = Counter(counts["findings_by_kind"]), Counter(counts["findings_by_category"])
        by_kind.update(f.kind for f in findings)
        by_category.update(f.category for f in findings)
        self.counts = {**counts, "errors": self.errors, "warnings": self.warnings,
                       "findings_by_kind": dict(by_kind), "findings_by_category": dict(by_category)}

    def as_file(self, name: str) -> AuditedReport:
        """This report as another file's, with the same bytes (its check but for the file its findings name)."""
        other = copy.copy(self)         # (not `replace`: that would read every part back from the spool)
        other.file = name
        other.findings = [dataclasses.replace(f, file=name) if f.file == self.file else f for f in self.findings]
        other.similar_to, other.duplicates = list(self.similar_to), list(self.duplicates)
        other.evidence = copy.copy(self.evidence)
        return other

    @property
    def table_status(self) -> str:
        """complete when every table is, missing when none was found, else partial."""
        states = set(self.tables.values())
        if states == {"complete"}:
            return "complete"
        return "missing" if states == {"missing"} else "partial"

    @property
    def other_share(self) -> float:
        return self.similar_to[0].share if self.similar_to else 0.0

    @property
    def copying(self) -> float:
        """The larger of the shares repeating last year's report and another agency's."""
        last = self.last_year.share if self.last_year and self.last_year.share is not None else 0.0
        return max(last, self.other_share)

    def line_of(self, offset: int) -> int:
        """The line in the file (for text input; else in the text as read) of an offset in `markdown`."""
        return line_in(self.markdown, self.line_map, offset)

    def as_dict(self, findings: list[Finding] | None = None, counts: dict | None = None) -> dict:
        """The JSON form; `findings`, `counts`: the report's, when read back already."""
        data = {"file": self.file, "status": "report", "agency": self.agency, "agency_as_written": self.agency_as_written,
                "year": self.year, "format": self.format, "form": self.form, "tables": self.table_status,
                "table_status": dict(self.tables), "errors": self.errors, "warnings": self.warnings,
                "findings": [f.as_dict() for f in (self.findings if findings is None else findings)],
                "checked": self.counts if counts is None else counts,
                "last_year": self.last_year.as_dict() if self.last_year else None,
                "similar_to": [s.as_dict() for s in self.similar_to], "duplicates": self.duplicates}
        if self.score is not None:
            data["score"] = self.score.as_dict()
        return data


def line_in(markdown: str, line_map: list[int] | None, offset: int) -> int:
    """`AuditedReport.line_of` with the report's `markdown` and `line_map` at hand."""
    line = markdown.count("\n", 0, max(0, offset)) + 1
    if line_map and line <= len(line_map):
        return line_map[line - 1]
    return line


@dataclass
class Unreadable:
    """A file that could not be read as a report (the run goes on without it)."""

    file: str
    message: str

    def as_dict(self) -> dict:
        return {"file": self.file, "message": self.message}


@dataclass
class SetAside:
    """A file of the batch that is not a report to rank or sum: not a report at all, or the blank template."""

    file: str
    status: str                 # sorting.NOT_A_REPORT | sorting.BLANK_TEMPLATE
    reason: str
    agency: str = ""            # (the agency and year read from it, when any)
    year: int | None = None
    form: str = ""

    def as_dict(self) -> dict:
        return {"file": self.file, "status": self.status, "reason": self.reason, "agency": self.agency,
                "year": self.year, "form": self.form}


@dataclass
class Missing:
    """An agency of the expected list (--expect) with no report in the batch."""

    agency: str
    year: int
    score: object | None = None

    def as_dict(self) -> dict:
        data = {"agency": self.agency, "year": self.year}
        if self.score is not None:
            data["score"] = self.score.as_dict()
        return data


@dataclass
class Aggregate:
    """The sum of the complete tables of one year and format, and which reports went into it."""

    year: int
    format: str
    stats: object                                  # model.Stats
    included: dict[str, list[str]]                 # table key → files summed
    excluded: dict[str, list[str]]                 # table key → files whose table was not complete
    blanks: list[tuple[str, str]] = field(default_factory=list)     # (file, cell) counted as 0
    reshaped: list[str] = field(default_factory=list)               # files whose （六） rows were reshaped
    fees_from: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)            # files of an agency and year already summed

    def as_dict(self) -> dict:
        return {"year": self.year, "format": self.format, "included": self.included, "excluded": self.excluded,
                "blank_cells": len(self.blanks), "reshaped": self.reshaped, "duplicates": self.duplicates}


@dataclass
class Audit:
    """The whole batch: reports ranked worst first, what could not be read, and the sums of the tables."""

    reports: list[AuditedReport]
    unreadable: list[Unreadable] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    aggregates: list[Aggregate] = field(default_factory=list)
    rules: object | None = None                   # rulepacks.RulePack when scored
    root: str = ""                                # the folder file names are shown relative to
    threshold: float = 0.5                        # share above which copying is flagged
    jobs: int = 1                                 # processes its last steps may take side by side
    spool: Spool | None = field(default=None, repr=False, compare=False)     # where the reports' bulky parts wait
    set_aside: list[SetAside] = field(default_factory=list)     # files that are not reports (not ranked, not summed)
    clusters: list[Cluster] = field(default_factory=list)       # reports of other agencies with the same prose

    @property
    def has_errors(self) -> bool:
        return bool(self.unreadable) or any(r.errors for r in self.reports)

    def summary(self) -> dict:
        reports = self.reports
        return {
            "files": len(reports) + len(self.unreadable) + len(self.set_aside), "reports": len(reports),
            "unreadable": len(self.unreadable),
            "not_reports": sum(1 for s in self.set_aside if s.status == "not_a_report"),
            "blank_templates": sum(1 for s in self.set_aside if s.status == "blank_template"),
            "with_errors": sum(1 for r in reports if r.errors), "errors": sum(r.errors for r in reports),
            "warnings": sum(r.warnings for r in reports),
            "tables": {s: sum(1 for r in reports if r.table_status == s) for s in STATUS_ORDER},
            "paired_with_last_year": sum(1 for r in reports if r.last_year),
            "copied_from_other_agency": sum(1 for r in reports if r.other_share > self.threshold),
            "clusters": [c.as_dict() for c in self.clusters],
            "years": {str(y): sum(1 for r in reports if r.year == y) for y in sorted({r.year for r in reports})},
            "agencies": len({r.group for r in reports}),
            "missing": [m.agency for m in self.missing],
            "rules": getattr(self.rules, "name", None),
            "aggregates": [a.as_dict() for a in self.aggregates],
        }

    def as_dict(self) -> dict:
        data = {"reports": [{**r.as_dict(), "rank": k} for k, r in enumerate(self.reports, 1)]
                + [s.as_dict() for s in self.set_aside], "unreadable": [u.as_dict() for u in self.unreadable],
                "summary": self.summary()}
        if self.missing:
            data["missing"] = [m.as_dict() for m in self.missing]
        return data
