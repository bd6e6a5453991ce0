"""Scanned PDFs: pages without a text layer are read by OCR (the `ocr` extra), offline, marked as such.

The scans are made here from the 淮安 PDF (its pages as grey images, no text). OCR of a page takes
seconds, so one part-printed, part-scanned report is read once for the module.
"""

import copy
import json
import sys
from pathlib import Path

import pytest

from report_drafter.cli import app
from report_drafter.errors import InputError
from report_drafter.importing import check_report, import_report, read_report
from report_drafter.importing.ocr import INSTALL, available

sys.path.insert(0, str(Path(__file__).parent))
from scanning import rasterise  # noqa: E402

HUAIAN_PDF = Path(__file__).parent / "fixtures" / "import" / "huaian-szf-2024.pdf"
NEEDS_OCR = pytest.mark.skipif(not available(), reason="the OCR extra (pip install 'report-drafter[ocr]') is not installed")


@pytest.fixture(scope="module")
def part_scanned(tmp_path_factory):
    """The 淮安 report with pages 4 and 5 (tables 三 and 四) scanned, the rest printed."""
    return rasterise(HUAIAN_PDF, tmp_path_factory.mktemp("scan") / "huaian-part-scanned.pdf", keep_text=(1, 2, 3, 6))


@pytest.fixture(scope="module")
def scanned_report(part_scanned):
    said = []
    report = read_report(part_scanned, progress=said.append)
    return report, said


@pytest.fixture(scope="module")
def printed():
    return import_report(HUAIAN_PDF)


def test_scanned_pdf_without_the_extra_is_refused_saying_how_to_install_it(tmp_path, monkeypatch, runner):
    scan = rasterise(HUAIAN_PDF, tmp_path / "scan.pdf", dpi=60, pages=[1, 2])
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)     # as if not installed
    with pytest.raises(InputError) as caught:
        import_report(scan)
    message = str(caught.value)
    assert "scan.pdf 的第 1、2 页是扫描件（图片）" in message and INSTALL in message and "离线" in message
    result = runner.invoke(app, ["import", str(scan), "--dir", str(tmp_path / "ws")])
    assert result.exit_code == 2 and "pip install 'report-drafter[ocr]'" in result.stderr
    assert "Traceback" not in result.output


def test_blank_pages_are_not_taken_for_scans(tmp_path):
    import pypdfium2 as pdfium

    blank = pdfium.PdfDocument.new()
    blank.new_page(595, 842)
    blank.save(str(tmp_path / "blank.pdf"))
    with pytest.raises(InputError, match="没有可提取的文字"):
        import_report(tmp_path / "blank.pdf")


@NEEDS_OCR
def test_scanned_tables_read_by_ocr_equal_the_printed_ones(scanned_report, printed):
    report, said = scanned_report
    assert report.complete and report.ocr_pages == [4, 5]
    assert report.stats.requests == printed.stats.requests
    assert report.stats.appeals == printed.stats.appeals
    assert report.stats.active == printed.stats.active          # (printed pages: read as text)


@NEEDS_OCR
def test_every_cell_read_by_ocr_is_marked(scanned_report):
    report, _ = scanned_report
    tables = {path[0] for path in report.ocr_cells}
    assert tables == {"active", "requests", "appeals"}        # (表二 goes on from page 3 to the scanned page 4)
    assert ("requests", "new", 0) in report.ocr_cells and len(report.ocr_cells) == 10 + 175 + 15
    notes = [w for w in report.warnings if w.ocr]
    assert len(notes) == 1 and "第 4、5 页是扫描件，由文字识别（OCR）读出，其中表二、表三、表四的 200 个单元格" in notes[0].message


@NEEDS_OCR
def test_tables_on_printed_pages_are_not_marked(tmp_path):
    scan = rasterise(HUAIAN_PDF, tmp_path / "last-page-scanned.pdf", keep_text=(1, 2, 3, 4, 5))
    report = read_report(scan)
    assert report.ocr_pages == [6] and report.ocr_cells == [] and report.complete
    assert "第 6 页是扫描件，由文字识别（OCR）读出；识别可能有误" in [w.message for w in report.warnings if w.ocr][0]


@NEEDS_OCR
def test_findings_about_cells_read_by_ocr_say_so(scanned_report):
    report, _ = scanned_report
    misread = copy.deepcopy(report)
    misread.stats.requests.new[0] += 1            # as if OCR read a digit wrong
    findings = check_report(misread)
    assert findings and all(f.ocr and f.as_dict()["ocr"] is True for f in findings)
    assert all(f.message.endswith("（此单元格由文字识别（OCR）从扫描页读出，请对照原件核实）") for f in findings)
    printed = copy.deepcopy(misread)
    printed.ocr_cells = []
    assert not any(f.ocr or "OCR" in f.message for f in check_report(printed))


@NEEDS_OCR
def test_progress_is_told_per_scanned_page(scanned_report):
    _, said = scanned_report
    assert said == ["文字识别（OCR）：第 4 页（1/2）", "文字识别（OCR）：第 5 页（2/2）"]


@NEEDS_OCR
def test_cli_json_marks_the_cells_and_shows_progress_on_stderr(part_scanned, runner, monkeypatch, scanned_report):
    report, _ = scanned_report

    def imported(path, year=None, progress=None):       # (the OCR itself is the fixture's: seconds a page)
        progress("文字识别（OCR）：第 4 页（1/2）")
        return report

    monkeypatch.setattr("report_drafter.importing.import_report", imported)
    result = runner.invoke(app, ["import", "--json", str(part_scanned)])
    data = json.loads(result.stdout)
    assert data["ocr"]["pages"] == [4, 5] and "requests.new.0" in data["ocr"]["cells"]
    assert "appeals.review.total" in data["ocr"]["cells"] and "active.licensing" in data["ocr"]["cells"]
    assert "文字识别（OCR）：第 4 页（1/2）" in result.stderr and "文字识别" not in result.stdout
