"""Linking a number to the quantity its sentence states: sentence + position → fact keys.

A number is linked by the words of its own clause (the topic: 申请, 复议, 规章 …; the attribute:
予以公开, 办结, 维持 …), never merely to "some cell with that value". A clause inherits the
sentence's subject only when it is bare (“其中…”, “另有…”) or adds an attribute of it.
"""

from __future__ import annotations

import re

from .. import vocab


def _compiled(table: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((key, re.compile(pattern)) for key, pattern in table)


TOPICS = _compiled(vocab.TOPICS)
REQUEST_OUTCOMES = _compiled(vocab.REQUEST_OUTCOMES)
REQUEST_ATTRIBUTES = REQUEST_OUTCOMES + _compiled(vocab.REQUEST_TOTALS)   # everything but the fallback
REQUEST_RECEIVED = _compiled(vocab.REQUEST_RECEIVED)
APPEAL_RESULTS = _compiled(vocab.APPEAL_RESULTS)
DOCUMENT_COLUMNS = _compiled(vocab.DOCUMENT_COLUMNS)
LITIGATION_GROUPS = _compiled(vocab.LITIGATION_GROUPS)
CHANGE = re.compile(vocab.CHANGE)
PRIOR = re.compile(vocab.PRIOR)
DECREASE = re.compile(vocab.DECREASE)
SHARE = re.compile(vocab.SHARE)
CHANGE_HANDLED = re.compile(vocab.CHANGE_HANDLED)
CLAUSE_BREAK = re.compile(vocab.CLAUSE_BREAKS)
_CONNECTORS = re.compile(r"共计|合计|累计|总计|全年|全市|本年度?|另有|其中|共|计|达|为|有|约|近|分别|\s")
_ATTRIBUTES = {"review": APPEAL_RESULTS, "litigation": APPEAL_RESULTS, "request": REQUEST_ATTRIBUTES,
               "rules": DOCUMENT_COLUMNS, "normdocs": DOCUMENT_COLUMNS}


def last_match(patterns, text: str) -> tuple[str, int] | None:
    """The key whose match ends last in `text` (nearest the number); ties go to the earlier pattern."""
    best = None
    for name, pattern in patterns:
        for m in pattern.finditer(text):
            if best is None or m.end() > best[1]:
                best = (name, m.end())
    return best


def first_match(patterns, text: str) -> str | None:
    for name, pattern in patterns:
        if pattern.search(text):
            return name
    return None


def topic_of(text: str) -> str | None:
    found = last_match(TOPICS, text)
    return found[0] if found else None


def is_bare(clause: str) -> bool:
    """A clause with nothing of its own but connectors (“其中”“另有”“共”), so it continues the sentence's subject."""
    return not _CONNECTORS.sub("", clause)


def _inherited_topic(before: str, clause: str) -> str | None:
    """The sentence's earlier subject, when this clause only adds an attribute of it (“其中结果维持…”)."""
    topic = topic_of(before)
    if topic and (is_bare(clause) or last_match(_ATTRIBUTES.get(topic, ()), clause) or CHANGE.search(clause)
                  or PRIOR.search(clause)):
        return topic
    return None


def candidates(sentence: str, start: int, end: int, is_percent: bool, unit: str | None) -> list[str]:
    """Fact keys the number at sentence[start:end] may state, most likely first."""
    before = sentence[:start]
    breaks = [b.end() for b in CLAUSE_BREAK.finditer(before)]
    clause = before[breaks[-1] if breaks else 0:]
    after = sentence[end:]
    next_break = CLAUSE_BREAK.search(after)
    tail = after[: next_break.start() if next_break else len(after)]
    topic = topic_of(clause) or _inherited_topic(before, clause)
    if topic is None and last_match(REQUEST_OUTCOMES, clause):
        topic = "request"  # 予以公开、无法提供… only describe applications
    if topic is None and is_bare(clause):
        topic = topic_of(tail)
    if topic is None:
        return []
    if CHANGE.search(clause + tail) or (PRIOR.search(clause) and topic != "request"):
        return _change_keys(topic, clause + tail, is_percent)
    if PRIOR.search(clause) and topic == "request" and not re.search(r"结转", clause):
        return _change_keys(topic, clause, is_percent)
    if is_percent:
        return ["disclosure_rate"] if SHARE.search(clause + tail) and topic == "request" else []
    if topic in ("review", "litigation"):
        return [_appeal_key(topic, before, clause, tail)]
    if topic in vocab.DOCUMENT_TOPICS:
        attr = last_match(DOCUMENT_COLUMNS, before) or ((first_match(DOCUMENT_COLUMNS, tail), 0)
                                                        if first_match(DOCUMENT_COLUMNS, tail) else None)
        return [f"{vocab.DOCUMENT_TOPICS[topic]}_{attr[0] if attr else vocab.DOCUMENT_DEFAULT}"]
    if topic in vocab.DECISION_TOPICS or topic == "fees":
        return [topic]
    if topic == "fee":
        return ["fee_cases"] if unit in vocab.COUNT_UNITS else ["fee_amount"]
    return _request_keys(clause, tail)


def _appeal_key(topic: str, before: str, clause: str, tail: str) -> str:
    attr = last_match(APPEAL_RESULTS, clause) or (first_match(APPEAL_RESULTS, tail), 0)
    column = attr[0] if attr and attr[0] else vocab.APPEAL_TOTAL
    if topic == "review":
        return f"review_{column}"
    group = last_match(LITIGATION_GROUPS, before)
    return f"{group[0]}_{column}" if group else f"litigation_{column}"


def _request_keys(clause: str, tail: str) -> list[str]:
    attr = last_match(REQUEST_ATTRIBUTES, clause) or last_match(REQUEST_RECEIVED, clause)
    if attr is None:
        tail_attr = first_match(REQUEST_ATTRIBUTES, tail)
        attr = (tail_attr, 0) if tail_attr else None
    if attr is None:
        return []
    return list(vocab.REQUEST_CANDIDATES.get(attr[0], (attr[0],)))


def _change_keys(topic: str, text: str, is_percent: bool) -> list[str]:
    base = vocab.CHANGE_BASES.get(topic)
    if base is None:
        return []
    if topic == "request" and CHANGE_HANDLED.search(text):
        base = "handled"
    if CHANGE.search(text):
        return [f"change_pct_{base}"] if is_percent else [f"change_{base}", f"prior_{base}"]
    return [] if is_percent else [f"prior_{base}"]
