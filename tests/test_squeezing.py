"""squeezing.Squeezed: a text with runs taken out, and the way back to offsets (the plain definition's)."""

import random
import re
from bisect import bisect_left

import pytest

from report_drafter.checks.lines import Alignment
from report_drafter.squeezing import Squeezed


@pytest.mark.parametrize("seed", range(5))
def test_offsets_are_those_of_the_chars_kept(seed):
    rng = random.Random(seed)
    for _ in range(300):
        text = "".join(rng.choice("ab \n\t中，。") for _ in range(rng.randint(0, 40)))
        for pattern in (re.compile(r"\s+"), re.compile(r"[\s，。]+")):
            squeezed = Squeezed(text, pattern)
            kept = [i for i, ch in enumerate(text) if not pattern.fullmatch(ch)]
            assert squeezed.flat == "".join(text[i] for i in kept)
            assert [squeezed.offset(q) for q in range(len(kept) + 1)] == [*kept, len(text)]
            assert [squeezed.index(o) for o in range(len(text) + 1)] == [bisect_left(kept, o) for o in range(len(text) + 1)]


def test_alignment_finds_the_text_after_a_divergence():
    original = "一、总体情况\n本机关  全年收到\n第 3 页\n申请 12 件。"
    derived = "## 一、总体情况\n\n本机关全年收到申请12件。"
    alignment = Alignment(derived, original)
    offsets = [alignment.offset(i) for i in range(len(derived) + 1)]
    assert original[offsets[derived.index("申请")]] == "申"
    assert original[offsets[derived.index("12")]] == "1"
    assert offsets[derived.index("#")] == original.index("一")      # no counterpart: the next char's


def test_the_index_sample_is_the_plain_definitions():
    """similarity.sampled flags a whole text's runs at once; the runs kept are the plain definition's."""
    import random

    from report_drafter.similarity import BREAK, NGRAM, sampled, shingle_sums

    rng = random.Random(4)
    for _ in range(3000):
        chars = "".join(rng.choice("ab\nc上\u0a0a") for _ in range(rng.randint(0, 40)))
        sums = shingle_sums(chars)
        for sample in (1, 2, 3, 4, 8):
            plain = {h for i, h in enumerate(sums) if h % sample == 0 and BREAK not in chars[i:i + NGRAM]}
            assert sampled(chars, sums, sample) == plain, (chars, sample)


def test_whitespace_taken_out_is_every_unicode_blank():
    """Squeezed takes whitespace out with str.split (faster than the pattern): the same characters as \\s."""
    import re
    import sys

    from report_drafter.squeezing import Squeezed

    text = "".join(chr(c) for c in range(0x3100)) + "".join(chr(c) for c in range(sys.maxunicode - 0x400, sys.maxunicode))
    assert Squeezed(text).flat == re.sub(r"\s+", "", text)
