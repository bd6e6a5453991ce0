"""Numeric mentions in report prose: find every number, set aside what is not a statistic.

The first stage of the number checker. ``find_mentions`` scans the text once with a
precompiled master pattern. Each hit becomes either a ``Mention`` (a count, amount or
percentage with its unit) or a ``Skipped`` span (year, date, citation, enumeration,
document number, phone number, address, set phrase …) with a reason code and a Chinese
reason (``REASONS``). The text is never rewritten; offsets index the input string.

Values are ``int`` or ``Decimal``, never float. A 万/亿 written as part of the number
("1.5万件", "3万余") is kept apart in ``Mention.multiplier`` and applied by ``scaled``;
万元/亿元 stay units as written. Chinese numerals are converted by cn2an on the isolated
span only, and cn2an is imported the first time such a span is met.

Judgement calls:

- A lone 零 is the number 0 only right after 为/是 at the end of a phrase ("均为零。");
  elsewhere (零件, 零报告) it is part of a word.
- 百/千/万/亿 standing alone are numbers only with an approximation (近百家, 上千条,
  万余人次); otherwise they are words (千家万户, 百姓).
- Years, months, days, quarters and spans of them (3年, 四个季度, 6个月) are dates;
  天, 小时 and 工作日 are units.
- Spelled-out numbers need a unit (三十二条, 一件), 余 or 以上 (十余); set phrases in
  ``_IDIOMS`` (一次, 一批, 一起 …) and counts inside short quotes (“五个中心”) are skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from . import vocab
from .document import PLACEHOLDER
from .numerals import LONE, MULTIPLIERS, Number, arabic_value, chinese_value

__all__ = [
    "REASONS", "Mention", "Scan", "Skipped",
    "find_mentions", "line_of", "scaled", "sentence_of",
]


REASONS = vocab.SKIP_REASONS


@dataclass(slots=True)
class Mention:
    """A statistic in the prose: a count, amount or percentage with its unit."""

    value: Number
    raw: str
    start: int
    end: int
    unit: str | None
    is_percent: bool = False
    approximate: bool = False
    multiplier: int = 1


@dataclass(slots=True)
class Skipped:
    """A numeric span that is not a statistic, with a reason code and Chinese reason."""

    raw: str
    start: int
    end: int
    code: str
    reason: str


@dataclass(slots=True)
class Scan:
    """The result of ``find_mentions``: statistics and the spans left out, in text order."""

    mentions: list[Mention] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


# --- pattern pieces -------------------------------------------------------------------

_D = r"\d"  # any decimal digit, full-width ones included
_CN = "[零〇一二两三四五六七八九十百千万亿]"
_CN_SMALL = "[一二三四五六七八九十]"
_CN_DIGIT = "[零〇一二三四五六七八九]"
_SP = r"[^\S\n]*\n?[^\S\n]*"  # spaces, and at most one line break
_LINE_START = r"(?:^|(?<=[\s。；;：:！？]))"
_ARABIC = rf"(?<!{_D})(?:{_D}{{1,3}}(?:[,，]{_D}{{3}})+(?!{_D})|{_D}+)(?:[.．]{_D}+)?"
_CN_RUN = rf"{_CN}+(?:点{_CN_DIGIT}+)?"

# Longest first where one unit is a prefix of another; lookaheads keep words out (条例, 期间).
_UNITS = (
    "个百分点", "百分点", "个工作日", "工作日", "小时", "分钟",
    "人次", "件次", "家次", "条次", "篇次", "场次", "户次", "批次",
    "元", "部分(?!公开)", "个(?![别性体])", "件", "条(?![例件款])", "次(?![年日月])",
    "场(?![所景地])", "期(?![间限待望末])", "篇", "份(?!额)", "人(?![民员大事口才])",
    "家(?![庭长属])", "项", "起(?![诉草至止来步点到算始])", "批(?![准复示])", "名(?![称单义])",
    "位(?![于置])", "所(?![属有在以谓])", "户", "封", "张", "册", "类(?![型别])", "种(?!类)",
    "套", "台(?!账)", "座", "轮", "组(?![织成建长])", "例(?!如)", "笔", "宗", "天", "倍", "页(?!面)",
)
_UNIT = "|".join(_UNITS)
_UNIT_FIRST = "".join(sorted({u[0] for u in _UNITS}))

_IDIOMS = (
    "一网通办", "一网统管", "一网协同", "一件事", "一次办", "一站式", "一体化", "一把手",
    "一事一审", "一事一议", "一企一策", "一案一策", "一人一档", "一条龙", "一张网", "一盘棋",
    "一个诉求", "一类问题", "一系列", "一方面", "一部分", "一批", "一起", "一次", "一些",
    "一定", "一律", "一般", "一致", "一直", "一切", "一线", "一流", "一并", "一道",
    "两个维护", "两个确立", "四个意识", "四个自信", "四个全面", "五位一体", "三安全一稳定",
    "三类内部事务", "四类过程性", "万人助万企", "万一", "千方百计", "千家万户", "三审三校",
    "五公开", "三公经费", "十三五", "十四五", "十五五",
    "第一时间", "进一步", "下一步", "统一", "唯一", "同一", "逐一", "单一", "之一",
    "双随机一公开", "双随机、一公开", "一带一路",
    # 每一件、逐一: each one, not a count
    "每一", "一件事一次办", "一窗受理", "一窗通办", "一门式", "一号通", "一码通", "一张表", "一次性",
)
_CONGRESS = (r"(?:十[二三四五六七八九]|二十)"
             r"(?:大|届(?:历次|[一二三四五六七八九]中(?:[、和及]?[一二三四五六七八九]中)*)?全会)")
_HOTLINES = "12345|12315|12369|12388|12320|12333|12366|12348"
_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"


def _tail(p: str) -> str:
    """What may follow a number: 万/亿 and 余/多 (either order), % or a unit, 以上/左右."""
    return (rf"(?:{_SP}(?P<{p}mult>[万亿]))?"
            rf"(?:{_SP}(?P<{p}approx>余|多(?={_SP}[万亿%％{_UNIT_FIRST}])))?"
            rf"(?:{_SP}(?P<{p}mult2>[万亿]))?"
            rf"(?:{_SP}(?:(?P<{p}pct>[%％])|(?P<{p}unit>{_UNIT})))?"
            rf"(?P<{p}suffix>以上|左右|之多)?")


def _idioms(numeral_first: bool) -> str:
    """The set phrases that start (or do not start) with a Chinese numeral, longest first."""
    words = [w for w in _IDIOMS if (w[0] in _NUMERAL_CHARS) == numeral_first]
    return "|".join(sorted(words, key=len, reverse=True))


# Anything after a number that may make it more than a bare table figure.
_AFTER_NUMBER = "".join(sorted(
    set("-—–－~至到.．、,，:@_%％+/)）号室楼栋幢单年月日季周个余多万亿以左之" + _UNIT_FIRST)))
# One or more bare numbers on a line ("72   64   178"), the last followed by none of those.
_PLAIN_NUMBERS = (rf"(?!1[3-9]{_D}{{9}}(?!{_D})|(?:{_HOTLINES})(?!{_D}))"
                  rf"(?>{_ARABIC})(?:[^\S\n]+(?>{_ARABIC}))*"
                  rf"(?!{_SP}[A-Za-z{re.escape(_AFTER_NUMBER)}])")

# Branches are grouped by their first character; a name's part before "__" is the code.
_DIGIT_FIRST = (
    ("plain", _PLAIN_NUMBERS),
    ("url__d", r"[0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"),
    ("code__d", r"(?<![A-Za-z0-9])(?=[0-9_/.\-]*[A-Za-z])[0-9][A-Za-z0-9_/.\-]*[A-Za-z0-9]"),
    ("phone__d", rf"(?<!{_D})0{_D}{{2,3}}{_SP}[-—–－]{_SP}{_D}{{7,8}}(?!{_D})"
                 rf"|(?<!{_D})1[3-9]{_D}{{9}}(?!{_D})"
                 rf"|(?<!{_D})(?:{_HOTLINES})(?!{_D})(?!{_SP}[{_UNIT_FIRST}])"),
    ("address__d", rf"{_D}+{_SP}(?:号楼|号院|室|楼|栋|幢|单元)"),
    ("doc_number__d", rf"{_D}+{_SP}号"),
    ("date__d", rf"(?=(?<=[(（]){_D}|{_D}+(?:[-/.:]|{_SP}[年月日季周个余多至到~—–\-]))(?:" + "|".join((
        rf"{_D}{{4}}[-/.]{_D}{{1,2}}[-/.]{_D}{{1,2}}(?:[ T]+{_D}{{1,2}}:{_D}{{2}}(?::{_D}{{2}})?)?",
        rf"{_D}{{1,2}}:{_D}{{2}}(?::{_D}{{2}})?(?:{_SP}[-—–~至到]{_SP}{_D}{{1,2}}:{_D}{{2}})?",
        rf"{_D}+{_SP}(?:[-—–~至到]{_SP}{_D}+{_SP})?年(?:度|底|初|末)?"
        rf"(?:{_SP}{_D}{{1,2}}{_SP}月(?:份|底|初|末)?(?:{_SP}{_D}{{1,2}}{_SP}[日号])?)?",
        rf"{_D}{{1,2}}{_SP}月(?:份|底|初|末|中旬|上旬|下旬)?(?:{_SP}{_D}{{1,2}}{_SP}[日号])?",
        rf"{_D}{{1,2}}{_SP}日",
        rf"{_D}+{_SP}(?:[余多]{_SP})?(?:个{_SP})?(?:季度|周年)",
        rf"(?<=[(（])(?:19|20){_D}{{2}}(?=[)）])",
    )) + ")"),
    ("enumeration__d", rf"{_LINE_START}{_D}{{1,2}}{_SP}[.．、](?!{_D})"),
    ("number", rf"(?P<n_value>{_ARABIC}){_tail('n_')}"),
)
_NUMERAL_FIRST = (
    ("idiom__cn", "|".join((_CONGRESS, _idioms(True)))),
    ("percent", rf"百分之(?P<p_value>{_CN_RUN}|{_D}+(?:[.．]{_D}+)?)"),
    ("date__cn", rf"{_CN}+{_SP}(?:[余多]{_SP})?(?:个{_SP})?(?:季度|周年|年度?|月份?|日)"),
    ("enumeration__cn", rf"{_CN_SMALL}{{1,3}}是|{_LINE_START}{_CN_SMALL}{{1,3}}{_SP}[、．.]"),
    ("chinese", rf"(?P<c_value>{_CN_RUN}){_tail('c_')}"),
)
_OTHER_FIRST = (
    ("page_number", rf"(?<!\S)[-－—][ \t]*{_D}{{1,3}}[ \t]*[-－—](?=[ \t\r]*$)"),
    ("url", r"https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%\-]+|www\.[A-Za-z0-9._/\-]+"
            r"|[A-Za-z][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"),
    ("code", r"(?<![A-Za-z0-9])(?=[A-Za-z_/.\-]*[0-9])[A-Za-z][A-Za-z0-9_/.\-]*[A-Za-z0-9]"),
    ("address", rf"地{_SP}址{_SP}[:：]{_SP}(?:[^，,；;。）)\n\d]*\n)?[^，,；;。）)\n]*"
                rf"|[路街道巷弄]{_SP}{_D}+{_SP}号"),
    ("postcode", rf"(?:邮编|邮政编码){_SP}[:：]?{_SP}{_D}{{6}}(?!{_D})"),
    ("phone", rf"(?:电话|传真){_SP}[:：]{_SP}{_D}[\d\-—–－]{{6,}}"),
    ("doc_number", rf"[〔\[［【]{_SP}{_D}{{4}}{_SP}[〕\]］】]"
                   rf"(?:{_SP}{_D}+(?:{_SP}[、,，]{_SP}{_D}+)*{_SP}号)?"
                   rf"|[(（]{_SP}{_D}{{4}}{_SP}[)）]{_SP}{_D}+{_SP}号"
                   rf"|(?:(?:国务院|国)?令{_SP})?第{_SP}{_D}+{_SP}号"),
    ("title", r"《[^《》]{0,80}》"),
    ("idiom", _idioms(False)),
    ("vague", r"若干|[数几][十百千万亿]+|成千上万|成百上千"),
    ("enumeration__ord", rf"第{_CN_SMALL}{{1,3}}(?=[，,、：:是])"),
    ("citation", rf"第{_SP}[（(]?{_SP}(?:{_CN}+|{_D}+){_SP}[）)]?{_SP}"
                 rf"(?:条|款|项|章|节|目|编|部分|批|届|次(?:全体|常务)?会议)"
                 rf"(?:{_SP}[、和及与,，]?{_SP}第{_SP}[（(]?{_SP}(?:{_CN}+|{_D}+){_SP}[）)]?{_SP}"
                 rf"(?:条|款|项|章|节|目))*"),
    ("ordinal", rf"第{_SP}(?:{_CN}+|{_D}+)(?:个)?(?:季度|次|批|期|轮|届|名|位|阶段)?"),
    ("enumeration", rf"[（(]{_SP}(?:{_CN_SMALL}{{1,3}}|{_D}{{1,2}}){_SP}[）)]"),
)


def _alternatives(branches: tuple[tuple[str, str], ...]) -> str:
    """Named alternatives; at one position the earlier branch wins."""
    return "|".join(f"(?P<{name}>{rx})" for name, rx in branches)


def _other_first_chars() -> str:
    """Every character an ``_OTHER_FIRST`` branch can start with, for a character class."""
    firsts = set("-－—地路街道巷弄邮电传〔［【[(（国令第《若数几成")
    firsts.update(w[0] for w in _IDIOMS if w[0] not in _NUMERAL_CHARS)
    return "A-Za-z" + "".join(re.escape(c) for c in sorted(firsts))


# The leading class is a cheap prefilter: most positions fail on it at once.
_SCAN = re.compile(
    rf"(?=[\d{_NUMERAL_CHARS}{_other_first_chars()}])"
    rf"(?:(?={_D})(?:{_alternatives(_DIGIT_FIRST)})"
    rf"|(?={_CN})(?:{_alternatives(_NUMERAL_FIRST)})"
    rf"|{_alternatives(_OTHER_FIRST)})",
    re.M,
)
_SHORT_QUOTE = re.compile(r"“[^“”]{0,12}”|‘[^‘’]{0,12}’|「[^「」]{0,12}」")
_APPROX_BEFORE = re.compile(r"(?:将近|接近|大约|超过|(?<![最附临亲])近|约|逾|超)\Z")
_APPROX_BEFORE_LONE = re.compile(r"(?:将近|接近|[近上逾过破])\Z")
_APPROX_LAST_CHARS = frozenset("近约过逾超上破")
_NUMERAL = re.compile(rf"{_D}|{_CN}")
_CELL = re.compile(_ARABIC)
_MONEY_UNITS = {10_000: "万元", 100_000_000: "亿元"}
_NEEDS_NUMERAL = frozenset({"url", "address", "title"})
_SENTENCE_BREAKS = "。；;！!？?\n"


# --- public API -----------------------------------------------------------------------

def find_mentions(text: str) -> Scan:
    """Every numeric mention in ``text``: statistics in ``mentions``, the rest in ``skipped``."""
    return _Scanner(text).run()


def scaled(mention: Mention) -> tuple[Number, str | None]:
    """The value with its 万/亿 multiplier applied, and the unit ("1.5万件" → 15000, "件")."""
    if mention.multiplier == 1:
        return mention.value, mention.unit
    value = mention.value * mention.multiplier
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return value, mention.unit


def sentence_of(text: str, offset: int) -> tuple[int, int]:
    """The (start, end) of the sentence around ``offset``, split on 。；！？ and line breaks."""
    start = max(text.rfind(c, 0, offset) for c in _SENTENCE_BREAKS) + 1
    ends = [i for c in _SENTENCE_BREAKS if (i := text.find(c, offset)) != -1]
    end = min(ends) if ends else len(text)
    if end < len(text) and text[end] != "\n":
        end += 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of ``offset``."""
    return text.count("\n", 0, offset) + 1


