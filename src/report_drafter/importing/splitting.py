"""Every way a run of printed cells can fill a row's cells, when digits of several cells ran together.

“规范性文件898989” printed three cells with no separator: the chunk “898989” may be 8|9|8989,
89|89|89, … . A cell holds no leading zero (except “0” itself), a decimal point only in a money
cell and a minus sign only in a signed cell (2019 本年增/减). The arithmetic of the format then
chooses among the candidates (`solver`); where it cannot, `plausibility` ranks them.

Blank cells and marks (“/”, “—”) fill one cell each and read as None.

A row that prints fewer cells than it has (text copied from a web page one cell per line, PDF text:
blank cells are simply not printed) is read by `placements`: each printed cell goes to one of the
row's cells, in order, the others are blank. For the arithmetic a cell left blank counts as
nothing (0); it is recorded as blank (None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from functools import cached_property, lru_cache
from typing import Callable

from .tokens import Token

LIMIT = 60000                 # candidates per row before the row counts as unreadable
Value = int | Decimal | None

_COUNT = re.compile(r"^(?:0|[1-9]\d*)$")
_SIGNED = re.compile(r"^[+-]?(?:0|[1-9]\d*)$")
_MONEY = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")
_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$")


class TooMany(Exception):
    """More candidate splits than LIMIT."""


GAP_COST = Decimal(100)      # a reading that leaves unprinted cells blank ranks after every full reading


@dataclass(frozen=True)
class Candidate:
    values: tuple[Value, ...]
    split: bool               # some chunk was divided between cells
    kinds: tuple[str, ...] = ()
    gaps: tuple[int, ...] = ()    # cells the row did not print (blank), placed by `placements`
    shift: int = 0                # how far the printed cells sit from the leftmost placement

    @cached_property
    def cost(self) -> Decimal:
        base = plausibility(self.values, self.kinds or None)
        return base + GAP_COST + self.shift if self.gaps else base

    @cached_property
    def sums(self) -> tuple[Value, ...]:
        """The values the arithmetic sees: a cell the row left blank counts as 0."""
        if not self.gaps:
            return self.values
        return tuple(0 if v is None else v for v in self.values)

    @property
    def text(self) -> str:
        return "/".join("□" if v is None else _show(v) for v in self.values)


def _show(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return str(value)


def parse_piece(piece: str, kind: str, whole: bool) -> Value | bool:
    """The value of one cell's digits, or False when no cell can hold them."""
    if whole and "," in piece and _GROUPED.match(piece):
        piece = piece.replace(",", "")
    if kind == "count":
        return int(piece) if _COUNT.match(piece) else False
    if kind == "signed":
        return int(piece) if _SIGNED.match(piece) and piece not in ("-0", "+0") else False
    if _MONEY.match(piece):
        try:
            return Decimal(piece)
        except InvalidOperation:
            return False
    return False


def trim(tokens: list[Token], size: int) -> list[Token]:
    """Drop blank cells at the ends of a run longer than the row (row markers, empty edge cells)."""
    tokens = list(tokens)
    while len(tokens) > size and tokens[-1].kind == "blank":
        tokens.pop()
    while len(tokens) > size and tokens[0].kind == "blank":
        tokens.pop(0)
    return tokens


def candidates(tokens: list[Token], kinds: tuple[str, ...], every: int = 0,
               check: Callable[[tuple], bool | None] | None = None) -> list[Candidate]:
    """Every way the run fills the row's cells (raises TooMany beyond LIMIT).

    With `check`, each completed group of `every` cells must pass it (表四: a group's results add
    up to its 总计), which keeps long runs of glued digits tractable. The same printed run (a row
    of zeros, say) is worked out once per process.
    """
    size = len(kinds)
    tokens = trim(tokens, size)
    if len(tokens) > size:
        return []
    shape = tuple((t.kind, t.digits if t.kind == "num" else "", t.alone) for t in tokens)
    found = _candidates(shape, kinds, every, check)
    if isinstance(found, TooMany):
        raise TooMany
    return list(found)


@lru_cache(maxsize=4096)
def _candidates(shape: tuple, kinds: tuple[str, ...], every: int,
                check: Callable[[tuple], bool | None] | None) -> tuple[Candidate, ...] | TooMany:
    """`candidates` for a run given as (kind, digits, alone) per token; TooMany is returned, not raised, to be cached."""
    try:
        return tuple(_fill_all(shape, kinds, every, check))
    except TooMany as exc:
        return exc


