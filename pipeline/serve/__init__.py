"""`jixiao serve`: a local web app over the store, built on Datasette.

This package is a Datasette plugin (registered by the `datasette` entry point, so
`datasette jixiao.db` has the pages too) that adds jixiao's pages in Chinese,
rendered on the server (pipeline/serve/pages.py, templates/):

    /                     search (facts, indicators, reports, findings) with facets
    /doc/<id>#start-end   a document's text, every mention marked
    /road/<code>          a route's timeline, chart and facts
    /project?name=…       the same for a project (subjects containing the name)
    /report/<id>          a report's metadata, money, indicators, audit findings

Datasette's own views stay where Datasette puts them (/<database>/<table>). Pages
need no network: no script, no CDN, charts as inline SVG.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response

from ..labels import type_colour
from . import pages

TITLE = "jixiao 绩效知识库"


def _reader(datasette: Any) -> tuple[pages.Reader, str]:
    database = datasette.get_database()
    reader = getattr(datasette, "_jixiao_reader", None)
    if reader is None or reader.path != database.path:
        reader = datasette._jixiao_reader = pages.Reader(database.path)
    return reader, database.name


def _page(template: str, build: Callable[..., dict[str, Any] | None]):
    async def view(datasette: Any, request: Any) -> Response:
        reader, database = _reader(datasette)
        context = await asyncio.get_running_loop().run_in_executor(None, build, reader, request)
        if context is None:  # answered here: Datasette would log a traceback for a raised NotFound
            html = await datasette.render_template("error.html", {"ok": False, "error": "没有找到 / not found",
                                                                  "status": 404, "title": "没有找到"}, request=request)
            return Response.html(html, status=404)
        html = await datasette.render_template(template, {**context, "jixiao_database": database}, request=request)
        return Response.html(html)

    return view


def _args(request: Any) -> dict[str, str]:
    return {key: request.args.get(key) for key in request.args.keys()}


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [
        (r"^/$", _page("jixiao_search.html", lambda r, req: pages.search_page(r, _args(req)))),
        (r"^/search$", _page("jixiao_search.html", lambda r, req: pages.search_page(r, _args(req)))),
        (r"^/doc/(?P<id>\d+)$", _page("jixiao_document.html",
                                      lambda r, req: pages.document_page(r, int(req.url_vars["id"])))),
        (r"^/road/(?P<code>[^/]+)$", _page("jixiao_timeline.html",
                                           lambda r, req: pages.road_page(r, req.url_vars["code"]))),
        (r"^/project$", _page("jixiao_timeline.html",
                              lambda r, req: pages.project_page(r, req.args.get("name") or ""))),
        (r"^/report/(?P<id>\d+)$", _page("jixiao_report.html",
                                         lambda r, req: pages.report_page(r, int(req.url_vars["id"])))),
    ]


def _with(args: Any, name: str, value: Any) -> str:
    """The query string of `args` with `name` set to `value` (back to page 1 unless paging)."""
    params = {key: args.get(key) for key in args.keys() if key != "page"}
    params[name] = value
    return urlencode(params)


def _without(args: Any, name: str) -> str:
    return urlencode({key: args.get(key) for key in args.keys() if key not in (name, "page")})


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["jixiao_with"] = _with
    env.filters["jixiao_without"] = _without
    env.filters["jixiao_colour"] = type_colour


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [{"href": "/", "label": "jixiao 搜索"}]


def app(db: str | Path) -> Any:
    """The Datasette instance over the store `db`, with this plugin (registered here when the
    package was not installed with its entry points)."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    import pipeline.serve as plugin

    if not any(p is plugin for p in pm.get_plugins()):
        pm.register(plugin, name="jixiao")
    return Datasette([str(db)], metadata={"title": TITLE},
                     settings={"sql_time_limit_ms": 3000, "default_page_size": 50})


def serve(db: str | Path, port: int = 8001, host: str = "127.0.0.1") -> None:
    """Serve the store at http://host:port/ until interrupted."""
    import uvicorn

    datasette = app(db)
    # the first chart pays for starting Vega's runtime: pay it before the first request
    from .charts import warm_up

    warm_up()
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
