"""Lines of findings in the file a checked text was rebuilt from (a published report's text file)."""

from __future__ import annotations

from bisect import bisect_right

from ..document import line_starts
from .result import CheckReport


def align_offsets(derived: str, original: str) -> list[int]:
    """For each char of `derived` (text rebuilt from `original`), its offset in `original`.

    Whitespace is ignored on both sides. Where the texts diverge (a page number in the middle of
    a paragraph, tables rebuilt as Markdown) the original is searched ahead for the derived text
    that follows; a char with no counterpart (whitespace, “#”, “|”) takes the offset of the next
    char that has one.
    """
    kept = [i for i, ch in enumerate(original) if not ch.isspace()]
    flat = "".join(original[i] for i in kept)
    letters = [(i, ch) for i, ch in enumerate(derived) if not ch.isspace()]
    out = [len(original)] * (len(derived) + 1)
    filled, p = 0, 0  # derived[:filled] has offsets; flat[:p] is used up
    for n, (i, ch) in enumerate(letters):
        q = p if p < len(flat) and flat[p] == ch else _resync(flat, p, "".join(c for _, c in letters[n:n + 16]))
        if q is not None:
            out[filled:i + 1] = [kept[q]] * (i + 1 - filled)
            filled, p = i + 1, q + 1
    return out


def _resync(flat: str, start: int, ahead: str) -> int | None:
    """Where the derived text `ahead` continues in the original: nearby on a short match, anywhere on a long one."""
    near = flat.find(ahead[:6], start)
    if 0 <= near - start < 400:
        return near
    far = flat.find(ahead, start) if len(ahead) == 16 else -1
    return far if far >= 0 else None


def remap_lines(report: CheckReport, derived: str, original: str) -> None:
    """Line numbers of findings as lines of `original`, the file the derived text came from."""
    positions = align_offsets(derived, original)
    starts = line_starts(original)

    def line(offset: int, old: int) -> int:
        return bisect_right(starts, positions[offset]) if 0 <= offset < len(positions) else old

    for item in [*report.findings, *report.verified, *report.skipped]:
        item.line = line(item.offset, item.line)
