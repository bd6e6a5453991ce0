"""Style: punctuation, Markdown marks, English, first person, promotion, enumeration, digit–unit spacing."""

from __future__ import annotations

import re
from functools import lru_cache

from ... import document
from ...findings import Finding
from .context import Page, ReviewContext, check
from .matching import led_by

CN_DIGITS = "一二三四五六七八九十"

# (each alternative opens with the mark itself, then looks back: the engine skips to the marks, not every char)
_HALF_WIDTH = re.compile(r"[,;:!?()\"](?<=[\u4e00-\u9fff“”、。）][,;:!?()\"])|[,;:!?(\"](?=[\u4e00-\u9fff])"
                         r"|\.(?<=[\u4e00-\u9fff]\.)(?!\d)")
_MARKDOWN = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|(?<![*\w])\*[^*\s][^*\n]*\*(?!\*)|`[^`\n]+`"
                       r"|^[ \t]*(?:[-*+][ \t]|#{1,6}[ \t]|>)|\[[^\]\n]+\]\([^)\n]+\)", re.M)
_MARKDOWN_SIGNS = re.compile(r"[*_`\[]|^[ \t]*[-+#>]", re.M)     # what every match of _MARKDOWN holds: most prose has none
_W = "A-Za-z0-9_"   # ASCII word chars: \w would also match Chinese, and try every run of it as an address
_LINK = re.compile(rf"https?://\S+|www\.[{_W}./-]+|[{_W}.+-]+@[{_W}-]+(?:\.[{_W}-]+)+"
                   rf"|[{_W}-]+(?:\.[{_W}-]+)*\.(?:cn|com|gov|org|net)(?![{_W}])"
                   rf"|[{_W}-]+\.(?:md|yaml|toml|txt|pdf|docx?|xlsx?|html?)(?![{_W}])")  # addresses and file names are not words
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")
_LATIN = re.compile(r"[A-Za-z]")
_FIRST_PERSON = re.compile(r"我(?<![自敌]我)(?![局市县区省州旗镇乡街们单委办院厅部国党校所队站中心司处会府馆室署社团园])")
_QUOTED = re.compile(r"“[^”\n]*”")
_ORDINAL = re.compile(rf"(?:^|(?<=[。；;：:，,\n（(]))\s*([{CN_DIGITS}]{{1,2}})是")
_ORDINAL_CORE = re.compile(rf"[{CN_DIGITS}]{{1,2}}是")     # (what `led_by` looks for first)
_OTHER_ORDINALS = re.compile(r"(?:^|(?<=[。；;：:\n]))\s*(?:第[一二三四五六七八九十]+[，,、]|首先[，,]|其次[，,]|其一[，,])")
_OTHER_ORDINALS_CORE = re.compile(r"第[一二三四五六七八九十]+[，,、]|首先[，,]|其次[，,]|其一[，,]")
_SUBHEADING = re.compile(rf"^[ \t]*（([{CN_DIGITS}]{{1,2}})）", re.M)
_UNITS = r"(?:余|多)?(?:件|条|个|次|场|期|项|份|家|篇|批|人次|人|名|户|天|万元|亿元|元|年|月|日|%)"
_SPACED = re.compile(rf"\d[ \t]+{_UNITS}")
_UNSPACED = re.compile(rf"\d{_UNITS}")


def _aggregate(page: Page, name: str, severity: str, key: str, offset: int, matches: list[re.Match],
               what: str, advice: str) -> list[Finding]:
    """One finding per section for a style slip that recurs: the first place, the count, some examples."""
    if not matches:
        return []
    examples = "、".join(dict.fromkeys(f"“{m.group(0).strip()}”" for m in matches[:20]))
    first = matches[0]
    count = f"共 {len(matches)} 处，" if len(matches) > 1 else ""
    return [page.finding(name, severity, key, offset + first.start(), first.group(0).strip(),
                         f"{what}：{examples}（{count}第一处见本句）。{advice}")]


@check("style.punctuation")
def half_width_punctuation(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Full-width Chinese punctuation in the prose."""
    return [f for key, body, offset in page.prose() for f in _aggregate(
        page, "style.punctuation", "error", key, offset, list(_HALF_WIDTH.finditer(body)), "正文中有半角（英文）标点",
        "公文应使用全角中文标点，半角标点多来自复制粘贴，显得不规范。请改为全角的“，；：！？（）”等。")]


@check("style.markdown")
def markdown_marks(page: Page, ctx: ReviewContext) -> list[Finding]:
    """No Markdown emphasis, lists, headings or links inside the prose."""
    return [f for key, body, offset in page.prose() for f in _aggregate(
        page, "style.markdown", "error", key, offset, list(_MARKDOWN.finditer(body)) if _MARKDOWN_SIGNS.search(body) else [],
        "正文中有 Markdown 标记",
        "发布的公文中这些符号会原样显示（如“**”）。请删去加粗、列表符号和标题符号，并列事项用“一是……；二是……”。")]


@check("style.english")
def english_words(page: Page, ctx: ReviewContext) -> list[Finding]:
    """No English words in the prose (common abbreviations such as APP allowed)."""
    allowed = {w.lower() for w in ctx.settings.allowed_english}
    out = []
    for key, body, offset in page.prose():
        if not _LATIN.search(body):         # (most prose has no Latin letter at all)
            continue
        text = _LINK.sub(lambda m: " " * len(m.group(0)), document.PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), body))
        words = [m for m in _ENGLISH.finditer(text) if m.group(0).lower() not in allowed]
        out += _aggregate(page, "style.english", "warning", key, offset, words, "正文中有英文",
                          "公文正文一般不用英文，读者未必看得懂。请改用中文说法；确需保留的缩写可加入 drafter.toml [check] allowed_english。")
    return out


@check("style.first_person")
def first_person(page: Page, ctx: ReviewContext) -> list[Finding]:
    """No first person singular (我局、我单位、我市、我们 are fine)."""
    out = []
    for key, body, offset in page.prose():
        text = _QUOTED.sub(lambda m: " " * len(m.group(0)), body)
        out += _aggregate(page, "style.first_person", "error", key, offset, list(_FIRST_PERSON.finditer(text)),
                          "正文中单独用了“我”", "年度报告以机关名义发布，应使用第三人称或“我局”“我单位”“本机关”。请改为机关的自称。")
    return out


@check("style.promotional")
def promotional(page: Page, ctx: ReviewContext) -> list[Finding]:
    """No rhetoric or self-praise (a configurable list of phrases, exclamation and question marks)."""
    pattern = _promotional(tuple(ctx.settings.promotional_phrases))
    return [f for key, body, offset in page.prose() for f in _aggregate(
        page, "style.promotional", "warning", key, offset, list(pattern.finditer(body)), "正文中有宣传或修辞性的表述",
        "年度报告应朴实、客观，用事实和数字说明工作，自我评价式的说法会被认为空泛。请删去或改为具体的做法和数据。")]


@lru_cache(maxsize=8)
def _promotional(phrases: tuple[str, ...]) -> re.Pattern:
    # (every alternative a literal: the engine then skips to their first characters instead of trying each position)
    return re.compile("|".join([*(re.escape(p) for p in phrases if p), "！", "？", "!", r"\?"]))


@check("style.enumeration")
def enumeration(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Enumerations numbered without gaps (一是、二是…; （一）（二）…) and in one style per section."""
    out = []
    for key, body, offset in page.prose(preamble=False):
        ordinals = list(led_by(_ORDINAL, _ORDINAL_CORE, body))
        out += _sequence_gaps(page, key, offset, ordinals, "“{}是”", single_is_odd=True)
        out += _sequence_gaps(page, key, offset, list(_SUBHEADING.finditer(body)), "“（{}）”", single_is_odd=False)
        mixed = next(led_by(_OTHER_ORDINALS, _OTHER_ORDINALS_CORE, body), None)
        if mixed and ordinals:
            out.append(page.finding("style.enumeration", "warning", key, offset + mixed.start(), mixed.group(0).strip(),
                                    f"同一部分中既用“一是……二是……”，又用“{mixed.group(0).strip()}”列举。格式不统一显得粗糙。"
                                    "请统一为“一是……；二是……；三是……”。"))
    return out


def _sequence_gaps(page: Page, key: str, offset: int, marks: list[re.Match], label: str,
                   single_is_odd: bool) -> list[Finding]:
    """Numbered marks that skip a number (a new run may start again at 一); optionally a lone 一."""
    out, previous = [], 0
    numbers = [_numeral_value(m.group(1)) for m in marks]
    for n, (m, number) in enumerate(zip(marks, numbers)):
        if number not in (1, previous + 1):
            out.append(page.finding("style.enumeration", "warning", key, offset + m.start(1), m.group(0).strip(),
                                    f"列举序号不连续：{label.format(m.group(1))}前面缺少{label.format(_numeral(number - 1))}。"
                                    "序号跳号像是删改后没有重排。请按顺序重新编号。"))
        if single_is_odd and number == 1 and (n + 1 == len(numbers) or numbers[n + 1] == 1):
            out.append(page.finding("style.enumeration", "warning", key, offset + m.start(1), m.group(0).strip(),
                                    "只有“一是”没有“二是”。只有一项时不必编号。请删去“一是”，或补全后面各项。"))
        previous = number
    return out


def _numeral_value(text: str) -> int:
    """一 … 十九 as a number."""
    if len(text) == 2:
        return 10 + CN_DIGITS.index(text[1]) + 1 if text[0] == "十" else (CN_DIGITS.index(text[0]) + 1) * 10
    return CN_DIGITS.index(text) + 1


def _numeral(n: int) -> str:
    return CN_DIGITS[n - 1] if n <= 10 else "十" + CN_DIGITS[n - 11]


@check("style.units")
def unit_spacing(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Digits and their units spaced the same way throughout (“32条” or “32 条”, not both)."""
    if not ctx.spacing_reliable:
        return []
    prose = page.prose()
    spaced = [(key, offset, m) for key, body, offset in prose for m in _SPACED.finditer(body)]
    tight = [(key, offset, m) for key, body, offset in prose for m in _UNSPACED.finditer(body)]
    if not spaced or not tight:
        return []
    key, offset, m = min(spaced, tight, key=len)[0]
    return [page.finding("style.units", "warning", key, offset + m.start(), m.group(0),
                         f"数字与单位之间有 {len(spaced)} 处加了空格（如“{spaced[0][2].group(0)}”），{len(tight)} 处没有加"
                         f"（如“{tight[0][2].group(0)}”）。全文写法不一致显得不规范。请统一，一般不加空格，如“32条”。")]
