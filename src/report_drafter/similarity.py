"""How much of one text repeats another: shared runs of NGRAM characters (letters and digits only).

Used by the copying review (against last year's report) and by batch audits (across agencies).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NGRAM = 8                  # characters in a row that count as copied
BREAK = "\n"               # paragraphs are kept apart: no n-gram spans two of them

_LEAD_PHRASE = re.compile(r"^[ \t]*(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．、])[^。\n]{0,24}(?:。|$)", re.M)
_NOT_LETTER = re.compile(r"[^\w\n]|_")
_LETTER = re.compile(r"[^\W_]|\n")


def letters(text: str) -> str:
    """The text as compared for copying: letters and digits only, sub-headings left out, paragraphs kept apart."""
    blanked = _LEAD_PHRASE.sub(BREAK, text)
    return _NOT_LETTER.sub("", blanked).lower()


def letter_spans(text: str) -> list[tuple[int, int]]:
    """Offsets in `text` of each char of `letters(text)`."""
    blanked = _LEAD_PHRASE.sub(lambda m: BREAK + " " * (len(m.group(0)) - 1), text)
    return [m.span() for m in _LETTER.finditer(blanked)]


def grams(chars: str) -> set[str]:
    """Every run of NGRAM characters of `chars` (as `letters` returns it)."""
    return {chars[i:i + NGRAM] for i in range(len(chars) - NGRAM + 1)}


def copied_runs(chars: str, prior: set) -> list[tuple[int, int]]:
    """(start, end) ranges of `chars` that also occur, NGRAM or more in a row, in the prior text."""
    covered = bytearray(len(chars))
    for i in range(len(chars) - NGRAM + 1):
        if chars[i:i + NGRAM] in prior:
            covered[i:i + NGRAM] = b"\x01" * NGRAM
    for m in re.finditer(BREAK, chars):
        covered[m.start()] = 0
    return [m.span() for m in re.finditer(b"\x01+", bytes(covered))]


@dataclass
class Similarity:
    """How much of a text repeats another, and its longest repeated passages."""

    chars: int
    copied: int
    passages: list[tuple[int, int]]   # (start, end) offsets in the text, longest first

    @property
    def ratio(self) -> float:
        return self.copied / self.chars if self.chars else 0.0


def similarity(text: str, prior: set) -> Similarity:
    """How much of `text` repeats the text whose `grams` are `prior`."""
    chars = letters(text)
    runs = sorted(copied_runs(chars, prior), key=lambda r: r[0] - r[1])
    spans = letter_spans(text) if runs else []
    return Similarity(len(chars) - chars.count(BREAK), sum(e - s for s, e in runs),
                      [(spans[s][0], spans[e - 1][1]) for s, e in runs])
