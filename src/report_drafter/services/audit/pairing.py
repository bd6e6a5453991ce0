"""Which reports of a batch are one agency's, and which report is the same agency's of the year before.

Names are matched with `importing.identity.same_agency` (one name contains the other, or abbreviates
it: 上海市科委 / 上海市科学技术委员会), with two limits a batch of one city needs: a name that adds a
subordinate body (上海市人民政府 → 上海市人民政府办公厅) or a subdivision (淮安市人民政府 →
淮安市清江浦区人民政府) is another agency; a place's name and its government are one
(平潭综合实验区 / 平潭综合实验区管委会).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...importing.identity import same_agency
from ...importing.labels import norm

_DIVISION = re.compile(r"[省市县区镇乡旗州盟]|街道")
_PLACE = re.compile(r"(?:[省市县区镇乡旗州盟]|街道|自治区|自治州|自治县)$")
GOVERNMENT_TAILS = {"人民政府", "政府", "管委会", "管理委员会", "党工委管委会", "办事处", "街道办事处", "公所", "人民政府办事处"}


def one_agency(a: str, b: str) -> bool:
    """Whether two names of agencies (as reports print them) name the same body."""
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    if a == b:
        return True
    if not same_agency(a, b):
        return False
    short, long = sorted((a, b), key=len)
    at = long.find(short)
    if at >= 0:
        tail = long[at + len(short):]
        return not tail or (bool(_PLACE.search(short)) and tail in GOVERNMENT_TAILS)
    return not _DIVISION.search(_inserted(short, long))


def _inserted(short: str, long: str) -> str:
    """The characters of `long` left over when `short` is matched in it as a subsequence (leftmost)."""
    out, it = [], iter(short)
    want = next(it, None)
    for ch in long:
        if ch == want:
            want = next(it, None)
        else:
            out.append(ch)
    return "".join(out)


class Agencies:
    """Agency names grouped into bodies, one key per body (the first name seen)."""

    def __init__(self) -> None:
        self.exact: dict[str, str] = {}
        self.blocks: dict[str, list[tuple[str, str]]] = {}     # first char → [(name, key)]

    def key(self, name: str) -> str:
        """The key of the body `name` names (a new one when it matches none seen)."""
        normal = norm(name)
        if not normal:
            return ""
        if normal in self.exact:
            return self.exact[normal]
        block = self.blocks.setdefault(normal[0], [])
        key = next((k for other, k in block if one_agency(normal, other)), normal)
        block.append((normal, key))
        self.exact[normal] = key
        return key


@dataclass
class Entry:
    """A read report as paired: its position, agency key, year, and whether it is a batch report or only a prior."""

    index: int
    group: str
    year: int
    prior_only: bool = False


def pair(entries: list[Entry]) -> tuple[dict[int, int], dict[int, list[int]]]:
    """(report → its agency's report of the year before, report → other batch reports of its agency and year).

    A report of the batch is preferred as last year's to one found only in the prior folder.
    """
    by_key: dict[tuple[str, int], list[Entry]] = {}
    for entry in entries:
        if entry.group:
            by_key.setdefault((entry.group, entry.year), []).append(entry)
    priors, twins = {}, {}
    for entry in entries:
        if entry.prior_only or not entry.group:
            continue
        before = sorted(by_key.get((entry.group, entry.year - 1), []), key=lambda e: (e.prior_only, e.index))
        if before:
            priors[entry.index] = before[0].index
        same = [e.index for e in by_key[(entry.group, entry.year)] if e.index != entry.index and not e.prior_only]
        if same:
            twins[entry.index] = same
    return priors, twins
