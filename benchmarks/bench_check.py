"""Speed of the number checker.

1. Throughput: a corpus of drafts made from the bundled examples by perturbation (one number
   changed per draft) is checked in one process on one core — the number check, and the number
   check with the review (what `drafter check` runs); prints reports per second. Target: ≥ 200.
2. Cold start: `drafter check --year …` as a fresh process, median of several runs, as a ratio to
   `python -c pass`. Target: under 0.5 s in total.

    python benchmarks/bench_check.py [--reports 400] [--runs 7]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = (("zhongmou", 2023), ("huaian", 2024))


def prepare(tmp: Path) -> list[tuple[Path, int]]:
    """Copies of the examples with an offline draft each."""
    out = []
    for name, year in EXAMPLES:
        ws = tmp / name
        shutil.copytree(ROOT / "examples" / name, ws)
        subprocess.run([sys.executable, "-m", "report_drafter", "generate", "--year", str(year), "--dir", str(ws),
                        "--backend", "offline"], check=True, capture_output=True)
        out.append((ws, year))
    return out


def corpus(workspaces, size: int):
    """(text, sources, stats, review settings) drafts, each with one number changed at random."""
    from report_drafter.services.inputs import load_inputs
    from report_drafter.workspace import Workspace

    rng = random.Random(7)
    bases = []
    for ws, year in workspaces:
        inputs = load_inputs(Workspace.open(ws), year)
        text = (ws / str(year) / "draft.md").read_text(encoding="utf-8")
        bases.append((text, inputs.sources, inputs.stats, inputs.review_context))
    drafts = []
    for i in range(size):
        text, sources, stats, review = bases[i % len(bases)]
        numbers = [m for m in re.finditer(r"\d+(?=[件条个场次期元])", text)]
        m = rng.choice(numbers)
        changed = text[: m.start()] + str(int(m.group()) + rng.randint(1, 9)) + text[m.end():]
        drafts.append((changed, sources, stats, review))
    return drafts


def throughput(drafts, with_review: bool) -> float:
    from report_drafter.checks import check_document
    from report_drafter.checks.review import review_document

    def check(text, sources, stats, review):
        check_document(text, sources, stats)
        if with_review:
            review_document(text, review)

    check(*drafts[0])  # warm: regexes compiled, lazy imports done
    started = time.perf_counter()
    for draft in drafts:
        check(*draft)
    return len(drafts) / (time.perf_counter() - started)


def median_run(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description="number checker speed")
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspaces = prepare(Path(tmp))
        drafts = corpus(workspaces, args.reports)
        numbers, full = throughput(drafts, False), throughput(drafts, True)
        print(f"throughput on one core ({args.reports} perturbed drafts; target ≥ 200 reports/s): "
              f"number check {numbers:.0f} reports/s, number check + review {full:.0f} reports/s")
        ws, year = workspaces[1]
        drafter = shutil.which("drafter") or sys.executable + " -m report_drafter"
        check = [*drafter.split(), "check", "--year", str(year), "--dir", str(ws)]
        cold = median_run(check, args.runs)
        bare = median_run([sys.executable, "-c", "pass"], args.runs)
        print(f"cold start: drafter check {cold:.3f} s, python -c pass {bare:.3f} s, "
              f"ratio {cold / bare:.1f} (target: under 0.5 s in total)")


if __name__ == "__main__":
    main()
