"""drafter audit as a library call: a mixed batch read in worker processes, paired, compared across agencies."""

from __future__ import annotations

import pytest
from audit_batch import PINGTAN, READABLE, make_batch, seed_text

from report_drafter.errors import InputError
from report_drafter.services.audit import audit
from report_drafter.services.audit.pairing import Agencies, one_agency


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = make_batch(tmp_path_factory.mktemp("audit") / "收到的年报")
    steps = []
    result = audit([root], jobs=2, on_progress=steps.append)
    return root, result, steps


def by_file(result) -> dict:
    return {r.file: r for r in result.reports}


def test_one_entry_per_report_file_and_the_unreadable_file_reported(batch):
    _, result, _ = batch
    assert set(by_file(result)) == READABLE       # hidden, lock and spreadsheet files left alone
    assert [(u.file, u.message) for u in result.unreadable] == [("broken.pdf", "broken.pdf 不是有效的 PDF 文件或已损坏。请重新下载或从原文件另存为 PDF 后再试。")]
    assert result.has_errors


def test_each_file_identified_by_its_own_text_in_any_form_and_encoding(batch):
    reports = by_file(batch[1])
    seen = {name: (r.agency, r.year, r.form, r.table_status) for name, r in reports.items()}
    assert seen["中牟/zhongmou-2023-gbk.txt"] == ("中牟县科学技术和工业信息化局", 2023, "text", "complete")
    assert seen["中牟/zhongmou-2023.docx"] == ("中牟县科学技术和工业信息化局", 2023, "docx", "complete")
    assert seen["新郑/xinzheng-2023.html"] == ("新郑市科学技术和工业信息化局", 2023, "html", "complete")
    assert seen["上海/108_shanghai-kw_2024.md"][:2] == ("上海市科委", 2024)
    assert [seen["平潭/" + name][:2] for name in PINGTAN] == [("平潭综合实验区", y) for y in (2021, 2022, 2023)]


def test_pairing_by_agency_and_year(batch):
    reports = by_file(batch[1])
    last = {name: (r.last_year.file, r.last_year.year) if r.last_year else None for name, r in reports.items()}
    assert last["平潭/103_pingtan-zhsyq_2021.txt"] is None
    assert last["平潭/104_pingtan-zhsyq_2022.txt"] == ("平潭/103_pingtan-zhsyq_2021.txt", 2021)
    assert last["平潭/105_pingtan-zhsyq_2023.txt"] == ("平潭/104_pingtan-zhsyq_2022.txt", 2022)
    assert last["中牟/zhongmou-2023-gbk.txt"] == last["中牟/zhongmou-2023.docx"] == ("中牟/zhongmou-2022.txt", 2022)
    assert last["新郑/xinzheng-2023.html"] is None          # 新郑 is another agency, not 中牟's next year
    assert reports["中牟/zhongmou-2023-gbk.txt"].duplicates == ["中牟/zhongmou-2023.docx"]


def test_continuity_of_carried_over_applications(batch):
    reports = by_file(batch[1])
    assert [reports["平潭/" + n].last_year.carried_over for n in PINGTAN[1:]] == ["continues", "continues"]
    seed = reports["中牟/zhongmou-2023-gbk.txt"]
    assert seed.last_year.carried_over == "differs"
    carried = [f for f in seed.findings if f.rule == "6" and f.path[:2] == ("requests", "carried_over")]
    assert [(f.severity, f.expected, f.found) for f in carried] == [("warning", "2", "0"), ("warning", "2", "0")]
    assert "应等于 2022 年报告的“四、结转下年度继续办理”" in carried[0].message


def test_copying_from_last_year_is_measured_against_the_paired_report(batch):
    seed = by_file(batch[1])["中牟/zhongmou-2023-gbk.txt"]
    assert seed.last_year.share > 0.95
    assert any(f.category == "copying" and f.kind == "similarity" for f in seed.findings)
    assert 0 < by_file(batch[1])["平潭/105_pingtan-zhsyq_2023.txt"].last_year.share < 0.5


