"""Settling an ambiguous table row by the report's own prose.

When glued digits of a table 二 row can be split more than one way and the sums cannot decide,
the sentences of the report that write one of the differing values decide instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial

from .. import layout
from ..document import PROSE_SECTIONS, ReportDocument, compose_document, parse_document, sentence_spans
from ..model import Stats


def settle_by_prose(stats: Stats, markdown: str, ambiguities) -> Stats:
    """Choose among each ambiguous row's readings by what the report's own prose states about it (“现行有效…698件”).

    Each reading is tried against the number checker: the reading that the most numbers of the
    prose verify, and the fewest contradict, wins; with no evidence the chosen reading stays.
    """
    from ..facts import compute_facts

    doc = None
    # (the facts of tables 三 and 四 are the same whichever rows of table 二 were settled before: made once, when needed)
    base = lru_cache(maxsize=1)(partial(compute_facts, stats))
    for ambiguity in ambiguities:
        if ambiguity.path[0] != "active":
            continue
        doc = doc if doc is not None else parse_document(markdown)
        evidence = _evidence_text(doc, ambiguity.options)
        if evidence is None:
            continue
        stats = _settled(stats, base, evidence, ambiguity)
    return stats


def _settled(stats: Stats, base: Callable[[], object], evidence: str, ambiguity) -> Stats:
    from ..checks.numbers import Sources, check_prose, read_prose
    from ..facts import table2_facts, with_table2

    row = layout.location(ambiguity.path)
    prose = read_prose(evidence)
    current = table2_facts(stats)
    if not prose.may_state(set(current) | current.blank):     # (every reading has these quantities, filled or blank)
        return stats        # no number of the evidence may state a quantity of table 二: each reading scores alike
    trials = [_with_row(stats, ambiguity.path, option) for option in ambiguity.options]
    tables = [table2_facts(trial) for trial in trials]
    readings = [with_table2(base(), trial, table) for trial, table in zip(trials, tables)]
    # a number that may state only quantities every reading has alike scores alike for each: left out (each
    # reading's facts of table 二 are its own, the rest shared; a quantity blank in every reading is alike)
    differing = set().union(*tables)
    scores = []
    for facts in readings:
        checked = check_prose(prose, Sources(facts, strict=False), differing)
        agree = sum(1 for v in checked.verified if row in v.source)
        disagree = sum(1 for f in checked.findings if f.source and row in f.source)
        scores.append(agree - disagree)
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    if scores[best] <= scores[0]:
        return stats
    ambiguity.warning.message = re.sub(
        rf"(?:正文中没有能区分的数字，)?按[^；]*?取 {re.escape(ambiguity.texts[0])}，请对照原文核实",
        f"正文中的数字与 {ambiguity.texts[best]} 相符，按此取值，请对照原文核实", ambiguity.warning.message)
    return trials[best]


def _with_row(stats: Stats, path: tuple, value) -> Stats:
    """`stats` with one row of table 二 replaced (the row's model is rebuilt, the rest shared)."""
    key = path[1]
    current = getattr(stats.active, key)
    row = type(current)(**value) if isinstance(value, dict) else value
    return stats.model_copy(update={"active": stats.active.model_copy(update={key: row})})


def _cells_of(option) -> set:
    """A row reading's (column, value) pairs: the same numbers in other columns are another reading."""
    if isinstance(option, dict):
        return set(option.items())
    return set(enumerate(option)) if isinstance(option, list) else {(0, option)}


def _sentences_with(text: str, pattern: re.Pattern) -> list[str]:
    """The sentences of `text` that hold a match of `pattern` (which matches no sentence break)."""
    hits = [m.start() for m in pattern.finditer(text)]
    out, k = [], 0
    for a, b in sentence_spans(text) if hits else ():
        while k < len(hits) and hits[k] < a:
            k += 1
        if k < len(hits) and hits[k] < b:
            out.append(text[a:b])
    return out


def _evidence_text(doc: ReportDocument, options: list) -> str | None:
    """The sentences of the prose that write a value on which the readings differ, as a report text;
    None when there are none (every reading would score the same)."""
    cells = [_cells_of(option) for option in options]
    differing = {str(v) for _, v in set().union(*cells) - set.intersection(*cells) if isinstance(v, int)}
    if not differing:
        return None
    # (opening with a look ahead at a digit lets the engine skip to the digits instead of trying every character)
    number = re.compile(r"(?=[\d-])(?<![\d.])(?:" + "|".join(sorted(differing, key=len, reverse=True)) + r")(?![\d.])")
    bodies = {key: "\n".join(sentence.strip() for sentence in _sentences_with(doc.body(key), number))
              for key in PROSE_SECTIONS}
    bodies = {key: body for key, body in bodies.items() if body}
    return compose_document(doc.title, "", bodies) if bodies else None
