"""Speed and memory of `drafter audit` end to end (a fresh process, as a supervising office runs it).

The reference text reports (tests/fixtures: 平潭 2019–2025, 上海市科委, 上海市政府办公厅, 淮安, 中牟) are
replicated to a folder of N files. Each copy is another agency (its place name replaced by a made-up
one) and keeps about a third of its sentences without digits, the rest scrambled — so copies share some
but not all of their prose, as reports of one city do, and the cross-agency index has real work (a
sentence kept by more agencies than the index's format-wording limit would be left out). Tables and
every sentence with a number are kept, so reading and checking cost what they cost on the originals.
One file in ten is a byte-identical copy of another (the same report sent twice).

Prints, per size: files/s end to end (discovery to the four output files), and the peak RSS of the
main process and of the largest worker. PDFs (the 淮安 PDF, each copy made unique by a trailing comment so
that none is skipped as a byte-identical duplicate) are timed separately.
Targets (2 cores): ≥ 100 text reports/s; peak RSS flat between 100 and 500 reports.

The main process keeps each report's bulky parts (text, marks, findings, marked prose) on disk in the
audit's spool (services/audit/spool.py, about 60 KB a report in a temporary file), and a few KB a report
in memory: its peak is mostly the libraries it imports (openpyxl, which imports numpy, alone ~25 MB).

Every audit also stores its batch in the ledger (the SQLite file audit.sqlite in the output folder), so the
figures above include it. `--db-size N` adds the ledger's own figures for N reports: the audit into SQLite
end to end, peak RSS, the database's size, a second run over the unchanged folder (nothing stored), and the
supervisor's list page (`drafter serve --db`) answering at that size. Target: 10 000 reports within 3 minutes
on 2 cores; the list page within 300 ms.

    python benchmarks/bench_audit.py [--sizes 100,500] [--pdfs 20] [--jobs 2] [--profile 200] [--db-size 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TEXTS = [*sorted((FIXTURES / "reports").glob("1*")), FIXTURES / "import" / "huaian-szf-2024.txt",
         FIXTURES / "import" / "zhongmou-kjgxj-2023.txt"]
PDF = FIXTURES / "import" / "huaian-szf-2024.pdf"
PLACES = {"101": "平潭", "102": "平潭", "103": "平潭", "104": "平潭", "105": "平潭", "106": "平潭", "107": "平潭",
          "108": "上海", "109": "上海", "huaian": "淮安", "zhongmou": "中牟"}
SYLLABLES = "东南西北安平宁和兴隆永昌丰泰康华庆盛新河山阳清江湖云海临长武德恒通金玉龙凤"
KEEP = 0.35             # share of digit-free sentences a copy keeps as they are

RUN = """
import json, resource, sys, time
from report_drafter.cli import app
start = time.perf_counter()
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
took = time.perf_counter() - start
try:    # the peak of this process alone (ru_maxrss keeps the peak of the process it was started from)
    main_kb = int(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
except OSError:
    main_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": took, "main_kb": main_kb,
                  "worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}), file=sys.stderr)
"""


def place_names(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    length = 2 if count <= 1000 else 3         # (two of the syllables make 1560 names: enough up to 1000)
    while len(names) < count:
        names.add("".join(rng.sample(SYLLABLES, length)))
    return sorted(names)


def scramble(text: str, rng: random.Random) -> str:
    """Keep sentences with digits (numbers, table rows) and some others; shuffle the characters of the rest."""
    out = []
    for piece in re.split(r"(?<=。)", text):
        if re.search(r"\d|[一二三四五六]、|（[一二三四五六七八九十]）", piece) or len(piece) < 12 or rng.random() < KEEP:
            out.append(piece)
        else:
            chars = list(piece.rstrip("。"))
            rng.shuffle(chars)
            out.append("".join(chars) + ("。" if piece.endswith("。") else ""))
    return "".join(out)


def make_folder(folder: Path, size: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    bases = [(path, path.read_text(encoding="utf-8")) for path in TEXTS]
    names = place_names(size, rng)
    folder.mkdir(parents=True)
    written: list[Path] = []
    for i in range(size):
        if written and i % 10 == 9:                  # the same report sent twice
            source = rng.choice(written)
            shutil.copy(source, folder / f"{i:04d}-copy-{source.name}")
            continue
        path, text = bases[i % len(bases)]
        key = next(k for k in PLACES if path.name.startswith(k))
        target = folder / f"{i:04d}-{names[i]}-{path.name}"
        target.write_text(scramble(text.replace(PLACES[key], names[i]), rng), encoding="utf-8")
        written.append(target)


def run_audit(folder: Path, jobs: int) -> dict:
    out = folder.parent / f"{folder.name}-结果"
    done = subprocess.run([sys.executable, "-c", RUN, "audit", str(folder), "--format", "json", "--out", str(out),
                           "--jobs", str(jobs)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    stats = json.loads(done.stderr.strip().splitlines()[-1])
    result = json.loads(done.stdout)
    stats["reports"] = result["summary"]["reports"]
    stats["unreadable"] = result["summary"]["unreadable"]
    stats["similar"] = sum(1 for r in result["reports"] if r["similar_to"])
    return stats


def ledger_figures(size: int, jobs: int) -> None:
    """The audit of `size` reports into SQLite, run twice, and the list page of the supervisor's view on it."""
    import statistics
    import time

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / f"text-{size}"
        make_folder(folder, size)
        first = run_audit(folder, jobs)
        show(f"db × {size}", size, first)
        database = folder.parent / f"{folder.name}-结果" / "audit.sqlite"
        print(f"{'':>14}  SQLite file {database.stat().st_size / 2 ** 20:.0f} MB")
        again = run_audit(folder, jobs)
        print(f"{'':>14}  second run over the unchanged folder: {again['seconds']:.1f} s (nothing stored)")
        sys.path.insert(0, str(ROOT / "src"))
        from fastapi.testclient import TestClient

        from report_drafter.web.ledgerview import create_ledger_app

        client = TestClient(create_ledger_app(str(database), port=8765), base_url="http://127.0.0.1:8765")
        for label, params in (("list page", {}), ("list, one year, sorted by copying", {"year": "2023", "sort": "copied"}),
                              ("list, searched", {"q": "平"})):
            client.get("/", params=params)
            took = []
            for _ in range(5):
                start = time.perf_counter()
                assert client.get("/", params=params).status_code == 200
                took.append(time.perf_counter() - start)
            print(f"{'':>14}  {label}: median {statistics.median(took) * 1000:.0f} ms over 5")


def show(label: str, files: int, stats: dict) -> None:
    print(f"{label:>14}: {files} files in {stats['seconds']:.2f} s = {files / stats['seconds']:.1f} files/s; "
          f"peak RSS main {stats['main_kb'] / 1024:.0f} MB, largest worker {stats['worker_kb'] / 1024:.0f} MB; "
          f"{stats['reports']} read, {stats['unreadable']} unreadable, {stats['similar']} with text shared across agencies")


def profile(size: int) -> None:
    import cProfile
    import pstats

    sys.path.insert(0, str(ROOT / "src"))
    from report_drafter.services.audit import audit

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        make_folder(folder, size)
        profiler = cProfile.Profile()
        profiler.enable()
        audit([folder], jobs=1)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500")
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--profile", type=int, default=0, help="profile one process on this many reports instead")
    parser.add_argument("--db-size", type=int, default=0, help="the ledger's figures for this many reports")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return
    if args.db_size:
        print(f"cores: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, jobs: {args.jobs}")
        ledger_figures(args.db_size, args.jobs)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return
    print(f"cores: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, jobs: {args.jobs}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            folder = Path(tmp) / f"text-{size}"
            make_folder(folder, size)
            show(f"text × {size}", size, run_audit(folder, args.jobs))
        if args.pdfs:
            folder = Path(tmp) / "pdf"
            folder.mkdir()
            for i in range(args.pdfs):     # a comment after %%EOF makes each copy a file of its own (none read twice)
                (folder / f"{i:03d}.pdf").write_bytes(PDF.read_bytes() + f"\n% copy {i}\n".encode())
            show(f"PDF × {args.pdfs}", args.pdfs, run_audit(folder, args.jobs))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
