"""The number checker: every number and every 未/无/均 claim in the prose, traced to its source.

Pure: it takes a report's Markdown text and the `Sources` (facts, numbers of the notes) and
returns a CheckReport; it knows nothing of workspaces or files.

Precedence: a number whose sentence states a quantity the tables define is checked against the
tables, always; the work notes support only numbers the tables do not define. A number is an
error (a contradiction) only when every quantity its wording may state has one value and the
number differs from it; when the wording fits several quantities of different values and the
number matches none of them, the finding lists them all (`ambiguous`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache

from .. import document
from ..facts import FactSet, number_text
from ..findings import Finding
from ..mentions import Mention, find_mentions
from .claims import CONSULTED, claims, may_claim
from .judging import (Trail, Verdict, describe_candidates, distinct, excerpt, excerpt_of, expected_text, follow,
                      mention_value, stated_text, weigh)
from .linking import Link
from .notes import about_other_work
from .result import CheckReport, Skipped, Verified

# A finding shows its whole sentence, or this many characters either side of the number in a longer one.


@dataclass
class NoteNumber:
    value: Decimal
    unit: str | None
    source: str


@dataclass
class Sources:
    """What prose numbers may come from: the facts, the notes, and whether a stray number is an error."""

    facts: FactSet
    notes: list[NoteNumber] = field(default_factory=list)
    strict: bool = True     # a draft: unsupported numbers are errors; a published report: warnings

    @cached_property
    def notes_by_value(self) -> dict[Decimal, list[NoteNumber]]:
        index: dict[Decimal, list[NoteNumber]] = {}
        for n in self.notes:
            index.setdefault(n.value, []).append(n)
        return index


def note_numbers(notes) -> list[NoteNumber]:
    """Every number written in the work notes, with file:line as its source."""
    out = []
    for _topic, line, text in notes.entries():
        for m in find_mentions(text).mentions:
            out.append(NoteNumber(mention_value(m), m.unit, f"{notes.file}:{line}（{text[:30]}）"))
    return out


# ---------- the checker ----------

# A report checked twice (alone, then with last year's report) has its numbers found once.
_scan = lru_cache(maxsize=16)(find_mentions)


@dataclass
class _Sentence:
    start: int                   # offset in its passage
    text: str
    line: int
    mentions: list[tuple[Mention, int, Link]]    # each with its line and the quantities it may state
    may_claim: bool = True       # whether it may make a 未/无/均 claim (most sentences make none)


@dataclass
class _Passage:
    section: str
    offset: int                  # of the passage in the document
    sentences: list[_Sentence]
    skipped: list[tuple[int, str, str, int]]     # (line, raw, reason, offset) of the numbers left out


@dataclass
class Prose:
    """The prose sections of a report's Markdown cut into sentences, their numbers found and linked to the
    quantities they may state: what the checker reads of the text, whatever the facts, so one text is checked
    against several readings of a table without reading it again (importing.settling)."""

    passages: list[_Passage]

    def may_state(self, keys: set[str]) -> bool:
        """Whether a number of the prose may state one of these quantities (a claim may be judged by one)."""
        return not keys.isdisjoint(CONSULTED) or any(
            not keys.isdisjoint(found.keys)
            for passage in self.passages for sentence in passage.sentences for _, _, found in sentence.mentions)


def read_prose(text: str) -> Prose:
    """The prose sections (一、五、六) of a report's Markdown text, ready to be checked."""
    doc = document.parse_document(text)
    starts = document.line_starts(text)
    passages = []
    for key in document.PROSE_SECTIONS:
        section = doc.sections.get(key)
        if section is None:
            continue
        offset = starts[section.body_line - 1] if section.body_line - 1 < len(starts) else len(text)
        passages.append(_passage(section.body, offset, key, starts))
    return Prose(passages)


