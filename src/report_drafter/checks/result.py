"""What a check of a document produced: findings, the numbers it verified and the ones it left out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..findings import Finding


@dataclass
class Verified:
    """A number that agrees with its source."""

    section: str
    line: int
    found: str
    source: str
    offset: int = -1
    span: tuple[int, int] = (0, 0)      # of the number in the checked text


@dataclass
class Skipped:
    """A number that is not a statistic (a date, a document number …), with the reason."""

    line: int
    text: str
    reason: str
    offset: int = -1


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    verified: list[Verified] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    mentions: int = 0
    claims: int = 0
    table_cells: int = 0
    copying: dict | None = None         # share of the prose repeating last year's report (review.copying_share)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def extend(self, other: "CheckReport") -> None:
        """Add another report's findings, verified and skipped numbers and counts to this one."""
        self.findings += other.findings
        self.verified += other.verified
        self.skipped += other.skipped
        self.mentions += other.mentions
        self.claims += other.claims
        self.table_cells += other.table_cells

    def counts(self) -> dict:
        errors = len(self.errors)
        return {"mentions": self.mentions, "verified": len(self.verified), "errors": errors,
                "warnings": len(self.findings) - errors, "claims": self.claims,
                "table_cells": self.table_cells, "skipped": len(self.skipped),
                "skipped_by_reason": dict(Counter(s.reason for s in self.skipped)),
                "findings_by_kind": dict(Counter(f.kind for f in self.findings)),
                "findings_by_category": dict(Counter(f.category for f in self.findings))}
