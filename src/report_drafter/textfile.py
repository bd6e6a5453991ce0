"""Reading the text files a clerk edits, in whatever encoding a Chinese office saved them.

Every user-editable file (stats.yaml, notes.md, drafter.toml, draft.md, prompts, chat.json) is
read through `read_text`: UTF-8 with or without BOM (Notepad, WPS), UTF-16 with BOM (Windows
“Unicode”), GBK/GB18030 (older Chinese Windows software); CRLF line ends become LF. Anything else
is an InputError naming the file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .errors import InputError, os_reason
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "utf-16": "UTF-16", "gb18030": "GBK/GB18030"}


def detect_encoding(data: bytes) -> str | None:
    """The encoding `data` is in: a BOM decides, else UTF-8 if it decodes, else GB18030 if it decodes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if _looks_utf16(data):
        sample = data[:400]
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"   # ASCII: 61 00 / 00 61
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: its ASCII characters (digits, line ends) leave zero bytes, nearly all on one side of the pairs.

    Text in UTF-8 or GBK never contains a zero byte.
    """
    sample = data[:4000]
    if len(data) % 2 or len(sample) < 4:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) >= 2 and max(even, odd) >= 4 * min(even, odd)


def decode(data: bytes, name: str) -> str:
    """`data` as text with LF line ends; an InputError naming `name` when no known encoding fits."""
    encoding = detect_encoding(data)
    if encoding is None:
        raise InputError(f"{name}：无法识别文字编码（不是 UTF-8、GBK/GB18030 或 UTF-16）。"
                         "请用记事本或 WPS 打开，另存为“UTF-8”编码后重试。")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"{name}：文字编码有误（按 {ENCODING_NAMES.get(encoding, encoding)} 无法读取）。"
                         "请另存为“UTF-8”编码后重试。") from None
    if not _plausible(text):
        raise InputError(f"{name}：这不是文本文件（含有二进制内容）。请确认选择的文件是否正确。")
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CONTROLS = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\ufffe\uffff]")   # not \t \n \v \f \r, nor \x1a (DOS end of file)


def _plausible(text: str) -> bool:
    """Text, not binary data that happened to decode: no zero characters, hardly any control characters."""
    if "\0" in text:
        return False
    return len(_CONTROLS.findall(text)) <= len(text) // 100


def read_text(path: Path, name: str | None = None) -> str:
    """A user file's text, whatever its encoding; missing or unreadable files are InputErrors naming it."""
    name = name or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到文件 {name}。") from None
    except IsADirectoryError:
        raise InputError(f"{name} 是一个文件夹，不是文件。") from None
    except PermissionError:
        raise InputError(f"没有权限读取 {name}。请检查文件权限，或关闭正在独占使用它的程序后重试。") from None
    except OSError as exc:
        raise InputError(f"无法读取 {name}：{os_reason(exc)}。") from None
    return decode(data, name)
