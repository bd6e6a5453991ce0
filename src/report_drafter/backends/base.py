"""What every drafting backend shares: messages, completions, errors (no langchain here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Literal, Protocol

from ..errors import DrafterError
ChunkCallback = Callable[[str, str], None]  # (section key, new visible text)
NoticeCallback = Callable[[str, str], None]  # (section key, short status such as 排队等待模型服务)


@dataclass
class ChatMessage:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass
class Completion:
    """One finished answer: reasoning removed, with the token usage the server reported."""

    key: str
    text: str
    model: str
    input_tokens: int | None
    output_tokens: int | None
    duration_s: float
    finish_reason: str | None
    usage_estimated: bool = False          # tokens counted from the text: the server reported none
    first_token_s: float | None = None     # seconds from sending to the first output (queueing included)


class Backend(Protocol):
    """What drafting, repair and chat ask of a backend (offline templates, a model, a test fake).

    `contexts` are the template variables of each section (see services.context); a backend turns
    them into prose its own way. `follows_instructions` is False for a backend that cannot take
    an instruction, repair what the checker found, or chat (the offline templates).
    """

    name: str
    model: str
    follows_instructions: bool

    def templates(self) -> list[str]:
        """The prompt templates its drafts depend on (recorded in the draft's provenance)."""
        ...

    def draft(self, contexts: dict[str, dict], on_chunk: ChunkCallback | None = None,
              on_notice: NoticeCallback | None = None) -> dict[str, Completion]:
        """One draft per section key, all at once (a model backend streams them to on_chunk).

        Sections that fail raise one BackendError after all have ended, carrying `failures` and the
        `completions` of the sections that succeeded. `on_notice` gets statuses such as 排队等待模型服务.
        """
        ...

    def repair(self, contexts: dict[str, dict], drafts: dict[str, str], requests: dict[str, str],
               on_chunk: ChunkCallback | None = None, on_notice: NoticeCallback | None = None) -> dict[str, Completion]:
        """Each section redrafted after the checker's findings (`requests`: the repair prompt per section)."""
        ...

    def complete(self, messages: list[ChatMessage], on_chunk: Callable[[str], None] | None = None,
                 on_notice: Callable[[str], None] | None = None) -> Completion:
        """One free answer (the chat)."""
        ...


def total_usage(completions: Iterable[Completion]) -> tuple[int | None, int | None]:
    """Input and output tokens summed over completions (None when no server reported any)."""
    items = list(completions)

    def total(values: list[int | None]) -> int | None:
        known = [v for v in values if v is not None]
        return sum(known) if known else None

    return total([c.input_tokens for c in items]), total([c.output_tokens for c in items])


class BackendError(DrafterError):
    """A model request failed; the text says why in Chinese and names the section when there is one.

    When several sections were drafted at once, the error raised is the first failure, with
    `failures` (every failed section) and `completions` (the sections that succeeded) attached.
    `summary` is the cause in a few words (for a list of failed sections, or a placeholder).
    """

    summary = "调用模型失败"

    def __init__(self, detail: str, key: str | None = None):
        self.detail = detail
        self.key = key
        self.failures: dict[str, BackendError] = {}
        self.completions: dict[str, Completion] = {}
        super().__init__(f"部分“{key}”：{detail}" if key else detail)


class NeedsModel(BackendError):
    """Something only a model can do (chat, an instruction) was asked of the offline backend."""

    summary = "需要配置大模型"

    def __init__(self, what: str = "用自然语言修改草稿"):
        super().__init__(
            f"{what}需要配置大模型。可设置环境变量 OPENAI_BASE_URL、DRAFTER_MODEL（和 OPENAI_API_KEY），"
            "或在 drafter.toml 的 [model] 中填写 base_url 和 name；用 drafter config show 查看当前设置。")


class ConfigError(BackendError):
    """The settings are not enough to call a model (no model name, no endpoint)."""

    summary = "模型设置不完整"


class EndpointUnreachable(BackendError):
    """The endpoint URL cannot be connected to."""

    summary = "无法连接模型服务"


class AuthenticationFailed(BackendError):
    """HTTP 401/403: the key is wrong, expired or not allowed."""

    summary = "API 密钥被拒绝"


class ModelNotFound(BackendError):
    """HTTP 404 (or a 400 saying so): no such model at the endpoint."""

    summary = "找不到模型"


class RequestTimedOut(BackendError):
    """No answer within the timeout, retries included."""

    summary = "等待模型超时"


class FirstTokenTimedOut(RequestTimedOut):
    """Nothing arrived before first_token_timeout while no other section was receiving output either."""

    summary = "等待模型开始输出超时"


class StreamStalled(RequestTimedOut):
    """The answer had begun, then nothing more arrived for `timeout` seconds."""

    summary = "模型输出中途停顿"


class RateLimited(BackendError):
    """HTTP 429 after all retries."""

    summary = "模型服务限流"


class ServerFailed(BackendError):
    """HTTP 5xx after all retries."""

    summary = "模型服务出错"


class RequestRejected(BackendError):
    """Any other refusal of the request (HTTP 400 …)."""

    summary = "模型服务拒绝了请求"


class EmptyAnswer(BackendError):
    """The model answered nothing (or only reasoning)."""

    summary = "模型返回空白内容"


class InterruptedAnswer(BackendError):
    """The stream ended without a finish reason: the server broke it off (to serve another request)."""

    summary = "模型服务中断了输出"


class ContextOverflow(BackendError):
    """The prompt with its output limit does not fit the server's context."""

    summary = "提示词超出模型上下文长度"


class TruncatedAnswer(BackendError):
    """The answer stopped at the length limit (finish_reason == "length")."""

    summary = "模型输出达到长度上限"


class RepeatingAnswer(BackendError):
    """The model fell into a loop (the same passage over and over) and was stopped early."""

    summary = "模型输出陷入重复"


class ContentFiltered(BackendError):
    """The provider's content filter stopped the answer."""

    summary = "内容过滤中止了输出"


def combine_failures(failures: dict[str, BackendError], completions: dict[str, Completion]) -> BackendError:
    """One error for several failed sections: same causes are told once, naming their sections."""
    groups: dict[tuple[type, str], list[str]] = {}
    for key, error in failures.items():
        groups.setdefault((type(error), error.detail), []).append(key)
    lines = [f"部分“{keys[0]}”：{detail}" if len(keys) == 1 else f"{'、'.join(keys)} 共 {len(keys)} 个部分：{detail}"
             for (_, detail), keys in groups.items()]
    first = next(iter(failures.values()))
    first.args = ("\n".join(lines),)
    first.failures = dict(failures)
    first.completions = dict(completions)
    return first
