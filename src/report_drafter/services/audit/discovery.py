"""Which files an audit reads: the files given, and in folders (recursively) every file in a report form."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml"}
# forms a report is published in; old Word, WPS and OFD files are taken too, to be reported as unreadable
AUDIT_OUTPUT = ("index.html", "findings.json", "aggregate.stats.yaml")
REPORT_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx", ".doc", ".wps", ".ofd"}


@dataclass(frozen=True)
class Found:
    path: Path
    name: str           # as shown: relative to the folder given (or the folders' common parent)
    size: int


def common_root(paths: list[Path]) -> Path:
    """The folder names are shown relative to: the folder given, or the common parent of what was given."""
    folders = [p if p.is_dir() else p.parent for p in paths]
    try:
        return Path(os.path.commonpath([str(f) for f in folders]))
    except ValueError:          # different drives (Windows)
        return folders[0]


PAGE_MARK = b'<meta name="generator" content="drafter audit">'     # in the head of every page an audit writes


def is_audit_page(path: Path) -> bool:
    """A page an earlier audit wrote (even one whose other outputs were never written)."""
    if path.suffix.lower() not in HTML_SUFFIXES:
        return False
    try:
        with path.open("rb") as handle:
            return PAGE_MARK in handle.read(1024)
    except OSError:
        return False


def is_audit_output(folder: Path) -> bool:
    """A folder an earlier audit wrote (its page is HTML and would be taken for a report)."""
    return all((folder / name).is_file() for name in AUDIT_OUTPUT)


def discover(paths: list[Path], exclude: list[Path] = (), root: Path | None = None) -> list[Found]:
    """Every report file under `paths` (files as given, folders recursively), each once, `exclude` left out.

    Hidden files and folders, Office lock files (~$…) and the output folders of earlier audits are skipped.
    A path that does not exist is an InputError.
    """
    resolved = []
    for path in paths:
        if not path.exists():
            raise InputError(f"找不到 {path}。请给出报告文件或存放报告的文件夹。")
        resolved.append(path.resolve())
    root = root or common_root(resolved)
    skip = {p.resolve() for p in exclude}
    seen: set[Path] = set()
    found: list[Found] = []

    def take(path: Path, given: Path | None = None) -> None:
        """`given`: the entry as listed in its folder (a link keeps its own name, and a dangling one its own path)."""
        given = given or path
        if not path.exists():
            path = given        # a link to nothing: listed under its own name, reported unreadable when read
        if path in seen or path in skip:
            return
        seen.add(path)
        try:
            name = given.relative_to(root).as_posix()
        except ValueError:
            name = given.name
        try:
            size = path.stat().st_size
        except OSError:
            size = 0            # unreadable: the reading says why
        found.append(Found(path, name, size))

    for path in resolved:
        if path.is_file():
            take(path)
            continue
        for folder, dirs, files in os.walk(path):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() not in skip
                             and not is_audit_output(here / d))
            outputs = set(AUDIT_OUTPUT) if is_audit_output(here) else set()   # an audit written into this folder
            for file in sorted(files):
                if file.startswith((".", "~$")) or Path(file).suffix.lower() not in REPORT_SUFFIXES or file in outputs:
                    continue
                if is_audit_page(here / file):
                    continue
                take((here / file).resolve(), here / file)
    return found
