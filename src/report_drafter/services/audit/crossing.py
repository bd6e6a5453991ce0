"""Copying across agencies: which reports of a batch share their prose with another agency's report.

Candidates come from one inverted index of 8-character shingles over the whole batch
(`similarity.ShingleIndex`: work grows with the batch, not with its square, and wording that
many agencies share — the format's — is left out). Each candidate pair is then measured as
copying from last year's report is: the share of this report's prose (一、五、六) found, 8
characters or more in a row, in the other's, and the longest such passages.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ... import document
from ...findings import Finding
from ...similarity import NGRAM, ShingleIndex, grams, letters, similarity
from .result import AuditedReport, Similar

CANDIDATE_SHARE = 0.05     # shingles shared (format wording left out) for a pair to be measured
LISTED_SHARE = 0.1         # share of the prose for another report to be listed
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


def compare_agencies(reports: list[AuditedReport]) -> None:
    """Fill each report's `similar_to`: other agencies' reports sharing its prose, largest share first."""
    parts = [prose_parts(r.markdown) for r in reports]
    index = ShingleIndex()
    for i, (report, sections) in enumerate(zip(reports, parts)):
        index.add("\n".join(body for body, _ in sections), report.group or f"#{i}")

    @lru_cache(maxsize=256)
    def prior_grams(i: int) -> frozenset:
        return frozenset(grams(letters("\n".join(body for body, _ in parts[i]))))

    for a, candidates in index.shares(CANDIDATE_SHARE).items():
        found = []
        for b, _ in candidates[:LISTED * 2]:
            share, passage = _measure(parts[a], prior_grams(b))
            if share >= LISTED_SHARE:
                other = reports[b]
                text = _passage(reports[a].markdown, passage)
                found.append(Similar(other.file, other.agency, other.year, share, text,
                                     reports[a].line_of(passage[0]) if passage else None))
        found.sort(key=lambda s: -s.share)
        reports[a].similar_to = found[:LISTED]


def _measure(sections: list[tuple[str, int]], other: frozenset) -> tuple[float, tuple[int, int] | None]:
    """Share of the sections repeating the other text, and the longest passage (offsets in the Markdown)."""
    chars = copied = 0
    longest = None
    for body, offset in sections:
        found = similarity(body, other)
        chars, copied = chars + found.chars, copied + found.copied
        if found.passages:
            start, end = found.passages[0]
            if longest is None or end - start > longest[1] - longest[0]:
                longest = (offset + start, offset + end)
    return (copied / chars if chars else 0.0), longest


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
