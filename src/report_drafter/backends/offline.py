"""The offline backend: prose composed from facts and notes through jinja2 prose templates.

Deterministic, instant and network-free; every number it writes comes from the facts or notes.
"""

from __future__ import annotations

import time

from ..prompts import Prompts
from .base import Completion

OFFLINE_TEMPLATES = {"overview": "offline_overview.j2", "problems": "offline_problems.j2", "other": "offline_other.j2"}


def paragraphs(text: str) -> str:
    """One blank line between paragraphs, whatever whitespace the template left."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


class OfflineBackend:
    name = "offline"
    model = "offline"

    def __init__(self, prompts: Prompts):
        self.prompts = prompts

    def compose(self, key: str, context: dict) -> Completion:
        """One section's prose from its offline template."""
        start = time.perf_counter()
        text = paragraphs(self.prompts.render(OFFLINE_TEMPLATES[key], context))
        return Completion(key, text, self.model, None, None, time.perf_counter() - start, "stop")
