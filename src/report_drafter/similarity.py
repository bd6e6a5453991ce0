"""How much of one text repeats another: shared runs of NGRAM characters (letters and digits only).

Used by the copying review (against last year's report) and by batch audits (across agencies).
"""

from __future__ import annotations

import re
import sys
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import compress
from dataclasses import dataclass

from .squeezing import Squeezed

NGRAM = 8                  # characters in a row that count as copied
BREAK = "\n"               # paragraphs are kept apart: no n-gram spans two of them

_LEAD_PHRASE = re.compile(r"^[ \t]*(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．、])[^。\n]{0,24}(?:。|$)", re.M)
_NON_WORDS = re.compile(r"[^\w\n]+")         # (with “_” taken out first: what is not a letter, a digit or a break)
_NOT_LETTERS = re.compile(r"(?:[^\w\n]|_)+")


def letters(text: str) -> str:
    """The text as compared for copying: letters and digits only, sub-headings left out, paragraphs kept apart."""
    blanked = _LEAD_PHRASE.sub(BREAK, text).replace("_", "")
    return _NON_WORDS.sub("", blanked).lower()


def letter_map(text: str) -> Squeezed:
    """`letters(text)` (before lowercasing) with the way back to offsets in `text`: the k-th letter is at
    `letter_map(text).offset(k)`."""
    blanked = _LEAD_PHRASE.sub(lambda m: BREAK + " " * (len(m.group(0)) - 1), text)
    return Squeezed(blanked, _NOT_LETTERS)


def grams(chars: str) -> set[str]:
    """Every run of NGRAM characters of `chars` (as `letters` returns it)."""
    return {chars[i:i + NGRAM] for i in range(len(chars) - NGRAM + 1)}


def shingles(chars: str) -> list[str]:
    """The runs of NGRAM characters of `chars` in order, one per start (to compare one text with many)."""
    return [chars[i:i + NGRAM] for i in range(len(chars) - NGRAM + 1)]


def shingle_sums(chars: str) -> array:
    """A checksum of each run of NGRAM characters of `chars`, in order (as `shingles`, but the same in
    every process and run, unlike str hashes, and 4 bytes each)."""
    data = chars.encode("utf-32-le")
    width = 4 * NGRAM
    return array("I", [zlib.crc32(data[k:k + width]) for k in range(0, 4 * (len(chars) - NGRAM + 1), 4)])


def sampled(chars: str, sums: array, sample: int = 1) -> set[int]:
    """The shingles of `chars` (their `shingle_sums`) that an index keeps: runs within one paragraph, and
    of those one in `sample`, the same ones in every text."""
    count = len(sums)
    if not count or 256 % sample:
        return {h for i, h in enumerate(sums) if h % sample == 0 and BREAK not in chars[i:i + NGRAM]}
    # Worked out a whole text at a time, as integers with a byte per run (C speed, not a step per run): a run is
    # kept when its checksum's low byte is a multiple of `sample` (which divides 256) and none of its NGRAM
    # characters is a break.
    keep = _flags(sums.tobytes(), 0 if sys.byteorder == "little" else 3, _MULTIPLE_OF[sample], count)
    code = chars.encode("utf-32-le")                    # a character is a break when its 4 bytes are BREAK's
    breaks = (_flags(code, 0, _IS_BYTE[ord(BREAK)], len(chars)) & _flags(code, 1, _IS_BYTE[0], len(chars))
              & _flags(code, 2, _IS_BYTE[0], len(chars)) & _flags(code, 3, _IS_BYTE[0], len(chars)))
    touched = 0                                         # runs with a break among their NGRAM characters
    for k in range(NGRAM):
        touched |= breaks >> (8 * k)
    ones = int.from_bytes(b"\x01" * count, "little")
    kept = keep & (ones ^ (touched & ones))
    return set(compress(sums, kept.to_bytes(count, "little")))


def _flags(data: bytes, first: int, table: bytes, count: int) -> int:
    """Byte `first` of each 4-byte item of `data` mapped through `table` (to 0 or 1), as one integer (item k in byte k)."""
    return int.from_bytes(data[first::4][:count].translate(table), "little")


_MULTIPLE_OF = {k: bytes(int(b % k == 0) for b in range(256)) for k in (1, 2, 4, 8, 16, 32, 64, 128, 256)}
_IS_BYTE = {value: bytes(int(b == value) for b in range(256)) for value in (0, *BREAK.encode("utf-32-le")[:1])}


