"""What every route shares: the workspace folder, the page templates, jobs, proposals waiting for a decision."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from .. import __version__, document, layout
from ..errors import InputError
from ..workspace import Workspace
from .jobs import Jobs
from .security import Keys, inside

ACTOR = "drafter serve（网页工作台）"
PROPOSAL_TTL_S = 6 * 3600
TOPIC_SECTIONS = {"overview": "用于“一、总体情况”", "problems": "用于“五、存在的主要问题及改进情况”", "other": "用于“六、其他需要报告的事项”"}
MAX_PROPOSALS = 100


@dataclass
class Waiting:
    """A proposal shown to the clerk, kept until it is accepted or rejected."""

    id: str
    year: int
    kind: str               # regenerate | chat
    proposal: object
    created: float


class Proposals:
    def __init__(self):
        self.items: dict[str, Waiting] = {}
        self.lock = threading.Lock()

    def add(self, year: int, kind: str, proposal) -> Waiting:
        with self.lock:
            now = time.monotonic()
            for key in [k for k, w in self.items.items() if now - w.created > PROPOSAL_TTL_S]:
                del self.items[key]
            while len(self.items) >= MAX_PROPOSALS:
                del self.items[next(iter(self.items))]
            waiting = Waiting(uuid.uuid4().hex, year, kind, proposal, now)
            self.items[waiting.id] = waiting
            return waiting

    def get(self, year: int, proposal_id: str, kind: str) -> Waiting:
        with self.lock:
            waiting = self.items.get(proposal_id)
        if waiting is None or waiting.year != year or waiting.kind != kind:
            raise InputError("这份修改稿已失效（已处理过，或服务已重新启动）。请重新生成。")
        return waiting

    def drop(self, proposal_id: str) -> None:
        with self.lock:
            self.items.pop(proposal_id, None)


class Site:
    """The server's shared state; routes reach it as `request.app.state.site`."""

    def __init__(self, root: Path, keys: Keys):
        self.root = root.resolve()
        self.keys = keys
        self.backend = "auto"          # the drafting backend by name (drafter serve --backend)
        self.jobs = Jobs()
        self.proposals = Proposals()
        self.stats_cache: dict = {}
        self.own_writes: dict[Path, tuple[str, float]] = {}   # file → (version this session wrote, when it began)
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("report_drafter.web", "templates"),
            autoescape=jinja2.select_autoescape(("html",), default_for_string=True, default=True),
            trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
        )
        self.env.globals.update(app_version=__version__, HEADINGS=document.HEADINGS, PROSE=document.PROSE_SECTIONS,
                                SECTION_LABELS=layout.SECTION_LABELS, TOPIC_SECTIONS=TOPIC_SECTIONS)
        self.secrets: list[str] = []

    def warm(self) -> None:
        """Compile every template and load the modules the panes use, so the first page is as quick as the rest."""
        for name in self.env.list_templates(extensions=("html",)):
            self.env.get_template(name)
        from .. import rules, statsfile  # noqa: F401
        from ..checks import review  # noqa: F401
        from ..services import inputs  # noqa: F401

    # ---- the workspace ----
    def workspace(self) -> Workspace:
        """A fresh Workspace for one request (its lock is then a real lock between requests and threads)."""
        ws = Workspace.open(self.root, actor=ACTOR)
        self.remember_secrets(ws)
        return ws

    def year_dir(self, ws: Workspace, year: int) -> Path:
        """The year's folder, which must exist and lie inside the workspace (no symlink out)."""
        folder = ws.year_dir(year)
        if not folder.is_dir():
            raise YearMissing(year)
        if not inside(self.root, folder):
            raise InputError(f"{year} 文件夹指向工作目录之外，出于安全考虑不予打开。")
        return folder

    def checked(self, ws: Workspace, path: Path) -> Path:
        """`path` if it lies inside the workspace (symlinks resolved), else an InputError."""
        if not inside(self.root, path):
            raise InputError(f"{ws.display(path)} 指向工作目录之外，出于安全考虑不予读写。")
        return path

    # ---- secrets that must never reach a page ----
    def remember_secrets(self, ws: Workspace) -> None:
        from ..settings import load_settings

        try:
            settings = load_settings(ws.config)
        except Exception:
            return
        if settings.api_key is not None:
            key = settings.api_key.get_secret_value()
            for value in (key, settings.masked_key):
                if value and len(value) >= 4 and value not in self.secrets:
                    self.secrets.append(value)

    def redact(self, text: str) -> str:
        for value in self.secrets:
            text = text.replace(value, "（已隐藏）")
        return text

    # ---- pages ----
    def fragment(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)

    def page(self, request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        session = request.scope.get("state", {}).get("session", "")
        html = self.fragment(template, csrf=self.keys.csrf_token(session), request=request, **context)
        return HTMLResponse(self.redact(html), status_code=status, headers={"Cache-Control": "no-store"})

    def part(self, template: str, status: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
        html = self.fragment(template, **context)
        return HTMLResponse(self.redact(html), status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})

    def message(self, text: str, kind: str = "error", status: int = 200) -> HTMLResponse:
        return self.part("fragments/message.html", status=status, text=self.redact(text), kind=kind)


class YearMissing(InputError):
    def __init__(self, year: int):
        super().__init__(f"工作目录中没有 {year} 年度的文件夹。可在首页新建年度，或导入已发布的年报。")
        self.year = year
