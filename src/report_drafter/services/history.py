"""Saved versions of a year's files, and undoing the last change."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..workspace import DRAFT_NAME, HISTORY_DIR, Workspace, history_entries, mark_undone


def history(workspace: Workspace, year: int, name: str = DRAFT_NAME) -> list[dict]:
    """Saved versions of one file of the year (draft.md by default), newest first."""
    return list(reversed(history_entries(workspace.year_dir(year), name)))


def undo(workspace: Workspace, year: int, name: str = DRAFT_NAME) -> dict:
    """Restore the version of a file before its last change; the current one goes to history."""
    folder = workspace.year_dir(year)
    with workspace.lock():
        entries = history_entries(folder, name)
        undone = {e["saved_as"] for e in entries if e.get("undone")}
        candidates = [e for e in entries if "undo_of" not in e and not e.get("undone") and e["saved_as"] not in undone]
        if not candidates:
            raise InputError(f"{year}/{name} 没有可以撤销的修改。")
        entry = candidates[-1]
        content = (folder / HISTORY_DIR / entry["saved_as"]).read_bytes().decode("utf-8")
        workspace.write(folder / name, content, command=f"drafter undo --year {year}",
                        extra={"undo_of": entry["saved_as"]})
        mark_undone(folder, entry["saved_as"])
    return entry


@dataclass
class SectionUsage:
    key: str
    backend: str
    model: str
    drafted_at: str
    input_tokens: int | None
    output_tokens: int | None
    estimated: bool            # counted from the text: the server reported no usage
    duration_s: float | None
    first_token_s: float | None


def section_usage(workspace: Workspace, year: int) -> list[SectionUsage]:
    """Tokens and time of each prose section's last drafting (from draft.provenance.json)."""
    from .. import document
    from .provenance import read_provenance

    sections = read_provenance(workspace, year).get("sections", {})
    return [SectionUsage(key, s.get("backend", ""), s.get("model", ""), s.get("drafted_at", ""),
                         s.get("input_tokens"), s.get("output_tokens"), bool(s.get("usage_estimated")),
                         s.get("duration_s"), s.get("first_token_s"))
            for key in document.PROSE_SECTIONS if isinstance(s := sections.get(key), dict)]