def copied_runs(chars: str, prior: set, runs_of: list[str] | None = None) -> list[tuple[int, int]]:
    """(start, end) ranges of `chars` that also occur, NGRAM or more in a row, in the prior text.

    `runs_of`: `shingles(chars)`, when the same text is compared with many (their hashes are kept).
    """
    breaks = [m.start() for m in re.finditer(BREAK, chars)]
    return covered_runs(len(chars), breaks, prior, runs_of if runs_of is not None else shingles(chars))


def covered_runs(length: int, breaks: Iterable[int], prior: set, runs_of) -> list[tuple[int, int]]:
    """`copied_runs` of a text known by its length, the places of its paragraph breaks and its shingles."""
    hits = bytes(map(prior.__contains__, runs_of))
    covered = bytearray(length)
    for m in re.finditer(b"\x01+", hits):        # consecutive starts: one window from the first to the last
        covered[m.start():m.end() - 1 + NGRAM] = b"\x01" * (m.end() - m.start() - 1 + NGRAM)
    for at in breaks:
        covered[at] = 0
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
    where = letter_map(text) if runs else None
    return Similarity(len(chars) - chars.count(BREAK), sum(e - s for s, e in runs),
                      [(where.offset(s), where.offset(e - 1) + 1) for s, e in runs])


class ShingleIndex:
    """Which texts share runs of NGRAM characters, for a whole batch at once, without comparing all pairs.

    Each text's shingles (hashed NGRAM-character runs of `letters`) are kept as a sorted array, 4 bytes
    each; the texts holding each shingle are gathered a slice of the checksums' range at a time, so the
    index takes little more memory than the shingles themselves. Format wording (`excluded`: the shingles
    of `wording.format_shingles`) is left out of every comparison, however few or many texts hold it. Pairs
    are counted only through shingles they actually share, so the work grows with the batch, not with the
    square of it — except through a run that a crowd of texts holds (more than `crowd_min` groups and
    `crowd_share` of them): every pair of its holders would be counted, so it is left out as well. The
    crowd's bounds are far above a copy cluster's size (20 townships copying one model report).
    """

    SLICE = 1 << 15             # shingles (of all texts) taken at once

    def __init__(self, sample: int = 1, excluded: frozenset[int] = frozenset(), crowd_min: int = 200,
                 crowd_share: float = 0.02):
        """`sample`: keep one shingle in `sample`, the same ones in every text and every run (chosen by a
        checksum) — a smaller index for a large batch, its shares estimated from the sample."""
        self.texts: list[array] = []
        self.groups: list[str] = []
        self.sample, self.excluded = sample, excluded
        self.crowd_min, self.crowd_share = crowd_min, crowd_share

    @property
    def sizes(self) -> list[int]:
        """The number of (distinct) shingles of each text."""
        return [len(kept) for kept in self.texts]

    def add_shingles(self, shingles: Iterable[int], group: str) -> int:
        """Index a text by its shingles as `sampled` gives them (worked out elsewhere, e.g. in a worker process)."""
        self.texts.append(array("I", sorted(set(shingles).difference(self.excluded))))
        self.groups.append(group)
        return len(self.texts) - 1

    def holders(self) -> Iterator[list[int]]:
        """The texts holding each shingle held by two or more (a slice of the checksums' range at a time)."""
        total = sum(len(kept) for kept in self.texts)
        slices = 1 << (total // self.SLICE).bit_length()
        width = (1 << 32) // slices
        for low in range(0, 1 << 32, width):
            postings: dict[int, list[int]] = {}
            for ident, kept in enumerate(self.texts):
                for h in kept[bisect_left(kept, low):bisect_left(kept, low + width)]:
                    postings.setdefault(h, []).append(ident)
            yield from (ids for ids in postings.values() if len(ids) > 1)

    def shares(self, minimum: float = 0.05) -> dict[int, list[tuple[int, float]]]:
        """For each text, the texts of other groups holding at least `minimum` of its shingles: [(other, share)], largest first."""
        groups = self.groups
        common = max(self.crowd_min, int(self.crowd_share * len(set(groups))))
        texts = len(self.texts)
        shared: Counter[int] = Counter()        # a * texts + b (a < b) → shingles the two share
        for ids in self.holders():              # (ids in increasing order)
            if len({groups[i] for i in ids}) <= common:
                shared.update([a * texts + b for k, a in enumerate(ids) for b in ids[k + 1:] if groups[a] != groups[b]])
        sizes = self.sizes
        out: dict[int, list[tuple[int, float]]] = {}
        for pair, count in shared.items():
            for a, b in (divmod(pair, texts), divmod(pair, texts)[::-1]):
                share = count / sizes[a] if sizes[a] else 0.0
                if share >= minimum:
                    out.setdefault(a, []).append((b, share))
        for found in out.values():
            found.sort(key=lambda pair: -pair[1])
        return out
