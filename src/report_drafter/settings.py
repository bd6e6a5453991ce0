"""Model settings: environment variables over drafter.toml `[model]` over defaults.

Cheap to import on purpose (no langchain, no openai): `drafter --help` and `drafter config show`
must start fast.
"""

from __future__ import annotations

import re

import os
from dataclasses import dataclass, field
from typing import Any, Mapping

from .errors import InputError
CONFIG_NAME = "drafter.toml"

ENV_API_KEY = "OPENAI_API_KEY"
ENV_BASE_URL = "OPENAI_BASE_URL"
ENV_MODEL = "DRAFTER_MODEL"

OPENAI_URL = "https://api.openai.com/v1"
OPENAI_MODEL = "gpt-4o-mini"  # default model only when talking to OpenAI itself (no base_url)

FROM_FILE = CONFIG_NAME
FROM_DEFAULT = "默认值"

# drafter.toml [model] key for each setting (the model name is `name`).
FILE_KEYS = {
    "base_url": "base_url", "model": "name", "api_key": "api_key", "api_key_env": "api_key_env",
    "timeout": "timeout", "first_token_timeout": "first_token_timeout", "max_retries": "max_retries", "temperature": "temperature",
    "max_tokens": "max_tokens", "concurrency": "concurrency", "stream": "stream",
    "limit_field": "limit_field", "context_tokens": "context_tokens", "backend": "backend",
}
LIMIT_FIELDS = ("max_tokens", "max_completion_tokens")   # the request field a server reads its output limit from
REMOTE_CONCURRENCY = 8   # sections in flight at once on a cloud API; a local server gets one at a time


def from_env(name: str) -> str:
    """Source label of a value read from an environment variable."""
    return f"环境变量 {name}"


def mask_key(value: str | None) -> str:
    """An API key as it may be shown: first four and last two characters only."""
    if not value:
        return "未设置"
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:4]}…{value[-2:]}"


_SECRETS: set[str] = set()            # every key read in this process: never shown whole
_TOKEN = re.compile(r"\b(sk-|Bearer\s+)([A-Za-z0-9_\-.]{6,})")


def hide_secrets(text: str) -> str:
    """`text` with every API key this process read (and anything shaped like one: sk-…, Bearer …) masked."""
    for value in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(value, mask_key(value))
    return _TOKEN.sub(lambda m: f"{m.group(1)}…{m.group(2)[-2:]}", text)


