"""The `drafter` command line: wiring only; the work is done by the library."""

from __future__ import annotations

import typer

from . import audit, chat, checking, config, drafting, export, i18n, importing, rules, serve, tables

i18n.install()

app = typer.Typer(
    name="drafter",
    help="政府信息公开工作年度报告起草工具：校验统计表、起草正文、核对数字、导出公文。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
tables.register(app)
importing.register(app)
drafting.register(app)
checking.register(app)
audit.register(app)
chat.register(app)
export.register(app)
config.register(app)
rules.register(app)
serve.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
