"""Match row-label text to official rows by meaning (vocabulary + fuzzy comparison).

Label text is normalised, header words are removed, and the text is cut into segments at item
numbers (“一、”, “（三）”, “2.”), so “（三）不予公开1.属于国家秘密” gives the segment
“1.属于国家秘密”. A segment is scored against a row by the share of the row's label found in
order at the segment's end (longest common subsequence: tolerates typos, OCR substitutions,
spaces and labels split over cells), by keywords (abbreviated labels) and by its item number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .vocabulary import RowWords

_QUOTE = re.compile("[“”\"'‘’「」『』]")
_NUMERALS = "一二三四五六七八九十"
# an item number anywhere in a label text (after normalisation)
_ITEM = re.compile(rf"[{_NUMERALS}]{{1,2}}、|\([{_NUMERALS}]{{1,2}}\)|(?<![\d.])\d{{1,2}}\.(?!\d)")
_LEADING_ITEM = re.compile(rf"^(?:[{_NUMERALS}]{{1,2}}、|\([{_NUMERALS}]{{1,2}}\)|\d{{1,2}}\.(?!\d))")
_CLAUSE = re.compile(rf"第[{_NUMERALS}]+条第?\(?[{_NUMERALS}]+\)?项")
SHORT = 3          # phrases this short must match exactly
_PUNCTUATION = re.compile(r"[#*|:_`>~!?;,，。:：；！？·•<>《》\[\]【】]")


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Compact comparable form: NFKC, no blanks, no quotes, “1、” → “1.”, “一.” → “一、”."""
    text = _QUOTE.sub("", "".join(unicodedata.normalize("NFKC", text).split()))
    text = _ARABIC_ITEM.sub(r"\1.", text)
    return _CHINESE_ITEM.sub(r"\1、", text)


# (each opens with what it finds, then looks back at what came before: the engine skips to the digits or numerals)
_ARABIC_ITEM = re.compile(r"(\d(?<![\d.]\d)\d?)[、,．](?=\D)")                        # not after a digit or “.”
_CHINESE_ITEM = re.compile(rf"([{_NUMERALS}](?<![{_NUMERALS}][{_NUMERALS}])[{_NUMERALS}]?)[.．](?!\d)")


def split_numbering(text: str) -> tuple[str, str]:
    """(item number, rest) of a normalised label: ("(三)", "不予公开"), ("2", "重复申请")."""
    match = _LEADING_ITEM.match(text)
    if not match:
        return "", text
    number = match.group().rstrip("、.")
    return number, text[match.end():]


@dataclass(frozen=True)
class Segment:
    number: str        # "一", "(三)", "2" or ""
    core: str          # the label text without its number
    start: int         # offset in the cleaned text


def compact(text: str) -> str:
    """`norm` without punctuation and Markdown marks: the form labels are compared in."""
    return _PUNCTUATION.sub("", norm(text))


def clean(text: str, header_words: tuple[str, ...] = ()) -> str:
    """Comparable label text without clause references and column-header words (give those `compact`ed)."""
    text = _CLAUSE.sub("", compact(text))
    for word in header_words:
        text = text.replace(word, "")
    return text


def segments(text: str) -> list[Segment]:
    """A cleaned label text cut before each item number."""
    cuts = [m.start() for m in _ITEM.finditer(text)]
    if not cuts or cuts[0] != 0:
        cuts.insert(0, 0)
    out = []
    for a, b in zip(cuts, cuts[1:] + [len(text)]):
        number, core = split_numbering(text[a:b])
        if number or core:
            out.append(Segment(number, core, a))
    return out


def lcs_length(a: str, b: str) -> int:
    """Length of the longest common subsequence (bit-parallel, Hyyrö 2004)."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for i, ch in enumerate(a):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for ch in b:
        u = v & masks.get(ch, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


@lru_cache(maxsize=2048)
def _phrases(words: RowWords) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """(label cores, keywords, item number) of a row, normalised."""
    number, core = split_numbering(compact(words.label))
    cores = [core] + [split_numbering(compact(v))[1] for v in words.variants]
    return tuple(dict.fromkeys(c for c in cores if c)), tuple(compact(k) for k in words.keywords), number


def phrase_score(core: str, phrase: str) -> float:
    """How much of `phrase` appears, in order, at the end of `core` (1.0: all of it)."""
    if not core:
        return 0.0
    if len(phrase) <= SHORT:
        if core == phrase:
            return 1.0
        return 0.5 if core.endswith(phrase) else 0.0      # words before it: weak evidence only
    window = core[-(len(phrase) + max(2, len(phrase) // 3)):]
    return lcs_length(phrase, window) / len(phrase)


@lru_cache(maxsize=65536)
def score(segment: Segment, words: RowWords) -> float:
    """Similarity of a label segment to an official row, about 0 … 1.1."""
    return _score(segment.number, segment.core, words)


@lru_cache(maxsize=1 << 16)     # reports of one format print the same labels: a batch scores each pair once
def _score(segment_number: str, segment_core: str, words: RowWords) -> float:
    cores, keywords, number = _phrases(words)
    best = max(phrase_score(segment_core, phrase) for phrase in cores)
    if any(k and k in segment_core for k in keywords):
        best = max(best, 0.9)
    if segment_number and number:
        if segment_number == number:
            best += 0.1
        elif _same_kind(segment_number, number):
            best -= 0.3
    return best


def _same_kind(a: str, b: str) -> bool:
    def kind(n: str) -> str:
        return "digit" if n.isdigit() else "paren" if n.startswith("(") else "top"
    return kind(a) == kind(b)


def best_rows(segment: Segment, rows: tuple[RowWords, ...]) -> list[tuple[float, int]]:
    """(score, row index) for every row, best first."""
    return sorted(((score(segment, words), j) for j, words in enumerate(rows)), reverse=True)
