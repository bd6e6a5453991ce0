"""对话: the chat of `drafter chat` in a side panel — same chat.json, same ChatSession, same rules.

A plain-language request becomes proposals (streamed while the model writes), each accepted,
rejected or edited by the clerk; slash commands run through the same ChatLoop as in the terminal.
Questions the terminal asks in the middle (which section? replace a hand edit?) are asked in the
page instead, before anything is written.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from ... import document
from ...backends.base import NeedsModel
from ...errors import InputError
from .common import Year, engine, engine_label, open_year
from .drafting import _start

router = APIRouter()


class PanelIO:
    """ChatIO that collects what a slash command says, to show it in the panel."""

    def __init__(self):
        self.items: list[tuple] = []

    def read(self) -> str | None:
        return None

    def ask(self, question: str) -> str:
        return ""

    def say(self, text: str, style: str = "") -> None:
        self.items.append(("say", text, style))

    def stream(self, text: str) -> None:
        self.items.append(("say", text, ""))

    def show_diff(self, diff: str) -> None:
        self.items.append(("diff", diff, ""))

    def show_changes(self, changes) -> None:
        self.items.append(("changes", changes, ""))

    def show_findings(self, findings) -> None:
        self.items.append(("findings", findings, ""))

    def edit(self, text: str) -> str:
        return text


def open_session(site, ws, year: int):
    from ...services.chat import ChatSession

    if not ws.draft_path(year).exists():
        raise InputError("还没有草稿。请先在“起草/重写”中起草全文，再用对话修改。")
    backend, prompts = engine(site, ws)
    session = ChatSession(ws, year, backend, prompts)
    session.load()
    return session


@router.get("/{year}/chat", response_class=HTMLResponse)
def panel(request: Request, year: Year):
    site, ws = open_year(request, year)
    label, problem = engine_label(site, ws)
    try:
        session = open_session(site, ws, year)
    except InputError as exc:
        return site.part("fragments/chat_panel.html", year=year, session=None, note=str(exc), engine=label,
                         engine_problem=problem)
    turns = list(zip(session.messages[::2], session.messages[1::2]))
    return site.part("fragments/chat_panel.html", year=year, session=session, turns=turns, note="", engine=label,
                     engine_problem=problem)


@router.post("/{year}/chat", response_class=HTMLResponse)
def say(request: Request, year: Year, message: str = Form(""), section: str = Form("")):
    from ...services.chat import route
    from ...services.conversation import ChatLoop

    site, ws = open_year(request, year)
    line = message.strip()
    if not line:
        return HTMLResponse("")
    session = open_session(site, ws, year)
    if line.startswith("/"):
        name, _, arg = line[1:].partition(" ")
        if name == "regen":
            part, _, instruction = arg.strip().partition(" ")
            key = document.SECTION_ALIASES.get(part)
            if key is None:
                return site.part("fragments/chat_turn.html", line=line, items=[("say", "用法：/regen 一|五|六 [修改要求]", "red")])
            return _chat_job(site, year, line, [key], lambda s, k, chunk: s.regenerate(k, instruction.strip(),
                                                                                       lambda _k, t: chunk(t)))
        io = PanelIO()
        loop = ChatLoop(session, io)
        loop.handle(line)
        session.save()
        return site.part("fragments/chat_turn.html", line=line, items=io.items)
    if not session.backend.follows_instructions:
        raise NeedsModel()
    keys = list(document.PROSE_SECTIONS) if section == "all" else [section] if section in document.PROSE_SECTIONS else route(line)
    if not keys:
        return site.part("fragments/chat_choose.html", year=year, line=line)
    return _chat_job(site, year, line, keys, lambda s, k, chunk: s.propose(k, line, chunk))


def _chat_job(site, year: int, line: str, keys: list[str], make) -> HTMLResponse:
    """Proposals for `keys`, one after another, the model's text streamed to the panel."""

    def work(ui):
        session = open_session(site, site.workspace(), year)
        proposals = []
        for key in keys:
            proposals.append(make(session, key, lambda text, key=key: ui.stream(key, text)))
        session.save()
        return proposals

    def done(proposals) -> str:
        shown = [(site.proposals.add(year, "chat", p), p) for p in proposals]
        return site.fragment("fragments/chat_proposals.html", year=year, line=line, shown=shown)

    turn = site.fragment("fragments/chat_turn.html", line=line, items=[])
    return _start(site, year, "chat", keys, work, done, before=turn)


@router.post("/{year}/chat/proposals/{proposal_id}/accept", response_class=HTMLResponse)
def accept(request: Request, year: Year, proposal_id: str, text: str | None = Form(None), overwrite: str = Form("")):
    from ...services.chat import SectionEditedMeanwhile

    site, ws = open_year(request, year)
    waiting = site.proposals.get(year, proposal_id, "chat")
    proposal = waiting.proposal
    if text is not None:
        proposal.text = text.replace("\r\n", "\n").strip()
    session = open_session(site, ws, year)
    try:
        session.apply(proposal, overwrite=bool(overwrite))
    except SectionEditedMeanwhile as exc:
        return site.part("fragments/ask_overwrite.html", status=409, w=waiting, year=year, message=str(exc),
                         diff=exc.diff, text=text, action=f"/{year}/chat/proposals/{proposal_id}")
    site.proposals.drop(proposal_id)
    return site.message(f"已修改“{document.HEADINGS[proposal.key]}”（原稿保存在历史中，可用 /undo 撤销）。", kind="ok")


@router.post("/{year}/chat/proposals/{proposal_id}/reject", response_class=HTMLResponse)
def reject(request: Request, year: Year, proposal_id: str):
    site, ws = open_year(request, year)
    waiting = site.proposals.get(year, proposal_id, "chat")
    open_session(site, ws, year).reject(waiting.proposal)
    site.proposals.drop(proposal_id)
    return site.message("已拒绝，草稿未改动。", kind="info")
