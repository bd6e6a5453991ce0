"""One value of stats.yaml changed in place, without parsing the file again.

A front-end that saves a cell per edit (the web workbench) would spend most of each save parsing
stats.yaml again inside `dump_stats`. `patch_value` takes the positions of the document parsed
before, edits the one token (its trailing comment kept in its column, as dump_stats does), and moves
the positions that shifted on that line, so the next edit needs no parse either. For a file without
blank cells the text is exactly what `dump_stats` writes for the same change (a test holds them equal);
None means "use dump_stats".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .statswriter import TOKEN, realign, scalar


def _position(data: object, path: tuple) -> tuple[object, object, int, int] | None:
    """(container, key, line, column) of the scalar at `path` in a parsed document."""
    node = data
    try:
        for part in path[:-1]:
            node = node[part]
    except (KeyError, IndexError, TypeError):
        return None
    last = path[-1]
    if isinstance(node, CommentedMap) and last in node and not isinstance(node[last], (CommentedMap, CommentedSeq)):
        line, col = node.lc.value(last)
    elif isinstance(node, CommentedSeq) and isinstance(last, int) and last < len(node) \
            and not isinstance(node[last], (CommentedMap, CommentedSeq)):
        line, col = node.lc.item(last)
    else:
        return None
    return node, last, line, col


def _same(token: str, value: object) -> bool:
    if token == "null":
        return value is None
    try:
        return Decimal(token) == Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False


def _shift(node: object, line: int, col: int, delta: int) -> None:
    """Move every position after `col` on `line` by `delta` characters."""
    if isinstance(node, CommentedMap):
        for key, entry in node.lc.data.items():
            if entry[0] == line and entry[1] > col:
                entry[1] += delta
            if len(entry) > 3 and entry[2] == line and entry[3] > col:
                entry[3] += delta
        children = node.values()
    elif isinstance(node, CommentedSeq):
        for entry in node.lc.data.values() if isinstance(node.lc.data, dict) else node.lc.data:
            if entry[0] == line and entry[1] > col:
                entry[1] += delta
        children = list(node)
    else:
        return
    for child in children:
        _shift(child, line, col, delta)


def patch_value(text: str, data: object, path: tuple, old: object, new: object) -> str | None:
    """`text` with the value at `path` changed from `old` to `new`; `data` (its parsed document) follows the edit.

    None when the document does not place the value where expected: then nothing was changed.
    """
    found = _position(data, path)
    if found is None:
        return None
    node, key, line, col = found
    lines = text.splitlines(keepends=True)
    if line >= len(lines):
        return None
    token = TOKEN.match(lines[line], col)
    if token is None or not _same(token.group(), old):
        return None
    replacement = scalar(key if isinstance(key, str) else None, new)
    original = lines[line]
    lines[line] = realign(original, original[:col] + replacement + original[token.end():])
    _shift(data, line, col, len(replacement) - (token.end() - col))
    node[key] = new
    return "".join(lines)
