"""Pure check engines: each takes a report's text and what it is checked against, and returns findings.

- numbers: every number and 未/无/均 claim of the prose against the facts (and the notes' numbers);
           check_notes: the work notes' statements of table quantities against the tables
- tables:  a draft's tables against stats.yaml; a published report's own rule violations
- review:  structure, copying, substance and style (see review/)

They know nothing of workspaces or files; services/checking.py feeds them.
"""

from __future__ import annotations

from .notes import check_notes
from .numbers import Sources, check_numbers
from .result import CheckReport
from .tables import check_tables


def check_document(text: str, sources: Sources, stats=None) -> CheckReport:
    """The numbers of a report's prose against `sources`, and (for a draft) its tables against `stats`."""
    report = check_numbers(text, sources)
    if stats is not None:
        report.extend(check_tables(text, stats))
    return report


__all__ = ["CheckReport", "Sources", "check_document", "check_notes", "check_numbers", "check_tables"]
