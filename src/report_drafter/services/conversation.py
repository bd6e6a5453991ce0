"""The chat conversation: plain-language requests and slash commands, around a ChatSession.

`ChatLoop` talks to a person only through the `ChatIO` it is given (the CLI's terminal, the
web panel, a fake in tests). Slash commands are methods named cmd_*; the docstring is /help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .. import document
from ..backends.base import NeedsModel
from ..errors import DrafterError, InputError
from .chat import ChatSession, Proposal, SectionEditedMeanwhile, route
from .inputs import InputsChanged
from .drafting import section_diff


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
    # optional: notice(key, message) shows a status such as 排队等待模型服务 while a model is asked


@dataclass
class Turn:
    """What came of one input line: for a script, whether the change it asked for reached the draft."""

    line: str
    asks_change: bool          # a plain-language request or /regen (not /show, /check …)
    applied: int = 0           # proposals written into draft.md
    error: DrafterError | None = None
    cancelled: bool = False

    @property
    def succeeded(self) -> bool:
        """Nothing failed, and a change that was asked for was applied."""
        return not self.error and not self.cancelled and (self.applied > 0 or not self.asks_change)


class ChatLoop:
    """The conversation: plain-language requests and slash commands (methods named cmd_*)."""

    def __init__(self, session: ChatSession, io: ChatIO, assume_yes: bool = False):
        self.session, self.io, self.assume_yes = session, io, assume_yes
        self.turn = Turn("", asks_change=False)

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

    def announce_damage(self) -> None:
        """Tell the clerk when the saved conversation could not be read (it was set aside)."""
        s = self.session
        if s.damaged is not None:
            self.io.say(f"对话记录 {s.workspace.display(s.state_path)} 已损坏，无法读取；已另存为 "
                        f"{s.workspace.display(s.damaged)}，这次开始新的对话。", "yellow")

    def greet(self) -> None:
        s = self.session
        self.announce_damage()
        where = "继续上次的对话" if s.resumed else "开始新的对话"
        engine = f"模型 {s.backend.model}" if s.backend.follows_instructions else "离线模板（自然语言修改需配置模型）"
        self.io.say(f"{s.year} 年报告草稿对话（{where}，起草方式：{engine}）。直接输入修改要求，或输入 /help 查看命令。")

    def handle(self, line: str) -> bool:
        """Handle one input line; False ends the loop."""
        line = line.strip()
        self.turn = Turn(line, asks_change=bool(line) and (not line.startswith("/") or line.startswith("/regen")))
        if not line:
            return True
        try:
            if line.startswith("/"):
                return self.command(line)
            self.request(line)
        except KeyboardInterrupt:
            self.turn.cancelled = True
            self.io.say("已取消本次回答，草稿未改动。", "yellow")
        except DrafterError as exc:
            self.turn.error = exc
            self.io.say(str(exc), "red")
        return True

    def notice(self, message: str) -> None:
        """A status of the model request (排队等待模型服务 …), when the io can show one."""
        show = getattr(self.io, "notice", None)
        if show:
            show("chat", message)

    def command(self, line: str) -> bool:
        name, _, arg = line[1:].partition(" ")
        method = getattr(self, f"cmd_{name}", None)
        if method is None:
            raise InputError(f"没有命令 /{name}。输入 /help 查看全部命令。")
        return method(arg.strip()) is not False

    # ---- plain-language requests ----
    def request(self, text: str) -> None:
        if not self.session.backend.follows_instructions:
            raise NeedsModel()
        keys = route(text)
        if not keys:
            keys = self.ask_sections()
            if not keys:
                return
        for key in keys:
            self.io.say(f"修改“{document.HEADINGS[key]}”：", "bold")
            proposal = self.session.propose(key, text, self.io.stream, self.notice)
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
        except InputsChanged as exc:            # written from tables that have changed since: never applied
            s.reject(proposal)
            self.io.say(str(exc), "red")
            return
        except SectionEditedMeanwhile as exc:
            self.io.say(str(exc), "red")
            self.io.show_diff(exc.diff)
            if self.io.ask("仍要用修改稿替换吗？（手工修改会保存在历史中）y/n") != "y":
                s.reject(proposal)
                self.io.say("未替换，手工修改已保留。")
                return
            s.apply(proposal, overwrite=True)
        self.turn.applied += 1
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

        report = check_draft(self.session.workspace, self.session.year).report
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
        self.offer(self.session.regenerate(key, instruction.strip(), lambda _k, t: self.io.stream(t), self.notice))

    def cmd_undo(self, arg: str = "") -> None:
        """撤销上一轮（草稿和对话都恢复）"""
        before = self.session.known_text
        done = self.session.undo()
        if done is None:
            self.io.say("没有可以撤销的修改。")
        elif self.session.known_text == before:   # the last round was a declined proposal: the draft never changed
            self.io.say("已撤销上一轮的拒绝：草稿本来就没有改动，被拒绝的修改不再记为“不要再提”。")
        else:
            self.io.say("已撤销上一轮，草稿已恢复到这一轮之前。")

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
        from .exporting import ExportRefused, export_draft

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
