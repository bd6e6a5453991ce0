"""The Word round trip: an exported report edited in Word/WPS comes back into draft.md, section by section.

The prose of each section is compared with draft.md and only changed sections are replaced (every
other byte of draft.md is kept); the write goes to history, so `drafter undo` restores the draft as it
was. The Word file's tables are compared with stats.yaml and differences reported, never taken:
numbers are facts and stats.yaml holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import document
from ..errors import InputError
from ..export.blocks import TABLE_SECTIONS, digest_of
from ..findings import Finding
from ..importing.worddraft import WordDraft, read_word_draft
from ..workspace import Workspace
from .checking import Checked, check_draft
from .drafting import section_diff
from .tables import check_year
from .wordfile import paragraphs, read_word, word_table_findings

PART_NAMES = {"title": "标题", "preamble": "开头说明", **document.HEADINGS, "signature": "落款"}


@dataclass
class SectionChange:
    key: str           # title | preamble | a section key
    diff: str          # unified diff, draft.md before → the Word file

    @property
    def name(self) -> str:
        return PART_NAMES[self.key]


@dataclass
class WordImport:
    word: WordDraft
    changes: list[SectionChange]
    table_findings: list[Finding]
    notices: list[str] = field(default_factory=list)
    checked: Checked | None = None

    @property
    def written(self) -> bool:
        return bool(self.changes)


def _replace_head(text: str, title: str, preamble: list[str]) -> str:
    """`text` with the title and the preamble (everything before the first section heading) replaced."""
    lines = text.split("\n")
    first = min((s.line - 1 for s in document.parse_document(text).sections.values()), default=len(lines))
    head = [f"# {title}", ""] + [line for p in preamble for line in (p, "")]
    return "\n".join(head + lines[first:])


def merge_word(current: str, word: WordDraft) -> tuple[str, list[SectionChange], list[str]]:
    """draft.md with the parts the Word file changed replaced by the Word text; the changes; notices."""
    theirs = document.parse_document(word.markdown)
    ours = document.parse_document(current)
    text, changes, notices = current, [], []

    def taken(key: str, old: list[str], new: list[str]) -> bool:
        """Whether the Word text of a part replaces draft.md's (three-way when the file says what it was exported as)."""
        if old == new:
            return False
        base = word.base.get(key)
        if base and digest_of(new) == base:     # not edited in Word; draft.md was edited since the export
            notices.append(f"“{PART_NAMES[key]}”在导出后只在 draft.md 中改过，Word 文件中未改，保留 draft.md 的内容。")
            return False
        if base and digest_of(old) != base:     # edited on both sides
            notices.append(f"“{PART_NAMES[key]}”在导出后 draft.md 和 Word 文件中都改过，已用 Word 文件中的文字；"
                           "draft.md 原来的内容存入历史，可用 drafter undo 恢复。")
        return True

    old_preamble, new_preamble = paragraphs(ours.preamble), paragraphs(theirs.preamble)
    title = theirs.title if taken("title", [ours.title], [theirs.title]) else ours.title
    preamble = new_preamble if taken("preamble", old_preamble, new_preamble) else old_preamble
    if title != ours.title or preamble != old_preamble:
        text = _replace_head(text, title, preamble)
        if title != ours.title:
            changes.append(SectionChange("title", section_diff(ours.title, title, "draft.md", "Word 文件")))
        if preamble != old_preamble:
            changes.append(SectionChange("preamble", section_diff("\n".join(old_preamble), "\n".join(preamble),
                                                                 "draft.md", "Word 文件")))
    for key, heading, _ in document.SECTIONS:
        mine, their = ours.sections.get(key), theirs.sections.get(key)
        if their is None:
            if mine is not None:
                notices.append(f"Word 文件中没有“{heading}”，draft.md 中的这一部分保留未动。")
            continue
        if mine is None:
            notices.append(f"draft.md 中没有“{heading}”，Word 文件中的这一部分未读入，请先运行 drafter generate。")
            continue
        old, new = paragraphs(mine.body), paragraphs(their.body)
        if key in TABLE_SECTIONS and old != new and digest_of(new) != word.base.get(key):
            notices.append(f"Word 文件中“{heading}”的文字有改动，未读入：这一部分由统计表生成，请修改 stats.yaml。")
            continue
        if key in TABLE_SECTIONS or not taken(key, old, new):
            continue
        body = "\n\n".join(new)
        text = document.replace_section(text, key, body)
        changes.append(SectionChange(key, section_diff("\n".join(old), "\n".join(new), "draft.md", "Word 文件")))
    if theirs.signature and taken("signature", paragraphs(ours.signature), paragraphs(theirs.signature)):
        text = document.replace_signature(text, "\n".join(paragraphs(theirs.signature)))
        changes.append(SectionChange("signature", section_diff(ours.signature, "\n".join(paragraphs(theirs.signature)),
                                                               "draft.md", "Word 文件")))
    return text, changes, notices


def import_word_draft(workspace: Workspace, year: int, path: Path, name: str | None = None) -> WordImport:
    """Bring an edited Word report back into `<year>/draft.md` (changed sections only, old draft in history), then check it."""
    word = read_word(workspace, path) if name is None else read_word_draft(path, name)
    name = name or path.name
    draft_path = workspace.draft_path(year)
    if not draft_path.exists():
        raise InputError(f"找不到草稿 {workspace.display(draft_path)}。Word 文件要与本年度的草稿逐部分比较，"
                         f"请先运行 drafter generate --year {year}。")
    stats, _ = check_year(workspace, year)
    with workspace.lock():
        current = workspace.read(draft_path)
        text, changes, notices = merge_word(current, word)
        if changes:
            workspace.write(draft_path, text, command=f"drafter import --draft {name} --year {year}")
    result = WordImport(word, changes, word_table_findings(word, stats, name), notices)
    result.checked = check_draft(workspace, year)
    result.checked.report.findings += result.table_findings
    return result
