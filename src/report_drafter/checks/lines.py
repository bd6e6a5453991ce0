"""Lines of findings in the file a checked text was rebuilt from (a published report's text file)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from ..document import line_starts
from ..squeezing import squeezed
from .result import CheckReport

AHEAD = 16      # chars of the derived text searched for when the texts diverge
NEAR = 400      # how far ahead a short match may be found
ANCHOR = 10     # chars of a run that anchors the alignment when found once in each text
PROBE = 40      # chars of the derived text between two runs tried as anchors


class Alignment:
    """Where each char of `derived` (text rebuilt from `original`) stands in `original`.

    Whitespace is ignored on both sides. First runs of ANCHOR chars of the derived text (one every PROBE
    chars) found exactly once in each text are paired, and the longest chain of pairs in the same order
    on both sides is kept (as a patience diff does): a title the reader composed, a heading repeated or tables rebuilt as Markdown
    cannot pull the rest out of place, since a phrase found twice anchors nothing. Between anchors the
    texts are matched as blocks of chars they share, in order, searching the original ahead where they
    diverge (a page number in the middle of a paragraph). A char with no counterpart (whitespace, “#”,
    “|”) takes the offset of the next char that has one. Work is linear in the texts (n log n for the chain).
    """

    def __init__(self, derived: str, original: str) -> None:
        self.original, self.derived = squeezed(original), squeezed(derived)
        flat, mine = self.original.flat, self.derived.flat
        self.starts: list[int] = []     # block k: mine[starts[k]:starts[k]+sizes[k]] == flat[at[k]:…]
        self.at: list[int] = []
        self.sizes: list[int] = []
        n = p = 0
        for a, b, size in _anchor_blocks(mine, flat):
            self._between(mine, n, a, flat, p, b)
            self._add(a, b, size)
            n, p = a + size, b + size
        self._between(mine, n, len(mine), flat, p, len(flat))

    def _add(self, n: int, q: int, size: int) -> None:
        if self.starts and self.starts[-1] + self.sizes[-1] == n and self.at[-1] + self.sizes[-1] == q:
            self.sizes[-1] += size
        else:
            self.starts.append(n)
            self.at.append(q)
            self.sizes.append(size)

    def _between(self, mine: str, n: int, n_end: int, flat: str, p: int, p_end: int) -> None:
        """Blocks of mine[n:n_end] found in order in flat[p:p_end] (the stretch between two anchors)."""
        while n < n_end and p < p_end:
            q = p if flat[p] == mine[n] else _resync(flat, p, mine[n:min(n + AHEAD, n_end)], p_end)
            if q is None:
                n += 1
                continue
            size = min(_common(mine, n, flat, q), n_end - n, p_end - q)
            self._add(n, q, size)
            n, p = n + size, q + size

    def offset(self, derived_offset: int) -> int:
        """The offset in `original` of the char at `derived_offset` (or of the next char that has one)."""
        k = self.derived.index(derived_offset)
        b = bisect_right(self.starts, k) - 1
        if b >= 0 and k < self.starts[b] + self.sizes[b]:
            return self.original.offset(self.at[b] + k - self.starts[b])
        return self.original.offset(self.at[b + 1]) if b + 1 < len(self.starts) else self.original.length


def _anchor_blocks(mine: str, flat: str) -> list[tuple[int, int, int]]:
    """(start in mine, start in flat, size) of stretches both texts share, anchored by runs of ANCHOR chars
    found once in each (one probe every PROBE chars of mine), in the longest order both texts agree on."""
    pairs = []
    for i in range(0, len(mine) - ANCHOR + 1, PROBE):
        run = mine[i:i + ANCHOR]
        j = flat.find(run)
        if j >= 0 and flat.find(run, j + 1) < 0 and mine.find(run) == i and mine.find(run, i + 1) < 0:
            pairs.append((i, j))
    blocks: list[tuple[int, int, int]] = []
    for i, j in _longest_increasing(pairs):
        if blocks and (i < blocks[-1][0] + blocks[-1][2] or j < blocks[-1][1] + blocks[-1][2]):
            continue                                    # inside the stretch the previous anchor opened
        blocks.append((i, j, _common(mine, i, flat, j)))
    return blocks


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of `pairs` (sorted by their first member) whose second members increase too."""
    tails: list[int] = []           # tails[k]: second member ending the best chain of length k + 1
    ends: list[int] = []            # … and the index in pairs of that pair
    back = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            ends.append(index)
        else:
            tails[k] = j
            ends[k] = index
        back[index] = ends[k - 1] if k else -1
    chain = []
    index = ends[-1] if ends else -1
    while index >= 0:
        chain.append(pairs[index])
        index = back[index]
    return chain[::-1]


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


def _resync(flat: str, start: int, ahead: str, end: int) -> int | None:
    """Where the derived text `ahead` continues in flat[start:end]: nearby on a short match, anywhere on a long one."""
    near = flat.find(ahead[:6], start, end)
    if 0 <= near - start < NEAR:
        return near
    far = flat.find(ahead, start, end) if len(ahead) == AHEAD else -1
    return far if far >= 0 else None


def remap_lines(report: CheckReport, derived: str, original: str) -> None:
    """Line numbers of findings as lines of `original`, the file the derived text came from."""
    alignment = Alignment(derived, original)
    starts = line_starts(original)

    def line(offset: int, old: int) -> int:
        return bisect_right(starts, alignment.offset(offset)) if 0 <= offset <= len(derived) else old

    for item in [*report.findings, *report.verified, *report.skipped]:
        item.line = line(item.offset, item.line)
