"""A table region as tokens (label text, numbers, blank cells, marks) and runs of value cells.

Cells are read as printed: “230 000023” is two number chunks whose digits may hold several
cells each (web pages that lost their cell borders); “00000002.其他” is the chunk “0000000”
followed by the label “2.其他”; “(其中修订16件)” is an annotation, not a value; “2023年”,
“(2023)” and “12%” are text. A run is a maximal sequence of value cells: one printed row, or
several when a line holds one cell each.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .lines import Source
from .vocabulary import GENERIC_HEADER, UNITS

MARKS = {"/", "\\", "-", "--", "—", "——", "–", "―", "－", "无", "空", "×", "//"}
_NUMBER = re.compile(r"[+\-−]?\d+(?:[.,]\d+)*(?:[\-−]\d+(?:[.,]\d+)*)*")
_NOTE = re.compile(r"\([^()]*\d[^()]*\)")
_TEXTUAL_AFTER = re.compile(r"^\s*(?:年|月|日|号|%|周岁|岁|时|分|:\d)")
_UNIT = re.compile("^(?:" + "|".join(UNITS) + ")")
_START = re.compile(r"[(+\-−\d]")          # where a note or a number may begin


@dataclass
class Token:
    kind: str                 # "text" | "num" | "blank" | "mark" | "note"
    text: str                 # as printed (NFKC)
    line: int                 # index into Source.lines
    cell: int = 0             # index of the cell in its line
    x: float | None = None    # horizontal position of the cell (PDF, layout text)
    sheet: int = 0            # page: positions compare within one page
    unit: str = ""            # unit printed after a number (“元”)
    alone: bool = False       # the only thing in a printed cell: one value, never several run together

    @property
    def is_value(self) -> bool:
        return self.kind in ("num", "blank", "mark")

    @property
    def filled(self) -> bool:
        return self.kind in ("num", "mark")

    @property
    def digits(self) -> str:
        """The number as printed, without grouping blanks, with an ASCII minus."""
        return self.text.replace("−", "-")


def cell_tokens(text: str, line: int, cell: int = 0, x: float | None = None, sheet: int = 0) -> list[Token]:
    """The tokens of one printed cell."""
    raw = (text if text.isascii() else unicodedata.normalize("NFKC", text)).strip()   # (NFKC keeps ASCII as it is)

    def token(kind: str, value: str, unit: str = "") -> Token:
        return Token(kind, value, line, cell, x, sheet, unit)

    if not raw:
        return [token("blank", "")]
    if raw.isdigit() and raw.isascii():         # most cells: one number and nothing else
        return [token("num", raw)]
    if raw.replace(" ", "") in MARKS:
        return [token("mark", raw)]
    out: list[Token] = []
    pos = 0
    pending = ""              # text not yet emitted

    def flush_text() -> None:
        nonlocal pending
        for piece in re.split(r"(\s+)", pending):
            if not piece.strip():
                continue
            if piece in MARKS and piece not in ("无", "空"):
                out.append(token("mark", piece))
            elif out and out[-1].kind == "text":
                out[-1].text += piece
            else:
                out.append(token("text", piece))
        pending = ""

    while pos < len(raw):
        start = _START.search(raw, pos)
        if start is None:
            pending += raw[pos:]
            break
        pending += raw[pos:start.start()]
        pos = start.start()
        note = _NOTE.match(raw, pos)
        if note:
            flush_text()
            out.append(token("note", note.group()))
            pos = note.end()
            continue
        match = _NUMBER.match(raw, pos)
        if not match or (pos and raw[pos - 1].isalpha() and raw[pos - 1].isascii()):
            pending += raw[pos]
            pos += 1
            continue
        number, end = match.group(), match.end()
        after = raw[end:]
        if _TEXTUAL_AFTER.match(after):
            pending += number
            pos = end
            continue
        if re.match(r"^[.、](?!\d)", after) and number[-1].isdigit():
            # “00000002.其他”: the last digit numbers the next label
            body, item = number[:-1], number[-1]
            if body and body[-1] in "+-−":
                body, item = body[:-1], body[-1] + item
            if body:
                flush_text()
                out.append(token("num", body))
            pending += item
            pos = end
            continue
        flush_text()
        unit = _UNIT.match(after)
        out.append(token("num", number, unit.group() if unit else ""))
        pos = end + (unit.end() if unit else 0)
    flush_text()
    return out


_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?(?!\s*(?:[%％年月日号个件条项次人份家场期万元]|\d))")


def without_prose(text: str) -> str:
    """A line between or inside the tables without its sentences (“共收到8份申请。其中予以公开2件…。”).

    A sentence is prose unless it holds several bare numbers, or many digits in them (numbers without
    a unit: table cells, possibly run together); text after the last “。” is kept.
    """
    def table_like(sentence: str) -> bool:
        bare = _BARE_NUMBER.findall(sentence)
        return len(bare) >= 5 or sum(len(n) for n in bare) >= 7

    if "。" not in text:
        return text
    return "".join(s for s in re.split(r"(?<=。)", text) if not s.endswith("。") or table_like(s))


_GENERIC = re.compile(f"^(?:{GENERIC_HEADER})$", re.IGNORECASE)


def generic_header(texts: list[str]) -> bool:
    """A row of generic column headers (“数据1 | 数据2 | … | 总计”): labels made up by a converter, not values."""
    filled = ["".join(unicodedata.normalize("NFKC", t).split()) for t in texts if t.strip()]
    return (bool(filled) and all(_GENERIC.match(t) for t in filled)
            and any(any(c.isdigit() for c in t) for t in filled))


def _lone_number(texts: list[str]) -> bool:
    filled = [t.strip() for t in texts if t.strip()]
    return len(filled) == 1 and filled[0].isdigit()


def tokenize(source: Source, start: int, end: int) -> list[Token]:
    """Tokens of lines [start, end) in reading order."""
    tokens: list[Token] = []
    lone = {index for index in range(start, end) if _lone_number(source.lines[index].texts)}
    for index in range(start, end):
        line = source.lines[index]
        texts = [c.text for c in line.cells]
        if generic_header(texts):
            continue
        filled = [k for k, text in enumerate(texts) if text.strip()]
        if len(filled) == 1 and "。" in texts[filled[0]]:
            texts[filled[0]] = without_prose(texts[filled[0]])
            if not texts[filled[0]].strip():
                continue                        # a sentence between the tables
        for k, (cell, text) in enumerate(zip(line.cells, texts)):
            found = cell_tokens(text, index, k, cell.x, line.sheet)
            # a printed cell: a ruled cell, or a number alone on its line among others alone on theirs (one cell per line)
            if len(found) == 1 and found[0].kind == "num" and (
                    line.ruled or (index in lone and (index - 1 in lone or index + 1 in lone))):
                found[0].alone = True
            tokens += found
    return tokens


@dataclass
class Run:
    """Consecutive value cells and the label text before them."""

    tokens: list[Token]
    own: str = ""             # label text on the run's first line, after the previous run
    above: str = ""           # label text on the lines between the previous run and this one
    notes: list[str] = field(default_factory=list)
    index: int = 0            # position among the region's runs

    @property
    def line(self) -> int:
        return self.tokens[0].line

    @property
    def numbers(self) -> list[Token]:
        return [t for t in self.tokens if t.kind == "num"]

    @property
    def has_values(self) -> bool:
        return any(t.filled for t in self.tokens)

    @property
    def printed(self) -> str:
        """The run as printed, for messages."""
        return " ".join(t.text if t.kind != "blank" else "□" for t in self.tokens)


def _row_lines(tokens: list[Token]) -> set[int]:
    """Lines that hold a table row: two or more values, or a label with values or blank cells.

    A line with one value and empty cells (spanned cells of a table copied one cell per line) is not a row.
    """
    stats: dict[int, list[int]] = {}
    for t in tokens:
        counts = stats.setdefault(t.line, [0, 0, 0])
        counts[0 if t.filled else 1 if t.kind == "blank" else 2] += 1 if t.kind != "note" else 0
    return {line for line, (filled, blank, text) in stats.items()
            if filled >= 2 or (text >= 1 and (filled >= 1 or blank >= 2))}


_NUMBERED = re.compile(r"^\s*(?:\d{1,2}\s*[.、．]|[（(][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}\s*[、.．])")


def _label_alone(texts: list[Token], token: Token, after: Token | None) -> bool:
    """The text of `token`'s line is a whole numbered row label with nothing after it but the next numbered label."""
    # (a label at the end of the region may be a table cut off there: not a blank row)
    if after is None or after.kind != "text" or after.line == token.line or not _NUMBERED.match(after.text):
        return False
    line = [t for t in texts if t.line == token.line]
    return bool(line) and bool(_NUMBERED.match(line[0].text))


