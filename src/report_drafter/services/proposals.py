"""Redrafting one section as a proposal: nothing is written until the clerk accepts it.

`services.drafting.regenerate` is the one-step form the command line uses (ask, draft, write).
A front-end that shows the new text first — the web workbench's diff with 接受 / 拒绝 / 编辑后接受 —
drafts with `propose_section` (same prompts, same number check and repair rounds) and writes with
`accept_proposal`, which refuses to replace a section that changed since the proposal was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import document
from ..backends.base import Completion
from ..errors import DrafterError, InputError
from ..ui import UI
from ..workspace import Workspace
from .chat import paragraph_changes
from .drafting import check_and_repair, draft_sections, section_diff
from .inputs import load_draft, load_inputs, require_digest
from .provenance import drafted_body, edited_sections, write_provenance


@dataclass
class SectionProposal:
    key: str
    base: str                   # the section as it was when the proposal was made
    text: str                   # the proposed section
    instruction: str
    completion: Completion
    findings: list = field(default_factory=list)    # what the checker still finds in the proposed section
    backend: object = None
    prompts: object = None
    inputs_hash: str = ""

    @property
    def unchanged(self) -> bool:
        return self.text.strip() == self.base.strip()

    def changes(self) -> list[list[tuple[str, str]]]:
        """Changed paragraphs as ("=", "-", "+", text) segments."""
        return paragraph_changes(self.base, self.text)


class SectionChanged(DrafterError):
    """The section was edited after the proposal was made; replacing it needs the clerk's word."""

    def __init__(self, key: str, diff: str):
        super().__init__(f"“{document.HEADINGS[key]}”在生成修改稿之后又被修改过（可能是在其他编辑器或另一个标签页中），"
                         "修改稿没有替换它。")
        self.key = key
        self.diff = diff


def hand_edits(workspace: Workspace, year: int, text: str | None = None) -> dict[str, str]:
    """Prose sections edited by hand since they were drafted, each with its diff (drafted → now)."""
    if text is None:
        _, text = load_draft(workspace, year)
    doc = document.parse_document(text)
    return {key: section_diff(drafted_body(workspace, year, key), doc.body(key))
            for key in edited_sections(workspace, year, text)}


def propose_section(workspace: Workspace, year: int, key: str, backend, prompts, instruction: str = "",
                    ui: UI | None = None) -> SectionProposal:
    """A freshly drafted section (checked, and repaired by a model when it can) as a proposal; writes nothing."""
    _, text = load_draft(workspace, year)
    doc = document.parse_document(text)
    if key not in doc.sections:
        raise InputError(f"草稿中找不到“{document.HEADINGS[key]}”这一部分的标题，无法单独重写。")
    base = doc.body(key)
    inputs = load_inputs(workspace, year)

    def compose(texts: dict[str, str]) -> str:
        return document.replace_section(text, key, texts[key])

    current = {key: base} if instruction else {}
    completions = draft_sections(backend, inputs, [key], instruction, current, ui)
    completions, findings, _ = check_and_repair(backend, prompts, inputs, completions, compose, instruction, current, ui)
    completion = completions[key]
    return SectionProposal(key, base, completion.text, instruction, completion, findings, backend, prompts,
                           inputs.inputs_hash)


def accept_proposal(workspace: Workspace, year: int, proposal: SectionProposal, edited: str | None = None,
                    overwrite: bool = False) -> Path:
    """Write the proposal (or the clerk's edit of it) into draft.md; every other byte stays.

    A section that changed since the proposal was made is replaced only with `overwrite`. The
    provenance records the proposal as drafted, so an edit of it counts as a hand edit later.
    """
    key = proposal.key
    with workspace.lock():
        require_digest(workspace, year, proposal.inputs_hash, "请重新生成修改稿")
        path, current = load_draft(workspace, year)
        doc = document.parse_document(current)
        if key not in doc.sections:
            raise InputError(f"草稿中已没有“{document.HEADINGS[key]}”这一部分的标题，修改稿无法放入。")
        now = doc.body(key)
        if now.strip() != proposal.base.strip() and not overwrite:
            raise SectionChanged(key, section_diff(proposal.base, now, "生成修改稿时", "现在"))
        body = proposal.text if edited is None else edited
        new_text = document.replace_section(current, key, body)
        how = "编辑后接受" if edited is not None and edited.strip() != proposal.text.strip() else "接受"
        workspace.write(path, new_text, command=f"{workspace.actor}：{how}“{document.HEADINGS[key]}”的修改稿")
        drafted = document.replace_section(current, key, proposal.text)
        write_provenance(workspace, year, proposal.backend, proposal.prompts, proposal.inputs_hash,
                         {key: proposal.completion}, drafted, proposal.completion.duration_s, proposal.findings)
    return path
