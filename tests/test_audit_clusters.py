"""Copy clusters across agencies: reports sharing their prose are found however many share it (a model report copied
by six or thirty townships), and format wording — the format's headings, labels, fixed sentences and standard
phrases, as data — is never copying, however many reports hold it."""

from __future__ import annotations

import shutil

import pytest
from audit_batch import REPORTS, seed_text

from report_drafter.services.audit import audit
from report_drafter.similarity import letters
from report_drafter.wording import format_shingles, format_wording

REAL = sorted(p.name for p in REPORTS.glob("1*_*"))
TOWNS = ("东风镇", "西湖乡", "南岭镇", "北山乡", "青石镇", "白沙乡", "红旗镇", "长安乡", "新华镇", "太平乡",
         "永安镇", "双河乡", "石桥镇", "柳林乡", "大营镇", "清水乡", "平原镇", "金沙乡", "龙泉镇", "凤凰乡",
         "高桥镇", "马坊乡", "杨庄镇", "李集乡", "张店镇", "王楼乡", "刘河镇", "陈村乡", "赵寨镇", "孙庄乡")


def copies(root, count: int) -> list[str]:
    """The seed report (中牟县科技工信局 2023) under `count` townships' names: title and agency changed only."""
    names = []
    for town in TOWNS[:count]:
        text = seed_text().replace("中牟县科技工信局", f"某县{town}人民政府").replace("中牟县科学技术和工业信息化局",
                                                                           f"某县{town}人民政府")
        (root / f"{town}.txt").write_text(text, encoding="utf-8")
        names.append(f"{town}.txt")
    return sorted(names)


def folder(root, count: int):
    root.mkdir()
    for name in REAL:
        shutil.copy(REPORTS / name, root / name)
    return copies(root, count)


@pytest.mark.parametrize("count", [6, 30])
def test_one_cluster_of_the_copies_and_none_among_the_real_reports(tmp_path, count):
    towns = folder(tmp_path / "年报", count)
    result = audit([tmp_path / "年报"], jobs=2)
    assert [c.files for c in result.clusters] == [towns]
    cluster = result.clusters[0]
    assert cluster.text.startswith(f"这 {count} 份报告正文相同（相同的文字占 ")
    assert cluster.low > 0.95 and cluster.passage
    by_file = {r.file: r for r in result.reports}
    assert all(not by_file[name].similar_to for name in REAL)      # no false pairs among the real reports
    assert all(by_file[name].other_share > 0.95 for name in towns)
    flagged = [r.file for r in result.reports if any(f.kind == "other_agency" for f in r.findings)]
    assert sorted(flagged) == towns
    assert result.summary()["copied_from_other_agency"] == count
    assert result.summary()["clusters"][0]["size"] == count


def test_the_cluster_is_in_every_output(tmp_path):
    import json

    from report_drafter.services.audit import write_outputs

    towns = folder(tmp_path / "年报", 6)
    paths = write_outputs(audit([tmp_path / "年报"], jobs=1), tmp_path / "out")
    page = paths["html"].read_text(encoding="utf-8")
    assert "正文相同的报告（1 组）" in page and "这 6 份报告正文相同" in page
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["summary"]["clusters"][0]["files"] == towns


def test_format_wording_alone_is_not_copying(tmp_path):
    """Four agencies whose prose is made of the format's wording and standard phrases only: no pair, no cluster."""
    phrases = [p for p in format_wording() if len(letters(p)) >= 8]
    for k, name in enumerate("甲乙丙丁"):
        body = "".join(f"{name * 3}{p}。" for p in phrases)     # each phrase among words of its own
        (tmp_path / f"{name}.txt").write_text(
            f"某县{name}局2023年政府信息公开工作年度报告\n一、总体情况\n{body}\n五、存在的主要问题及改进情况\n{body}\n"
            f"六、其他需要报告的事项\n{body}\n", encoding="utf-8")
    result = audit([tmp_path], jobs=1)
    assert len(result.reports) == 4 and not result.clusters
    assert all(not r.similar_to for r in result.reports)


def test_format_wording_comes_from_the_data_and_the_format_model():
    wording = format_wording()
    assert "坚持以习近平新时代中国特色社会主义思想为指导" in wording      # format_wording.yaml
    assert "三、收到和处理政府信息公开申请情况" in wording               # document.SECTIONS
    assert "5.属于三类内部事务信息" in wording                            # layout's table 三 rows
    assert "本年制发件数" in wording                                      # layout's table 二 columns
    assert len(format_shingles()) > 300