def runs(tokens: list[Token]) -> list[Run]:
    """Runs of value cells; a run never spans the end of a line that holds a whole row."""
    row_lines = _row_lines(tokens)
    out: list[Run] = []
    current: Run | None = None
    texts: list[Token] = []          # label text since the previous run
    notes: list[str] = []

    valued = {t.line for t in tokens if t.kind != "text"}
    for k, token in enumerate(tokens):
        if token.kind == "note":
            notes.append(token.text)
            continue
        if token.kind == "text":
            current = None
            texts.append(token)
            # (in PDF text the pieces of a spanning group label sit between the rows, in a column of their own)
            after = next((t for t in tokens[k + 1:] if t.kind != "text" or t.x is None or token.x is None
                          or abs(t.x - token.x) <= 1), None)
            if token.line not in valued and _label_alone(texts, token, after):
                # a numbered label followed by the next numbered label: a row that printed no cells at all
                own = "".join(t.text for t in texts if t.line == token.line)
                above = "".join(t.text for t in texts if t.line != token.line)
                blank = Token("blank", "", token.line, token.cell + 1, None, token.sheet)
                out.append(Run([blank], own, above, notes, len(out)))
                texts, notes = [], []
            continue
        last = current.tokens[-1].line if current else None
        if current and token.line != last and (token.line in row_lines or last in row_lines):
            current = None
        if current is None:
            own = "".join(t.text for t in texts if t.line == token.line)
            above = "".join(t.text for t in texts if t.line != token.line)
            current = Run([], own, above, notes, len(out))
            out.append(current)
            texts, notes = [], []
        current.tokens.append(token)
    return out
