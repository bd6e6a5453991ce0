"""An agency's level (省级 / 市级 / 县级 / 乡级) and area, read from its name: the last place it names decides.

(A guess from the name alone: 上海市 is a province-level city, 平潭综合实验区 a prefecture-level zone. The
supervisor's office can correct `agencies.level` and `agencies.area` in the database; later audits keep them.)
"""

from __future__ import annotations

import re

# place suffix → level, the innermost place (the last in the name) deciding
LEVELS = (
    (r"(?:乡|镇|街道|苏木)", "乡级"),
    (r"(?:县|旗|(?<!自治)区)", "县级"),
    (r"(?:市|州|盟|地区)", "市级"),
    (r"(?:省|自治区)", "省级"),
)
_PLACE = re.compile("|".join(f"(?P<l{k}>{pattern})" for k, (pattern, _) in enumerate(LEVELS)))
UNKNOWN = "未知"


def level_of(name: str) -> str:
    """The level of the innermost place an agency's name names (未知 when it names none)."""
    last = None
    for match in _PLACE.finditer(name):
        last = match
    if last is None:
        return UNKNOWN
    return LEVELS[int(last.lastgroup[1:])][1]


def area_of(name: str) -> str:
    """The first place an agency's name names (the area it belongs to): 某县东风镇人民政府 → 某县."""
    match = _PLACE.search(name)
    return name[:match.end()] if match else name
