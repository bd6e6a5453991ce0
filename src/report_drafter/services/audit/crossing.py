"""Copying across agencies: which reports of a batch share their prose with another agency's report.

Candidates come from one inverted index of 8-character shingles over the whole batch
(`similarity.ShingleIndex`: work grows with the batch, not with its square). Format wording — the
format's headings, labels and fixed sentences and the standard phrases (`wording`, as data) — is left
out, however many reports share it; how many do says nothing (twenty townships copying one model report).
Each candidate pair is then measured as copying from last year's report is: the share of this report's
prose (一、五、六) found, 8 characters or more in a row, in the other's, and the longest such passages.
Reports whose prose repeats each other's beyond the threshold are gathered into clusters (`clusters`).
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import chain

from ... import document
from ...findings import Finding
from ...similarity import BREAK, NGRAM, ShingleIndex, covered_runs, letter_map, letters, sampled, shingle_sums
from .forking import side_by_side
from ...wording import format_shingles
from .result import AuditedReport, Cluster, Similar, line_in

CANDIDATE_SHARE = 0.05     # shingles shared (format wording left out) for a pair to be measured
SAMPLE = 4                 # the index keeps one shingle in 4 (a quarter of the memory; candidates are measured in full)
LISTED_SHARE = 0.1         # share of the prose for another report to be listed
LISTED_CHARS = 40          # … and letters in common at least (a report of two sentences shares a stock phrase)
LISTED = 5                 # other reports listed per report
PASSAGE_CHARS = 120


def prose_parts(markdown: str) -> list[tuple[str, int]]:
    """(body, offset in `markdown`) of each prose section (一、五、六) of a report's Markdown."""
    doc = document.parse_document(markdown)
    starts = document.line_starts(markdown)
    parts = []
    for key in document.PROSE_SECTIONS:
        section = doc.sections.get(key)
        if section is not None and section.body.strip():
            offset = starts[section.body_line - 1] if section.body_line - 1 < len(starts) else len(markdown)
            parts.append((section.body, offset))
    return parts


class Section:
    """A prose section as compared: where it is in the Markdown, and of its letters their number, the places
    of paragraph breaks and their shingles (checksums of each NGRAM-letter run, the same in every process:
    made where the report is checked). The text itself is not kept: the report's Markdown holds it."""

    def __init__(self, body: str, offset: int):
        chars = letters(body)
        self.offset, self.length = offset, len(body)
        self.letters = len(chars)
        self.breaks = array("I", [m.start() for m in re.finditer(BREAK, chars)])
        self.size = self.letters - len(self.breaks)
        self.shingles = shingle_sums(chars)
        self.sample = sampled(chars, self.shingles, SAMPLE)
        self._where = None          # its letter map, made when a passage is first shown

    def span(self, markdown: str, start: int, end: int) -> tuple[int, int]:
        """Offsets in `markdown` of the section's letters start…end-1 (a passage)."""
        if self._where is None:     # (kept while its report is compared: a section is listed against several)
            self._where = letter_map(markdown[self.offset:self.offset + self.length])
        return self.offset + self._where.offset(start), self.offset + self._where.offset(end - 1) + 1


@dataclass
class Prose:
    """What a report brings to the comparison across agencies: its prose sections and its sample for the index."""

    sections: list[Section]
    sample: array          # the sections' shingles (runs within a paragraph) that the index keeps


def prose_of(markdown: str) -> Prose:
    """A report's `Prose` (worked out in the worker process that checks the report)."""
    sections = [Section(body, offset) for body, offset in prose_parts(markdown)]
    sample = array("I", sorted({h for section in sections for h in section.sample}))
    for section in sections:
        del section.sample
    return Prose(sections, sample)


def candidates(reports: list[AuditedReport]) -> list[tuple[int, list[int]]]:
    """(report, the other agencies' reports to measure it against: up to LISTED, the largest share of the sample
    first) for each report sharing enough of its prose with others (through one index of the batch: not every pair)."""
    index = ShingleIndex(sample=SAMPLE, excluded=format_shingles())
    for i, report in enumerate(reports):
        index.add_shingles(_prose(reports, i).sample, report.group or f"#{i}")
    return [(a, [b for b, _ in sorted(others, key=lambda pair: (-pair[1], pair[0]))[:LISTED]])    # (ties: batch order)
            for a, others in sorted(index.shares(CANDIDATE_SHARE).items())]


