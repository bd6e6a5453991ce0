"""Hostile and unusual input: no file can crash, hang, leak or plant anything.

Templates that reach outside their set, text that would become a live spreadsheet formula, archives that unpack
to gigabytes, links to nothing, HTML nested past any real page, files past the documented limits, and agency
names that differ only in an ordinal. Each case once through the library and, where a user meets it, the CLI.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from report_drafter import limits
from report_drafter.cli import app
from report_drafter.errors import InputError
from report_drafter.importing.sources import read_source
from report_drafter.prompts import PromptError, Prompts

REPORTS = Path("/work/shared/reference/reports")
REAL_REPORT = REPORTS / "105_pingtan-zhsyq_2023.txt"
EVIL_NAME = '=HYPERLINK("http:\\\\evil.example","点击").txt'


def zip_bomb_docx(path: Path, megabytes: int) -> Path:
    """A real .docx whose document.xml unpacks to `megabytes` MB of blanks (a few KB per MB on disk)."""
    from docx import Document

    plain = io.BytesIO()
    Document().save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "word/document.xml":
                out.writestr(item, data)
                continue
            head, tail = data.split(b"<w:body>")
            with out.open(item.filename, "w", force_zip64=True) as handle:
                handle.write(head + b"<w:body>")
                for _ in range(megabytes):
                    handle.write(b" " * (1 << 20))
                handle.write(tail)
    return path


def nested_html(depth: int) -> str:
    return "<html><body>" + "<div>" * depth + "一、总体情况" + "</div>" * depth + "</body></html>"


# ---------- templates ----------

@pytest.mark.parametrize("include", ["/etc/passwd", "../../../../etc/passwd", "../drafter.toml", "..\\\\secret.j2",
                                     "C:/Windows/win.ini", "sub/overview.j2"])
def test_a_template_includes_only_templates_of_its_set(tmp_path, include):
    (tmp_path / "prompts").mkdir()
    (tmp_path / "drafter.toml").write_text('agency = "局"\n', encoding="utf-8")
    (tmp_path / "prompts" / "overview.j2").write_text(f'前{{% include "{include}" %}}后\n', encoding="utf-8")
    with pytest.raises(PromptError, match="只能引用同一组模板"):
        Prompts(tmp_path).render("overview.j2", {})


@pytest.mark.parametrize("tag", ['{% include "/etc/passwd" %}', '{% import "/etc/passwd" as x %}',
                                 '{% extends "/etc/hostname" %}', '{% from "/etc/passwd" import x %}'])
def test_prompts_show_never_prints_a_file_outside_the_prompts(runner, tmp_path, tag):
    assert runner.invoke(app, ["init", "--year", "2023", "--agency", "某某局", "--dir", str(tmp_path)]).exit_code == 0
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "system.j2").write_text(tag + "\n", encoding="utf-8")
    result = runner.invoke(app, ["prompts", "show", "system", "--year", "2023", "--dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "root:" not in result.output and "只能引用同一组模板" in result.output


def test_a_template_link_out_of_the_prompts_folder_is_refused(tmp_path):
    (tmp_path / "prompts").mkdir()
    (tmp_path / "secret.txt").write_text("机密", encoding="utf-8")
    (tmp_path / "prompts" / "overview.j2").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(PromptError, match="prompts/ 以外的链接"):
        Prompts(tmp_path).render("overview.j2", {})


def test_templates_of_the_set_still_include_each_other(tmp_path):
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "_part.j2").write_text("部分{{ x }}", encoding="utf-8")
    (tmp_path / "prompts" / "overview.j2").write_text('前{% include "_part.j2" %}后', encoding="utf-8")
    assert Prompts(tmp_path).render("overview.j2", {"x": 1}) == "前部分1后\n"


# ---------- spreadsheets ----------

FORMULA_TEXTS = ["=1+2", '=HYPERLINK("http://evil.example","点击")', "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULA_TEXTS)
def test_text_cells_are_never_formulas(tmp_path, text):
    from openpyxl import Workbook, load_workbook

    from report_drafter.spreadsheet import as_text, text_cells

    book = Workbook(write_only=True)
    sheet = book.create_sheet("a")
    sheet.append(text_cells(sheet, [text, 3]))
    book.save(tmp_path / "w.xlsx")
    plain = Workbook()
    as_text(plain.active.cell(1, 1, text))
    plain.save(tmp_path / "p.xlsx")
    for name in ("w.xlsx", "p.xlsx"):
        cell = load_workbook(tmp_path / name).worksheets[-1]["A1"]
        assert (cell.data_type, cell.value) == ("s", text)
        assert cell.quotePrefix       # stays text even when the reviewer edits it


def test_an_agency_named_like_a_formula_round_trips_through_stats_xlsx(tmp_path, huaian_text):
    from openpyxl import load_workbook

    from report_drafter.spreadsheet import read_xlsx, write_xlsx
    from report_drafter.statsfile import read_stats

    stats = read_stats(huaian_text, "stats.yaml").stats
    stats.agency = "=1+2"
    (tmp_path / "stats.xlsx").write_bytes(write_xlsx(stats))
    assert not formula_cells(load_workbook(tmp_path / "stats.xlsx"), allowed=r"^=SUM\(")
    back, problems = read_xlsx(tmp_path / "stats.xlsx")
    assert back.agency == "=1+2" and not [p for p in problems if p.severity == "error"]


def formula_cells(book, allowed: str = r"^$") -> list[str]:
    import re

    return [f"{sheet.title}!{cell.coordinate}={cell.value}" for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if cell.data_type == "f" and not re.match(allowed, str(cell.value))]


# ---------- archives, links, depth, sizes ----------

def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked(tmp_path):
    bomb = zip_bomb_docx(tmp_path / "bomb.docx", 40)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(InputError, match="压缩炸弹") as caught:
        read_source(bomb)
    assert "30 MB" in str(caught.value)


def test_check_report_refuses_a_zip_bomb_at_once(runner, tmp_path):
    bomb = zip_bomb_docx(tmp_path / "bomb.docx", 40)
    result = runner.invoke(app, ["check", "--report", str(bomb)])
    assert result.exit_code == 2 and "bomb.docx" in result.output and "上限" in result.output


def test_a_zip_bomb_xlsx_is_refused(tmp_path):
    from report_drafter.spreadsheet import read_xlsx

    with zipfile.ZipFile(tmp_path / "stats.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            for _ in range(40):
                handle.write(b" " * (1 << 20))
    with pytest.raises(InputError, match="Excel 文件的上限"):
        read_xlsx(tmp_path / "stats.xlsx")


def test_a_dangling_link_is_unreadable_not_a_crash(tmp_path):
    (tmp_path / "d.txt").symlink_to("nope.txt")
    with pytest.raises(InputError, match="d.txt 是一个链接.*nope.txt.*不存在"):
        read_source(tmp_path / "d.txt")


@pytest.mark.parametrize("depth", [limits.MAX_HTML_DEPTH + 10, 100_000])
def test_deeply_nested_html_is_refused_with_the_limit(tmp_path, depth):
    (tmp_path / "deep.html").write_text(nested_html(depth), encoding="utf-8")
    with pytest.raises(InputError, match=f"嵌套超过 {limits.MAX_HTML_DEPTH} 层"):
        read_source(tmp_path / "deep.html")


@pytest.mark.parametrize("depth", [1_000, limits.MAX_HTML_DEPTH - 10])
def test_html_nested_within_the_limit_is_read_without_recursion(tmp_path, depth):
    (tmp_path / "ok.html").write_text(nested_html(depth), encoding="utf-8")
    assert [line.text for line in read_source(tmp_path / "ok.html").lines] == ["一、总体情况"]


def test_a_report_past_the_text_limit_is_refused_at_once(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(REAL_REPORT.read_bytes() * (limits.MAX_REPORT_TEXT_BYTES // REAL_REPORT.stat().st_size + 1))
    with pytest.raises(InputError, match="超过一份报告的上限 5 MB"):
        read_source(big)


def test_a_file_past_the_file_limit_is_not_even_read(tmp_path):
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:          # sparse: nothing is written to disk
        handle.truncate(limits.MAX_REPORT_FILE_BYTES + 1)
    with pytest.raises(InputError, match="超过报告文件的上限 50 MB"):
        read_source(huge)


# ---------- the folder of the "Done when" ----------

def test_a_hostile_folder_audits_to_completion(runner, tmp_path):
    from openpyxl import load_workbook

    folder = tmp_path / "收到的年报"
    folder.mkdir()
    shutil.copy(REAL_REPORT, folder / REAL_REPORT.name)
    zip_bomb_docx(folder / "bomb.docx", 40)
    (folder / "d.txt").symlink_to("nope.txt")
    (folder / "deep.html").write_text(nested_html(100_000), encoding="utf-8")
    (folder / EVIL_NAME).write_text("=1+2 某某局2023年政府信息公开工作年度报告\n一、总体情况\n", encoding="utf-8")
    out = tmp_path / "审查结果"
    result = runner.invoke(app, ["audit", str(folder), "--out", str(out), "--jobs", "1"])
    assert result.exit_code in (0, 1), result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    for name, reason in (("bomb.docx", "压缩炸弹"), ("d.txt", "不存在"), ("deep.html", "嵌套超过")):
        assert any(name in line and reason in line for line in result.output.splitlines()), (name, result.output)
    found = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert {u["file"] for u in found["unreadable"]} == {"bomb.docx", "d.txt", "deep.html"}
    assert {r["file"] for r in found["reports"]} == {REAL_REPORT.name, EVIL_NAME}
    book = load_workbook(out / "summary.xlsx")
    assert formula_cells(book) == []
    texts = [c.value for s in book.worksheets for row in s.iter_rows() for c in row]
    assert EVIL_NAME in texts


# ---------- rule packs ----------

RULE = """  - id: r{n}
    text: 规则 {n}
    points: 1
    when:
      errors_in: [tables]