def test_copying_across_agencies_both_ways_with_the_longest_passage(batch):
    reports = by_file(batch[1])
    copy, original = reports["新郑/xinzheng-2023.html"], reports["中牟/zhongmou-2023-gbk.txt"]
    assert copy.similar_to[0].share >= 0.9 and copy.similar_to[0].agency == "中牟县科学技术和工业信息化局"
    assert {s.file for s in copy.similar_to} == {"中牟/zhongmou-2023-gbk.txt", "中牟/zhongmou-2023.docx", "中牟/zhongmou-2022.txt"}
    assert original.similar_to[0].file == "新郑/xinzheng-2023.html" and original.similar_to[0].share >= 0.9
    passage = copy.similar_to[0].passage
    assert len(passage) > 40 and passage.rstrip("…")[:20] in seed_text().replace("中牟县", "新郑市").replace(" ", "")
    warning = next(f for f in copy.findings if f.kind == "other_agency")
    assert (warning.severity, warning.category, warning.found) == ("warning", "copying", f"{copy.similar_to[0].share:.0%}")
    assert "中牟县科学技术和工业信息化局" in warning.message
    # one agency's own reports are never compared with each other
    assert not any(s.agency.startswith("平潭") for r in reports.values() if r.agency.startswith("平潭") for s in r.similar_to)


def test_every_finding_of_check_report_is_there(batch):
    from report_drafter.checks.review import ReviewSettings
    from report_drafter.services.checking import check_published

    root = batch[0]
    alone = check_published(root / "平潭" / PINGTAN[1], root / "平潭" / PINGTAN[0], ReviewSettings())
    audited = by_file(batch[1])["平潭/" + PINGTAN[1]]

    def fields(finding):
        data = finding.as_dict()
        return tuple(data[k] for k in ("severity", "category", "kind", "line", "section", "text", "found", "expected"))

    assert [fields(f) for f in audited.findings] == [fields(f) for f in alone.report.findings]
    assert all(f.file == "平潭/" + PINGTAN[1] for f in audited.findings)


def test_marks_every_checked_number_of_the_prose(batch):
    report = by_file(batch[1])["平潭/105_pingtan-zhsyq_2023.txt"]
    kinds = {m.kind for m in report.marks}
    assert {"verified", "contradiction", "unsupported"} <= kinds
    wrong = next(m for m in report.marks if m.kind == "contradiction")
    assert report.markdown[wrong.start:wrong.end] == "393件" and wrong.expected == "470件"
    assert report.counts["verified"] == sum(1 for m in report.marks if m.kind == "verified")


def test_progress_is_reported_per_file(batch):
    steps = batch[2]
    reads = [s for s in steps if s.stage == "读取"]
    assert len(reads) == len(READABLE) + 1 and reads[-1].done == reads[-1].total == len(READABLE) + 1
    assert [s.done for s in steps if s.stage == "核对"][-1] == len(READABLE)


def test_aggregate_sums_complete_tables_once_per_agency_and_year(batch):
    sums = {(a.year, a.format): a for a in batch[1].aggregates}
    this_year = sums[2023, "2021"]
    assert sorted(this_year.included["requests"]) == ["中牟/zhongmou-2023-gbk.txt", "平潭/105_pingtan-zhsyq_2023.txt",
                                                      "新郑/xinzheng-2023.html"]
    assert this_year.duplicates == ["中牟/zhongmou-2023.docx"]    # the seed as text and as Word counts once
    from report_drafter.services.checking import read_published

    pingtan = read_published(batch[0] / "平潭" / "105_pingtan-zhsyq_2023.txt").report.stats
    assert this_year.stats.requests.new == pingtan.requests.new      # the seed and its copy received nothing
    from report_drafter.services.audit.spool import KEPT

    # kept on disk in the spool once summed (the ledger stores their cells), not in memory
    assert all(r.__dict__["stats"] is None or isinstance(r.__dict__["stats"], KEPT) for r in batch[1].reports)
    assert set(sums) == {(2023, "2021"), (2022, "2021"), (2021, "2021"), (2024, "2021")}


