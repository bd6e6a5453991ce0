"""What keeps `drafter audit`'s main process small as the batch grows: the cross-agency index holds each
text's shingles as a compact array. The same results either way."""

from __future__ import annotations

import random

import pytest

from report_drafter.similarity import ShingleIndex


def reference_shares(texts: list[set[int]], groups: list[str], minimum: float, common: int) -> dict:
    """ShingleIndex.shares by its definition: every pair of texts of other groups, counted shingle by shingle."""
    holders: dict[int, set[int]] = {}
    for i, shingles in enumerate(texts):
        for h in shingles:
            holders.setdefault(h, set()).add(i)
    out = {}
    for a, mine in enumerate(texts):
        found = []
        for b in range(len(texts)):
            shared = sum(1 for h in mine if b in holders[h] and len({groups[i] for i in holders[h]}) <= common)
            if groups[a] != groups[b] and shared and shared / len(mine) >= minimum:
                found.append((b, shared / len(mine)))
        if found:
            out[a] = sorted(found)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_shingle_index_counts_every_shared_shingle_across_its_slices(seed, monkeypatch):
    rng = random.Random(seed)
    monkeypatch.setattr(ShingleIndex, "SLICE", 64)            # many slices of the checksums' range
    pool = [rng.randrange(1 << 32) for _ in range(300)] + [0, (1 << 32) - 1]
    texts = [set(rng.sample(pool, rng.randint(1, 60))) for _ in range(rng.randint(2, 30))]
    groups = [f"g{rng.randint(0, len(texts) // 2)}" for _ in texts]
    index = ShingleIndex(common_share=0.3, common_min=3)
    for shingles, group in zip(texts, groups):
        index.add_shingles(list(shingles) * 2, group)          # (a shingle twice counts once)
    common = max(3, int(0.3 * len(set(groups))))
    shares = index.shares(0.05)
    assert {a: sorted(found) for a, found in shares.items()} == reference_shares(texts, groups, 0.05, common)
    assert all([s for _, s in found] == sorted((s for _, s in found), reverse=True) for found in shares.values())
