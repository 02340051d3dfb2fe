"""Join codes (6 characters, no look-alikes) and the QR code that leads to them."""

from __future__ import annotations

import re
import secrets

import segno
from markupsafe import Markup, escape

# No 0/O, 1/I/L: easy to read off a projector and type on a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_NOT_CODE = re.compile(r"[\s\-]+")


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What someone typed → the stored form (upper case, spaces and dashes dropped)."""
    return _NOT_CODE.sub("", text or "").upper()


def looks_like_code(text: str) -> bool:
    code = normalise_code(text)
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def join_url(public_url: str, code: str) -> str:
    """Built from PUBLIC_URL, never from the request (right behind a proxy)."""
    return f"{public_url.rstrip('/')}/r/{code}"


def join_address(public_url: str) -> str:
    return f"{public_url.rstrip('/')}/join"


def qr_svg(url: str, *, label: str) -> Markup:
    """Inline <svg> markup for `url` (no data: URI, no inline style)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(
        scale=6, border=4, svgclass="app-qr", lineclass=None, omitsize=True, light="#fff"
    )
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)