def _passage(text: str, offset: int, section: str, starts: list[int]) -> _Passage:
    """One prose passage that starts at char `offset` of a document whose line starts are `starts`."""

    def line_of(position: int) -> int:
        return bisect_right(starts, position)

    scan = _scan(text)
    skipped = [(line_of(offset + s.start), s.raw, s.reason, offset + s.start) for s in scan.skipped]
    bounds = list(document.sentence_spans(text))
    sentence_starts = [b[0] for b in bounds]
    by_sentence: dict[int, list[Mention]] = {}
    for m in scan.mentions:
        by_sentence.setdefault(bisect_right(sentence_starts, m.start) - 1, []).append(m)
    sentences = []
    trail: Trail | None = None
    for index, (s0, s1) in enumerate(bounds):
        sentence = text[s0:s1]
        trail = Trail(trail)
        mentions = [(m, line_of(offset + m.start), follow(m, sentence, m.start - s0, m.end - s0, trail))
                    for m in by_sentence.get(index, [])]
        sentences.append(_Sentence(s0, sentence, line_of(offset + s0), mentions, may_claim(sentence)))
    return _Passage(section, offset, sentences, skipped)


def check_numbers(text: str, sources: Sources) -> CheckReport:
    """Check the numbers and claims of the prose sections (一、五、六) of a report's Markdown text."""
    return check_prose(read_prose(text), sources)


def check_prose(prose: Prose, sources: Sources, keys: set[str] | None = None) -> CheckReport:
    """Check the numbers and claims of prose already read (`read_prose`); with `keys`, only the numbers
    that may state one of these quantities (the others are judged by facts that `keys` leaves out)."""
    report = CheckReport()
    for passage in prose.passages:
        _check_passage(passage, sources, report, keys)
    return report


def _check_passage(passage: _Passage, sources: Sources, report: CheckReport, keys: set[str] | None) -> None:
    section, offset = passage.section, passage.offset
    report.skipped += [Skipped(*skipped) for skipped in passage.skipped]
    for sentence in passage.sentences:
        s0, text, line = sentence.start, sentence.text, sentence.line
        count, contradicted = claims(text, sources.facts) if sentence.may_claim else (0, ())
        report.claims += count
        for claim, expected, source in contradicted:
            shown, span = excerpt_of(text, claim)
            report.findings.append(Finding(
                severity="error", category="numbers", kind="claim", section=section, line=line,
                text=shown, found=claim, expected=expected, source=source,
                message=f"“{claim}”与统计表不符：{expected}", span=span, offset=offset + s0 + max(text.find(claim), 0)))
        for m, m_line, found in sentence.mentions:
            if keys is not None and keys.isdisjoint(found.keys):
                continue
            report.mentions += 1
            _check_mention(m, text, m.start - s0, m.end - s0, section, m_line, offset + m.start, sources, report,
                           weigh(m, found, sources.facts))
        _check_parts(sentence.mentions, text, s0, section, line, offset, report)


def _check_mention(m: Mention, sentence: str, start: int, end: int, section: str, line: int, at: int,
                   sources: Sources, report: CheckReport, verdict: Verdict) -> Verdict:
    found = sentence[start:end]
    span = (at, at + end - start)
    if verdict.matched:
        report.verified.append(Verified(section, line, found, verdict.matched.source, at, span))
        return verdict
    shown, shown_span = excerpt(sentence, start, end)
    where = {"section": section, "line": line, "text": shown, "found": found, "offset": at, "span": shown_span,
             "category": "numbers"}
    note = _note_source(m, sources.notes_by_value)
    if verdict.table_defined and note and about_other_work(sentence, start, end):
        # a sentence about other work than the tables count (complaints, petitions …), as the notes state it
        report.verified.append(Verified(section, line, found, note, at, span))
        return verdict
    if verdict.table_defined:
        report.findings.append(_table_finding(m, found, verdict, sources.strict, where))
        return verdict
    if note:
        report.verified.append(Verified(section, line, found, note, at, span))
    elif verdict.blank:
        report.findings.append(Finding(
            severity="warning", kind="blank", message=f"“{found}”对应的统计表单元格为空，无法核对。请补填统计表后再核对", **where))
    elif sources.strict:
        report.findings.append(Finding(
            severity="error", kind="unsupported",
            message=f"“{found}”在统计表和工作记录中找不到依据。请核实；如属实，请把它记入 notes.md 对应栏目", **where))
    else:
        report.findings.append(Finding(
            severity="warning", kind="unsupported", message=f"“{found}”不是统计表中的数据，无法核对，请核实来源", **where))
    return verdict


