"""The values of written numbers: Arabic digits with separators and decimals, and Chinese numerals.

Values are int or Decimal, never float. cn2an converts a Chinese numeral run, on the isolated
span only (never running text), and is imported the first time one is met.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

Number = int | Decimal

_ARABIC_DIGITS = str.maketrans("．", ".", ",，")  # int() and Decimal() read any digits
_CN_DIGITS = str.maketrans("零〇一二三四五六七八九", "00123456789")
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
LONE = {"百": (100, 1), "千": (1000, 1), "万": (1, 10_000), "亿": (1, 100_000_000)}   # 近百家, 上千条, 万余人次


_LONGEST_INT = 4000    # int() refuses longer digit strings (Python's integer string limit); Decimal does not


def arabic_value(raw: str) -> Number:
    """The value of Arabic digits with optional separators and decimals: int or Decimal."""
    if raw.isdigit() and len(raw) <= _LONGEST_INT:
        return int(raw)
    digits = raw.translate(_ARABIC_DIGITS)
    return Decimal(digits) if "." in digits or len(digits) > _LONGEST_INT else int(digits)


_LONGEST_CHINESE = 24    # longer runs of numeral characters are not numbers a report writes (and cn2an slows down)


@lru_cache(maxsize=2048)
def chinese_value(run: str) -> tuple[Number, int] | None:
    """(value, multiplier) of a Chinese numeral run such as 三十二, 两千, 一点五 or 十二万."""
    if run in LONE:
        return LONE[run]
    if len(run) > _LONGEST_CHINESE:
        return None
    multiplier = 1
    if run[-1] in MULTIPLIERS and not any(c in MULTIPLIERS for c in run[:-1]):
        run, multiplier = run[:-1], MULTIPLIERS[run[-1]]
    whole, _, fraction = run.partition("点")
    try:
        value = _cn2an(whole)
    except ValueError:
        return None
    if fraction:
        return Decimal(f"{value}.{fraction.translate(_CN_DIGITS)}"), multiplier
    return value, multiplier


_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UP_TO_99 = re.compile(r"([一二三四五六七八九]?)十([一二三四五六七八九]?)")


def _cn2an(span: str) -> int:
    """cn2an on one isolated span, imported on first use (the import costs ~150 ms: a single digit, the
    commonest run by far, and tens up to 九十九 are read here without it)."""
    if span in _DIGIT_VALUES:
        return _DIGIT_VALUES[span]
    tens = _UP_TO_99.fullmatch(span)
    if tens:
        return _DIGIT_VALUES.get(tens.group(1), 1) * 10 + _DIGIT_VALUES.get(tens.group(2), 0)
    from cn2an import cn2an

    value = cn2an(span, "smart")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(span)
        value = int(value)
    return value
