"""`drafter serve`: the browser workbench on this workspace (fastapi and uvicorn load only here)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated, Optional

import typer

from .options import AUTO_BACKEND, BackendOption, DirOption
from .output import console, errors, handles_errors

HELP = ("在浏览器中打开工作台：填统计表、记工作记录、起草、核对、对话修改和导出，与命令行共用同一工作目录的文件。"
        "默认只接受本机访问（127.0.0.1）；用 --host 监听其他地址时需要访问令牌（启动时显示一次）。")


def register(app: typer.Typer) -> None:
    app.command("serve", help=HELP, short_help="在浏览器中打开工作台（填表、起草、核对、导出）。")(serve)


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else "[::1]" if host == "::" else f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


@handles_errors
def serve(
    dir: DirOption = Path("."),
    host: Annotated[str, typer.Option("--host", help="监听的地址（默认 127.0.0.1，只接受本机访问）")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="端口")] = 8765,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器")] = False,
    backend: BackendOption = AUTO_BACKEND,
    db: Annotated[Optional[str], typer.Option("--db", help="打开审查记录数据库（drafter audit 存入的 SQLite 文件或 "
                                              "postgresql://…）：供政务公开办浏览、核实和导出，而不是工作台")] = None,
) -> None:
    import secrets
    import threading
    import webbrowser

    from ..errors import InputError
    try:
        import uvicorn

        from ..web.app import create_app
        from ..web.ledgerview import create_ledger_app
        from ..web.security import is_loopback
    except ImportError as exc:
        raise InputError(f"缺少网页工作台所需的组件（{exc.name}）。请运行 python -m pip install -e . 重新安装。") from None
    root = Path(dir)
    if db is None and not root.is_dir():
        raise InputError(f"工作目录 {root} 不存在。")
    if db is not None and "://" not in db and not Path(db).is_file():
        raise InputError(f"审查记录数据库 {db} 不存在（先用 drafter audit … --db {db} 存入）。")
    if not _port_free(host, port):
        raise InputError(f"端口 {port} 已被占用（可能已经启动了一个工作台）。可用 --port 指定其他端口。")
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    if backend != AUTO_BACKEND:
        from ..backends import factory_of

        factory_of(backend)   # an unknown name is refused before the server starts
    app = create_ledger_app(db, host, port, token) if db else create_app(root, host, port, token, backend)
    url = _url(host, port)
    if token:
        url += f"?token={token}"
        errors.print(f"[yellow]注意[/yellow]：正在监听 {host}，同一网络中的其他计算机也能连接。访问需要令牌，"
                     "下面的地址含有令牌，只显示这一次，请勿转发给无关人员：")
    console.print(f"工作台地址：{url}", markup=False, soft_wrap=True)
    console.print(f"审查记录数据库：{db}。按 Ctrl-C 停止。" if db else f"工作目录：{root.resolve()}。按 Ctrl-C 停止。",
                  markup=False)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                           timeout_graceful_shutdown=2))
    if not no_browser:
        def open_when_ready() -> None:
            for _ in range(100):
                if server.started:
                    webbrowser.open(url)
                    return
                threading.Event().wait(0.05)

        threading.Thread(target=open_when_ready, daemon=True).start()
    server.run()
    console.print("工作台已停止。")
