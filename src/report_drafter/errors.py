"""The exceptions that carry a failure to the front-end, each with its Chinese message and exit code."""

from __future__ import annotations

import errno
from pathlib import Path


class DrafterError(Exception):
    """A failure the user can act on; its text is Chinese and shown as is."""

    exit_code = 1


class InputError(DrafterError):
    """Input that cannot be read at all (missing file, broken YAML, unreadable report)."""

    exit_code = 2

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = problems or []


_OS_REASONS = {
    errno.EACCES: "没有写入权限（文件夹或文件是只读的）",
    errno.EPERM: "没有写入权限（文件夹或文件是只读的）",
    errno.EEXIST: "同名的文件或文件夹已经存在",
    errno.ELOOP: "链接指向自身或层层循环",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EIO: "磁盘读写出错",
    errno.EMFILE: "同时打开的文件太多",
    errno.EROFS: "所在的磁盘是只读的",
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ETXTBSY: "文件正被其他程序占用",
}


_READ_REASONS = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ENOENT: "文件不存在（或是指向不存在文件的链接）",
}


def os_reason(error: OSError, reading: bool = True) -> str:
    """Why a file could not be read (or written), in Chinese: never the system's English (“Permission denied”)."""
    number = error.errno or 0
    if getattr(error, "winerror", None) in (32, 33):
        return "文件正被其他程序打开（如 Word、WPS 或 Excel），请先关闭它"
    reason = (_READ_REASONS.get(number) if reading else None) or _OS_REASONS.get(number)
    if reason:
        return reason
    name = errno.errorcode.get(number)
    return f"系统错误（{name}）" if name else "系统错误"


class FileNotWritable(DrafterError):
    """A file cannot be written (read-only folder, locked file, full disk …); nothing was changed."""

    exit_code = 2

    def __init__(self, path: Path, error: OSError):
        reason = os_reason(error, reading=False)
        super().__init__(f"无法写入 {path}：{reason}。原文件未改动。请检查该文件夹的权限和磁盘空间，"
                         "或关闭正在使用该文件的程序后重试。")
        self.path = path


class WorkspaceLocked(DrafterError):
    """Another command is writing the same workspace."""

    exit_code = 2

    def __init__(self, root: Path, holder: str):
        super().__init__(f"工作目录 {root} 正在被另一个命令使用：{holder}。请等它完成后再试。")
        self.holder = holder
