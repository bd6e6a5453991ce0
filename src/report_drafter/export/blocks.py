"""The draft as a flat list of blocks (headings, paragraphs with lead phrases, tables) for export."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import document

COMMENT = re.compile(r"<!--.*?-->[ \t]*\n?", re.S)
# "（一）主动公开方面。…": the lead phrase is in 楷体, the rest in 仿宋
LEAD = re.compile(r"^(（[一二三四五六七八九十]{1,3}）[^，。；：！？,;:]{1,30}[。：:])(.*)$")
# a line that is only "（一）存在的主要问题" is a sub-heading
SUBHEADING = re.compile(r"^（[一二三四五六七八九十]{1,3}）[^，。；：！？,;:]{1,30}$")
TABLE_SECTIONS = ("active", "requests", "appeals")


@dataclass(frozen=True)
class Block:
    kind: str          # heading | subheading | paragraph | table | signature
    text: str = ""
    lead: str = ""     # the lead phrase of a paragraph, included in `text`

    @property
    def rest(self) -> str:
        return self.text[len(self.lead):]


def strip_comments(text: str) -> str:
    """Markdown without HTML comments (and the blank lines they leave)."""
    return re.sub(r"\n{3,}", "\n\n", COMMENT.sub("", text))


def _prose(line: str) -> Block:
    line = line.lstrip("#").strip()
    if SUBHEADING.match(line):
        return Block("subheading", line)
    match = LEAD.match(line)
    return Block("paragraph", line, match.group(1) if match else "")


def _body_blocks(key: str, body: str) -> list[Block]:
    """Blocks of one section body; its Markdown tables become one table block (drawn from the stats)."""
    blocks: list[Block] = []
    for line in strip_comments(body).split("\n"):
        line = line.strip()
        if line.startswith("|"):
            if key in TABLE_SECTIONS and Block("table", key) not in blocks:
                blocks.append(Block("table", key))
        elif line:
            blocks.append(_prose(line))
    if key in TABLE_SECTIONS and Block("table", key) not in blocks:
        blocks.append(Block("table", key))  # the tables come from the statistics, even if deleted from the draft
    return blocks


def report_blocks(text: str) -> tuple[str, list[Block]]:
    """Title and blocks of a draft: preamble paragraphs, then each section's heading and body."""
    doc = document.parse_document(text)
    blocks = [_prose(line.strip()) for line in strip_comments(doc.preamble).split("\n") if line.strip()]
    for key, section in doc.sections.items():
        blocks.append(Block("heading", section.heading))
        blocks += _body_blocks(key, section.body)
    blocks += [Block("signature", line.strip()) for line in strip_comments(doc.signature).split("\n") if line.strip()]
    return doc.title, blocks
