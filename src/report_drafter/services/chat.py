"""Chat-style review of a draft: requests in plain language become proposals for one section,
shown as a diff with their number check; nothing changes until the clerk accepts.

`ChatSession` holds the state (persisted in `<year>/chat.json`); the conversation around it
(`conversation.ChatLoop`) talks to a person only through the `io` object it is given.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Callable

from .. import document, vocab
from ..backends.base import ChatMessage, Completion, NeedsModel
from ..checks.numbers import check_numbers
from ..checks.review import review_document
from ..errors import DrafterError
from ..workspace import Workspace, keep_version
from .context import template_context
from .drafting import clean_answer, draft_sections, section_diff
from .inputs import load_draft, load_inputs, require_digest

MAX_UNDO = 30
MEMORY_TURNS = 10

_EXPLICIT = tuple((key, re.compile(pattern)) for key, pattern in vocab.ROUTE_EXPLICIT)
_TOPICAL = tuple((key, re.compile(pattern)) for key, pattern in vocab.ROUTE_TOPICAL)
_ALL = re.compile(vocab.ROUTE_ALL)


def route(request: str) -> list[str]:
    """The prose sections a plain-language request concerns (empty when it does not say)."""
    if _ALL.search(request):
        return list(document.PROSE_SECTIONS)
    for table in (_EXPLICIT, _TOPICAL):  # explicit names of a section win over topical words
        keys = [key for key, pattern in table if pattern.search(request)]
        if keys:
            return [k for k in document.PROSE_SECTIONS if k in keys]
    return []


class SectionEditedMeanwhile(DrafterError):
    """The section a proposal would replace was edited by hand while the chat ran."""

    def __init__(self, key: str, diff: str):
        super().__init__(f"“{document.HEADINGS[key]}”在对话期间被手工修改过，提议没有应用。")
        self.key = key
        self.diff = diff


@dataclass
class Proposal:
    key: str
    base: str               # the section as it was when the proposal was made
    text: str               # the proposed section
    request: str
    findings: list = field(default_factory=list)
    inputs_hash: str = ""   # the tables and notes it was written from

    def changes(self) -> list[list[tuple[str, str]]]:
        return paragraph_changes(self.base, self.text)


def paragraph_changes(old: str, new: str) -> list[list[tuple[str, str]]]:
    """Changed paragraphs as segments ("=", "-", "+", text): a character-level diff reads best in Chinese."""
    old_paras = [p for p in old.split("\n") if p.strip()]
    new_paras = [p for p in new.split("\n") if p.strip()]
    changes = []
    matcher = difflib.SequenceMatcher(None, old_paras, new_paras, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a, b = "\n".join(old_paras[i1:i2]), "\n".join(new_paras[j1:j2])
        chars = difflib.SequenceMatcher(None, a, b, autojunk=False)
        segments = []
        for op, x1, x2, y1, y2 in chars.get_opcodes():
            if op == "equal":
                segments.append(("=", a[x1:x2]))
                continue
            if x2 > x1:
                segments.append(("-", a[x1:x2]))
            if y2 > y1:
                segments.append(("+", b[y1:y2]))
        changes.append(segments)
    return changes


@dataclass
class Snapshot:
    draft: str
    messages: list[dict]
    rejected: list[str]


class ChatSession:
    """One year's conversation with its draft: messages, rejected proposals, undo/redo, token usage."""

    def __init__(self, workspace: Workspace, year: int, backend, prompts):
        self.workspace, self.year, self.backend, self.prompts = workspace, year, backend, prompts
        self.path, self.known_text = load_draft(workspace, year)
        self.start_text = self.known_text
        self.messages: list[dict] = []
        self.rejected: list[str] = []
        self.undo_stack: list[Snapshot] = []
        self.redo_stack: list[Snapshot] = []
        self.usage = {"input_tokens": 0, "output_tokens": 0}
        self.resumed = False
        self.damaged = None     # where a damaged chat.json was set aside

    # ---- persistence ----
    @property
    def state_path(self):
        return self.workspace.chat_path(self.year)

    def load(self, new: bool = False) -> None:
        """Resume the saved conversation, or start afresh (the old one is kept in history)."""
        if not self.state_path.exists():
            return
        if new:
            keep_version(self.state_path, self.state_path.read_bytes(), "drafter chat --new")
            self.state_path.unlink()
            return
        try:
            data = json.loads(self.workspace.read(self.state_path))
            messages = [dict(role=str(m["role"]), content=str(m["content"])) for m in data.get("messages", [])]
            rejected = [str(r) for r in data.get("rejected", [])]
            undo = [Snapshot(**s) for s in data.get("undo", [])]
            redo = [Snapshot(**s) for s in data.get("redo", [])]
            usage = {k: int(data.get("usage", {}).get(k, 0)) for k in self.usage}
        except (ValueError, TypeError, KeyError, AttributeError, DrafterError):
            self.damaged = keep_version(self.state_path, self.state_path.read_bytes(), "drafter chat（文件已损坏）")
            self.state_path.unlink()
            return
        self.messages, self.rejected, self.undo_stack, self.redo_stack, self.usage = messages, rejected, undo, redo, usage
        self.resumed = bool(self.messages)

    def save(self) -> None:
        data = {"version": 1, "messages": self.messages, "rejected": self.rejected,
                "undo": [s.__dict__ for s in self.undo_stack[-MAX_UNDO:]],
                "redo": [s.__dict__ for s in self.redo_stack[-MAX_UNDO:]], "usage": self.usage}
        self.workspace.write(self.state_path, json.dumps(data, ensure_ascii=False, indent=1) + "\n", keep_history=False)

    # ---- the draft ----
    def current_text(self) -> str:
        return self.workspace.read(self.path)

    def changed_outside(self) -> bool:
        """Whether draft.md was edited outside the chat since the chat last read or wrote it."""
        return self.current_text() != self.known_text

    def body(self, key: str, text: str | None = None) -> str:
        return document.parse_document(self.known_text if text is None else text).body(key)

    # ---- proposals ----
    def propose(self, key: str, request: str, on_chunk: Callable[[str], None] | None = None,
                on_notice: Callable[[str], None] | None = None) -> Proposal:
        """Ask the model for a new version of one section (on_notice: statuses such as 排队等待模型服务)."""
        if not self.backend.follows_instructions:
            raise NeedsModel()
        self.refresh()
        inputs = load_inputs(self.workspace, self.year)
        ctx = template_context(inputs)
        doc = document.parse_document(self.known_text)
        ctx["draft_sections"] = [(document.HEADINGS[k], doc.body(k)) for k in document.PROSE_SECTIONS]
        base = self.body(key)
        system = self.prompts.render("chat_system.j2", ctx)
        user = self.prompts.render("chat_request.j2", {"heading": document.HEADINGS[key], "current_text": base,
                                                      "request": request, "rejected": self.rejected[-5:]})
        history = [ChatMessage(m["role"], m["content"]) for m in self.messages[-2 * MEMORY_TURNS:]]
        completion = self.backend.complete([ChatMessage("system", system), *history, ChatMessage("user", user)],
                                           on_chunk, on_notice)
        self._count(completion)
        return self._checked(Proposal(key, base, clean_answer(key, completion.text), request), inputs)

    def regenerate(self, key: str, instruction: str = "", on_chunk: Callable[[str, str], None] | None = None,
                   on_notice: Callable[[str], None] | None = None) -> Proposal:
        """A freshly drafted section (any backend, offline included; an instruction needs a model) as a proposal."""
        self.refresh()
        inputs = load_inputs(self.workspace, self.year)
        base = self.body(key)
        completion = draft_sections(self.backend, inputs, [key], instruction, {key: base} if instruction else {},
                                    _StreamUI(on_chunk, on_notice))[key]
        self._count(completion)
        request = f"/regen {key} {instruction}".strip()
        return self._checked(Proposal(key, base, clean_answer(key, completion.text), request), inputs)

    def _checked(self, proposal: Proposal, inputs) -> Proposal:
        text = document.replace_section(self.known_text, proposal.key, proposal.text)
        report = check_numbers(text, inputs.sources)
        left_behind = [f for f in review_document(text, inputs.review_context)   # prompt text, loops
                       if f.category in ("leakage", "repetition")]
        proposal.findings = [f for f in report.findings + left_behind if f.section == proposal.key]
        proposal.inputs_hash = inputs.inputs_hash
        return proposal

    def _count(self, completion: Completion) -> None:
        self.usage["input_tokens"] += completion.input_tokens or 0
        self.usage["output_tokens"] += completion.output_tokens or 0

    def refresh(self) -> bool:
        """Take in manual edits made to draft.md meanwhile; True when there were any."""
        if not self.changed_outside():
            return False
        self.known_text = self.current_text()
        return True

    # ---- decisions ----
    def _snapshot(self) -> Snapshot:
        return Snapshot(self.known_text, [dict(m) for m in self.messages], list(self.rejected))

    def apply(self, proposal: Proposal, overwrite: bool = False) -> None:
        """Write the proposal into draft.md; a section edited by hand meanwhile is never overwritten silently."""
        require_digest(self.workspace, self.year, proposal.inputs_hash, "请重新提出修改要求")
        current = self.current_text()
        now = document.parse_document(current).body(proposal.key)
        if now != proposal.base and not overwrite:
            raise SectionEditedMeanwhile(proposal.key, section_diff(proposal.base, now, "提议时", "现在"))
        self.known_text = current
        self._remember(proposal, "已接受")
        new_text = document.replace_section(current, proposal.key, proposal.text)
        self.workspace.write(self.path, new_text, command=f"drafter chat：{proposal.request[:40]}")
        self.known_text = new_text
        self.save()

    def reject(self, proposal: Proposal) -> None:
        """Record the refusal so the model does not propose the same again."""
        self.undo_stack.append(self._snapshot())
        self.redo_stack.clear()
        self.rejected.append(f"对“{document.HEADINGS[proposal.key]}”的修改（要求：{proposal.request}）："
                             f"{_excerpt(proposal.text)}")
        self.messages += [{"role": "user", "content": proposal.request},
                          {"role": "assistant", "content": f"（提出了对“{document.HEADINGS[proposal.key]}”的修改，"
                                                           "工作人员拒绝了）"}]
        self.save()

    def _remember(self, proposal: Proposal, outcome: str) -> None:
        self.undo_stack.append(self._snapshot())
        self.redo_stack.clear()
        self.messages += [{"role": "user", "content": proposal.request},
                          {"role": "assistant", "content": f"（{outcome}对“{document.HEADINGS[proposal.key]}”的修改）\n"
                                                           f"{proposal.text}"}]

    def undo(self) -> Snapshot | None:
        return self._swap(self.undo_stack, self.redo_stack, "drafter chat /undo")

    def redo(self) -> Snapshot | None:
        return self._swap(self.redo_stack, self.undo_stack, "drafter chat /redo")

    def _swap(self, source: list[Snapshot], target: list[Snapshot], command: str) -> Snapshot | None:
        if not source:
            return None
        self.refresh()
        target.append(self._snapshot())
        snapshot = source.pop()
        self.messages, self.rejected = snapshot.messages, snapshot.rejected
        self.workspace.write(self.path, snapshot.draft, command=command)
        self.known_text = snapshot.draft
        self.save()
        return snapshot


def _excerpt(text: str, size: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[:size] + "…"


class _StreamUI:
    """A UI that only streams a section's text and statuses to callbacks (chat shows regenerated text as it comes)."""

    def __init__(self, on_chunk: Callable[[str, str], None] | None, on_notice: Callable[[str], None] | None = None):
        self.on_chunk = on_chunk
        self.on_notice = on_notice

    def confirm(self, question: str, detail: str = "") -> bool:
        return False

    def stream(self, key: str, text: str) -> None:
        if self.on_chunk:
            self.on_chunk(key, text)

    def notice(self, key: str, message: str) -> None:
        if self.on_notice:
            self.on_notice(message)
