import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path_factory):
    """No test sees the user's model settings or home folder."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DRAFTER_MODEL", "OPENAI_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def huaian_text():
    return (FIXTURES / "stats-huaian-2024.yaml").read_text(encoding="utf-8")


@pytest.fixture
def workspace(tmp_path, huaian_text):
    """A workspace with the 淮安 2024 tables as 2024/stats.yaml."""
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "stats.yaml").write_text(huaian_text, encoding="utf-8")
    return tmp_path


# what trying the README's main command writes into the examples (also in .gitignore)
GENERATED = shutil.ignore_patterns("draft.md", "draft.provenance.json", ".history", "chat.json", ".chat_history",
                                   "*年度报告.*")


def copy_example(name: str, dest: Path) -> Path:
    """A fresh copy of a bundled example workspace, without drafts a user may have generated in it."""
    target = dest / name
    shutil.copytree(EXAMPLES / name, target, ignore=GENERATED)
    return target


def sign(ws: Path, year: int, when: str | None = None) -> Path:
    """Fill in the 落款 date a new draft leaves to the clerk (as the clerk does before exporting)."""
    path = ws / str(year) / "draft.md"
    text = path.read_text(encoding="utf-8")
    filled = re.sub(r"【待填：成文日期[^】]*】", when or f"{year + 1}年1月20日", text)
    assert filled != text, "draft.md has no 落款 date to fill in"
    path.write_text(filled, encoding="utf-8")
    return ws


def use_model_server(ws: Path, url: str, **settings) -> Path:
    """Point a workspace's drafter.toml at a local OpenAI-compatible server."""
    values = {"base_url": f'"{url}"', "name": '"stub-model"', "timeout": 2, "max_retries": 0, **settings}
    lines = [f"{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in values.items()]
    config = (ws / "drafter.toml").read_text(encoding="utf-8").replace("[model]", "[model]\n" + "\n".join(lines))
    (ws / "drafter.toml").write_text(config, encoding="utf-8")
    return ws


@pytest.fixture
def model_server(monkeypatch):
    """A local OpenAI-compatible server (tests/openai_stub.py); set `.default` to script its answers."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from openai_stub import start_server

    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = start_server()
    yield server
    server.stop()


# Debian's chromium, driven through Playwright (its own browser download is not used)
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-extensions"]


@pytest.fixture(scope="module")
def browser():
    """A headless chromium for a module's tests (skips them when chromium or Playwright is missing).

    Closed at the module's end: while Playwright's sync API runs, this thread has an event loop running,
    which other modules' tests (a backend inside a running loop) must not see."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