def test_agency_names(batch):
    cases = [("平潭综合实验区", "平潭综合实验区管委会", True), ("上海市科委", "上海市科学技术委员会", True),
             ("中牟县科技工信局", "中牟县科学技术和工业信息化局", True), ("上海市", "上海市人民政府", True),
             ("上海市人民政府", "上海市人民政府办公厅", False), ("淮安市人民政府", "淮安市清江浦区人民政府", False),
             ("上海市", "上海市杨浦区人民政府", False), ("中牟县科学技术和工业信息化局", "新郑市科学技术和工业信息化局", False),
             ("", "", False),
             # ordinals: a subsequence match would merge these
             ("淮安市第一中学", "淮安市第十一中学", False), ("新疆生产建设兵团第一师", "新疆生产建设兵团第十一师", False),
             ("某市公安局第一分局", "某市公安局第十一分局", False), ("淮安市第一中学", "淮安市一中", True),
             ("淮安市第十一中学", "淮安市十一中", True), ("淮安市第一中学", "淮安市十一中", False),
             ("新疆生产建设兵团第十一师", "兵团第十一师", True), ("某市委统一战线工作部", "某市委统战部", True)]
    assert [(a, b, one_agency(a, b)) for a, b, _ in cases] == cases
    names = Agencies()
    assert names.key("上海市科学技术委员会") == names.key("上海市科委") != names.key("上海市人民政府办公厅")


def test_prior_folder_and_expected_list(tmp_path):
    from audit_batch import SEED, last_year_seed

    (tmp_path / "今年").mkdir()
    (tmp_path / "去年").mkdir()
    (tmp_path / "今年" / "seed.txt").write_text(seed_text(), encoding="utf-8")
    (tmp_path / "去年" / "seed-2022.txt").write_text(last_year_seed(), encoding="utf-8")
    (tmp_path / "名单.txt").write_text("# 应报送的机关\n中牟县科技工信局\n中牟县财政局\n", encoding="utf-8")
    result = audit([tmp_path / "今年"], prior_dir=tmp_path / "去年", jobs=1, rules="example-regional",
                   expect=tmp_path / "名单.txt")
    [report] = result.reports                           # the prior folder's reports are compared, not audited
    assert (report.last_year.file, report.last_year.carried_over) == ("去年/seed-2022.txt", "differs")
    assert [m.agency for m in result.missing] == ["中牟县财政局"]
    assert [d.rule for d in result.missing[0].score.deductions] == ["not_published"]
    assert "not_published" not in [d.rule for d in report.score.deductions] and SEED.exists()
    assert "copied_last_year" in [d.rule for d in report.score.deductions]


def test_nothing_to_read(tmp_path):
    with pytest.raises(InputError, match="没有找到报告文件"):
        audit([tmp_path], jobs=1)
    with pytest.raises(InputError, match="找不到"):
        audit([tmp_path / "没有这个文件夹"], jobs=1)


def test_identical_files_are_read_once_and_kept_apart(tmp_path, monkeypatch):
    import report_drafter.services.audit as service

    calls, checks = [], []
    real = service.read_file
    monkeypatch.setattr(service, "read_file", lambda path, name, *rest: calls.append(name) or real(path, name, *rest))
    real_check = service.check_file
    monkeypatch.setattr(service, "check_file", lambda read, *rest: checks.append(read.name) or real_check(read, *rest))
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(seed_text(), encoding="utf-8")
    result = audit([tmp_path], jobs=1)
    assert calls == ["a.txt"] and checks == []      # (b's check is a's, but for the file its findings name)
    assert sorted(r.file for r in result.reports) == ["a.txt", "b.txt"]
    a, b = (next(r for r in result.reports if r.file == name) for name in ("a.txt", "b.txt"))
    assert b.duplicates == ["a.txt"] and all(f.file == "b.txt" for f in b.findings)
    assert all(f.file == "a.txt" for f in a.findings) and (a.errors, a.warnings) == (b.errors, b.warnings) != (0, 0)
    assert [f.message for f in a.findings] == [f.message for f in b.findings]
    assert b.evidence is not a.evidence


