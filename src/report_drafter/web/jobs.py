"""Long work (drafting with a model) in a background thread, its progress sent to the page as server-sent events.

A `Job` runs one function with a `JobUI` — the web's side of the library's UI protocol: streamed
text and notices become events; a question is never asked mid-way (the page asks before the job
starts and the job carries the answer); the cancel button makes the next streamed chunk raise
JobCancelled, which ends the model request without writing anything.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Callable

from ..errors import DrafterError
MAX_JOBS = 50
HEARTBEAT_S = 15.0
POLL_S = 0.05


class JobCancelled(Exception):
    """The clerk pressed 取消 while a model was writing."""


@dataclass
class Event:
    id: int
    kind: str       # chunk | notice | done | failed | cancelled
    data: str


class Job:
    """One piece of background work for one year, with the events it produced so far."""

    def __init__(self, year: int, kind: str, keys: list[str], assume_yes: bool = False):
        self.id = uuid.uuid4().hex
        self.year, self.kind, self.keys, self.assume_yes = year, kind, keys, assume_yes
        self.events: list[Event] = []
        self.lock = threading.Lock()
        self.cancelled = threading.Event()
        self.finished = threading.Event()
        self.started = time.monotonic()
        self.questions: list[tuple[str, str]] = []

    def emit(self, kind: str, data: str) -> None:
        with self.lock:
            self.events.append(Event(len(self.events), kind, data))

    def since(self, index: int) -> list[Event]:
        with self.lock:
            return self.events[index:]

    def cancel(self) -> None:
        self.cancelled.set()

    def run(self, work: Callable[["JobUI"], object], done: Callable[[object], str],
            failed: Callable[[str, list], str], cancelled: Callable[[], str]) -> None:
        """Run `work` in a daemon thread; its outcome becomes a done, failed or cancelled event (HTML)."""

        def target() -> None:
            try:
                result = work(JobUI(self))
                if self.cancelled.is_set():
                    self.emit("cancelled", cancelled())
                else:
                    self.emit("done", done(result))
            except JobCancelled:
                self.emit("cancelled", cancelled())
            except DrafterError as exc:
                self.emit("failed", failed(str(exc), list(getattr(exc, "problems", []) or [])))
            except Exception as exc:  # a bug: say so plainly, never a traceback
                self.emit("failed", failed(f"内部错误：{type(exc).__name__}。这是程序的问题，不是您的操作错误；草稿未改动。", []))
            finally:
                self.finished.set()

        threading.Thread(target=target, name=f"drafter-job-{self.kind}", daemon=True).start()


class JobUI:
    """The UI protocol for a job: no blocking questions, streamed text and notices as events."""

    def __init__(self, job: Job):
        self.job = job

    def confirm(self, question: str, detail: str = "") -> bool:
        self.job.questions.append((question, detail))
        return self.job.assume_yes

    def stream(self, key: str, text: str) -> None:
        if self.job.cancelled.is_set():
            raise JobCancelled()
        self.job.emit("chunk", json.dumps({"key": key, "text": text}, ensure_ascii=False))

    def notice(self, key: str, message: str) -> None:
        self.job.emit("notice", json.dumps({"key": key, "text": message}, ensure_ascii=False))


class Jobs:
    """The running and recent jobs of the server (the oldest finished ones are forgotten)."""

    def __init__(self):
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def add(self, job: Job) -> Job:
        with self.lock:
            if len(self.jobs) >= MAX_JOBS:
                for old in [j for j in self.jobs.values() if j.finished.is_set()][: len(self.jobs) - MAX_JOBS + 1]:
                    del self.jobs[old.id]
            self.jobs[job.id] = job
        return job

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)


def sse(event: Event) -> str:
    data = "".join(f"data: {line}\n" for line in event.data.split("\n"))
    return f"id: {event.id}\nevent: {event.kind}\n{data}\n"


async def event_stream(job: Job, start: int = 0):
    """The job's events from `start` on, as server-sent events, until it has finished."""
    index, quiet = start, 0.0
    while True:
        events = job.since(index)
        for event in events:
            yield sse(event)
        index += len(events)
        if job.finished.is_set() and not job.since(index):
            return
        await asyncio.sleep(POLL_S)
        quiet = 0.0 if events else quiet + POLL_S
        if quiet >= HEARTBEAT_S:
            quiet = 0.0
            yield ": 仍在进行\n\n"
