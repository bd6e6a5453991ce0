"""Scoring a report with a rule pack: each rule deducts, passes, or cannot be judged (and says why)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..findings import Finding
from .model import Rule, RulePack, deadline


@dataclass
class Evidence:
    """What the checks know about one report, as the rules ask it."""

    year: int
    findings: list[Finding]
    published: date | None = None           # the report's 落款 date (or its page's publication date)
    published_line: int | None = None
    published_how: str = ""                 # where that date was read (落款 / 网页发布时间)
    last_year_share: float | None = None    # None: no last year's report in reach
    last_year_label: str = ""
    other_share: float | None = None        # None: not compared with other agencies (a single report)
    other_agency: str = ""
    missing: bool | None = False            # None: not known (no list of expected reports)


@dataclass
class Deduction:
    rule: str
    points: Decimal
    text: str
    lines: list[int] = field(default_factory=list)
    why: str = ""                           # the evidence in a few words

    def as_dict(self) -> dict:
        return {"rule": self.rule, "points": _number(self.points), "text": self.text, "lines": self.lines,
                "why": self.why}


@dataclass
class Unjudged:
    rule: str
    text: str
    reason: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "text": self.text, "reason": self.reason}


@dataclass
class Score:
    pack: str
    max: Decimal
    deductions: list[Deduction]
    unjudged: list[Unjudged]

    @property
    def score(self) -> Decimal:
        return max(Decimal(0), self.max - sum((d.points for d in self.deductions), Decimal(0)))

    def as_dict(self) -> dict:
        return {"pack": self.pack, "max": _number(self.max), "score": _number(self.score),
                "deductions": [d.as_dict() for d in self.deductions],
                "unjudged": [u.as_dict() for u in self.unjudged]}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def score(pack: RulePack, evidence: Evidence) -> Score:
    """Apply every rule of `pack` to one report's evidence."""
    result = Score(pack.name, pack.full_score, [], [])
    for rule in pack.rules:
        outcome = _judge(rule, evidence)
        if isinstance(outcome, Unjudged):
            result.unjudged.append(outcome)
        elif outcome is not None:
            result.deductions.append(outcome)
    return result


def _judge(rule: Rule, ev: Evidence) -> Deduction | Unjudged | None:
    kind = rule.when.kind
    return _JUDGES[kind](rule, ev)


def _deduct(rule: Rule, lines: list[int], why: str, count: int = 1) -> Deduction:
    points = rule.points * (count if rule.each else 1)
    if rule.max is not None:
        points = min(points, rule.max)
    return Deduction(rule.id, points, rule.text, sorted(set(line for line in lines if line)), why)


def _missing(rule: Rule, ev: Evidence):
    if ev.missing is None:
        return Unjudged(rule.id, rule.text, "不知道应有哪些机关的报告（用 drafter audit --expect 给出名单）")
    return _deduct(rule, [], "名单中有该机关，但没有找到它的报告") if ev.missing else None


def _published_after(rule: Rule, ev: Evidence):
    if ev.published is None:
        return Unjudged(rule.id, rule.text, "报告末尾没有落款日期（如“2025年1月23日”），无法判断发布时间")
    due = deadline(rule.when, ev.year)
    if ev.published <= due:
        return None
    return _deduct(rule, [ev.published_line or 0], f"{ev.published_how}为 {ev.published:%Y年%m月%d日}，"
                                                   f"晚于 {due:%Y年%m月%d日}")


def _similar_to_last_year(rule: Rule, ev: Evidence):
    if ev.last_year_share is None:
        return Unjudged(rule.id, rule.text, "没有上年度的报告可比较（用 --prior 给出，或在工作目录中导入上年度报告）")
    if ev.last_year_share <= rule.when.similar_to_last_year:
        return None
    lines = [f.line for f in ev.findings if f.category == "copying" and f.kind == "similarity"]
    return _deduct(rule, lines, f"与{ev.last_year_label or '上年度报告'}相同的文字占 {ev.last_year_share:.0%}")


def _similar_to_other_agency(rule: Rule, ev: Evidence):
    if ev.other_share is None:
        return Unjudged(rule.id, rule.text, "单份报告无法与其他机关比较（用 drafter audit 审查一批报告）")
    if ev.other_share <= rule.when.similar_to_other_agency:
        return None
    return _deduct(rule, [], f"与{ev.other_agency}的报告相同的文字占 {ev.other_share:.0%}")


def _errors_in(rule: Rule, ev: Evidence):
    found = [f for f in ev.findings if f.severity == "error" and f.category in rule.when.errors_in]
    if not found:
        return None
    return _deduct(rule, [f.line or 0 for f in found], f"{len(found)} 处错误", len(found))


def _finding(rule: Rule, ev: Evidence):
    wanted = set(rule.when.finding)
    found = [f for f in ev.findings if f"{f.category}.{f.kind}" in wanted]
    if not found:
        return None
    return _deduct(rule, [f.line or 0 for f in found], f"{len(found)} 处", len(found))


_JUDGES = {"missing": _missing, "published_after": _published_after, "similar_to_last_year": _similar_to_last_year,
           "similar_to_other_agency": _similar_to_other_agency, "errors_in": _errors_in, "finding": _finding}
