"""What the rule packs judge a report by: its findings, its date, how much it repeats last year's report."""

from __future__ import annotations

from .. import document
from ..checks.review.context import ReviewContext
from ..dates import publication_date
from ..findings import Finding
from ..rulepacks import Evidence, Score, load_pack, score
from ..similarity import similarity


def last_year_share(doc: document.ReportDocument, context: ReviewContext) -> float | None:
    """Share of the prose (一、五、六) that repeats last year's report; None when there is none to compare."""
    if context.prior is None:
        return None
    found = [similarity(doc.body(key), context.prior_grams) for key in document.PROSE_SECTIONS]
    chars = sum(f.chars for f in found)
    return sum(f.copied for f in found) / chars if chars else 0.0


def evidence(year: int, text: str, findings: list[Finding], context: ReviewContext | None,
             source_text: str | None = None) -> Evidence:
    """Evidence of one report: `text` is its Markdown, `source_text` the file it came from (for its 落款 date)."""
    dated = publication_date(source_text if source_text is not None else text)
    share = last_year_share(document.parse_document(text), context) if context else None
    return Evidence(year=year, findings=findings, published=dated.when if dated else None,
                    published_line=dated.line if dated else None, published_how=dated.how if dated else "",
                    last_year_share=share, last_year_label=context.prior_label if context else "")


def score_report(rules: str | None, workspace_root, ev: Evidence) -> Score:
    """Score with the pack named (or given as a file); the national pack by default."""
    return score(load_pack(rules, workspace_root), ev)
