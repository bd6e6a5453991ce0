"""`drafter config show`: the effective model settings and where each came from."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.cells import cell_len
from rich.markup import escape

from .. import workspace as ws
from ..backends import backend_origins
from ..settings import (ENV_API_KEY, ENV_BASE_URL, FILE_KEYS, FROM_FILE, OPENAI_URL, ModelSettings, backend_name,
                        load_settings)
from .options import DirOption, FormatOption, OutputFormat
from .output import console, errors, handles_errors, print_json

config_app = typer.Typer(help="查看大模型设置。", no_args_is_help=True)

LABELS = {
    "base_url": "模型服务地址", "model": "模型名称", "api_key": "API 密钥", "api_key_env": "密钥所在环境变量",
    "timeout": "输出中途停顿超时", "first_token_timeout": "等待开始输出超时（含排队）",
    "max_retries": "失败重试次数", "temperature": "温度",
    "max_tokens": "最大输出长度", "concurrency": "同时请求数", "stream": "流式输出",
    "limit_field": "输出上限字段", "context_tokens": "上下文长度", "backend": "起草后端",
}
UNSET = {
    "max_tokens": "未设置（各部分按篇幅自动设定上限）", "temperature": "未设置（由模型服务决定）",
    "context_tokens": "未设置（本地 llama.cpp 服务会自动读取）", "backend": "未设置（有模型设置时用 openai，否则 offline）",
}


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")


@config_app.command("show", help="显示生效的大模型设置及各项来源（环境变量 / drafter.toml / 默认值），密钥只显示首尾几位。")
@handles_errors
def show(
    dir: DirOption = Path("."),
    format: FormatOption = OutputFormat.text,
) -> None:
    workspace = ws.Workspace.open(dir)
    settings = load_settings(workspace.config)
    if format == OutputFormat.json:
        print_json(as_json(settings))
    else:
        print_text(settings, (dir / ws.CONFIG_NAME).exists())


def print_text(settings: ModelSettings, file_found: bool) -> None:
    """One aligned line per setting: key, meaning, value, source; then warnings and the backend."""
    console.print(f"大模型设置（{ws.CONFIG_NAME}：{'已读取' if file_found else '未找到，仅用环境变量和默认值'}）")
    rows = [(FILE_KEYS[name], LABELS[name], display(settings, name), settings.sources.get(name, ""))
            for name in FILE_KEYS]
    widths = [max(cell_len(row[i]) for row in rows) + 2 for i in range(3)]
    for row in rows:
        cells = "".join(pad(text, width) for text, width in zip(row, widths))
        console.print(f"  {escape(cells)}来源：{escape(row[3])}")
    for warning in settings.warnings:
        errors.print(f"[yellow]提示[/yellow] {escape(warning)}")
    console.print(escape(backend_line(settings)))
    console.print(escape("可用的起草后端（drafter generate --backend 名称，或 drafter.toml [model] backend = \"名称\"）："))
    for name, origin in backend_origins().items():
        console.print(f"  {escape(name)}  {escape(origin)}")


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def display(settings: ModelSettings, name: str) -> str:
    """A setting's value as shown (the key masked)."""
    if name == "api_key":
        return settings.masked_key
    if name == "base_url" and not settings.base_url:
        return f"未设置（使用 OpenAI：{OPENAI_URL}）" if settings.api_key else "未设置"
    value = getattr(settings, name)
    if name == "concurrency" and value is None:
        return f"自动：{settings.effective_concurrency}（{'本地服务一次一个' if settings.is_local else '云服务'}）"
    if name == "limit_field" and value is None:
        return f"自动：{settings.effective_limit_field}"
    if value is None:
        return UNSET.get(name, "未设置")
    if isinstance(value, bool):
        return "是" if value else "否"
    return f"{value:g} 秒" if name in ("timeout", "first_token_timeout") else str(value)


def backend_line(settings: ModelSettings) -> str:
    if settings.backend:
        return f"起草后端：{settings.backend}（{FROM_FILE} [model] backend 指定）"
    if backend_name(settings) == "offline":
        return (f"起草后端：offline（未设置 API 密钥或模型服务地址，drafter generate 将离线起草；"
                f"要使用大模型，请设置环境变量 {ENV_API_KEY} 或 {ENV_BASE_URL}）")
    return f"起草后端：openai（drafter generate 将调用 {settings.effective_base_url} 上的模型 {settings.model or '（未设置）'}）"


def as_json(settings: ModelSettings) -> dict:
    values = {FILE_KEYS[name]: {"value": json_value(settings, name),
                                "source": settings.sources.get(name, "")}
              for name in FILE_KEYS}
    return {"backend": backend_name(settings), "backends": backend_origins(), "settings": values,
            "warnings": settings.warnings}


def json_value(settings: ModelSettings, name: str):
    if name == "api_key":
        return settings.api_key.masked if settings.api_key else None
    return getattr(settings, name)
