"""Linking a number to the quantities its sentence may state: sentence + position → fact keys.

A number is linked by the words of its own clause (the topic: 申请, 复议, 规章 …; the attribute:
予以公开, 办结, 维持 …), never merely to "some cell with that value". A clause inherits the
sentence's subject only when it is bare (“其中…”, “另有…”) or adds an attribute of it; a clause
that names nothing but a share or a comparison (“占51.85%”, “同比增长1.07%”, “（17.46%）”) speaks of
the quantity the previous number stated.

Wording may fit more than one quantity (“共受理申请 X 件” is this year's applications, or those plus
last year's): a link then lists every quantity it may state, most likely first. Every look-back and
look-ahead is bounded (vocab.LINK_REACH, vocab.CLAUSE_REACH), so linking all numbers of a text is
linear in its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import layout, vocab
from ..facts import POINTS


class Words(tuple):
    """(key, compiled pattern) pairs, with `hint`: a class of every Chinese character their patterns
    are written with. Every word is Chinese, so text without any of these characters matches none of
    them — one fast scan instead of one search per word (an alternation of all words is slower still)."""

    def __new__(cls, pairs):
        words = super().__new__(cls, pairs)
        chars = sorted({c for _, pattern in words for c in pattern.pattern if ord(c) >= 0x3000})
        words.hint = re.compile("[" + "".join(chars) + "]") if chars else None
        return words

    def __add__(self, other):
        return Words(tuple(self) + tuple(other))

    def may_match(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        """False when no word can match text[pos:endpos]."""
        return self.hint is not None and self.hint.search(text, pos, len(text) if endpos is None else endpos) is not None

    def any_match(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        """Whether any word matches in text[pos:endpos]."""
        end = len(text) if endpos is None else endpos
        return self.may_match(text, pos, end) and any(p.search(text, pos, end) for _, p in self)


def _compiled(table) -> Words:
    return Words((key, re.compile(pattern)) for key, pattern in table)


REACH = vocab.LINK_REACH
CLAUSE_REACH = vocab.CLAUSE_REACH
TOPICS = _compiled(vocab.TOPICS)
REQUEST_OUTCOMES = _compiled(vocab.REQUEST_OUTCOMES)
APPLICANTS = _compiled((f"new_{key}", pattern) for key, pattern in vocab.APPLICANT_WORDS)
REQUEST_SPECIFIC = REQUEST_OUTCOMES + APPLICANTS
REQUEST_TOTALS = _compiled(vocab.REQUEST_TOTALS)
REQUEST_ATTRIBUTES = REQUEST_SPECIFIC + REQUEST_TOTALS       # everything but the fallback
REQUEST_RECEIVED = _compiled(vocab.REQUEST_RECEIVED)
APPEAL_RESULTS = _compiled(vocab.APPEAL_RESULTS)
DOCUMENT_COLUMNS = _compiled(vocab.DOCUMENT_COLUMNS)
LITIGATION_GROUPS = _compiled(vocab.LITIGATION_GROUPS)
RATES = _compiled(vocab.RATES)
COMPARE = re.compile(vocab.COMPARE)
CHANGE_VERBS = re.compile(vocab.CHANGE_VERBS)
CHANGE_TO = re.compile(vocab.CHANGE_TO)
PRIOR = re.compile(vocab.PRIOR)
DECREASE = re.compile(vocab.DECREASE)
SHARE = re.compile(vocab.SHARE)
SHARE_OF = re.compile(vocab.SHARE_OF)
AGGREGATE = re.compile(vocab.AGGREGATE)
CARRIED_OVER = dict(REQUEST_OUTCOMES)["carried_over"]
INCLUSION = re.compile(vocab.INCLUSION)
PARTS_END = re.compile(vocab.PARTS_END)
CLAUSE_BREAK = re.compile(vocab.CLAUSE_BREAKS)
_DIGIT = re.compile(r"\d")
_REASONS_END = re.compile(vocab.REASONS_LIST_END)
_CHANNELS = re.compile(vocab.REQUEST_CHANNELS)
_CARRIED = Words(w for w in REQUEST_OUTCOMES if w[0] in ("carried_forward", "carried_over"))
_OUT_OF_SCOPE = re.compile(vocab.DOCUMENT_OUT_OF_SCOPE)
_REVIEWED = re.compile(vocab.DOCUMENT_REVIEWED)
_NAMED_COLUMN = re.compile(vocab.DOCUMENT_NAMED_COLUMN)
# an aside in brackets right before the number (“作其他处理（含逾期不补正）5 件”): the label is before it
_TRAILING_ASIDE = re.compile(r"[（(][^（）()]{0,80}[）)][\s共计为有达]*$")
_CONNECTORS = re.compile(r"共计|合计|累计|总计|全年|全市|本年度?|另有|其中|共|计|达|为|有|约|近|分别|\s")
_DOCUMENT_INHERITED = Words(w for w in DOCUMENT_COLUMNS if w[0] in vocab.DOCUMENT_INHERITED)
_HANDLED = Words(w for w in REQUEST_TOTALS if w[0] == "handled")
_NEW = Words(w for w in REQUEST_RECEIVED if w[0] == "new")     # “其中本年新收 …” continues a sentence on applications
_ATTRIBUTES = {"review": APPEAL_RESULTS, "litigation": APPEAL_RESULTS, "appeals": APPEAL_RESULTS,
               "request": REQUEST_ATTRIBUTES + _NEW, "rules": _DOCUMENT_INHERITED, "normdocs": _DOCUMENT_INHERITED}
_NO_WORDS = Words(())
# every word that names a quantity (none contains 等 or 类, so a list's 等 is never inside one)
_NAMING = TOPICS + REQUEST_ATTRIBUTES + APPEAL_RESULTS + RATES + DOCUMENT_COLUMNS
# the group of each outcome row (“unavailable_not_held” → “unavailable”)
_GROUP_OF = {f"{group}_{sub}": group for group, _, rows in layout.OUTCOME_GROUPS for sub, _ in rows}
_READINGS = {**vocab.REQUEST_READINGS,
             **{f"new_{key}": (f"new_{key}", f"received_{key}") for key, _ in vocab.APPLICANT_WORDS}}
_RATE_KEYS = {key for key, _ in vocab.RATES}
_CASE_TOPICS = ("request", "review", "litigation", "appeals")


@dataclass(frozen=True)
class Link:
    """What a number may state: fact keys, most likely first (none: its sentence names no quantity)."""

    keys: tuple[str, ...] = ()
    base: tuple[str, ...] = ()              # the quantities named, before a share or comparison is taken
    transforms: tuple[str, ...] = ("plain",)
    decrease: bool = False                  # a change stated as a fall (下降, 减少)


@dataclass(frozen=True)
class _Context:
    before: str     # the sentence up to the number (at most REACH characters)
    clause: str     # the number's own clause, up to the number
    tail: str       # the rest of its clause after the number
    sentence: str
    end: int        # where the number ends in the sentence


def _context(sentence: str, start: int, end: int) -> _Context:
    before = sentence[max(0, start - REACH):start]
    near = before[-CLAUSE_REACH:]
    aside = _TRAILING_ASIDE.search(near)
    if aside:
        near = near[:aside.start()]
    last_break = None
    for last_break in CLAUSE_BREAK.finditer(near):
        pass
    clause = near[last_break.end():] if last_break else near
    after = sentence[end:end + CLAUSE_REACH]
    next_break = CLAUSE_BREAK.search(after)
    tail = after[: next_break.start()] if next_break else after
    return _Context(before, clause, tail, sentence, end)


# ---------- matching words ----------

def last_match(patterns, text: str) -> tuple[str, int] | None:
    """The key whose match ends last in `text` (nearest the number); ties go to the earlier pattern."""
    if not patterns.may_match(text):
        return None
    best = None
    for name, pattern in patterns:
        for m in pattern.finditer(text):
            if best is None or m.end() > best[1]:
                best = (name, m.end())
    return best


def first_match(patterns, text: str) -> str | None:
    if not patterns.may_match(text):
        return None
    for name, pattern in patterns:
        if pattern.search(text):
            return name
    return None


def all_matches(patterns, text: str) -> list[str]:
    if not patterns.may_match(text):
        return []
    return [name for name, pattern in patterns if pattern.search(text)]


def topic_of(text: str) -> str | None:
    found = last_match(TOPICS, text)
    return found[0] if found else None


def is_bare(clause: str) -> bool:
    """A clause with nothing of its own but connectors (“其中”“另有”“共”), so it continues the sentence's subject."""
    return not _CONNECTORS.sub("", clause)


