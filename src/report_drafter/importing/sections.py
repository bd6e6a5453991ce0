"""The report's structure: title, preamble, the six sections, the table regions, and prose.

Also the facts read from the prose: agency, year, the 信息处理费 and a superseded 60号 citation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..document import section_key
from .lines import Line, Source
from .labels import norm

_HEADING = re.compile(r"^#{0,3}([一二三四五六])[、.．]\s*(.{2,40}?)[:：。]?$")
_LONGEST = 4 * (3 + 2 + 40 + 1)         # chars of a line that may still be a heading
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_META = re.compile(r"^[-•·\s]*(索引号|发布机构|发布日期|发布时间|成文日期|生成日期|文号|时效性|公开方式|组配分类|来源|点击数|"
                   r"浏览次数|信息来源|字号|分享|打印|关闭|栏目|原文链接|本地目录|页面链接|当前位置|=+正文=*|正文$)")
_DATE_ONLY = re.compile(r"^\d{4}(?:-\d{1,2}-\d{1,2}|年\d{1,2}月\d{1,2}日)(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$")
CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "，。；：、！？（）《》“”‘’【】〔〕—…"
TABLE_KEYS = ("active", "requests", "appeals")
PROSE_KEYS = ("overview", "problems", "other")


@dataclass
class Structure:
    title: str = ""
    title_lines: list[int] = field(default_factory=list)
    preamble_lines: list[int] = field(default_factory=list)
    headings: dict[str, int] = field(default_factory=dict)       # section key → line index
    inferred: set[str] = field(default_factory=set)             # sections found by content, not a heading
    heading_texts: dict[str, str] = field(default_factory=dict)
    regions: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    section_lines: dict[str, list[int]] = field(default_factory=dict)


def heading_of(line: Line) -> tuple[str, str] | None:
    """(numeral, heading text) when the line is a section heading candidate."""
    texts = [c.text.strip() for c in line.cells if c.text.strip()]
    if len(texts) != 1:
        return None
    # a prose line is too long to be a heading, normalised or not (NFKC joins at most 4 code points into one)
    if len(texts[0]) > _LONGEST and len("".join(texts[0].split())) > _LONGEST:
        return None
    compact = "".join(unicodedata.normalize("NFKC", texts[0]).split())
    match = _HEADING.match(compact)
    if not match:
        return None
    return match.group(1), match.group(2)


# section headings printed under another numeral (a report that numbers its tables 一、二、三 after
# six prose parts): recognised by their full wording only
_RENUMBERED = {
    "active": re.compile(r"主动公开政府信息(情况|工作情况)"),
    "requests": re.compile(r"收到和处理政府信息公开申请"),
    "appeals": re.compile(r"行政复议.{0,8}行政诉讼|行政诉讼.{0,8}行政复议"),
    "problems": re.compile(r"存在的主要问题及改进情况"),
    "other": re.compile(r"其他需要报告的事项"),
}
_KEYS = ("overview", "active", "requests", "appeals", "problems", "other")
# the problems part printed without its heading: “（一）主要问题”, “（一）2024 年工作中存在问题的改进情况”
_PROBLEMS_START = re.compile(r"^\([一二]\).{0,24}(问题|改进)")


def heading_key(numeral: str, text: str) -> str | None:
    """The section a heading line opens, by its numeral and wording (or its wording alone)."""
    key = section_key(numeral, text)
    if key:
        return key
    compact = norm(text)
    for key, pattern in _RENUMBERED.items():
        if pattern.search(compact):
            return key
    return None


def find_structure(source: Source) -> Structure:
    lines = source.lines
    s = Structure()
    candidates = []
    for i, line in enumerate(lines):
        found = heading_of(line)
        key = heading_key(*found) if found else None
        if key:
            candidates.append((i, _KEYS.index(key), key))
    toc = _table_of_contents(candidates)
    expected = 0
    for i, index, key in candidates:
        if i not in toc and index >= expected:
            s.headings[key] = i
            s.heading_texts[key] = lines[i].text
            expected = index + 1
    _infer_problems(source, s)
    _find_regions(source, s)
    starts = list(s.headings.values()) + [r[0] for r in s.regions.values() if r]
    _find_title(source, s, min(starts) if starts else len(lines))
    # section bodies: from a heading to the next heading
    ordered = sorted(s.headings.items(), key=lambda kv: kv[1])
    for n, (key, start) in enumerate(ordered):
        end = ordered[n + 1][1] if n + 1 < len(ordered) else len(lines)
        s.section_lines[key] = list(range(start if key in s.inferred else start + 1, end))
    return s


def _infer_problems(source: Source, s: Structure) -> None:
    """No “五、” heading: the part on problems starts at its first sub-heading after table 四."""
    if "problems" in s.headings or "appeals" not in s.headings:
        return
    end = s.headings.get("other", len(source.lines))
    for i in range(s.headings["appeals"] + 1, end):
        texts = [c.text for c in source.lines[i].cells if c.text.strip()]
        if len(texts) == 1 and _PROBLEMS_START.match(norm(texts[0])):
            s.headings["problems"] = i
            s.heading_texts["problems"] = source.lines[i].text
            s.inferred.add("problems")
            return


def _table_of_contents(candidates: list[tuple[int, int, str]]) -> set[int]:
    """Lines of a contents list: 3+ headings on consecutive lines, each heading found again later."""
    skip: set[int] = set()
    run: list[tuple[int, int, str]] = []
    for cand in candidates + [(-10, -1, "")]:
        if run and cand[0] == run[-1][0] + 1 and cand[1] > run[-1][1]:
            run.append(cand)
            continue
        if len(run) >= 3:
            end = run[-1][0]
            later = {key for i, _, key in candidates if i > end}
            if all(key in later for _, _, key in run):
                skip |= {i for i, _, _ in run}
        run = [cand]
    return skip


def _find_regions(source: Source, s: Structure) -> None:
    """Line ranges of tables 二, 三, 四 (by heading, else by the table's own first line)."""
    lines = source.lines

    def compact(i: int) -> str:         # (only when a table has no heading of its own)
        return norm(lines[i].text)

    def first(predicate, after: int) -> int | None:
        for i in range(max(after, 0), len(lines)):
            if predicate(i):
                return i
        return None

    h = s.headings
    start_body = h.get("overview", -1)
    a2 = h.get("active")
    if a2 is None:
        a2 = first(lambda i: "第二十条第(一)项" in compact(i) and len(compact(i)) < 40, start_body + 1)
    a3 = h.get("requests")
    if a3 is None:
        a3 = first(lambda i: ("勾稽关系" in compact(i) or compact(i).startswith("申请人情况")) and len(compact(i)) < 80,
                   (a2 if a2 is not None else start_body) + 1)
    a4 = h.get("appeals")
    if a4 is None and a3 is not None:
        a4 = first(lambda i: any(norm(c.text) == "行政复议" for c in lines[i].cells), a3 + 1)
    anchors = [a for a in (a2, a3, a4) if a is not None]
    last = max(anchors) if anchors else -1
    prose_after = [i for key, i in h.items() if key in ("problems", "other") and i > last]
    end = min(prose_after) if prose_after else len(lines)
    bounds = sorted(anchors) + [end]
    for key, anchor in zip(TABLE_KEYS, (a2, a3, a4)):
        if anchor is None:
            s.regions[key] = None
            continue
        stop = min(b for b in bounds if b > anchor)
        start = anchor + 1 if anchor in h.values() else anchor
        s.regions[key] = (start, stop)


def _find_title(source: Source, s: Structure, body_start: int) -> None:
    """The title (a line naming a year and a 年度报告, with the agency on the line before if needed)."""
    lines = source.lines
    if source.title_hint and _title_from_hint(source, s, body_start):
        return
    candidates = range(min(body_start, 15))
    title_index = None
    span = 1
    for i in candidates:
        text = norm(lines[i].text)
        if _is_title(text):
            title_index = i
            break
        following = norm(lines[i + 1].text) if i + 1 < body_start else ""
        if following and len(following) <= 20 and _YEAR.search(text) and _is_title(text + following):
            title_index, span = i, 2       # a title broken over two lines
            break
    preamble_from = 0
    if title_index is not None:
        title = _clean_title("".join(lines[title_index + k].text for k in range(span)))
        s.title_lines = list(range(title_index, title_index + span))
        previous = title_index - 1
        if re.match(r"^\d{4}", norm(title)) and previous >= 0:
            prev_text = norm(lines[previous].text)
            if 2 <= len(prev_text) <= 25 and not re.search(r"[。，,:：；]", prev_text) and not _META.match(prev_text):
                title = _clean_title(lines[previous].text) + title
                s.title_lines.insert(0, previous)
        s.title = title
        preamble_from = title_index + span
    _preamble(source, s, preamble_from, body_start)


def _is_title(text: str) -> bool:
    return (("年度报告" in text or "年报" in text or "工作报告" in text) and bool(_YEAR.search(text)) and len(text) <= 70
            and "。" not in text and not text.startswith(("根据", "依据", "本报告", "本年度报告", "按照")))


def _title_from_hint(source: Source, s: Structure, body_start: int) -> bool:
    """The page's title element (HTML <h1>): its lines are the title, the preamble follows them."""
    hint = norm(source.title_hint)
    for i in range(min(body_start, 40)):
        text = norm(source.lines[i].text)
        if len(text) >= 2 and hint.startswith(text):
            j, joined = i, text
            while joined != hint and j + 1 < body_start and hint.startswith(joined + norm(source.lines[j + 1].text)):
                j += 1
                joined += norm(source.lines[j].text)
            if joined == hint:
                s.title = tighten(source.title_hint)
                s.title_lines = list(range(i, j + 1))
                _preamble(source, s, j + 1, body_start)
                return True
    return False


def _preamble(source: Source, s: Structure, preamble_from: int, body_start: int) -> None:
    """Lines between the title and the first section, without page metadata and repeated title lines."""
    lines = source.lines
    compact_title = norm(s.title)
    for i in range(preamble_from, body_start):
        text = norm(lines[i].text)
        if not text or _META.match(text) or _DATE_ONLY.match(text):
            continue
        if compact_title and len(text) <= 40 and "。" not in text and text in compact_title:
            continue   # the title repeated or split over lines
        found = heading_of(lines[i])
        if found and section_key(*found):
            continue   # a contents list
        if not s.preamble_lines:
            _drop_page_chrome(lines[i])
        s.preamble_lines.append(i)


_TITLE_PHRASE = re.compile(r"^.{0,120}?(?:19|20)\d{2}\s*年度?[^。]{0,30}?年度?报告")
_OPENING = re.compile(r"根据|依据|按照|本报告|本年度报告")


def _drop_page_chrome(line: Line) -> None:
    """A saved web page's body that repeats the title and page navigation before the first sentence."""
    text = line.text
    if len(text) < 100:
        return
    match = _TITLE_PHRASE.match(text)
    if not match:
        return
    opening = _OPENING.search(text, match.end())
    start = opening.start() if opening and opening.start() - match.end() <= 200 else match.end()
    rest = text[start:].strip()
    if rest:
        line.set_cells([type(line.cells[0])(rest)])


def _clean_title(text: str) -> str:
    text = re.sub(r"\s*\d{4}-\d{1,2}-\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*$", "", text.strip())
    text = re.sub(r"^(标题|题目|名称)\s*[:：]\s*", "", text)
    return tighten(text)


def tighten(text: str) -> str:
    """Remove blanks next to Chinese characters (titles, wrapped lines)."""
    text = re.sub(rf"(?<=[{CJK}{_CJK_PUNCT}])\s+", "", text)
    return re.sub(rf"\s+(?=[{CJK}{_CJK_PUNCT}])", "", text).strip()


# ---------- prose ----------

def paragraphs(source: Source, indexes: list[int], skip: set[int] | None = None) -> list[str]:
    """Prose paragraphs of some lines; hard-wrapped text (PDF, layout text) is re-joined by indentation."""
    skip = skip or set()
    out: list[str] = []
    current = ""
    previous = ""
    texts = [source.lines[i].text.strip() for i in indexes if i not in skip]
    width = sorted(_width(t) for t in texts)[int(len(texts) * 0.9)] if texts else 0
    for i in indexes:
        if i in skip:
            continue
        line = source.lines[i]
        text = line.text.strip()
        if not text:
            continue
        if not source.wrapped:
            out.append(text)
            continue
        # a wrapped line continues the paragraph unless it is indented or the line before ended early
        opener = previous[-1:] in "。！？：" and _OPENER.match(text)
        if current and line.indent < 1.5 and _width(previous) >= 0.75 * width and not opener:
            current = _join(current, text)
        else:
            if current:
                out.append(current)
            current = text
        previous = text
    if current:
        out.append(current)
    return [_SPACE_RUN.sub(" ", p).strip() if "  " in p or "\t" in p else p.strip() for p in out]


_SPACE_RUN = re.compile(r"[ \t]{2,}|\t")
_OPENER = re.compile(r"^(（[一二三四五六七八九十]{1,3}）|[一二三四五六七八九十]{1,3}[、是]|\d{1,2}[.、．])")


_NARROW = re.compile("[\x00-\u1fff]+")


def _width(text: str) -> float:
    """Printed width in Chinese characters (Latin letters, digits and blanks are half as wide)."""
    wide = len(_NARROW.sub("", text))
    return wide + (len(text) - wide) / 2


def _join(left: str, right: str) -> str:
    if re.search(r"[A-Za-z0-9]$", left) and re.match(r"^[A-Za-z0-9]", right):
        return f"{left} {right}"
    return left + right