class Secret:
    """A string that never shows itself in repr, str or logs; read it with get_secret_value()."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value
        if value and len(value) >= 8:      # (a placeholder such as “ollama” is no secret, and a common word)
            _SECRETS.add(value)

    def get_secret_value(self) -> str:
        return self._value

    @property
    def masked(self) -> str:
        return mask_key(self._value)

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class ModelSettings:
    """Effective model settings; `sources` tells where each came from (env / drafter.toml / 默认值)."""

    base_url: str | None = None
    model: str | None = None
    api_key: Secret | None = None
    api_key_env: str = ENV_API_KEY
    timeout: float = 120.0              # a stream that stops midway: seconds without any new output
    first_token_timeout: float = 600.0  # before the first output: queued behind other requests, prompt read
    max_retries: int = 2
    temperature: float | None = None
    max_tokens: int | None = None
    concurrency: int | None = None      # None: one at a time on a local server, REMOTE_CONCURRENCY elsewhere
    stream: bool = True
    limit_field: str | None = None      # None: max_completion_tokens for OpenAI itself, max_tokens elsewhere
    context_tokens: int | None = None   # the server's context size, when the clerk states it
    backend: str | None = None          # a backend chosen by name in drafter.toml
    sources: dict[str, str] = field(default_factory=dict, compare=False)
    warnings: list[str] = field(default_factory=list, compare=False)

    @property
    def effective_base_url(self) -> str:
        """The URL requests go to (OpenAI itself when no base_url is set)."""
        return self.base_url or OPENAI_URL

    @property
    def is_local(self) -> bool:
        """Whether the endpoint is on this machine or the office network (llama.cpp, Ollama, LM Studio …)."""
        return local_url(self.effective_base_url)

    @property
    def effective_concurrency(self) -> int:
        """Requests in flight at once: local servers usually answer one at a time (and may interrupt the others)."""
        if self.concurrency is not None:
            return self.concurrency
        return 1 if self.is_local else REMOTE_CONCURRENCY

    @property
    def effective_limit_field(self) -> str:
        """The request field that carries the output limit (OpenAI reads max_completion_tokens, others max_tokens)."""
        if self.limit_field:
            return self.limit_field
        return "max_completion_tokens" if self.effective_base_url == OPENAI_URL else "max_tokens"

    @property
    def masked_key(self) -> str:
        return self.api_key.masked if self.api_key else mask_key(None)


def local_url(url: str) -> bool:
    """A loopback, private-network or .local host (where one-at-a-time servers usually run)."""
    import ipaddress
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    if host in ("localhost", "host.docker.internal") or host.endswith((".local", ".lan", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def backend_name(settings: ModelSettings) -> str:
    """Which backend `drafter generate` uses: the one named in drafter.toml, else a model when configured."""
    if settings.backend:
        return settings.backend
    return "openai" if settings.api_key is not None or settings.base_url else "offline"


def load_settings(workspace_config: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> ModelSettings:
    """Resolve the model settings from the environment, drafter.toml (`[model]`) and defaults."""
    section = model_section(workspace_config)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    warnings = unknown_keys(section)

    def pick(name: str, env: str | None, parse) -> None:
        raw_env = (environ.get(env) or "").strip() if env else ""
        if raw_env:
            values[name], sources[name] = parse(raw_env, from_env(env)), from_env(env)
        elif section.get(FILE_KEYS[name]) is not None:
            where = f"{FROM_FILE} [model] {FILE_KEYS[name]}"
            values[name], sources[name] = parse(section[FILE_KEYS[name]], where), FROM_FILE
        else:
            sources[name] = FROM_DEFAULT

    pick("base_url", ENV_BASE_URL, parse_url)
    pick("model", ENV_MODEL, parse_text)
    pick("api_key_env", None, parse_env_name)
    pick("timeout", None, positive(float))
    pick("first_token_timeout", None, positive(float))
    pick("max_retries", None, bounded(int, 0, 10))
    pick("temperature", None, bounded(float, 0, 2))
    pick("max_tokens", None, positive(int))
    pick("concurrency", None, bounded(int, 1, 64))
    pick("stream", None, parse_bool)
    pick("limit_field", None, choice(LIMIT_FIELDS))
    pick("context_tokens", None, positive(int))
    pick("backend", None, parse_text)
    key_env = values.get("api_key_env", ENV_API_KEY)
    values["api_key"], sources["api_key"] = resolve_key(section, key_env, environ, warnings)
    if "model" not in values and "base_url" not in values:
        values["model"] = OPENAI_MODEL
    elif "model" not in values:
        warnings.append(f"已设置模型服务地址，但未设置模型名称：请设置环境变量 {ENV_MODEL}，"
                        f"或在 {FROM_FILE} 的 [model] 中写 name = \"模型名称\"。")
    return ModelSettings(**values, sources=sources, warnings=warnings)


def model_section(config: Mapping[str, Any]) -> Mapping[str, Any]:
    section = config.get("model", {})
    if not isinstance(section, Mapping):
        raise InputError(f"{FROM_FILE}：model 应为设置表 [model]，收到“{section}”。")
    return section


def unknown_keys(section: Mapping[str, Any]) -> list[str]:
    known = set(FILE_KEYS.values())
    extra = [key for key in section if key not in known]
    if not extra:
        return []
    return [f"{FROM_FILE} [model] 中有未知设置项：{'、'.join(extra)}（可用：{'、'.join(FILE_KEYS.values())}）。"]


def resolve_key(section: Mapping[str, Any], key_env: str, environ: Mapping[str, str],
                warnings: list[str]) -> tuple[Secret | None, str]:
    """The API key from the variable named by api_key_env, else from drafter.toml (with a warning)."""
    literal = section.get("api_key")
    if literal is not None:
        literal = parse_text(literal, f"{FROM_FILE} [model] api_key")
        warnings.append(f"{FROM_FILE} 中写有明文 API 密钥：建议删除，改用环境变量 {key_env} 设置，"
                        "并避免把该文件提交或分享给他人。")
    from_environ = (environ.get(key_env) or "").strip()
    if from_environ:
        return Secret(from_environ), from_env(key_env)
    if literal:
        return Secret(literal), FROM_FILE
    return None, FROM_DEFAULT


def parse_text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where} 应为非空文字，收到“{value}”。")
    return value.strip()


def parse_url(value: Any, where: str) -> str:
    url = parse_text(value, where)
    if not url.startswith(("http://", "https://")):
        raise InputError(f"{where} 应为以 http:// 或 https:// 开头的地址，收到“{url}”。")
    return url.rstrip("/")


def parse_env_name(value: Any, where: str) -> str:
    name = parse_text(value, where)
    if not name.replace("_", "").isalnum() or name[0].isdigit():
        raise InputError(f"{where} 应为环境变量名（如 DEEPSEEK_API_KEY），不是密钥本身。")
    return name


def choice(options: tuple[str, ...]):
    """A parser for one of `options`."""
    def parse(value: Any, where: str) -> str:
        if value not in options:
            raise InputError(f"{where} 应为 {'、'.join(options)} 之一，收到“{value}”。")
        return value
    return parse


def parse_bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"{where} 应为 true 或 false，收到“{value}”。")
    return value


def bounded(kind: type, low: float, high: float):
    """A parser for numbers of `kind` in [low, high]."""
    def parse(value: Any, where: str):
        number = as_number(value, kind, where)
        if not low <= number <= high:
            raise InputError(f"{where} 应在 {low} 到 {high} 之间，收到 {value}。")
        return number
    return parse


def positive(kind: type):
    """A parser for numbers of `kind` greater than zero."""
    def parse(value: Any, where: str):
        number = as_number(value, kind, where)
        if number <= 0:
            raise InputError(f"{where} 应大于 0，收到 {value}。")
        return number
    return parse


def as_number(value: Any, kind: type, where: str):
    allowed = (int,) if kind is int else (int, float)
    if isinstance(value, bool) or not isinstance(value, allowed):
        raise InputError(f"{where} 应为{'整数' if kind is int else '数字'}，收到“{value}”。")
    return kind(value)
