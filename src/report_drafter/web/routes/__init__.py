"""The workbench's routes, one module per pane (home, statistics, notes, draft, drafting, chat, export)."""

from __future__ import annotations


def routers() -> list:
    from . import chat, draft, drafting, exporting, home, notes, stats, workbench

    # home's "/" and the fixed paths first; workbench's "/{year}" pages after them
    return [home.router, stats.router, notes.router, draft.router, drafting.router, chat.router, exporting.router,
            workbench.router]
