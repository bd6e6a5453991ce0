"""A workspace: `drafter.toml` plus one folder per year (stats.yaml, notes.md, draft.md …).

All writes are atomic, and every overwrite first keeps the old version in the year's history.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DrafterError, FileNotWritable, InputError, WorkspaceLocked
from .notes import NOTES_NAME
from .settings import CONFIG_NAME
from .textfile import read_text

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

if TYPE_CHECKING:
    from .model import Stats
    from .statsfile import StatsDocument

STATS_NAME = "stats.yaml"
XLSX_NAME = "stats.xlsx"
DRAFT_NAME = "draft.md"
PUBLISHED_NAME = "published.md"
PROVENANCE_NAME = "draft.provenance.json"
CHAT_NAME = "chat.json"
HISTORY_DIR = ".history"
LOCK_NAMES = {"write": ".drafter.lock", "drafting": ".drafter-drafting.lock"}
DEFAULT_ACTOR = "drafter"
LOCK_WAIT_S = 10.0


def atomic_write(path: Path, text: str, command: str = DEFAULT_ACTOR, keep_history: bool = True,
                 extra: dict | None = None) -> bool:
    """Write `text` to `path` atomically; keep the previous content in history. False if unchanged."""
    return atomic_write_bytes(path, text.encode("utf-8"), command, keep_history, extra)


def atomic_write_bytes(path: Path, data: bytes, command: str = DEFAULT_ACTOR, keep_history: bool = True,
                       extra: dict | None = None) -> bool:
    """Write `data` to `path` atomically; keep the previous content in history. False if unchanged.

    An OS error (read-only folder, file locked by another program, full disk) is a FileNotWritable
    naming the file, and leaves the old file as it was.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if keep_history and path.exists():
            old = path.read_bytes()
            if old == data:
                return False
            keep_version(path, old, command, extra)
        mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
    except OSError as exc:
        raise FileNotWritable(path, exc) from None
    with replacing(path, "wb", mode) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return True


@contextmanager
def replacing(path: Path, how: str = "wb", mode: int | None = None):
    """A file handle whose content replaces `path` whole when the block ends (a temporary file beside it
    until then). An OS error is a FileNotWritable naming the file; any failure leaves the old file as it was."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise FileNotWritable(path, exc) from None
    try:
        with os.fdopen(fd, how, **({} if "b" in how else {"encoding": "utf-8", "newline": ""})) as handle:
            yield handle
        os.chmod(tmp, _default_mode() if mode is None else mode)  # mkstemp makes 0600 files
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FileNotWritable(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")     # what `replacing` names its temporary files
STALE_TEMP_SECONDS = 600        # a temporary file lives as long as one write: older ones were left by a killed process


def sweep_stale_temps(folder: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove the temporary files a killed process left beside the files it was replacing (`folder` and the
    folders in it, not deeper than a workspace goes); the paths removed."""
    now = time.time()
    removed = []
    for path in [*folder.glob(".*.tmp"), *folder.glob("*/.*.tmp"), *folder.glob("*/.history/.*.tmp")]:
        try:
            if _TEMP_NAME.match(path.name) and path.is_file() and now - path.stat().st_mtime > older_than:
                path.unlink()
                removed.append(path)
        except OSError:
            continue            # in use, or gone meanwhile: left alone
    return removed


def _default_mode() -> int:
    """Permissions of a newly created file under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def keep_version(path: Path, content: bytes, command: str = DEFAULT_ACTOR, extra: dict | None = None) -> Path:
    """Store `content` (the version of `path` about to be replaced) in the folder's history."""
    history = path.parent / HISTORY_DIR
    history.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    saved = history / f"{stamp}__{path.name}"
    saved.write_bytes(content)
    entry = {"time": datetime.now().isoformat(timespec="seconds"), "file": path.name,
             "saved_as": saved.name, "replaced_by": command, **(extra or {})}
    _log(history, entry)
    return saved


def _log(history: Path, entry: dict) -> None:
    with open(history / "history.jsonl", "a", encoding="utf-8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")


def mark_undone(folder: Path, saved_as: str) -> None:
    """Record that a saved version was restored by undo, so the next undo goes one step further back."""
    _log(folder / HISTORY_DIR, {"time": datetime.now().isoformat(timespec="seconds"), "file": "",
                                "saved_as": saved_as, "undone": True})


