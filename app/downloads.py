"""Downloads: the one place that writes a Content-Disposition header.

A header holds only latin-1 (Starlette refuses anything else, so "Tîm Ŵyl" was a 500), and
old clients read only `filename="..."`. So every download says both (RFC 6266, RFC 5987):
an ASCII fallback, `filename="plan-tim-wyl-3.csv"`, and the real name,
`filename*=UTF-8''plan-t%C3%AEm-%C5%B5yl-3.csv`.

Every CSV starts with a UTF-8 byte-order mark, put here once for text/csv, so Excel reads
"Zoë" as "Zoë" (not "ZoÃ«") whichever domain wrote the file.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from fastapi.responses import Response

BOM = "\ufeff"
_NOT_WORD = re.compile(r"[^\w]+")
_NOT_SAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str, fallback: str = "file") -> str:
    """Lower-case words joined by hyphens, keeping any letters (ŵ and ŷ stay)."""
    words = _NOT_WORD.sub("-", text.lower()).replace("_", "-").strip("-")
    return re.sub("-{2,}", "-", words) or fallback


def ascii_name(filename: str) -> str:
    """The fallback name: accents dropped (ŵ → w), anything else unsafe becomes a hyphen."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    plain = _NOT_SAFE_ASCII.sub("-", plain)
    plain = re.sub("-{2,}", "-", plain).strip("-.")
    return plain or "download"


def content_disposition(filename: str) -> str:
    fallback = ascii_name(filename)
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def download(
    body: str | bytes,
    filename: str,
    media_type: str,
    *,
    headers: dict[str, str] | None = None,
) -> Response:
    """A file to save: `filename` may hold any letters; a CSV gets its byte-order mark."""
    if media_type.startswith("text/csv"):
        body = with_bom(body)
    return Response(
        body,
        media_type=media_type,
        headers={**(headers or {}), "Content-Disposition": content_disposition(filename)},
    )


def with_bom(body: str | bytes) -> str | bytes:
    """The body starting with one UTF-8 byte-order mark (never two)."""
    if isinstance(body, bytes):
        mark = BOM.encode()
        return body if body.startswith(mark) else mark + body
    return body if body.startswith(BOM) else BOM + body
