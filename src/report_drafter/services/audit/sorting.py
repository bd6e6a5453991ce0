"""Which files of a supervisor's folder are reports: the folder also holds 通知, 名单, 说明, README files and
the blank official template, which must be set aside, not ranked as the worst reports nor summed.

A report is known by what every report has, whoever wrote it: the format's tables, or most of its six
numbered parts. A file with neither is "不是年报". A file with the format's tables and parts but not one
number in its tables and no prose of its own (only the format's placeholders) is the "空白模板".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...similarity import letters
from .crossing import prose_parts

REPORT = "report"
NOT_A_REPORT = "not_a_report"
BLANK_TEMPLATE = "blank_template"
STATUS_NAMES = {REPORT: "年报", NOT_A_REPORT: "不是年报", BLANK_TEMPLATE: "空白模板"}

MIN_PARTS = 3               # of the six numbered parts, for a file without tables to be read as a report
OWN_PROSE = 40              # letters of prose (placeholders left out) a filled-in report has at the least
_PLACEHOLDER = re.compile(r"[（(][^（）()\n]{0,40}[）)]")     # （文字描述） and the like: the format's hints


@dataclass(frozen=True)
class Sorted:
    """What a file is (REPORT, NOT_A_REPORT or BLANK_TEMPLATE) and, when not a report, why (in Chinese)."""

    status: str
    reason: str = ""


def sort_report(report) -> Sorted:
    """What an `importing.ImportedReport` read from a file is: a report, not a report, or the blank template."""
    found = [t for t in report.tables.values() if t.status != "missing"]
    parts = len(report.sections)
    if not found and parts < MIN_PARTS:
        return Sorted(NOT_A_REPORT, f"没有统计表，年报的六个部分只找到 {parts} 个：不是年度报告（如通知、名单、说明），"
                                    "不参加排名，也不计入汇总。")
    if found and not _any_number(report) and _own_prose(report.markdown) < OWN_PROSE:
        return Sorted(BLANK_TEMPLATE, "统计表一个数字也没有填，正文只有格式的提示文字：是空白的格式模板，"
                                      "不参加排名，也不计入汇总。")
    return Sorted(REPORT)


def _any_number(report) -> bool:
    """Whether some cell of tables 二, 三, 四 holds a number (a template's are all blank)."""
    data = report.stats.model_dump(include={"active", "requests", "appeals"})
    return any(value is not None for value in _leaves(data))


def _leaves(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value)
    else:
        yield node


def _own_prose(markdown: str) -> int:
    """Letters of the prose sections (一、五、六) with the format's bracketed hints left out."""
    return sum(len(letters(_PLACEHOLDER.sub("", body))) for body, _ in prose_parts(markdown))