def history_entries(folder: Path, name: str | None = None) -> list[dict]:
    """History records of a year folder, oldest first (optionally for one file); damaged lines are skipped."""
    log = folder / HISTORY_DIR / "history.jsonl"
    if not log.exists():
        return []
    entries = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict) and "saved_as" in entry:
            entries.append(entry)
    marks = {e["saved_as"] for e in entries if e.get("undone")}
    return [{**e, "undone": e["saved_as"] in marks} for e in entries
            if not e.get("file") == "" and (name is None or e.get("file") == name)]


@dataclass
class Workspace:
    """An agency's folder. `actor` names who writes (the running command or front-end), for history records."""

    root: Path
    config: dict
    actor: str = DEFAULT_ACTOR
    _locks: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def open(cls, root: Path | str = ".", actor: str = DEFAULT_ACTOR) -> "Workspace":
        """Open a workspace folder; drafter.toml is optional (defaults apply)."""
        root = Path(root)
        if not root.is_dir():
            raise InputError(f"工作目录 {root} 不存在。")
        config_path = root / CONFIG_NAME
        config: dict = {}
        if config_path.exists():
            config = _parse_toml(read_text(config_path, CONFIG_NAME))
        return cls(root, config, actor)

    @property
    def agency(self) -> str:
        return str(self.config.get("agency", ""))

    def self_reference(self, agency: str) -> str:
        return str(self.config.get("self_reference") or self_reference(agency))

    # ---- where things are ----
    def year_dir(self, year: int) -> Path:
        return self.root / str(year)

    def stats_path(self, year: int) -> Path:
        return self.year_dir(year) / STATS_NAME

    def xlsx_path(self, year: int) -> Path:
        return self.year_dir(year) / XLSX_NAME

    def notes_path(self, year: int) -> Path:
        return self.year_dir(year) / NOTES_NAME

    def draft_path(self, year: int) -> Path:
        return self.year_dir(year) / DRAFT_NAME

    def published_path(self, year: int) -> Path:
        return self.year_dir(year) / PUBLISHED_NAME

    def provenance_path(self, year: int) -> Path:
        return self.year_dir(year) / PROVENANCE_NAME

    def chat_path(self, year: int) -> Path:
        return self.year_dir(year) / CHAT_NAME

    def years(self) -> list[int]:
        """The years that have a folder, oldest first."""
        return sorted(int(p.name) for p in self.root.iterdir() if p.is_dir() and re.fullmatch(r"(19|20)\d\d", p.name))

    def display(self, path: Path) -> str:
        """A path as shown to the user: relative to the workspace."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    # ---- reading and writing ----
    def read(self, path: Path) -> str:
        """A user file's text in any encoding an office saves (see textfile)."""
        return read_text(path, self.display(path))

    def write(self, path: Path, text: str, keep_history: bool = True, extra: dict | None = None,
              command: str | None = None) -> bool:
        """Write atomically, the old version kept in history under this workspace's actor. False if unchanged."""
        return atomic_write(path, text, command or self.actor, keep_history, extra)

    def write_bytes(self, path: Path, data: bytes, keep_history: bool = True) -> bool:
        return atomic_write_bytes(path, data, self.actor, keep_history)

    def lock(self, kind: str = "write", wait: float | None = None) -> "WorkspaceLock":
        """Exclusive right to write this workspace (one writer at a time); see WorkspaceLock.

        "drafting" is held through a whole drafting run (a model may take minutes), so two drafting
        commands do not run at once, while the short "write" lock lets other edits (a table cell in
        the workbench) go on meanwhile.
        """
        if kind not in self._locks:
            self._locks[kind] = WorkspaceLock(self.root / LOCK_NAMES[kind], self.actor, LOCK_WAIT_S if wait is None else wait)
        return self._locks[kind]

    def load_stats(self, year: int) -> StatsDocument:
        """Read one year's stats.yaml (problems name the file relative to the workspace)."""
        from .statsfile import load_stats

        path = self.stats_path(year)
        return load_stats(path, self.display(path))

    def prior_stats(self, year: int) -> Stats | None:
        """Last year's statistics when the workspace has them and they read cleanly."""
        from .statsfile import load_stats

        path = self.stats_path(year - 1)
        if not path.exists():
            return None
        try:
            return load_stats(path).stats
        except DrafterError:
            return None


def open_workspace(root: Path | str = ".", actor: str = DEFAULT_ACTOR) -> Workspace:
    """Open an agency's workspace folder (see Workspace.open)."""
    return Workspace.open(root, actor)