def names_something(clause: str) -> bool:
    """Whether the clause itself names a quantity (a topic, an attribute or a rate)."""
    return _NAMING.any_match(clause)


# ---------- the link ----------

@lru_cache(maxsize=8192)    # words decide, not values: the same prose checked against several readings links once
def link(sentence: str, start: int, end: int, is_percent: bool, unit: str | None,
         previous: Link | None = None, whole: Link | None = None) -> Link:
    """The quantities the number at sentence[start:end] may state.

    `previous` is the link of the sentence's previous number, which a bare share or comparison
    (“占51.85%”) speaks of; `whole` that of the number a 含/其中 list of parts belongs to (see
    `parts_start`): a part read exactly as its whole (“规章 13 件（含新制定 5 件）”) states none of the
    quantities the tables define; one that names a narrower one (“共 3153 件，其中本年新收 3119 件”) does.
    """
    ctx = _context(sentence, start, end)
    transforms, decrease, of_previous = _transforms(ctx, is_percent, unit, previous)
    if of_previous and previous is not None and not names_something(SHARE_OF.sub("", ctx.clause) if is_percent else ctx.clause):
        base = previous.base
    else:
        base = _quantity(ctx, unit)
    keys = tuple(dict.fromkeys(k for t in transforms for b in base if (k := _transformed(b, t, is_percent))))
    if whole is not None and keys and keys == whole.keys:
        return Link((), (), transforms, decrease)     # “13 件（含新制定 5 件）”, “申请 21 件，其中网络申请 14 件”
    return Link(keys, base, transforms, decrease)