def _table_finding(m: Mention, found: str, verdict: Verdict, strict: bool, where: dict) -> Finding:
    """A number that states a table quantity and matches none: a contradiction, or an ambiguous mismatch.

    An ambiguous mismatch is wrong under every reading its wording allows (“同比增长 2.3%” of new
    applications or of new and carried-over ones): an error that lists the readings. When some reading's
    cell is blank the number may be right after all: an error only in a draft (whose every number must
    trace to a source).
    """
    if verdict.is_contradiction(m):
        fact = verdict.comparable[0]
        want = expected_text(fact, m)
        return Finding(severity="error", kind="contradiction", expected=want, source=fact.source,
                       message=f"“{found}”应为“{stated_text(fact, m)}”（{fact.label}，来源：{fact.source}）", **where)
    facts = distinct(verdict.comparable, m)
    wants = "或".join(expected_text(f, m) for f in facts)
    blank = f"；另有 {len(verdict.blank)} 项对应的统计表单元格为空" if verdict.blank else ""
    return Finding(
        severity="error" if strict or not verdict.blank else "warning", kind="ambiguous", expected=wants,
        source="；".join(f.source for f in facts),
        message=(f"“{found}”与统计表不符。这句话的说法可以指：{describe_candidates(facts, m)}{blank}，"
                 f"都对不上。请核实数字，并写明指的是哪一项"), **where)


def _note_source(m: Mention, notes: dict[Decimal, list[NoteNumber]]) -> str | None:
    for n in notes.get(mention_value(m), ()):
        if n.unit == m.unit or not n.unit or not m.unit:
            return n.source
    return None


_LIST_END = re.compile(r"[；;]|另有|另外|此外")


def _parts_list(sentence: str, start: int) -> tuple[int, list[tuple[int, int]]]:
    """Where the list after “其中” ends, and the brackets inside it (a breakdown of one part, not parts).

    The list ends at a 另有/；, or at a bracket closing one opened before “其中”.
    """
    nested: list[tuple[int, int]] = []
    opened: list[int] = []
    for i in range(start, len(sentence)):
        ch = sentence[i]
        if ch in "（(":
            opened.append(i)
        elif ch in "）)":
            if not opened:
                return i, nested
            nested.append((opened.pop(), i))
        elif not opened and _LIST_END.match(sentence, i):
            return i, nested
    return len(sentence), nested


def _check_parts(found: list[tuple[Mention, int, Link]], sentence: str, s0: int, section: str, line: int,
                 offset: int, report: CheckReport) -> None:
    """“X件，其中A件、B件”: the parts may not add up to more than the whole."""
    idx = sentence.find("其中")
    if idx < 0:
        return
    mentions = [m for m, _, _ in found]
    whole = [m for m in mentions if m.start - s0 < idx and not m.is_percent]
    limit, nested = _parts_list(sentence, idx)
    unit = whole[-1].unit if whole else None
    parts = [m for m in mentions if idx < m.start - s0 < limit and not m.is_percent and m.unit == unit
             and not any(a <= m.start - s0 < b for a, b in nested)]
    if not whole or len(parts) < 2:
        return
    values = [mention_value(p) for p in parts]
    total, limit_value = sum(values), mention_value(whole[-1])
    if total <= limit_value or total - limit_value in values[1:]:
        return      # one item is a part of another (“政务信息 393 条，解读类信息 21 条”): the rest add up
    head = whole[-1]
    head_line = next((m_line for m, m_line, _ in found if m is head), line)
    text = sentence[head.start - s0: head.end - s0]
    shown, span = excerpt(sentence, head.start - s0, head.end - s0)
    report.findings.append(Finding(
        severity="error", category="numbers", kind="parts", section=section, line=head_line, text=shown,
        found=text, expected=f"≥ {number_text(total)}", offset=offset + head.start, span=span,
        message=f"“其中”各项之和为 {number_text(total)}，超过了总数“{text}”"))
