"""The databases the ledger tests run against: a fresh SQLite file, and a fresh PostgreSQL database on the server
DRAFTER_TEST_PG_URL names (`.ci/run` starts one; without it the PostgreSQL cases are skipped)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

import pytest

PG_URL = os.environ.get("DRAFTER_TEST_PG_URL", "")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason="DRAFTER_TEST_PG_URL 未设置"))]


def fresh_url(backend: str, tmp_path) -> tuple[str, Callable[[], None]]:
    """(a URL of an empty database, a function dropping it)."""
    if backend == "sqlite":
        return str(tmp_path / f"{uuid.uuid4().hex}.sqlite"), lambda: None
    import psycopg

    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:             # (the tests dispose of their engines first)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return PG_URL.rsplit("/", 1)[0] + f"/{name}", drop
