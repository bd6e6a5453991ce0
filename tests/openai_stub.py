"""A local OpenAI-compatible chat server for tests and benchmarks (stdlib only, never the network).

Each POST /v1/chat/completions takes the next scripted `Behaviour` from a queue (or the default
one when the queue is empty) and answers as plain JSON or as an SSE stream. Every request is
recorded with its arrival and finish times so tests can check that requests overlapped.
An answer longer than the request's max_tokens is cut there (finish_reason "length"), one
token per character, as a real server would.

`serial=True` answers one request at a time, like llama.cpp's server (one slot) or Ollama by
default: the others wait their turn, without a byte sent, or (`Behaviour.early_headers`) after
the response headers and the role chunk, as some servers send them at once. `interrupt=True`
(with serial) is llama-cpp-python's default: a stream is broken off, `[DONE]` without a finish
reason, as soon as another request waits. `context` makes GET /props answer as llama.cpp does.

Scripts for what real servers and small models do: `Behaviour(interrupted=True)` (a stream cut
without finish reason), `text=ECHO` (an answer that echoes the prompt), `cycle=(…)` (a numbered
list looping through the same items), `usage=False` (no usage in the stream).

Standalone:  python tests/openai_stub.py --delay 0.5 --port 8765
             python tests/openai_stub.py --serial --delay 3 --text "……"
             python tests/openai_stub.py --script answers.json   (a list of Behaviour fields per request)
Imported:    server = start_server(Behaviour(delay=0.5)); ...; server.stop()
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ECHO = None  # Behaviour.text = ECHO answers "答复：<last user message>"


@dataclass
class Behaviour:
    """What the server does for one request."""

    text: str | None = ECHO
    delay: float = 0.0  # seconds before the response starts
    chunk_delay: float = 0.0  # seconds between streamed chunks
    chunk_chars: int = 4  # characters of content per streamed chunk
    status: int = 200  # non-200 answers with an OpenAI-style error body
    error_message: str = "stub error"
    error_code: str | None = None
    reasoning: str | None = None  # sent in a separate `reasoning_content` field
    finish_reason: str = "stop"
    usage: bool = True  # report token usage (always in JSON; in streams when asked)
    headers: dict = field(default_factory=dict)
    repeat: str | None = None  # after `text`, this passage again and again until the length limit
    stall_after: int | None = None  # stream this many characters, then send nothing more (for `stall_for` s)
    stall_for: float = 30.0
    early_headers: bool = False  # streams: headers and the role chunk before waiting (delay, serial queue)
    interrupted: bool = False  # streams: end with [DONE] and no finish_reason (after `text`)
    cycle: tuple = ()  # after `text`, numbered items cycling through these until the length limit


REPEAT_LIMIT = 20000  # characters a repeating answer runs to when the request sets no max_tokens


@dataclass
class Received:
    """One request as the server saw it."""

    body: dict
    headers: dict  # names in lower case
    started: float
    finished: float | None = None
    behaviour: Behaviour | None = None

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))


def overlapped(a: Received, b: Received) -> bool:
    """Whether two requests were being served at the same time."""
    return a.started < (b.finished or time.monotonic()) and b.started < (a.finished or time.monotonic())


class StubServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], default: Behaviour, serial: bool = False,
                 interrupt: bool = False, context: int | None = None):
        super().__init__(address, Handler)
        self.default = default
        self.serial = serial
        self.interrupt = interrupt
        self.context = context
        self.ollama = False  # answer GET /api/version as Ollama does
        self.waiting = 0  # requests waiting for the slot
        self.slot = threading.Lock()  # held while a request is answered, when serial
        self.behaviours: deque[Behaviour] = deque()
        self.requests: list[Received] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL to give an OpenAI client (ends with /v1)."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *behaviours: Behaviour) -> "StubServer":
        """Queue behaviours for the next requests, in arrival order."""
        with self.lock:
            self.behaviours.extend(behaviours)
        return self

    def next_behaviour(self) -> Behaviour:
        with self.lock:
            return self.behaviours.popleft() if self.behaviours else self.default

    def record(self, received: Received) -> None:
        with self.lock:
            self.requests.append(received)

    def handle_error(self, request, client_address) -> None:
        """A client that hung up (a loop stopped early, a timeout) is no error of the server's."""
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StubServer

    def log_message(self, format: str, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            self.send_json(200, {"object": "list", "data": [{"id": "stub-model", "object": "model"}]})
        elif self.path.rstrip("/") == "/api/version" and self.server.ollama:
            self.send_json(200, {"version": "0.12.0"})
        elif self.path.rstrip("/") == "/props" and self.server.context:
            self.send_json(200, {"default_generation_settings": {"n_ctx": self.server.context},
                                 "total_slots": 1 if self.server.serial else 4})
        else:
            self.send_json(404, error_body("not found", "not_found"))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self.send_json(404, error_body(f"no route {self.path}", "not_found"))
            return
        body = json.loads(raw or b"{}")
        behaviour = self.server.next_behaviour()
        received = Received(body, {k.lower(): v for k, v in self.headers.items()}, time.monotonic(),
                            behaviour=behaviour)
        self.server.record(received)
        try:
            self.answer(body, behaviour)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): nothing to send
        finally:
            received.finished = time.monotonic()

    def answer(self, body: dict, behaviour: Behaviour) -> None:
        early = bool(body.get("stream")) and behaviour.early_headers and behaviour.status == 200
        stream_id = f"chatcmpl-{uuid.uuid4().hex[:12]}"  # one id for the whole stream, as OpenAI does
        if early:
            self.start_stream(behaviour)
            self.write_event(role_chunk(body, stream_id))
        with self.turn():
            if behaviour.delay and self.server.stopping.wait(behaviour.delay):
                return
            self.respond(body, behaviour, early, stream_id)

    @contextlib.contextmanager
    def turn(self):
        """The server's only slot when serial (requests wait here in arrival order), else nothing."""
        if not self.server.serial:
            yield
            return
        with self.server.lock:
            self.server.waiting += 1
        try:
            self.server.slot.acquire()
        finally:
            with self.server.lock:
                self.server.waiting -= 1
        try:
            yield
        finally:
            self.server.slot.release()

    def respond(self, body: dict, behaviour: Behaviour, started: bool, stream_id: str) -> None:
        if behaviour.status != 200:
            self.send_json(behaviour.status, error_body(behaviour.error_message, behaviour.error_code),
                           behaviour.headers)
            return
        text, finish = cut_to_limit(body, behaviour)
        usage = usage_of(body, text, behaviour)
        if body.get("stream"):
            if not started:
                self.start_stream(behaviour)
            self.send_events(stream_events(body, behaviour, text, usage, finish, stream_id, role=not started),
                             behaviour, text)
        else:
            message = {"role": "assistant", "content": text}
            if behaviour.reasoning is not None:
                message["reasoning_content"] = behaviour.reasoning
            payload = completion(body, [{"index": 0, "message": message,
                                         "finish_reason": finish}], "chat.completion")
            if behaviour.usage:
                payload["usage"] = usage
            self.send_json(200, payload, behaviour.headers)

    def send_json(self, status: int, payload: dict, headers: dict | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def start_stream(self, behaviour: Behaviour) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in behaviour.headers.items():
            self.send_header(name, value)
        self.end_headers()

    def send_events(self, events, behaviour: Behaviour, text: str) -> None:
        sent = 0
        for event, chars in events:
            if self.server.interrupt and self.server.waiting:   # llama-cpp-python: another request waits, stop here
                break
            if behaviour.stall_after is not None and sent + chars > behaviour.stall_after:
                self.server.stopping.wait(behaviour.stall_for)  # stalled: the connection stays open, silent
                self.close_connection = True
                return
            self.write_event(event)
            sent += chars
            if behaviour.chunk_delay and self.server.stopping.wait(behaviour.chunk_delay):
                return
        self.write_chunk(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def write_event(self, event: str) -> None:
        self.write_chunk(f"data: {event}\n\n".encode("utf-8"))

    def write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode("ascii") + data + b"\r\n")
        self.wfile.flush()


def error_body(message: str, code: str | None) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}}