def test_copied_runs_the_same_with_shingles_given_or_not():
    """similarity.copied_runs marks windows of consecutive hits at once; the result is the plain definition's."""
    import random
    import re

    from report_drafter.similarity import BREAK, NGRAM, copied_runs, shingles

    def plain(chars, prior):
        covered = bytearray(len(chars))
        for i in range(len(chars) - NGRAM + 1):
            if chars[i:i + NGRAM] in prior:
                covered[i:i + NGRAM] = b"\x01" * NGRAM
        for m in re.finditer(BREAK, chars):
            covered[m.start()] = 0
        return [m.span() for m in re.finditer(b"\x01+", bytes(covered))]

    rng = random.Random(5)
    for n in range(2000):
        alphabet = "ab\n" if n % 2 else "abc"
        a, b = ("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50))) for _ in range(2))
        prior = {b[i:i + NGRAM] for i in range(len(b) - NGRAM + 1)}
        assert copied_runs(a, prior) == copied_runs(a, prior, shingles(a)) == plain(a, prior)


def test_an_earlier_audits_output_is_not_read_as_reports(tmp_path):
    from report_drafter.services.audit import write_outputs

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.txt").write_text(seed_text(), encoding="utf-8")
    write_outputs(audit([tmp_path / "in"], jobs=1), tmp_path / "in" / "上次的结果")
    assert [r.file for r in audit([tmp_path / "in"], jobs=1).reports] == ["seed.txt"]


def test_sum_of_tables_blanks_single_other_row_and_totals():
    from report_drafter.model import Stats2019, Stats2021
    from report_drafter.sums import sum_stats

    three = Stats2021(year=2024, agency="甲局")
    three.requests.new = [2, 1, 0, 0, 0, 0, 3]
    three.requests.outcomes.other.no_correction = [1, 0, 0, 0, 0, 0, 1]
    three.appeals.review.upheld = 2
    single = Stats2021(year=2024, agency="乙局", requests={"outcomes": {"other": [4, 0, 0, 0, 0, 1, 5]}})
    single.requests.new = [None, 3, 0, 0, 0, 0, 3]                          # a blank cell
    single.active.licensing = 7
    summed = sum_stats([(three, ("active", "requests", "appeals")), (single, ("requests",))], "2021", 2024, "合计")
    stats = summed.stats
    assert stats.requests.new == [2, 4, 0, 0, 0, 0, 6]
    assert stats.requests.outcomes.other.no_correction == [1, 0, 0, 0, 0, 0, 1]
    assert stats.requests.outcomes.other.other == [4, 0, 0, 0, 0, 1, 5]      # the one-row （六） under “3.其他”
    assert stats.requests.outcomes.total == [5, 0, 0, 0, 0, 1, 6]           # totals from their parts
    assert stats.active.licensing == 0                                       # 乙局's table 二 was not complete
    assert stats.appeals.review.total == 2
    assert summed.blanks == [(1, ("requests", "new", 0))] and summed.reshaped == [1]
    old = Stats2019(year=2020)
    old.requests.outcomes.other = [1, 0, 0, 0, 0, 0, 1]
    three_2019 = Stats2019(year=2020, requests={"outcomes": {"other": {"no_correction": [1, 0, 0, 0, 0, 0, 1],
                                                                          "fee_unpaid": [0, 1, 0, 0, 0, 0, 1],
                                                                          "other": [0, 0, 0, 0, 0, 0, 0]}}})
    summed = sum_stats([(old, ("requests",)), (three_2019, ("requests",))], "2019", 2020)
    assert summed.stats.requests.outcomes.other == [2, 1, 0, 0, 0, 0, 3] and summed.reshaped == [1]


def test_two_short_reports_sharing_a_stock_phrase_are_not_called_alike(tmp_path, monkeypatch):
    import report_drafter.services.audit.crossing as crossing

    openings = {"甲": "我局积极落实信息发布审核机制要求。", "乙": "本办认真执行信息发布审核机制。",
                "丙": "全年信息发布审核机制运行正常。", "丁": "我委高度重视信息发布审核机制。"}
    for name, sentence in openings.items():
        (tmp_path / f"{name}.txt").write_text(f"某县{name}局2023年政府信息公开工作年度报告\n一、总体情况\n{sentence}\n"
                                              "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n",
                                              encoding="utf-8")
    assert all(not r.similar_to for r in audit([tmp_path], jobs=1).reports)
    monkeypatch.setattr(crossing, "LISTED_CHARS", 0)         # (what the floor leaves out: one 8-letter phrase)
    assert any(r.similar_to for r in audit([tmp_path], jobs=1).reports)
