"""How much of each real report `drafter import` reads, and how fast.

For every file: its form (web text, Markdown from PDF, pdftotext text, PDF …), the table layout
found, the cells read out of the cells the layout has, whether the format's rules hold on what
was read, and the time to read it (read_report, which never refuses). Then the totals.

    python benchmarks/bench_import.py [FILE_OR_FOLDER …]

Without arguments: tests/fixtures/reports/, the 淮安 text and PDF, 中牟, and the 34 openings.
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
FIXTURES = ROOT / "tests" / "fixtures"
DEFAULT = [FIXTURES / "reports", FIXTURES / "import" / "huaian-szf-2024.txt", FIXTURES / "import" / "huaian-szf-2024.pdf",
           FIXTURES / "import" / "zhongmou-kjgxj-2023.txt", FIXTURES / "import" / "openings"]
FORMS = {"text": "网页文本", "layout": "版式文本", "pdf": "PDF", "html": "HTML", "docx": "Word"}


def files(args: list[str]) -> list[Path]:
    out = []
    for arg in args or DEFAULT:
        path = Path(arg)
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix in (".txt", ".md", ".pdf", ".html", ".docx")
                          and p.name != "README.md")
        else:
            out.append(path)
    return out


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def row(report, seconds: float) -> tuple[list[str], tuple[int, int], bool | None]:
    from report_drafter.rules import check_stats

    read, expected = report.cells_read
    form = FORMS.get(report.kind, report.kind)
    if report.kind == "text" and report.file.endswith(".md"):
        form = "Markdown"
    layout = f"{report.format}" + ("，（六）单行" if report.single_other else "") + ("" if report.appeal_totals else "，表四无总计")
    holds = None if read == 0 else not any(p.severity == "error" for p in check_stats(report.stats))
    status = "/".join({"complete": "全", "partial": "缺", "missing": "无"}[t.status] for t in report.tables.values())
    cells = [report.file[:34], form, layout, status, f"{read}/{expected}",
             "—" if holds is None else ("是" if holds else "否") + ("" if report.complete else "（部分）"),
             f"{seconds * 1000:.0f} ms"]
    return cells, (read, expected), holds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="files or folders (default: the test corpus)")
    args = parser.parse_args()
    from report_drafter.errors import InputError
    from report_drafter.importing import read_report

    header = ["文件", "形式", "格式", "表二/三/四", "单元格", "勾稽成立", "耗时"]
    sizes = [36, 10, 20, 12, 10, 12, 8]
    print("".join(pad(h, s) for h, s in zip(header, sizes)))
    total_read = total_expected = complete = holding = readable = 0
    elapsed = 0.0
    paths = files(args.paths)
    for path in paths:
        start = time.perf_counter()
        try:
            report = read_report(path)
        except InputError as exc:
            print(pad(path.name[:34], sizes[0]) + f"无法读取：{str(exc).splitlines()[0]}")
            continue
        seconds = time.perf_counter() - start
        elapsed += seconds
        cells, (read, expected), holds = row(report, seconds)
        print("".join(pad(c, s) for c, s in zip(cells, sizes)))
        total_read += read
        total_expected += expected
        readable += 1
        complete += report.complete
        holding += bool(holds) and report.complete
    print()
    print(f"合计：{len(paths)} 个文件；表二、三、四全部读出的 {complete} 个，其中勾稽关系全部成立的 {holding} 个；"
          f"读取单元格 {total_read}/{total_expected}；总耗时 {elapsed:.2f} s（平均每个 {elapsed / max(readable, 1) * 1000:.0f} ms）")


if __name__ == "__main__":
    main()
