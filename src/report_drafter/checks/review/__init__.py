"""Review beyond numbers: what evaluators mark down besides a wrong figure.

Four categories of checks over a report's Markdown text: structure (sections, the five aspects
of 一, 六's items, title, year, length), copying (similarity with last year's report, another
agency's name), substance (vague problems, problems without an answer) and style (punctuation,
Markdown, English, enumeration, spacing, first person, promotion). Each check is a pure function
of a `Page` and a `ReviewContext` returning Findings whose message says, in Chinese, what is
wrong, why it matters and how to fix it. A new check is a function decorated with
`@check("category.kind")` in the module of its category.
"""

from __future__ import annotations

from ...findings import Finding
from . import artifacts, copying, structure, style, substance  # noqa: F401  (registers the checks)
from .copying import copying_share
from .context import CHECKS, Page, ReviewContext, ReviewSettings, check, settings_from
from .substance import problem_items, split_problems

__all__ = ["CHECKS", "Page", "copying_share", "ReviewContext", "ReviewSettings", "check", "problem_items", "review_document",
           "settings_from", "split_problems"]


def review_document(text: str, ctx: ReviewContext) -> list[Finding]:
    """Every enabled review check on a report's Markdown text."""
    page = Page(text)
    findings = []
    for name, run in CHECKS.items():
        if ctx.settings.enabled(name):
            findings += run(page, ctx)
    return findings
