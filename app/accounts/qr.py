"""QR codes as inline SVG markup (no data: URIs, no inline styles)."""

from __future__ import annotations

import segno
from markupsafe import Markup, escape


def qr_svg(url: str, *, label: str) -> Markup:
    """An <svg> QR code for `url`, announced as an image with `label`."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, border=4, svgclass="app-qr", lineclass=None, omitsize=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)
