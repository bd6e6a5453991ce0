"""A text with some of its characters taken out, and the way back to offsets in the whole text."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from operator import sub

SPACE = re.compile(r"\s+")


class Squeezed:
    """A text with the runs of `removed` (whitespace by default) taken out (`flat`), and the way back
    to offsets in the text. Kept as the runs taken out (a few per line), not a list per char."""

    def __init__(self, text: str, pattern: re.Pattern = SPACE) -> None:
        self.length = len(text)
        # (str.split takes out what \s matches, several times faster than the pattern)
        self.flat = "".join(text.split()) if pattern is SPACE else pattern.sub("", text)
        spans = [m.span() for m in pattern.finditer(text)]
        self.begins = [b for b, _ in spans]     # run k taken out: text[begins[k]:ends[k]], before flat[at[k]]
        self.ends = [e for _, e in spans]
        self.removed = list(accumulate(map(sub, self.ends, self.begins)))   # chars taken out up to the end of run k
        self.at = list(map(sub, self.ends, self.removed))

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


@lru_cache(maxsize=4)
def squeezed(text: str) -> Squeezed:
    """`Squeezed(text)` (whitespace taken out), made once for a text several steps map back to (a report's file
    and the text rebuilt from it). Not to be changed: it is shared."""
    return Squeezed(text)
