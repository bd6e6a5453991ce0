"""One answer as it arrives (reasoning filtered, loops caught) and how it ended: finished, cut at a
limit or the context, broken off by the server, empty; with its usage, reported or estimated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..settings import FROM_FILE
from .base import (
    ChunkCallback, Completion, ContentFiltered, ContextOverflow, EmptyAnswer, InterruptedAnswer, RepeatingAnswer,
    TruncatedAnswer,
)
from .model import OutputLimit
from .repetition import Loop, RepeatDetector
from .server import estimate_tokens
from .thinking import ThinkFilter, clean_answer
from .waiting import Watch

CHAT_KEY = "chat"


@dataclass
class Collected:
    """What one request produced, before it is checked."""

    parts: list[str] = field(default_factory=list)
    finish_reason: str | None = None
    model: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None

    def add_usage(self, usage: Any) -> None:
        if not usage:
            return
        self.input_tokens = (self.input_tokens or 0) + int(usage.get("input_tokens") or 0)
        self.output_tokens = (self.output_tokens or 0) + int(usage.get("output_tokens") or 0)

    def note(self, message: Any) -> None:
        """Take finish reason, model name and usage from a message or chunk."""
        metadata = getattr(message, "response_metadata", None) or {}
        self.finish_reason = metadata.get("finish_reason") or self.finish_reason
        self.model = metadata.get("model_name") or metadata.get("model") or self.model
        self.add_usage(getattr(message, "usage_metadata", None))


class Reading:
    """One answer as it arrives: reasoning filtered out, visible text streamed on, loops caught."""

    def __init__(self, key: str | None, on_chunk: ChunkCallback | None, watch: Watch):
        self.key, self.on_chunk, self.watch = key, on_chunk, watch
        self.collected = Collected()
        self.think = ThinkFilter()
        self.repeats = RepeatDetector()

    def broken_off(self) -> bool:
        """Ended without a finish reason and without any text: what llama-cpp-python's server sends when it
        interrupts a stream for another request. (Text without a finish reason is taken as it is: some
        servers never send one.)"""
        return self.collected.finish_reason is None and not "".join(self.collected.parts).strip()

    def add(self, raw: str) -> None:
        self.show(self.think.feed(raw))

    def end(self) -> None:
        self.show(self.think.finish())
        loop = self.repeats.check()
        if loop:
            raise repeating(loop, self.key)

    def show(self, text: str) -> None:
        if not text:
            return
        self.collected.parts.append(text)
        if self.on_chunk:
            self.on_chunk(self.key or CHAT_KEY, text)
        loop = self.repeats.feed(text)
        if loop:  # stop now: the rest would be more of the same, and a queued section is waiting
            raise repeating(loop, self.key)


def repeating(loop: Loop, key: str | None) -> RepeatingAnswer:
    return RepeatingAnswer(
        f"模型输出陷入重复（“{loop.excerpt()}”连续出现 {loop.copies} 次），已提前停止，结果不可用。"
        f"请重新起草；如反复出现，可在 {FROM_FILE} 的 [model] 中把 temperature 调高一些（如 0.7），"
        "或在模型服务端开启重复惩罚（repeat penalty），或换用其他模型。", key)


def finish(key: str | None, reading: Reading, model: str, duration: float, limit: OutputLimit | None,
           prompt_tokens: int = 0, context: int | None = None) -> Completion:
    """Check the answer (length cut, filter, empty) and build the Completion (usage estimated when none came)."""
    collected = reading.collected
    if collected.finish_reason == "length":
        used = (collected.input_tokens or prompt_tokens) + (collected.output_tokens or 0)
        if context and used >= context * 0.95:
            raise ContextOverflow(
                f"提示词和输出合计约 {used} 个词元，达到了模型服务的上下文长度（{context} 个词元），输出被截断。"
                f"请在模型服务端调大上下文长度（llama.cpp 的 --n_ctx / -c，Ollama 的 num_ctx），"
                f"或在 {FROM_FILE} 的 [model] 中写明 context_tokens，drafter 会先压缩提示词或在发送前说明。", key)
        raise truncated(key, limit, bool("".join(collected.parts).strip()), collected.output_tokens)
    if collected.finish_reason == "content_filter":
        raise ContentFiltered("模型服务的内容过滤中止了输出（finish_reason=content_filter）。", key)
    text = clean_answer("".join(collected.parts))
    if not text:
        raise EmptyAnswer("模型返回了空白内容（没有正文，或只有思考过程）。请重试，或换用其他模型。", key)
    estimated = collected.input_tokens is None and collected.output_tokens is None
    if estimated:
        collected.input_tokens, collected.output_tokens = prompt_tokens, estimate_tokens("".join(collected.parts))
    watch = reading.watch
    return Completion(key=key or CHAT_KEY, text=text, model=collected.model or model,
                      input_tokens=collected.input_tokens, output_tokens=collected.output_tokens,
                      duration_s=duration, finish_reason=collected.finish_reason, usage_estimated=estimated,
                      first_token_s=watch.first_at - watch.sent if watch.first_at else None)


def fit(key: str | None, prompt_tokens: int, limit: OutputLimit | None, context: int | None) -> OutputLimit | None:
    """The output limit made to fit the server's context, or ContextOverflow before anything is sent."""
    if not context:
        return limit
    room = context - prompt_tokens
    needed = limit.chars if limit and limit.chars else min(limit.tokens if limit else 256, 256)
    if room < needed:
        raise ContextOverflow(
            f"提示词约 {prompt_tokens} 个词元，模型服务的上下文长度为 {context} 个词元，只剩约 {max(room, 0)} 个词元"
            f"可用于输出（本部分至少需要约 {needed} 个），没有发送请求。请在模型服务端调大上下文长度"
            f"（llama.cpp 的 --n_ctx / -c，Ollama 的 num_ctx），并相应修改 {FROM_FILE} [model] context_tokens；"
            "或精简 notes.md 中本部分用不到的内容。", key)
    if limit is None or limit.tokens > room:
        return OutputLimit(room, limit.chars if limit else None, fitted=True)
    return limit


