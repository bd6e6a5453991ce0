"""The clerk's work notes `<year>/notes.md`: one heading per topic the prose must cover."""

from __future__ import annotations

from dataclasses import dataclass

from .vocab import NOTE_HEADING_ALIASES, NOTE_OTHER_MARK, NOTE_TOPICS

NOTES_NAME = "notes.md"
TOPIC_CHARS = 800              # of one topic's entries, at most, go into a draft (一 is ≤ 1000 字 in all)
LARGE_NOTES_BYTES = 100_000    # a year's notes are a few KB; far more is a pasted document


@dataclass(frozen=True)
class Topic:
    key: str
    heading: str
    section: str
    hint: str


TOPIC_LIST = tuple(Topic(*t) for t in NOTE_TOPICS)


def notes_skeleton(year: int, agency: str) -> str:
    """The work-notes template written by `drafter init`."""
    who = f"（{agency}）" if agency else ""
    lines = [
        f"# {year} 年政府信息公开工作记录{who}",
        "",
        "> 按标题分类记录本年度的工作情况，每条以“- ”开头。写清数字和单位（如“发布信息 32 条”），",
        "> 起草和核对时这些数字会作为依据。请勿改动标题；没有内容的栏目可以留空。",
        "",
    ]
    for topic in TOPIC_LIST:
        lines += [f"## {topic.heading}", "", f"<!-- {topic.hint} -->", ""]
    return "\n".join(lines)


_HEADINGS = {t.heading: t for t in TOPIC_LIST}


@dataclass
class Notes:
    """Per-topic entries of notes.md; each entry keeps its line for tracing numbers back."""

    topics: dict[str, list[tuple[int, str]]]
    unknown_headings: list[tuple[int, str]]
    file: str = NOTES_NAME
    other_work: frozenset[int] = frozenset()    # lines the clerk marked as about other work than the tables count

    def items(self, key: str, limit: int | None = None) -> list[str]:
        """A topic's entries; with `limit`, only the first entries that fit in `limit` characters."""
        texts = [text for _, text in self.topics.get(key, [])]
        if limit is None:
            return texts
        kept, used = [], 0
        for text in texts:
            if used + len(text) > limit:
                if not kept:
                    kept.append(text[:limit] + "……")
                break
            kept.append(text)
            used += len(text)
        return kept

    def overflow(self, limit: int = TOPIC_CHARS) -> dict[str, tuple[int, int]]:
        """Topics longer than `limit`: topic key → (entries used, entries written)."""
        out = {}
        for key in self.topics:
            used, total = len(self.items(key, limit)), len(self.topics[key])
            if sum(len(text) for _, text in self.topics[key]) > limit:
                out[key] = (used, total)
        return out

    def entries(self) -> list[tuple[str, int, str]]:
        """(topic, line, text) of every entry, in file order."""
        return sorted(((k, line, text) for k, v in self.topics.items() for line, text in v), key=lambda e: e[1])


def _topic_for(heading: str) -> str | None:
    heading = heading.strip().rstrip("：:")
    if heading in _HEADINGS:
        return _HEADINGS[heading].key
    if heading in NOTE_HEADING_ALIASES:
        return NOTE_HEADING_ALIASES[heading]
    for topic in TOPIC_LIST:
        if topic.heading in heading:
            return topic.key
    return None


def topic_of(heading: str) -> str | None:
    """The topic a `## ` heading of notes.md files its entries under (None for a heading of no topic)."""
    return _topic_for(heading)


def parse_notes(text: str, file: str = NOTES_NAME) -> Notes:
    """Split notes.md into topics by `##` headings; bullets or free text become entries.

    HTML comments (the skeleton's hints) and blockquotes are ignored; unknown headings are reported.
    """
    topics: dict[str, list[tuple[int, str]]] = {t.key: [] for t in TOPIC_LIST}
    unknown: list[tuple[int, str]] = []
    other_work: set[int] = set()
    current: str | None = None
    in_comment = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if in_comment or line.startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if line.startswith("## "):
            current = _topic_for(line[3:])
            if current is None:
                unknown.append((number, line[3:].strip()))
            continue
        if not line or line.startswith(("#", ">")) or current is None:
            continue
        entry = line.lstrip("-*+•").strip()
        if entry.startswith(NOTE_OTHER_MARK):
            entry = entry[len(NOTE_OTHER_MARK):].strip()     # the mark is for the checks, not for the prose
            other_work.add(number)
        if entry:
            topics[current].append((number, entry))
    return Notes(topics, unknown, file, frozenset(other_work))
