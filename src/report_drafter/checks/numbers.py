"""The number checker: every number and every 未/无/均 claim in the prose, traced to its source.

Pure: it takes a report's Markdown text and the `Sources` (facts, numbers of the notes) and
returns a CheckReport; it knows nothing of workspaces or files.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .. import document, vocab
from ..facts import Fact, FactSet, number_text
from ..findings import Finding
from ..mentions import Mention, find_mentions, scaled
from .linking import DECREASE, candidates
from .result import CheckReport, Skipped, Verified

ZERO_CLAIMS = tuple((re.compile(pattern), facts) for pattern, facts in vocab.ZERO_CLAIMS)
ALL_UPHELD = re.compile(vocab.ALL_UPHELD)
UPHELD_GROUPS = tuple((group, re.compile(pattern)) for group, pattern in vocab.UPHELD_GROUPS)


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
    if m.is_percent:
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


def matches(m: Mention, fact: Fact, value: Decimal, decrease: bool) -> bool:
    expected = Decimal(fact.value)
    if fact.key.startswith("change"):
        if (expected < 0) != decrease and expected != 0:
            return False
        expected = abs(expected)
    if m.is_percent:
        places = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
        expected = expected.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if m.approximate:
        return value <= expected <= value * Decimal("1.2") + 10
    return value == expected


def expected_text(fact: Fact, m: Mention) -> str:
    value = abs(Decimal(fact.value)) if fact.key.startswith("change") else Decimal(fact.value)
    return f"{number_text(value)}%" if m.is_percent else f"{number_text(value)}{fact.unit}"


# ---------- claims (未/无/均) ----------

def check_claims(sentence: str, facts: FactSet) -> list[tuple[str, str, str]]:
    """(claim text, expected, source) for every decidable 未/无/均 claim the tables contradict."""
    problems = []
    checked: list[str] = []
    for pattern, keys in ZERO_CLAIMS:
        match = pattern.search(sentence)
        if not match or any(k in checked for k in keys):
            continue
        checked += keys
        for fact in (facts[k] for k in keys if k in facts and facts[k].value != 0):
            problems.append((match.group(0), f"{fact.label}{fact.text}{fact.unit}", fact.source))
    match = ALL_UPHELD.search(sentence)
    if match:
        groups = [group for group, pattern in UPHELD_GROUPS if pattern.search(sentence)]
        for group in groups or [group for group, _ in UPHELD_GROUPS]:
            for column in vocab.NOT_UPHELD:
                fact = facts.get(f"{group}_{column}")
                if fact and fact.value:
                    problems.append((match.group(0), f"{fact.label}{fact.text}{fact.unit}", fact.source))
    return problems


def count_claims(sentence: str) -> int:
    return sum(1 for pattern, _ in ZERO_CLAIMS if pattern.search(sentence)) + (1 if ALL_UPHELD.search(sentence) else 0)


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
    sentence_starts = [b[0] for b in bounds]
    by_sentence: dict[int, list[Mention]] = {}
    for m in scan.mentions:
        by_sentence.setdefault(bisect_right(sentence_starts, m.start) - 1, []).append(m)
    for index, (s0, s1) in enumerate(bounds):
        sentence = text[s0:s1]
        line = line_of(offset + s0)
        report.claims += count_claims(sentence)
        for claim, expected, source in check_claims(sentence, sources.facts):
            report.findings.append(Finding(
                severity="error", category="numbers", kind="claim", section=section, line=line,
                text=sentence.strip(), found=claim, expected=expected, source=source,
                message=f"“{claim}”与统计表不符：{expected}", span=_span(sentence, claim), offset=offset + s0))
        mentions = by_sentence.get(index, [])
        for m in mentions:
            report.mentions += 1
            _check_mention(m, sentence, m.start - s0, m.end - s0, section, line_of(offset + m.start),
                           offset + m.start, sources, report)
        _check_parts(mentions, sentence, s0, section, line, offset + s0, report)


def _span(sentence: str, part: str) -> tuple[int, int]:
    """Span of `part` in the stripped sentence (as findings show it)."""
    shift = len(sentence) - len(sentence.lstrip())
    i = sentence.find(part)
    return (i - shift, i - shift + len(part)) if i >= 0 else (0, 0)


def _check_mention(m: Mention, sentence: str, start: int, end: int, section: str, line: int, at: int,
                   sources: Sources, report: CheckReport) -> None:
    keys = [k for k in candidates(sentence, start, end, m.is_percent, m.unit) if k in sources.facts]
    found = sentence[start:end]
    decrease = bool(DECREASE.search(sentence[:end]))
    span = (at, at + end - start)
    for key in keys:
        fact = sources.facts[key]
        value = in_base_unit(m, fact)
        if value is not None and matches(m, fact, value, decrease):
            report.verified.append(Verified(section, line, found, fact.source, at, span))
            return
    note = _note_source(m, sources.notes)
    if note:
        report.verified.append(Verified(section, line, found, note, at, span))
        return
    shift = len(sentence) - len(sentence.lstrip())
    where = dict(section=section, line=line, text=sentence.strip(), found=found, offset=at,
                 span=(start - shift, end - shift), category="numbers")
    comparable = [sources.facts[k] for k in keys if in_base_unit(m, sources.facts[k]) is not None]
    if comparable:
        fact = comparable[0]
        want = expected_text(fact, m)
        report.findings.append(Finding(
            severity="error", kind="contradiction", expected=want, source=fact.source,
            message=f"“{found}”应为“{want}”（{fact.label}，来源：{fact.source}）", **where))
        return
    if sources.strict:
        severity, message = "error", f"“{found}”在统计表和工作记录中找不到依据。请核实；如属实，请把它记入 notes.md 对应栏目"
    else:
        severity, message = "warning", f"“{found}”不是统计表中的数据，无法核对，请核实来源"
    report.findings.append(Finding(severity=severity, kind="unsupported", message=message, **where))


def _note_source(m: Mention, notes: list[NoteNumber]) -> str | None:
    value = mention_value(m)
    for n in notes:
        if n.value == value and (n.unit == m.unit or not n.unit or not m.unit):
            return n.source
    return None


def _check_parts(mentions: list[Mention], sentence: str, s0: int, section: str, line: int, at: int,
                 report: CheckReport) -> None:
    """“X件，其中A件、B件”: the parts may not add up to more than the whole."""
    idx = sentence.find("其中")
    if idx < 0:
        return
    whole = [m for m in mentions if m.start - s0 < idx and not m.is_percent]
    stop = re.search(r"[；;）)]", sentence[idx:])
    limit = idx + (stop.start() if stop else len(sentence))
    unit = whole[-1].unit if whole else None
    parts = [m for m in mentions if idx < m.start - s0 < limit and not m.is_percent and m.unit == unit]
    if not whole or len(parts) < 2:
        return
    total = sum(mention_value(p) for p in parts)
    if total <= mention_value(whole[-1]):
        return
    head = whole[-1]
    text = sentence[head.start - s0: head.end - s0]
    shift = len(sentence) - len(sentence.lstrip())
    report.findings.append(Finding(
        severity="error", category="numbers", kind="parts", section=section, line=line, text=sentence.strip(),
        found=number_text(total), expected=text, offset=at,
        span=(head.start - s0 - shift, head.end - s0 - shift),
        message=f"“其中”各项之和为 {number_text(total)}，超过了总数“{text}”"))
