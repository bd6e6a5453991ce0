"""The review checks (structure, copying, substance, style): each fails on a slip and passes on a good report."""

import json
import re
from pathlib import Path

import pytest

from report_drafter import document
from report_drafter.backends.fake import FakeBackend
from report_drafter.backends.offline import OfflineBackend
from report_drafter.services.checking import check_draft, check_published
from report_drafter.cli import app
from report_drafter.document import parse_document
from report_drafter.services.drafting import generate, regenerate
from report_drafter.errors import InputError
from report_drafter.prompts import Prompts
from report_drafter.checks.review import ReviewContext, ReviewSettings, problem_items, review_document, settings_from
from report_drafter.similarity import similarity
from report_drafter.workspace import Workspace

from conftest import copy_example, sign

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = (FIXTURES / "review" / "good-2023.md").read_text(encoding="utf-8")
REFERENCE = FIXTURES / "import"


def review(text, prior=None, agency="某县统计局", year=2023, spacing_reliable=True, **settings):
    context = ReviewContext(agency, year, prior=parse_document(prior) if prior else None,
                            settings=ReviewSettings(**settings), spacing_reliable=spacing_reliable)
    return review_document(text, context)


def ids(findings):
    return sorted(f"{f.category}.{f.kind}" for f in findings)


def changed(old, new):
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def test_good_report_passes_every_check():
    assert review(GOOD) == []


@pytest.mark.parametrize("check, severity, old, new", [
    ("structure.title", "error", "# 某县统计局2023年", "# 某县统计局2022年"),
    ("structure.title", "error", "# 某县统计局2023年", "# 2023年"),
    ("structure.placeholder", "error", "以图表形式解读统计公报。", "【待补充：请在 notes.md 的“年度政务公开工作创新情况”下记录】"),
    ("structure.topics", "warning", "（五）监督保障方面。组织政务公开业务培训2次，将信息公开纳入科室年度考核。", ""),
    ("structure.fee", "warning", "本年度未收取信息处理费。", "严格执行有关规定。"),
    ("structure.items", "warning", "（三）人大代表建议和政协提案办理结果公开情况。本年度未承办人大代表建议和政协提案。\n\n（四）", "（三）"),
    ("structure.year", "warning", "2023年，某县统计局按照", "2022年，某县统计局按照"),
    ("substance.vague", "warning", "二是新入职人员对公开属性认定把握不准", "二是对《条例》的学习还不够深入"),
    ("substance.unmatched", "warning", "二是组织新入职人员参加公开属性认定培训", "二是加强统计数据发布"),
    ("substance.incomplete", "warning", "（二）改进情况\n\n一是建立“统计数据”栏目发布台账，每月核查发布时间；二是组织新入职人员参加公开属性认定培训。", ""),
    ("copying.agency", "error", "（三）政府信息管理方面。落实", "（三）政府信息管理方面。县财政局认真落实"),
    ("style.punctuation", "error", "通过门户网站“统计数据”栏目", "通过门户网站,“统计数据”栏目"),
    ("style.markdown", "error", "统计公报1期", "**统计公报**1期"),
    ("style.english", "warning", "新增“统计解读”专栏", "新增“统计解读”专栏和WeChat公众号"),
    ("style.enumeration", "warning", "二是新入职人员", "三是新入职人员"),
    ("style.enumeration", "warning", "（五）监督保障方面", "（六）监督保障方面"),
    ("style.units", "warning", "统计月报12期", "统计月报12 期"),
    ("style.first_person", "error", "2023年，某县统计局按照", "2023年，我按照"),
    ("style.promotional", "warning", "推进政府信息公开工作。", "推进政府信息公开工作，取得了显著成效。"),
])
def test_each_check_flags_its_slip(check, severity, old, new):
    findings = review(changed(old, new))
    assert ids(findings) == [check]
    [finding] = findings
    assert finding.severity == severity and finding.line > 0
    assert re.search(r"[\u4e00-\u9fff]", finding.message) and "请" in finding.message  # says how to fix it


