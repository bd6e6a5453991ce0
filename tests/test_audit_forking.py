"""The audit's last steps side by side in forked copies of the process (services/audit/forking.py)."""

from __future__ import annotations

import os
import threading

import pytest

from report_drafter.services.audit.forking import can_fork, side_by_side

needs_fork = pytest.mark.skipif(not can_fork(), reason="fork is not available here (or threads are running)")


@needs_fork
def test_each_piece_gives_its_result_in_order_the_others_in_children():
    here = os.getpid()
    results = side_by_side([lambda: ("first", os.getpid()), lambda: ("second", os.getpid()), lambda: ("third", os.getpid())])
    assert [name for name, _ in results] == ["first", "second", "third"]
    assert results[0][1] == here and results[1][1] != here and results[2][1] != here


@needs_fork
def test_a_piece_that_fails_in_its_child_is_worked_again_here_and_raises_here():
    calls = []

    def fails_in_child():
        calls.append(os.getpid())
        if len(calls) == 1 and os.getpid() != here:       # (the child's list is its own copy)
            raise RuntimeError("only in the child")
        return "done here"

    here = os.getpid()
    assert side_by_side([lambda: 1, fails_in_child]) == [1, "done here"]
    assert calls == [here]              # (what the child appended stayed in the child)

    def always_fails():
        raise ValueError("坏了")

    with pytest.raises(ValueError, match="坏了"):
        side_by_side([lambda: 1, always_fails])


@needs_fork
def test_a_child_that_dies_is_worked_again_here():
    def dies_in_child():
        if os.getpid() != here:
            os._exit(9)
        return "here"

    here = os.getpid()
    assert side_by_side([lambda: 0, dies_in_child]) == [0, "here"]


@needs_fork
def test_when_the_first_piece_fails_the_children_are_stopped():
    import time

    def slow():
        time.sleep(30)
        return 1

    started = time.monotonic()
    with pytest.raises(KeyError):
        side_by_side([lambda: {}["missing"], slow])
    assert time.monotonic() - started < 10


def test_with_a_thread_running_the_pieces_are_worked_here_one_after_the_other():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        assert side_by_side([os.getpid, os.getpid]) == [os.getpid(), os.getpid()]
    finally:
        stop.set()
        thread.join()


@needs_fork
def test_an_audit_written_side_by_side_is_the_one_written_in_one_process(tmp_path):
    """--jobs 2 compares, sums and writes in forked copies; --jobs 1 in this process: the same four files."""
    import re

    from audit_batch import make_batch
    from openpyxl import load_workbook

    from report_drafter.services.audit import audit, write_outputs

    root = make_batch(tmp_path / "年报")
    outputs = {}
    for jobs in (1, 2):
        result = audit([root], jobs=jobs, rules="national")
        assert any(r.similar_to for r in result.reports)        # (the batch has reports to compare)
        paths = write_outputs(result, tmp_path / f"审查结果-{jobs}")
        page = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "", paths["html"].read_text(encoding="utf-8"))
        book = load_workbook(paths["xlsx"])
        outputs[jobs] = (paths["json"].read_text(encoding="utf-8"), page, paths["yaml"].read_text(encoding="utf-8"),
                         {name: list(book[name].values) for name in book.sheetnames})
    assert outputs[1] == outputs[2]
