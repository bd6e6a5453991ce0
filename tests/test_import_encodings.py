"""Every encoding a Chinese office's files come in (and CRLF line ends) reads to the same tables."""

from pathlib import Path

import pytest

from report_drafter.importing import import_report

FIXTURES = Path(__file__).parent / "fixtures"
REPORTS = [FIXTURES / "reports" / "103_pingtan-zhsyq_2021.txt", FIXTURES / "reports" / "108_shanghai-kw_2024.md",
           FIXTURES / "import" / "zhongmou-kjgxj-2023.txt"]
ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: text.encode("utf-8-sig"),
    "gbk": lambda text: text.encode("gbk"),
    "gb18030": lambda text: text.encode("gb18030"),
    "utf-16-le-bom": lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "utf-16-le": lambda text: text.encode("utf-16-le"),
}


@pytest.fixture(scope="module")
def originals():
    return {path.name: import_report(path) for path in REPORTS}


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("path", REPORTS, ids=[p.stem for p in REPORTS])
def test_encoding_and_line_ends(tmp_path, originals, path, encoding, crlf):
    text = path.read_text(encoding="utf-8")
    if crlf:
        text = text.replace("\n", "\r\n")
    copy = tmp_path / path.name
    copy.write_bytes(ENCODINGS[encoding](text))
    report = import_report(copy)
    original = originals[path.name]
    assert report.stats == original.stats
    assert report.markdown == original.markdown
    assert [str(p) for p in report.warnings] == [str(p) for p in original.warnings]
