"""Page chrome a browser or a site adds around a report: not part of the report, dropped before reading.

A page printed to PDF by a browser carries a header (the time of printing, the page's title) and a
footer (its address, “2/5”) on every page, also inside the tables; copied pages carry the same
pieces. A line is chrome when it opens with a print time stamp, or when all its cells are
addresses, page counters and page numbers. The page title of the first header is kept, without
the site name after it (“…年度报告_淮安市人民政府”): it is often the only one-line title.
"""

from __future__ import annotations

import re
import unicodedata

from .lines import PAGE_NUMBER, Cell, Source

TIMESTAMP = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[,，]?\s*(?:(?:上午|下午)\s*)?\d{1,2}:\d{2}(?::\d{2})?"
                       r"\s*(?:[AaPp]\.?\s*[Mm]\.?)?$")
ADDRESS = re.compile(r"^(?:https?|file|ftp)://\S+$", re.IGNORECASE)
COUNTER = re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def is_chrome(texts: list[str]) -> bool:
    """A line of page chrome (see the module docstring)."""
    cells = [_plain(t) for t in texts if t.strip()]
    if not cells:
        return False
    if TIMESTAMP.match(cells[0]):
        return True
    return all(ADDRESS.match(c) or COUNTER.match(c) or PAGE_NUMBER.match(c) for c in cells) and any(
        ADDRESS.match(c) or COUNTER.match(c) for c in cells)


_SITE = re.compile(r"\s*[_|｜]\s*[^_|｜]{2,30}$")


def drop_chrome(source: Source) -> Source:
    kept = []
    titled = False
    for line in source.lines:
        if not is_chrome(line.texts):
            kept.append(line)
            continue
        filled = [c for c in line.cells if c.text.strip()]
        rest = filled[1:] if TIMESTAMP.match(_plain(filled[0].text)) else []
        if rest and not titled:
            titled = True
            title = " ".join(c.text.strip() for c in rest)
            line.set_cells([Cell(_SITE.sub("", title) if "报告" in _SITE.sub("", title) else title)])
            kept.append(line)
    source.lines = kept
    return source
