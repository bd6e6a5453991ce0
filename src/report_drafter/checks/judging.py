"""Judging one number: which quantity its wording states, and whether the value agrees (with the rounding the text uses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .. import vocab
from ..facts import POINTS, Fact, FactSet, number_text, percent
from ..mentions import Mention, scaled
from .linking import Link, link, parts_start

EXCERPT = 120          # characters of a long sentence shown around a number


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


def stated_text(fact: Fact, m: Mention) -> str:
    """The fact as a message states it: a change with its direction (“下降 7件”: the number alone may be right)."""
    shown = expected_text(fact, m)
    if fact.key.startswith("change"):
        return "持平（0）" if fact.value == 0 else ("增长 " if fact.value > 0 else "下降 ") + shown
    return shown


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
    return weigh(m, follow(m, sentence, start, end, trail), facts)


def follow(m: Mention, sentence: str, start: int, end: int, trail: Trail | None = None) -> Link:
    """The quantities the number at sentence[start:end] may state, after the sentence's earlier numbers
    (`trail`, extended by this one): what `judge` compares with the facts, whatever they are."""
    trail = trail if trail is not None else Trail()
    found = link(sentence, start, end, m.is_percent, m.unit, trail.previous, trail.whole(sentence, start))
    trail.add(m, end, found)
    return found


def weigh(m: Mention, found: Link, facts: FactSet) -> Verdict:
    """The number `m`, linked to the quantities `found`, compared with their facts."""
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
    return "、".join(f"{f.label} {stated_text(f, m)}（{f.source}）" for f in facts)


def distinct(facts: list[Fact], m: Mention) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for f in facts:
        seen.setdefault(expected_text(f, m), f)
    return list(seen.values())


def excerpt(sentence: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """The sentence as a finding shows it (stripped; a window around start:end when it is long), and the span in it."""
    if len(sentence) <= 2 * EXCERPT + (end - start):
        shift = len(sentence) - len(sentence.lstrip())
        return sentence.strip(), (start - shift, end - shift)
    lo, hi = max(0, start - EXCERPT), min(len(sentence), end + EXCERPT)
    head = "…" if lo else ""
    return head + sentence[lo:hi] + ("…" if hi < len(sentence) else ""), (start - lo + len(head), end - lo + len(head))


def excerpt_of(sentence: str, part: str) -> tuple[str, tuple[int, int]]:
    i = sentence.find(part)
    if i < 0:
        return excerpt(sentence, 0, 0)[0], (0, 0)
    return excerpt(sentence, i, i + len(part))