"""


@pytest.mark.parametrize("count, padding, message", [
    (limits.MAX_RULES + 1, 0, f"超过规则包的上限 {limits.MAX_RULES} 条"),
    (3, limits.MAX_RULE_PACK_BYTES, "超过规则包的上限 1 MB")])
def test_a_rule_pack_past_the_limits_is_refused_at_once(runner, tmp_path, count, padding, message):
    pack = tmp_path / "big.yaml"
    pack.write_text("name: 大\ntitle: 大\nfull_score: 100\n" + "#" * padding + "\nrules:\n"
                    + "".join(RULE.format(n=n) for n in range(count)), encoding="utf-8")
    result = runner.invoke(app, ["rules", "show", str(pack)])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_a_rule_pack_within_the_limits_is_read(tmp_path):
    from report_drafter.rulepacks import load_pack

    pack = tmp_path / "ok.yaml"
    pack.write_text("name: 可\ntitle: 可\nfull_score: 100\nrules:\n" + "".join(RULE.format(n=n) for n in range(50)),
                    encoding="utf-8")
    assert len(load_pack(pack).rules) == 50


# ---------- agency names ----------

@pytest.mark.parametrize("first, second", [("淮安市第一中学", "淮安市第十一中学"), ("新疆生产建设兵团第一师", "新疆生产建设兵团第十一师"),
                                           ("某市公安局第一分局", "某市公安局第十一分局"), ("某县第二人民医院", "某县第十二人民医院")])
def test_agencies_differing_in_an_ordinal_are_never_one(first, second):
    from report_drafter.services.audit.pairing import Agencies

    names = Agencies()
    assert names.key(first) != names.key(second)
    assert names.key(second) == names.key(second) and names.key(first) == names.key(first)


# ---------- secrets and wording ----------

API_KEY = "sk-hostile0123456789abcdefSECRET"


@pytest.mark.parametrize("status", [401, 500, 400])
def test_a_key_echoed_by_the_model_server_is_masked(runner, tmp_path, model_server, monkeypatch, status):
    from conftest import copy_example, use_model_server
    from openai_stub import Behaviour

    model_server.default = Behaviour(status=status, error_message=f"Incorrect API key provided: {API_KEY}")
    ws = use_model_server(copy_example("huaian", tmp_path), model_server.url)
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code != 0 and "服务返回" in result.output
    assert API_KEY not in result.output and API_KEY[5:-4] not in result.output


def test_hide_secrets_masks_keys_read_and_key_shaped_text():
    from report_drafter.settings import Secret, hide_secrets

    Secret("custom-key-without-prefix-42")
    shown = hide_secrets("key custom-key-without-prefix-42, other sk-abcdefghijklmnop, Bearer abcdefghijkl")
    assert "without-prefix" not in shown and "abcdefghijklmnop" not in shown and "abcdefghijkl" not in shown


@pytest.mark.parametrize("text", [":x: 不要变成表情", "[bold]方括号[/bold]原样", "[red]也原样"])
def test_user_text_is_printed_verbatim(runner, tmp_path, text):
    assert runner.invoke(app, ["init", "--year", "2023", "--agency", "某某局", "--dir", str(tmp_path)]).exit_code == 0
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "overview.j2").write_text("{# 用途：" + text + " #}\n" + text + "\n", encoding="utf-8")
    shown = runner.invoke(app, ["prompts", "show", "overview", "--year", "2023", "--dir", str(tmp_path)])
    assert text in shown.output and "❌" not in shown.output
    listed = runner.invoke(app, ["prompts", "list", "--dir", str(tmp_path)])
    assert text in listed.output and "❌" not in listed.output


def test_a_system_error_reads_in_chinese(tmp_path):
    from report_drafter.errors import FileNotWritable, os_reason

    for number in (13, 17, 2, 5):
        reason = os_reason(OSError(number, os.strerror(number)))
        assert os.strerror(number) not in reason and reason
    assert "File exists" not in str(FileNotWritable(tmp_path / "x", FileExistsError(17, "File exists")))


def test_rule_pack_errors_read_in_chinese(runner, tmp_path):
    pack = tmp_path / "bad.yaml"
    pack.write_text("name: 坏\ntitle: 坏\nfull_score: [1, 2]\nrules:\n  - id: a\n    text: 甲\n    points: abc\n"
                    "    when:\n      errors_in: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "show", str(pack)])
    assert result.exit_code == 2 and "bad.yaml:" in result.output
    import re

    english = re.findall(r"[A-Za-z]{4,}", result.output.replace(str(pack), ""))
    keys = {"full", "score", "rules", "points", "when", "errors", "tables", "numbers", "yaml", "drafter", "show",
            "national"}      # the pack's own keys and the values it may take are named as written
    assert set(english) <= keys, english


# ---------- audit outputs ----------

def test_outputs_written_into_an_input_folder_are_never_audited(runner, tmp_path):
    folder = tmp_path / "年报"
    folder.mkdir()
    shutil.copy(REAL_REPORT, folder / REAL_REPORT.name)
    for _ in range(2):               # the second run finds the first run's index.html beside the report
        result = runner.invoke(app, ["audit", str(folder), "--out", str(folder), "--format", "json", "--jobs", "1"])
        assert result.exit_code in (0, 1), result.output
        data = json.loads(result.stdout)
        assert [r["file"] for r in data["reports"]] == [REAL_REPORT.name] and data["unreadable"] == []


@pytest.mark.parametrize("interrupt_after", ["writing", "json"])
def test_a_late_ctrl_c_says_what_was_written(runner, tmp_path, monkeypatch, interrupt_after):
    import report_drafter.services.audit.writing as writing

    folder = tmp_path / "年报"
    folder.mkdir()
    shutil.copy(REAL_REPORT, folder / REAL_REPORT.name)
    out = tmp_path / "结果"
    if interrupt_after == "writing":     # Ctrl-C while printing the ranking: every file was written
        monkeypatch.setattr("report_drafter.cli.audit.print_ranking", lambda result: (_ for _ in ()).throw(KeyboardInterrupt))
    else:                                # Ctrl-C after the page and findings.json, before the workbook
        def stop(result):
            raise KeyboardInterrupt
        monkeypatch.setattr(writing, "workbook_bytes", stop)
        monkeypatch.setattr(writing, "side_by_side", lambda calls, jobs: [call() for call in calls])
    result = runner.invoke(app, ["audit", str(folder), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 130 and "文件未改动" not in result.output
    if interrupt_after == "writing":
        assert "已写入本次的结果：index.html、summary.xlsx、findings.json、aggregate.stats.yaml" in result.output
    else:
        assert "已写入本次的结果：index.html、findings.json" in result.output
        assert "未写入（仍是原来的或没有）：summary.xlsx、aggregate.stats.yaml" in result.output


def test_an_archive_that_understates_its_sizes_is_not_unpacked_past_them(tmp_path):
    """The declared sizes pass the check; Python's zipfile returns no more than declared, and the CRC fails."""
    import struct

    path = tmp_path / "liar.docx"
    plain = io.BytesIO()
    from docx import Document

    Document().save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                head, tail = data.split(b"<w:body>")
                data = head + b"<w:body>" + b" " * (40 << 20) + tail
            out.writestr(item.filename, data)
    raw = bytearray(path.read_bytes())
    name = b"word/document.xml"
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := raw.find(signature, at)) >= 0:
            length_at = 26 if signature == b"PK\x03\x04" else 28
            name_at = 30 if signature == b"PK\x03\x04" else 46
            size = struct.unpack_from("<H", raw, at + length_at)[0]
            if raw[at + name_at:at + name_at + size] == name:
                struct.pack_into("<I", raw, at + offset, 1000)      # declares 1000 bytes
            at += 4
    path.write_bytes(bytes(raw))
    assert sum(i.file_size for i in zipfile.ZipFile(path).infolist()) < limits.MAX_ARCHIVE_XML_BYTES
    with pytest.raises(InputError, match="不是有效的 Word 文档"):
        read_source(path)


