"""工作记录: one topic of notes.md saved at a time, every other byte kept."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse

from ...errors import InputError
from ...notes import TOPIC_LIST
from ...notesfile import TopicText, topic_texts
from ...versions import FileChanged
from .. import years
from .common import Year, open_year

router = APIRouter()


@router.post("/{year}/notes/{key}", response_class=HTMLResponse)
def save_topic(request: Request, year: Year, key: str, text: str = Form(""), version: str = Form(...)):
    site, ws = open_year(request, year)
    if key not in {t.key for t in TOPIC_LIST}:
        raise InputError("没有这个栏目。")
    wants_json = "application/json" in request.headers.get("accept", "")
    try:
        new_version = years.save_topic(site, ws, year, key, text, version)
    except FileChanged as exc:
        if wants_json:          # autosave: the page keeps the text and says why it was not saved
            return JSONResponse({"message": str(exc)}, status_code=409, headers={"Cache-Control": "no-store"})
        topic = TopicText(next(t for t in TOPIC_LIST if t.key == key), text, True)
        return site.part("fragments/note_topic.html", status=409, t=topic, year=year, conflict=str(exc))
    if wants_json:
        return JSONResponse({"version": new_version}, headers={"Cache-Control": "no-store"})
    topic = next(t for t in topic_texts(ws.read(ws.notes_path(year))) if t.topic.key == key)
    return site.part("fragments/note_topic.html", t=topic, year=year, saved=True, version=new_version)
