"""Format wording: what every report may share with every other — the official format's headings, table labels
and fixed sentences, and the standard phrases reports are written in (format_wording.yaml, as data).

Copying across agencies leaves runs made only of these out (`format_shingles`): how many reports share a run
says nothing about it (twenty townships copying one model report share theirs twenty times).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from . import document, layout
from .similarity import letters, shingle_sums

DATA = "format_wording.yaml"


@cache
def format_wording() -> tuple[str, ...]:
    """Every phrase of format wording: the YAML's, and the format's headings and table labels."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(resources.files("report_drafter").joinpath(DATA).read_text(encoding="utf-8"))
    phrases = [p for group in data.values() for p in group]
    phrases += [heading for _, heading, _ in document.SECTIONS]
    return tuple(dict.fromkeys(phrases + list(_labels())))


def _labels():
    """Row and column labels of the format's tables (layout's names of them)."""
    yield from layout.APPLICANT_COLUMNS
    yield from (row.label for single in (False, True) for row in layout.table3_rows(single))
    yield from (row.group for row in layout.table3_rows() if row.group)
    for table in (layout.APPEAL_GROUPS, layout.APPEAL_COLUMNS, layout.DOCUMENT_ROWS, layout.DOCUMENT_COLUMNS,
                  layout.DECISION_ROWS, layout.DOCUMENT_COLUMNS_2019, layout.DOCUMENT_ROWS_2019,
                  layout.ITEM_ROWS_2019, layout.ITEM_COLUMNS_2019, layout.PROCUREMENT_COLUMNS_2019):
        for row in table:
            yield from row[1:]
    yield from (layout.FEES_LABEL, layout.FEES_COLUMN, layout.DECISIONS_COLUMN, layout.BALANCE_NOTE,
                layout.DOCUMENTS_CLAUSE, layout.FEES_CLAUSE, layout.PROCUREMENT_CLAUSE)


@cache
def format_shingles() -> frozenset[int]:
    """The shingles (`similarity.shingle_sums`) of every run of format wording: what copying leaves out."""
    return frozenset(h for phrase in format_wording() for h in shingle_sums(letters(phrase)))