@pytest.mark.parametrize("old, new", [
    ("按照县政府的部署", "较2022年多发布月报2期，按照县政府的部署"),                   # a comparison with last year
    ("发布统计月报12期", "发布2022年统计年鉴和统计月报12期"),                          # a year as part of a name
    ("落实公开前保密审查", "配合县财政局公开预决算，落实公开前保密审查"),              # another agency, not as itself
    ("新增“统计解读”专栏", "新增“统计解读”专栏和政务APP入口"),                         # an allowed abbreviation
    ("2023年，某县统计局按照", "2023年，我局按照"),
    ("（五）监督保障方面。", "（五）监督保障方面。开展“我为群众办实事”活动，"),         # 我 inside a quotation
    ("1期，", "1期（含2023年第1期），"),
    ("通过门户网站", "1.通过门户网站"),                                                # “1.” numbering
])
def test_acceptable_wording_passes(old, new):
    assert review(changed(old, new)) == []


def test_missing_section_and_section_out_of_order():
    missing = GOOD[: GOOD.index("## 六、")]
    [finding] = review(missing)
    assert (finding.category, finding.kind, finding.severity, finding.section) == ("structure", "sections", "error", "other")
    assert "缺少“六、其他需要报告的事项”" in finding.message
    five, six = GOOD.index("## 五、"), GOOD.index("## 六、")
    swapped = GOOD[:five] + GOOD[six:].rstrip("\n") + "\n\n" + GOOD[five:six]
    findings = [f for f in review(swapped) if f.kind == "sections"]
    assert [(f.section, f.severity) for f in findings] == [("problems", "error")]
    assert "序号或位置不对" in findings[0].message and findings[0].line == swapped[:swapped.index("## 五、")].count("\n") + 1


def test_overview_length_limit_is_configurable():
    assert review(GOOD) == []
    [finding] = review(GOOD, overview_max_chars=100)
    assert (finding.kind, finding.severity, finding.expected) == ("length", "warning", "≤100字")
    assert re.search(r"共 \d+ 字，超过 100 字", finding.message)


def test_topics_out_of_order():
    second = "（二）依申请公开方面。全年收到政府信息公开申请3件，均在法定期限内答复，答复书统一使用规范文书。\n\n"
    third = "（三）政府信息管理方面。落实公开前保密审查，对拟公开的统计资料逐件审核，更新主动公开目录。\n\n"
    text = changed(second + third, third.replace("（三）", "（二）") + second.replace("（二）", "（三）"))
    [finding] = review(text)
    assert finding.kind == "topics" and "主动公开、政府信息管理、依申请公开" in finding.message


def test_near_copy_of_last_year_is_found_with_its_passages():
    prior = GOOD.replace("2023", "2022").replace("统计月报12期", "统计月报11期")
    findings = review(GOOD, prior=prior)
    assert ids(findings) == ["copying.similarity", "copying.similarity"]
    section, whole = findings
    assert section.section == "overview" and whole.section == "document"
    assert int(section.found.rstrip("%")) >= 90 and section.expected == "≤50%"
    assert "最长的相同段落：“" in section.message and "字）" in section.message
    assert "“全年收到政府信息公开申请3件，均在法定期限内答复，答复书统一使用规范文书”（36 字）" in section.message
    assert "五、存在的主要问题及改进情况 100%" in whole.message


def test_similarity_counts_copied_characters():
    prior = review_context_grams("甲乙丙丁戊己庚辛壬癸子丑寅卯")
    found = similarity("天地玄黄甲乙丙丁戊己庚辛壬癸宇宙洪荒", prior)
    assert (found.chars, found.copied) == (18, 10)
    assert found.passages == [(4, 14)]


def review_context_grams(text):
    prior = document.compose_document("乙", "", {"overview": text})
    return ReviewContext("某局", 2023, prior=parse_document(prior)).prior_grams


def test_a_different_report_last_year_is_no_copy():
    prior = (REFERENCE / "zhongmou-kjgxj-2023.txt").read_text(encoding="utf-8")
    assert [f for f in review(GOOD, prior=prior.replace("2023", "2022")) if f.category == "copying"] == []


