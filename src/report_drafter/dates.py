"""When a report was published: the 落款 date at its end, or the publication date its web page states."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_CN_DIGIT = "〇零一二三四五六七八九"
_NUMBER = rf"(?:\d{{1,4}}|[{_CN_DIGIT}十]{{1,4}})"
_DATE = re.compile(rf"({_NUMBER})\s*年\s*({_NUMBER})\s*月\s*({_NUMBER})\s*日")
_ISO = re.compile(r"((?:19|20)\d{2})[-/.年]\s*(\d{1,2})[-/.月]\s*(\d{1,2})日?")
_PAGE_HEADER = re.compile(r"^\s*(?:发布时间|发布日期|公开日期|成文日期|发文日期)\s*[:：]\s*(.+)$")
_TAIL_CHARS = 300          # the 落款 stands in the last lines of a report
_HEADER_LINES = 15


@dataclass(frozen=True)
class Dated:
    when: date
    line: int               # 1-based line of the text it was read from
    how: str                # 落款日期 / 网页发布时间


_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


def _value(part: str) -> int:
    if part.isdigit():
        return int(part)
    if "十" not in part:                         # 二〇二五, 一: digit by digit
        return int("".join(str(_DIGITS[c]) for c in part))
    from cn2an import cn2an

    return int(cn2an(part.replace("〇", "零"), "smart"))


def _make(year: str, month: str, day: str) -> date | None:
    try:
        return date(_value(year), _value(month), _value(day))
    except (ValueError, IndexError):
        return None


def signature_date(text: str) -> Dated | None:
    """The last date written in the report's closing lines (its 落款), e.g. “2025年1月23日”."""
    body = text.rstrip()
    start = max(0, len(body) - _TAIL_CHARS)
    found = None
    for match in _DATE.finditer(body, start):
        line_start = body.rfind("\n", 0, match.start()) + 1
        line_end = body.find("\n", match.end())
        rest = (body[line_start:match.start()] + body[match.end():line_end if line_end >= 0 else len(body)]).strip()
        if len(rest) > 30 or re.search(r"[。，；,;]", rest):
            continue            # a date inside a sentence, not a 落款 line
        when = _make(*match.groups())
        if when is not None and 1990 < when.year < 2100:
            found = Dated(when, body.count("\n", 0, match.start()) + 1, "落款日期")
    return found


def page_date(text: str) -> Dated | None:
    """The publication date a saved web page states in its header (发布时间: 2022-02-08 16:34)."""
    for number, line in enumerate(text.split("\n")[:_HEADER_LINES], start=1):
        header = _PAGE_HEADER.match(line)
        if header:
            match = _ISO.search(header.group(1)) or _DATE.search(header.group(1))
            when = _make(*match.groups()) if match else None
            if when is not None:
                return Dated(when, number, "网页发布时间")
    return None


def publication_date(text: str) -> Dated | None:
    """The report's 落款 date, else the publication date of its web page; None when the text states neither."""
    return signature_date(text) or page_date(text)
