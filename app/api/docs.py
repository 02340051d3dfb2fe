"""/docs: Swagger UI for the JSON API, served from this app (no CDN, no inline script)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.web import render

router = APIRouter()

# Swagger UI sets element styles from JavaScript and shows its icons as data: images; the
# policy below is the site's own (script and style from this site only), restated for this
# page alone so any change to it is made here on purpose.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


@router.get("/docs")
def api_docs(request: Request):
    return render(
        request,
        "api/docs.html",
        {"page_title": "API documentation"},
        headers={"Content-Security-Policy": DOCS_CSP},
    )
