"""Finding rule packs (packaged, a workspace's rulepacks/, or a file) and reading them with line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from ..limits import MAX_RULE_PACK_BYTES, MAX_RULES, check_file_size
from ..statsfile import line_of, parse_yaml
from ..textfile import read_text
from .model import RulePack

DEFAULT_PACK = "national"
WORKSPACE_DIR = "rulepacks"
SUFFIXES = (".yaml", ".yml")
_MESSAGES = {
    "extra_forbidden": "未知的设置项",
    "missing": "缺少必填项",
    "literal_error": "取值不在允许范围内",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "greater_than": "应大于 0",
    "less_than_equal": "应不大于 1（比例写作 0.5 表示 50%）",
    "list_type": "应为列表，如 [tables, numbers]",
    "string_type": "应为文字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "decimal_type": "应为数字",
    "dict_type": "应为若干“键: 值”",
    "model_type": "应为若干“键: 值”",
    "greater_than_equal": "应不小于下限",
    "less_than": "超出上限",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "too_short": "条目太少",
    "too_long": "条目太多",
    "enum": "取值不在允许范围内",
    "union_tag_invalid": "取值不在允许范围内",
}


@dataclass
class PackSource:
    name: str
    path: Path
    origin: str          # "内置" or "工作目录 rulepacks/…" or the file given


def builtin_dir() -> Path:
    return Path(str(resources.files("report_drafter") / "rulepacks" / "packs"))


def available(workspace_root: Path | None = None) -> list[PackSource]:
    """Every pack by name: the workspace's rulepacks/ override built-in packs of the same name."""
    found = {p.stem: PackSource(p.stem, p, "内置") for p in sorted(builtin_dir().glob("*.yaml"))}
    own = workspace_root / WORKSPACE_DIR if workspace_root else None
    if own and own.is_dir():
        for path in sorted(p for p in own.iterdir() if p.suffix in SUFFIXES):
            found[path.stem] = PackSource(path.stem, path, f"工作目录 {WORKSPACE_DIR}/{path.name}")
    return list(found.values())


def find_pack(name_or_file: str | Path | None, workspace_root: Path | None = None) -> PackSource:
    """A pack by name (workspace first, then built in) or by file path."""
    name = str(name_or_file or DEFAULT_PACK)
    for source in available(workspace_root):
        if source.name == name:
            return source
    path = Path(name)
    if path.suffix in SUFFIXES or path.exists():
        if not path.is_file():
            raise InputError(f"找不到规则包文件 {path}。")
        return PackSource(path.stem, path, str(path))
    names = "、".join(s.name for s in available(workspace_root))
    raise InputError(f"没有名为“{name}”的规则包。可用的规则包：{names}；也可以给出规则包文件的路径。")


def load_pack(name_or_file: str | Path | None = None, workspace_root: Path | None = None) -> RulePack:
    """Read and validate a pack; an unknown key or a wrong type is an InputError naming the file and line."""
    source = find_pack(name_or_file, workspace_root)
    shown = source.origin if source.origin != "内置" else f"{source.name}（内置）"
    check_file_size(source.path, shown, MAX_RULE_PACK_BYTES, "规则包")
    data = parse_yaml(read_text(source.path, shown), shown)
    if not isinstance(data, dict):
        raise InputError(f"{shown}：规则包应为若干“键: 值”，参照 drafter rules show {DEFAULT_PACK}。")
    rules = data.get("rules")
    if isinstance(rules, list) and len(rules) > MAX_RULES:
        raise InputError(f"{shown}：有 {len(rules)} 条规则，超过规则包的上限 {MAX_RULES} 条，未读取。"
                         "一个规则包通常只有几十条规则，请拆分或精简。")
    try:
        pack = RulePack.model_validate(data)
    except ValidationError as exc:
        lines = [f"{shown}:{line_of(data, tuple(e['loc'])) or 1} {_where(e['loc'])}：{_message(e)}"
                 for e in exc.errors()]
        raise InputError("规则包有错误：\n" + "\n".join(f"  · {line}" for line in lines)) from None
    unknown = [(n, name) for n, rule in enumerate(pack.rules) for name in rule.when.finding or ()
               if name not in known_findings()]
    if unknown:
        lines = [f"{shown}:{line_of(data, ('rules', n, 'when', 'finding')) or 1} rules.{n}.when.finding：没有这个核对项“{name}”"
                 for n, name in unknown]
        raise InputError("规则包有错误：\n" + "\n".join(f"  · {line}" for line in lines)
                         + f"\n可用的核对项：{'、'.join(sorted(known_findings()))}") from None
    return pack


NUMBER_FINDINGS = ("numbers.contradiction", "numbers.unsupported", "numbers.claim", "numbers.parts", "numbers.table",
                   "numbers.ambiguous", "tables.rule")


def known_findings() -> set[str]:
    """Ids a rule may name: the review checks and the kinds of number and table findings."""
    from ..checks.review import CHECKS

    return set(CHECKS) | set(NUMBER_FINDINGS)


def _where(loc: tuple) -> str:
    return ".".join(str(part) for part in loc)


def _message(error: dict) -> str:
    text = _MESSAGES.get(error["type"])
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if text and error["type"] == "extra_forbidden":
        return f"{text}“{error['loc'][-1]}”"
    # pydantic's own wording is English: never shown
    return text or f"取值不符合要求（参照 drafter rules show {DEFAULT_PACK} 的写法）"
