"""drafter audit on the command line: one JSON object on stdout, a ranked table, scores, exit codes."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from audit_batch import READABLE, SEED, last_year_seed, make_batch, seed_text

from report_drafter.cli import app
from report_drafter.findings import FIELDS

PACK = """name: 抄袭从严
title: 测试用规则包
full_score: 100
rules:
  - id: copied_last_year
    text: 与上年度报告重复率超过 50%
    points: 50
    when:
      similar_to_last_year: 0.5
  - id: table_errors
    text: 统计表或正文数字有错误
    points: 1
    when:
      errors_in: [tables, numbers]
"""


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    return make_batch(tmp_path_factory.mktemp("cli") / "年报")


@pytest.fixture(scope="module")
def as_json(batch, tmp_path_factory):
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("out")
    return CliRunner().invoke(app, ["audit", str(batch), "--format", "json", "--out", str(out), "--jobs", "2"]), out


def test_json_alone_on_stdout(as_json):
    result, out = as_json
    assert result.exit_code == 1                       # some reports have errors (and one file is unreadable)
    data = json.loads(result.stdout)                   # exactly one JSON object, nothing else
    assert set(data) == {"reports", "unreadable", "summary"}
    assert "无法读取 broken.pdf：broken.pdf 不是有效的 PDF 文件或已损坏" in result.stderr
    assert f"结果已写入 {out}" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert json.loads((out / "findings.json").read_text(encoding="utf-8")) == data


def test_json_schema(as_json):
    data = json.loads(as_json[0].stdout)
    assert {r["file"] for r in data["reports"]} == READABLE
    for report in data["reports"]:
        assert {"file", "agency", "year", "format", "tables", "findings", "similar_to", "last_year"} <= set(report)
        assert report["tables"] in ("complete", "partial", "missing") and report["format"] in ("2021", "2019")
        assert isinstance(report["year"], int) and "score" not in report
        assert all(set(f) == set(FIELDS) for f in report["findings"])
        assert report["errors"] == sum(f["severity"] == "error" for f in report["findings"])
        for similar in report["similar_to"]:
            assert set(similar) == {"file", "agency", "year", "share", "passage"} and 0 < similar["share"] <= 1
        if report["last_year"] is not None:
            assert set(report["last_year"]) == {"file", "agency", "year", "share", "carried_over"}
            assert 0 <= report["last_year"]["share"] <= 1
    assert data["unreadable"] == [{"file": "broken.pdf", "message": "broken.pdf 不是有效的 PDF 文件或已损坏。请重新下载或从原文件另存为 PDF 后再试。"}]
    summary = data["summary"]
    assert (summary["files"], summary["reports"], summary["unreadable"]) == (len(READABLE) + 1, len(READABLE), 1)
    assert summary["paired_with_last_year"] == 4 and summary["copied_from_other_agency"] == 4
    copy = next(r for r in data["reports"] if r["file"] == "新郑/xinzheng-2023.html")
    assert copy["similar_to"][0]["share"] >= 0.9 and copy["similar_to"][0]["file"].startswith("中牟/")


def test_text_output_is_ranked_worst_first(runner, batch, tmp_path):
    result = runner.invoke(app, ["audit", str(batch), "--out", str(tmp_path), "--jobs", "1"])
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("审查结果（问题最多的在前）")
    data = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))     # the reports in the order shown
    shown = [(r["errors"], r["warnings"]) for r in data["reports"]]
    assert shown == sorted(shown, reverse=True) and shown[0][0] > 0
    rows = [line.split()[:2] for line in out.splitlines() if re.match(r"\s*\d+\s+\S", line)]
    assert [int(rank) for rank, _ in rows] == list(range(1, len(READABLE) + 1))
    assert all(r["agency"].startswith(agency) for (_, agency), r in zip(rows, data["reports"]))   # (long names fold)
    assert f"共 {len(READABLE) + 1} 个文件：读取 {len(READABLE)} 份报告，1 个无法读取" in out


def test_rules_add_a_score_and_sort_by_it(runner, batch, tmp_path):
    pack = tmp_path / "从严.yaml"
    pack.write_text(PACK, encoding="utf-8")
    result = runner.invoke(app, ["audit", str(batch), "--rules", str(pack), "--format", "json", "--out",
                                 str(tmp_path / "out"), "--jobs", "1"])
    data = json.loads(result.stdout)
    scores = [r["score"]["score"] for r in data["reports"]]
    assert scores == sorted(scores)
    first = data["reports"][0]
    assert first["file"] in ("中牟/zhongmou-2023-gbk.txt", "中牟/zhongmou-2023.docx") and first["errors"] == 0
    assert first["score"]["score"] == 50 and first["score"]["deductions"][0]["rule"] == "copied_last_year"
    assert max(r["errors"] for r in data["reports"]) > 0       # by errors alone another report would come first
    assert data["summary"]["rules"] == "抄袭从严"
    text = runner.invoke(app, ["audit", str(batch), "--rules", str(pack), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert text.stdout.startswith("审查结果（按“测试用规则包”得分从低到高）") and "得分" in text.stdout


def test_exit_0_when_no_report_has_errors(runner, tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(SEED, tmp_path / "in" / "seed.txt")
    result = runner.invoke(app, ["audit", str(tmp_path / "in"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "审查结果" / "index.html").is_file()          # beside the folder given
    assert not (tmp_path / "in" / "审查结果").exists()


def test_exit_2_only_when_nothing_could_be_read(runner, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.pdf").write_bytes(b"%PDF-1.7\nbroken")
    (tmp_path / "in" / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    result = runner.invoke(app, ["audit", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--jobs", "2"])
    assert result.exit_code == 2 and result.stdout.count("审查结果") == 1
    assert "无法读取 b.doc：不支持导入旧版 Word 文档（.doc）（b.doc）" in result.stderr
    assert "错误：没有一个文件能作为年度报告读取。" in result.stderr and "Traceback" not in result.output
    assert (tmp_path / "out" / "index.html").is_file()


@pytest.mark.parametrize("args, message", [
    (["没有这个文件夹"], "找不到 没有这个文件夹"),
    (["{empty}"], "没有找到报告文件"),
    (["{seed}", "--rules", "没有这个规则包"], "没有名为“没有这个规则包”的规则包"),
    (["{seed}", "--prior-dir", "没有这个文件夹"], "找不到上年度报告文件夹"),
    (["{seed}", "--expect", "没有名单.txt"], "找不到应报送机关名单"),
])
def test_input_errors(runner, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "seed.txt").write_text(seed_text(), encoding="utf-8")
    args = [a.format(empty=tmp_path / "empty", seed=tmp_path / "seed.txt") for a in args]
    result = runner.invoke(app, ["audit", *args, "--jobs", "1"])
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""
    assert "Traceback" not in result.output


def test_prior_dir_and_expect_on_the_command_line(runner, tmp_path):
    (tmp_path / "2023").mkdir()
    (tmp_path / "2022").mkdir()
    (tmp_path / "2023" / "seed.txt").write_text(seed_text(), encoding="utf-8")
    (tmp_path / "2022" / "seed.txt").write_text(last_year_seed(), encoding="utf-8")
    (tmp_path / "名单.txt").write_text("中牟县科技工信局\n中牟县财政局\n", encoding="gbk")
    result = runner.invoke(app, ["audit", str(tmp_path / "2023"), "--prior-dir", str(tmp_path / "2022"), "--expect",
                                 str(tmp_path / "名单.txt"), "--rules", "example-regional", "--format", "json", "--jobs", "1"])
    data = json.loads(result.stdout)
    [report] = data["reports"]
    assert report["last_year"]["file"] == "2022/seed.txt" and report["last_year"]["carried_over"] == "differs"
    assert data["missing"][0]["agency"] == "中牟县财政局" and data["missing"][0]["score"]["score"] == 3


@pytest.mark.parametrize("jobs, expected", [("0", "选项 --jobs 的值应不小于 1。"), ("两个", "选项 --jobs 的值无效，应为整数。")])
def test_a_wrong_jobs_value_is_told_in_chinese(runner, tmp_path, jobs, expected):
    (tmp_path / "a.txt").write_text(seed_text(), encoding="utf-8")
    result = runner.invoke(app, ["audit", str(tmp_path), "--jobs", jobs])
    assert result.exit_code == 2
    assert expected in result.output and "Input should" not in result.output


def test_a_full_temporary_folder_is_the_users_answer_not_a_traceback(runner, tmp_path, monkeypatch):
    import errno
    import tempfile

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    (tmp_path / "a.txt").write_text(seed_text(), encoding="utf-8")
    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    result = runner.invoke(app, ["audit", str(tmp_path), "--jobs", "1", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "磁盘已满" in result.output and tempfile.gettempdir() in result.output and "Traceback" not in result.output
