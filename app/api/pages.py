"""The API's pages: your tokens (with a new one shown once), and /docs (Swagger UI served
from this app: no CDN, no inline script)."""

from fastapi import Request

from app.api import queries
from app.core.i18n import N_
from app.db import SessionDep
from app.security.access import CurrentUser
from app.web import render

TEMPLATE = "api/tokens.html"

# Swagger UI sets element styles from JavaScript and shows its icons as data: images; the
# policy below is the site's own (script and style from this site only), restated for this
# page alone so any change to it is made here on purpose.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def _tokens_page(request: Request, session, user, *, values, errors, status, **extra):
    context = {
        "page_title": N_("API tokens"),
        "tokens": queries.list_tokens(session, user),
        "may_use_api": queries.may_use_api(user),
        "errors": errors or {},
        "values": values or {},
        **extra,
    }
    return render(request, TEMPLATE, context, status_code=status)


def show_tokens(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    """The tokens page (and the form again, with its problem)."""
    return _tokens_page(request, session, user, values=values, errors=errors, status=status)


def show_new_token(request: Request, session, user, token, plain: str):
    """The tokens page with the new token's plain value, on this answer only (never stored,
    never put in a cookie or a URL)."""
    return _tokens_page(
        request,
        session,
        user,
        values=None,
        errors=None,
        status=200,
        new_token=plain,
        new_name=token.name,
    )


def show_docs(request: Request):
    return render(
        request,
        "api/docs.html",
        {"page_title": "API documentation"},
        headers={"Content-Security-Policy": DOCS_CSP},
    )
