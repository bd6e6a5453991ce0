"""Round trip with real tools: a report's web page printed by Chromium, copied as innerText, converted by
LibreOffice to Word and PDF, and scanned; each form imported and every cell compared with the page.

Two reports here (淮安 2024: every column filled; 平潭 2019: the 2019 trial layout); the benchmark
(`benchmarks/bench_import.py --roundtrip`) runs every full report of the reference folder. The forms
are made once and cached in .cache/roundtrip/ by the page's content.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import roundtrip as rt  # noqa: E402

from report_drafter.importing import import_report  # noqa: E402
from report_drafter.importing.ocr import available as ocr_available  # noqa: E402

REPORTS = [rt.REFERENCE / "huaian-szf-2024.txt", rt.REFERENCE / "reports" / "101_pingtan-zhsyq_2019.txt"]
TEXT_FORMS = ("html", "pdf-chromium", "text-copied", "docx-libreoffice", "pdf-libreoffice")

pytestmark = pytest.mark.skipif(bool(rt.tools_missing()) or not rt.REFERENCE.is_dir(),
                                reason=f"needs {', '.join(rt.tools_missing()) or 'the reference reports'}")


@pytest.fixture(scope="session")
def pages():
    """(report, blank 法人 columns) → (stats printed, the forms made from its page)."""
    made = {}

    def get(path: Path, blank: bool):
        if (path, blank) not in made:
            stats, html = rt.page_html(path, blank)
            forms = TEXT_FORMS + (("pdf-scanned",) if path == REPORTS[0] and not blank and ocr_available() else ())
            made[path, blank] = stats, rt.make_forms(html, path.stem + ("-blank" if blank else ""), forms)
        return made[path, blank]
    return get


def _cases():
    for path in REPORTS:
        for blank in (False, True):
            for form in TEXT_FORMS:
                yield pytest.param(path, blank, form, id=f"{path.stem[:18]}-{'blank' if blank else 'full'}-{form}")


@pytest.mark.parametrize("path, blank, form", list(_cases()))
def test_every_cell_comes_back(pages, path, blank, form):
    stats, forms = pages(path, blank)
    report = import_report(forms[form])
    compared = rt.compare(stats, report.stats)
    assert compared.wrong == [] and compared.equal == compared.cells
    assert (report.year, report.format) == (stats.year, stats.format)


@pytest.mark.skipif(not ocr_available(), reason="the OCR extra is not installed")
def test_the_printed_page_scanned_comes_back_by_ocr(pages):
    stats, forms = pages(REPORTS[0], False)
    report = import_report(forms["pdf-scanned"])
    compared = rt.compare(stats, report.stats)
    assert compared.wrong == [] and report.ocr_pages == list(range(1, report.pages + 1))
    assert len(report.ocr_cells) == compared.cells


def test_the_page_has_the_markup_of_the_world(pages):
    """Rowspan/colspan, blank cells as empty <td>, labels in several <span>s: what the forms are made from."""
    stats, forms = pages(REPORTS[0], True)
    html = forms["html"].read_text(encoding="utf-8")
    assert 'rowspan="22"' in html and 'colspan="5"' in html and "<td></td>" in html
    assert "<span>一、本年新收政府</span><span>信息公开申请数量</span>" in html
    assert stats.requests.new == [3119, None, None, None, None, None, 3119]
