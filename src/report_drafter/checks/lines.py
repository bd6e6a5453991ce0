"""Lines of findings in the file a checked text was rebuilt from (a published report's text file)."""

from __future__ import annotations

from bisect import bisect_right

from ..document import line_starts
from ..squeezing import squeezed
from .result import CheckReport

AHEAD = 16      # chars of the derived text searched for when the texts diverge
NEAR = 400      # how far ahead a short match may be found


class Alignment:
    """Where each char of `derived` (text rebuilt from `original`) stands in `original`.

    Whitespace is ignored on both sides. The texts are matched as blocks of chars they share, in
    order; where they diverge (a page number in the middle of a paragraph, tables rebuilt as
    Markdown) the original is searched ahead for the derived text that follows. A char with no
    counterpart (whitespace, “#”, “|”) takes the offset of the next char that has one. Work is
    linear in the texts, done in blocks rather than char by char.
    """

    def __init__(self, derived: str, original: str) -> None:
        self.original, self.derived = squeezed(original), squeezed(derived)
        flat, mine = self.original.flat, self.derived.flat
        self.starts: list[int] = []     # block k: mine[starts[k]:starts[k]+sizes[k]] == flat[at[k]:…]
        self.at: list[int] = []
        self.sizes: list[int] = []
        n = p = 0
        while n < len(mine):
            q = p if p < len(flat) and flat[p] == mine[n] else _resync(flat, p, mine[n:n + AHEAD])
            if q is None:
                n += 1
                continue
            size = _common(mine, n, flat, q)
            self.starts.append(n)
            self.at.append(q)
            self.sizes.append(size)
            n, p = n + size, q + size

    def offset(self, derived_offset: int) -> int:
        """The offset in `original` of the char at `derived_offset` (or of the next char that has one)."""
        k = self.derived.index(derived_offset)
        b = bisect_right(self.starts, k) - 1
        if b >= 0 and k < self.starts[b] + self.sizes[b]:
            return self.original.offset(self.at[b] + k - self.starts[b])
        return self.original.offset(self.at[b + 1]) if b + 1 < len(self.starts) else self.original.length


def _common(a: str, i: int, b: str, j: int) -> int:
    """Length of the common prefix of a[i:] and b[j:] (≥ 1 when a[i] == b[j]), by doubling and halving."""
    limit = min(len(a) - i, len(b) - j)
    low, step = 0, 64
    while low + step <= limit and a[i + low:i + low + step] == b[j + low:j + low + step]:
        low += step
        step *= 2
    while step > 1:
        step //= 2
        if low + step <= limit and a[i + low:i + low + step] == b[j + low:j + low + step]:
            low += step
    return low


def _resync(flat: str, start: int, ahead: str) -> int | None:
    """Where the derived text `ahead` continues in the original: nearby on a short match, anywhere on a long one."""
    near = flat.find(ahead[:6], start)
    if 0 <= near - start < NEAR:
        return near
    far = flat.find(ahead, start) if len(ahead) == AHEAD else -1
    return far if far >= 0 else None


def remap_lines(report: CheckReport, derived: str, original: str) -> None:
    """Line numbers of findings as lines of `original`, the file the derived text came from."""
    alignment = Alignment(derived, original)
    starts = line_starts(original)

    def line(offset: int, old: int) -> int:
        return bisect_right(starts, alignment.offset(offset)) if 0 <= offset <= len(derived) else old

    for item in [*report.findings, *report.verified, *report.skipped]:
        item.line = line(item.offset, item.line)