def interrupted(key: str | None, url: str, concurrency: int) -> InterruptedAnswer:
    """The stream ended without a finish reason and without text: the server broke it off."""
    what = "还没有输出正文就"
    why = ("drafter 已改为逐个发送，仍被中断，可能有其他程序同时在使用该服务" if concurrency <= 1
           else "服务同时收到了其他请求")
    return InterruptedAnswer(
        f"模型服务 {url} {what}中断了输出（流结束时没有 finish_reason）：{why}。这不是模型的回答。"
        "llama-cpp-python 的服务一次只处理一个请求，默认会中断正在输出的请求去处理新的请求；"
        f"可用 --interrupt_requests False 启动服务，并在 {FROM_FILE} 的 [model] 中设置 concurrency = 1，然后重新起草。", key)


def truncated(key: str | None, limit: OutputLimit | None, any_text: bool,
              output_tokens: int | None = None) -> TruncatedAnswer:
    """Say which limit the answer ran into and how to raise it."""
    if limit is not None and output_tokens is not None and output_tokens < limit.tokens * 0.9:
        which = f"模型服务的上下文长度（只输出了 {output_tokens} 个词元，远未到本部分的上限 {limit.tokens}）"
        fix = ("请在模型服务端调大上下文长度（llama.cpp 的 --n_ctx / -c，Ollama 的 num_ctx），"
               f"并在 {FROM_FILE} 的 [model] 中写明 context_tokens。")
    elif limit is None:
        which = "模型服务的输出长度上限"
        fix = f"可在 {FROM_FILE} 的 [model] 中设置 max_tokens，或检查模型服务的最大输出长度、上下文长度设置。"
    elif limit.chars is None:
        which = f"设置的输出上限（max_tokens = {limit.tokens}）"
        fix = f"可在 {FROM_FILE} 的 [model] 中调大 max_tokens，或检查模型服务的上下文长度设置。"
    else:
        which = f"本部分的输出上限（{limit.tokens} 个词元，按约 {limit.chars} 字的篇幅另加思考过程的余量设定）"
        fix = (f"篇幅远超要求的回答通常是模型没有按要求写作，可重新起草；如模型确需更长的输出（如思考过程很长），"
               f"可在 {FROM_FILE} 的 [model] 中设置 max_tokens。")
    thinking = "模型还没有写出正文（思考过程就用完了上限）。" if not any_text else ""
    return TruncatedAnswer(f"模型输出达到{which}被截断（finish_reason=length），结果不完整。{thinking}{fix}", key)
