"""An exported draft edited in Word or WPS, read back: Markdown prose, its tracked changes, its tables' cells.

Tracked changes are read as accepted: inserted text (w:ins, w:moveTo) is kept, deleted text
(w:del, w:moveFrom) is dropped, and each change is listed so the front-end can say what was taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

HEADING_STYLES = ("Heading 1", "标题 1")
SIGNATURE_STYLES = ("落款",)
_DROPPED = ("del", "moveFrom")


@dataclass(frozen=True)
class TrackedChange:
    kind: str            # insert | delete
    text: str
    author: str
    paragraph: str       # the paragraph (after accepting) the change is in, for the user to find it


@dataclass
class WordDraft:
    markdown: str
    changes: list[TrackedChange] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)   # each table: rows of cell texts (as in the grid)
    base: dict[str, str] = field(default_factory=dict)   # digest of each part as exported (empty: not our export)


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _dropped(element, stop) -> bool:
    """True when `element` lies inside a deletion (below `stop`, the paragraph)."""
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if _tag(parent) in _DROPPED:
            return True
        parent = parent.getparent()
    return False


def accepted_text(p) -> str:
    """The text of a w:p with every tracked change accepted."""
    parts = []
    for element in p.iter():
        tag = _tag(element)
        if tag in ("t", "tab", "br", "cr") and not _dropped(element, p):
            parts.append(element.text or "" if tag == "t" else ("\t" if tag == "tab" else "\n"))
    return "".join(parts)


def _change_text(element) -> str:
    return "".join(e.text or "" for e in element.iter() if _tag(e) in ("t", "delText"))


def _row_cells(tr) -> list[str]:
    """Cell texts of a table row by grid column: a cell spanning columns fills the first, the rest are empty."""
    from docx.oxml.ns import qn

    cells = []
    for tc in tr.iterchildren(qn("w:tc")):
        cells.append(re.sub(r"\s+", "", "".join(accepted_text(p) for p in tc.iter(qn("w:p")))))
        props = tc.find(qn("w:tcPr"))
        span = props.find(qn("w:gridSpan")) if props is not None else None
        cells += [""] * (int(span.get(qn("w:val"))) - 1 if span is not None else 0)
    return cells


def _style_name(p, styles: dict[str, str]) -> str:
    from docx.oxml.ns import qn

    props = p.find(qn("w:pPr"))
    style = props.find(qn("w:pStyle")) if props is not None else None
    return styles.get(style.get(qn("w:val")), "") if style is not None else ""


def read_word_draft(path: Path, name: str | None = None) -> WordDraft:
    """Read an exported report edited in Word: paragraphs as Markdown (title #, section headings ##), tables apart."""
    import docx
    from docx.oxml.ns import qn

    from ..document import HEADING_LINE, NUMERALS, SIGNATURE_MARK, section_key

    name = name or path.name
    try:
        document = docx.Document(str(path))
    except Exception as exc:   # python-docx and lxml raise various errors on damaged files
        raise InputError(f"{name} 不是有效的 Word 文档（{type(exc).__name__}），请在 Word 或 WPS 中另存为 .docx 后再试。") from None
    styles = {s.style_id: s.name for s in document.styles}
    lines: list[str] = []
    draft = WordDraft("")
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            draft.tables.append([_row_cells(tr) for tr in child.iterchildren(qn("w:tr"))])
            continue
        if child.tag != qn("w:p"):
            continue
        text = accepted_text(child).replace("\n", "").strip()
        for element in child.iter():
            if _tag(element) in ("ins", "del", "moveTo", "moveFrom") and _change_text(element).strip():
                kind = "insert" if _tag(element) in ("ins", "moveTo") else "delete"
                draft.changes.append(TrackedChange(kind, _change_text(element), element.get(qn("w:author")) or "",
                                                   text))
        if not text:
            continue
        style = _style_name(child, styles)
        match = HEADING_LINE.match(text)
        if style in SIGNATURE_STYLES and lines:
            if SIGNATURE_MARK not in lines:
                lines.append(SIGNATURE_MARK)
            lines.append(text)
        elif not lines:
            lines.append(f"# {text}")
        elif style in HEADING_STYLES or (match and match.group(1) in NUMERALS
                                         and section_key(match.group(1), match.group(2))):
            lines.append(f"## {text}")
        else:
            lines.append(text)
    if not lines:
        raise InputError(f"{name} 中没有文字内容。")
    stamp = document.core_properties.identifier or ""
    if stamp.startswith("report_drafter:"):
        draft.base = dict(p.split("=", 1) for p in stamp[len("report_drafter:"):].split(";") if "=" in p)
    draft.markdown = "\n\n".join(lines) + "\n"
    return draft
