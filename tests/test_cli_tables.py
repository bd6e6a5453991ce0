"""drafter init and drafter validate through the command line."""

import json
import subprocess
import sys

from report_drafter.cli import app


def test_init_creates_files_and_never_overwrites(runner, tmp_path):
    result = runner.invoke(app, ["init", "--year", "2023", "--agency", "中牟县科技工信局", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "已创建 2023/stats.yaml" in result.output and "已创建 2023/notes.md" in result.output
    stats = (tmp_path / "2023" / "stats.yaml").read_text(encoding="utf-8")
    assert "agency: 中牟县科技工信局" in stats
    assert "new:            [0, 0, 0, 0, 0, 0, 0]" in stats and "# 一、本年新收政府信息公开申请数量" in stats
    notes = (tmp_path / "2023" / "notes.md").read_text(encoding="utf-8")
    for heading in ("## 主动公开", "## 依申请公开", "## 政府信息管理", "## 政府信息公开平台建设", "## 监督保障",
                    "## 存在的主要问题", "## 改进情况", "## 信息处理费"):
        assert heading in notes
    (tmp_path / "2023" / "notes.md").write_text("我的记录", encoding="utf-8")
    again = runner.invoke(app, ["init", "--year", "2023", "--dir", str(tmp_path)])
    assert again.exit_code == 0
    assert "已存在，未改动 2023/notes.md" in again.output
    assert (tmp_path / "2023" / "notes.md").read_text(encoding="utf-8") == "我的记录"
    assert runner.invoke(app, ["validate", "--year", "2023", "--dir", str(tmp_path)]).exit_code == 0


def test_validate_passes_example(runner, workspace):
    result = runner.invoke(app, ["validate", "--year", "2024", "--dir", str(workspace)])
    assert result.exit_code == 0, result.output
    assert "校验通过：2024/stats.yaml" in result.output


def test_validate_errors_exit_1_with_location(runner, workspace, huaian_text):
    (workspace / "2024" / "stats.yaml").write_text(huaian_text.replace("[2932, 53", "[2933, 53"), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--year", "2024", "--dir", str(workspace)])
    assert result.exit_code == 1
    assert "2024/stats.yaml:54 表三 （七）总计 · 自然人：各项办理结果之和为 2932，填写为 2933" in result.output
    assert "校验未通过" in result.output


def test_validate_json(runner, workspace, huaian_text):
    (workspace / "2024" / "stats.yaml").write_text(huaian_text.replace("total: 351", "total: 350"), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--year", "2024", "--dir", str(workspace), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["valid"] is False
    assert data["problems"] == [{
        "severity": "error", "file": "2024/stats.yaml", "line": 58, "table": "表四", "row": "行政复议",
        "column": "总计", "rule": "4", "expected": "351", "found": "350",
        "message": "2024/stats.yaml:58 表四 行政复议 · 总计：结果维持、结果纠正、其他结果、尚未审结之和为 351，总计填写为 350",
    }]


def test_validate_uses_last_year(runner, workspace):
    runner.invoke(app, ["init", "--year", "2023", "--dir", str(workspace)])
    result = runner.invoke(app, ["validate", "--year", "2024", "--dir", str(workspace)])
    assert result.exit_code == 1
    assert "应等于 2023 年报告的“四、结转下年度继续办理”（总计）0，填写为 34" in result.output


def test_unreadable_input_exits_2(runner, workspace, huaian_text):
    result = runner.invoke(app, ["validate", "--year", "2030", "--dir", str(workspace)])
    assert result.exit_code == 2 and "找不到统计数据文件 2030/stats.yaml" in result.output
    (workspace / "2024" / "stats.yaml").write_text(huaian_text.replace("[34, 0, 0, 0, 0, 0, 34]", "[34, 0"), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--year", "2024", "--dir", str(workspace)])
    assert result.exit_code == 2 and "YAML 格式错误" in result.output and "Traceback" not in result.output


def test_help_is_chinese(runner):
    result = runner.invoke(app, ["validate", "--help"])
    assert "用法：" in result.output and "显示本帮助并退出。" in result.output
    assert "Show this message" not in result.output


def test_commands_without_model_do_not_import_langchain(tmp_path):
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from report_drafter.cli import app\n"
        f"CliRunner().invoke(app, ['init', '--year', '2023', '--dir', {str(tmp_path)!r}])\n"
        f"CliRunner().invoke(app, ['validate', '--year', '2023', '--dir', {str(tmp_path)!r}])\n"
        "CliRunner().invoke(app, ['--help'])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('langchain_core', 'langchain_openai', 'openai', 'langchain')]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
