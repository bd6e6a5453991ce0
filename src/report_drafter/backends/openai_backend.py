"""Drafting with any OpenAI-compatible chat endpoint through langchain-openai's ChatOpenAI.

langchain and openai are imported only when a request is made, never at module import.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from typing import Any, Callable, Coroutine

from ..settings import ENV_BASE_URL, ENV_MODEL, FROM_FILE, ModelSettings, hide_secrets
from .answers import Reading, finish, fit, interrupted
from .base import (
    AuthenticationFailed, BackendError, ChatMessage, ChunkCallback, Completion, ConfigError, ContextOverflow,
    EndpointUnreachable,
    InterruptedAnswer, ModelNotFound, NoticeCallback, RateLimited, RequestRejected, RequestTimedOut, ServerFailed,
    combine_failures,
)
from .model import CHAT_LIMIT, ModelBackend, OutputLimit
from .server import ServerInfo, estimate_tokens, probe
from .waiting import TURN, Batch

PLACEHOLDER_KEY = "not-needed"  # local servers ignore the key, but the client insists on one
NO_CHUNKS = "No generation chunks were returned"  # langchain's error for an empty stream
SEQUENTIAL = "模型服务一次只处理一个请求，改为逐个起草"
SHORTENED = "提示词超出模型上下文长度，已略去上年度报告的原文"
OLLAMA_CONTEXT = (f"模型服务是 Ollama：它默认的上下文只有 2048–4096 个词元，会悄悄截断较长的提示词（“一”的提示词约 4000–8000 个词元）。"
                  f"请在 Ollama 中调大 num_ctx（如 OLLAMA_CONTEXT_LENGTH=16384），并在 {FROM_FILE} 的 [model] 中写明 context_tokens。")
MESSAGE_OVERHEAD = 8   # tokens a chat template adds around each message


class OpenAIBackend(ModelBackend):
    """Drafts sections concurrently against an OpenAI-compatible endpoint (or an injected chat model)."""

    name = "openai"

    def __init__(self, settings: ModelSettings, chat_model: Any = None, prompts=None):
        super().__init__(prompts)
        self.settings = settings
        self.chat_model = chat_model
        self.server: ServerInfo | None = None   # what a local server said about itself (asked once)
        self.one_at_a_time = False              # a server that interrupted concurrent streams
        self.warned = False                     # said once what the server's defaults mean
        if chat_model is None:
            check_usable(settings)

    @property
    def model(self) -> str:
        """The model name requests are sent for."""
        return self.settings.model or getattr(self.chat_model, "model_name", None) or "chat-model"

    def complete_many(self, requests: dict[str, list[ChatMessage]], on_chunk: ChunkCallback | None = None,
                      limits: dict[str, OutputLimit] | None = None,
                      on_notice: NoticeCallback | None = None) -> dict[str, Completion]:
        """Draft every request at once; stream new visible text to on_chunk(key, text)."""
        return run_sync(self.acomplete_many(requests, on_chunk, limits, on_notice))

    def complete(self, messages: list[ChatMessage], on_chunk: Callable[[str], None] | None = None,
                 on_notice: Callable[[str], None] | None = None) -> Completion:
        """One answer (for chat); on_chunk(text) gets the visible text as it arrives."""
        return run_sync(self.acomplete(messages, on_chunk, on_notice))

    async def acomplete(self, messages: list[ChatMessage], on_chunk: Callable[[str], None] | None = None,
                        on_notice: Callable[[str], None] | None = None) -> Completion:
        emit = (lambda _key, text: on_chunk(text)) if on_chunk else None
        notice = (lambda _key, message: on_notice(message)) if on_notice else None
        model = self.build_model()
        await self.learn_server()
        try:
            return await self.request(model, None, messages, emit, asyncio.Semaphore(1), self.batch(notice), CHAT_LIMIT)
        finally:
            await close_model(model, self.chat_model)

    async def acomplete_many(self, requests: dict[str, list[ChatMessage]], on_chunk: ChunkCallback | None = None,
                             limits: dict[str, OutputLimit] | None = None,
                             on_notice: NoticeCallback | None = None) -> dict[str, Completion]:
        """All requests in flight together (up to settings.concurrency); errors after all have ended."""
        if not requests:
            return {}
        limits = limits or {}
        model = self.build_model()
        await self.learn_server()
        batch = self.batch(on_notice)
        if self.server.kind == "ollama" and not self.settings.context_tokens and not self.warned:
            self.warned = True
            batch.notice("", OLLAMA_CONTEXT)
        try:
            slots = asyncio.Semaphore(self.concurrency())
            results = dict(zip(requests, await asyncio.gather(
                *(self.request(model, key, messages, on_chunk, slots, batch, limits.get(key))
                  for key, messages in requests.items()),
                return_exceptions=True)))
            cut = [k for k, r in results.items() if isinstance(r, InterruptedAnswer)]
            if cut and self.concurrency() > 1:   # the server broke off streams to serve another: one at a time now
                self.one_at_a_time = True
                for key in cut:
                    batch.notice(key, SEQUENTIAL)
                one = asyncio.Semaphore(1)
                for key in cut:
                    try:
                        results[key] = await self.request(model, key, requests[key], on_chunk, one, batch, limits.get(key))
                    except BackendError as exc:
                        results[key] = exc
        finally:
            await close_model(model, self.chat_model)
        return gathered(results)

    def concurrency(self) -> int:
        """Requests in flight at once: one for a server that serves one at a time (stated, reported or seen)."""
        s = self.settings
        if self.one_at_a_time:
            return 1
        if s.concurrency is None and self.server and self.server.slots:
            return min(self.server.slots, s.effective_concurrency if not s.is_local else self.server.slots)
        return s.effective_concurrency

    async def learn_server(self) -> None:
        """Ask a local server for its context size and slots, once (an injected model is not asked)."""
        if self.server is None:
            local = self.chat_model is None and self.settings.is_local
            self.server = await probe(self.settings.effective_base_url) if local else ServerInfo()

    @property
    def context_tokens(self) -> int | None:
        return self.settings.context_tokens or (self.server.context_tokens if self.server else None)

    def batch(self, on_notice: NoticeCallback | None) -> Batch:
        s = self.settings
        return Batch(s.effective_base_url, s.first_token_timeout, s.timeout, on_notice)

    def build_model(self) -> Any:
        """The injected chat model, or a fresh ChatOpenAI (its HTTP client belongs to this event loop)."""
        return self.chat_model if self.chat_model is not None else build_chat_openai(self.settings)

    def output_limit(self, default: OutputLimit | None) -> OutputLimit | None:
        """The clerk's max_tokens when set, else the section's default (None: the server decides)."""
        if self.settings.max_tokens:
            return OutputLimit(self.settings.max_tokens)
        return default

    async def request(self, model: Any, key: str | None, messages: list[ChatMessage],
                      on_chunk: ChunkCallback | None, slots: asyncio.Semaphore, batch: Batch,
                      default_limit: OutputLimit | None) -> Completion:
        if slots.locked() and key is not None:
            batch.notice(key, TURN)
        async with slots:
            started = time.monotonic()
            lc_messages = to_langchain(messages)
            prompt_tokens = prompt_size(messages)
            try:
                output_limit = fit(key, prompt_tokens, self.output_limit(default_limit), self.context_tokens)
            except ContextOverflow:
                if key not in self.shorter:
                    raise
                messages = self.shorter[key]()   # without last year's prose, or refused with the reason
                prompt_tokens = prompt_size(messages)
                output_limit = fit(key, prompt_tokens, self.output_limit(default_limit), self.context_tokens)
                batch.notice(key, SHORTENED)
                lc_messages = to_langchain(messages)
            options = self.limit_options(output_limit)
            reading = Reading(key, on_chunk, batch.watch(key))
            if self.settings.stream:
                await self.stream(model, lc_messages, options, reading)
            else:
                await self.invoke(model, lc_messages, options, reading)
            if self.settings.stream and self.chat_model is None and reading.broken_off():
                raise interrupted(key, self.settings.effective_base_url, self.concurrency())
            completion = finish(key, reading, self.model_label(model), time.monotonic() - started, output_limit,
                                prompt_tokens, self.context_tokens)
            reading.watch.done()
            return completion

    def limit_options(self, limit: OutputLimit | None) -> dict:
        """The output limit in the field the server reads (langchain itself sends only max_completion_tokens)."""
        if limit is None:
            return {}
        if self.settings.effective_limit_field == "max_tokens":
            return {"extra_body": {"max_tokens": limit.tokens}}
        return {"max_tokens": limit.tokens}

    async def stream(self, model: Any, lc_messages: list, options: dict, reading: "Reading") -> None:
        chunks = model.astream(lc_messages, **options).__aiter__()
        received = 0
        try:
            while True:
                try:
                    chunk = await reading.watch.wait(chunks.__anext__())
                except StopAsyncIteration:
                    break
                except BackendError:
                    raise
                except Exception as exc:
                    if str(exc) == NO_CHUNKS:
                        break
                    raise translate(exc, self.settings, reading.key) from exc
                received += 1
                text = content_text(chunk.content)
                if text or received > 1:  # a first empty chunk only announces the role; later ones carry reasoning
                    reading.watch.output(len(text))
                reading.collected.note(chunk)
                reading.add(text)
        finally:
            await chunks.aclose()
        reading.end()

    async def invoke(self, model: Any, lc_messages: list, options: dict, reading: "Reading") -> None:
        try:
            message = await reading.watch.wait(model.ainvoke(lc_messages, **options))
        except BackendError:
            raise
        except Exception as exc:
            raise translate(exc, self.settings, reading.key) from exc
        text = content_text(message.content)
        reading.watch.output(len(text))
        reading.collected.note(message)
        reading.add(text)
        reading.end()

    def model_label(self, model: Any) -> str:
        """The model name to report when the server names none."""
        if self.chat_model is None:
            return self.settings.model or ""
        return str(getattr(model, "model_name", None) or getattr(model, "model", None)
                   or getattr(model, "_llm_type", ""))


def gathered(results: dict[str, Any]) -> dict[str, Completion]:
    """Completions by key; raise the combined error if any section failed, any other error as is."""
    for result in results.values():
        if isinstance(result, BaseException) and not isinstance(result, BackendError):
            raise result
    failures = {k: r for k, r in results.items() if isinstance(r, BackendError)}
    completions = {k: r for k, r in results.items() if isinstance(r, Completion)}
    if failures:
        raise combine_failures(failures, completions)
    return completions


def prompt_size(messages: list[ChatMessage]) -> int:
    """Tokens the messages cost, estimated (the server counts only after it has them)."""
    return sum(estimate_tokens(m.content) + MESSAGE_OVERHEAD for m in messages)


def check_usable(settings: ModelSettings) -> None:
    """Refuse early, with a clear message, settings that cannot reach any model."""
    if settings.api_key is None and not settings.base_url:
        raise ConfigError(f"未设置模型服务：请设置环境变量 {settings.api_key_env}（使用 OpenAI），"
                          f"或 {ENV_BASE_URL} / {FROM_FILE} 的 [model] base_url（其他兼容服务）。")
    if not settings.model:
        raise ConfigError(f"未设置模型名称：请设置环境变量 {ENV_MODEL}，"
                          f"或在 {FROM_FILE} 的 [model] 中写 name = \"模型名称\"。")


def build_chat_openai(settings: ModelSettings) -> Any:
    """A ChatOpenAI for these settings (imports langchain-openai on first use)."""
    import openai
    from langchain_openai import ChatOpenAI

    key = settings.api_key.get_secret_value() if settings.api_key else PLACEHOLDER_KEY
    # An httpx Timeout object (unhashable) makes ChatOpenAI build its own HTTP client instead of
    # a process-wide cached one, which would be bound to an event loop that asyncio.run has closed.
    # Reading has no limit here: waiting.py times the first output and the gaps after it itself
    # (a queued request must not time out, nor be retried, while the server serves another).
    timeout = openai.Timeout(None, connect=min(settings.timeout, 10.0))
    return ChatOpenAI(
        model=settings.model, base_url=settings.effective_base_url, api_key=key,
        timeout=timeout, max_retries=settings.max_retries, temperature=settings.temperature,
        stream_usage=True, use_responses_api=False,   # output limits go with each request (limit_options)
        stream_chunk_timeout=None,
    )


async def close_model(model: Any, injected: Any) -> None:
    """Close the HTTP client of a ChatOpenAI built for one run (injected models are left alone)."""
    if model is injected:
        return
    client = getattr(model, "root_async_client", None)
    if client is not None:
        await client.close()


def to_langchain(messages: list[ChatMessage]) -> list:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m.role](content=m.content) for m in messages]


def content_text(content: Any) -> str:
    """The answer text of a message's content (text blocks only: reasoning blocks are skipped)."""
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


