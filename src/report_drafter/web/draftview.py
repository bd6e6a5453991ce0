"""draft.md as the printed report, with every number the checker looked at marked where it stands.

The check runs on the very text shown (read once, so offsets and the file version agree). Numbers
become `<span data-check="verified|mismatch|unsupported">` with a tooltip; review findings become
`<mark>`s; every finding gets an anchor the list beside the text can jump to. Tables are drawn from
stats.yaml in the official layout, as the export prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from .. import document
from ..export.blocks import COMMENT, LEAD, SUBHEADING, TABLE_SECTIONS
from ..findings import CATEGORIES, Finding

UNSUPPORTED_TIP = "请记入工作记录：统计表和工作记录中都找不到这个数字的依据"
_CHECK_ORDER = {"mismatch": 0, "unsupported": 1, "verified": 2, None: 3}


@dataclass
class Mark:
    start: int
    end: int
    check: str | None       # verified | mismatch | unsupported for numbers; None for a review finding
    tip: str
    anchor: str = ""
    severity: str = ""


@dataclass
class Block:
    kind: str               # title | heading | subheading | paragraph | table | signature
    line: int
    html: Markup = Markup("")
    section: str = ""


@dataclass
class Listed:
    finding: Finding
    anchor: str             # where the list item jumps to
    category: str
    place: tuple[int, int] | None = None     # of the marked text in the draft, for the actions on it
    where: str = ""         # “一、总体情况 第 3 段”

    @property
    def fix(self) -> str:
        """The figure to put in place of the marked one (改为), when the check knows it."""
        f = self.finding
        if self.place and check_kind(f) == "mismatch" and f.kind not in ("claim", "parts") and f.expected:
            return f.expected
        return ""

    @property
    def recordable(self) -> bool:
        """A figure with no source: it can be recorded in the notes (记入工作记录)."""
        return bool(self.place) and check_kind(self.finding) == "unsupported"


@dataclass
class DraftView:
    title: str
    blocks: list[Block]
    findings: list[Listed]
    counts: dict = field(default_factory=dict)


def check_kind(finding: Finding) -> str | None:
    """How a number finding marks its number (None for the review's findings)."""
    if finding.category != "numbers":
        return None
    return "unsupported" if finding.kind == "unsupported" else "mismatch"


def tip(finding: Finding) -> str:
    kind = check_kind(finding)
    if kind == "unsupported":
        return UNSUPPORTED_TIP
    if kind == "mismatch" and finding.expected:
        source = f"（来源：{finding.source}）" if finding.source else ""
        if finding.kind == "claim":
            return f"与统计表不符：{finding.expected}{source}"
        if finding.kind == "parts":
            return finding.message
        return f"应为 {finding.expected}{source}"
    return finding.message


def locate(text: str, finding: Finding) -> tuple[int, int] | None:
    """Where in `text` the finding's number or phrase stands (None when it cannot be placed)."""
    if finding.offset < 0:
        return None
    found = finding.found or ""
    if found and text.startswith(found, finding.offset):
        return finding.offset, finding.offset + len(found)
    start, end = finding.span
    if not finding.text or end <= start:
        return None
    at = text.find(finding.text, max(0, finding.offset - len(finding.text)))
    while at != -1 and at + len(finding.text) < finding.offset:
        at = text.find(finding.text, at + 1)
    if at == -1 or at > finding.offset + 16:
        return None
    return at + start, at + end


def _marks(text: str, report) -> tuple[list[Mark], dict[int, str]]:
    """Non-overlapping marks (numbers first) and the anchor of each finding that could be placed."""
    candidates: list[Mark] = []
    anchors: dict[int, str] = {}
    places: dict[int, tuple[int, int]] = {}
    for i, f in enumerate(report.findings):
        place = locate(text, f)
        if place:
            candidates.append(Mark(*place, check_kind(f), tip(f), f"f-{i}", f.severity))
    for v in report.verified:
        start, end = v.span if v.span != (0, 0) else (v.offset, v.offset + len(v.found))
        candidates.append(Mark(start, end, "verified", f"来源：{v.source}"))
    chosen: list[Mark] = []
    for mark in sorted(candidates, key=lambda m: (_CHECK_ORDER[m.check], m.start)):
        if mark.end > mark.start and all(mark.end <= c.start or mark.start >= c.end for c in chosen):
            chosen.append(mark)
            if mark.anchor:
                anchors[int(mark.anchor[2:])] = mark.anchor
                places[int(mark.anchor[2:])] = (mark.start, mark.end)
    return sorted(chosen, key=lambda m: m.start), anchors, places


def _inline(text: str, start: int, end: int, hidden: list[tuple[int, int]], marks: list[Mark],
            lead: int = 0) -> Markup:
    """HTML of text[start:end] without comments, with marks, the first `lead` visible characters as the lead phrase."""
    out: list[str] = []
    visible = 0
    inside: Mark | None = None
    lead_open = False

    def open_lead():
        nonlocal lead_open
        if lead and visible < lead and not lead_open and inside is None:
            out.append('<span class="lead">')
            lead_open = True

    def close_lead():
        nonlocal lead_open
        if lead_open:
            out.append("</span>")
            lead_open = False

    marks = [m for m in marks if start <= m.start and m.end <= end]
    bounds = sorted({start, end, *(m.start for m in marks), *(m.end for m in marks),
                     *(h for r in hidden for h in r if start < h < end)})
    for a, b in zip(bounds, bounds[1:]):
        if any(h0 <= a and b <= h1 for h0, h1 in hidden):
            continue
        closing = next((m for m in marks if m.end == a), None)
        if closing is not None and inside is closing:
            out.append("</span>" if closing.check else "</mark>")
            inside = None
        opening = next((m for m in marks if m.start == a), None)
        if opening is not None:
            close_lead()
            inside = opening
            attrs = f' title="{escape(opening.tip)}" data-tip="{escape(opening.tip)}" tabindex="0"'
            if opening.anchor:
                attrs += f' id="{opening.anchor}"'
            if opening.check:
                out.append(f'<span class="num {opening.check}" data-check="{opening.check}"{attrs}>')
            else:
                out.append(f'<mark class="finding {opening.severity}"{attrs}>')
        piece = text[a:b]
        if lead and visible < lead and inside is None:
            open_lead()
            cut = lead - visible
            out.append(escape(piece[:cut]))
            if len(piece) > cut:
                close_lead()
                out.append(escape(piece[cut:]))
        else:
            out.append(escape(piece))
        visible += len(piece)
    if inside is not None:
        out.append("</span>" if inside.check else "</mark>")
    close_lead()
    return Markup("".join(out))


def _anchor_for(f: Finding, anchors: dict[int, str], index: int, sections: dict, blocks: list[Block]) -> str:
    if index in anchors:
        return anchors[index]
    if f.section in sections:
        return f"s-{f.section}"
    if f.line:
        lines = [b.line for b in blocks if b.line <= f.line]
        return f"L{max(lines)}" if lines else ""
    return ""


def _paragraph_of(f: Finding, blocks: list[Block], doc) -> str:
    """“一、总体情况 第 3 段”: where a finding stands, by section and paragraph (lines mean nothing in a page)."""
    if not f.line:
        return ""
    inside = [b for b in blocks if b.line <= f.line]
    if not inside:
        return ""
    block = inside[-1]
    if block.kind == "title":
        return "标题"
    section = doc.sections.get(block.section)
    if section is None:
        return {"preamble": "开头说明", "signature": "落款"}.get(block.section, "")
    n = sum(1 for b in blocks if b.section == block.section and b.kind in ("paragraph", "subheading") and b.line <= block.line)
    return f"{section.heading} 第 {n} 段" if n else section.heading


def render_draft(text: str, report, grid_html) -> DraftView:
    """The draft `text` as blocks of HTML, with the marks of `report` (a CheckReport of this text).

    `grid_html(section_key)` draws a table section from the statistics (None: show the draft's own rows).
    """
    drawn_grids: dict[str, str | None] = {}

    def grid(key: str) -> str | None:
        if key not in drawn_grids:
            drawn_grids[key] = grid_html(key)
        return drawn_grids[key]

    hidden = [(m.start(), m.end()) for m in COMMENT.finditer(text)]
    marks, anchors, places = _marks(text, report) if report is not None else ([], {}, {})
    doc = document.parse_document(text)
    heading_lines = {s.line - 1: s for s in doc.sections.values()}
    starts = document.line_starts(text)
    lines = text.split("\n")
    blocks: list[Block] = []
    title, section, tables_done = "", "", set()
    table_rows: list[list[str]] = []
    first_heading = min(heading_lines) if heading_lines else len(lines)

    def visible(i: int) -> str:
        a = starts[i]
        return "".join(ch for k, ch in enumerate(lines[i]) if not any(h0 <= a + k < h1 for h0, h1 in hidden))

    def flush_rows(line: int) -> None:
        if table_rows:
            rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in table_rows)
            blocks.append(Block("table", line, Markup(f'<div class="table-scroll"><table class="plain">{rows}</table></div>'),
                                section))
            table_rows.clear()

    signature_at = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip() == document.SIGNATURE_MARK), None)
    for i, line in enumerate(lines):
        shown = visible(i)
        if signature_at is not None and i > signature_at:
            if shown.strip():
                start = starts[i] + len(line) - len(line.lstrip())
                blocks.append(Block("signature", i + 1, _inline(text, start, starts[i] + len(line.rstrip()), hidden, marks),
                                    "signature"))
            continue
        if i in heading_lines:
            flush_rows(i + 1)
            s = heading_lines[i]
            section = s.key
            blocks.append(Block("heading", i + 1, Markup(escape(s.heading)), section))
            continue
        stripped = shown.strip()
        if not stripped:
            continue
        if stripped.startswith("|"):
            drawn = grid(section) if section in TABLE_SECTIONS else None
            if drawn is not None:
                if section not in tables_done:
                    tables_done.add(section)
                    blocks.append(Block("table", i + 1, Markup(drawn), section))
            elif set(stripped) - set("|-: "):
                table_rows.append([c.strip() for c in stripped.strip("|").split("|")])
            continue
        flush_rows(i + 1)
        lead_skip = len(line) - len(line.lstrip(" \t#"))
        start, end = starts[i] + lead_skip, starts[i] + len(line.rstrip())
        content = stripped.lstrip("#").strip()
        if not title and i < first_heading:
            title = content
            blocks.append(Block("title", i + 1, _inline(text, start, end, hidden, marks), "title"))
            continue
        if SUBHEADING.match(content):
            blocks.append(Block("subheading", i + 1, _inline(text, start, end, hidden, marks), section or "preamble"))
            continue
        lead = LEAD.match(content)
        blocks.append(Block("paragraph", i + 1, _inline(text, start, end, hidden, marks, len(lead.group(1)) if lead else 0),
                            section or "preamble"))
    flush_rows(len(lines))
    for key in TABLE_SECTIONS:      # the tables come from the statistics even if deleted from the draft
        if key in doc.sections and key not in tables_done and grid(key) is not None:
            at = next(n for n, b in enumerate(blocks) if b.kind == "heading" and b.section == key)
            blocks.insert(at + 1, Block("table", doc.sections[key].line, Markup(grid(key)), key))
    listed = []
    if report is not None:
        for n, f in enumerate(report.findings):
            listed.append(Listed(f, _anchor_for(f, anchors, n, doc.sections, blocks), CATEGORIES.get(f.category, f.category),
                                 places.get(n), _paragraph_of(f, blocks, doc)))
        listed.sort(key=lambda item: (item.finding.severity != "error", list(CATEGORIES).index(item.finding.category)
                                      if item.finding.category in CATEGORIES else 99, item.finding.line or 0))
    counts = {}
    if report is not None:
        numbers = [f for f in report.findings if f.category == "numbers"]
        counts = {"mentions": report.mentions, "verified": len(report.verified),
                  "mismatch": sum(1 for f in numbers if f.kind != "unsupported"),
                  "unsupported": sum(1 for f in numbers if f.kind == "unsupported"),
                  "errors": len(report.errors), "warnings": len(report.findings) - len(report.errors)}
    return DraftView(title, blocks, listed, counts)


_TAG = re.compile(r"<[^>]+>")


def plain(html: str) -> str:
    """The text of an HTML fragment (for tests and summaries)."""
    return _TAG.sub("", html)
