"""Settling an ambiguous table row by the report's own prose.

When glued digits of a table 二 row can be split more than one way and the sums cannot decide,
the sentences of the report that write one of the differing values decide instead.
"""

from __future__ import annotations

import re

from .. import layout
from ..document import ReportDocument, compose_document, parse_document, sentence_spans
from ..model import Stats


def settle_by_prose(stats: Stats, markdown: str, ambiguities) -> Stats:
    """Choose among each ambiguous row's readings by what the report's own prose states about it (“现行有效…698件”).

    Each reading is tried against the number checker: the reading that the most numbers of the
    prose verify, and the fewest contradict, wins; with no evidence the chosen reading stays.
    """
    from ..facts import compute_facts

    doc = base = None
    for ambiguity in ambiguities:
        if ambiguity.path[0] != "active":
            continue
        doc = doc if doc is not None else parse_document(markdown)
        evidence = _evidence_text(doc, ambiguity.options)
        if evidence is None:
            continue
        # (the facts of tables 三 and 四 are the same whichever rows of table 二 were settled before)
        base = base if base is not None else compute_facts(stats)
        stats = _settled(stats, base, evidence, ambiguity)
    return stats


def _settled(stats: Stats, base, evidence: str, ambiguity) -> Stats:
    from ..checks.numbers import Sources, check_prose, read_prose
    from ..facts import with_table2

    row = layout.location(ambiguity.path)
    prose = read_prose(evidence)
    scores, trials = [], []
    for option in ambiguity.options:
        trial = _with_row(stats, ambiguity.path, option)
        checked = check_prose(prose, Sources(with_table2(base, trial), strict=False))
        agree = sum(1 for v in checked.verified if row in v.source)
        disagree = sum(1 for f in checked.findings if f.source and row in f.source)
        scores.append(agree - disagree)
        trials.append(trial)
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    if scores[best] <= scores[0]:
        return stats
    ambiguity.warning.message = ambiguity.warning.message.replace(
        f"按“数值较小且位数相近”取 {ambiguity.texts[0]}，请对照原文核实",
        f"正文中的数字与 {ambiguity.texts[best]} 相符，按此取值，请对照原文核实")
    return trials[best]


def _with_row(stats: Stats, path: tuple, value) -> Stats:
    """`stats` with one row of table 二 replaced (the row's model is rebuilt, the rest shared)."""
    key = path[1]
    current = getattr(stats.active, key)
    row = type(current)(**value) if isinstance(value, dict) else value
    return stats.model_copy(update={"active": stats.active.model_copy(update={key: row})})


def _values_of(option) -> set:
    return set(option.values()) if isinstance(option, dict) else set(option) if isinstance(option, list) else {option}


def _sentences(text: str):
    return (text[a:b] for a, b in sentence_spans(text))


def _evidence_text(doc: ReportDocument, options: list) -> str | None:
    """The paragraphs of the prose that write a value on which the readings differ, as a report text;
    None when there are none (every reading would score the same)."""
    values = [_values_of(option) for option in options]
    differing = {str(v) for v in set().union(*values) - set.intersection(*values) if isinstance(v, int)}
    if not differing:
        return None
    number = re.compile(r"(?<![\d.])(?:" + "|".join(sorted(differing, key=len, reverse=True)) + r")(?![\d.])")
    bodies = {key: "\n".join(sentence.strip() for sentence in _sentences(doc.body(key)) if number.search(sentence))
              for key in ("overview", "problems", "other")}
    bodies = {key: body for key, body in bodies.items() if body}
    return compose_document(doc.title, "", bodies) if bodies else None
