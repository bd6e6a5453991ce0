"""report_drafter: drafts and checks 政府信息公开工作年度报告.

The library is the product; the `drafter` command line, the chat, the web workbench and batch
audits are its clients. Every use case is a function that takes plain inputs and returns a
result object; none prints or asks (questions and progress go through a `UI`, see ui.py):

    from report_drafter import open_workspace, generate, check_draft, get_backend, Prompts
    ws = open_workspace("我的单位")
    prompts = Prompts(ws.root)
    result = generate(ws, 2024, get_backend("auto", ws.config, prompts), prompts)
    checked = check_draft(ws, 2024)          # .report.findings, .report.errors

Importing this package is light: names load on first use (no langchain, openai, pypdfium2 or docx).
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

# public name → module that defines it
_API = {
    # workspaces and their tables
    "Workspace": "workspace", "open_workspace": "workspace",
    "init_year": "services.tables", "start_year": "services.tables", "validate_year": "services.tables",
    "read_workbook": "services.tables",
    # published reports
    "import_report": "importing", "import_into": "services.importing", "import_word_draft": "services.roundtrip",
    # drafting
    "Prompts": "prompts", "get_backend": "backends", "register_backend": "backends",
    "generate": "services.drafting", "regenerate": "services.drafting",
    "history": "services.history", "undo": "services.history",
    # checking
    "check_draft": "services.checking", "check_published": "services.checking", "check_document": "checks",
    "review_document": "checks.review", "compute_facts": "facts", "check_stats": "rules",
    # batch audit of published reports
    "audit": "services.audit", "write_outputs": "services.audit",
    # export and chat
    "export_draft": "services.exporting", "ChatSession": "services.chat", "ChatLoop": "services.conversation",
    # records and protocols
    "Finding": "findings", "UI": "ui", "QuietUI": "ui", "YesUI": "ui", "DrafterError": "errors",
    "InputError": "errors",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'report_drafter' has no attribute {name!r}")
    value = getattr(import_module(f".{_API[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
