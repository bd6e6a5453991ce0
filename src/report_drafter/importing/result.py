"""What reading one table gives (`TableResult`), and the steps the three table readers share:
candidate readings of a run, blank cells placed by column position, and the warnings about blank
cells, ambiguous digit splits, rows placed by order and numbers that fit no row.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from functools import lru_cache

from ..findings import Finding
from .placement import Placement
from .lines import Source
from .splitting import Candidate, TooMany, candidates, placements, trim
from .tokens import Run, Token

@dataclass
class Ambiguity:
    """A row whose run-together digits split several ways that the arithmetic cannot tell apart."""

    path: tuple                 # the row's stats path
    options: list               # the row's value (as TableResult.data holds it) per reading, the chosen first
    texts: list[str]            # each reading as shown to the user: "88/556/98"
    warning: Finding            # the warning naming them (says so when the report's prose decides)


@dataclass
class TableResult:
    key: str                                   # "active" | "requests" | "appeals"
    found: bool = False                        # the table (or its heading) is there at all
    data: dict = field(default_factory=dict)   # path → value(s); None = blank or not readable
    expected: list[str] = field(default_factory=list)    # all rows looked for, in printed order
    missing: list[str] = field(default_factory=list)     # rows not found
    broken: list[str] = field(default_factory=list)      # rows found but not readable: “name”一行…
    unread: dict[str, str] = field(default_factory=dict)  # row name → why some of its cells were not read
    format: str = ""                           # table 二: "2021" | "2019"
    single_other: bool = False                 # table 三: one （六）其他处理 row
    appeal_totals: bool = True                 # table 四: 总计 columns printed
    problems: list[Finding] = field(default_factory=list)  # warnings
    note: str = ""                             # the table as a whole: e.g. "标题下没有表格"
    layout: str = ""                           # what was found, in Chinese
    cells_read: int = 0
    cells_expected: int = 0
    ambiguities: list[Ambiguity] = field(default_factory=list)
    rows: dict = field(default_factory=dict)   # row path → index in the source's lines of where it is printed

    def unreadable(self, name: str, why: str) -> None:
        """A row that was found but could not be read: refuses import, named in the message."""
        self.broken.append(f"“{name}”{why}")
        self.unread[name] = why

    def not_found(self, names: list[str]) -> None:
        self.missing += names
        self.unread.update({name: "未找到" for name in names})

    @property
    def complete(self) -> bool:
        """Every row found and readable (cells printed blank count as read)."""
        return self.found and not self.missing and not self.broken and not self.note

    @property
    def status(self) -> str:
        if not self.found or self.note:
            return "missing"
        return "complete" if self.complete and not self.unread else "partial"


def where(source: Source, token: Token) -> tuple[str, int | None]:
    return source.where(source.lines[token.line])


def warn(result: TableResult, source: Source, token: Token | None, path: tuple, message: str, **extra) -> None:
    file, line = where(source, token) if token is not None else (source.file, None)
    result.problems.append(Finding(severity="warning", message=message, path=path, file=file, line=line, **extra))


@lru_cache(maxsize=None)
def kinds_of(size: int, kind: str = "count") -> tuple[str, ...]:
    return (kind,) * size


def readings(run: Run, kinds: tuple[str, ...], every: int = 0, check=None) -> list[Candidate] | None:
    """Candidate readings of a run for a row (see `splitting.candidates`); None when there are too many."""
    try:
        return candidates(run.tokens, kinds, every, check)
    except TooMany:
        return None


def gap_readings(run: Run, kinds: tuple[str, ...], every: int = 0, check=None) -> list[Candidate]:
    """Placements of a run that prints fewer cells than the row has (see `splitting.placements`)."""
    try:
        return placements(run.tokens, kinds, every, check)
    except TooMany:
        return []


def by_columns(run: Run, size: int, centres: list[float] | None, loose: bool = False) -> Candidate | None:
    """PDF and layout text print nothing for a blank cell: place the numbers by column position.

    `loose`: the centres are those of the column labels, not of numbers: a number need not sit within
    half a column of its centre, but the columns found must follow the printed order.
    """
    filled = [t for t in run.tokens if t.filled]
    if not centres or not filled or len(filled) >= size or any(t.x is None for t in filled):
        return None
    gap = min(b - a for a, b in zip(centres, centres[1:])) if len(centres) > 1 else 0
    placed: dict[int, Token] = {}
    for token in filled:
        column = min(range(size), key=lambda k: abs(centres[k] - token.x))
        if column in placed or (loose and placed and column < max(placed)) or (
                not loose and gap and abs(centres[column] - token.x) > gap / 2):
            return None
        placed[column] = token
    values = []
    for k in range(size):
        token = placed.get(k)
        if token is None or token.kind == "mark":
            values.append(None)
            continue
        reading = readings(Run([token]), ("count",))
        if not reading:
            return None
        values.append(reading[0].values[0])
    return Candidate(tuple(values), False)


def column_centres(rows: list[tuple[Run, int]]) -> dict[tuple[int, int], list[float]]:
    """Median x of each column, per (row size, page), from the rows that print every cell."""
    samples: dict[tuple[int, int], list[list[float]]] = {}
    for run, size in rows:
        tokens = [t for t in run.tokens if t.kind != "blank"]
        if len(tokens) == size and all(t.x is not None for t in tokens):
            samples.setdefault((size, tokens[0].sheet), []).append([t.x for t in tokens])
            samples.setdefault((size, -1), []).append([t.x for t in tokens])
    return {key: [statistics.median(row[k] for row in rows) for k in range(key[0])]
            for key, rows in samples.items() if len(rows) >= 2}


def blank_tokens(run: Run, size: int) -> list[Token]:
    return [t for t in trim(run.tokens, size) if t.kind in ("blank", "mark")]


def note_blanks(result: TableResult, source: Source, run: Run, values: tuple, paths: list[tuple],
                 by_column: bool = False) -> None:
    """A warning per cell printed blank or “/”: recorded as blank (None), not 0."""
    blanks = iter(blank_tokens(run, len(values)))
    for value, path in zip(values, paths):
        if value is not None:
            continue
        token = None if by_column else next(blanks, None)
        shown = "空" if token is None or token.kind == "blank" else f"“{token.text}”"
        warn(result, source, token or run.tokens[0], path,
              f"单元格为{shown}，记为空白（不按 0 计）；正式报告中应填写 0", expected="0",
              found="" if token is None else token.text, rule="8")


def note_ambiguity(result: TableResult, source: Source, run: Run, path: tuple, name: str, chosen: Candidate,
               ties: list[Candidate], reason: str) -> Finding | None:
    others = [c.text for c in ties if c != chosen][:5]
    if not others:
        return None
    if chosen.gaps:
        if not any(chosen.values):
            return None             # zeros and blanks: every placement reads the same
        return note_placement(result, source, run, path, name, chosen, others)
    printed = "".join(t.text for t in run.numbers)
    warn(result, source, run.tokens[0], path,
          f"“{name}”一行的数字连在一起（“{printed}”），{reason}，可拆分为 {chosen.text}，也可为 "
          f"{'、'.join(others)}；按“数值较小且位数相近”取 {chosen.text}，请对照原文核实")
    return result.problems[-1]


def note_placement(result: TableResult, source: Source, run: Run, path: tuple, name: str, chosen: Candidate,
                   others: list[str]) -> Finding:
    """A row printing fewer cells than it has whose numbers fit the sums in more than one set of columns."""
    printed = " ".join(t.text for t in run.tokens if t.filled)
    warn(result, source, run.tokens[0], path,
         f"“{name}”一行只印出 {len(run.tokens) - len(blank_tokens(run, len(chosen.values)))} 个数（{printed}），"
         f"空白单元格没有印出；按行、列合计关系可放为 {chosen.text}，也可为 {'、'.join(others)}；"
         f"按“空白列在右”取 {chosen.text}（□ 为空白），请对照原文核实")
    return result.problems[-1]


def note_gaps(result: TableResult, source: Source, columns: tuple[str, ...], rows: list[tuple[Run, Candidate]],
              table: str) -> None:
    """One warning for a table whose rows print fewer cells than they have: how they were placed, and
    the columns that held no number in any of those rows (the numbers left of them might belong there)."""
    if not rows:
        return
    size = len(columns)
    empty = [c for c in range(size - 1) if all(cand.values[c] is None for _, cand in rows)]
    # (the first column is where a row's numbers usually start: numbers after it may belong further right)
    shifted = [c for c in empty if any(cand.values[d] is not None for _, cand in rows for d in range(1, c))]
    doubt = (f"；“{'”“'.join(columns[c] for c in shifted)}”列在这些行中没有放入任何数，合计关系不能排除其左侧各列的数"
             "实属这些列，请对照原文核实") if shifted else "，请对照原文核实"
    warn(result, source, rows[0][0].tokens[0], (result.key,),
         f"{table}有 {len(rows)} 行印出的数少于 {size} 个（空白单元格没有印出，常见于网页复制或 PDF 转换的文字）："
         f"已按各行总计和各列合计关系放入各列，未印出的单元格记为空白（不按 0 计）；合计关系不能区分时按“空白列在右”放入"
         f"（如只印 2 个数的行放入“{columns[0]}”和“{columns[-1]}”）" + doubt)


def note_unplaced(result: TableResult, source: Source, placement: Placement, name: str) -> None:
    for run in placement.unplaced:
        warn(result, source, run.tokens[0], (result.key,),
              f"{name}中的数字“{run.printed}”无法归入任何一行，已忽略")


def note_order(result: TableResult, source: Source, placement: Placement, specs, sums_hold: bool | None = None) -> None:
    """Rows placed by their position between labelled rows: say which, and whether the sums agree."""
    placed = sorted(placement.by_order)
    if not placed:
        return
    names = "、".join(f"“{specs[j].name}”" for j in placed)
    first = placement.rows[placed[0]]
    check = {True: "放入后各行、各列合计关系成立", False: "放入后合计关系不成立，请核对各行是否放对",
             None: "请对照原文核实"}[sums_hold]
    warn(result, source, first.tokens[0], (result.key,),
         f"{len(placed)} 行没有可识别的行标签（或标签与数字分离），按表中顺序放入：{names}；{check}")
