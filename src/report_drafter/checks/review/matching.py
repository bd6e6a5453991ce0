"""Finding a pattern that opens with a look at what comes before it, without trying it at every character.

A pattern like “after 。 or ， (or at the start), blanks, then 一是” is tried by the regex engine at
every position of a text, each time testing what comes before: slow on a whole report. `led_by` finds
the same matches by first looking for what every match must hold right after its blanks (`core`:
“[一二…]是”, a quick scan), then trying the pattern itself only where a match could start: in the run
of blanks before each hit. The matches are exactly `pattern.finditer(text)`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def led_by(pattern: re.Pattern, core: re.Pattern, text: str) -> Iterator[re.Match]:
    """`pattern.finditer(text)`, for a pattern each of whose matches is blanks, then a match of `core` (its
    tests of what comes before the blanks kept as they are)."""
    pos = done = 0
    while (hit := core.search(text, pos)) is not None:
        start = hit.start()
        while start > done and text[start - 1].isspace():      # (a match starts in the blanks before the hit)
            start -= 1
        for at in range(start, hit.start() + 1):                # (leftmost first, as the engine would)
            m = pattern.match(text, at)
            if m is not None:
                yield m
                done = pos = m.end() if m.end() > at else at + 1
                break
        else:
            pos = hit.start() + 1
