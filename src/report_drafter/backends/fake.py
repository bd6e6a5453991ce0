"""An in-process model for tests and demonstrations: answers from a script, streamed character by character.

Registered as backend "fake" like the real ones, so tests exercise the same drafting path:

    backend = FakeBackend(prompts, {"other": ["第一稿", "修改稿"]})
    backend.requests        # every request it was sent (section key → messages)
"""

from __future__ import annotations

from typing import Callable

from .base import ChatMessage, ChunkCallback, Completion, EmptyAnswer
from .model import ModelBackend

CHAT_KEY = "chat"


class FakeBackend(ModelBackend):
    name = "fake"

    def __init__(self, prompts=None, answers: dict[str, list[str]] | None = None):
        super().__init__(prompts)
        self.answers = {key: list(texts) for key, texts in (answers or {}).items()}
        self.requests: list[dict[str, list[ChatMessage]]] = []

    @property
    def model(self) -> str:
        return "fake"

    def enqueue(self, key: str, *texts: str) -> "FakeBackend":
        """Script the next answers for a section key ("chat" for chat turns)."""
        self.answers.setdefault(key, []).extend(texts)
        return self

    def answer(self, key: str, on_chunk: ChunkCallback | None) -> Completion:
        queue = self.answers.get(key) or []
        if not queue:
            raise EmptyAnswer("测试模型没有预先写好的回答。", key)
        text = queue.pop(0)
        for char in text:
            if on_chunk:
                on_chunk(key, char)
        return Completion(key, text, self.model, len(text), len(text), 0.0, "stop")

    def complete_many(self, requests: dict[str, list[ChatMessage]],
                      on_chunk: ChunkCallback | None = None) -> dict[str, Completion]:
        self.requests.append(requests)
        return {key: self.answer(key, on_chunk) for key in requests}

    def complete(self, messages: list[ChatMessage], on_chunk: Callable[[str], None] | None = None) -> Completion:
        self.requests.append({CHAT_KEY: messages})
        return self.answer(CHAT_KEY, (lambda _key, text: on_chunk(text)) if on_chunk else None)
