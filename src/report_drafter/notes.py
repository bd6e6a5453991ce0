"""The clerk's work notes `<year>/notes.md`: one heading per topic the prose must cover."""

from __future__ import annotations

from dataclasses import dataclass

# key, heading in notes.md, section it feeds, hint shown in the skeleton
TOPICS = (
    ("summary", "总述", "overview", "本年度工作的总体部署、领导重视情况等（可留空）"),
    ("active", "主动公开", "overview", "主动公开了哪些信息、多少条，通过哪些渠道；政策解读、新闻发布会等"),
    ("requests", "依申请公开", "overview", "依申请公开的制度、流程和办理情况（申请数量以统计表为准，可补充办理中的做法）"),
    ("management", "政府信息管理", "overview", "保密审查、公开属性认定、信息清理和目录维护等"),
    ("platforms", "政府信息公开平台建设", "overview", "政府网站、公开专栏、政务新媒体、公告栏等平台的建设和更新"),
    ("oversight", "监督保障", "overview", "组织领导、培训、考核、社会评议和责任追究等"),
    ("problems", "存在的主要问题", "problems", "本年度工作中具体存在的问题，写明涉及的栏目、渠道或环节，不要泛泛而谈"),
    ("improvements", "改进情况", "problems", "针对上年度问题已经做了什么，以及针对本年度问题的改进措施，逐条对应"),
    ("fees", "信息处理费", "other", "收取信息处理费的情况（金额以统计表为准，可补充说明）"),
    ("key_tasks", "落实上级年度政务公开工作要点情况", "other", "落实上级政务公开工作要点的情况；不适用可写“不适用”"),
    ("proposals", "人大代表建议和政协提案办理结果公开情况", "other", "建议提案办理结果的公开情况；没有承办任务可如实写明"),
    ("innovation", "年度政务公开工作创新情况", "other", "本年度政务公开工作的创新做法"),
)


@dataclass(frozen=True)
class Topic:
    key: str
    heading: str
    section: str
    hint: str


TOPIC_LIST = tuple(Topic(*t) for t in TOPICS)


def notes_skeleton(year: int, agency: str) -> str:
    """The work-notes template written by `drafter init`."""
    who = f"（{agency}）" if agency else ""
    lines = [
        f"# {year} 年政府信息公开工作记录{who}",
        "",
        "> 按标题分类记录本年度的工作情况，每条以“- ”开头。写清数字和单位（如“发布信息 32 条”），",
        "> 起草和核对时这些数字会作为依据。请勿改动标题；没有内容的栏目可以留空。",
        "",
    ]
    for topic in TOPIC_LIST:
        lines += [f"## {topic.heading}", "", f"<!-- {topic.hint} -->", ""]
    return "\n".join(lines)


_HEADINGS = {t.heading: t for t in TOPIC_LIST}
_ALIASES = {"改进措施": "improvements", "问题": "problems", "存在问题": "problems", "概述": "summary",
            "平台建设": "platforms", "政府信息公开平台": "platforms", "信息管理": "management",
            "主动公开情况": "active", "依申请公开情况": "requests", "信息处理费情况": "fees"}


@dataclass
class Notes:
    """Per-topic entries of notes.md; each entry keeps its line for tracing numbers back."""

    topics: dict[str, list[tuple[int, str]]]
    unknown_headings: list[tuple[int, str]]
    file: str = "notes.md"

    def items(self, key: str) -> list[str]:
        return [text for _, text in self.topics.get(key, [])]

    def entries(self) -> list[tuple[str, int, str]]:
        """(topic, line, text) of every entry, in file order."""
        return sorted(((k, line, text) for k, v in self.topics.items() for line, text in v), key=lambda e: e[1])


def _topic_for(heading: str) -> str | None:
    heading = heading.strip().rstrip("：:")
    if heading in _HEADINGS:
        return _HEADINGS[heading].key
    if heading in _ALIASES:
        return _ALIASES[heading]
    for topic in TOPIC_LIST:
        if topic.heading in heading:
            return topic.key
    return None


def parse_notes(text: str, file: str = "notes.md") -> Notes:
    """Split notes.md into topics by `##` headings; bullets or free text become entries.

    HTML comments (the skeleton's hints) and blockquotes are ignored; unknown headings are reported.
    """
    topics: dict[str, list[tuple[int, str]]] = {t.key: [] for t in TOPIC_LIST}
    unknown: list[tuple[int, str]] = []
    current: str | None = None
    in_comment = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if in_comment or line.startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if line.startswith("## "):
            current = _topic_for(line[3:])
            if current is None:
                unknown.append((number, line[3:].strip()))
            continue
        if not line or line.startswith(("#", ">")) or current is None:
            continue
        entry = line.lstrip("-*+•").strip()
        if entry:
            topics[current].append((number, entry))
    return Notes(topics, unknown, file)
