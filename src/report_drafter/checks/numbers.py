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
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from .. import document, vocab
from ..facts import POINTS, Fact, FactSet, number_text, percent
from ..findings import Finding
from ..mentions import Mention, find_mentions, scaled
from .linking import PARTS_END, Link, link, parts_start
from .result import CheckReport, Skipped, Verified

ZERO_CLAIMS = tuple((re.compile(pattern), facts) for pattern, facts in vocab.ZERO_CLAIMS)
NOT_CORRECTED = re.compile(vocab.NOT_CORRECTED)
ALL_UPHELD = re.compile(vocab.ALL_UPHELD)
CLAIM_GROUPS = tuple((group, re.compile(pattern)) for group, pattern in vocab.CLAIM_GROUPS)
# A finding shows its whole sentence, or this many characters either side of the number in a longer one.
EXCERPT = 120


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


def mention_value(m: Mention) -> Decimal:
    """The mention's value with its 万/亿 multiplier applied, as a Decimal."""
    value = scaled(m)[0]
    return value if isinstance(value, Decimal) else Decimal(value)


# ---------- comparing ----------

def in_base_unit(m: Mention, fact: Fact) -> Decimal | None:
    """The mention's value in the fact's unit, or None when the units cannot describe it."""
    value = mention_value(m)
    unit = m.unit or ""
    if fact.unit == "%":
        return value if m.is_percent else None
    if fact.unit == POINTS:
        return value if unit == POINTS else None
    if m.is_percent or unit == POINTS:
        return None
    if fact.unit == "元":
        if unit.endswith("万元"):
            return value * 10000
        return value if unit in ("元", "") else None
    if fact.unit == "万元":
        if unit == "元":
            return value / 10000
        return value if unit in ("万元", "") else None
    return value if (unit in vocab.COUNT_UNITS or unit == "") else None


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if exponent < 0 else 0


def expected_value(fact: Fact, m: Mention, value: Decimal) -> Decimal:
    """The fact's value as the text should write it: unsigned for a change, a percentage at the text's precision."""
    if fact.ratio is not None and m.is_percent:
        part, whole = fact.ratio
        return percent(abs(part) if fact.key.startswith("change") else part, whole, _places(value))
    expected = Decimal(fact.value)
    if fact.key.startswith("change"):
        expected = abs(expected)
    if m.is_percent or fact.unit == POINTS:
        expected = expected.quantize(Decimal(1).scaleb(-_places(value)), ROUND_HALF_UP)
    return expected


def matches(m: Mention, fact: Fact, value: Decimal, decrease: bool) -> bool:
    if fact.key.startswith("change") and fact.value != 0 and (fact.value < 0) != decrease:
        return False
    expected = expected_value(fact, m, value)
    if m.approximate:
        return value <= expected <= value * Decimal("1.2") + 10
    return value == expected


def expected_text(fact: Fact, m: Mention) -> str:
    value = in_base_unit(m, fact)
    shown = number_text(expected_value(fact, m, value if value is not None else Decimal(0)))
    return f"{shown}%" if m.is_percent else f"{shown}{fact.unit}"


# ---------- judging one number ----------

@dataclass
class Verdict:
    """What the tables say about one number: the fact it matches, or the facts it fails."""

    link: Link
    matched: Fact | None = None
    comparable: list[Fact] = field(default_factory=list)   # table quantities the wording may state
    blank: list[str] = field(default_factory=list)         # … of which the tables leave these blank

    @property
    def table_defined(self) -> bool:
        return bool(self.comparable)

    def is_contradiction(self, m: Mention) -> bool:
        """Unambiguous: every quantity the wording may state is known and has the one value the number differs from."""
        return not self.blank and len({expected_text(f, m) for f in self.comparable}) == 1


class Trail:
    """The links of a sentence's numbers so far: the quantity a bare share or comparison speaks of
    (`previous`), and the whole a 含/其中 list of parts belongs to."""

    def __init__(self, before: Trail | None = None):
        self.previous: Link | None = None
        self.counts: list[tuple[int, Link]] = []          # (end in the sentence, link) of each count
        self.last_count = before.counts[-1][1] if before and before.counts else None

    def whole(self, sentence: str, start: int) -> Link | None:
        marker = parts_start(sentence, start)
        if marker is None:
            return None
        for end, found in reversed(self.counts):
            if end <= marker:
                return found
        # “…申请 21 件。其中，网络申请 14 件”: a sentence that opens with the list speaks of the last one's count
        return self.last_count if not sentence[:marker].strip() else None

    def add(self, m: Mention, end: int, found: Link) -> None:
        if not m.is_percent or (found.keys and found.keys == found.base):   # a count, or a rate (公开率 X%)
            self.previous = found
        if not m.is_percent:
            self.counts.append((end, found))


