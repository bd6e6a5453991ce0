"""What a local model server says about itself, and the token counts drafter estimates when it says nothing.

llama.cpp's server (and llama-cpp-python's) answers GET /props with its context size (n_ctx) and
number of slots (requests it serves at once); Ollama answers GET /api/version. A server that
answers neither is taken as it comes. Only asked of local servers, once per run, with a short timeout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROBE_TIMEOUT = 2.0
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class ServerInfo:
    kind: str = ""                    # "llama.cpp", "ollama" or "" (unknown)
    context_tokens: int | None = None
    slots: int | None = None          # requests served at once


def estimate_tokens(text: str) -> int:
    """Tokens a text costs, roughly: one per Chinese character or mark, one per three other characters."""
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 2) // 3


def root_of(base_url: str) -> str:
    """The server's root (an OpenAI-compatible base URL ends in /v1)."""
    return re.sub(r"/v1/?$", "", base_url.rstrip("/"))


async def probe(base_url: str) -> ServerInfo:
    """Ask a local server what it is (never raises: an unknown server is ServerInfo())."""
    import httpx

    root = root_of(base_url)
    try:
        async with httpx.AsyncClient(timeout=PROBE_TIMEOUT, trust_env=False) as client:
            props = await client.get(f"{root}/props")
            if props.status_code == 200:
                return llama_info(props.json())
            version = await client.get(f"{root}/api/version")
            if version.status_code == 200 and "version" in version.json():
                return ServerInfo("ollama")
    except (httpx.HTTPError, ValueError, AttributeError, TypeError):
        pass
    return ServerInfo()


def llama_info(props: dict) -> ServerInfo:
    settings = props.get("default_generation_settings") or {}
    n_ctx = settings.get("n_ctx") or props.get("n_ctx")
    slots = props.get("total_slots")
    return ServerInfo("llama.cpp", int(n_ctx) if n_ctx else None, int(slots) if slots else None)
