"""How much of each real report `drafter import` reads, and how fast.

For every file: its form (web text, Markdown from PDF, pdftotext text, PDF …), the table layout
found, the cells read out of the cells the layout has, whether the format's rules hold on what
was read, and the time to read it (read_report, which never refuses). Then the totals.

    python benchmarks/bench_import.py [FILE_OR_FOLDER …]
    python benchmarks/bench_import.py --speed          # PDFs per second and memory, on one core
    python benchmarks/bench_import.py --roundtrip      # every form of every full reference report (tests/roundtrip.py)

Without arguments: tests/fixtures/reports/, the 淮安 text and PDF, 中牟, and the 34 openings.
--speed reads a 10-page text PDF (the 淮安 report and its first four pages again) repeatedly, pinned to
one core, and OCRs the scanned 淮安 report (seconds per page, and what 20 pages take), with peak memory.
--roundtrip makes the web page, Chromium PDF, copied innerText, LibreOffice Word and PDF and the scanned
PDF of each report (and of its variant with blank 法人 columns), imports each and prints the cells read
back exactly, per form. Forms are cached in .cache/roundtrip/.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def one_core() -> None:
    """Pin this process (and the OCR engine's threads, made after this) to one core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ten_pages(folder: Path) -> Path:
    """A 10-page text PDF: the 淮安 report (6 pages) and its first four pages again."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(FIXTURES / "import" / "huaian-szf-2024.pdf"))
    out = pdfium.PdfDocument.new()
    out.import_pages(source)
    out.import_pages(source, [0, 1, 2, 3])
    out.save(str(folder / "ten-pages.pdf"))
    return folder / "ten-pages.pdf"


def speed() -> None:
    import tempfile

    from report_drafter.importing import read_report
    from report_drafter.importing.ocr import available

    one_core()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = ten_pages(Path(tmp))
        read_report(pdf)
        before = peak_mib()
        rounds = 20
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(rounds):
            report = read_report(pdf)
        wall, cpu = (time.perf_counter() - start) / rounds, (time.process_time() - cpu) / rounds
        print(f"文字 PDF（{report.pages} 页，{report.cells_read[0]}/{report.cells_read[1]} 个单元格）：每个 {wall * 1000:.0f} ms"
              f"（CPU {cpu * 1000:.0f} ms），单核每秒 {1 / wall:.1f} 个（按 CPU 时间 {1 / cpu:.1f} 个）；"
              f"峰值内存 {peak_mib():.0f} MiB（读取前 {before:.0f} MiB）")
        if not available():
            print("扫描件：未安装 OCR 组件（pip install 'report-drafter[ocr]'），跳过")
            return
        sys.path.insert(0, str(ROOT / "tests"))
        from scanning import rasterise

        scan = rasterise(FIXTURES / "import" / "huaian-szf-2024.pdf", Path(tmp) / "scan.pdf")
        start, cpu = time.perf_counter(), time.process_time()
        report = read_report(scan)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        pages = report.pages
        print(f"扫描 PDF（{pages} 页，200 dpi，{report.cells_read[0]}/{report.cells_read[1]} 个单元格）：每页 {wall / pages:.1f} s"
              f"（CPU {cpu / pages:.1f} s），20 页约 {20 * wall / pages:.0f} s（CPU {20 * cpu / pages:.0f} s）；"
              f"峰值内存 {peak_mib():.0f} MiB")


def roundtrip(only: str = "") -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import roundtrip as rt
    from report_drafter.errors import InputError
    from report_drafter.importing import read_report
    from report_drafter.importing.ocr import available

    forms = rt.FORMS if available() else rt.FORMS[:-1]
    forms = tuple(f for f in forms if not only or f in only.split(","))
    missing = rt.tools_missing(forms)
    if missing:
        print(f"缺少 {', '.join(missing)}，无法生成各种形式")
        return
    totals: dict[tuple[str, bool], list[int]] = {}
    header = ["报告", "法人列", *forms]
    sizes = [34, 8, *[18] * len(forms)]
    print("".join(pad(h, s) for h, s in zip(header, sizes)))
    failures = []
    for path in rt.reference_reports():
        for blank in (False, True):
            stats, html = rt.page_html(path, blank)
            made = rt.make_forms(html, path.stem + ("-blank" if blank else ""), forms)
            cells = [path.name[:32], "空白" if blank else "有数"]
            for form in forms:
                try:
                    compared = rt.compare(stats, read_report(made[form]).stats)
                except InputError as exc:
                    compared = rt.Compared(0, rt.compare(stats, None).cells, [("", "", str(exc).splitlines()[0])])
                total = totals.setdefault((form, blank), [0, 0, 0, 0])
                total[0] += compared.equal
                total[1] += compared.cells
                total[2] += not compared.wrong
                total[3] += 1
                cells.append(f"{compared.equal}/{compared.cells}" + ("" if not compared.wrong else " ✗"))
                if compared.wrong:
                    failures.append((path.name, blank, form, compared.wrong[:3], len(compared.wrong)))
            print("".join(pad(c, s) for c, s in zip(cells, sizes)))
    print()
    for (form, blank), (equal, cells, exact, reports) in totals.items():
        print(f"{form:18} {'法人列空白' if blank else '各列有数'}：单元格 {equal}/{cells} 一致，"
              f"{exact}/{reports} 份报告全部一致")
    if failures:
        print("\n不一致的单元格（每种情形前三个）：")
        for name, blank, form, wrong, count in failures:
            print(f"  {name} {'法人列空白' if blank else ''} {form}：{count} 个，如 {wrong}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="files or folders (default: the test corpus)")
    parser.add_argument("--speed", action="store_true", help="PDFs per second and memory on one core (text and scanned)")
    parser.add_argument("--roundtrip", action="store_true", help="every form of every full reference report")
    parser.add_argument("--forms", default="", help="with --roundtrip: only these forms (comma-separated, e.g. html,pdf-chromium)")
    args = parser.parse_args()
    if args.speed:
        return speed()
    if args.roundtrip:
        return roundtrip(args.forms)
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
