"""The child process of an upload: `python -m report_drafter.web.importer ROOT FILE [--replace]` → JSON on stdout."""

from __future__ import annotations

import json
import sys
from pathlib import Path


class Asking:
    """Answers the import's one question (replace a different stats.yaml?) as the page decided beforehand."""

    def __init__(self, replace: bool):
        self.replace = replace
        self.question, self.detail = "", ""

    def confirm(self, question: str, detail: str = "") -> bool:
        self.question, self.detail = question, detail
        return self.replace

    def stream(self, key: str, text: str) -> None:
        pass

    def notice(self, key: str, message: str) -> None:
        pass


def run(root: Path, file: Path, replace: bool) -> dict:
    from ..errors import DrafterError
    from ..services.importing import import_into
    from ..workspace import Workspace
    from .site import ACTOR

    ui = Asking(replace)
    try:
        ws = Workspace.open(root, actor=f"{ACTOR}：导入")
        result = import_into(ws, file, None, ui)
    except DrafterError as exc:
        if ui.question and not replace:
            return {"ok": False, "needs_replace": True, "question": ui.question, "detail": ui.detail}
        return {"ok": False, "error": str(exc).replace(str(file), "上传的文件")}
    report = result.report
    return {
        "ok": True, "year": report.year, "agency": report.agency or report.agency_as_written or "",
        "format": report.format_name, "kind": report.kind_name, "notices": result.notices,
        "written": [{"file": ws.display(p), "changed": changed, "existed": existed} for p, changed, existed in result.written],
        "problems": [{"severity": p.severity, "message": str(p)} for p in report.warnings + result.problems],
    }


def limit_resources() -> None:
    """Memory and CPU limits of this child (set here, not by the parent: a threaded server must not fork-and-run code)."""
    from .uploads import MEMORY_BYTES, TIMEOUT_S

    try:
        import resource
    except ImportError:     # Windows: the parent's timeout still applies
        return
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (TIMEOUT_S, TIMEOUT_S))


def main(argv: list[str]) -> None:
    root, file, *rest = argv
    limit_resources()
    try:
        summary = run(Path(root), Path(file), "--replace" in rest)
    except Exception as exc:  # never a traceback: the page says what went wrong
        summary = {"ok": False, "error": f"无法读取这个文件（{type(exc).__name__}）。请确认文件完整，或另存为文本文件后再上传。"}
    sys.stdout.write(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
