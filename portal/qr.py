"""QR codes as inline SVG (segno, pure Python): a link people open with their phone's camera (a survey, a
petition form). The SVG is built from the data only (no text a person typed goes into the markup)."""

from __future__ import annotations

import io

from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, scale: int = 4, border: int = 2) -> SafeString:
    """``data`` (a URL) as an SVG QR code (error correction M), sized by ``scale`` pixels per module."""
    import segno

    code = segno.make(data, error="m", micro=False)
    buf = io.BytesIO()
    code.save(buf, kind="svg", scale=scale, border=border, xmldecl=False, svgclass="qr", lineclass=None)
    return mark_safe(buf.getvalue().decode("utf-8"))  # noqa: S308 - generated from the QR modules only
