"""The report as a Markdown document: title, preamble and the six official sections.

draft.md and published.md share this shape, so drafting, checking, import and export
all find sections the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator

from .vocab import SENTENCE_BREAKS

# key, official heading (2021 template wording), accepted variants (regex on the heading text)
SECTIONS = (
    ("overview", "一、总体情况", r"总体情况|概述"),
    ("active", "二、主动公开政府信息情况", r"主动公开政府信息"),
    ("requests", "三、收到和处理政府信息公开申请情况", r"收到和处理|依申请"),
    ("appeals", "四、政府信息公开行政复议、行政诉讼情况", r"行政复议|行政诉讼"),
    ("problems", "五、存在的主要问题及改进情况", r"存在的主要问题|问题及改进|改进情况"),
    ("other", "六、其他需要报告的事项", r"其他需要报告"),
)
HEADINGS = {key: heading for key, heading, _ in SECTIONS}
PROSE_SECTIONS = ("overview", "problems", "other")
SECTION_ALIASES = {"一": "overview", "五": "problems", "六": "other", "overview": "overview",
                   "problems": "problems", "other": "other", "总体情况": "overview",
                   "存在的主要问题及改进情况": "problems", "其他需要报告的事项": "other"}
NUMERALS = "一二三四五六"
# a numbered heading line: “## 四、政府信息公开行政复议、行政诉讼情况”, “五. 存在的主要问题…”
HEADING_LINE = re.compile(r"^[ \t]*(?:#{1,3}[ \t]*)?([一二三四五六七八九十]+)[ \t]*[、.．][ \t]*(.{2,40}?)[ \t]*$", re.M)
# text the offline templates leave where the notes say nothing (or where drafting a section failed)
PLACEHOLDER = re.compile(r"【[^】\n]*(?:待补充|待填|请填写|请补充)[^】\n]*】")
_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_BREAKS)}]")
# the 落款 (agency and date, printed at the end on the right) follows this comment line; it belongs to no section
SIGNATURE_MARK = "<!-- 落款：机关名称和成文日期，导出时印在报告末尾右下方 -->"
DATE_TO_FILL = "【待填：成文日期，如“{year}年1月20日”】"


def section_named(name: str) -> str | None:
    """The prose section a user names: “五”, “problems”, “存在的主要问题及改进情况”, or the full heading copied from the draft."""
    name = re.sub(r"\s+", "", name).lstrip("#")
    if name in SECTION_ALIASES:
        return SECTION_ALIASES[name]
    match = HEADING_LINE.match(name)
    if match and match.group(1) in NUMERALS:
        key = section_key(match.group(1), match.group(2))
        return key if key in PROSE_SECTIONS else None
    return None


def section_key(numeral: str, text: str) -> str | None:
    """The section key for a heading like “四、因政府信息公开工作被申请行政复议…”, or None."""
    index = NUMERALS.index(numeral)
    key, _, pattern = SECTIONS[index]
    return key if re.search(pattern, text) else None


@dataclass
class Section:
    key: str
    heading: str
    body: str          # text after the heading line, up to the next section
    line: int          # 1-based line of the heading
    body_line: int     # 1-based line where body starts


@dataclass
class ReportDocument:
    title: str
    preamble: str
    sections: dict[str, Section]
    signature: str = ""     # the 落款 lines after SIGNATURE_MARK

    def body(self, key: str) -> str:
        section = self.sections.get(key)
        return section.body.strip("\n") if section else ""


def parse_document(text: str) -> ReportDocument:
    """Split a Markdown report into title, preamble and sections by their official headings.

    Headings are recognised in order (一 … 六), so an enumeration like “一、” inside prose
    is not mistaken for a section once a later section has begun.
    """
    lines = text.split("\n")
    mark = _signature_line(lines)
    signature = "\n".join(lines[mark + 1:]).strip("\n") if mark is not None else ""
    lines = lines[:mark] if mark is not None else lines
    starts: list[tuple[int, str, str]] = []
    expected = 0
    for i, line in enumerate(lines):
        match = HEADING_LINE.match(line)
        if not match or match.group(1) not in NUMERALS or not line.lstrip().startswith(("#", match.group(1))):
            continue
        index = NUMERALS.index(match.group(1))
        key = section_key(match.group(1), match.group(2))
        if key and index >= expected:
            starts.append((i, key, line.strip().lstrip("#").strip()))
            expected = index + 1
    title, preamble_lines = "", []
    head = lines[: starts[0][0]] if starts else lines
    for line in head:
        if not title and line.strip():
            title = line.strip().lstrip("#").strip()
        elif title:
            preamble_lines.append(line)
    sections = {}
    for n, (i, key, heading) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        sections[key] = Section(key, heading, "\n".join(lines[i + 1 : end]), i + 1, i + 2)
    return ReportDocument(title, "\n".join(preamble_lines).strip("\n"), sections, signature)


def _signature_line(lines: list[str]) -> int | None:
    """Index of the 落款 marker line (the last one), or None."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip() == SIGNATURE_MARK:
            return i
    return None


