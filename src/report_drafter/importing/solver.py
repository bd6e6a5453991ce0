"""Choose among candidate readings of a table's rows with the format's own arithmetic.

Each row has candidate readings (`splitting.candidates`). Row rules (表三: 自然人…其他 = 总计;
表四: 维持+纠正+其他+尚未 = 总计 per group) filter each row's candidates; table rules (表三:
（七）总计 = sum of the 办理结果 rows, 一+二 = （七）+四, per column) then choose among the
combinations. What the arithmetic leaves open is decided by `splitting.plausibility` and
reported, with the alternatives, as a warning. Rows whose printed numbers break a rule under
every reading keep their most plausible reading: the rules report the violation later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product
from typing import Callable, Hashable

from .splitting import Candidate

EXHAUSTIVE = 4096            # combinations tried one by one; beyond that, improve row by row
Values = tuple


@dataclass
class Solution:
    chosen: dict[Hashable, Candidate]
    ties: dict[Hashable, list[Candidate]] = field(default_factory=dict)   # readings that fit equally well
    violations: int = 0                       # table rules broken by the chosen readings
    row_breaks: set[Hashable] = field(default_factory=set)               # rows breaking their row rule


def solve(options: dict[Hashable, list[Candidate]],
          row_rule: Callable[[Hashable, Values], bool | None] | None = None,
          table_rules: Callable[[dict[Hashable, Values]], int] | None = None) -> Solution:
    """The readings that break the fewest rules, the most plausible among equals."""
    kept: dict[Hashable, list[Candidate]] = {}
    row_breaks = set()
    for key, cands in options.items():
        ranked = sorted(cands, key=lambda c: (c.cost, repr(c.values)))
        fitting = [c for c in ranked if row_rule is None or row_rule(key, c.sums) is not False]
        if not fitting and ranked:
            row_breaks.add(key)
        kept[key] = fitting or ranked[:1]
    keys = list(kept)
    open_keys = [k for k in keys if len(kept[k]) > 1]
    base = {k: kept[k][0] for k in keys}
    if table_rules is None or not open_keys:
        ties = {k: kept[k] for k in open_keys}
        return Solution(base, ties, 0, row_breaks)

    def broken(choice: dict[Hashable, Candidate]) -> int:
        return table_rules({k: c.sums for k, c in choice.items()})

    size = 1
    for k in open_keys:
        size *= len(kept[k])
    if size <= EXHAUSTIVE:
        scored = []
        for combo in product(*(kept[k] for k in open_keys)):
            choice = dict(base)
            choice.update(zip(open_keys, combo))
            cost = sum((c.cost for c in combo), Decimal(0))
            scored.append((broken(choice), cost, combo))
        least = min(s[0] for s in scored)
        best = sorted((s for s in scored if s[0] == least), key=lambda s: s[1])
        chosen = dict(base)
        chosen.update(zip(open_keys, best[0][2]))
        ties = {}
        for n, k in enumerate(open_keys):
            seen = []
            for _, _, combo in best:
                if combo[n] not in seen:
                    seen.append(combo[n])
            if len(seen) > 1:
                ties[k] = seen
        return Solution(chosen, ties, least, row_breaks)
    # too many combinations: start from the most plausible reading and improve one row at a time
    chosen = dict(base)
    current = broken(chosen)
    improved = True
    while improved and current:
        improved = False
        for k in open_keys:
            for cand in kept[k]:
                trial = dict(chosen)
                trial[k] = cand
                count = broken(trial)
                if count < current:
                    chosen, current, improved = trial, count, True
    ties = {k: kept[k] for k in open_keys if current}
    for k in open_keys:
        if k in ties or not any(c.gaps for c in kept[k]):
            continue
        # rows placed with blank cells: say where another placement of the row fits as well
        same = [c for c in kept[k] if c is chosen[k] or broken({**chosen, k: c}) == current]
        if len(same) > 1:
            ties[k] = same
    return Solution(chosen, ties, current, row_breaks)


def sums_to_last(values: Values, size: int = 0) -> bool | None:
    """Whether the cells before the last add up to the last; None when a cell is blank."""
    if any(v is None for v in values):
        return None
    return sum(values[:-1]) == values[-1]
