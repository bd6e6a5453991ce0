"""A text with some of its characters taken out, and the way back to offsets in the whole text."""

from __future__ import annotations

import re
from bisect import bisect_right

SPACE = re.compile(r"\s+")


class Squeezed:
    """A text with the runs of `removed` (whitespace by default) taken out (`flat`), and the way back
    to offsets in the text. Kept as the runs taken out (a few per line), not a list per char."""

    def __init__(self, text: str, pattern: re.Pattern = SPACE) -> None:
        self.length = len(text)
        self.flat = pattern.sub("", text)
        self.begins: list[int] = []     # run k taken out: text[begins[k]:ends[k]], before flat[at[k]]
        self.ends: list[int] = []
        self.at: list[int] = []
        self.removed: list[int] = []    # chars taken out up to the end of run k
        removed = 0
        for m in pattern.finditer(text):
            self.begins.append(m.start())
            self.ends.append(m.end())
            self.at.append(m.start() - removed)
            removed += m.end() - m.start()
            self.removed.append(removed)

    def offset(self, q: int) -> int:
        """The offset in the text of flat[q] (the text's length for q past the end)."""
        if q >= len(self.flat):
            return self.length
        k = bisect_right(self.at, q) - 1
        return q + (self.removed[k] if k >= 0 else 0)

    def index(self, offset: int) -> int:
        """The index in `flat` of the char at `offset`, or of the next one not taken out."""
        k = bisect_right(self.begins, offset) - 1
        if k < 0:
            return offset
        return self.at[k] if offset < self.ends[k] else offset - self.removed[k]
