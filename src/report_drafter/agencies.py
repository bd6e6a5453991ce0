"""Names of agencies in prose: which departments a name stands for, and where a text names one."""

from __future__ import annotations

import re

from .vocab import DEPARTMENTS

_DEPARTMENT = re.compile("|".join(f"(?P<d{i}>{p})" for i, p in enumerate(DEPARTMENTS.values())))
_DEPARTMENT_KEYS = list(DEPARTMENTS)
_PLACE_CHAR = r"(?![在对由向与和及同经配会的是])[\u4e00-\u9fff]"
_SUFFIX = re.compile(r"局|厅|委员会")
_NAMED = re.compile(rf"(?:{_PLACE_CHAR}{{2,3}}(?:省|市|县|区|州|旗)|[省市县区])?(?:{_DEPARTMENT.pattern})$")
_BRANCH = re.compile(rf"{_PLACE_CHAR}{{2,3}}(?:市|县|区)?分局")


def agency_names(text: str):
    """(start, end) of department names such as “县财政局”“铁岭市生态环境局开原市分局” in a text."""
    for suffix in _SUFFIX.finditer(text):
        head = _NAMED.search(text, max(0, suffix.start() - 16), suffix.start())
        if head:
            branch = _BRANCH.match(text, suffix.end())
            yield head.start(), branch.end() if branch else suffix.end()


def departments(name: str) -> set[str]:
    """The departments (“财政”“生态环境”…) an agency name contains."""
    return {_DEPARTMENT_KEYS[int(m.lastgroup[1:])] for m in _DEPARTMENT.finditer(name)}
