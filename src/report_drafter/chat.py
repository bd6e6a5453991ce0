"""Chat-style review of a draft: requests in plain language become proposals for one section,
shown as a diff with their number check; nothing changes until the clerk accepts.

`ChatSession` holds the state (persisted in `<year>/chat.json`); `ChatLoop` is the conversation,
talking to the terminal only through the `io` object it is given, so tests drive it with a fake.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Callable, Protocol

from . import document
from .backends.base import ChatMessage, Completion
from .drafting import clean_answer, context, draft_sections, load_draft, load_inputs, section_diff
from .errors import DrafterError
from .prompts import Prompts
from .workspace import Workspace, atomic_write, keep_version

CHAT_NAME = "chat.json"
MAX_UNDO = 30
MEMORY_TURNS = 10

# explicit names of a section win over topical words
_STRONG = (
    ("overview", re.compile(r"第一部分|第1部分|一、|总体情况")),
    ("problems", re.compile(r"第五部分|第5部分|五、|存在的主要问题|问题|改进|整改")),
    ("other", re.compile(r"第六部分|第6部分|六、|其他需要报告|其他事项|信息处理费|人大|政协|提案")),
)
_WEAK = (
    ("overview", re.compile(r"主动公开|依申请|信息管理|平台|网站|新媒体|监督|保障|培训|考核|总述|开头")),
    ("other", re.compile(r"创新|工作要点|收费")),
)
_ALL = re.compile(r"全文|整篇|通篇|全部|各部分|每一部分|每个部分")


def route(request: str) -> list[str]:
    """The prose sections a plain-language request concerns (empty when it does not say)."""
    if _ALL.search(request):
        return list(document.PROSE_SECTIONS)
    for table in (_STRONG, _WEAK):
        keys = [key for key, pattern in table if pattern.search(request)]
        if keys:
            return [k for k in document.PROSE_SECTIONS if k in keys]
    return []


class NeedsModel(DrafterError):
    """A plain-language request with the offline backend."""

    def __init__(self):
        super().__init__(
            "用自然语言修改草稿需要配置大模型。可设置环境变量 OPENAI_BASE_URL、DRAFTER_MODEL（和 OPENAI_API_KEY），"
            "或在 drafter.toml 的 [model] 中填写 base_url 和 name；用 drafter config show 查看当前设置。"
            "不配置模型时仍可使用 /show、/check、/regen、/undo 等命令（输入 /help 查看）。")


class SectionEditedMeanwhile(DrafterError):
    """The section a proposal would replace was edited by hand while the chat ran."""

    def __init__(self, key: str, diff: str):
        super().__init__(f"“{document.HEADINGS[key]}”在对话期间被手工修改过，提议没有应用。")
        self.key = key
        self.diff = diff


@dataclass
class Proposal:
    key: str
    base: str               # the section as it was when the proposal was made
    text: str               # the proposed section
    request: str
    findings: list = field(default_factory=list)

    def changes(self) -> list[list[tuple[str, str]]]:
        return paragraph_changes(self.base, self.text)


def paragraph_changes(old: str, new: str) -> list[list[tuple[str, str]]]:
    """Changed paragraphs as segments ("=", "-", "+", text): a character-level diff reads best in Chinese."""
    old_paras = [p for p in old.split("\n") if p.strip()]
    new_paras = [p for p in new.split("\n") if p.strip()]
    changes = []
    matcher = difflib.SequenceMatcher(None, old_paras, new_paras, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a, b = "\n".join(old_paras[i1:i2]), "\n".join(new_paras[j1:j2])
        chars = difflib.SequenceMatcher(None, a, b, autojunk=False)
        segments = []
        for op, x1, x2, y1, y2 in chars.get_opcodes():
            if op == "equal":
                segments.append(("=", a[x1:x2]))
                continue
            if x2 > x1:
                segments.append(("-", a[x1:x2]))
            if y2 > y1:
                segments.append(("+", b[y1:y2]))
        changes.append(segments)
    return changes


@dataclass
class Snapshot:
    draft: str
    messages: list[dict]
    rejected: list[str]


class ChatSession:
    """One year's conversation with its draft: messages, rejected proposals, undo/redo, token usage."""

    def __init__(self, workspace: Workspace, year: int, backend, prompts: Prompts):
        self.workspace, self.year, self.backend, self.prompts = workspace, year, backend, prompts
        self.path, self.known_text = load_draft(workspace, year)
        self.start_text = self.known_text
        self.messages: list[dict] = []
        self.rejected: list[str] = []
        self.undo_stack: list[Snapshot] = []
        self.redo_stack: list[Snapshot] = []
        self.usage = {"input_tokens": 0, "output_tokens": 0}
        self.resumed = False

    # ---- persistence ----
    @property
    def state_path(self):
        return self.workspace.year_dir(self.year) / CHAT_NAME

    def load(self, new: bool = False) -> None:
        """Resume the saved conversation, or start afresh (the old one is kept in history)."""
        if not self.state_path.exists():
            return
        if new:
            keep_version(self.state_path, self.state_path.read_bytes(), "drafter chat --new")
            self.state_path.unlink()
            return
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            return
        self.messages = data.get("messages", [])
        self.rejected = data.get("rejected", [])
        self.undo_stack = [Snapshot(**s) for s in data.get("undo", [])]
        self.redo_stack = [Snapshot(**s) for s in data.get("redo", [])]
        self.usage = data.get("usage", self.usage)
        self.resumed = bool(self.messages)

    def save(self) -> None:
        data = {"version": 1, "messages": self.messages, "rejected": self.rejected,
                "undo": [s.__dict__ for s in self.undo_stack[-MAX_UNDO:]],
                "redo": [s.__dict__ for s in self.redo_stack[-MAX_UNDO:]], "usage": self.usage}
        atomic_write(self.state_path, json.dumps(data, ensure_ascii=False, indent=1) + "\n", keep_history=False)

    # ---- the draft ----
    def current_text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def changed_outside(self) -> bool:
        """Whether draft.md was edited outside the chat since the chat last read or wrote it."""
        return self.current_text() != self.known_text

    def body(self, key: str, text: str | None = None) -> str:
        return document.parse_document(self.known_text if text is None else text).body(key)

    # ---- proposals ----
    def propose(self, key: str, request: str, on_chunk: Callable[[str], None] | None = None) -> Proposal:
        """Ask the model for a new version of one section."""
        if self.backend.name == "offline":
            raise NeedsModel()
        self.refresh()
        inputs = load_inputs(self.workspace, self.year)
        ctx = context(inputs)
        doc = document.parse_document(self.known_text)
        ctx["draft_sections"] = [(document.HEADINGS[k], doc.body(k)) for k in document.PROSE_SECTIONS]
        base = self.body(key)
        system = self.prompts.render("chat_system.j2", ctx)
        user = self.prompts.render("chat_request.j2", {"heading": document.HEADINGS[key], "current_text": base,
                                                      "request": request, "rejected": self.rejected[-5:]})
        history = [ChatMessage(m["role"], m["content"]) for m in self.messages[-2 * MEMORY_TURNS:]]
        completion = self.backend.complete([ChatMessage("system", system), *history, ChatMessage("user", user)],
                                           on_chunk)
        self._count(completion)
        return self._checked(Proposal(key, base, clean_answer(key, completion.text), request), inputs)

    def regenerate(self, key: str, instruction: str = "", on_chunk: Callable[[str, str], None] | None = None) -> Proposal:
        """A freshly drafted section (any backend, offline included) as a proposal."""
        self.refresh()
        inputs = load_inputs(self.workspace, self.year)
        base = self.body(key)
        completion = draft_sections(self.backend, self.prompts, inputs, [key], instruction,
                                    {key: base} if instruction else {}, on_chunk)[key]
        self._count(completion)
        request = f"/regen {key} {instruction}".strip()
        return self._checked(Proposal(key, base, clean_answer(key, completion.text), request), inputs)

    def _checked(self, proposal: Proposal, inputs) -> Proposal:
        from .checking import check_document, workspace_sources

        text = document.replace_section(self.known_text, proposal.key, proposal.text)
        report = check_document(text, workspace_sources(inputs))
        proposal.findings = [f for f in report.findings if f.section == proposal.key]
        return proposal

    def _count(self, completion: Completion) -> None:
        self.usage["input_tokens"] += completion.input_tokens or 0
        self.usage["output_tokens"] += completion.output_tokens or 0

    def refresh(self) -> bool:
        """Take in manual edits made to draft.md meanwhile; True when there were any."""
        if not self.changed_outside():
            return False
        self.known_text = self.current_text()
        return True

    # ---- decisions ----
    def _snapshot(self) -> Snapshot:
        return Snapshot(self.known_text, [dict(m) for m in self.messages], list(self.rejected))

    def apply(self, proposal: Proposal, overwrite: bool = False) -> None:
        """Write the proposal into draft.md; a section edited by hand meanwhile is never overwritten silently."""
        current = self.current_text()
        now = document.parse_document(current).body(proposal.key)
        if now != proposal.base and not overwrite:
            raise SectionEditedMeanwhile(proposal.key, section_diff(proposal.base, now, "提议时", "现在"))
        self.known_text = current
        self._remember(proposal, "已接受")
        new_text = document.replace_section(current, proposal.key, proposal.text)
        atomic_write(self.path, new_text, command=f"drafter chat：{proposal.request[:40]}")
        self.known_text = new_text
        self.save()

    def reject(self, proposal: Proposal) -> None:
        """Record the refusal so the model does not propose the same again."""
        self.undo_stack.append(self._snapshot())
        self.redo_stack.clear()
        self.rejected.append(f"对“{document.HEADINGS[proposal.key]}”的修改（要求：{proposal.request}）："
                             f"{_excerpt(proposal.text)}")
        self.messages += [{"role": "user", "content": proposal.request},
                          {"role": "assistant", "content": f"（提出了对“{document.HEADINGS[proposal.key]}”的修改，"
                                                           "工作人员拒绝了）"}]
        self.save()

    def _remember(self, proposal: Proposal, outcome: str) -> None:
        self.undo_stack.append(self._snapshot())
        self.redo_stack.clear()
        self.messages += [{"role": "user", "content": proposal.request},
                          {"role": "assistant", "content": f"（{outcome}对“{document.HEADINGS[proposal.key]}”的修改）\n"
                                                           f"{proposal.text}"}]

    def undo(self) -> Snapshot | None:
        return self._swap(self.undo_stack, self.redo_stack, "drafter chat /undo")

    def redo(self) -> Snapshot | None:
        return self._swap(self.redo_stack, self.undo_stack, "drafter chat /redo")

    def _swap(self, source: list[Snapshot], target: list[Snapshot], command: str) -> Snapshot | None:
        if not source:
            return None
        self.refresh()
        target.append(self._snapshot())
        snapshot = source.pop()
        self.messages, self.rejected = snapshot.messages, snapshot.rejected
        atomic_write(self.path, snapshot.draft, command=command)
        self.known_text = snapshot.draft
        self.save()
        return snapshot


