"""What every model backend shares: section prompts rendered from the templates, repair turns,
and each section's output limit.

Output limits: unless the clerk sets max_tokens, each section may use 2 tokens per character of
its length target (Chinese runs 0.6–1.5 tokens a character, depending on the tokenizer) plus 2048
tokens for reasoning a thinking model writes first: “一” is held to [check] overview_max_chars
(1000 字 → 4048 tokens), “五” to 1000 字 (4048), “六” to 800 字 (3648). A looping model is stopped
long before that (see repetition.py); the limit is the backstop for one that rambles on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

from .base import ChatMessage, ChunkCallback, Completion, NoticeCallback

SECTION_TEMPLATES = {"overview": "overview.j2", "problems": "problems.j2", "other": "other.j2"}
SYSTEM_TEMPLATE = "system.j2"

SECTION_CHARS = {"overview": 1000, "problems": 1000, "other": 800}   # length targets in 字
TOKENS_PER_CHAR = 2
REASONING_TOKENS = 2048


OPTIONAL = {"prior_sections": {"overview": "", "problems": "", "other": ""}}   # last year's prose: what a prompt can do without


def without_optional(context: dict) -> dict:
    """A section's template variables without the material it can do without (OPTIONAL)."""
    return {**context, **OPTIONAL}


@dataclass(frozen=True)
class OutputLimit:
    """The max_tokens of one request and why (for the message when an answer runs into it)."""

    tokens: int
    chars: int | None = None   # the section's length target, when the limit was derived from it
    fitted: bool = False       # lowered to fit the server's context


CHAT_LIMIT = OutputLimit(max(SECTION_CHARS.values()) * TOKENS_PER_CHAR + REASONING_TOKENS)   # one chat answer


def section_limit(key: str, context: dict) -> OutputLimit | None:
    """The default output limit of a section (None for anything that is not a report section)."""
    if key not in SECTION_CHARS:
        return None
    chars = SECTION_CHARS[key]
    if key == "overview":
        chars = context.get("max_chars") or chars
    return OutputLimit(chars * TOKENS_PER_CHAR + REASONING_TOKENS, chars)


class ModelBackend:
    """A backend that drafts by sending rendered prompts to a chat model; subclasses provide the transport."""

    name = "model"
    follows_instructions = True

    def __init__(self, prompts=None):
        self.prompts = prompts
        # per section of the current call: its messages without optional material, for a prompt too long to fit
        self.shorter: dict[str, Callable[[], list[ChatMessage]]] = {}

    @property
    def model(self) -> str:
        return self.name

    def templates(self) -> list[str]:
        return sorted({*SECTION_TEMPLATES.values(), SYSTEM_TEMPLATE, "preamble.j2"})

    def messages(self, key: str, context: dict) -> list[ChatMessage]:
        """System and user messages for one section, rendered before any request is sent."""
        return [ChatMessage("system", self.prompts.render(SYSTEM_TEMPLATE, context)),
                ChatMessage("user", self.prompts.render(SECTION_TEMPLATES[key], context))]

    def draft(self, contexts: dict[str, dict], on_chunk: ChunkCallback | None = None,
              on_notice: NoticeCallback | None = None) -> dict[str, Completion]:
        requests = {key: self.messages(key, context) for key, context in contexts.items()}
        self.shorter = {key: partial(self.messages, key, without_optional(context)) for key, context in contexts.items()}
        return self.complete_many(requests, on_chunk, self.limits(contexts), on_notice)

    def repair(self, contexts: dict[str, dict], drafts: dict[str, str], requests: dict[str, str],
               on_chunk: ChunkCallback | None = None, on_notice: NoticeCallback | None = None) -> dict[str, Completion]:
        def turn(key: str, context: dict) -> list[ChatMessage]:
            return [*self.messages(key, context), ChatMessage("assistant", drafts[key]), ChatMessage("user", requests[key])]

        turns = {key: turn(key, contexts[key]) for key in requests}
        self.shorter = {key: partial(turn, key, without_optional(contexts[key])) for key in requests}
        return self.complete_many(turns, on_chunk, self.limits({k: contexts[k] for k in requests}), on_notice)

    def limits(self, contexts: dict[str, dict]) -> dict[str, OutputLimit]:
        found = {key: section_limit(key, context) for key, context in contexts.items()}
        return {key: limit for key, limit in found.items() if limit is not None}

    def complete_many(self, requests: dict[str, list[ChatMessage]], on_chunk: ChunkCallback | None = None,
                      limits: dict[str, OutputLimit] | None = None,
                      on_notice: NoticeCallback | None = None) -> dict[str, Completion]:
        raise NotImplementedError

    def complete(self, messages: list[ChatMessage], on_chunk: Callable[[str], None] | None = None,
                 on_notice: Callable[[str], None] | None = None) -> Completion:
        raise NotImplementedError
