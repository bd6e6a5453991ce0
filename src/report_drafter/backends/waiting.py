"""How long to wait for a model: a queued request may wait minutes for its first output, a stream
that stops midway is stalled.

A local server (llama.cpp, Ollama by default) answers one request at a time, so sections sent
together queue behind each other. A section still waiting for its first output fails only when
neither it nor any other section of the same run has received anything for `first_token_timeout`
seconds: while the server works on one section, the others wait their turn and say so
(排队等待模型服务). Once its output has begun, a section fails when nothing more arrives for
`timeout` seconds.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable

from ..settings import FROM_FILE
from .base import FirstTokenTimedOut, StreamStalled

QUEUED = "排队等待模型服务"
READING = "模型正在读取提示词"     # sent alone, nothing back yet: the server is working on it, not queueing it
TURN = "等待前面的部分完成"       # not sent yet: the server takes one request at a time
RECEIVING = "正在接收"
DONE = "完成"
ROUTINE = (RECEIVING, DONE)   # statuses a line-by-line display may leave out
QUEUE_NOTICE_AFTER = 10.0   # seconds without output, alone, before a request is said to be queued
POLL = 0.25                 # seconds between looks at the clock while waiting
GRACE = 0.1                 # seconds of a last look after a deadline

Notice = Callable[[str | None, str], None]


class Batch:
    """The requests of one run, sent together to one server."""

    def __init__(self, url: str, first_token_timeout: float, timeout: float, on_notice: Notice | None = None):
        self.url = url
        self.first_token_timeout = first_token_timeout
        self.timeout = timeout
        self.on_notice = on_notice
        self.last_output = time.monotonic()
        self.watches: list[Watch] = []

    def watch(self, key: str | None) -> "Watch":
        """Start watching one request, sent now."""
        watch = Watch(self, key)
        self.watches.append(watch)
        return watch

    def notice(self, key: str | None, message: str) -> None:
        if self.on_notice:
            self.on_notice(key, message)


class Watch:
    """One request's clock: waiting for its first output, then for each next piece."""

    def __init__(self, batch: Batch, key: str | None):
        self.batch, self.key = batch, key
        self.sent = self.last = time.monotonic()
        self.started = False
        self.finished = False
        self.first_at: float | None = None   # when the first output arrived
        self.chars = 0
        self.queued = False   # told the person it waits in the server's queue

    def output(self, chars: int = 0) -> None:
        """Something arrived (text, reasoning, or the whole answer)."""
        self.last = self.batch.last_output = time.monotonic()
        self.chars += chars
        if not self.started:
            self.started = True
            self.first_at = self.last
            if self.queued:
                self.batch.notice(self.key, RECEIVING)

    def done(self) -> None:
        """The answer is complete (and passed its checks)."""
        self.finished = True
        self.batch.notice(self.key, DONE)

    def deadline(self) -> float:
        if self.started:
            return self.last + self.batch.timeout
        return max(self.sent, self.batch.last_output) + self.batch.first_token_timeout

    def idle(self) -> None:
        """Still waiting: say it is queued once another section is served first, or after a while."""
        if self.started or self.queued:
            return
        served_first = self.batch.last_output > self.sent   # another request got output while this one waits
        in_flight = any(not w.finished for w in self.batch.watches if w is not self)
        if served_first or time.monotonic() - self.sent >= QUEUE_NOTICE_AFTER:
            self.queued = True
            self.batch.notice(self.key, QUEUED if served_first or in_flight else READING)

    async def wait(self, awaitable: Awaitable) -> Any:
        """The awaitable's result, or FirstTokenTimedOut / StreamStalled when it takes too long."""
        task = asyncio.ensure_future(awaitable)
        try:
            while True:
                remaining = self.deadline() - time.monotonic()
                # past the deadline, look once more (GRACE): what arrived while this process was busy is no stall
                done, _ = await asyncio.wait({task}, timeout=min(max(remaining, GRACE), POLL))
                if done:
                    return task.result()
                if time.monotonic() >= self.deadline():
                    raise self.timed_out()
                self.idle()
        finally:
            if not task.done():
                task.cancel()
                try:
                    await task
                except (asyncio.CancelledError, Exception):  # how the abandoned request ended is of no interest
                    pass

    def timed_out(self) -> Exception:
        b = self.batch
        if self.started:
            return StreamStalled(
                f"模型服务 {b.url} 输出中途停顿超过 {b.timeout:g} 秒（已收到约 {self.chars} 字），结果不完整。"
                f"可在 {FROM_FILE} 的 [model] 中调大 timeout，或检查服务是否过载、是否仍在运行。", self.key)
        return FirstTokenTimedOut(
            f"等待模型服务 {b.url} 开始输出超过 {b.first_token_timeout:g} 秒，期间没有任何部分收到输出。"
            "服务可能在处理其他请求（本地服务通常一次只处理一个请求），或已停止响应。"
            f"可在 {FROM_FILE} 的 [model] 中调大 first_token_timeout，或检查服务是否仍在运行。", self.key)
