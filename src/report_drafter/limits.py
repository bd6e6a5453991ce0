"""How large an input may be, in one place: beyond these a file is refused at once, with the limit named.

A published report is a few tens of KB of text (a saved web page about 100 KB, a PDF or Word file a few MB with
its images); a rule pack is a few dozen rules. The limits leave a wide margin above that and keep every command
fast and small in memory; within them, time and memory grow linearly (benchmarks/bench_limits.py).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import InputError

MB = 1024 * 1024
MAX_REPORT_FILE_BYTES = 50 * MB       # a report file on disk (PDF, Word with its images)
MAX_REPORT_TEXT_BYTES = 5 * MB        # a report as text: a text, Markdown or HTML file
MAX_ARCHIVE_XML_BYTES = 30 * MB       # the XML of a .docx or .xlsx, uncompressed (its text and markup)
MAX_ARCHIVE_BYTES = 200 * MB          # everything in a .docx or .xlsx, uncompressed (images included)
MAX_ARCHIVE_MEMBERS = 10_000
MAX_HTML_DEPTH = 2_000                # elements nested in a web page (real pages: a few dozen; unclosed <p> add one each)
MAX_RULE_PACK_BYTES = 1 * MB
MAX_RULES = 500


def size_text(size: int) -> str:
    """A byte count in words: “5 MB”, “300 KB”."""
    return f"{size / MB:.0f} MB" if size >= MB else f"{max(1, size // 1024)} KB"


def check_file_size(path: Path, name: str, limit: int = MAX_REPORT_FILE_BYTES, what: str = "报告文件") -> int:
    """The size of `path`; an InputError naming the limit when it is larger (before anything is read)."""
    size = path.stat().st_size
    if size > limit:
        raise InputError(f"{name} 有 {size_text(size)}，超过{what}的上限 {size_text(limit)}，未读取。"
                         "一份年报通常只有几十 KB 到几 MB，请确认是否选错了文件。")
    return size


def check_archive(path: Path, name: str, what: str = "Word 文档") -> None:
    """Refuse a .docx/.xlsx whose contents would unpack beyond the limits (a “zip bomb”), before unpacking any.

    The sizes are those the archive declares; Python's zipfile never returns more than a member declares (and
    fails its CRC check when the data is longer), so the declared sizes bound what is read.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return                       # not a readable archive: its reader says so
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise InputError(f"{name} 中有 {len(members)} 个部件，超过{what}的上限 {MAX_ARCHIVE_MEMBERS} 个，未读取。"
                         "文件可能已损坏或被恶意构造。")
    total = sum(m.file_size for m in members)
    xml = sum(m.file_size for m in members if m.filename.lower().endswith((".xml", ".rels")))
    for size, limit, part in ((xml, MAX_ARCHIVE_XML_BYTES, "文字和排版内容"), (total, MAX_ARCHIVE_BYTES, "全部内容")):
        if size > limit:
            raise InputError(f"{name} 解压后的{part}有 {size_text(size)}，超过{what}的上限 {size_text(limit)}，未读取"
                             "（文件可能被恶意构造成“压缩炸弹”）。请用 Word 或 WPS 打开后另存，或改用 PDF。")
