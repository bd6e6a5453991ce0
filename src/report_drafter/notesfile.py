"""Editing notes.md one topic at a time: every byte outside the topic's entries stays as it was.

A topic is a `## ` heading and the lines up to the next heading. Its leading HTML comment (the
hint `drafter init` wrote) is kept; what follows is the text the clerk edits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .notes import TOPIC_LIST, Topic, topic_of

_HEADING = re.compile(r"^#{1,2} ")


@dataclass
class TopicText:
    topic: Topic
    text: str                   # the clerk's entries as written (hint comment excluded)
    present: bool               # the file has a heading for this topic


def _blocks(lines: list[str]) -> dict[str, tuple[int, int]]:
    """(heading line index, end line index) of the first heading of each topic."""
    spans: dict[str, tuple[int, int]] = {}
    heads = [i for i, line in enumerate(lines) if _HEADING.match(line)]
    for n, i in enumerate(heads):
        if not lines[i].startswith("## "):
            continue
        key = topic_of(lines[i][3:])
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        if key is not None and key not in spans:
            spans[key] = (i, end)
    return spans


def _split(body: list[str]) -> tuple[list[str], list[str]]:
    """A topic's lines split into its leading hint block (blank lines and HTML comments) and its entries."""
    i, in_comment = 0, False
    while i < len(body):
        line = body[i].strip()
        if in_comment or line.startswith("<!--"):
            in_comment = "-->" not in line
        elif line:
            break
        i += 1
    return body[:i], body[i:]


def topic_texts(text: str) -> list[TopicText]:
    """Every topic of TOPIC_LIST with its current entries, in the official order."""
    lines = text.split("\n")
    spans = _blocks(lines)
    out = []
    for topic in TOPIC_LIST:
        if topic.key not in spans:
            out.append(TopicText(topic, "", False))
            continue
        start, end = spans[topic.key]
        _, entries = _split(lines[start + 1:end])
        out.append(TopicText(topic, "\n".join(entries).strip("\n"), True))
    return out


def replace_topic(text: str, key: str, entries: str) -> str:
    """`text` with the entries of topic `key` replaced (the topic is appended when the file has no heading for it)."""
    topic = next(t for t in TOPIC_LIST if t.key == key)
    entries = "\n".join(line.rstrip() for line in entries.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n"))
    lines = text.split("\n")
    spans = _blocks(lines)
    if key not in spans:
        head = text.rstrip("\n")
        block = f"## {topic.heading}\n\n<!-- {topic.hint} -->\n\n" + (f"{entries}\n" if entries else "")
        return f"{head}\n\n{block}" if head else block
    start, end = spans[key]
    hint, _ = _split(lines[start + 1:end])
    while hint and not hint[-1].strip():
        hint.pop()
    block = [lines[start], *hint, ""]
    if entries:
        block += [*entries.split("\n"), ""]
    return "\n".join(lines[:start] + block + lines[end:])
