"""What a review sees: its settings (drafter.toml [check]), its context (whose report, last year's) and the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from ... import document, vocab
from ...agencies import departments
from ...errors import InputError
from ...findings import CATEGORIES, Finding
from ...similarity import BREAK, grams, letters

CHECKS: dict[str, Callable] = {}        # id “category.kind” → check(page, ctx) -> list[Finding]
REVIEW_CATEGORIES = ("structure", "copying", "substance", "style")


def check(name: str):
    """Register a check under its id “category.kind”."""
    def register(func):
        CHECKS[name] = func
        return func
    return register


@dataclass(frozen=True)
class ReviewSettings:
    """The `[check]` table of drafter.toml."""

    overview_max_chars: int = 1000
    similarity_threshold: float = 0.5
    disabled: frozenset = frozenset()
    promotional_phrases: tuple = vocab.PROMOTIONAL_PHRASES
    allowed_english: tuple = vocab.ALLOWED_ENGLISH

    def enabled(self, name: str) -> bool:
        return name not in self.disabled and name.split(".")[0] not in self.disabled


def settings_from(config: dict) -> ReviewSettings:
    """Settings from a drafter.toml dict; a misspelt key or check name is an InputError naming it."""
    table = config.get("check", {})
    if not isinstance(table, dict):
        raise InputError("drafter.toml：check 应为一个表，写作 [check]。")
    keys = ReviewSettings.__dataclass_fields__
    for key in table:
        if key not in keys:
            raise InputError(f"drafter.toml [check]：未知的设置项“{key}”。可用的设置项：{'、'.join(keys)}。")
    max_chars = table.get("overview_max_chars", config.get("overview_max_chars", 1000))
    threshold = table.get("similarity_threshold", 0.5)
    if not isinstance(max_chars, int) or isinstance(max_chars, bool) or max_chars <= 0:
        raise InputError(f"drafter.toml [check]：overview_max_chars 应为正整数（字数），收到“{max_chars}”。")
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 < threshold <= 1:
        raise InputError(f"drafter.toml [check]：similarity_threshold 应为 0 到 1 之间的小数（如 0.5 表示 50%），收到“{threshold}”。")
    lists = {k: _string_list(table, k) for k in ("disabled", "promotional_phrases", "allowed_english") if k in table}
    names = set(CHECKS) | set(CATEGORIES)
    for name in lists.get("disabled", ()):
        if name not in names:
            raise InputError(f"drafter.toml [check]：disabled 中的“{name}”不是核对项。可用：{'、'.join(sorted(names))}。")
    return ReviewSettings(max_chars, float(threshold), frozenset(lists.pop("disabled", ())), **lists)


def _string_list(table: dict, key: str) -> tuple:
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"drafter.toml [check]：{key} 应为字符串列表，如 {key} = [\"…\", \"…\"]。")
    return tuple(value)


@dataclass
class ReviewContext:
    """What a report is reviewed against: whose and which year it is, and last year's report."""

    agency: str
    year: int
    names: tuple = ()                       # other names of the agency (short name, name as in the title)
    prior: document.ReportDocument | None = None
    prior_label: str = "上年度报告"
    settings: ReviewSettings = field(default_factory=ReviewSettings)
    spacing_reliable: bool = True           # False for text extracted from a page layout (PDF)

    @cached_property
    def prior_grams(self) -> set:
        if self.prior is None:
            return set()
        return grams(BREAK.join(letters(self.prior.body(k)) for k in document.PROSE_SECTIONS))

    @cached_property
    def own_departments(self) -> set:
        return {d for name in (self.agency, *self.names) for d in departments(name)}


class Page:
    """A report's text with its parsed sections and line positions."""

    def __init__(self, text: str):
        self.text = text
        self.doc = document.parse_document(text)
        self.starts = document.line_starts(text)

    def line(self, offset: int) -> int:
        return document.line_at(self.starts, offset)

    def body(self, key: str) -> tuple[str, int]:
        """A section's body and the offset where it starts ("" and -1 when the section is missing)."""
        section = self.doc.sections.get(key)
        if section is None:
            return "", -1
        return section.body, self.starts[min(section.body_line - 1, len(self.starts) - 1)]

    def heading_offset(self, key: str) -> int:
        section = self.doc.sections.get(key)
        return self.starts[section.line - 1] if section else 0

    def section_at(self, offset: int) -> str:
        """The key of the section `offset` falls in ("title" before the first section)."""
        key = "title"
        for name, section in self.doc.sections.items():
            if self.starts[section.line - 1] <= offset:
                key = name
        return key

    def prose(self, preamble: bool = True) -> list[tuple[str, str, int]]:
        """(section key, body, offset) of the preamble and the prose sections 一、五、六."""
        parts = [(key, *self.body(key)) for key in document.PROSE_SECTIONS if key in self.doc.sections]
        if preamble and self.doc.preamble:
            parts.insert(0, ("preamble", self.doc.preamble, self.text.find(self.doc.preamble)))
        return parts

    def finding(self, name: str, severity: str, section: str, offset: int, found: str, message: str,
                expected: str | None = None, source: str | None = None) -> Finding:
        """A Finding at char `offset`; its text is the sentence there, with `found` marked."""
        start, end = document.sentence_bounds(self.text, offset)
        raw = self.text[start:end]
        text = raw.strip()
        at = offset - start - (len(raw) - len(raw.lstrip()))
        span = (at, at + len(found)) if found and text[at:at + len(found)] == found else (0, 0)
        category, kind = name.split(".")
        return Finding(severity=severity, category=category, kind=kind, section=section, line=self.line(offset),
                       text=text, found=found, expected=expected, source=source, message=message, span=span,
                       offset=offset)
