"""How a model drafts: both examples drafted, each section timed, the drafts checked and scored.

Drafts the 淮安 2024 and 中牟 2023 examples with a model at an OpenAI-compatible endpoint (copies in
a temporary folder; the examples stay as they are) and prints, per section: time to first token,
time, tokens (“~” where the server reported none and they were counted from the text), and the
errors/warnings `drafter check` finds by category (numbers, structure, style, leakage, repetition,
copying, substance); per report: the rule pack's score and the wall time. `--offline` does the
same with the offline templates, for comparison.

    python benchmarks/bench_model.py --base-url http://127.0.0.1:8080/v1 --model qwen2.5-1.5b-instruct
    python benchmarks/bench_model.py --offline
    python benchmarks/bench_model.py --stub          # the scripted server of tests/openai_stub.py (shows the script works)
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = (("huaian", 2024), ("zhongmou", 2023))
CATEGORIES = ("numbers", "structure", "style", "leakage", "repetition", "copying", "substance")
SHORT = {"overview": "一", "problems": "五", "other": "六"}


class Recorder:
    """The library's UI protocol, quiet: keeps the notices (queued, interrupted, repair not taken …)."""

    def __init__(self) -> None:
        self.notices: list[tuple[str, str]] = []

    def confirm(self, question: str, detail: str = "") -> bool:
        return True

    def stream(self, key: str, text: str) -> None:
        pass

    def notice(self, key: str, message: str) -> None:
        self.notices.append((key, message))


def workspace_for(name: str, tmp: Path, model: dict[str, object]) -> Path:
    ws = tmp / name
    shutil.copytree(ROOT / "examples" / name, ws, ignore=shutil.ignore_patterns("draft.md", "draft.provenance.json", ".history", ".chat*"))
    if model:
        lines = [f"{key} = {json.dumps(value)}" for key, value in model.items()]
        config = (ws / "drafter.toml").read_text(encoding="utf-8")
        (ws / "drafter.toml").write_text(config.replace("[model]", "[model]\n" + "\n".join(lines)), encoding="utf-8")
    return ws


def bench_one(name: str, year: int, tmp: Path, backend_name: str, model: dict[str, object]) -> dict:
    from report_drafter.backends import get_backend
    from report_drafter.errors import DrafterError
    from report_drafter.prompts import Prompts
    from report_drafter.rulepacks import load_pack, score
    from report_drafter.services.checking import check_draft
    from report_drafter.services.drafting import generate
    from report_drafter.workspace import Workspace

    ws = Workspace.open(workspace_for(name, tmp, model))
    prompts = Prompts(ws.root)
    backend = get_backend(backend_name, ws.config, prompts)
    ui = Recorder()
    started = time.perf_counter()
    try:
        result = generate(ws, year, backend, prompts, force=True, ui=ui)
    except DrafterError as exc:
        wall = time.perf_counter() - started
        failures = getattr(exc, "failures", None) or {}
        if not failures:        # (settings, connection: not about one section)
            return {"report": f"{name} {year}", "failed": str(exc), "wall_s": wall}
        # every section failed: each one's reason, and how long the run took to find out
        return {"report": f"{name} {year}", "wall_s": wall, "score": "—", "max": "—", "errors": "—",
                "notices": sorted({m for _, m in ui.notices}),
                "sections": {key: {"first_token_s": None, "duration_s": None, "input_tokens": None,
                                   "output_tokens": None, "estimated": False, "chars": 0,
                                   "failed": getattr(failures.get(key), "detail", "") or str(failures.get(key) or ""),
                                   "repair": "", "errors": {}, "warnings": {}} for key in SHORT}}
    wall = time.perf_counter() - started
    checked = check_draft(ws, year)
    findings = checked.report.findings
    scored = score(load_pack(None, ws.root), checked.evidence)
    sections = {}
    for key in SHORT:
        c = result.completions.get(key)
        mine = [f for f in findings if f.section == key]
        sections[key] = {
            "first_token_s": c.first_token_s if c else None, "duration_s": c.duration_s if c else None,
            "input_tokens": c.input_tokens if c else None, "output_tokens": c.output_tokens if c else None,
            "estimated": bool(c and c.usage_estimated), "chars": len(c.text) if c else 0,
            "failed": result.failed[key].summary if key in result.failed else "",
            "repair": result.repair_failed[key].summary if key in result.repair_failed else "",
            "errors": dict(Counter(f.category for f in mine if f.severity == "error")),
            "warnings": dict(Counter(f.category for f in mine if f.severity == "warning")),
        }
    return {"report": f"{name} {year}", "wall_s": wall, "score": str(scored.score), "max": str(scored.max),
            "errors": sum(f.severity == "error" for f in findings), "sections": sections,
            "notices": sorted({m for _, m in ui.notices})}


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def tokens(value: int | None, estimated: bool) -> str:
    return "—" if value is None else f"{'~' if estimated else ''}{value}"