def signature_block(agency: str, year: int) -> str:
    """A new draft's 落款: the agency, and the date left to fill in (the year after the report's)."""
    return f"{agency}\n{DATE_TO_FILL.format(year=year + 1)}"


def compose_document(title: str, preamble: str, bodies: dict[str, str], signature: str = "") -> str:
    """Markdown text of a report: `# title`, preamble, `## heading` + body for each section given, the 落款."""
    parts = [f"# {title}", ""]
    if preamble.strip():
        parts += [preamble.strip(), ""]
    for key, heading, _ in SECTIONS:
        if key in bodies:
            parts += [f"## {heading}", "", bodies[key].strip("\n"), ""]
    if signature.strip():
        parts += [SIGNATURE_MARK, "", signature.strip("\n"), ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def replace_signature(text: str, signature: str) -> str:
    """`text` with its 落款 replaced (added at the end when it has none)."""
    lines = text.split("\n")
    mark = _signature_line(lines)
    head = "\n".join(lines[:mark] if mark is not None else lines).rstrip("\n")
    return f"{head}\n\n{SIGNATURE_MARK}\n\n{signature.strip()}\n"


def replace_section(text: str, key: str, body: str) -> str:
    """`text` with one section's body replaced; every byte outside that body is kept."""
    doc = parse_document(text)
    if key not in doc.sections:
        raise KeyError(key)
    lines = text.split("\n")
    start = doc.sections[key].line  # index of the line after the heading
    later = [s.line - 1 for s in doc.sections.values() if s.line > doc.sections[key].line]
    mark = _signature_line(lines)
    if mark is not None:
        later.append(mark)
    end = min(later) if later else len(lines)
    tail = lines[end:]
    new = ["", body.strip("\n"), ""]
    if not later and text.endswith("\n"):
        new, tail = ["", body.strip("\n")], [""]
    return "\n".join(lines[:start] + new + tail)


def enumerated_items(text: str) -> list[str]:
    """Items of an enumeration (一是…；二是… / 1.… / （一）… / one per line) in a prose passage."""
    text = text.strip()
    parts = re.split(r"[一二三四五六七八九十]是|(?:^|\n)\s*(?:\d+[.．、]|（[一二三四五六七八九十]）)", text)
    items = [p.strip().strip("；;。，,：:\n ") for p in parts[1:]] if len(parts) > 2 else []
    if not items:
        items = [line.strip().lstrip("-•").strip() for line in text.split("\n") if line.strip()]
    return [i for i in items if i]


def leading_heading(text: str) -> tuple[str | None, int]:
    """(section key, length) of a section heading on the first line of `text` (a model echoing it), else (None, 0)."""
    first, _, _ = text.partition("\n")
    match = HEADING_LINE.match(first)
    if not match or match.group(1) not in NUMERALS:
        return None, 0
    return section_key(match.group(1), match.group(2)), len(first)


# ---------- sentences and lines ----------

def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of `text`; a sentence ends with 。！？ or a line break (kept in it)."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            yield start, m.end()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def sentence_bounds(text: str, offset: int, reach: int = 300) -> tuple[int, int]:
    """(start, end) of the sentence around `offset`, its closing mark included, a closing line break not."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, max(0, offset - reach), offset)]
    start = before[-1] if before else max(0, offset - reach)
    after = _SENTENCE_END.search(text, offset)
    if after is None:
        return start, len(text)
    return start, after.start() if after.group() == "\n" else after.end()


def line_starts(text: str) -> list[int]:
    """Offset of the first character of every line."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


def line_at(starts: list[int], offset: int) -> int:
    """1-based line of `offset`, given `line_starts`."""
    return bisect_right(starts, offset)
