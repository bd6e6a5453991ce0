"""What every drafting backend shares: messages, completions, errors (no langchain here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Literal, Protocol

from ..errors import DrafterError

ChunkCallback = Callable[[str, str], None]  # (section key, new visible text)


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

    def draft(self, contexts: dict[str, dict], on_chunk: ChunkCallback | None = None) -> dict[str, Completion]:
        """One draft per section key, all at once (a model backend streams them to on_chunk)."""
        ...

    def repair(self, contexts: dict[str, dict], drafts: dict[str, str], requests: dict[str, str],
               on_chunk: ChunkCallback | None = None) -> dict[str, Completion]:
        """Each section redrafted after the checker's findings (`requests`: the repair prompt per section)."""
        ...

    def complete(self, messages: list[ChatMessage], on_chunk: Callable[[str], None] | None = None) -> Completion:
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
    """

    def __init__(self, detail: str, key: str | None = None):
        self.detail = detail
        self.key = key
        self.failures: dict[str, BackendError] = {}
        self.completions: dict[str, Completion] = {}
        super().__init__(f"部分“{key}”：{detail}" if key else detail)


class NeedsModel(BackendError):
    """Something only a model can do (chat, an instruction) was asked of the offline backend."""

    def __init__(self, what: str = "用自然语言修改草稿"):
        super().__init__(
            f"{what}需要配置大模型。可设置环境变量 OPENAI_BASE_URL、DRAFTER_MODEL（和 OPENAI_API_KEY），"
            "或在 drafter.toml 的 [model] 中填写 base_url 和 name；用 drafter config show 查看当前设置。")


class ConfigError(BackendError):
    """The settings are not enough to call a model (no model name, no endpoint)."""


class EndpointUnreachable(BackendError):
    """The endpoint URL cannot be connected to."""


class AuthenticationFailed(BackendError):
    """HTTP 401/403: the key is wrong, expired or not allowed."""


class ModelNotFound(BackendError):
    """HTTP 404 (or a 400 saying so): no such model at the endpoint."""


class RequestTimedOut(BackendError):
    """No answer within the timeout, retries included."""


class RateLimited(BackendError):
    """HTTP 429 after all retries."""


class ServerFailed(BackendError):
    """HTTP 5xx after all retries."""


class RequestRejected(BackendError):
    """Any other refusal of the request (HTTP 400 …)."""


class EmptyAnswer(BackendError):
    """The model answered nothing (or only reasoning)."""


class TruncatedAnswer(BackendError):
    """The answer stopped at the length limit (finish_reason == "length")."""


class ContentFiltered(BackendError):
    """The provider's content filter stopped the answer."""


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
