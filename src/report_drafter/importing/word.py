"""Word .docx reports (python-docx, imported on first use): paragraphs and table rows in document order."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .lines import Cell, Line, Source


def read_docx(path: Path, name: str) -> Source:
    """A .docx: paragraphs as lines; each table row as a line of its cells (merged cells once)."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    from ..document import NUMERALS, SECTIONS

    try:
        document = docx.Document(str(path))
    except Exception as exc:   # python-docx and lxml raise various errors on damaged files
        raise InputError(f"{name} 不是有效的 Word 文档（{type(exc).__name__}）。") from None
    lines: list[Line] = []

    def paragraph_text(element) -> str:
        return Paragraph(element, document).text

    def cell_text(tc) -> str:
        parts = [paragraph_text(p) for p in tc.iter(qn("w:p"))]
        return re.sub(r"\s+", " ", " ".join(p for p in parts if p.strip())).strip()

    def has_numbering(element) -> bool:
        props = element.find(qn("w:pPr"))
        if props is not None and props.find(qn("w:numPr")) is not None:
            return True
        style = Paragraph(element, document).style
        while style is not None:
            props = style.element.find(qn("w:pPr"))
            if props is not None and props.find(qn("w:numPr")) is not None:
                return True
            style = style.base_style
        return False

    def numbered_heading(element, text: str) -> str:
        """A section heading numbered by Word's list numbering carries no “一、” in its text: add it."""
        if len(text) > 40 or not has_numbering(element):
            return text
        for index, (_, _, pattern) in enumerate(SECTIONS):
            if (re.search(pattern, text) and re.search(r"(情况|事项)[:：]?\s*$", text)
                    and not re.match(r"^\s*[一二三四五六][、.．]", text)):
                return f"{NUMERALS[index]}、{text.strip()}"
        return text

    def walk(element) -> None:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                for piece in numbered_heading(child, paragraph_text(child)).split("\n"):
                    if piece.strip():
                        lines.append(Line([Cell(piece.strip())]))
            elif child.tag == qn("w:tbl"):
                for tr in child.iterchildren(qn("w:tr")):
                    cells = []
                    for tc in tr.iterchildren(qn("w:tc")):
                        props = tc.find(qn("w:tcPr"))
                        merge = props.find(qn("w:vMerge")) if props is not None else None
                        if merge is not None and merge.get(qn("w:val")) != "restart":
                            continue   # continuation of a vertically merged cell: shown once, above
                        cells.append(Cell(cell_text(tc)))
                    lines.append(Line(cells))
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content)

    walk(document.element.body)
    if not lines:
        raise InputError(f"{name} 中没有文字内容。")
    return Source(name, "docx", lines)
