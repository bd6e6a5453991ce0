"""Input at and past the documented limits (src/report_drafter/limits.py): refused at once, linear within.

Each case runs `drafter check --report FILE --format json` in a fresh process and prints its wall time and
peak RSS: a real report (平潭 2023) repeated to 0.5, 1, 2 and 4 MB of text (within the 5 MB limit: time and
memory should grow linearly), then files past a limit (a 50 MB text, a zip-bomb .docx unpacking to 1.2 GB,
100,000 nested <div>), which should be refused in well under a second; and `drafter rules show` of a pack of
MAX_RULES rules and of one past the limit.

    python benchmarks/bench_limits.py [--sizes 0.5,1,2,4]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "tests" / "fixtures" / "reports" / "105_pingtan-zhsyq_2023.txt"
DRAFTER = [sys.executable, "-m", "report_drafter"]


def run(args: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one command in a fresh process."""
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, r.returncode)")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def zip_bomb(path: Path, megabytes: int) -> None:
    from docx import Document

    plain = io.BytesIO()
    Document().save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "word/document.xml":
                out.writestr(item, data)
                continue
            head, tail = data.split(b"<w:body>")
            with out.open(item.filename, "w", force_zip64=True) as handle:
                handle.write(head + b"<w:body>")
                for _ in range(megabytes):
                    handle.write(b" " * (1 << 20))
                handle.write(tail)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="0.5,1,2,4")
    options = parser.parse_args()
    report = REPORT if REPORT.exists() else Path("/work/shared/reference/reports/105_pingtan-zhsyq_2023.txt")
    unit = report.read_bytes()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        print("within the limits: check --report of a report repeated to N MB")
        for size in (float(s) for s in options.sizes.split(",")):
            path = tmp / f"report-{size}MB.txt"
            path.write_bytes(unit * max(1, int(size * 1024 * 1024 / len(unit))))
            seconds, rss, code = run([*DRAFTER, "check", "--report", str(path), "--format", "json"])
            print(f"  {size:>4} MB  {seconds:6.1f} s  {rss:7.0f} MB peak  exit {code}")
        print("past the limits: refused")
        big = tmp / "big.txt"
        big.write_bytes(unit * (50 * 1024 * 1024 // len(unit) + 1))
        zip_bomb(tmp / "bomb.docx", 1200)
        (tmp / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "</body></html>")
        for path in (big, tmp / "bomb.docx", tmp / "deep.html"):
            seconds, rss, code = run([*DRAFTER, "check", "--report", str(path)])
            print(f"  {path.name:<10} {path.stat().st_size / 1024 / 1024:7.2f} MB on disk  {seconds:5.2f} s  "
                  f"{rss:6.0f} MB peak  exit {code}")
        from report_drafter.limits import MAX_RULES

        rule = "  - id: r{n}\n    text: 规则\n    points: 1\n    when:\n      errors_in: [tables]\n"
        for count in (MAX_RULES, 200_000):
            pack = tmp / f"pack-{count}.yaml"
            pack.write_text("name: p\ntitle: p\nfull_score: 100\nrules:\n" + "".join(rule.format(n=n) for n in range(count)),
                            encoding="utf-8")
            seconds, rss, code = run([*DRAFTER, "rules", "show", str(pack)])
            print(f"  rule pack of {count} rules ({pack.stat().st_size / 1024:.0f} KB)  {seconds:5.2f} s  "
                  f"{rss:6.0f} MB peak  exit {code}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
