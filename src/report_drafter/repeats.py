"""Passages a text says over and over with small changes: one sentence under new numbers, blocks alike
but for a heading or a figure.

A model that loops rarely copies itself exactly (backends/repetition.py catches that): it cycles a
numbered list through the same items, or writes five blocks that differ in one word. Sentences are
compared without their numbering and digits; blocks (paragraphs) by how much of them is alike.
Prose never does either: a report repeats phrases, not a 12-字 sentence three times, nor a
60-字 paragraph at 85 % likeness.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

MIN_COPIES = 3
MIN_SENTENCE = 12      # characters a sentence keeps, numbering and digits taken out, to count
MIN_BLOCK = 60         # characters of a block (paragraph) to be compared with the others
ALIKE = 0.85           # share of a block found in another for the two to be near copies
PAIR_SLACK = 8         # character pairs a near copy may lack beyond that share (a changed heading, a number)

_SENTENCE = re.compile(r"[^。；！？;!?\n]+[。；！？;!?]?")
_NUMBERING = re.compile(r"^\s*(?:[-*+•#>]+\s*|（[一二三四五六七八九十\d]+）|\(\d+\)|[一二三四五六七八九十]+[、是]|"
                        r"第[一二三四五六七八九十\d]+[，、,]?|\d+\s*[.．、)）]\s*)+")
_NOISE = re.compile(r"[\d\s*#_`|\-]+")
_BLOCKS = re.compile(r"\n\s*\n|\n(?=\s*(?:（[一二三四五六七八九十]+）|\d+[.．、]|#))")


@dataclass(frozen=True)
class Repeat:
    """A passage said `copies` times: `kind` is "sentence" (same words) or "block" (alike paragraphs)."""

    passage: str
    copies: int
    kind: str

    def excerpt(self, size: int = 30) -> str:
        text = self.passage.strip()
        return text if len(text) <= size else text[:size] + "…"


def core(sentence: str) -> str:
    """A sentence as compared: no numbering in front, no digits, no spaces or Markdown signs."""
    return _NOISE.sub("", _NUMBERING.sub("", sentence))


def repeated_sentence(text: str) -> Repeat | None:
    """The first sentence said MIN_COPIES times (numbering and digits aside)."""
    sentences = [m.group(0) for m in _SENTENCE.finditer(text)]
    counts = Counter(c for c in map(core, sentences) if len(c) >= MIN_SENTENCE)
    for sentence in sentences:
        if counts.get(core(sentence), 0) >= MIN_COPIES:
            return Repeat(sentence.strip(), counts[core(sentence)], "sentence")
    return None


def alike_blocks(text: str, last_only: bool = False) -> Repeat | None:
    """A block with at least MIN_COPIES - 1 near copies (all blocks, or only the last one against the rest)."""
    blocks = [b for b in (core(part) for part in _BLOCKS.split(text)) if len(b) >= MIN_BLOCK]
    pairs = [{b[k:k + 2] for k in range(len(b) - 1)} for b in blocks]   # character pairs: a cheap first sieve
    targets = range(len(blocks) - 1, len(blocks)) if last_only else range(len(blocks))
    for i in targets:
        alike = 1
        for j, other in enumerate(blocks):
            if j == i or len(pairs[i] & pairs[j]) < ALIKE * max(len(pairs[i]), len(pairs[j])) - PAIR_SLACK:
                continue
            matcher = SequenceMatcher(None, blocks[i], other, autojunk=False)
            if matcher.real_quick_ratio() >= ALIKE and matcher.quick_ratio() >= ALIKE and matcher.ratio() >= ALIKE:
                alike += 1
        if alike >= MIN_COPIES:
            return Repeat(blocks[i], alike, "block")
    return None


def find_repeat(text: str, streaming: bool = False) -> Repeat | None:
    """A sentence or a block the text keeps repeating, if any (`streaming`: only the newest block is compared)."""
    return repeated_sentence(text) or alike_blocks(text, last_only=streaming)