def _fill_all(tokens: tuple, kinds: tuple[str, ...], every: int,
              check: Callable[[tuple], bool | None] | None) -> list[Candidate]:
    size = len(kinds)
    out: list[Candidate] = []

    def passes(acc: tuple) -> bool:
        return not (check and every and len(acc) % every == 0 and check(acc[-every:]) is False)

    def fill(ti: int, pos: int, acc: tuple, split: bool) -> None:
        """Cells from token `ti`, digit `pos` on; `acc` holds the cells so far."""
        if len(out) > LIMIT:
            raise TooMany
        ci = len(acc)
        if ti == len(tokens) or ci == size:
            if ti == len(tokens) and ci == size:
                out.append(Candidate(acc, split, kinds))
            return
        kind, digits, alone = tokens[ti]
        later = len(tokens) - ti - 1          # tokens after this one, each needs a cell
        if kind != "num" or alone:
            value = None if kind != "num" else parse_piece(digits, kinds[ci], True)
            if value is not False and passes(acc + (value,)):
                fill(ti + 1, 0, acc + (value,), split)
            return
        if size - ci - 1 < later:
            return                              # no cell left for the tokens after this one
        # the piece may stop inside the chunk only while cells remain for the rest of it
        ends = range(pos + 1, len(digits) + 1) if size - ci - 1 > later else (len(digits),)
        for end in ends:
            last = end == len(digits)
            piece = digits[pos:end]
            value = parse_piece(piece, kinds[ci], pos == 0 and last)
            if value is False:
                if piece[:1] == "0" and len(piece) > 1:
                    break                       # a leading zero stays invalid however long the piece
                continue
            cells = acc + (value,)
            if not passes(cells):
                continue
            if last:
                fill(ti + 1, 0, cells, split)
            else:
                fill(ti, end, cells, True)

    fill(0, 0, (), False)
    return out


def placements(tokens: list[Token], kinds: tuple[str, ...], every: int = 0,
               check: Callable[[tuple], bool | None] | None = None) -> list[Candidate]:
    """Every way a run that prints fewer cells than the row has fills it, each printed cell in one cell.

    Only runs of two or more numbers are placed (one number gives the sums nothing to check). With
    `check`, each group of `every` cells (blank = 0) must pass it. The leftmost placement with the last
    printed cell in the row's last cell (its 总计) ranks first: the columns left blank are usually the
    rarer kinds of applicant or result, right of the common ones.
    """
    size = len(kinds)
    tokens = trim(tokens, size)
    if tokens and len(tokens) < size and not any(t.filled for t in tokens):
        return [Candidate((None,) * size, False, kinds, tuple(range(size)))]     # a row printed blank
    if len(tokens) >= size or sum(t.kind == "num" for t in tokens) < 2:
        return []
    printed = [t.digits if t.kind == "num" else None for t in tokens]
    out: list[Candidate] = []

    def group_fails(cells: list, group: int) -> bool:
        values = tuple(0 if v is None else v for v in cells[group * every:(group + 1) * every])
        return check(values) is False

    def place(k: int, column: int, cells: list, columns: list[int]) -> None:
        if len(out) > LIMIT:
            raise TooMany
        if k == len(printed):
            groups = range((columns[-1] // every) if every else 0, size // every if every else 0)
            if check and every and any(group_fails(cells, g) for g in groups):
                return
            shift = sum(c - i for i, c in enumerate(columns[:-1])) + (0 if columns[-1] == size - 1 else size)
            gaps = tuple(c for c in range(size) if c not in columns)
            out.append(Candidate(tuple(cells), False, kinds, gaps, shift))
            return
        for c in range(column, size - (len(printed) - k) + 1):
            if check and every and columns and c // every > columns[-1] // every:
                if any(group_fails(cells, g) for g in range(columns[-1] // every, c // every)):
                    break             # a group closed by this placement fails; later columns close it too
            value = None if printed[k] is None else parse_piece(printed[k], kinds[c], True)
            if value is False:
                continue
            cells[c] = value
            place(k + 1, c + 1, cells, columns + [c])
            cells[c] = None

    place(0, 0, [None] * size, [])
    return out


_PRECISION = Context(prec=6)


@lru_cache(maxsize=65536)
def _magnitude(value: int | Decimal) -> Decimal:
    """log10(value + 1), to 6 digits (a ranking, not a table value)."""
    return (Decimal(value) + 1).log10(_PRECISION)


def plausibility(values: tuple[Value, ...], kinds: tuple[str, ...] | None = None) -> Decimal:
    """Lower is more plausible: small numbers of similar size.

    The sum of log10(|v|+1) over the cells, plus half the spread of that measure over the cells
    other than a signed 本年增/减 (a change need not be of the size of the counts beside it).
    """
    kinds = kinds or ("count",) * len(values)
    total = Decimal(0)
    sizes = []
    for value, kind in zip(values, kinds):
        if value is None:
            continue
        size = _magnitude(abs(value))
        total += size
        if kind != "signed":
            sizes.append(size)
    spread = (max(sizes) - min(sizes)) if sizes else Decimal(0)
    return total + spread / 2
