"""The supervisor's view of the audit ledger (`drafter serve --db URL`): the list of reports with search, facets and
sort; a report in full; reviews of findings; clusters of copies; exports; the area's summed tables.

A door onto `services.ledger`: each route parses its input, calls one function there, renders the result. Behind
the same `Guard` as the workbench (hosts, access token away from loopback, origin and CSRF token on every change).
"""

from __future__ import annotations

import logging
from importlib.resources import files
from urllib.parse import quote, urlencode

import jinja2
from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..errors import DrafterError
from ..services.ledger import browsing, exports, open_ledger
from ..services.ledger.schema import REVIEW_STATUSES
from .security import Guard, Keys, SESSION_COOKIE, is_loopback

log = logging.getLogger("report_drafter.web")
STATUS_NAMES = {"complete": "完整", "partial": "不完整", "missing": "缺失", "not_a_report": "不是年报",
                "blank_template": "空白模板"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def create_ledger_app(url: str, host: str = "127.0.0.1", port: int = 8765, access_token: str | None = None) -> FastAPI:
    """The supervisor's view of the ledger at `url`. Away from loopback an `access_token` is required."""
    loopback = is_loopback(host)
    if not loopback and not access_token:
        raise ValueError("listening beyond loopback needs an access token")
    keys = Keys(access_token)
    ledger = open_ledger(url)
    env = jinja2.Environment(loader=jinja2.PackageLoader("report_drafter.web", "ledger_templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals.update(app_version=__version__, STATUS_NAMES=STATUS_NAMES, REVIEW_STATUSES=REVIEW_STATUSES)
    env.filters.update(percent=_percent, number=_number)
    app = FastAPI(title="drafter serve --db", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(Guard, keys=keys, port=port, loopback=loopback)
    app.mount("/static", StaticFiles(directory=str(files("report_drafter.web") / "static")), name="static")

    def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        session = request.scope.get("state", {}).get("session") or request.cookies.get(SESSION_COOKIE, "")
        html = env.get_template(template).render(csrf=keys.csrf_token(session), **context)
        return HTMLResponse(html, status_code=status)

    def filters_of(q: str, year: str, area: str, level: str, has_errors: str, copied: str, review: str, sort: str,
                   page_number: int, all_versions: str) -> browsing.Filters:
        return browsing.Filters(q=q.strip(), year=int(year) if year.isdigit() else None, area=area, level=level,
                                has_errors=bool(has_errors), copied=bool(copied),
                                review=review if review in REVIEW_STATUSES else "", sort=sort,
                                page=max(1, page_number), all_versions=bool(all_versions))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/", response_class=HTMLResponse)
    def listing(request: Request, q: str = "", year: str = "", area: str = "", level: str = "", has_errors: str = "",
                copied: str = "", review: str = "", sort: str = "errors", page_number: int = Query(1, alias="page"),
                all_versions: str = ""):
        chosen = filters_of(q, year, area, level, has_errors, copied, review, sort, page_number, all_versions)
        found = browsing.list_reports(ledger.engine, chosen)
        query = {k: v for k, v in request.query_params.items() if k not in ("page", "sort")}
        template = "ledger/rows.html" if request.headers.get("hx-request") else "ledger/list.html"
        return page(request, template, listing=found, filters=chosen, query=urlencode(query),
                    pages=max(1, -(-found.total // browsing.PAGE)))

    @app.get("/export.{kind}")
    def export(kind: str, q: str = "", year: str = "", area: str = "", level: str = "", has_errors: str = "",
               copied: str = "", review: str = "", sort: str = "errors", all_versions: str = ""):
        chosen = filters_of(q, year, area, level, has_errors, copied, review, sort, 1, all_versions)
        rows = browsing.list_reports(ledger.engine, chosen, limit=None).rows
        if kind == "csv":
            return _download(exports.list_csv(rows), "text/csv; charset=utf-8", "审查结果.csv")
        if kind == "xlsx":
            return _download(exports.list_xlsx(rows), XLSX, "审查结果.xlsx")
        return Response("只能导出 csv 或 xlsx。", status_code=404)

    @app.get("/reports/{report_id}", response_class=HTMLResponse)
    def detail(request: Request, report_id: int):
        found = browsing.report_detail(ledger.engine, report_id)
        if found is None:
            return page(request, "ledger/message.html", status=404, text=f"数据库中没有编号为 {report_id} 的报告。")
        return page(request, "ledger/detail.html", d=found)

    @app.post("/findings/{finding_id}/review", response_class=HTMLResponse)
    def review(request: Request, finding_id: int, status: str = Form(...), note: str = Form(""),
               reviewer: str = Form("")):
        ledger.review(finding_id, status, note=note.strip(), reviewer=reviewer.strip())
        finding = browsing.finding(ledger.engine, finding_id)
        return page(request, "ledger/finding.html", f=finding)

    @app.get("/clusters", response_class=HTMLResponse)
    def cluster_view(request: Request):
        return page(request, "ledger/clusters.html", clusters=browsing.clusters(ledger.engine))

    @app.get("/set-aside", response_class=HTMLResponse)
    def set_aside(request: Request):
        return page(request, "ledger/set_aside.html", files=browsing.set_aside_files(ledger.engine))

    @app.get("/agencies/{agency_id}/issues.docx")
    def issues(agency_id: int):
        name, data = exports.issues_docx(ledger.engine, agency_id)
        if not name:
            return Response("没有这个机关。", status_code=404)
        return _download(data, DOCX, f"{name}问题清单.docx")

    @app.get("/sums", response_class=HTMLResponse)
    def sums(request: Request, year: int, area: str = ""):
        return page(request, "ledger/sums.html", sums=browsing.area_sums(ledger.engine, year, area))

    @app.get("/sums.xlsx")
    def sums_xlsx(year: int, area: str = ""):
        data = exports.sums_xlsx(browsing.area_sums(ledger.engine, year, area))
        return _download(data, XLSX, f"{area or '全部地区'}{year}年度统计表汇总.xlsx")

    @app.exception_handler(DrafterError)
    async def drafter_error(request: Request, exc: DrafterError) -> Response:
        return page(request, "ledger/message.html", status=400, text=str(exc))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:   # never a traceback on the page
        log.exception("internal error on %s", request.url.path)
        return page(request, "ledger/message.html", status=500,
                    text=f"内部错误：{type(exc).__name__}。这是程序的问题，不是您的操作错误；数据库中的内容没有改动。")

    app.state.ledger = ledger
    return app


def _download(data: bytes, media: str, name: str) -> Response:
    return Response(data, media_type=media,
                    headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def _percent(value) -> str:
    return "—" if value is None else f"{float(value):.0%}"


def _number(value) -> str:
    if value is None:
        return "—"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
