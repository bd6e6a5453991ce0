"""Which run of values belongs to which official row: labels first, then order.

Each run's label evidence comes from the text on its own line (strong), else from the text on
the lines above it — trusted when it names one row, weak when it is a jumble of several cut
labels (PDF→Markdown conversions put the labels of several rows between two number rows).
Runs whose label names one row clearly are anchors; in an ordered table the anchors must keep
the official order. The remaining runs (unlabelled number rows, weakly labelled ones) are placed
in the gaps between anchors by order, the labels they have deciding where a gap is ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from .labels import Segment, clean, compact, lcs_length, score, segments, split_numbering
from .tokens import Run
from .vocabulary import RowWords

ANCHOR = 0.75        # score of a label that names its row
MARGIN = 0.1         # … ahead of the next best row
DECENT = 0.6         # a label segment that names some row
OWN, ABOVE, JUMBLE = 1.0, 0.9, 0.4     # weights of the evidence by where the label was


@dataclass
class Evidence:
    scores: list[float]
    label: str = ""            # the label text the scores come from (for messages)
    own: bool = False          # the label is on the run's own line

    @property
    def best(self) -> tuple[float, int]:
        """(best score, its row): the last row of the best score, as the greatest (score, row) pair."""
        if not self.scores:
            return 0.0, -1
        top = max(self.scores)
        return top, len(self.scores) - 1 - self.scores[::-1].index(top)

    @property
    def margin(self) -> float:
        ranked = sorted(self.scores, reverse=True)
        return ranked[0] - ranked[1] if len(ranked) > 1 else ranked[0] if ranked else 0.0


@dataclass
class Placement:
    rows: dict[int, Run] = field(default_factory=dict)        # row index → run
    by_order: set[int] = field(default_factory=set)           # rows placed by order, not by label
    unplaced: list[Run] = field(default_factory=list)         # runs with numbers that fit no row
    missing: list[int] = field(default_factory=list)          # rows without a run
    score: float = 0.0


def _is_group(segment: Segment, groups: tuple[str, ...], best: float) -> bool:
    """A group label or a piece of one (“（三）不”, “予公开”) rather than a row label."""
    if not segment.core:
        return bool(segment.number)
    return _group_piece(segment.number, segment.core, groups) > best


@lru_cache(maxsize=1 << 14)
def _group_piece(number_: str, core_: str, groups: tuple[str, ...]) -> float:
    """How much of a segment the best-matching group label covers (-1 below 0.8)."""
    found = -1.0
    for group in groups:
        number, core = split_numbering(compact(group))
        piece = lcs_length(core_, core) / len(core_)
        if number_ and number_ == number:
            piece += 0.1
        if piece >= 0.8:
            found = max(found, piece)
    return found


Scorer = Callable[[str, int], tuple[tuple, ...]]


@lru_cache(maxsize=64)
def _scorer(rows: tuple[RowWords, ...], groups: tuple[str, ...]) -> Scorer:
    """The label scoring against one vocabulary, with a cache of its own (so the vocabulary is hashed once per table)."""
    @lru_cache(maxsize=4096)        # the label text above a row recurs across reports of one format
    def scored(text: str, own_from: int) -> tuple[tuple, ...]:
        """(segment, row scores, best, touches the run's own line) for the label segments of a text."""
        segs = segments(text)
        out = []
        for k, seg in enumerate(segs):
            end = segs[k + 1].start if k + 1 < len(segs) else len(text)
            row_scores = tuple(score(seg, words) for words in rows)
            best = max(row_scores) if row_scores else 0.0
            if groups and _is_group(seg, groups, best):
                continue
            out.append((seg, row_scores, best, end > own_from))
        return tuple(out)
    return scored


_clean = lru_cache(maxsize=8192)(clean)     # (label texts recur across reports of one format)


def evidence(run: Run, rows: tuple[RowWords, ...], header_words: tuple[str, ...] = (),
             groups: tuple[str, ...] = ()) -> Evidence:
    """The run's label evidence: a weighted score per row."""
    return _evidence(run, _scorer(rows, groups), len(rows), header_words)


def _evidence(run: Run, scorer: Scorer, count: int, header_words: tuple[str, ...]) -> Evidence:
    above, own = _clean(run.above, header_words), _clean(run.own, header_words)
    scored = scorer(above + own, len(above)) if above else []
    decent_above = [item for item in scored if not item[3] and item[2] >= DECENT]
    if own:
        options = [item for item in scorer(own, 0)[-1:]]
        options += [item for item in scored if item[3]][-1:]
        if options:
            seg, row_scores, best, _ = max(options, key=lambda item: item[2])
            if best >= DECENT or not decent_above:
                return Evidence([s * OWN for s in row_scores], seg.core, own=True)
    if len(decent_above) == 1:
        seg, row_scores, _, _ = decent_above[0]
        return Evidence([s * ABOVE for s in row_scores], seg.core)
    if len(decent_above) > 1:
        merged = [max(item[1][j] for item in decent_above) * JUMBLE for j in range(count)]
        return Evidence(merged, "")
    return Evidence([0.0] * count)


def place(runs: list[Run], rows: tuple[RowWords, ...], fits: Callable[[Run, int], bool], ordered: bool,
          header_words: tuple[str, ...] = (), groups: tuple[str, ...] = ()) -> Placement:
    """Assign runs to rows (see the module docstring); `fits(run, row)` says whether the run's
    cells can fill the row."""
    scorer = _scorer(rows, groups)
    evidences = [_evidence(run, scorer, len(rows), header_words) for run in runs]
    result = Placement()
    anchors: list[tuple[int, int, float]] = []          # (run position, row, score)
    for i, ev in enumerate(evidences):
        best, j = ev.best
        # a clear label on the row's own line wins even when its numbers do not fit (a cut-off row)
        if best >= ANCHOR and ev.margin >= MARGIN and (ev.own or fits(runs[i], j)):
            anchors.append((i, j, best))
    # one run per row: the better label keeps it
    by_row: dict[int, tuple[int, int, float]] = {}
    for anchor in anchors:
        kept = by_row.get(anchor[1])
        if kept is None or anchor[2] > kept[2]:
            by_row[anchor[1]] = anchor
    # a second run labelled as an already taken row (a repeated row, a sentence) is not placed by order
    repeated = {i for i, _, _ in anchors} - {i for i, _, _ in by_row.values()}
    anchors = sorted(by_row.values())
    if ordered:
        anchors = _increasing(anchors)
    for i, j, s in anchors:
        result.rows[j] = runs[i]
        result.score += s
    taken = {i for i, _, _ in anchors}
    skipped = taken | repeated
    bounds = [(-1, -1)] + [(i, j) for i, j, _ in anchors] + [(len(runs), len(rows))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        gap_runs = [i for i in range(i0 + 1, i1) if i not in skipped]
        if ordered or j0 < j1:
            gap_rows = [j for j in range(j0 + 1, j1) if j not in result.rows]
        else:
            gap_rows = []
        for i, j, s in _align(gap_runs, gap_rows, evidences, runs, fits):
            result.rows[j] = runs[i]
            result.by_order.add(j)
            result.score += s
            taken.add(i)
    result.unplaced = [run for i, run in enumerate(runs) if i not in taken and run.has_values]
    result.missing = [j for j in range(len(rows)) if j not in result.rows]
    return result


def _increasing(anchors: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The heaviest subsequence of anchors whose rows follow the official order."""
    best: list[tuple[float, int]] = []
    for k, (_, j, s) in enumerate(anchors):
        options = [(best[p][0] + s, p) for p in range(k) if anchors[p][1] < j]
        best.append(max(options) if options else (s, -1))
    if not best:
        return []
    k = max(range(len(best)), key=lambda n: best[n][0])
    chain = []
    while k >= 0:
        chain.append(anchors[k])
        k = best[k][1]
    return chain[::-1]


def _align(gap_runs: list[int], gap_rows: list[int], evidences: list[Evidence], runs: list[Run],
           fits: Callable[[Run, int], bool]) -> list[tuple[int, int, float]]:
    """Order-keeping assignment of the runs in a gap to the rows in it (most matches, best labels)."""
    if not gap_runs or not gap_rows:
        return []
    n, m = len(gap_runs), len(gap_rows)
    NEG = float("-inf")
    table = [[NEG] * (m + 1) for _ in range(n + 1)]
    move: dict[tuple[int, int], tuple[int, int, bool]] = {}
    table[0] = [0.0] * (m + 1)
    for a in range(1, n + 1):
        table[a][0] = table[a - 1][0] + _skip(runs[gap_runs[a - 1]])
        move[(a, 0)] = (a - 1, 0, False)
    for a in range(1, n + 1):
        run = runs[gap_runs[a - 1]]
        for b in range(1, m + 1):
            options = [(table[a - 1][b] + _skip(run), (a - 1, b, False)), (table[a][b - 1], (a, b - 1, False))]
            if run.has_values and fits(run, gap_rows[b - 1]):     # blank runs are placed by label only
                gain = 1.0 + evidences[gap_runs[a - 1]].scores[gap_rows[b - 1]]
                options.append((table[a - 1][b - 1] + gain, (a - 1, b - 1, True)))
            table[a][b], move[(a, b)] = max(options, key=lambda o: o[0])
    out = []
    a, b = n, m
    while a > 0 and b >= 0 and (a, b) in move:
        pa, pb, matched = move[(a, b)]
        if matched:
            i, j = gap_runs[a - 1], gap_rows[b - 1]
            out.append((i, j, evidences[i].scores[j]))
        a, b = pa, pb
    return out[::-1]


def _skip(run: Run) -> float:
    """Cost of leaving a run out: runs of blanks only cost nothing."""
    return -0.5 if run.has_values else 0.0
