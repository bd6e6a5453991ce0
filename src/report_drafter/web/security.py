"""What keeps the workbench to its clerk: hosts, the access token, cross-site requests, body sizes, paths.

One ASGI middleware (`Guard`) sees every request before the routes do:

- Host: on loopback only 127.0.0.1 / localhost / [::1] at our port are served, so a web page whose
  domain is re-pointed at 127.0.0.1 (DNS rebinding) cannot read the workbench.
- Access token: listening on another address needs the token printed at start, as a cookie (set
  by opening the printed address once) or an `X-Drafter-Token` header.
- Cross-site requests: every state-changing request needs an `Origin` (or `Referer`) of this very
  server and the per-session token (`X-CSRF-Token`, an HMAC of the session cookie).
- Paths: a request path with a `..` segment, a backslash or a NUL is refused outright; routes use
  `inside()` for every file they touch (no absolute paths, no symlinks out of the workspace).
- Sizes: request bodies are limited (uploads more generously), counted as they arrive.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import ipaddress
import secrets
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

SESSION_COOKIE = "drafter_session"
CSRF_HEADER = "x-csrf-token"
TOKEN_HEADER = "x-drafter-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_BODY = 2 * 1024 * 1024
MAX_UPLOAD = 20 * 1024 * 1024
UPLOAD_PATHS = ("/import",)
LOOPBACK_NAMES = ("localhost",)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) is this machine only."""
    host = host.strip("[]")
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, symlinks resolved, lies within the workspace `root`."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def bad_path(raw: str) -> bool:
    """A request path that tries to climb out (`..`), or smuggles a backslash or NUL."""
    decoded = raw
    for _ in range(3):      # %252e%252e → %2e%2e → ..
        decoded = unquote(decoded)
    return "\\" in decoded or "\0" in decoded or any(part == ".." for part in decoded.split("/"))


class Keys:
    """The server's secrets: the access token (None on loopback) and the key that signs session tokens."""

    def __init__(self, access_token: str | None = None):
        self.access_token = access_token
        self.signing_key = secrets.token_bytes(32)

    def csrf_token(self, session: str) -> str:
        return hmac.new(self.signing_key, session.encode(), hashlib.sha256).hexdigest()[:40]

    def valid_csrf(self, session: str | None, token: str | None) -> bool:
        return bool(session and token) and hmac.compare_digest(self.csrf_token(session), token)

    def valid_access(self, token: str | None) -> bool:
        return self.access_token is None or (bool(token) and hmac.compare_digest(self.access_token, token))


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    jar = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header is no cookie at all
        return {}
    return {k: m.value for k, m in jar.items()}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


class Guard:
    """The ASGI middleware described in the module docstring."""

    def __init__(self, app, keys: Keys, port: int, loopback: bool):
        self.app, self.keys, self.port, self.loopback = app, keys, port, loopback
        self.access_cookie = f"drafter_access_{port}"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        raw_path = scope.get("raw_path", b"").decode("latin-1") or scope["path"]
        refusal = self.refusal(scope, headers, raw_path)
        if refusal is not None:
            status, message, extra = refusal
            return await _plain(send, status, message, extra)
        limit = MAX_UPLOAD if scope["path"] in UPLOAD_PATHS else MAX_BODY
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            return await _plain(send, 413, f"上传的内容太大（上限 {limit // (1024 * 1024)} MB）。")
        cookies = _cookies(headers)
        new_session = None if cookies.get(SESSION_COOKIE) else secrets.token_urlsafe(24)
        scope.setdefault("state", {})
        scope["state"]["session"] = cookies.get(SESSION_COOKIE) or new_session
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
                         (b"x-frame-options", b"DENY"), (b"content-security-policy", CSP.encode())]
                if new_session:
                    extra.append((b"set-cookie", f"{SESSION_COOKIE}={new_session}; Path=/; HttpOnly; "
                                                 f"SameSite=Strict".encode()))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            await _plain(send, 413, f"上传的内容太大（上限 {limit // (1024 * 1024)} MB）。")

    def refusal(self, scope, headers: dict[str, str], raw_path: str):
        """(status, message, extra headers) when the request must not reach the routes."""
        if bad_path(raw_path) or bad_path(scope["path"]):
            return 400, "路径中不能含有“..”、反斜杠或空字符。", []
        host = headers.get("host", "")
        if self.loopback and not self.allowed_host(host):
            return 403, f"不接受主机名“{host}”的请求。请用 http://127.0.0.1:{self.port}/ 打开工作台。", []
        cookies = _cookies(headers)
        if self.keys.access_token is not None:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            offered = query.get("token", [None])[0]
            if scope["method"] == "GET" and offered and self.keys.valid_access(offered):
                rest = {k: v for k, v in query.items() if k != "token"}
                target = scope["path"] + (f"?{urlencode(rest, doseq=True)}" if rest else "")
                cookie = f"{self.access_cookie}={offered}; Path=/; HttpOnly; SameSite=Strict"
                return 303, "已验证访问令牌。", [(b"location", target.encode()), (b"set-cookie", cookie.encode())]
            if not (self.keys.valid_access(headers.get(TOKEN_HEADER)) or self.keys.valid_access(cookies.get(self.access_cookie))):
                return 401, "需要访问令牌：请用启动 drafter serve 时显示的完整地址（含 ?token=…）打开工作台。", []
        if scope["method"] not in SAFE_METHODS:
            expected = f"{scope.get('scheme', 'http')}://{host}".lower()
            origin = headers.get("origin") or _origin(headers.get("referer", ""))
            if not origin or origin.lower() != expected:
                return 403, "拒绝了来自其他网页的请求（来源不符）。请直接在工作台页面中操作。", []
            if not self.keys.valid_csrf(cookies.get(SESSION_COOKIE), headers.get(CSRF_HEADER)):
                return 403, "页面已过期或请求缺少校验码。请刷新页面后重试。", []
        return None

    def allowed_host(self, host: str) -> bool:
        name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
        if not name:
            name, port = host, ""
        return is_loopback(name) and port in ("", str(self.port))


class BodyTooLarge(Exception):
    pass


async def _plain(send, status: int, message: str, extra: list | None = None) -> None:
    body = (f'<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>{status}</title>'
            f"<p>{html.escape(message)}</p></html>").encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store"), *(extra or [])]})
    await send({"type": "http.response.body", "body": body})
