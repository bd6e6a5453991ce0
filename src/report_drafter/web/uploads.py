"""Importing an uploaded report as untrusted input: its bytes only, parsed in a separate, limited process.

The upload's name is not trusted (only an allowed suffix is kept); its size is limited by the Guard;
the parsers (pypdfium2 and OCR, python-docx, BeautifulSoup) run in a child process with limits on time and
memory, so a hostile or broken file can neither hang nor crash the workbench.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt", ".md"}
TIMEOUT_S = 120
MEMORY_BYTES = 2 * 1024 ** 3
_MAGIC = {".pdf": b"%PDF", ".docx": b"PK\x03\x04"}


class UploadRefused(ValueError):
    pass


def suffix_of(filename: str, data: bytes) -> str:
    """The allowed suffix for an upload (from its name), checked against the file's first bytes."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadRefused(f"不支持的文件类型“{suffix or '无扩展名'}”。请上传 PDF、Word（.docx）、网页（.html）或文本（.txt）文件。")
    magic = _MAGIC.get(suffix)
    if magic and not data.startswith(magic):
        raise UploadRefused(f"文件内容与扩展名 {suffix} 不符，可能已损坏或不是该类型的文件。")
    if not data:
        raise UploadRefused("上传的文件是空的。")
    return suffix


def import_upload(root: Path, filename: str, data: bytes, replace: bool) -> dict:
    """Import the uploaded report into the workspace at `root`; the child's JSON summary."""
    suffix = suffix_of(filename, data)
    with tempfile.TemporaryDirectory(prefix="drafter-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        command = [sys.executable, "-m", "report_drafter.web.importer", str(root), str(path)]
        if replace:
            command.append("--replace")
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, env=os.environ.copy())
        except subprocess.TimeoutExpired:
            return {"ok": False, "error": f"读取文件超过 {TIMEOUT_S} 秒，已停止。文件可能过大或已损坏。"}
    try:
        return json.loads(done.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {"ok": False, "error": "无法读取这个文件（解析时出错或超出内存限制）。请确认文件完整，或另存为文本文件后再上传。"}
