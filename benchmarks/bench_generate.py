"""How much `drafter generate` overlaps its model requests.

Starts a local OpenAI-compatible server that answers every request after a fixed delay, points a
copy of the 淮安 example at it, runs `drafter generate` and prints the wall time as a multiple of
that delay. Three sections drafted one after another would take ≥ 3×; overlapping, about 1×.
With --serial the server answers one request at a time (like llama.cpp or Ollama): about 3×, and
no section may time out while it waits its turn.

    python benchmarks/bench_generate.py [--delay 1.0] [--runs 3] [--serial]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from openai_stub import Behaviour, start_server  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from report_drafter.cli import app  # noqa: E402

ANSWER = "（一）主动公开方面。全年共收到政府信息公开申请3119件，办结3050件。"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=1.0, help="seconds the server waits before answering")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serial", action="store_true", help="the server answers one request at a time")
    args = parser.parse_args()
    server = start_server(Behaviour(text=ANSWER, delay=args.delay), serial=args.serial)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ws = Path(tmp) / "huaian"
            shutil.copytree(ROOT / "examples" / "huaian", ws)
            config = (ws / "drafter.toml").read_text(encoding="utf-8")
            (ws / "drafter.toml").write_text(
                config.replace("[model]", f'[model]\nbase_url = "{server.url}"\nname = "stub-model"'), encoding="utf-8")
            runner = CliRunner()
            runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--force"])  # warm imports
            ratios = []
            for _ in range(args.runs):
                started = time.perf_counter()
                result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--force"])
                wall = time.perf_counter() - started
                assert result.exit_code == 0, result.output
                ratios.append(wall / args.delay)
    finally:
        server.stop()
    sections = 3
    kind = "one request at a time" if args.serial else "concurrent"
    print(f"server delay {args.delay:.2f} s ({kind}), {sections} sections, {args.runs} runs")
    print(f"generate wall time / delay: best {min(ratios):.2f}, worst {max(ratios):.2f} "
          f"(sequential would be ≥ {sections:.2f})")


if __name__ == "__main__":
    main()
