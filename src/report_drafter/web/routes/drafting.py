"""起草/重写: generate the draft, redraft one section as a proposal (streamed, cancellable), history and undo.

No question is asked while a model writes: the page asks first (a hand-edited section, drafting
over hand edits) and the job carries the answer; a redrafted section is only a proposal until the
clerk accepts it, and accepting refuses to replace a section that changed meanwhile.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Header, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from ... import document
from ...errors import InputError
from ...services.history import history, undo
from ...services.provenance import read_provenance
from ...versions import MISSING, file_version, require_version, version_of
from ...workspace import DRAFT_NAME, STATS_NAME
from ..jobs import Job, event_stream
from .common import Year, engine, engine_label, last_usage, open_year, prose_key

router = APIRouter()
HISTORY_SHOWN = 8


def drafting_context(site, ws, year: int) -> dict:
    from ...services.proposals import hand_edits

    label, problem = engine_label(site, ws)
    draft_path = site.checked(ws, ws.draft_path(year))
    version = file_version(draft_path)
    edits = hand_edits(ws, year) if version != MISSING else {}
    recorded = read_provenance(ws, year).get("sections", {})
    try:
        backend, _ = engine(site, ws)
        instructed = backend.follows_instructions
    except Exception:
        instructed = False
    return {"engine": label, "engine_problem": problem, "instructed": instructed, "draft_version": version,
            "stats_version": file_version(site.checked(ws, ws.stats_path(year))), "edits": edits,
            "recorded": recorded, "usage": last_usage(ws, year),
            "history": {name: history(ws, year, name)[:HISTORY_SHOWN] for name in (DRAFT_NAME, STATS_NAME)}}


def _pane(site, ws, year: int, note: str = "") -> HTMLResponse:
    return site.part("pane.html", year=year, tab="drafting", panes={}, pane="panes/drafting.html", oob=False,
                     note=note, **drafting_context(site, ws, year))


def _start(site, year: int, kind: str, keys: list[str], work, done, before: str = "") -> HTMLResponse:
    job = site.jobs.add(Job(year, kind, keys))
    job.run(work, lambda result: site.redact(done(result)),
            lambda text, problems: site.redact(site.fragment("fragments/failed.html", text=text, problems=problems,
                                                             year=year)),
            lambda: site.fragment("fragments/message.html", kind="warning",
                                  text="已取消，草稿未改动。" if kind != "generate" else "已取消起草，草稿未改动。"))
    return site.part("fragments/job.html", job=job, year=year, kind=kind, before=before)


@router.post("/{year}/generate", response_class=HTMLResponse)
def generate(request: Request, year: Year, version: str = Form(...), force: str = Form(""), confirmed: str = Form("")):
    from ...services.drafting import generate as draft
    from ...services.proposals import hand_edits

    site, ws = open_year(request, year)
    path = site.checked(ws, ws.draft_path(year))
    require_version(ws, path, version)
    edits = hand_edits(ws, year) if path.exists() else {}
    if force and edits and not confirmed:
        return site.part("fragments/ask_force.html", year=year, edits=edits, version=version)
    backend, prompts = engine(site, ws)
    keys = [k for k in document.PROSE_SECTIONS if force or k not in edits]

    def work(ui):
        return draft(site.workspace(), year, backend, prompts, force=bool(force), ui=ui)

    def done(result) -> str:
        from ...backends.base import total_usage

        tokens = total_usage(result.completions.values())
        return site.fragment("fragments/generated.html", r=result, year=year, tokens=tokens,
                             shown=ws.display(result.path), new_version=version_of(result.text.encode("utf-8")))

    return _start(site, year, "generate", keys, work, done)


@router.post("/{year}/regenerate/{key}", response_class=HTMLResponse)
def regenerate(request: Request, year: Year, key: str, version: str = Form(...), instruction: str = Form(""),
               confirmed: str = Form("")):
    from ...services.proposals import hand_edits, propose_section

    site, ws = open_year(request, year)
    key = prose_key(key)
    path = site.checked(ws, ws.draft_path(year))
    if not path.exists():
        raise InputError("还没有草稿，请先起草全文。")
    require_version(ws, path, version)
    edits = hand_edits(ws, year)
    if key in edits and not confirmed:
        return site.part("fragments/ask_edited.html", year=year, key=key, diff=edits[key], version=version,
                         instruction=instruction)
    backend, prompts = engine(site, ws)
    instruction = instruction.strip()

    def work(ui):
        return propose_section(site.workspace(), year, key, backend, prompts, instruction, ui)

    def done(proposal) -> str:
        waiting = site.proposals.add(year, "regenerate", proposal)
        return site.fragment("fragments/proposal.html", w=waiting, p=proposal, year=year,
                             ignored=bool(instruction) and not backend.follows_instructions)

    return _start(site, year, "regenerate", [key], work, done)


@router.get("/{year}/jobs/{job_id}/events")
def job_events(request: Request, year: Year, job_id: str, last_event_id: str | None = Header(None)):
    site, _ = open_year(request, year)
    job = site.jobs.get(job_id)
    if job is None or job.year != year:
        raise InputError("这项任务已结束或不存在。")
    start = int(last_event_id) + 1 if last_event_id and last_event_id.isdigit() else 0
    return StreamingResponse(event_stream(job, start), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.post("/{year}/jobs/{job_id}/cancel", response_class=HTMLResponse)
def cancel_job(request: Request, year: Year, job_id: str):
    site, _ = open_year(request, year)
    job = site.jobs.get(job_id)
    if job is None or job.year != year:
        raise InputError("这项任务已结束或不存在。")
    job.cancel()
    return site.message("正在取消……", kind="warning")


@router.post("/{year}/proposals/{proposal_id}/accept", response_class=HTMLResponse)
def accept(request: Request, year: Year, proposal_id: str, text: str | None = Form(None), overwrite: str = Form("")):
    from ...services.proposals import SectionChanged, accept_proposal

    site, ws = open_year(request, year)
    waiting = site.proposals.get(year, proposal_id, "regenerate")
    proposal = waiting.proposal
    edited = text.replace("\r\n", "\n") if text is not None else None
    try:
        accept_proposal(ws, year, proposal, edited, overwrite=bool(overwrite))
    except SectionChanged as exc:
        return site.part("fragments/ask_overwrite.html", status=409, w=waiting, year=year, message=str(exc),
                         diff=exc.diff, text=edited, action=f"/{year}/proposals/{proposal_id}")
    site.proposals.drop(proposal_id)
    how = "（编辑后接受）" if edited is not None and edited.strip() != proposal.text.strip() else ""
    return _pane(site, ws, year, f"已用修改稿替换“{document.HEADINGS[proposal.key]}”{how}，其余内容未改动。"
                                 "原稿保存在历史中，可撤销。")


@router.post("/{year}/proposals/{proposal_id}/reject", response_class=HTMLResponse)
def reject(request: Request, year: Year, proposal_id: str, pane: str = Form("")):
    site, ws = open_year(request, year)
    site.proposals.get(year, proposal_id, "regenerate")
    site.proposals.drop(proposal_id)
    if pane:
        return _pane(site, ws, year, "已放弃修改稿，草稿未改动。")
    return site.message("已拒绝修改稿，草稿未改动。", kind="info")


@router.post("/{year}/undo/{name}", response_class=HTMLResponse)
def undo_last(request: Request, year: Year, name: str, version: str = Form(...)):
    site, ws = open_year(request, year)
    if name not in (DRAFT_NAME, STATS_NAME):
        raise InputError("只能撤销 draft.md 或 stats.yaml 的修改。")
    path = site.checked(ws, ws.year_dir(year) / name)
    with ws.lock():
        require_version(ws, path, version)
        entry = undo(ws, year, name)
    return _pane(site, ws, year, f"已把 {year}/{name} 恢复到 {entry['time']} 的版本（被“{entry['replaced_by']}”替换之前）。"
                                 "撤销前的版本也已保存在历史中。")

