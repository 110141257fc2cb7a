"""Giấy khen (certificate) as PDF with WeasyPrint, using only the portal's own fonts (the documents engine's
fetcher refuses any other URL)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from portal.documents.rendering import font_config, font_faces, url_fetcher


def certificate_html(award) -> str:
    contest = award.contest
    on = timezone.localdate(contest.finalized_at) if contest.finalized_at else timezone.localdate()
    return render_to_string(
        "campaigns/pdf/certificate.html",
        {
            "award": award,
            "contest": contest,
            "fonts": font_faces(),
            "place": contest.doc_place or contest.organizer_unit.name,
            "on": on,
        },
    )


def render_certificate(award) -> bytes:
    from pathlib import Path

    from weasyprint import HTML

    base = str(Path(settings.BASE_DIR) / "static") + "/"
    return HTML(string=certificate_html(award), base_url=base, url_fetcher=url_fetcher()).write_pdf(
        font_config=font_config()
    )