def test_similarity_threshold_is_configurable():
    prior = changed("组织政务公开业务培训2次，将信息公开纳入科室年度考核。", "开展业务考试。")
    assert review(GOOD, prior=prior, similarity_threshold=0.95) == []
    assert "copying.similarity" in ids(review(GOOD, prior=prior, similarity_threshold=0.5))


def test_improvements_that_skip_one_of_last_years_problems():
    prior = changed("二是新入职人员对公开属性认定把握不准", "二是依申请公开答复书格式不统一")
    findings = [f for f in review(GOOD, prior=prior, similarity_threshold=1) if f.kind == "unanswered"]
    [finding] = findings
    assert finding.severity == "warning" and finding.section == "problems"
    assert "1. 依申请公开答复书格式不统一" in finding.message
    assert "门户网站" not in finding.message  # last year's first problem is answered


def test_copied_body_of_another_agency_is_an_error():
    """openings/037: the title's agency is 开原市自然资源局, the body is 铁岭市生态环境局开原市分局's."""
    text = (REFERENCE / "openings" / "037_kaiyuan-zrzyj_2024.txt").read_text(encoding="utf-8")
    text = "# 开原市自然资源局2024年政府信息公开工作年度报告\n\n" + text.replace("一、总体情况", "## 一、总体情况")
    [finding] = [f for f in review(text, agency="开原市自然资源局", year=2024) if f.kind == "agency"]
    assert (finding.category, finding.severity, finding.found) == ("copying", "error", "铁岭市生态环境局开原市分局")
    assert "共 3 处" in finding.message
    assert [f for f in review(text, agency="开原市人民政府", year=2024) if f.kind == "agency"] == []


def test_units_spacing_ignored_for_text_from_a_page_layout():
    text = changed("统计月报12期", "统计月报12 期")
    assert review(text, spacing_reliable=False) == []


def test_settings_from_drafter_toml():
    config = {"overview_max_chars": 900, "check": {"similarity_threshold": 0.4, "disabled": ["style", "substance.vague"],
                                                  "promotional_phrases": ["全面开花"]}}
    settings = settings_from(config)
    assert settings.overview_max_chars == 900 and settings.similarity_threshold == 0.4
    assert not settings.enabled("style.english") and not settings.enabled("substance.vague")
    assert settings.enabled("substance.unanswered") and settings.promotional_phrases == ("全面开花",)
    text = changed("二是新入职人员对公开属性认定把握不准", "二是对《条例》的学习还不够深入").replace("统计月报12期", "统计月报12 期")
    assert review_document(text, ReviewContext("某县统计局", 2023, settings=settings)) == []


@pytest.mark.parametrize("table, named", [
    ({"similarity": 0.5}, "similarity"),
    ({"disabled": ["style.englsh"]}, "style.englsh"),
    ({"similarity_threshold": 50}, "similarity_threshold"),
    ({"overview_max_chars": "1000"}, "overview_max_chars"),
])
def test_misspelt_settings_are_named(table, named):
    with pytest.raises(InputError, match=re.escape(named)):
        settings_from({"check": table})


def test_problem_items_leave_sub_headings_out():
    """An offline draft's 五 as last year's report: “（一）存在的主要问题” is a heading, not a problem."""
    body = parse_document(GOOD).body("problems")
    assert problem_items(body) == ["门户网站“统计数据”栏目部分月报发布滞后", "新入职人员对公开属性认定把握不准"]


def _review_errors(findings):
    return [f for f in findings if f.category != "numbers" and f.severity == "error"]


@pytest.mark.parametrize("name, year", [("zhongmou", 2023), ("huaian", 2024)])
def test_offline_drafts_pass_the_review(runner, tmp_path, name, year):
    ws = copy_example(name, tmp_path)
    assert runner.invoke(app, ["generate", "--year", str(year), "--dir", str(ws), "--backend", "offline"]).exit_code == 0
    report = check_draft(Workspace.open(ws), year).report
    assert report.errors == []          # the 落款 date is left to the clerk: a warning, and export waits for it
    assert [f.kind for f in report.findings if f.kind == "signature"] == ["signature"]
    sign(ws, year)
    report = check_draft(Workspace.open(ws), year).report
    assert report.errors == []
    assert {f.category for f in report.findings} <= {"substance"}  # at most a warning about a problem's measure


