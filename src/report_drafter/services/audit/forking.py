"""Side by side: a few pieces of the audit's last steps worked at the same time in forked copies of this process.

After the batch is read, what is left (comparing prose across agencies, writing the workbook) works on
everything the main process holds; a forked copy holds it too, with nothing to send. Each piece but the
first is called in a child process and its result pickled back; the first is called here meanwhile.
A child that fails or dies (its exception, a lost result) is not an answer: its piece is called again
here, so what it raises is raised here, as it would be without children. Where fork is not available,
or threads are running (a forked copy of a lock held by another thread would never be released), the
pieces are called here one after the other.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable


def can_fork() -> bool:
    """Whether pieces can be worked in forked children here (Linux, this thread alone)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def side_by_side(pieces: list[Callable[[], object]], jobs: int = 2) -> list[object]:
    """Each piece's result, in order: all but the first called in forked children, the first here (one after the
    other here when `jobs` is 1: the user asked for one process)."""
    if len(pieces) < 2 or jobs < 2 or not can_fork():
        return [piece() for piece in pieces]
    children = [_start(piece) for piece in pieces[1:]]
    try:
        first = pieces[0]()
    except BaseException:
        for pid, reader in children:
            _stop(pid, reader)
        raise
    results = [first]
    for piece, (pid, reader) in zip(pieces[1:], children):
        answer = _collect(pid, reader)
        results.append(answer[1] if answer is not None else piece())
    return results


def _start(piece: Callable[[], object]) -> tuple[int, int]:
    reader, writer = os.pipe()
    sys.stdout.flush(), sys.stderr.flush()      # (what is buffered would be written twice)
    pid = os.fork()
    if pid == 0:                                # the child: work, send, leave without running any clean-up
        code = 0
        try:
            os.close(reader)
            data = pickle.dumps(("ok", piece()), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as out:
                out.write(data)
        except BaseException:                   # (the parent works the piece itself, and sees why)
            code = 1
        finally:
            os._exit(code)
    os.close(writer)
    return pid, reader


def _collect(pid: int, reader: int) -> tuple[str, object] | None:
    """("ok", result) from a child, or None when it gave none."""
    with os.fdopen(reader, "rb") as source:
        data = source.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    try:
        return pickle.loads(data)
    except Exception:
        return None


def _stop(pid: int, reader: int) -> None:
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    os.close(reader)
    os.waitpid(pid, 0)
