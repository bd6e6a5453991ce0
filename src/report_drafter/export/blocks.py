"""The draft as a flat list of blocks (headings, paragraphs with lead phrases, tables) for export."""

from __future__ import annotations

import hashlib
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


def prose_paragraphs(body: str) -> list[str]:
    """The prose paragraphs of a Markdown body: comments, tables and blank lines left out, heading marks dropped."""
    lines = (line.strip().lstrip("#").strip() for line in strip_comments(body).split("\n"))
    return [line for line in lines if line and not line.startswith("|")]


def part_texts(text: str) -> dict[str, list[str]]:
    """Each part of a report as a Word file shows it: title, preamble, the six sections' prose, the 落款."""
    doc = document.parse_document(text)
    parts = {"title": [doc.title], "preamble": prose_paragraphs(doc.preamble),
             "signature": prose_paragraphs(doc.signature)}
    parts.update({key: prose_paragraphs(section.body) for key, section in doc.sections.items()})
    return parts


def part_digests(text: str) -> str:
    """“title=…;overview=…”: a short digest of each part, stored in the exported file so that an edited
    file can be told apart from the draft edited since (a three-way comparison)."""
    return ";".join(f"{key}={digest_of(paras)}" for key, paras in part_texts(text).items())


def digest_of(paragraphs: list[str]) -> str:
    return hashlib.sha256("\n".join(paragraphs).encode()).hexdigest()[:12]
