"""An in-process model for tests and demonstrations: answers from a script, streamed character by character.

Registered as backend "fake" like the real ones, so tests exercise the same drafting path:

    backend = FakeBackend(prompts, {"other": ["第一稿", "修改稿"]})
    backend.enqueue("problems", TruncatedAnswer("……"))   # that section fails (others still answer)
    backend.enqueue("overview", KeyboardInterrupt())      # the clerk presses Ctrl-C
    backend.requests        # every request it was sent (section key → messages)
"""

from __future__ import annotations

from typing import Callable

from .base import BackendError, ChatMessage, ChunkCallback, Completion, EmptyAnswer, NoticeCallback, combine_failures
from .model import ModelBackend, OutputLimit

CHAT_KEY = "chat"
Answer = str | BaseException


class FakeBackend(ModelBackend):
    name = "fake"

    def __init__(self, prompts=None, answers: dict[str, list[Answer]] | None = None):
        super().__init__(prompts)
        self.answers = {key: list(texts) for key, texts in (answers or {}).items()}
        self.requests: list[dict[str, list[ChatMessage]]] = []
        self.limits_sent: list[dict[str, OutputLimit]] = []

    @property
    def model(self) -> str:
        return "fake"

    def enqueue(self, key: str, *answers: Answer) -> "FakeBackend":
        """Script the next answers for a section key ("chat" for chat turns): a text, or an exception to raise."""
        self.answers.setdefault(key, []).extend(answers)
        return self

    def answer(self, key: str, on_chunk: ChunkCallback | None) -> Completion:
        queue = self.answers.get(key) or []
        if not queue:
            raise EmptyAnswer("测试模型没有预先写好的回答。", key)
        answer = queue.pop(0)
        if isinstance(answer, BackendError) and answer.key is None:
            answer.key = key
        if isinstance(answer, BaseException):
            raise answer
        for char in answer:
            if on_chunk:
                on_chunk(key, char)
        return Completion(key, answer, self.model, len(answer), len(answer), 0.0, "stop")

    def complete_many(self, requests: dict[str, list[ChatMessage]], on_chunk: ChunkCallback | None = None,
                      limits: dict[str, OutputLimit] | None = None,
                      on_notice: NoticeCallback | None = None) -> dict[str, Completion]:
        """Every section answered; failed ones raised together afterwards, as the real backend does."""
        self.requests.append(requests)
        self.limits_sent.append(dict(limits or {}))
        completions, failures = {}, {}
        for key in requests:
            try:
                completions[key] = self.answer(key, on_chunk)
            except BackendError as exc:
                failures[key] = exc
        if failures:
            raise combine_failures(failures, completions)
        return completions

    def complete(self, messages: list[ChatMessage], on_chunk: Callable[[str], None] | None = None,
                 on_notice: Callable[[str], None] | None = None) -> Completion:
        self.requests.append({CHAT_KEY: messages})
        return self.answer(CHAT_KEY, (lambda _key, text: on_chunk(text)) if on_chunk else None)
