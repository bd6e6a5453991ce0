"""Throughput of the mention scan (report_drafter.mentions.find_mentions).

Scans the two reference reports (淮安 2024 as laid out by pdftotext, tables included; 中牟 2023)
repeatedly and prints whole reports per second and microseconds per 1,000 characters.

    python benchmarks/bench_mentions.py [--seconds 2.0]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from report_drafter.mentions import find_mentions

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mentions"
REPORTS = ("huaian-szf-2024.txt", "zhongmou-kjgxj-2023.txt")


def measure(texts: list[str], seconds: float) -> tuple[float, int]:
    """Scans per second over ``texts`` in turn, and the number of scans run."""
    runs = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for text in texts:
            find_mentions(text)
        runs += len(texts)
    return runs / elapsed, runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time spent on each measurement")
    args = parser.parse_args()
    texts = {name: (FIXTURES / name).read_text(encoding="utf-8") for name in REPORTS}
    find_mentions("三十二条")  # warm up: compiles the pattern and imports cn2an
    rows = [(name, [text]) for name, text in texts.items()] + [("both, alternating", list(texts.values()))]
    for name, batch in rows:
        per_second, runs = measure(batch, args.seconds)
        chars = sum(map(len, batch)) / len(batch)
        micros = 1e6 / per_second / chars * 1000
        print(f"{name:26} {chars:7.0f} chars  {per_second:8.0f} reports/s  "
              f"{micros:6.1f} µs per 1,000 chars  ({runs} scans)")


if __name__ == "__main__":
    main()