# --- scanning -------------------------------------------------------------------------

class _Scanner:
    """One pass over one text; ``prev_end`` bounds look-behind for 近/约 prefixes."""

    __slots__ = ("text", "scan", "prev_end", "quote_starts", "quote_ends", "placeholders")

    def __init__(self, text: str) -> None:
        self.text = text
        self.scan = Scan()
        self.prev_end = 0
        self.placeholders = [m.span() for m in PLACEHOLDER.finditer(text)] if "【" in text else []
        quotes = [m.span() for m in _SHORT_QUOTE.finditer(text)]
        self.quote_starts = [s for s, _ in quotes]
        self.quote_ends = [e for _, e in quotes]

    def run(self) -> Scan:
        """Classify every hit of the master pattern."""
        for m in _SCAN.finditer(self.text):
            kind = m.lastgroup
            if self.placeholders and any(a <= m.start() < b for a, b in self.placeholders):
                self.skip_match(m, "placeholder")
            elif kind == "plain":
                self.plain(m)
            elif kind == "number":
                self.number(m)
            elif kind == "chinese":
                self.chinese(m)
            elif kind == "percent":
                self.percent(m)
            else:
                self.skip_match(m, kind.partition("__")[0])
            self.prev_end = m.end()
        return self.scan

    def skip(self, start: int, end: int, code: str) -> None:
        """Record a span that is not a statistic."""
        self.scan.skipped.append(Skipped(self.text[start:end], start, end, code, REASONS[code]))

    def skip_match(self, m: re.Match, code: str) -> None:
        """Skip a whole match; spans that may hold no numeral at all are only consumed."""
        start, end = m.span()
        if code not in _NEEDS_NUMERAL or _NUMERAL.search(self.text, start, end):
            self.skip(start, end, code)

    def plain(self, m: re.Match) -> None:
        """Bare numbers with nothing after them, as in a table row: the fast path."""
        text, add = self.text, self.scan.mentions.append
        for cell in _CELL.finditer(text, *m.span()):
            start, end = cell.span()
            if self.quote_starts and self.in_short_quote(start, end):
                self.skip(start, end, "quoted")
                continue
            before = self.approx_before(start, lone=False)
            if before is not None:
                start = before.start()
            add(Mention(arabic_value(cell.group()), text[start:end], start, end, None, False,
                        before is not None))

    def number(self, m: re.Match) -> None:
        """An Arabic number with its multiplier, approximation and unit."""
        self.emit(m, "n_", arabic_value(m.group("n_value")), 1, lone=False)

    def chinese(self, m: re.Match) -> None:
        """Chinese numerals: a statistic only with a unit, 余 or 以上 after them."""
        run = m.group("c_value")
        start, end = m.span("c_value")
        if run == "零":
            self.zero(start, end)
            return
        lone = run in LONE
        if lone:
            counted = m.group("c_approx") or self.approx_before(start, lone)
        else:
            counted = m.end() > end
        parsed = chinese_value(run) if counted else None
        if parsed is None:
            self.skip(start, end, "word")
        else:
            self.emit(m, "c_", *parsed, lone=lone)

    def zero(self, start: int, end: int) -> None:
        """零 on its own: 0 after 为/是 at the end of a phrase, otherwise part of a word."""
        text = self.text
        after = text[end:end + 1]
        if start and text[start - 1] in "为是" and not "\u4e00" <= after <= "\u9fff":
            self.scan.mentions.append(Mention(0, "零", start, end, None))
        else:
            self.skip(start, end, "word")

    def percent(self, m: re.Match) -> None:
        """百分之… written out: a percentage."""
        start, end = m.span()
        number = m.group("p_value")
        if number[0].isdigit():
            value = arabic_value(number)
        elif (parsed := chinese_value(number)) is not None:
            value = parsed[0] * parsed[1]
        else:
            self.skip(start, end, "word")
            return
        before = self.approx_before(start, lone=False)
        if before is not None:
            start = before.start()
        self.scan.mentions.append(
            Mention(value, self.text[start:end], start, end, "%", True, before is not None))

    def emit(self, m: re.Match, p: str, value: Number, multiplier: int, *, lone: bool) -> None:
        """Record a number with the unit its match found (or skip it as a quoted phrase)."""
        start, end = m.span()
        unit = pct = mult = approx = suffix = None
        if end > m.end(p + "value"):
            unit, pct, mult, mult2, approx, suffix = m.group(
                p + "unit", p + "pct", p + "mult", p + "mult2", p + "approx", p + "suffix")
            mult = mult or mult2
        if mult:
            multiplier *= MULTIPLIERS[mult]
        if unit == "元" and multiplier in _MONEY_UNITS:
            unit, multiplier = _MONEY_UNITS[multiplier], 1
        elif unit == "百分点":
            unit = "个百分点"
        if self.in_short_quote(start, end):
            self.skip(start, end, "quoted")
            return
        before = self.approx_before(start, lone)
        if before is not None:
            start = before.start()
        approximate = bool(before or approx or suffix)
        self.scan.mentions.append(Mention(
            value, self.text[start:end], start, end, "%" if pct else unit, bool(pct),
            approximate, multiplier))

    def approx_before(self, start: int, lone: bool) -> re.Match | None:
        """An approximation word right before a number: 近, 约, 超过 … (上 only for 上千)."""
        if not start or self.text[start - 1] not in _APPROX_LAST_CHARS:
            return None
        pattern = _APPROX_BEFORE_LONE if lone else _APPROX_BEFORE
        return pattern.search(self.text, max(self.prev_end, start - 2), start)

    def in_short_quote(self, start: int, end: int) -> bool:
        """Whether ``start:end`` lies inside a short quoted phrase such as “五个中心”."""
        i = bisect_right(self.quote_starts, start) - 1
        return i >= 0 and self.quote_ends[i] >= end