def parts_start(sentence: str, start: int) -> int | None:
    """Where the 含/其中/包括 list that the number at `start` is a part of begins, if it is in one."""
    lo = max(0, start - REACH)
    last = None
    for last in INCLUSION.finditer(sentence, lo, start):
        pass
    if last is None or PARTS_END.search(sentence, last.end(), start):
        return None
    return last.start()


def _transforms(ctx: _Context, is_percent: bool, unit: str | None,
                previous: Link | None) -> tuple[tuple[str, ...], bool, bool]:
    """How the number relates to the quantity named (itself, its share, its change, last year's value),
    whether it is a fall, and whether a clause naming nothing speaks of the previous number's quantity."""
    around = ctx.clause + CHANGE_TO.sub("", ctx.tail)    # “上年的 1200 件增长到 1295 件”: 1200 is no change
    decrease = bool(DECREASE.search(around))
    if unit == POINTS:
        return ("points",), decrease, True
    if CHANGE_TO.search(ctx.clause):
        return ("plain",), False, True                 # “增长到 1295 件”: this year's value
    if CHANGE_VERBS.search(around) or COMPARE.search(around):
        if is_percent or CHANGE_VERBS.search(ctx.clause):
            return ("change",), decrease, True
        return ("change", "prior"), decrease, True
    if PRIOR.search(ctx.clause):
        return ("prior",), False, True
    if is_percent:
        if previous is not None and "change" in previous.transforms and is_bare(ctx.clause):
            return ("change",), previous.decrease, True  # “较上年增加33件（1.07%）”
        return ("share",), False, True
    return ("plain",), False, False


def _transformed(key: str, transform: str, is_percent: bool) -> str | None:
    is_rate = key in _RATE_KEYS or key.startswith("share_")
    if transform == "plain":
        return key
    if transform == "share":
        return key if is_rate else f"share_{key}"
    if transform == "prior":
        return f"prior_{key}"
    if transform == "points":
        return f"change_{key}" if is_rate else None
    if is_percent:      # change, as a percentage of last year's value
        return None if is_rate else f"change_pct_{key}"
    return f"change_{key}"


# ---------- the quantity a clause names ----------

def _quantity(ctx: _Context, unit: str | None) -> tuple[str, ...]:
    """The quantities the number's clause (or the sentence's subject it continues) names."""
    rate = last_match(RATES, ctx.clause)
    if rate:
        about_requests = vocab.RATE_TOPIC in all_matches(TOPICS, ctx.before) or REQUEST_SPECIFIC.any_match(ctx.before)
        return (rate[0],) if about_requests else ()
    own = topic_of(ctx.clause)
    topic = own or _inherited_topic(ctx.before, ctx.clause)
    if topic is None and (first_match(REQUEST_SPECIFIC, ctx.clause)
                          or (unit in vocab.CASE_UNITS and first_match(_HANDLED, ctx.clause))):
        topic = own = "request"     # 予以公开、无法提供、自然人、办结 N 件… only describe applications
    if topic is None:
        topic = topic_of(ctx.tail)  # “共收到70件申请”“1 件涉及…的行政复议”
    if topic is None and unit in vocab.CASE_UNITS and first_match(_CARRIED, ctx.tail):
        topic = "request"           # “其余 103 件转入下一年度继续办理”: only applications are carried
    if topic is None or (own and _is_aggregate(ctx.clause)):
        return ()
    if topic in _CASE_TOPICS and unit and unit not in vocab.CASE_UNITS and unit not in ("%", POINTS):
        return ()
    if topic in ("review", "litigation", "appeals"):
        return (_appeal_key(topic, ctx),)
    if topic in vocab.DOCUMENT_TOPICS:
        if _OUT_OF_SCOPE.search(ctx.clause) or (_REVIEWED.search(ctx.clause)
                                                 and not _NAMED_COLUMN.search(ctx.before + ctx.tail)):
            return ()       # another body's documents, a gazette's, documents explained or reviewed
        return _document_keys(topic, ctx) if not unit or unit in vocab.DOCUMENT_UNITS else ()
    if topic in vocab.DECISION_TOPICS or topic == "fees":
        return (topic,)
    if topic == "fee":
        return ("fee_cases",) if unit in vocab.COUNT_UNITS else ("fee_amount",)
    return _request_keys(ctx)