def test_offline_draft_with_last_years_report_in_the_workspace(runner, tmp_path):
    """huaian 2024 drafted after importing an edited copy of its own report relabelled 2023."""
    ws = copy_example("huaian", tmp_path)
    text = (REFERENCE / "huaian-szf-2024.txt").read_text(encoding="utf-8").replace("2024", "2023")
    edited = text.replace("一是政策解读质量仍需提升，个别单位政策", "一是政务新媒体更新不及时，个别账号").replace(
        "解读内容简单、形式单一；二是", "长期停更、留言无人回复；二是")
    assert edited != text
    (tmp_path / "huaian-2023.txt").write_text(edited, encoding="utf-8")
    assert runner.invoke(app, ["import", str(tmp_path / "huaian-2023.txt"), "--dir", str(ws)]).exit_code == 0
    (ws / "2023" / "stats.yaml").unlink()  # the copy's tables would break the cross-year rules; its text is what counts
    assert runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--backend", "offline"]).exit_code == 0
    report = check_draft(Workspace.open(sign(ws, 2024)), 2024).report
    assert _review_errors(report.findings) == [] and report.errors == []
    copying = [f for f in report.findings if f.kind == "similarity"]
    assert {f.section for f in copying} == {"overview", "problems", "document"}  # the notes repeat last year's text
    assert all(f.severity == "warning" for f in copying)
    assert "最长的相同段落：“坚持以习近平新时代中国特色社会主义思想为指导" in copying[0].message
    [unanswered] = [f for f in report.findings if f.kind == "unanswered"]
    assert "政务新媒体更新不及时" in unanswered.message and "2023年报告" in unanswered.message


def test_model_repairs_what_the_review_finds(tmp_path):
    ws = copy_example("huaian", tmp_path)
    prompts = Prompts(ws)
    workspace = Workspace.open(ws)
    generate(workspace, 2024, OfflineBackend(prompts), prompts)
    items = "（二）落实上级年度政务公开工作要点情况。无。（三）人大代表建议和政协提案办理结果公开情况。无。（四）年度政务公开工作创新情况。无。"
    bad = "（一）收取信息处理费情况。2024年共收取信息处理费3940元,未发生其他收费。" + items
    good = bad.replace(",", "，")
    backend = FakeBackend(prompts, {"other": [bad, good]})
    result = regenerate(workspace, 2024, "other", backend, prompts)
    assert result.findings == [] and result.new_body == good
    repair = backend.requests[1]["other"][-1].content
    assert "正文中有半角（英文）标点" in repair and "“,”" in repair


def test_check_report_json_has_categories_and_compares_with_prior(runner, tmp_path):
    prior = tmp_path / "huaian-2023.txt"
    text = (REFERENCE / "huaian-szf-2024.txt").read_text(encoding="utf-8")
    prior.write_text(text.replace("2024", "2023"), encoding="utf-8")
    result = runner.invoke(app, ["check", "--report", str(REFERENCE / "huaian-szf-2024.txt"), "--prior", str(prior),
                                 "--dir", str(tmp_path), "--format", "json"])
    data = json.loads(result.output)
    assert all("category" in f for f in data["findings"])
    by = data["checked"]["findings_by_category"]
    assert by["copying"] == 3 and by["structure"] == 2 and by["style"] == 1
    whole = next(f for f in data["findings"] if f["kind"] == "similarity" and f["section"] == "document")
    assert whole["found"] == "99%" and whole["expected"] == "≤50%" and "huaian-2023.txt" in whole["message"]


