"""Notice a model that loops: the same passage over and over at the end of what it has written.

Fed the visible text as it streams; says so as soon as the text ends in at least three copies of
one passage covering at least MIN_SPAN characters (whitespace ignored, as loops re-wrap lines).
Prose never does that: a report repeats phrases, not a run of 100 characters three times over.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..repeats import find_repeat

MIN_COPIES = 3
MIN_SPAN = 100       # characters the repeated run must cover (“的的的…” needs 100, a 60-字 sentence 180)
WINDOW = 4000        # only the end of the text is searched: a passage of up to WINDOW / 3 characters
CHECK_EVERY = 16     # characters fed between two searches (the final check sees everything)
ANCHOR = 8           # the last characters, looked for earlier in the window to find candidate periods


@dataclass(frozen=True)
class Loop:
    passage: str
    copies: int

    def excerpt(self, size: int = 30) -> str:
        return self.passage if len(self.passage) <= size else self.passage[:size] + "…"


NEAR_EVERY = 40     # characters between two searches for near copies (at a sentence or line break)


class RepeatDetector:
    """Exact loops (the end of the text in copies) and near ones (repeats.py: numbered lists, alike blocks)."""

    def __init__(self) -> None:
        self.text = ""
        self.whole = ""
        self.unchecked = 0
        self.unchecked_near = 0

    def feed(self, text: str) -> Loop | None:
        """Take new visible text; a Loop when the text now ends in one."""
        squeezed = "".join(text.split())
        self.text = (self.text + squeezed)[-WINDOW:]
        self.whole += text
        self.unchecked += len(squeezed)
        self.unchecked_near += len(text)
        if self.unchecked_near >= NEAR_EVERY and any(mark in text for mark in "。；\n"):
            self.unchecked_near = 0
            near = self.near()
            if near:
                return near
        if self.unchecked < CHECK_EVERY:
            return None
        return self.check()

    def near(self) -> Loop | None:
        repeat = find_repeat(self.whole, streaming=True)
        return Loop(repeat.passage, repeat.copies) if repeat else None

    def check(self) -> Loop | None:
        self.unchecked = 0
        return find_loop(self.text) or self.near()


def find_loop(text: str) -> Loop | None:
    """The shortest passage the end of `text` repeats, if it makes a loop (see the module docstring)."""
    size = len(text)
    if size < max(MIN_SPAN, ANCHOR + 1):
        return None
    anchor = text[-ANCHOR:]
    pos = text.rfind(anchor, 0, size - 1)
    while pos >= 0:
        period = size - ANCHOR - pos
        span = max(MIN_COPIES * period, MIN_SPAN)
        if span > size:
            return None
        if text[size - span:size - period] == text[size - span + period:]:
            passage = text[size - period:]
            copies = 1
            while text.endswith(passage * (copies + 1)):
                copies += 1
            return Loop(readable(passage), copies)
        pos = text.rfind(anchor, 0, pos + ANCHOR - 1)
    return None


def readable(passage: str) -> str:
    """The loop's passage turned to start after a sentence break, as the clerk would quote it."""
    breaks = [passage.find(mark) for mark in "。；！？" if mark in passage]
    cut = min(breaks) + 1 if breaks else 0
    return passage[cut:] + passage[:cut]