def run_sync(coroutine: Coroutine) -> Any:
    """Run a coroutine to the end from sync code (in a helper thread if a loop is already running)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def translate(exc: BaseException, settings: ModelSettings, key: str | None) -> BackendError:
    """Turn a client exception into a BackendError with a Chinese explanation."""
    import openai
    from langchain_core import exceptions as lc

    url, retries = settings.effective_base_url, settings.max_retries
    tried = f"，已重试 {retries} 次" if retries else ""
    if isinstance(exc, (openai.APITimeoutError, lc.ModelTimeoutError, TimeoutError)):
        return RequestTimedOut(f"等待模型服务 {url} 响应超时（连接限时 {min(settings.timeout, 10.0):g} 秒{tried}）。"
                               f"可在 {FROM_FILE} 的 [model] 中调大 timeout，或检查服务是否过载。", key)
    if isinstance(exc, (openai.APIConnectionError, lc.ModelConnectionError)):
        return EndpointUnreachable(
            f"无法连接模型服务 {url}{f'（已重试 {retries} 次）' if retries else ''}。"
            "请确认服务已启动、地址正确：地址用环境变量 OPENAI_BASE_URL 或 "
            f"{FROM_FILE} 的 [model] base_url 设置；运行 drafter config show 可查看当前设置。", key)
    status = getattr(exc, "status_code", None)
    server_says = server_message(exc)
    if status in (401, 403) or isinstance(exc, (lc.ModelAuthenticationError, lc.ModelPermissionDeniedError)):
        return AuthenticationFailed(
            f"模型服务 {url} 拒绝了 API 密钥（HTTP {status}）：密钥错误、失效或无权使用该模型。"
            f"请检查环境变量 {settings.api_key_env}（当前 {settings.masked_key}）。{server_says}", key)
    if status == 404 or isinstance(exc, lc.ModelNotFoundError) or (status == 400 and mentions_missing_model(exc)):
        return ModelNotFound(
            f"模型服务 {url} 找不到模型“{settings.model}”（HTTP {status}）。请检查模型名称"
            f"（环境变量 {ENV_MODEL} 或 {FROM_FILE} 的 [model] name）；"
            f"也可能是地址不对，兼容 OpenAI 的地址通常以 /v1 结尾。{server_says}", key)
    if status == 429 or isinstance(exc, lc.ModelRateLimitError):
        return RateLimited(f"模型服务限流或额度不足（HTTP 429{tried}）。请稍后再试，"
                           f"或在 {FROM_FILE} 的 [model] 中调小 concurrency。{server_says}", key)
    if (status or 0) >= 500 or isinstance(exc, lc.ModelAPIError):
        return ServerFailed(f"模型服务 {url} 出错（HTTP {status}{tried}）。请稍后再试。{server_says}", key)
    if status:
        return RequestRejected(f"模型服务 {url} 拒绝了请求（HTTP {status}）。{server_says}", key)
    return BackendError(f"调用模型服务 {url} 失败：{type(exc).__name__}: {hide_secrets(str(exc))}", key)


def server_message(exc: BaseException) -> str:
    """The server's own error text, shortened, for the end of a message."""
    body = getattr(exc, "body", None)
    text = body.get("message") if isinstance(body, dict) else None
    text = hide_secrets(str(text or getattr(exc, "message", "") or "").strip())
    return f"服务返回：{text[:200]}" if text else ""


def mentions_missing_model(exc: BaseException) -> bool:
    text = server_message(exc).lower()
    return "model" in text and any(word in text for word in ("not exist", "not found", "does not", "unknown"))
