"""A round trip through the forms reports take in the world, made with the real programs that make them.

From a report's imported tables and prose: a web page with real `<table>` markup in the official
layout (rowspan/colspan, blank cells as empty `<td>`, labels split across `<span>`s), then
- the page printed to PDF by headless Chromium (`pdf-chromium`),
- the page's `innerText` as a browser copies it (`text-copied`, through Playwright on Debian's chromium),
- the page converted by LibreOffice to Word (`docx-libreoffice`) and to PDF (`pdf-libreoffice`),
- the printed PDF rasterised into page images with no text layer (`pdf-scanned`).
Each form is imported and every cell compared with the source. Forms are cached by the page's content.

Used by tests/test_forms_roundtrip.py (a couple of reports) and benchmarks/bench_import.py (all of them).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference"
CACHE = ROOT / ".cache" / "roundtrip"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SOFFICE = shutil.which("soffice")
FORMS = ("html", "pdf-chromium", "text-copied", "docx-libreoffice", "pdf-libreoffice", "pdf-scanned")
SUFFIX = {"html": ".html", "pdf-chromium": ".pdf", "text-copied": ".txt", "docx-libreoffice": ".docx",
          "pdf-libreoffice": ".pdf", "pdf-scanned": ".pdf"}
_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync"]


def reference_reports(folder: Path = REFERENCE) -> list[Path]:
    """Every full report of the reference folder: reports/*.txt|md whose tables import completely, 淮安 and 中牟."""
    from report_drafter.errors import InputError
    from report_drafter.importing import import_report

    found = []
    for path in sorted((folder / "reports").glob("*.*")):
        if path.suffix in (".txt", ".md") and path.name != "README.md":
            try:
                import_report(path)
            except InputError:
                continue
            found.append(path)
    return found + [folder / "huaian-szf-2024.txt", folder / "zhongmou-kjgxj-2023.txt"]


def blank_legal_persons(stats):
    """The tables as most county reports print them: the five 法人或其他组织 columns of 表三 left blank."""
    stats = stats.model_copy(deep=True)

    def blank(node):
        if isinstance(node, list) and len(node) == 7:
            return [node[6], None, None, None, None, None, node[6]]
        if hasattr(type(node), "model_fields"):
            for name in type(node).model_fields:
                setattr(node, name, blank(getattr(node, name)))
        return node

    blank(stats.requests)
    return stats


def page_html(path: Path, blank_legal: bool = False) -> tuple[object, str]:
    """(the stats printed, the web page) for a reference report."""
    from report_drafter.document import compose_document, parse_document
    from report_drafter.export.html import render_html
    from report_drafter.importing import import_report
    from report_drafter.rendering import table_bodies

    report = import_report(path)
    stats = blank_legal_persons(report.stats) if blank_legal else report.stats
    doc = parse_document(report.markdown)
    bodies = {key: section.body for key, section in doc.sections.items()}
    bodies.update(table_bodies(stats))
    html = render_html(compose_document(doc.title, doc.preamble, bodies), stats)
    return stats, _split_labels(html)


def _split_labels(html: str) -> str:
    """Header and label cells as editors leave them: their text in two `<span>`s."""
    def split(match: re.Match) -> str:
        text = match.group(2)
        if len(text) < 4:
            return match.group(0)
        half = len(text) // 2
        return f"{match.group(1)}<span>{text[:half]}</span><span>{text[half:]}</span></th>"

    return re.sub(r"(<th[^>]*>)([^<]+)</th>", split, html)


def make_forms(html: str, name: str, forms: tuple[str, ...] = FORMS, cache: Path = CACHE) -> dict[str, Path]:
    """Each form of the page (made once per page content, then taken from the cache)."""
    key = hashlib.sha256(html.encode()).hexdigest()[:16]
    folder = cache / f"{name}-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "page.html"
    if not page.exists():
        page.write_text(html, encoding="utf-8")
    out = {}
    for form in forms:
        target = folder / f"{name}.{form}{SUFFIX[form]}"
        if not target.exists():
            made = folder / f"making-{os.getpid()}-{form}{SUFFIX[form]}"   # (test workers may make one at once)
            _MAKERS[form](page, made, folder)
            made.replace(target)
        out[form] = target
    return out


def _html(page: Path, target: Path, folder: Path) -> None:
    shutil.copyfile(page, target)


def _chromium_pdf(page: Path, target: Path, folder: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM, *_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                        f"--print-to-pdf={target}", page.as_uri()], check=True, capture_output=True, timeout=120)


def _inner_text(page: Path, target: Path, folder: Path) -> None:
    """What Ctrl+A, Ctrl+C gives: the body's innerText in a real browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page()
            tab.goto(page.as_uri())
            text = tab.evaluate("document.body.innerText")
        finally:
            browser.close()
    target.write_text(text, encoding="utf-8")


def _libreoffice(kind: str):
    def convert(page: Path, target: Path, folder: Path) -> None:
        with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
            subprocess.run([SOFFICE, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                            "--infilter=HTML (StarWriter)", "--convert-to", kind, "--outdir", out, str(page)],
                           check=True, capture_output=True, timeout=180)
            shutil.move(next(Path(out).iterdir()), target)
    return convert


def _scanned(page: Path, target: Path, folder: Path) -> None:
    from scanning import rasterise

    printed = folder / f"scan-source-{os.getpid()}.pdf"
    _chromium_pdf(page, printed, folder)
    rasterise(printed, target, dpi=200)
    printed.unlink()


_MAKERS = {"html": _html, "pdf-chromium": _chromium_pdf, "text-copied": _inner_text,
           "docx-libreoffice": _libreoffice("docx:MS Word 2007 XML"),
           "pdf-libreoffice": _libreoffice("pdf:writer_pdf_Export"), "pdf-scanned": _scanned}


def tools_missing(forms: tuple[str, ...] = FORMS) -> list[str]:
    """The programs the forms need that this machine lacks."""
    missing = []
    if not os.path.exists(CHROMIUM) and {"pdf-chromium", "text-copied", "pdf-scanned"} & set(forms):
        missing.append("chromium")
    if not SOFFICE and {"docx-libreoffice", "pdf-libreoffice"} & set(forms):
        missing.append("soffice")
    return missing


@dataclass
class Compared:
    equal: int
    cells: int
    wrong: list[tuple[str, object, object]]     # (cell path, printed, read)


def compare(printed, read) -> Compared:
    """Every cell of tables 二–四 printed vs read back (a printed blank may be read as blank or 0)."""
    from report_drafter.statswriter import stats_data

    wrong: list = []
    cells = 0

    def walk(a, b, path: str) -> None:
        nonlocal cells
        if isinstance(a, dict):
            for key in a:
                walk(a[key], b.get(key) if isinstance(b, dict) else None, f"{path}.{key}" if path else key)
        elif isinstance(a, list):
            for i, value in enumerate(a):
                walk(value, b[i] if isinstance(b, list) and i < len(b) else None, f"{path}.{i}")
        else:
            cells += 1
            if not (a == b or (a is None and b in (0, None))):
                wrong.append((path, a, b))

    want, got = stats_data(printed), stats_data(read) if read is not None else {}
    for table in ("active", "requests", "appeals"):
        walk(want[table], got.get(table), table)
    return Compared(cells - len(wrong), cells, wrong)