def judge(m: Mention, sentence: str, start: int, end: int, facts: FactSet, trail: Trail | None = None) -> Verdict:
    """Link the number at sentence[start:end] and compare it with every table quantity it may state;
    `trail` holds the links of the sentence's earlier numbers and is extended by this one."""
    trail = trail if trail is not None else Trail()
    found = link(sentence, start, end, m.is_percent, m.unit, trail.previous, trail.whole(sentence, start))
    trail.add(m, end, found)
    verdict = Verdict(found, blank=[k for k in found.keys if k in facts.blank])
    for key in found.keys:
        fact = facts.get(key)
        value = in_base_unit(m, fact) if fact else None
        if value is None:
            continue
        if matches(m, fact, value, found.decrease):
            verdict.matched = fact
            return verdict
        verdict.comparable.append(fact)
    return verdict


def describe_candidates(facts: list[Fact], m: Mention) -> str:
    """“本年新收政府信息公开申请 3119件（表三 …）、申请总量 3153件（…）”."""
    return "、".join(f"{f.label} {expected_text(f, m)}（{f.source}）" for f in facts)


def _distinct(facts: list[Fact], m: Mention) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for f in facts:
        seen.setdefault(expected_text(f, m), f)
    return list(seen.values())


# ---------- claims (未/无/均) ----------

def check_claims(sentence: str, facts: FactSet) -> list[tuple[str, str, str]]:
    """(claim text, expected, source) for every decidable 未/无/均 claim the tables contradict."""
    return claims(sentence, facts)[1]


def claims(sentence: str, facts: FactSet) -> tuple[int, list[tuple[str, str, str]]]:
    """How many 未/无/均 claims the sentence makes, and those the tables contradict."""
    problems = []
    count = 0
    checked: list[str] = []
    for pattern, keys in ZERO_CLAIMS:
        match = pattern.search(sentence)
        if not match:
            continue
        count += 1
        if any(k in checked for k in keys):
            continue
        checked += keys
        problems += [_claim(match, fact) for fact in (facts[k] for k in keys if k in facts) if fact.value != 0]
    match = NOT_CORRECTED.search(sentence)
    if match:
        count += 1
        for group in _claimed_groups(match.group(0)):
            fact = facts.get(f"{group}_{vocab.CORRECTED}")
            if fact and fact.value:
                problems.append(_claim(match, fact))
    match = ALL_UPHELD.search(sentence)
    if match:
        count += 1
        for group in _claimed_groups(sentence):
            for column in vocab.NOT_UPHELD:
                fact = facts.get(f"{group}_{column}")
                if fact and fact.value:
                    problems.append(_claim(match, fact))
    return count, problems


def _claim(match: re.Match, fact: Fact) -> tuple[str, str, str]:
    return match.group(0), f"{fact.label}{fact.text}{fact.unit}", fact.source


def _claimed_groups(text: str) -> list[str]:
    """The appeal groups a claim names (复议, 诉讼); with none named, both."""
    return [g for g, p in CLAIM_GROUPS if p.search(text)] or [g for g, _ in CLAIM_GROUPS]


# ---------- the checker ----------

def check_numbers(text: str, sources: Sources) -> CheckReport:
    """Check the numbers and claims of the prose sections (一、五、六) of a report's Markdown text."""
    report = CheckReport()
    doc = document.parse_document(text)
    starts = document.line_starts(text)
    for key in document.PROSE_SECTIONS:
        section = doc.sections.get(key)
        if section is None:
            continue
        offset = starts[section.body_line - 1] if section.body_line - 1 < len(starts) else len(text)
        check_prose(section.body, offset, key, sources, report, starts)
    return report


def check_prose(text: str, offset: int, section: str, sources: Sources, report: CheckReport,
                starts: list[int]) -> None:
    """Check one prose passage that starts at char `offset` of a document whose line starts are `starts`."""

    def line_of(position: int) -> int:
        return bisect_right(starts, position)

    scan = find_mentions(text)
    for s in scan.skipped:
        report.skipped.append(Skipped(line_of(offset + s.start), s.raw, s.reason, offset + s.start))
    bounds = list(document.sentence_spans(text))
    trail: Trail | None = None
    sentence_starts = [b[0] for b in bounds]
    by_sentence: dict[int, list[Mention]] = {}
    for m in scan.mentions:
        by_sentence.setdefault(bisect_right(sentence_starts, m.start) - 1, []).append(m)
    for index, (s0, s1) in enumerate(bounds):
        sentence = text[s0:s1]
        line = line_of(offset + s0)
        count, contradicted = claims(sentence, sources.facts)
        report.claims += count
        for claim, expected, source in contradicted:
            shown, span = _excerpt_of(sentence, claim)
            report.findings.append(Finding(
                severity="error", category="numbers", kind="claim", section=section, line=line,
                text=shown, found=claim, expected=expected, source=source,
                message=f"“{claim}”与统计表不符：{expected}", span=span, offset=offset + s0))
        mentions = by_sentence.get(index, [])
        trail = Trail(trail)
        for m in mentions:
            report.mentions += 1
            _check_mention(m, sentence, m.start - s0, m.end - s0, section, line_of(offset + m.start),
                           offset + m.start, sources, report, trail)
        _check_parts(mentions, sentence, s0, section, line, offset + s0, report)