def test_published_reference_reports_review(tmp_path):
    """The findings on the two reference reports, one by one (judged right in the issue)."""
    found = {}
    for name in ("huaian-szf-2024.txt", "zhongmou-kjgxj-2023.txt"):
        report = check_published(REFERENCE / name, review=ReviewSettings()).report
        found[name] = [(f.kind, f.line, f.found) for f in report.findings if f.category != "numbers"]
    assert found["huaian-szf-2024.txt"] == [("items", 239, "六、其他需要报告的事项"), ("length", 11, "一、总体情况"),
                                            ("promotional", 15, "圆满完成")]
    assert found["zhongmou-kjgxj-2023.txt"] == [
        ("items", 88, "六、其他需要报告的事项"),
        ("vague", 78, "对政府信息公开的最新条例学习还不够深入，整体的工作水平还需要提高"),
        ("vague", 78, "主动公开力度仍需进一步增强，主动性和时效性有待提高")]


def test_text_output_groups_findings_by_category(runner, tmp_path):
    result = runner.invoke(app, ["check", "--report", str(REFERENCE / "zhongmou-kjgxj-2023.txt"), "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("数字核对 · 一、总体情况") < out.index("结构完整 · 六、其他需要报告的事项") < out.index("内容实质 · 五、")
    assert "发现的问题按类别：数字核对 1 处、结构完整 1 处、内容实质 2 处。" in out


def test_bad_check_settings_stop_the_check(runner, tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    assert runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws)]).exit_code == 0
    with open(ws / "drafter.toml", "a", encoding="utf-8") as config:
        config.write("\n[check]\nsimilarity = 0.6\n")
    result = runner.invoke(app, ["check", "--year", "2023", "--dir", str(ws)])
    assert result.exit_code == 2 and "未知的设置项“similarity”" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("pattern, core, alphabet", [
    (r"(?:^|(?<=[。；;：:，,\n（(]))\s*([一二三四五六七八九十]{1,2})是", r"[一二三四五六七八九十]{1,2}是", "一二十三是。；，,（( \n\t局"),
    (r"(?:^|(?<=[。；，、：\n])|(?<=截至)|(?<=截止)|(?<=[在于]))\s*((?:19|20)\d{2})\s*年度?(?=\s*(?:[，,]|底|末|本|局))",
     r"(?:19|20)\d{2}", "2019年度 \n。；，截至止在于本底末局"),
    (r"(?:^|(?<=[。；;：:\n]))\s*(?:第[一二三]+[，,、]|首先[，,])", r"第[一二三]+[，,、]|首先[，,]", "第一二三，,、首先。； \n"),
])
def test_led_by_finds_what_the_pattern_finds_at_every_position(pattern, core, alphabet):
    """checks/review/matching.led_by: a quick scan for the pattern's core, then the pattern where a match can start."""
    import random

    from report_drafter.checks.review.matching import led_by

    pattern, core = re.compile(pattern), re.compile(core)
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        expected = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groups()) for m in led_by(pattern, core, text)] == expected, text


@pytest.mark.parametrize("item, errors", [
    ("（二）落实上级年度政务公开工作要点情况。", ["structure.empty_item"]),
    ("（二）落实上级年度政务公开工作要点情况。无。", []),
    ("（二）落实上级年度政务公开工作要点情况。按要点逐项落实。", []),
])
def test_empty_item_of_six_is_an_error(item, errors):
    body = parse_document(GOOD).body("other")
    lead = re.search(r"（二）[^\n]*要点[^\n]*", body)
    assert lead, body
    text = GOOD.replace(lead.group(0), item, 1)
    found = [f"{f.category}.{f.kind}" for f in review(text) if f.severity == "error"]
    assert found == errors


def test_offline_six_leaves_a_placeholder_where_the_notes_are_empty(runner, tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    notes = ws / "2023" / "notes.md"
    notes.write_text(notes.read_text("utf-8").replace("- 按照县政府政务公开工作要点，做好科技和工业领域政策信息的发布和解读\n", ""),
                     "utf-8")
    assert runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws), "--backend", "offline"]).exit_code == 0
    other = parse_document((ws / "2023" / "draft.md").read_text("utf-8")).body("other")
    assert "（二）落实上级年度政务公开工作要点情况。【待补充：" in other and "无。" not in other
    report = check_draft(Workspace.open(ws), 2023).report
    assert [f.kind for f in report.errors] == ["placeholder"]
