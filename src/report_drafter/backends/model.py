"""What every model backend shares: section prompts rendered from the templates, repair turns."""

from __future__ import annotations

from typing import Callable

from .base import ChatMessage, ChunkCallback, Completion

SECTION_TEMPLATES = {"overview": "overview.j2", "problems": "problems.j2", "other": "other.j2"}
SYSTEM_TEMPLATE = "system.j2"


class ModelBackend:
    """A backend that drafts by sending rendered prompts to a chat model; subclasses provide the transport."""

    name = "model"
    follows_instructions = True

    def __init__(self, prompts=None):
        self.prompts = prompts

    @property
    def model(self) -> str:
        return self.name

    def templates(self) -> list[str]:
        return sorted({*SECTION_TEMPLATES.values(), SYSTEM_TEMPLATE, "preamble.j2"})

    def messages(self, key: str, context: dict) -> list[ChatMessage]:
        """System and user messages for one section, rendered before any request is sent."""
        return [ChatMessage("system", self.prompts.render(SYSTEM_TEMPLATE, context)),
                ChatMessage("user", self.prompts.render(SECTION_TEMPLATES[key], context))]

    def draft(self, contexts: dict[str, dict], on_chunk: ChunkCallback | None = None) -> dict[str, Completion]:
        requests = {key: self.messages(key, context) for key, context in contexts.items()}
        return self.complete_many(requests, on_chunk)

    def repair(self, contexts: dict[str, dict], drafts: dict[str, str], requests: dict[str, str],
               on_chunk: ChunkCallback | None = None) -> dict[str, Completion]:
        turns = {key: [*self.messages(key, contexts[key]), ChatMessage("assistant", drafts[key]),
                       ChatMessage("user", requests[key])] for key in requests}
        return self.complete_many(turns, on_chunk)

    def complete_many(self, requests: dict[str, list[ChatMessage]],
                      on_chunk: ChunkCallback | None = None) -> dict[str, Completion]:
        raise NotImplementedError

    def complete(self, messages: list[ChatMessage], on_chunk: Callable[[str], None] | None = None) -> Completion:
        raise NotImplementedError