def _parse_toml(text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{CONFIG_NAME}：格式错误（{toml_message(exc)}）。") from None


_TOML_MESSAGES = (
    (r"Invalid value", "值写得不对，文字要加英文双引号，如 agency = \"某某局\""),
    (r"Invalid statement", "这一行不是“键 = 值”的形式"),
    (r"Cannot overwrite a value|Cannot declare .* twice", "同一设置项写了两次"),
    (r"Expected '=' after a key", "键名后面缺少“=”"),
    (r"Unclosed string|Illegal character", "引号没有配对，或含有不允许的字符"),
    (r"Expected newline or end of document", "一行只能写一个设置项"),
)


def toml_message(exc: Exception) -> str:
    """A TOML parser message in Chinese, with its line and column."""
    text = str(exc)
    where = re.search(r"\(at line (\d+), column (\d+)\)", text)
    place = f"第 {where.group(1)} 行第 {where.group(2)} 列：" if where else ""
    for pattern, chinese in _TOML_MESSAGES:
        if re.search(pattern, text):
            return place + chinese
    return place + re.sub(r"\s*\(at line.*\)$", "", text)


class WorkspaceLock:
    """A lock file that lets one writing command at a time change a workspace.

    A second command waits up to `wait` seconds, then stops with WorkspaceLocked naming the holder
    (its command and since when). The lock is an advisory OS lock on the file, so a crashed
    command never leaves the workspace locked.
    """

    def __init__(self, path: Path, actor: str, wait: float):
        self.path, self.actor, self.wait = path, actor, wait
        self.handle = None
        self.depth = 0

    def __enter__(self) -> "WorkspaceLock":
        if self.depth:
            self.depth += 1
            return self
        try:
            handle = open(self.path, "a+", encoding="utf-8")
        except OSError as exc:
            raise FileNotWritable(self.path, exc) from None
        deadline = time.monotonic() + self.wait
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                handle.seek(0)
                holder = handle.read().strip() or "另一个程序"
                handle.close()
                raise WorkspaceLocked(self.path.parent, holder)
            time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{self.actor}（进程 {os.getpid()}，{datetime.now():%Y-%m-%d %H:%M:%S} 开始）")
        handle.flush()
        self.handle, self.depth = handle, 1
        return self

    def __exit__(self, *exc_info) -> None:
        self.depth -= 1
        if self.depth or self.handle is None:
            return
        self.handle.seek(0)
        self.handle.truncate()
        _unlock(self.handle)
        self.handle.close()
        self.handle = None


def _try_lock(handle) -> bool:
    if fcntl is None:  # Windows: msvcrt locks a byte range
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(handle) -> None:
    if fcntl is None:
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


_SELF_REFERENCES = (
    (re.compile(r"区人民政府$"), "我区"), (re.compile(r"县人民政府$"), "我县"),
    (re.compile(r"市人民政府$"), "我市"), (re.compile(r"省人民政府$"), "我省"),
    (re.compile(r"乡人民政府$"), "我乡"), (re.compile(r"镇人民政府$"), "我镇"),
    (re.compile(r"街道办事处$|街道$"), "我街道"), (re.compile(r"局$|分局$"), "我局"),
    (re.compile(r"委员会$|委$"), "我委"), (re.compile(r"办公厅$|厅$"), "我厅"),
    (re.compile(r"办公室$|办$"), "我办"), (re.compile(r"中心$"), "我中心"),
)


def self_reference(agency: str) -> str:
    """How the agency refers to itself in prose (我局, 我市 …); 本机关 when the name does not tell."""
    for pattern, word in _SELF_REFERENCES:
        if pattern.search(agency):
            return word
    return "本机关"


def config_skeleton(agency: str) -> str:
    """drafter.toml written by `drafter init`."""
    return (
        "# report_drafter 工作目录设置\n"
        f'agency = "{agency}"          # 机关名称，用于报告标题和正文\n'
        f'self_reference = "{self_reference(agency)}"          # 正文中的自称，如 我局、我市\n'
        "\n"
        "[model]\n"
        "# 使用大模型起草时填写（任何兼容 OpenAI 接口的服务均可）；不填则使用离线起草。\n"
        '# base_url = "https://api.deepseek.com/v1"\n'
        '# name = "deepseek-chat"\n'
        "# API 密钥请用环境变量 OPENAI_API_KEY 设置，不要写在这里。\n"
    )