def _inherited_topic(before: str, clause: str) -> str | None:
    """The sentence's earlier subject, when this clause only adds an attribute of it (“其中结果维持…”)."""
    topic = topic_of(before)
    if topic is None:
        return None
    continues = (is_bare(clause) or last_match(_ATTRIBUTES.get(topic, _NO_WORDS), clause)
                 or any(p.search(clause) for p in (CHANGE_VERBS, COMPARE, PRIOR, SHARE)))
    return topic if continues else None


def _is_aggregate(clause: str) -> bool:
    """“规章、…行政规范性文件等 243 件”“行政许可类信息”: 等 or 类 after the last word naming a quantity."""
    last = None
    for last in AGGREGATE.finditer(clause):
        pass
    return last is not None and _NAMING.any_match(clause, 0, last.start()) and not _NAMING.any_match(clause, last.end())


def _appeal_key(topic: str, ctx: _Context) -> str:
    attr = last_match(APPEAL_RESULTS, ctx.clause)
    column = attr[0] if attr else (first_match(APPEAL_RESULTS, ctx.tail) or vocab.APPEAL_TOTAL)
    if topic in ("review", "appeals"):
        return f"{topic}_{column}"
    group = last_match(LITIGATION_GROUPS, ctx.before)
    return f"{group[0]}_{column}" if group else f"litigation_{column}"


def _document_keys(topic: str, ctx: _Context) -> tuple[str, ...]:
    attr = last_match(DOCUMENT_COLUMNS, ctx.before)
    column = attr[0] if attr else (first_match(DOCUMENT_COLUMNS, ctx.tail) or vocab.DOCUMENT_DEFAULT)
    row = vocab.DOCUMENT_TOPICS[topic]
    return tuple(f"{row}_{c}" for c in vocab.DOCUMENT_COLUMN_READINGS[column])


def _request_keys(ctx: _Context) -> tuple[str, ...]:
    """An outcome or applicant word nearest the number wins; then a total (办结, 共计); then 收到/受理."""
    clause = ctx.clause
    if _CHANNELS.search(clause):
        return ()       # applications by channel: not a quantity of table 三
    found = last_match(REQUEST_SPECIFIC, clause)
    if not found and SHARE.search(clause) and not names_something(SHARE_OF.sub("", clause)):
        found = last_match(REQUEST_SPECIFIC, ctx.before)    # “申请人以自然人为主，占 96.22%”
    if found:
        keys = (found[0], *_related_rows(found[0], clause))
    else:
        total = last_match(REQUEST_TOTALS, clause)
        # “新收” says which count even beside “申请”
        name = total[0] if total else first_match(REQUEST_RECEIVED, clause) or first_match(REQUEST_ATTRIBUTES, ctx.tail)
        if name is None:
            return ()
        keys = (name,)
    keys = _READINGS.get(keys[0], keys) if len(keys) == 1 else keys
    return _with_or_without_carried_over(keys, ctx)


def _related_rows(key: str, clause: str) -> tuple[str, ...]:
    """A reason and its group named together (“因不掌握无法提供”): the number may be either; a reason closed
    by 等 (“因不掌握等原因无法提供”) only names the group."""
    group = _GROUP_OF.get(key)
    if group is None and _REASONS_END.search(clause):
        return ()
    return tuple(name for name in all_matches(REQUEST_OUTCOMES, clause)
                 if name != key and (name == group or _GROUP_OF.get(name) == key))


def _with_or_without_carried_over(keys: tuple[str, ...], ctx: _Context) -> tuple[str, ...]:
    """Narrow “new or new + 上年结转” by what the sentence says about last year's applications after the number."""
    if len(keys) < 2 or not any(k.startswith("received") for k in keys):
        return keys
    carried = CARRIED_OVER.search(ctx.sentence, ctx.end, ctx.end + REACH)
    if carried is None:
        return keys
    between = ctx.sentence[ctx.end:carried.start()]
    included = not _DIGIT.search(between) and INCLUSION.search(between)
    narrowed = tuple(k for k in keys if k.startswith("received") == bool(included))
    return narrowed or keys
