"""Opening the ledger's database: the URL forms accepted, and the migrations run on open (Alembic, shipped in
the package), so that a database made by one version of the program opens in the next."""

from __future__ import annotations

import warnings
from importlib import resources
from pathlib import Path

from ...errors import InputError

DEFAULT_NAME = "audit.sqlite"


class LedgerError(InputError):
    """The database cannot be opened or written: which one, and why, in Chinese."""


def database_url(url_or_path: str | Path) -> str:
    """A SQLAlchemy URL: `postgresql://…` is driven by psycopg 3; a path (or sqlite:///path) is an SQLite file."""
    text = str(url_or_path)
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).resolve()}"


def open_engine(url_or_path: str | Path):
    """An engine on the database, its schema brought up to date."""
    import sqlalchemy as sa
    from sqlalchemy import event

    url = database_url(url_or_path)
    shown = _shown(url)
    if url.startswith("sqlite:///"):
        folder = Path(url.removeprefix("sqlite:///")).parent
        if not folder.is_dir():
            raise LedgerError(f"数据库 {shown} 所在的文件夹不存在。")
    try:
        engine = sa.create_engine(url)
    except ModuleNotFoundError as exc:
        raise LedgerError(f"连接数据库 {shown} 需要安装 {exc.name}：python -m pip install 'report-drafter[pg]'。") from None
    except Exception as exc:                     # a malformed URL
        raise LedgerError(f"无法识别数据库地址 {shown}（{exc}）。应为 sqlite:///文件路径 或 postgresql://用户@主机/库名。") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    warnings.filterwarnings("ignore", message=r"Dialect sqlite\+pysqlite does \*not\* support Decimal")
    try:
        migrate(engine)
    except Exception as exc:
        raise LedgerError(f"无法打开数据库 {shown}：{_reason(exc)}") from None
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")       # readers (the browser view, datasette) while an audit writes
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def migrate(engine) -> None:
    """Run the migrations not yet applied to the database (all of them on a new one)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files(__package__).joinpath("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _shown(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