def counts(found: dict[str, int]) -> str:
    return " ".join(f"{cat} {found[cat]}" for cat in CATEGORIES if found.get(cat)) or "0"


def print_table(label: str, results: list[dict]) -> None:
    print(f"\n{label}\n")
    print("| report | section | first token s | time s | tokens in/out | chars | errors | warnings | note |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        if "failed" in r:
            print(f"| {r['report']} | all | — | {seconds(r['wall_s'])} | — | — | — | — | {r['failed'][:80]} |")
            continue
        for key, s in r["sections"].items():
            note = "; ".join(x for x in (s["failed"], s["repair"]) if x)
            print(f"| {r['report']} | {SHORT[key]} | {seconds(s['first_token_s'])} | {seconds(s['duration_s'])} | "
                  f"{tokens(s['input_tokens'], s['estimated'])}/{tokens(s['output_tokens'], s['estimated'])} | "
                  f"{s['chars']} | {counts(s['errors'])} | {counts(s['warnings'])} | {note} |")
    print("\n| report | wall s | check errors | rule-pack score |")
    print("|---|---|---|---|")
    for r in results:
        if "failed" not in r:
            print(f"| {r['report']} | {seconds(r['wall_s'])} | {r['errors']} | {r['score']} / {r['max']} |")


def stub_server(port: int):
    """The scripted server of the tests, one request at a time like llama.cpp, answering with a short section."""
    sys.path.insert(0, str(ROOT / "tests"))
    from openai_stub import Behaviour, start_server

    text = "（一）主动公开方面。全年主动公开政府信息，及时发布政策文件。"
    return start_server(Behaviour(text=text, chunk_chars=2, chunk_delay=0.002, delay=0.2), port=port,
                        serial=True, interrupt=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")
    parser.add_argument("--model", help="model name the server knows")
    parser.add_argument("--offline", action="store_true", help="the offline templates instead of a model")
    parser.add_argument("--stub", action="store_true", help="tests/openai_stub.py instead of a real server")
    parser.add_argument("--stub-port", type=int, default=0, help="port of the scripted server (0: any free one)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds without output before giving up")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    server = None
    if args.stub:
        server = stub_server(args.stub_port)
        args.base_url, args.model = server.url, "stub-model"
    if not args.offline and not (args.base_url and args.model):
        parser.error("--base-url and --model are needed (or --offline, or --stub)")
    model = {} if args.offline else {"base_url": args.base_url, "name": args.model, "timeout": args.timeout,
                                     "first_token_timeout": args.timeout}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            results = [bench_one(name, year, Path(tmp), "offline" if args.offline else "openai", model)
                       for name, year in EXAMPLES]
    finally:
        if server is not None:
            server.stop()
    label = "offline templates" if args.offline else f"model {args.model} at {args.base_url}"
    print_table(label, results)
    if args.json:
        args.json.write_text(json.dumps({"label": label, "results": results}, ensure_ascii=False, indent=2), "utf-8")


if __name__ == "__main__":
    main()
