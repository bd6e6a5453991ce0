"""Model backends that draft report sections.

Importing this package is cheap: langchain and openai load only when OpenAIBackend makes a request.
"""

from __future__ import annotations

from ..settings import ModelSettings, backend_name, load_settings
from .base import (
    AuthenticationFailed, Backend, BackendError, ChatMessage, ChunkCallback, Completion, ConfigError,
    ContentFiltered, EmptyAnswer, EndpointUnreachable, ModelNotFound, RateLimited, RequestRejected,
    RequestTimedOut, ServerFailed, TruncatedAnswer, total_usage,
)


def __getattr__(name: str):
    """OpenAIBackend loads on first use (it pulls in asyncio and the client plumbing)."""
    if name == "OpenAIBackend":
        from .openai_backend import OpenAIBackend

        return OpenAIBackend
    raise AttributeError(name)


__all__ = [
    "AuthenticationFailed", "Backend", "BackendError", "ChatMessage", "ChunkCallback", "Completion",
    "ConfigError", "ContentFiltered", "EmptyAnswer", "EndpointUnreachable", "ModelNotFound",
    "ModelSettings", "OpenAIBackend", "RateLimited", "RequestRejected", "RequestTimedOut",
    "ServerFailed", "TruncatedAnswer", "backend_name", "load_settings", "total_usage",
]
