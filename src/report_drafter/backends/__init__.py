"""Backends that draft report sections, chosen by name through one factory.

    backend = get_backend("auto", workspace.config, prompts)   # offline unless a model is configured

Built in: "offline" (jinja2 prose templates, no network), "openai" (any OpenAI-compatible
endpoint, through langchain-openai) and "fake" (scripted answers, for tests). A new backend is a
class with the `Backend` protocol's methods and a factory `(settings, prompts) -> Backend`, made
available in-process with `register_backend(name, factory)`, or by a package installed beside
drafter that declares it in the entry-point group `report_drafter.backends`:

    [project.entry-points."report_drafter.backends"]
    mybackend = "my_package.module:make_backend"

Entry points are looked up only when a name is not built in or the names are listed, and a
plugin's module is imported only when it is chosen. Importing this package is cheap: langchain and
openai load only when OpenAIBackend makes a request.
"""

from __future__ import annotations

import os
from importlib import metadata
from typing import Any, Callable, Mapping

from ..errors import InputError
from ..settings import ModelSettings, backend_name, load_settings
from .base import (
    AuthenticationFailed, Backend, BackendError, ChatMessage, ChunkCallback, Completion, ConfigError,
    ContentFiltered, EmptyAnswer, EndpointUnreachable, FirstTokenTimedOut, ModelNotFound, NeedsModel,
    NoticeCallback, RateLimited, RepeatingAnswer, RequestRejected, RequestTimedOut, ServerFailed,
    StreamStalled, TruncatedAnswer, total_usage, ContextOverflow, InterruptedAnswer,
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
ENTRY_POINT_GROUP = "report_drafter.backends"


def register_backend(name: str, factory: Factory) -> None:
    """Make a backend available to get_backend under `name` (replacing one of that name)."""
    _FACTORIES[name] = factory


def plugins() -> dict[str, metadata.EntryPoint]:
    """Backends declared by installed packages (entry-point group report_drafter.backends), not yet imported."""
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def backend_names() -> list[str]:
    """Every backend that can be chosen by name: built in, registered, then installed plugins."""
    return list(dict.fromkeys([*_FACTORIES, *plugins()]))


def backend_origins() -> dict[str, str]:
    """Each backend's name with where it comes from (内置 / 已注册 / the plugin's package), for `config show`."""
    found = {name: "内置" if name in ("offline", "openai", "fake") else "程序内注册" for name in _FACTORIES}
    for name, ep in plugins().items():
        found.setdefault(name, f"插件 {ep.dist.name if ep.dist else ep.value}（{ep.value}）")
    return found


def factory_of(name: str) -> Factory:
    """The factory of a backend by name (a plugin's module imported now); InputError listing the names if none."""
    if name in _FACTORIES:
        return _FACTORIES[name]
    entry = plugins().get(name)
    if entry is None:
        raise InputError(f"起草方式应为 {'、'.join([AUTO, *backend_names()])} 之一，收到“{name}”。"
                         f"插件后端须安装在 drafter 所在的 Python 环境中，并在入口点组 {ENTRY_POINT_GROUP} 中声明。")
    try:
        factory = entry.load()
    except Exception as exc:   # a broken plugin is the plugin's fault: say which one, never a traceback
        raise InputError(f"无法加载起草后端插件“{name}”（{entry.value}）：{type(exc).__name__}: {exc}") from None
    if not callable(factory):
        raise InputError(f"起草后端插件“{name}”（{entry.value}）不是可调用的工厂函数 (settings, prompts) -> Backend。")
    return factory


def get_backend(choice: str = AUTO, config: Mapping[str, Any] | None = None, prompts=None,
                environ: Mapping[str, str] = os.environ) -> Backend:
    """The backend to draft with: `choice` by name, or "auto" (drafter.toml's [model] backend, else a
    model when one is configured, else offline)."""
    if choice == "offline":
        return _FACTORIES[choice](ModelSettings(), prompts)
    if choice != AUTO:
        factory_of(choice)   # an unknown name fails before the settings are read
    settings = load_settings(config or {}, environ)
    if choice == AUTO:
        choice = backend_name(settings)
    return factory_of(choice)(settings, prompts)


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
    "backend_names", "backend_origins", "get_backend", "load_settings", "plugins", "register_backend", "total_usage",
    "ContextOverflow", "InterruptedAnswer", "ENTRY_POINT_GROUP",
]
