"""Versions of workspace files, so that a write never replaces an edit its writer did not see.

A version is a digest of the file's bytes (MISSING when there is no file). A front-end that shows
a file keeps the version it read and writes back through `write_if_unchanged`: if the file changed
since (another browser tab, the command line, a text editor), FileChanged is raised and nothing is
written. The check and the write happen under the workspace lock.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import DrafterError
MISSING = "missing"


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def file_version(path: Path) -> str:
    """The version of the file at `path` now (MISSING when it does not exist)."""
    try:
        return version_of(path.read_bytes())
    except (FileNotFoundError, IsADirectoryError):
        return MISSING


class FileChanged(DrafterError):
    """The file was changed by someone else since the writer read it; nothing was written."""

    def __init__(self, shown: str, expected: str, current: str):
        what = "已被删除" if current == MISSING else "已在别处被修改（另一个浏览器标签页、命令行或文本编辑器）"
        super().__init__(f"{shown} 在您打开之后{what}。这次修改没有保存，以免覆盖别处的修改；"
                         "请重新载入，看到最新内容后再改。")
        self.shown, self.expected, self.current = shown, expected, current


def require_version(workspace, path: Path, expected: str) -> None:
    """Raise FileChanged unless `path` still has version `expected` (hold the workspace lock around it and the write)."""
    current = file_version(path)
    if current != expected:
        raise FileChanged(workspace.display(path), expected, current)


def write_if_unchanged(workspace, path: Path, text: str, expected: str, command: str | None = None) -> str:
    """Write `text` to `path` if it still has version `expected`; the new version. The old one goes to history."""
    with workspace.lock():
        require_version(workspace, path, expected)
        workspace.write(path, text, command=command)
    return version_of(text.encode("utf-8"))
