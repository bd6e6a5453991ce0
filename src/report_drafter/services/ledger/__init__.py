"""The audit ledger: every report a supervising office audits, every year, in a database (SQLite or PostgreSQL).

    ledger = open_ledger("sqlite:///审查结果/audit.sqlite")     # or "postgresql://user@host/db"; migrated on open
    stored = ledger.store(result)          # an `audit.Audit`: new report versions, their cells, findings, metrics …
    stored.added, stored.unchanged         # the same bytes again are not stored twice
    ledger.review(finding_id, "属实", note="…", reviewer="张三")

A file is known by the hash of its bytes: audited again it is the row already there; a corrected file of
the same agency and year is a new version beside the old one. Nothing is overwritten but a finding's
review (the supervisor's own entry), which later versions of the report inherit.
"""

from __future__ import annotations

from .opening import DEFAULT_NAME, LedgerError, database_url, open_engine
from .storing import Ledger, Stored

__all__ = ["DEFAULT_NAME", "Ledger", "LedgerError", "Stored", "database_url", "open_ledger"]


def open_ledger(url: str) -> Ledger:
    """Open (creating or migrating it first) the ledger at a database URL or an SQLite file path."""
    return Ledger(open_engine(url))
