"""Speed of the number checker.

1. Throughput: a corpus of drafts made from the bundled examples by perturbation (one number
   changed per draft) is checked in one process on one core — the number check, and the number
   check with the review (what `drafter check` runs); prints reports per second. Target: ≥ 200.
2. Cold start: `drafter check --year …` as a fresh process, median of several runs, as a ratio to
   `python -c pass`. Target: under 0.5 s in total.
3. Size: one draft whose 一、总体情况 holds 10 KB, 100 KB and 1 MB (UTF-8) of prose made from the 淮安
   example's notes and draft sentences — as sentences, and as one unpunctuated run (what pasting a huge
   notes.md produces) — checked as `drafter check` does (numbers and tables, then the review). Prints
   seconds and seconds per 100 KB, which stays flat when checking is linear. Target: 1 MB under 2 s.

    python benchmarks/bench_check.py [--reports 400] [--runs 7] [--sizes 10,100,1000]
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


def prose_of_size(kilobytes: int, unit: str) -> str:
    """`unit` repeated until the text holds `kilobytes` KB of UTF-8."""
    count = kilobytes * 1024 // len(unit.encode()) + 1
    return (unit * count)[: kilobytes * 1024 // 3]


def size_units(ws: Path, year: int) -> dict[str, str]:
    """A paragraph of notes lines and draft sentences: as sentences, and with every break removed."""
    notes = (ws / str(year) / "notes.md").read_text(encoding="utf-8")
    lines = [line[2:] for line in notes.splitlines() if line.startswith("- ")]
    draft = (ws / str(year) / "draft.md").read_text(encoding="utf-8")
    requests = next(line for line in draft.splitlines() if "政府信息公开申请" in line)
    sentences = "。".join(lines) + "。" + requests
    return {"sentences": sentences, "one run": re.sub(r"[。，；、：（）\n]", " ", sentences)}


def size_scaling(ws: Path, year: int, sizes: list[int], repeat: int = 3) -> None:
    from report_drafter.checks import check_document
    from report_drafter.checks.review import review_document
    from report_drafter.document import parse_document
    from report_drafter.services.inputs import load_inputs
    from report_drafter.workspace import Workspace

    inputs = load_inputs(Workspace.open(ws), year)
    draft = (ws / str(year) / "draft.md").read_text(encoding="utf-8")
    overview = parse_document(draft).body("overview")
    check_document(draft, inputs.sources, inputs.stats)     # warm
    def timed(text: str) -> tuple[float, float, int]:
        started = time.perf_counter()
        report = check_document(text, inputs.sources, inputs.stats)
        numbers = time.perf_counter() - started
        review_document(text, inputs.review_context)
        return numbers, time.perf_counter() - started, report.mentions

    for shape, unit in size_units(ws, year).items():
        for kb in sizes:
            text = draft.replace(overview, prose_of_size(kb, unit))
            runs = [timed(text) for _ in range(repeat)]       # the fastest of a few: least disturbed by other load
            numbers, total, mentions = min(runs, key=lambda r: r[1])
            print(f"  {shape:9} {kb:>5} KB ({len(text):>7} chars, {mentions:>5} numbers): "
                  f"number check {numbers:6.2f} s, with review {total:6.2f} s, {total / kb * 100:5.2f} s per 100 KB")


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
    parser.add_argument("--sizes", default="10,100,1000", help="prose sizes in KB")
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
        print("check time by size of the prose (target: 1 MB under 2 s, linear growth):")
        size_scaling(ws, year, [int(s) for s in args.sizes.split(",")], args.runs)


if __name__ == "__main__":
    main()
