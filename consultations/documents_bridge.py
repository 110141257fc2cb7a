"""Links from a consultation to its official documents (documents engine)."""

from django.urls import reverse


def documents_for(consultation) -> list[dict]:
    out = []
    for label, document in (
        ("Kế hoạch (văn bản)", consultation.plan_document),
        ("Báo cáo tổng hợp (văn bản)", consultation.report_document),
    ):
        if document is None:
            continue
        out.append(
            {
                "label": label,
                "title": str(document),
                "url": reverse("documents:detail", args=[document.pk]),
                "pdf_url": reverse("documents:pdf", args=[document.pk]),
            }
        )
    return out
