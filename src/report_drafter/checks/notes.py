"""The work notes against the tables: a note may add what the tables do not hold, never contradict them."""

from __future__ import annotations

import re

from .. import document
from ..facts import FactSet
from ..findings import Finding
from ..mentions import Mention, find_mentions
from ..vocab import NOTE_OTHER_MARK, NOTE_OTHER_MATTERS, NOTE_TABLE_SCOPE, NOTE_TABLE_TOPICS

from .claims import check_claims
from .judging import Trail, Verdict, describe_candidates, distinct, excerpt, excerpt_of, expected_text, judge


# ---------- the work notes against the tables ----------

IN_SCOPE, OTHER, UNCLEAR = "tables", "other", "unclear"


def note_scope(topic: str, sentence: str, marked: bool = False) -> str:
    """Whether a note speaks of what the tables count (政府信息公开), of other work, or cannot be told.

    `marked`: the clerk wrote NOTE_OTHER_MARK before the note (it is about other work, whatever it says)."""
    if marked:
        return OTHER
    if re.search(NOTE_TABLE_SCOPE, sentence):
        return IN_SCOPE
    if re.search(NOTE_OTHER_MATTERS, sentence):
        return OTHER
    return IN_SCOPE if topic in NOTE_TABLE_TOPICS else UNCLEAR


_CLAUSE_BREAK = re.compile(r"[，,；;。！？]")


def about_other_work(sentence: str, start: int = 0, end: int | None = None) -> bool:
    """Whether the clause of a sentence holding `start:end` names other work than the tables count, and not theirs
    (a note used as written may be joined to a sentence about 政府信息公开)."""
    end = len(sentence) if end is None else end
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence)]
    left = max((b for b in breaks if b < start), default=-1) + 1
    right = min((b for b in breaks if b >= end), default=len(sentence))
    return note_scope("", sentence[left:right]) == OTHER


def check_notes(notes, facts: FactSet) -> list[Finding]:
    """Note lines that state a quantity the tables define, with a different value: the tables win.

    `notes` is a parsed notes.md (notes.Notes). Each finding names the notes file and line, the
    number, and the table cell (or derivation) it contradicts. Numbers the tables do not define are
    the notes' own and are not judged here. Only a note about the tables' own scope is an error; one about
    other work is used as written, and one whose scope cannot be told is a warning (`note_scope`).
    """
    findings = []
    for topic, line, entry in notes.entries():
        mentions = find_mentions(entry).mentions
        trail: Trail | None = None
        for s0, s1 in document.sentence_spans(entry):
            sentence = entry[s0:s1]
            trail = Trail(trail)
            scope = note_scope(topic, sentence, line in notes.other_work)
            if scope == OTHER:
                continue
            found = []
            for m in (m for m in mentions if s0 <= m.start < s1):
                verdict = judge(m, sentence, m.start - s0, m.end - s0, facts, trail)
                if verdict.table_defined and not verdict.matched:
                    found.append(_note_finding(m, sentence, m.start - s0, m.end - s0, verdict, notes.file, line))
            for claim, expected, source in check_claims(sentence, facts):
                shown, span = excerpt_of(sentence, claim)
                found.append(Finding(
                    severity="error", category="numbers", kind="note", file=notes.file, line=line, text=shown,
                    span=span, found=claim, expected=expected, source=source,
                    message=f"工作记录中的“{claim}”与统计表不符：{expected}（{source}）。请改正工作记录"))
            findings += found if scope == IN_SCOPE else [_unclear(f) for f in found]
    return findings


def _unclear(finding: Finding) -> Finding:
    """A note that may or may not be about the tables' scope: said as a warning, the clerk decides."""
    finding.severity = "warning"
    finding.message = (f"工作记录中的“{finding.found}”如果说的是政府信息公开工作，与统计表不符（应为 {finding.expected}，"
                       f"{finding.source}）。如果是，请改正并写明“政府信息公开”；如果说的是其他工作，"
                       f"请在这一条开头写“{NOTE_OTHER_MARK}”，这个提示就不再出现")
    return finding


def _note_finding(m: Mention, sentence: str, start: int, end: int, verdict: Verdict, file: str,
                  line: int) -> Finding:
    found = sentence[start:end]
    shown, span = excerpt(sentence, start, end)
    facts = [verdict.comparable[0]] if verdict.is_contradiction(m) else distinct(verdict.comparable, m)
    wants = "或".join(expected_text(f, m) for f in facts)
    return Finding(
        severity="error", category="numbers", kind="note", file=file, line=line, text=shown, span=span,
        found=found, expected=wants, source="；".join(f.source for f in facts),
        message=(f"工作记录中的“{found}”与统计表不符：{describe_candidates(facts, m)}。"
                 "统计表中有的数字一律以统计表为准，正文不会采用工作记录中的这个数。请改正工作记录（或先核对统计表）"))

