"""Keep reasoning (`<think>…</think>`) out of answer text, also when tags are split across chunks."""

from __future__ import annotations

OPEN, CLOSE = "<think>", "</think>"


def partial_tag(text: str, tag: str) -> int:
    """Length of the longest end of `text` that could be the start of `tag`."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:size]):
            return size
    return 0


class ThinkFilter:
    """Feed streamed text in; get back only the visible answer (leading blank space dropped)."""

    def __init__(self) -> None:
        self.pending = ""
        self.inside = False
        self.started = False  # visible text has been emitted

    def feed(self, text: str) -> str:
        self.pending += text
        out: list[str] = []
        while self.pending:
            tag = CLOSE if self.inside else OPEN
            index = self.pending.find(tag)
            if index >= 0:
                if not self.inside:
                    out.append(self.pending[:index])
                self.pending = self.pending[index + len(tag):]
                self.inside = not self.inside
                continue
            keep = partial_tag(self.pending, tag)
            if not self.inside:
                out.append(self.pending[:len(self.pending) - keep])
            self.pending = self.pending[len(self.pending) - keep:]
            break
        return self.visible("".join(out))

    def finish(self) -> str:
        """Whatever is still held back (an unclosed `<think>` is dropped)."""
        rest, self.pending = ("" if self.inside else self.pending), ""
        return self.visible(rest)

    def visible(self, text: str) -> str:
        if not self.started:
            text = text.lstrip()
            self.started = bool(text)
        return text


def strip_reasoning(text: str) -> str:
    """A whole answer without reasoning: `<think>` blocks, and anything before an orphan `</think>`."""
    think = ThinkFilter()
    text = think.feed(text) + think.finish()
    return clean_answer(text)


def clean_answer(text: str) -> str:
    """Final tidy-up: some servers drop the opening tag, leaving only `…</think>answer`."""
    if CLOSE in text:
        text = text.rsplit(CLOSE, 1)[1]
    return text.strip()
