"""Templates and rendering: whole pages, or one block for htmx requests."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from importlib import metadata
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    Undefined,
    nodes,
)
from jinja2_fragments.fastapi import Jinja2Blocks

from app.config import ROOT
from app.core import i18n
from app.models.base import PERSPECTIVE_LABELS, SETTING_LABELS

LONDON = ZoneInfo("Europe/London")
templates = Jinja2Blocks(directory=str(ROOT / "templates"))
env = templates.env
# NHS England's Jinja port of the NHS.UK components (nhsuk-frontend-jinja): its component
# macros load as "nhsuk/components/<name>/macro.jinja" after our own templates. Its page
# template (nhsuk/template.jinja) is not used: it carries inline script (strict CSP). The
# port reads optional parameters through chains (params.hint.text), so undefined names chain.
env.loader = ChoiceLoader(
    [FileSystemLoader(str(ROOT / "templates")), PackageLoader("nhsuk_frontend_jinja")]
)
env.undefined = ChainableUndefined
_STRICT = env.overlay(undefined=Undefined)  # tells which top-level names need the context


def _port_made_for(version: str) -> str | None:
    """The NHS.UK frontend version a release of the port is made for (its README's table;
    app/static/vendor/refetch.sh checks the vendored styles against the same table)."""
    readme = metadata.metadata("nhsuk-frontend-jinja").get_payload() or ""
    rows = re.findall(r"^\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*$", readme, re.M)
    return next((nhsuk for nhsuk, port in rows if port == version), None)


# the interface in English and Welsh: {{ _("…") }} and {% trans %} in every template, the
# language of the page chosen when it renders (app.core.i18n, language_of below)
env.add_extension("jinja2.ext.i18n")
env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
# a message made in Python (a refusal, a form's problem), translated where it is shown: the
# result is plain text, escaped as any value (never marked safe like {{ _("…") }})
env.filters["t"] = lambda v: i18n._(v) if isinstance(v, str) and v else v
env.globals["current_language"] = i18n.current_language
env.globals["other_language"] = lambda: i18n.other_language(i18n.current_language())
env.globals["LANGUAGE_NAMES"] = i18n.LANGUAGE_NAMES
env.globals["html_lang"] = lambda: i18n.HTML_LANG[i18n.current_language()]
env.globals["nhsuk_port_version"] = metadata.version("nhsuk-frontend-jinja")
env.globals["nhsuk_frontend_version"] = _port_made_for(env.globals["nhsuk_port_version"])
env.globals["PERSPECTIVE_LABELS"] = PERSPECTIVE_LABELS
env.globals["SETTING_LABELS"] = SETTING_LABELS


def _local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)


def format_datetime(value: datetime | None) -> str:
    local = _local(value)
    if local is None:
        return ""
    if i18n.current_language() == i18n.WELSH:  # "23 Tach 2026, 14:05"
        return babel_dates.format_datetime(local, "d MMM y, HH:mm", locale="cy")
    return local.strftime("%-d %b %Y, %H:%M")


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    if i18n.current_language() == i18n.WELSH:  # "23 Tach 2026"
        return babel_dates.format_date(value, "d MMM y", locale="cy")
    return value.strftime("%-d %b %Y")


def format_level(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


env.filters["datetime"] = format_datetime
env.filters["date"] = format_date
env.filters["level"] = format_level
env.filters["perspective"] = lambda v: i18n._(PERSPECTIVE_LABELS.get(v, v))
env.filters["setting"] = lambda v: SETTING_LABELS.get(v, v)
env.filters["urlquote"] = lambda v: quote(str(v), safe="")


def is_htmx(request: Request) -> bool:
    """An htmx request that wants a fragment (history restores want the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def end_transaction(request: Request) -> None:
    """Commit the request's session if it is in a transaction (see app.db.get_session)."""
    session = getattr(request.state, "db", None)
    if session is not None and session.in_transaction():
        session.commit()


_IMPORTS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
_WITH_CONTEXT = "\0with-context"


def _top_level_imports(template: str) -> dict[str, Any]:
    """The names a template imports or defines at its top level ({% from "x" import y %},
    {% import "x" as y %}, {% macro %}, {% set %}), so one of its blocks renders alone (the
    htmx contract) just as inside the page. Read once per version of the template and of the
    templates it imports: in development (templates reload) a changed file is read again,
    an unchanged one is not parsed on every render. A top-level {% set %} that needs the
    page's context is left to the page."""
    cached = _IMPORTS.get(template)
    if cached is not None and _still_current(cached[0]):
        return cached[1]
    source = env.loader.get_source(env, template)[0]
    body = env.parse(source).body
    found: dict[str, Any] = {}
    used = [template]
    for node in body:
        if isinstance(node, nodes.FromImport) and isinstance(node.template, nodes.Const):
            module = env.get_template(node.template.value).module
            used.append(node.template.value)
            for item in node.names:
                name, alias = item if isinstance(item, tuple) else (item, item)
                found[alias] = getattr(module, name)
        elif isinstance(node, nodes.Import) and isinstance(node.template, nodes.Const):
            found[node.target] = env.get_template(node.template.value).module
            used.append(node.template.value)
    defined = [
        node.name if isinstance(node, nodes.Macro) else node.target.name
        for node in body
        if isinstance(node, nodes.Macro)
        or (isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name))
    ]
    if defined:  # macros and {% set %} names the template defines for its own blocks
        try:
            _STRICT.get_template(template).make_module()  # as strict as before the port
            module = env.get_template(template).module
        except Exception:  # noqa: BLE001 - the page needs its context: made per request
            found[_WITH_CONTEXT] = defined
        else:
            found.update({n: getattr(module, n) for n in defined if hasattr(module, n)})
    _IMPORTS[template] = (tuple((name, env.get_template(name)) for name in used), found)
    return found


