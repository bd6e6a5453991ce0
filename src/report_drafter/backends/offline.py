"""The offline backend: prose composed from facts and notes through jinja2 prose templates.

Deterministic, instant and network-free; every number it writes comes from the facts or notes.
It cannot take an instruction, repair a finding or chat: those need a model.
"""

from __future__ import annotations

import time

from .base import ChatMessage, ChunkCallback, Completion, NeedsModel

OFFLINE_TEMPLATES = {"overview": "offline_overview.j2", "problems": "offline_problems.j2", "other": "offline_other.j2"}


def paragraphs(text: str) -> str:
    """One blank line between paragraphs, whatever whitespace the template left."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


class OfflineBackend:
    name = "offline"
    model = "offline"
    follows_instructions = False

    def __init__(self, prompts):
        self.prompts = prompts

    def templates(self) -> list[str]:
        return sorted({*OFFLINE_TEMPLATES.values(), "preamble.j2"})

    def draft(self, contexts: dict[str, dict], on_chunk: ChunkCallback | None = None,
              on_notice=None) -> dict[str, Completion]:
        return {key: self.compose(key, context) for key, context in contexts.items()}

    def compose(self, key: str, context: dict) -> Completion:
        """One section's prose from its offline template."""
        start = time.perf_counter()
        text = paragraphs(self.prompts.render(OFFLINE_TEMPLATES[key], context))
        return Completion(key, text, self.model, None, None, time.perf_counter() - start, "stop")

    def repair(self, contexts: dict[str, dict], drafts: dict[str, str], requests: dict[str, str],
               on_chunk: ChunkCallback | None = None, on_notice=None) -> dict[str, Completion]:
        raise NeedsModel("按核对结果修改草稿")

    def complete(self, messages: list[ChatMessage], on_chunk=None, on_notice=None) -> Completion:
        raise NeedsModel()
