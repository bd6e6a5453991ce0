"""The work notes against the tables: a note may add what the tables do not hold, never contradict them."""

from __future__ import annotations


from .. import document
from ..facts import FactSet
from ..findings import Finding
from ..mentions import Mention, find_mentions

from .claims import check_claims
from .judging import Trail, Verdict, describe_candidates, distinct, excerpt, excerpt_of, expected_text, judge


# ---------- the work notes against the tables ----------

def check_notes(notes, facts: FactSet) -> list[Finding]:
    """Note lines that state a quantity the tables define, with a different value: the tables win.

    `notes` is a parsed notes.md (notes.Notes). Each finding names the notes file and line, the
    number, and the table cell (or derivation) it contradicts. Numbers the tables do not define are
    the notes' own and are not judged here.
    """
    findings = []
    for _topic, line, entry in notes.entries():
        mentions = find_mentions(entry).mentions
        trail: Trail | None = None
        for s0, s1 in document.sentence_spans(entry):
            sentence = entry[s0:s1]
            trail = Trail(trail)
            for m in (m for m in mentions if s0 <= m.start < s1):
                verdict = judge(m, sentence, m.start - s0, m.end - s0, facts, trail)
                if verdict.table_defined and not verdict.matched:
                    findings.append(_note_finding(m, sentence, m.start - s0, m.end - s0, verdict, notes.file, line))
            for claim, expected, source in check_claims(sentence, facts):
                shown, span = excerpt_of(sentence, claim)
                findings.append(Finding(
                    severity="error", category="numbers", kind="note", file=notes.file, line=line, text=shown,
                    span=span, found=claim, expected=expected, source=source,
                    message=f"工作记录中的“{claim}”与统计表不符：{expected}（{source}）。请改正工作记录"))
    return findings


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

