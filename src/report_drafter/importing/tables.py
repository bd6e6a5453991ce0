"""Read tables 二, 三 and 四 of a published report, whatever form the text took.

For each table: the region's text becomes tokens and runs of value cells (`tokens`); runs are
assigned to the official rows by their labels and by order (`placement`, vocabulary as data in
`vocabulary`, fuzzy label matching in `labels`); each row's candidate readings (`splitting`: digits
of several cells run together, blank cells, column positions in PDF text) are chosen by the
format's arithmetic (`solver`). One module per table: `table2`, `table3`, `table4`; what they
share is in `result`.

Each reader returns a `TableResult`: what was found (`layout`), the rows not found or not
readable and why, and every value read; blank cells ("", “/”, “—”) are None with a warning.
"""

from __future__ import annotations

from .. import layout
from . import vocabulary as voc
from .placement import ANCHOR, MARGIN, evidence
from .result import TableResult
from .table2 import HEADER as TABLE2_HEADER
from .table2 import read_table2
from .table3 import HEADER as TABLE3_HEADER
from .table3 import read_table3
from .table4 import read_table4
from .tokens import Run

__all__ = ["TableResult", "read_table2", "read_table3", "read_table4", "row_for_label"]


def row_for_label(label: str, table: str = "requests", format: str = "2021", single_other: bool = False) -> tuple | None:
    """The stats path of the row a printed label names, or None when it names none or several.

    `table`: "active" (表二, in the `format` layout) or "requests" (表三).
    """
    if table == "active":
        words, header, groups = voc.table2_words(format), TABLE2_HEADER, ()
    else:
        words = voc.table3_words(single_other)
        header = TABLE3_HEADER
        groups = tuple(g for g in voc.TABLE3_GROUPS if not (single_other and g == layout.OTHER))
    ev = evidence(Run([], own=label), words, header, groups)
    best, j = ev.best
    return words[j].path if best >= ANCHOR and ev.margin >= MARGIN else None
