"""Acting on a mark of the check (as a spell-checker offers): 改为 the expected figure, 记入工作记录, or 忽略
with a reason (kept in `<year>/ignored.json` and shown with the finding, which stays listed as a warning).

Both act on the draft as the clerk saw it: the caller names the draft's version, and the text at the
mark must still be what was marked, or nothing is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from .. import document, vocab
from ..errors import InputError
from ..versions import require_version, version_of
from ..workspace import Workspace

@dataclass
class Recorded:
    topic: str            # the topic key of notes.md
    heading: str          # its heading, as the clerk sees it
    entry: str            # the line added


def _marked(workspace: Workspace, year: int, start: int, end: int, found: str, version: str) -> str:
    """The draft's text, after checking it is the version shown and still holds `found` at [start, end)."""
    path = workspace.draft_path(year)
    require_version(workspace, path, version)
    text = workspace.read(path)
    if not 0 <= start < end <= len(text) or text[start:end] != found:
        raise InputError(f"草稿中这一处已不是“{found}”，未修改。请重新载入草稿后再试。")
    return text


def apply_fix(workspace: Workspace, year: int, start: int, end: int, found: str, replacement: str,
              version: str) -> str:
    """Replace the marked `found` with `replacement` in draft.md (old draft to history); the new version."""
    if not replacement.strip():
        raise InputError("没有要改成的内容。")
    with workspace.lock():
        text = _marked(workspace, year, start, end, found, version)
        new = text[:start] + replacement + text[end:]
        workspace.write(workspace.draft_path(year), new, command=f"drafter serve（网页工作台）：把“{found}”改为“{replacement}”")
    return version_of(new.encode("utf-8"))


def topic_at(text: str, offset: int) -> str:
    """The notes.md topic a sentence of the draft at `offset` belongs to (by its section and its paragraph's lead)."""
    doc = document.parse_document(text)
    starts = document.line_starts(text)
    section = ""
    for key, s in doc.sections.items():
        if starts[s.line - 1] <= offset:
            section = key
    line_start = text.rfind("\n", 0, offset) + 1
    paragraph = text[line_start:text.find("\n", offset) if "\n" in text[offset:] else len(text)]
    if section == "overview":
        lead = re.match(r"\s*（[一二三四五六七八九十]）([^。：:]{2,30})", paragraph)
        for key, _, heading, _ in vocab.OVERVIEW_ASPECTS:
            if lead and re.search(heading, lead.group(1)):
                return key
        return "summary"
    if section == "problems":
        before = text[starts[doc.sections["problems"].line - 1]:offset]
        return "improvements" if re.search(r"改进情况|改进措施", before) else "problems"
    if section == "other":
        for key, _, pattern in vocab.OTHER_ITEMS:
            if re.search(pattern, paragraph):
                return key
        return "fees" if "信息处理费" in paragraph else "innovation"
    return "summary"


def record_in_notes(workspace: Workspace, year: int, start: int, end: int, found: str, version: str) -> Recorded:
    """Add the sentence holding the marked figure to the right topic of notes.md, so the figure has a source."""
    from ..notes import TOPIC_LIST, notes_skeleton
    from ..notesfile import replace_topic, topic_texts

    with workspace.lock():
        text = _marked(workspace, year, start, end, found, version)
        a, b = document.sentence_bounds(text, start)
        sentence = re.sub(r"^\s*（[一二三四五六七八九十]）[^。：:]{2,30}[。：:]", "", text[a:b].strip()).strip()
        key = topic_at(text, start)
        path = workspace.notes_path(year)
        notes = workspace.read(path) if path.exists() else notes_skeleton(year, workspace.agency)
        current = next(t.text for t in topic_texts(notes) if t.topic.key == key)
        entry = f"- {sentence}"
        if entry not in current.split("\n"):
            workspace.write(path, replace_topic(notes, key, f"{current}\n{entry}".strip("\n")),
                            command="drafter serve（网页工作台）：记入工作记录")
    heading = next(t.heading for t in TOPIC_LIST if t.key == key)
    return Recorded(key, heading, entry)


IGNORED_NAME = "ignored.json"


def _ignored_path(workspace: Workspace, year: int):
    return workspace.year_dir(year) / IGNORED_NAME


def read_ignored(workspace: Workspace, year: int) -> list[dict]:
    """The findings the clerk chose to ignore, each with the reason given."""
    path = _ignored_path(workspace, year)
    if not path.exists():
        return []
    try:
        data = json.loads(workspace.read(path))
    except ValueError:
        raise InputError(f"{workspace.display(path)} 不是有效的 JSON，请修正或删除后重试。") from None
    return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []


def ignore_finding(workspace: Workspace, year: int, kind: str, found: str, text: str, reason: str) -> None:
    """Record that a finding (by its kind, the marked text and its sentence) is ignored, and why."""
    reason = reason.strip()
    if not reason:
        raise InputError("请写明忽略的理由（会与这条核对结果一起显示）。")
    with workspace.lock():
        entries = [e for e in read_ignored(workspace, year)
                   if (e.get("kind"), e.get("found"), e.get("text")) != (kind, found, text)]
        entries.append({"kind": kind, "found": found, "text": text, "reason": reason,
                        "at": datetime.now().isoformat(timespec="seconds")})
        workspace.write(_ignored_path(workspace, year), json.dumps(entries, ensure_ascii=False, indent=2) + "\n")


def apply_ignored(workspace: Workspace, year: int, findings: list) -> None:
    """Findings the clerk ignored stay listed, as warnings that say so and give the reason (never dropped silently)."""
    ignored = {(e.get("kind"), e.get("found"), e.get("text")): e.get("reason", "") for e in read_ignored(workspace, year)}
    if not ignored:
        return
    for f in findings:
        reason = ignored.get((f.kind, f.found or "", f.text))
        if reason is not None:
            f.severity = "warning"
            f.message = f"已忽略（理由：{reason}）。原核对意见：{f.message}"
