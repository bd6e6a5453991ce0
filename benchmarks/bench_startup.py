"""Cold start of the commands a clerk runs most (`--help`, `validate`, `check`), in fresh processes.

Runs each command on a copy of the 中牟 example (with an offline draft) and prints the median wall time.
With `--against REV`, the same commands are timed from a checkout of REV (a temporary git worktree) in
alternation with this one, so that both see the same machine load.

    python benchmarks/bench_startup.py [--runs 7] [--against b95d4e4]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"--help": ["--help"], "validate": ["validate", "--year", "2023"], "check": ["check", "--year", "2023"]}


def run(src: Path, args: list[str], workspace: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "report_drafter", *args, *(["--dir", str(workspace)] if args != ["--help"] else [])],
                   env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--against", help="a git revision to compare with (checked out in a temporary worktree)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "zhongmou"
        shutil.copytree(ROOT / "examples" / "zhongmou", workspace)
        subprocess.run([sys.executable, "-m", "report_drafter", "generate", "--year", "2023", "--dir", str(workspace)],
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, capture_output=True, check=True)
        sources = {"this checkout": ROOT / "src"}
        if args.against:
            other = Path(tmp) / "against"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(other), args.against],
                           capture_output=True, check=True)
            sources[args.against] = other / "src"
        try:
            print(f"cores: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
                  f"median of {args.runs} runs")
            for name, command in COMMANDS.items():
                times: dict[str, list[float]] = {label: [] for label in sources}
                for _ in range(args.runs):
                    for label, src in sources.items():
                        times[label].append(run(src, command, workspace))
                print(f"  drafter {name:10}" + "".join(f"  {label}: {statistics.median(t):.3f} s" for label, t in times.items()))
        finally:
            if args.against:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(Path(tmp) / "against")],
                               capture_output=True, check=False)


if __name__ == "__main__":
    main()