def measure(reports: list[AuditedReport], found: list[tuple[int, list[int]]], jobs: int = 1) -> None:
    """Measure each report against its candidates (`candidates`) and fill its `similar_to`: in `jobs` shares
    side by side (`forking`)."""
    # reports that share their best candidate measured one after another (the candidates' shingles kept at hand)
    found = sorted(found, key=lambda item: (item[1][0], item[0]))
    parts = min(max(1, jobs), len(found))
    shares = [found[len(found) * k // parts:len(found) * (k + 1) // parts] for k in range(parts)]
    for similar in side_by_side([partial(_similar, reports, share) for share in shares], jobs):
        for a, listed in similar:
            reports[a].similar_to = listed
    for report in reports:
        report.prose = None


def _prose(reports: list[AuditedReport], i: int) -> Prose:
    kept = reports[i].prose
    return kept if kept is not None else prose_of(reports[i].markdown)


def _similar(reports: list[AuditedReport], candidates: list) -> list[tuple[int, list[Similar]]]:
    """(report, the reports it shares its prose with) for each report and its candidates."""
    @lru_cache(maxsize=32)
    def grams_of(i: int) -> frozenset:
        return frozenset(chain.from_iterable(section.shingles for section in _prose(reports, i).sections)) - wording

    wording = format_shingles()
    out = []
    for a, others in candidates:
        sections, markdown, line_map = _prose(reports, a).sections, None, None
        for section in sections:    # (as Python ints once: measured against up to LISTED reports)
            section.shingles = section.shingles.tolist()
        found = []
        for b in others:
            share, copied, longest = _measure(sections, grams_of(b))
            if share >= LISTED_SHARE and copied >= LISTED_CHARS:
                if markdown is None:            # (read when the first passage is shown)
                    markdown, line_map = reports[a].markdown, reports[a].line_map
                passage = longest[2].span(markdown, *longest[:2]) if longest else None
                other = reports[b]
                found.append(Similar(other.file, other.agency, other.year, share, _passage(markdown, passage),
                                     line_in(markdown, line_map, passage[0]) if passage else None))
        found.sort(key=lambda s: (-s.share, s.file))
        out.append((a, found))
    return out


def _measure(sections: list[Section], other: frozenset) -> tuple[float, int, tuple[int, int, Section] | None]:
    """Share of the sections repeating the other text, the letters repeated, and the longest passage (start, end, section).

    As `similarity.similarity` measures it, with each section's letters worked out once per report and
    the offsets of the longest passage only.
    """
    chars = copied = 0
    longest: tuple[int, int, Section] | None = None
    for section in sections:
        runs = covered_runs(section.letters, section.breaks, other, section.shingles)
        chars, copied = chars + section.size, copied + sum(e - s for s, e in runs)
        for start, end in runs:
            if longest is None or end - start > longest[1] - longest[0]:
                longest = (start, end, section)
    return copied / chars if chars else 0.0, copied, longest


def _passage(markdown: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return ""
    text = re.sub(r"\s+", "", markdown[span[0]:span[1]])
    return text if len(text) <= PASSAGE_CHARS else text[:PASSAGE_CHARS] + "…"


def copying_findings(report: AuditedReport, threshold: float) -> list[Finding]:
    """A warning when the prose repeats another agency's report beyond `threshold`."""
    if not report.similar_to or report.similar_to[0].share <= threshold:
        return []
    top = report.similar_to[0]
    others = "；".join(f"{s.agency or s.file}（{s.file}）{s.share:.0%}" for s in report.similar_to if s.share > threshold)
    return [Finding(severity="warning", category="copying", kind="other_agency", file=report.file, line=top.line,
                    section="document", text=top.passage, found=f"{top.share:.0%}", expected=f"≤{threshold:.0%}",
                    source=top.file,
                    message=f"正文（一、五、六部分）有 {top.share:.0%} 的文字与另一机关的报告相同：{others}"
                            f"（连续 {NGRAM} 个字相同即计入）。最长的相同段落：“{top.passage}”。"
                            "评议时与其他单位雷同会扣分；请核实是否照搬了其他机关的报告，并按本机关的实际工作重写。")]


def clusters(reports: list[AuditedReport], threshold: float) -> list[Cluster]:
    """Reports whose prose repeats another's beyond `threshold`, gathered (each with every report it is linked to
    through such pairs): the largest first."""
    index = {r.file: i for i, r in enumerate(reports)}
    parent = list(range(len(reports)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    shares: dict[int, list[float]] = {}
    for a, report in enumerate(reports):
        for similar in report.similar_to:
            b = index.get(similar.file)
            if b is not None and similar.share > threshold:
                parent[root(a)] = root(b)
                shares.setdefault(a, []).append(similar.share)
    linked_roots = {root(i) for i in shares}
    members: dict[int, list[int]] = {}
    for i in range(len(reports)):
        if root(i) in linked_roots:
            members.setdefault(root(i), []).append(i)
    found = []
    for ids in members.values():
        ids.sort(key=lambda i: reports[i].file)
        linked = [s for i in ids for s in shares.get(i, [])]
        first = reports[ids[0]]
        passage = next((s.passage for s in first.similar_to if s.share > threshold), "")
        found.append(Cluster([reports[i].file for i in ids], [reports[i].agency for i in ids],
                             min(linked), max(linked), passage))
    found.sort(key=lambda c: (-len(c.files), c.files))
    return found
