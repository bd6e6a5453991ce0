"""Backends that draft report sections, chosen by name through one factory.

    backend = get_backend("auto", workspace.config, prompts)   # offline unless a model is configured

Built in: "offline" (jinja2 prose templates, no network), "openai" (any OpenAI-compatible
endpoint, through langchain-openai) and "fake" (scripted answers, for tests). A new backend is a
class with the `Backend` protocol's methods, made available with `register_backend(name, factory)`.
Importing this package is cheap: langchain and openai load only when OpenAIBackend makes a request.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Mapping

from ..errors import InputError
from ..settings import ModelSettings, backend_name, load_settings
from .base import (
    AuthenticationFailed, Backend, BackendError, ChatMessage, ChunkCallback, Completion, ConfigError,
    ContentFiltered, EmptyAnswer, EndpointUnreachable, FirstTokenTimedOut, ModelNotFound, NeedsModel,
    NoticeCallback, RateLimited, RepeatingAnswer, RequestRejected, RequestTimedOut, ServerFailed,
    StreamStalled, TruncatedAnswer, total_usage,
)

Factory = Callable[[ModelSettings, Any], Backend]    # (settings, prompts) → backend
AUTO = "auto"


def _offline(settings: ModelSettings, prompts) -> Backend:
    from .offline import OfflineBackend

    return OfflineBackend(prompts)


def _openai(settings: ModelSettings, prompts) -> Backend:
    from .openai_backend import OpenAIBackend

    return OpenAIBackend(settings, prompts=prompts)


def _fake(settings: ModelSettings, prompts) -> Backend:
    from .fake import FakeBackend

    return FakeBackend(prompts)


_FACTORIES: dict[str, Factory] = {"offline": _offline, "openai": _openai, "fake": _fake}


def register_backend(name: str, factory: Factory) -> None:
    """Make a backend available to get_backend under `name` (replacing one of that name)."""
    _FACTORIES[name] = factory


def backend_names() -> list[str]:
    return list(_FACTORIES)


def get_backend(choice: str = AUTO, config: Mapping[str, Any] | None = None, prompts=None,
                environ: Mapping[str, str] = os.environ) -> Backend:
    """The backend to draft with: `choice` by name, or "auto" (a model when one is configured, else offline)."""
    if choice != AUTO and choice not in _FACTORIES:
        raise InputError(f"起草方式应为 {'、'.join([AUTO, *_FACTORIES])} 之一，收到“{choice}”。")
    if choice == "offline":
        return _FACTORIES[choice](ModelSettings(), prompts)
    settings = load_settings(config or {}, environ)
    if choice == AUTO:
        choice = backend_name(settings)
    return _FACTORIES[choice](settings, prompts)


def __getattr__(name: str):
    """OpenAIBackend loads on first use (it pulls in asyncio and the client plumbing)."""
    if name == "OpenAIBackend":
        from .openai_backend import OpenAIBackend

        return OpenAIBackend
    raise AttributeError(name)


__all__ = [
    "AuthenticationFailed", "Backend", "BackendError", "ChatMessage", "ChunkCallback", "Completion",
    "ConfigError", "ContentFiltered", "EmptyAnswer", "EndpointUnreachable", "FirstTokenTimedOut", "ModelNotFound",
    "ModelSettings", "NeedsModel", "NoticeCallback", "OpenAIBackend", "RateLimited", "RepeatingAnswer",
    "RequestRejected", "RequestTimedOut", "ServerFailed", "StreamStalled", "TruncatedAnswer", "backend_name",
    "backend_names", "get_backend", "load_settings", "register_backend", "total_usage",
]