def test_a_pipe_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(InputError, match="不是普通文件"):
        read_source(tmp_path / "pipe.txt")


def test_two_schools_differing_in_an_ordinal_are_both_summed_and_compared(runner, tmp_path):
    folder = tmp_path / "年报"
    folder.mkdir()
    text = REAL_REPORT.read_text(encoding="utf-8")
    for name in ("淮安市第一中学", "淮安市第十一中学"):
        (folder / f"{name}.txt").write_text(text.replace("平潭综合实验区管委会", name).replace("平潭综合实验区", name),
                                           encoding="utf-8")
    result = runner.invoke(app, ["audit", str(folder), "--out", str(tmp_path / "结果"), "--format", "json", "--jobs", "1"])
    data = json.loads(result.stdout)
    assert sorted(r["agency"] for r in data["reports"]) == ["淮安市第一中学", "淮安市第十一中学"]
    assert all(r["similar_to"][0]["share"] > 0.99 for r in data["reports"])    # compared with each other, not merged
    summed = (tmp_path / "结果" / "aggregate.stats.yaml").read_text(encoding="utf-8")
    assert "淮安市第一中学.txt" in summed and "淮安市第十一中学.txt" in summed


def test_a_page_of_an_interrupted_audit_is_never_audited(runner, tmp_path):
    folder = tmp_path / "年报"
    folder.mkdir()
    shutil.copy(REAL_REPORT, folder / REAL_REPORT.name)
    out = tmp_path / "结果"
    assert runner.invoke(app, ["audit", str(folder), "--out", str(out), "--jobs", "1"]).exit_code in (0, 1)
    shutil.copy(out / "index.html", folder / "审查结果.html")       # only the page, moved among the reports
    result = runner.invoke(app, ["audit", str(folder), "--out", str(out), "--format", "json", "--jobs", "1"])
    data = json.loads(result.stdout)
    assert [r["file"] for r in data["reports"]] == [REAL_REPORT.name] and data["unreadable"] == []
