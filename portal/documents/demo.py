"""Demo documents (idempotent): the three fixture plans imported for the demo commune; one issued, the others drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from portal.documents.models import Document, Task
from portal.documents.services import document_create_from_spec, document_issue, task_report
from portal.documents.specs import parse_yaml
from portal.models import Deadline

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLANS = [
    # (fixture, issuer short name, issue it?)
    ("tan_trung_consultation_plan.yaml", "UBND", True),
    ("duong_hoa_annual_plan_2023.yaml", "UBND", False),
    ("dong_tam_dan_van_kheo_2024.yaml", "ĐU", False),
]


@transaction.atomic
def seed(core) -> list[Document]:
    commune = core.commune
    users = getattr(core, "users", None) or {}
    leader, staff = users.get("chutich"), users.get("canbo")
    created = []
    for name, issuer_key, issue in PLANS:
        parsed = parse_yaml((FIXTURES / name).read_text(encoding="utf-8"))
        issuer = core.orgs[issuer_key]
        # Re-home the plan in the demo commune: its own place and organ names (after 01/7/2025: no district line).
        parsed.fields["place"] = commune.name
        parsed.fields["organ"] = ""
        if parsed.fields.get("layout") == "party":
            province = commune.parent.name if commune.parent_id else ""
            parsed.fields["parent_organ"] = f"ĐẢNG BỘ TỈNH {province.upper()}" if province else ""
        else:
            parsed.fields["parent_organ"] = ""
        existing = Document.objects.filter(
            commune=commune, issuer=issuer, title=parsed.fields["title"]
        ).first()
        if existing is not None:
            continue
        doc = document_create_from_spec(
            spec=parsed, issuer=issuer, by=staff if issuer_key == "UBND" else None, commune=commune
        )
        if issue:
            # Issued on its own date (a 2024 plan is not signed today) and carried out since: its tasks are done.
            day = parsed.fields.get("draft_date") or timezone.localdate()
            signed = dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())
            doc = document_issue(document=doc, by=leader, now=min(signed, timezone.now()))
            tasks_done(doc, by=staff, before=timezone.localdate())
        created.append(doc)
    return created


def tasks_done(document: Document, *, by, before: dt.date) -> int:
    """Demo data: report every task of an issued ``document`` whose deadline fell before ``before`` as done on its
    due day, so a fresh demo shows no deadline overdue since long ago. Returns how many were reported."""
    task_type = ContentType.objects.get_for_model(Task)
    tasks = {t.pk: t for t in document.tasks.all()}
    done = 0
    for deadline in Deadline.objects.filter(
        content_type=task_type,
        object_id__in=[str(pk) for pk in tasks],
        status=Deadline.Status.OPEN,
        due_date__lt=before,
    ).order_by("due_date", "id"):
        when = dt.datetime.combine(deadline.due_date, dt.time(16), tzinfo=timezone.get_current_timezone())
        task_report(
            task=tasks[int(deadline.object_id)],
            text="Đã thực hiện theo Kế hoạch.",
            by=by,
            completes=True,
            now=when,
        )
        done += 1
    return done