def excerpt(sentence: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """The sentence as a finding shows it (stripped; a window around start:end when it is long), and the span in it."""
    if len(sentence) <= 2 * EXCERPT + (end - start):
        shift = len(sentence) - len(sentence.lstrip())
        return sentence.strip(), (start - shift, end - shift)
    lo, hi = max(0, start - EXCERPT), min(len(sentence), end + EXCERPT)
    head = "…" if lo else ""
    return head + sentence[lo:hi] + ("…" if hi < len(sentence) else ""), (start - lo + len(head), end - lo + len(head))


def _excerpt_of(sentence: str, part: str) -> tuple[str, tuple[int, int]]:
    i = sentence.find(part)
    if i < 0:
        return excerpt(sentence, 0, 0)[0], (0, 0)
    return excerpt(sentence, i, i + len(part))


def _check_mention(m: Mention, sentence: str, start: int, end: int, section: str, line: int, at: int,
                   sources: Sources, report: CheckReport, trail: Trail | None = None) -> Verdict:
    found = sentence[start:end]
    span = (at, at + end - start)
    verdict = judge(m, sentence, start, end, sources.facts, trail)
    if verdict.matched:
        report.verified.append(Verified(section, line, found, verdict.matched.source, at, span))
        return verdict
    shown, shown_span = excerpt(sentence, start, end)
    where = {"section": section, "line": line, "text": shown, "found": found, "offset": at, "span": shown_span,
             "category": "numbers"}
    if verdict.table_defined:
        report.findings.append(_table_finding(m, found, verdict, sources.strict, where))
        return verdict
    note = _note_source(m, sources.notes_by_value)
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

    An ambiguous mismatch is wrong under every reading the checker knows, but the writer may mean a
    quantity it does not derive: an error in a draft (whose every number must trace to a source), a
    warning in a published report (as numbers without a source are there).
    """
    if verdict.is_contradiction(m):
        fact = verdict.comparable[0]
        want = expected_text(fact, m)
        return Finding(severity="error", kind="contradiction", expected=want, source=fact.source,
                       message=f"“{found}”应为“{want}”（{fact.label}，来源：{fact.source}）", **where)
    facts = _distinct(verdict.comparable, m)
    wants = "或".join(expected_text(f, m) for f in facts)
    blank = f"；另有 {len(verdict.blank)} 项对应的统计表单元格为空" if verdict.blank else ""
    return Finding(
        severity="error" if strict else "warning", kind="ambiguous", expected=wants,
        source="；".join(f.source for f in facts),
        message=(f"“{found}”与统计表不符。这句话的说法可以指：{describe_candidates(facts, m)}{blank}，"
                 f"都对不上。请核实数字，并写明指的是哪一项"), **where)


def _note_source(m: Mention, notes: dict[Decimal, list[NoteNumber]]) -> str | None:
    for n in notes.get(mention_value(m), ()):
        if n.unit == m.unit or not n.unit or not m.unit:
            return n.source
    return None


def _check_parts(mentions: list[Mention], sentence: str, s0: int, section: str, line: int, at: int,
                 report: CheckReport) -> None:
    """“X件，其中A件、B件”: the parts may not add up to more than the whole."""
    idx = sentence.find("其中")
    if idx < 0:
        return
    whole = [m for m in mentions if m.start - s0 < idx and not m.is_percent]
    stop = PARTS_END.search(sentence, idx)
    limit = stop.start() if stop else len(sentence)
    unit = whole[-1].unit if whole else None
    parts = [m for m in mentions if idx < m.start - s0 < limit and not m.is_percent and m.unit == unit]
    if not whole or len(parts) < 2:
        return
    total = sum(mention_value(p) for p in parts)
    if total <= mention_value(whole[-1]):
        return
    head = whole[-1]
    text = sentence[head.start - s0: head.end - s0]
    shown, span = excerpt(sentence, head.start - s0, head.end - s0)
    report.findings.append(Finding(
        severity="error", category="numbers", kind="parts", section=section, line=line, text=shown,
        found=number_text(total), expected=text, offset=at, span=span,
        message=f"“其中”各项之和为 {number_text(total)}，超过了总数“{text}”"))


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
                shown, span = _excerpt_of(sentence, claim)
                findings.append(Finding(
                    severity="error", category="numbers", kind="note", file=notes.file, line=line, text=shown,
                    span=span, found=claim, expected=expected, source=source,
                    message=f"工作记录中的“{claim}”与统计表不符：{expected}（{source}）。请改正工作记录"))
    return findings


def _note_finding(m: Mention, sentence: str, start: int, end: int, verdict: Verdict, file: str,
                  line: int) -> Finding:
    found = sentence[start:end]
    shown, span = excerpt(sentence, start, end)
    facts = [verdict.comparable[0]] if verdict.is_contradiction(m) else _distinct(verdict.comparable, m)
    wants = "或".join(expected_text(f, m) for f in facts)
    return Finding(
        severity="error", category="numbers", kind="note", file=file, line=line, text=shown, span=span,
        found=found, expected=wants, source="；".join(f.source for f in facts),
        message=(f"工作记录中的“{found}”与统计表不符：{describe_candidates(facts, m)}。"
                 "统计表中有的数字一律以统计表为准，正文不会采用工作记录中的这个数。请改正工作记录（或先核对统计表）"))
