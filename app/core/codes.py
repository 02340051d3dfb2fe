"""Join codes (6 characters, no look-alikes) and the QR code that leads to them.

A round's join code is made once (`new_join_code`), read back from whatever people type
(`normalise_code`), and its QR code is built once per code and address (`join_qr`): the
facilitator's page is reloaded and polled often, the code never changes.
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache

import segno
from markupsafe import Markup, escape

# No 0/O, 1/I/L: easy to read off a projector and type on a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_NOT_CODE = re.compile(r"[\s\-]+")


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str | None) -> str:
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


@lru_cache(maxsize=512)
def join_qr(public_url: str, code: str) -> Markup:
    """The QR code for a round's join address: built once per code (and PUBLIC_URL)."""
    url = join_url(public_url, code)
    return qr_svg(url, label=f"QR code to join this workshop: {url}")
