"""未/无/均 claims: “未收到申请”, “均予维持” … against the facts that must then be zero."""

from __future__ import annotations

import re

from .. import vocab
from ..facts import Fact, FactSet

ZERO_CLAIMS = tuple((re.compile(pattern), facts) for pattern, facts in vocab.ZERO_CLAIMS)
NOT_CORRECTED = re.compile(vocab.NOT_CORRECTED)
ALL_UPHELD = re.compile(vocab.ALL_UPHELD)
CLAIM_GROUPS = tuple((group, re.compile(pattern)) for group, pattern in vocab.CLAIM_GROUPS)
# every quantity a claim is judged by
CONSULTED = frozenset({*(key for _, keys in vocab.ZERO_CLAIMS for key in keys),
                       *(f"{group}_{column}" for group, _ in vocab.CLAIM_GROUPS
                         for column in (vocab.CORRECTED, *vocab.NOT_UPHELD))})
# whether the sentence makes any claim: one scan instead of one per pattern (most sentences make none)
_ANY_CLAIM = re.compile(f"(?=[{vocab.CLAIM_OPENERS}])(?:" + "|".join(f"(?:{pattern})" for pattern in (
    *(pattern for pattern, _ in vocab.ZERO_CLAIMS), vocab.NOT_CORRECTED, vocab.ALL_UPHELD)) + ")")


# ---------- claims (未/无/均) ----------

def check_claims(sentence: str, facts: FactSet) -> list[tuple[str, str, str]]:
    """(claim text, expected, source) for every decidable 未/无/均 claim the tables contradict."""
    return claims(sentence, facts)[1]


def may_claim(sentence: str) -> bool:
    """Whether the sentence may make a 未/无/均 claim at all (what `claims` looks for first)."""
    return _ANY_CLAIM.search(sentence) is not None


def claims(sentence: str, facts: FactSet) -> tuple[int, list[tuple[str, str, str]]]:
    """How many 未/无/均 claims the sentence makes, and those the tables contradict."""
    if not may_claim(sentence):
        return 0, []
    problems = []
    count = 0
    checked: list[str] = []
    for pattern, keys in ZERO_CLAIMS:
        match = pattern.search(sentence)
        if not match:
            continue
        count += 1
        if any(k in checked for k in keys):
            continue
        checked += keys
        problems += [_claim(match, fact) for fact in (facts[k] for k in keys if k in facts) if fact.value != 0]
    match = NOT_CORRECTED.search(sentence)
    if match:
        count += 1
        clause_start = max(sentence.rfind(c, 0, match.start()) for c in "，,；;：:") + 1
        for group in _claimed_groups(sentence[clause_start:match.end()]):    # “行政复议零纠错”: named before
            fact = facts.get(f"{group}_{vocab.CORRECTED}")
            if fact and fact.value:
                problems.append(_claim(match, fact))
    match = ALL_UPHELD.search(sentence)
    if match:
        count += 1
        for group in _claimed_groups(sentence):
            for column in vocab.NOT_UPHELD:
                fact = facts.get(f"{group}_{column}")
                if fact and fact.value:
                    problems.append(_claim(match, fact))
    return count, problems


def _claim(match: re.Match, fact: Fact) -> tuple[str, str, str]:
    return match.group(0), f"{fact.label}{fact.text}{fact.unit}", fact.source


def _claimed_groups(text: str) -> list[str]:
    """The appeal groups a claim names (复议, 诉讼); with none named, both."""
    return [g for g, p in CLAIM_GROUPS if p.search(text)] or [g for g, _ in CLAIM_GROUPS]


