"""Links from a consultation to its official documents (documents engine), and its conditions on signing them."""

from django.urls import reverse


def documents_for(consultation) -> list[dict]:
    out = []
    plan = consultation.plan_document
    previous = plan.previous if plan is not None and plan.previous_id else None
    for label, document in (
        ("Kế hoạch (văn bản)", plan),
        ("Kế hoạch (phiên bản trước)", previous),
        ("Báo cáo tổng hợp (văn bản)", consultation.report_document),
        ("Quyết định ban hành (văn bản)", consultation.decision_document),
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


def plan_in_force(consultation):
    """(the issued KẾ HOẠCH in force, the one it replaced) — (None, None) when no plan document was issued."""
    plan = consultation.plan_document
    if plan is None:
        return None, None
    if (
        plan.status == plan.Status.DRAFT
    ):  # a revision waiting for its signature: the previous version still holds
        plan = plan.previous if plan.previous_id else None
        if plan is None:
            return None, None
    previous = plan.previous if plan.previous_id else None
    return plan, previous


def plan_sign_problems(document, *, today) -> list[str]:
    """Registered with portal.registry: the leader cannot sign a consultation's KẾ HOẠCH (or a new version of it)
    while the consultation breaks a statutory rule the plan would state (consultations/workflow.py PLAN_GUARDS)."""
    from consultations.models import Consultation
    from consultations.workflow import plan_problems

    if document.doc_type != "KH":
        return []
    consultation = Consultation.objects.filter(plan_document=document).first()
    if consultation is None or consultation.status != Consultation.Status.DRAFT:
        return []
    return plan_problems(consultation, issued_on=today)
