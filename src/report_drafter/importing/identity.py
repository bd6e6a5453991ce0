"""What a report says of itself: its agency and year, the format it cites, the information-processing fee."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ..vocab import AGENCY_NUMERAL, AGENCY_ORDINAL_BEFORE
from .labels import norm
from .sections import CJK, Structure
from .lines import Source

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def detect_year(structure: Structure, source: Source) -> int | None:
    title_year = _YEAR.search(norm(structure.title))
    if title_year:
        return int(title_year.group(1))
    head = " ".join(source.lines[i].text for i in structure.preamble_lines[:20])
    overview = " ".join(source.lines[i].text for i in structure.section_lines.get("overview", [])[:20])
    for text in (head, overview):
        period = re.search(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日", norm(text))
        if period:
            return int(period.group(1))
        match = re.search(r"((?:19|20)\d{2})\s*年度?", norm(text))
        if match:
            return int(match.group(1))
    return None


_AGENCY_TAIL = re.compile(r"(关于)?(政府信息公开|政务公开|信息公开).*$")


def detect_agency(structure: Structure, source: Source) -> tuple[str, str]:
    """(agency, as written in the title) — the title's name expanded when the text spells it out in full."""
    title = norm(structure.title)
    agency = ""
    if title:
        match = re.search(r"((?:19|20)\d{2})年度?", title)
        before, after = (title[: match.start()], title[match.end():]) if match else (title, "")
        agency = _AGENCY_TAIL.sub("", before) or _AGENCY_TAIL.sub("", after)
    head = "".join(norm(source.lines[i].text) for i in structure.preamble_lines[:30])
    body = head + "".join(norm(source.lines[i].text) for i in structure.section_lines.get("overview", [])[:30])
    if not agency:
        for pattern in (r"现(?:将|予)?公布(?P<a>[^，。,；;《》]{3,30}?)(?:19|20)\d{2}年",
                        r"由(?P<a>[^，。,；;《》]{4,30}?)(?:根据|编制|负责)",
                        r"请与(?P<a>[^，。,；;《》()]{4,30}?)联系"):
            match = re.search(pattern, head)
            if match:
                agency = match.group("a")
                break
    written = agency
    if agency and len(agency) >= 4:
        expanded = _expand(agency, body)
        if expanded:
            agency = expanded
    return agency, written


def _expand(short: str, text: str) -> str | None:
    """A longer name in the text with the same place prefix and suffix that contains the short name's characters in order."""
    prefix = re.match(r"^.+?(?:省|自治区|市|州|盟|县|区|旗|镇|乡|街道)", short)
    prefix = prefix.group() if prefix and len(prefix.group()) < len(short) - 1 else short[:2]
    suffix = short[-1]
    best = None
    for name in _names(prefix, suffix, text):
        if len(name) <= len(short) or not _subsequence(short, name):
            continue
        if best is None or len(name) < len(best):
            best = name
    return best


_CJK_RUN = re.compile(rf"[{CJK}]{{0,24}}")


def _names(prefix: str, suffix: str, text: str):
    """What `prefix`, 1–24 CJK characters (as few as can be) and `suffix` in a row match in `text`, left to right
    and not overlapping (as `re.finditer` would, without compiling a pattern per name: a CJK class is slow to compile)."""
    start = 0
    while (at := text.find(prefix, start)) >= 0:
        body = at + len(prefix)
        end = _CJK_RUN.match(text, body).end()      # text[body:end] is CJK
        tail = text.find(suffix, body + 1, end + len(suffix))
        if tail >= 0:
            yield text[at:tail + len(suffix)]
            start = tail + len(suffix)
        else:
            start = at + 1


def same_agency(a: str, b: str) -> bool:
    """Whether two agency names can be the same body (one contains the other, or is its abbreviation), their
    ordinals alike (淮安市第一中学 and 淮安市第十一中学 are two schools, however the characters line up)."""
    a, b = norm(a), norm(b)
    if not a or not b or ordinals(a) != ordinals(b):
        return False
    return a in b or b in a or _subsequence(a, b) or _subsequence(b, a)


_ORDINAL = re.compile(rf"第({AGENCY_NUMERAL})|({AGENCY_NUMERAL})(?={'|'.join(AGENCY_ORDINAL_BEFORE)})")


def ordinals(name: str) -> list[str]:
    """The ordinals of an agency name, in order, without 第: 兵团第十一师 → ["十一"], 淮安一中 → ["一"]."""
    return [m.group(1) or m.group(2) for m in _ORDINAL.finditer(unicodedata.normalize("NFKC", name))]


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


# (full-width digits and brackets as NFKC would read them: the whole text is not normalised for one citation)
_SUPERSEDED = re.compile(r"[2２][0０][1１][9９]\s*[〕\]］）)】]\s*[6６][0０]\s*[号、,，]")


def cites_superseded_format(text: str) -> bool:
    return bool(_SUPERSEDED.search(text))


def processing_fees(text: str) -> tuple[int | None, Decimal | None]:
    """(cases, amount in 元) of 信息处理费 stated in the prose; amount None when not stated."""
    text = unicodedata.normalize("NFKC", text)
    sentences = [s for s in re.split(r"[。；;\n]", text) if s.strip()]
    for k, sentence in enumerate(sentences):
        if "处理费" not in sentence:
            continue
        if k + 1 < len(sentences) and not re.search(r"\d|未|没有|无|不|免", sentence):
            # a heading (“本年度信息公开处理费收费情况”): the sentence after it says how much
            sentence += "，" + sentences[k + 1]
        compact = "".join(sentence.split())
        tail = compact[compact.find("处理费"):]
        amount = re.search(r"(?<![\d.])(\d+(?:\.\d+)?)(万)?元", tail) or re.search(
            r"(?:收取|收费)[^,，]{0,20}?(?<![\d.])(\d+(?:\.\d+)?)(万)?元", compact)
        negative = re.search(r"(未|没有|无|不|免)[^,，]{0,12}(收取|收费|产生)|未发生|零收费|均未收", compact)
        cases = re.search(r"处理费[^,，]{0,6}?(?<![\d.])(\d+)件", compact) or re.search(
            r"(?<![\d.])(\d+)件[^,，]{0,12}?(?:收取|缴纳)[^,，]{0,8}?处理费", compact)
        if amount and not (negative and Decimal(amount.group(1)) == 0):
            value = Decimal(amount.group(1)) * (10000 if amount.group(2) else 1)
            return (int(cases.group(1)) if cases else None), value
        if negative or (amount and Decimal(amount.group(1)) == 0):
            return None, Decimal(0)
    return None, None
