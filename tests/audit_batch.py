"""A small batch of published reports for the audit tests, in mixed forms and encodings, built from tests/fixtures.

    平潭/      three consecutive years of one zone (web text, cells run together): pairing and 结转 continuity
    中牟/      the seed report in GBK with CRLF; the same report as Word (same agency and year: a duplicate);
               a made-up 2022 report of the same bureau whose 结转下年度 does not continue into 2023
    新郑/      the seed report with 中牟县 changed to 新郑市, as a web page: copied across agencies
    上海/      上海市科委 2024 (Markdown from PDF)
    broken.pdf a file that is not a readable PDF
    and files the audit must leave alone: a hidden file, an Office lock file, a spreadsheet
"""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
REPORTS = FIXTURES / "reports"
SEED = FIXTURES / "import" / "zhongmou-kjgxj-2023.txt"
PINGTAN = ("103_pingtan-zhsyq_2021.txt", "104_pingtan-zhsyq_2022.txt", "105_pingtan-zhsyq_2023.txt")
READABLE = {"平潭/" + name for name in PINGTAN} | {"中牟/zhongmou-2023-gbk.txt", "中牟/zhongmou-2023.docx",
                                                  "中牟/zhongmou-2022.txt", "新郑/xinzheng-2023.html",
                                                  "上海/108_shanghai-kw_2024.md"}


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def exported(text: str, fmt: str) -> bytes:
    """A report's text as the project exports it (a web page or a Word file), tables drawn from its own stats."""
    from report_drafter import document, rendering
    from report_drafter.export import render
    from report_drafter.importing import read_report_source
    from report_drafter.importing.sources import read_text

    report = read_report_source(read_text(text, "seed.txt"))
    doc = document.parse_document(report.markdown)
    bodies = {key: section.body for key, section in doc.sections.items()} | rendering.table_bodies(report.stats)
    return render(document.compose_document(doc.title, doc.preamble, bodies), report.stats, fmt)


def last_year_seed() -> str:
    """The seed bureau's “2022” report: the same prose, 2 applications carried forward (2023 carries over 0)."""
    lines = seed_text().replace("2023", "2022").split("\n")
    for i, line in enumerate(lines):
        if line.startswith(("四、结转下年度继续办理", "一、本年新收政府信息公开申请数量")):
            lines[i] = line.split("\t")[0] + "\t\t2\t0\t0\t0\t0\t0\t2\t"
    return "\n".join(lines)


def make_batch(root: Path) -> Path:
    """Write the batch under `root`; returns `root`."""
    (root / "平潭").mkdir(parents=True)
    for name in PINGTAN:
        shutil.copy(REPORTS / name, root / "平潭" / name)
    (root / "中牟").mkdir()
    (root / "中牟" / "zhongmou-2023-gbk.txt").write_bytes(seed_text().replace("\n", "\r\n").encode("gbk"))
    (root / "中牟" / "zhongmou-2023.docx").write_bytes(exported(seed_text(), "docx"))
    (root / "中牟" / "zhongmou-2022.txt").write_text(last_year_seed(), encoding="utf-8")
    (root / "新郑").mkdir()
    (root / "新郑" / "xinzheng-2023.html").write_bytes(exported(seed_text().replace("中牟县", "新郑市"), "html"))
    (root / "上海").mkdir()
    shutil.copy(REPORTS / "108_shanghai-kw_2024.md", root / "上海" / "108_shanghai-kw_2024.md")
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj broken\n")
    (root / ".hidden.txt").write_text("不是报告", encoding="utf-8")
    (root / "中牟" / "~$zhongmou-2023.docx").write_bytes(b"lock")
    (root / "名单.xlsx").write_bytes(b"PK not a report")
    return root