def _still_current(used: tuple[Any, ...]) -> bool:
    """The templates read are the ones Jinja would load now (the same objects: Jinja makes
    a new one only when a file changed, and checks only when templates reload)."""
    return all(env.get_template(name) is loaded for name, loaded in used)


def language_of(request: Request) -> str:
    """The language a page is made in: the person's cookie (set by the link to the other
    language, at join or on the account page), else a signed-in person's saved choice, else
    English. Read only when a page renders."""
    chosen = request.cookies.get(i18n.COOKIE)
    if chosen in i18n.LANGUAGES:
        return chosen
    user = getattr(request.state, "user", None)
    saved = getattr(user, "language", None)
    return saved if saved in i18n.LANGUAGES else i18n.ENGLISH


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    block: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Render a page; with htmx and a block name, only that block. The request's work is
    committed first (app.db: no transaction stays open while a template renders)."""
    end_transaction(request)
    i18n.use_language(language_of(request))
    ctx = {"request": request, **(context or {})}
    if isinstance(ctx.get("errors"), dict):  # form problems are shown in the page's language
        ctx["errors"] = {k: env.filters["t"](v) for k, v in ctx["errors"].items()}
    ctx.setdefault("user", getattr(request.state, "user", None))
    ctx.setdefault("csrf_token", getattr(request.state, "csrf_token", ""))
    ctx.setdefault("flash", pop_flash(request))
    ctx.setdefault("settings", request.app.state.settings)
    kwargs: dict[str, Any] = {"status_code": status_code}
    if is_htmx(request):
        # the htmx contract: a fragment, never a whole page — the block asked for, or else
        # the page's content (a partial template is a fragment already)
        if block is None and "content" in templates.env.get_template(template).blocks:
            block = "content"
        if block:
            kwargs["block_name"] = block
            # a block rendered alone misses its template's top-level imports: add them
            found = _top_level_imports(template)
            for name, value in found.items():
                ctx.setdefault(name, value)
            if _WITH_CONTEXT in found:
                module = templates.env.get_template(template).make_module(ctx)
                for name in found[_WITH_CONTEXT]:
                    ctx.setdefault(name, getattr(module, name))
    response = templates.TemplateResponse(request, template, ctx, **kwargs)
    response.headers["Vary"] = "HX-Request"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def safe_next(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default`: the one check for every
    redirect, plain or htmx. Browsers drop tabs and newlines from addresses and read a
    backslash as "/", so "/<tab>/evil.example" would be "//evil.example", another site: any
    control character, space, backslash, scheme or host is refused."""
    if not target or len(target) > 2000 or not target.startswith("/"):
        return default
    if any(c in target for c in "\\ ") or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in target):
        return default
    parts = urlsplit(target)
    if target.startswith("//") or parts.scheme or parts.netloc:
        return default
    return target


def redirect(request: Request, url: str, *, flash: str | None = None) -> Response:
    """POST → redirect → GET. With htmx, ask htmx to follow the redirect itself. Either way
    only to a path on this site (`safe_next`)."""
    url = safe_next(url)
    end_transaction(request)
    if flash:
        set_flash(request, flash)
    if is_htmx(request):
        response: Response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    _write_flash(request, response)
    return response


FLASH_COOKIE = "trip_flash"


def set_flash(request: Request, message: str) -> None:
    request.state.flash_out = message


def pop_flash(request: Request) -> str | None:
    message = request.cookies.get(FLASH_COOKIE)
    if message:
        request.state.flash_clear = True
        return unquote(message)
    return message


def _write_flash(request: Request, response: Response) -> None:
    message = getattr(request.state, "flash_out", None)
    if message:
        response.set_cookie(
            # quoted: a cookie holds only latin-1, and names may have any letters or quotes
            FLASH_COOKIE,
            quote(message[:300], safe=""),
            max_age=60,
            httponly=True,
            samesite="lax",
            path="/",
        )


def finish_flash(request: Request, response: Response) -> None:
    """Called by middleware: drop a shown flash message (unless a new one was set)."""
    if getattr(request.state, "flash_clear", False) and not getattr(
        request.state, "flash_out", None
    ):
        response.delete_cookie(FLASH_COOKIE, path="/")