def answer_text(body: dict, behaviour: Behaviour) -> str:
    if behaviour.text is not ECHO:
        return behaviour.text
    users = [m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user"]
    return f"答复：{users[-1] if users else ''}"


def max_tokens(body: dict) -> int | None:
    return body.get("max_completion_tokens") or body.get("max_tokens")


def cut_to_limit(body: dict, behaviour: Behaviour) -> tuple[str, str]:
    """The answer and its finish reason: cut at the request's max_tokens (one token per character)."""
    text = answer_text(body, behaviour)
    limit = max_tokens(body)
    if behaviour.cycle:
        size = limit or REPEAT_LIMIT
        items = (f"{n + 1}. {behaviour.cycle[n % len(behaviour.cycle)]}\n" for n in range(size))
        while len(text) < size:
            text += next(items)
        return text[:size], "length"
    if behaviour.repeat:
        size = max(limit or REPEAT_LIMIT, len(text))
        text = (text + behaviour.repeat * (size // len(behaviour.repeat) + 1))[:size]
        return text[:limit] if limit else text, "length"
    budget = None if limit is None else max(0, limit - len(behaviour.reasoning or ""))
    if budget is not None and len(text) > budget:
        return text[:budget], "length"
    return text, behaviour.finish_reason


def usage_of(body: dict, text: str, behaviour: Behaviour) -> dict:
    """Deterministic token counts: one token per character."""
    prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
    output = len(text) + len(behaviour.reasoning or "")
    return {"prompt_tokens": prompt, "completion_tokens": output, "total_tokens": prompt + output}


def completion(body: dict, choices: list[dict], kind: str, id: str | None = None) -> dict:
    return {"id": id or f"chatcmpl-{uuid.uuid4().hex[:12]}", "object": kind, "created": int(time.time()),
            "model": body.get("model", "stub-model"), "choices": choices}


def event(body: dict, stream_id: str, delta: dict, finish: str | None = None) -> str:
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    return json.dumps(completion(body, [choice], "chat.completion.chunk", stream_id), ensure_ascii=False)


def role_chunk(body: dict, stream_id: str) -> str:
    return event(body, stream_id, {"role": "assistant", "content": ""})


def stream_events(body: dict, behaviour: Behaviour, text: str, usage: dict, finish: str, stream_id: str,
                  role: bool = True):
    """The JSON payloads of an SSE stream, as the OpenAI API sends them, each with its characters of text."""
    if role:
        yield role_chunk(body, stream_id), 0
    size = max(1, behaviour.chunk_chars)
    reasoning = behaviour.reasoning or ""
    for i in range(0, len(reasoning), size):
        yield event(body, stream_id, {"content": None, "reasoning_content": reasoning[i:i + size]}), 0
    for i in range(0, len(text), size):
        yield event(body, stream_id, {"content": text[i:i + size]}), len(text[i:i + size])
    if behaviour.interrupted:
        return
    yield event(body, stream_id, {}, finish), 0
    if behaviour.usage and (body.get("stream_options") or {}).get("include_usage"):
        final = completion(body, [], "chat.completion.chunk", stream_id)
        final["usage"] = usage
        yield json.dumps(final), 0


def start_server(default: Behaviour | None = None, host: str = "127.0.0.1", port: int = 0,
                 serial: bool = False, interrupt: bool = False, context: int | None = None) -> StubServer:
    """Start a stub server in a background thread (port 0: any free port; serial: one request at a time)."""
    server = StubServer((host, port), default or Behaviour(), serial, interrupt, context)
    server.thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                     name="openai-stub", daemon=True)
    server.thread.start()
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local OpenAI-compatible stub server.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each response")
    parser.add_argument("--chunk-delay", type=float, default=0.0, help="seconds between streamed chunks")
    parser.add_argument("--text", default=None, help="fixed answer (default: echo the last user message)")
    parser.add_argument("--serial", action="store_true", help="answer one request at a time (like llama.cpp)")
    parser.add_argument("--interrupt", action="store_true",
                        help="with --serial: break off a stream when another request waits (llama-cpp-python)")
    parser.add_argument("--context", type=int, default=None, help="context size reported at GET /props")
    parser.add_argument("--script", type=Path, default=None,
                        help="JSON file: a list of Behaviour fields, one object per request in arrival order")
    args = parser.parse_args(argv)
    default = Behaviour(text=args.text, delay=args.delay, chunk_delay=args.chunk_delay)
    server = StubServer((args.host, args.port), default, args.serial, args.interrupt, args.context)
    if args.script:
        server.script(*(replace(default, **fields) for fields in json.loads(args.script.read_text("utf-8"))))
    print(server.url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server.server_close()


if __name__ == "__main__":
    main()
