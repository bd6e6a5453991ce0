"""A workspace: `drafter.toml` plus one folder per year (stats.yaml, notes.md, draft.md …).

All writes are atomic, and every overwrite first keeps the old version in the year's history.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING

from .errors import DrafterError, InputError, Problem

if TYPE_CHECKING:
    from .model import Stats
    from .statsfile import StatsDocument

CONFIG_NAME = "drafter.toml"
STATS_NAME = "stats.yaml"
NOTES_NAME = "notes.md"
HISTORY_DIR = ".history"


def atomic_write(path: Path, text: str, command: str | None = None, keep_history: bool = True,
                 extra: dict | None = None) -> bool:
    """Write `text` to `path` atomically; keep the previous content in history. False if unchanged."""
    return atomic_write_bytes(path, text.encode("utf-8"), command, keep_history, extra)


def atomic_write_bytes(path: Path, data: bytes, command: str | None = None, keep_history: bool = True,
                       extra: dict | None = None) -> bool:
    """Write `data` to `path` atomically; keep the previous content in history. False if unchanged."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if keep_history and path.exists():
        old = path.read_bytes()
        if old == data:
            return False
        keep_version(path, old, command, extra)
    mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600 files; keep the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _default_mode() -> int:
    """Permissions of a newly created file under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


RUNNING_COMMAND: ContextVar[str] = ContextVar("running_command", default="drafter")


def current_command() -> str:
    """The command that is running (set by the CLI), for history records."""
    return RUNNING_COMMAND.get()


def keep_version(path: Path, content: bytes, command: str | None = None, extra: dict | None = None) -> Path:
    """Store `content` (the version of `path` about to be replaced) in the folder's history."""
    history = path.parent / HISTORY_DIR
    history.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    saved = history / f"{stamp}__{path.name}"
    saved.write_bytes(content)
    entry = {"time": datetime.now().isoformat(timespec="seconds"), "file": path.name,
             "saved_as": saved.name, "replaced_by": command or current_command(), **(extra or {})}
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
    """History records of a year folder, oldest first (optionally for one file)."""
    log = folder / HISTORY_DIR / "history.jsonl"
    if not log.exists():
        return []
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    marks = {e["saved_as"] for e in entries if e.get("undone")}
    return [{**e, "undone": e["saved_as"] in marks} for e in entries
            if not e.get("file") == "" and (name is None or e["file"] == name)]


@dataclass
class Workspace:
    root: Path
    config: dict

    @classmethod
    def open(cls, root: Path | str = ".") -> "Workspace":
        """Open a workspace folder; drafter.toml is optional (defaults apply)."""
        root = Path(root)
        if not root.is_dir():
            raise InputError(f"工作目录 {root} 不存在。")
        config_path = root / CONFIG_NAME
        config: dict = {}
        if config_path.exists():
            try:
                config = tomllib.loads(config_path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise InputError(f"{CONFIG_NAME}：格式错误（{exc}）。") from None
        return cls(root, config)

    @property
    def agency(self) -> str:
        return str(self.config.get("agency", ""))

    def self_reference(self, agency: str) -> str:
        return str(self.config.get("self_reference") or self_reference(agency))

    def year_dir(self, year: int) -> Path:
        return self.root / str(year)

    def display(self, path: Path) -> str:
        """A path as shown to the user: relative to the workspace."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def stats_path(self, year: int) -> Path:
        return self.year_dir(year) / STATS_NAME

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

    def validate(self, year: int) -> tuple[Stats | None, list[Problem]]:
        """Load and check a year's tables, with last year's tables for the cross-year rules."""
        from .rules import check_stats

        doc = self.load_stats(year)
        stats, problems = doc.stats, list(doc.problems)
        if stats is None:
            return None, problems
        if stats.year != year:
            problems.append(Problem("warning", f"文件中的年度为 {stats.year}，与目录 {year} 不一致", ("year",),
                                    expected=str(year), found=str(stats.year)))
        problems += check_stats(stats, self.prior_stats(year))
        return stats, doc.locate(problems)


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


def init_year(root: Path, year: int, agency: str | None, format: str = "2021") -> list[tuple[Path, bool]]:
    """Create drafter.toml, `<year>/stats.yaml` and `<year>/notes.md` where missing; never overwrite."""
    from .model import FORMATS, new_stats
    from .notes import notes_skeleton
    from .statsfile import render_stats

    if format not in FORMATS:
        raise InputError(f"表格格式应为 2021 或 2019，收到“{format}”。")
    root.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.open(root)
    agency = agency or workspace.agency
    files = {
        root / CONFIG_NAME: lambda: config_skeleton(agency),
        workspace.stats_path(year): lambda: render_stats(new_stats(year, agency, format)),
        workspace.year_dir(year) / NOTES_NAME: lambda: notes_skeleton(year, agency),
    }
    results = []
    for path, content in files.items():
        if path.exists():
            results.append((path, False))
            continue
        atomic_write(path, content())
        results.append((path, True))
    return results