def _excerpt(text: str, size: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[:size] + "…"


class ChatIO(Protocol):
    """All terminal input and output of the chat."""

    def read(self) -> str | None: ...                 # None: the clerk left (Ctrl-D / end of input)
    def ask(self, question: str) -> str: ...          # a one-letter answer, "" on end of input
    def say(self, text: str, style: str = "") -> None: ...
    def stream(self, text: str) -> None: ...
    def show_diff(self, diff: str) -> None: ...
    def show_changes(self, changes: list[list[tuple[str, str]]]) -> None: ...
    def show_findings(self, findings: list) -> None: ...
    def edit(self, text: str) -> str: ...


class ChatLoop:
    """The conversation: plain-language requests and slash commands (methods named cmd_*)."""

    def __init__(self, session: ChatSession, io: ChatIO, assume_yes: bool = False):
        self.session, self.io, self.assume_yes = session, io, assume_yes

    def run(self) -> None:
        """Read and handle lines until /quit or end of input."""
        self.greet()
        while True:
            try:
                line = self.io.read()
            except KeyboardInterrupt:
                continue
            if line is None or not self.handle(line):
                break
        self.io.say("再见。对话已保存，下次运行 drafter chat 会接着进行。")

    def greet(self) -> None:
        s = self.session
        where = "继续上次的对话" if s.resumed else "开始新的对话"
        engine = "离线模板（自然语言修改需配置模型）" if s.backend.name == "offline" else f"模型 {s.backend.model}"
        self.io.say(f"{s.year} 年报告草稿对话（{where}，起草方式：{engine}）。直接输入修改要求，或输入 /help 查看命令。")

    def handle(self, line: str) -> bool:
        """Handle one input line; False ends the loop."""
        line = line.strip()
        if not line:
            return True
        try:
            if line.startswith("/"):
                return self.command(line)
            self.request(line)
        except KeyboardInterrupt:
            self.io.say("已取消本次回答，草稿未改动。", "yellow")
        except DrafterError as exc:
            self.io.say(str(exc), "red")
        return True

    def command(self, line: str) -> bool:
        name, _, arg = line[1:].partition(" ")
        method = getattr(self, f"cmd_{name}", None)
        if method is None:
            self.io.say(f"没有命令 /{name}。输入 /help 查看全部命令。", "red")
            return True
        return method(arg.strip()) is not False

    # ---- plain-language requests ----
    def request(self, text: str) -> None:
        if self.session.backend.name == "offline":
            raise NeedsModel()
        keys = route(text)
        if not keys:
            keys = self.ask_sections()
            if not keys:
                return
        for key in keys:
            self.io.say(f"修改“{document.HEADINGS[key]}”：", "bold")
            proposal = self.session.propose(key, text, self.io.stream)
            self.io.say("")
            self.offer(proposal)

    def ask_sections(self) -> list[str]:
        answer = self.io.ask("这条要求针对哪一部分？输入 1（总体情况）、5（问题及改进）、6（其他事项）或 a（全部），其他键取消")
        choice = {"1": ["overview"], "一": ["overview"], "5": ["problems"], "五": ["problems"], "6": ["other"],
                  "六": ["other"], "a": list(document.PROSE_SECTIONS)}.get(answer.strip().lower(), [])
        if not choice:
            self.io.say("已取消。可以在要求中写明部分，如“第一部分压缩到八百字以内”。")
        return choice

    def offer(self, proposal: Proposal) -> None:
        """Show the diff and its check, then accept, reject or edit."""
        s = self.session
        if proposal.text.strip() == proposal.base.strip():
            self.io.say("模型给出的内容与当前稿相同，没有需要修改的地方。")
            return
        self.io.show_changes(proposal.changes())
        self.io.show_findings(proposal.findings)
        if s.refresh():
            self.io.say("注意：对话期间 draft.md 被手工修改过，已读入最新内容。", "yellow")
        answer = "y" if self.assume_yes else self.io.ask("接受这个修改吗？y 接受，n 拒绝，e 在编辑器中修改后接受")
        if answer == "e":
            proposal.text = self.io.edit(proposal.text)
            answer = "y"
        if answer != "y":
            s.reject(proposal)
            self.io.say("已拒绝，草稿未改动。")
            return
        try:
            s.apply(proposal)
        except SectionEditedMeanwhile as exc:
            self.io.say(str(exc), "red")
            self.io.show_diff(exc.diff)
            if self.io.ask("仍要用修改稿替换吗？（手工修改会保存在历史中）y/n") != "y":
                s.reject(proposal)
                self.io.say("未替换，手工修改已保留。")
                return
            s.apply(proposal, overwrite=True)
        self.io.say(f"已修改“{document.HEADINGS[proposal.key]}”（原稿保存在历史中，可用 /undo 撤销）。", "green")

    # ---- slash commands: the docstring is the /help line ----
    def cmd_help(self, arg: str = "") -> None:
        """显示全部命令"""
        for name in sorted(n[4:] for n in dir(self) if n.startswith("cmd_")):
            self.io.say(f"/{name} {getattr(self, 'cmd_' + name).__doc__}")
        self.io.say("直接输入文字即为修改要求，如“第一部分太长，压缩到八百字以内”。")

    def cmd_show(self, arg: str = "") -> None:
        """[部分]：显示整篇草稿，或只显示一个部分（一/五/六）"""
        self.session.refresh()
        key = document.SECTION_ALIASES.get(arg) if arg else None
        if arg and key is None:
            self.io.say(f"没有“{arg}”这一部分，可用：一、五、六。", "red")
            return
        self.io.say(self.session.body(key) if key else self.session.known_text)

    def cmd_check(self, arg: str = "") -> None:
        """核对草稿中的数字和“未/无/均”判断"""
        from .checking import check_draft

        report, _ = check_draft(self.session.workspace, self.session.year)
        self.io.show_findings(report.findings)
        if not report.errors:
            self.io.say(f"核对数字 {report.mentions} 个，未发现错误。", "green")

    def cmd_regen(self, arg: str = "") -> None:
        """部分 [要求]：重新起草一个部分，如 /regen 五 问题写具体些（离线也可用）"""
        part, _, instruction = arg.partition(" ")
        key = document.SECTION_ALIASES.get(part)
        if key is None:
            self.io.say("用法：/regen 一|五|六 [修改要求]", "red")
            return
        self.offer(self.session.regenerate(key, instruction.strip(), lambda _k, t: self.io.stream(t)))

    def cmd_undo(self, arg: str = "") -> None:
        """撤销上一轮（草稿和对话都恢复）"""
        done = self.session.undo()
        self.io.say("已撤销上一轮。" if done else "没有可以撤销的修改。")

    def cmd_redo(self, arg: str = "") -> None:
        """重做刚撤销的一轮"""
        done = self.session.redo()
        self.io.say("已重做。" if done else "没有可以重做的修改。")

    def cmd_history(self, arg: str = "") -> None:
        """列出本次对话中的修改要求和结果"""
        if not self.session.messages:
            self.io.say("还没有对话记录。")
        for n, (user, reply) in enumerate(zip(self.session.messages[::2], self.session.messages[1::2]), start=1):
            self.io.say(f"{n}. {user['content']} → {reply['content'].splitlines()[0]}")

    def cmd_diff(self, arg: str = "") -> None:
        """显示本次对话开始以来草稿的全部改动"""
        self.session.refresh()
        diff = section_diff(self.session.start_text, self.session.known_text, "对话开始时", "现在")
        self.io.show_diff(diff) if diff else self.io.say("本次对话开始以来草稿没有改动。")

    def cmd_export(self, arg: str = "") -> None:
        """[docx|html|md]：核对无误后导出草稿（默认 docx）"""
        from .export import ExportRefused, export_draft

        try:
            done = export_draft(self.session.workspace, self.session.year, arg or "docx")
        except ExportRefused as exc:
            self.io.show_findings(exc.report.findings)
            raise
        self.io.say(f"已导出 {self.session.workspace.display(done.path)}", "green")

    def cmd_tokens(self, arg: str = "") -> None:
        """显示本次对话累计的词元用量"""
        u = self.session.usage
        self.io.say(f"输入 {u['input_tokens']} 个词元，输出 {u['output_tokens']} 个词元。")

    def cmd_quit(self, arg: str = "") -> bool:
        """保存并退出（也可按 Ctrl-D）"""
        return False
