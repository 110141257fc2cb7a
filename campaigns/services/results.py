"""The results' publicity: the QUYẾT ĐỊNH khen thưởng and the ranking publicized through the core publicity.

Each participating commune publicizes the contest's results (Luật 10/2022/QH15 Điều 11 khoản 14: other content under
the commune's democracy rules) on its register (/cong-khai/): one Publication per commune, whose subject is the
contest, with the decision as its PDF; the public results page lists where and since when. Campaigns checks its own
permission (the organizers) and calls the core as the system, as it does with the documents engine.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from campaigns.models import Contest
from campaigns.selectors import contest_results
from campaigns.services._common import now_or
from campaigns.workflow import CONTEST
from portal.audit import audit_record
from portal.deadlines import deadline_meet
from portal.models import AdministrativeUnit
from portal.publicity import services as publicity
from portal.publicity.models import ContentItem, Form, Publication

PHASE = "ket-qua"  # the publication's phase is "ket-qua-<commune id>": one per commune


def _phase(commune_id: int) -> str:
    return f"{PHASE}-{commune_id}"


def results_publications(contest: Contest) -> list[Publication]:
    """The contest's results publications (one per commune), with their commune, oldest first."""
    ct = ContentType.objects.get_for_model(Contest)
    return list(
        Publication.objects.filter(content_type=ct, object_id=str(contest.pk), phase__startswith=f"{PHASE}-")
        .exclude(status=Publication.Status.WITHDRAWN)
        .select_related("commune")
        .order_by("commune__name", "id")
    )


def _communes(contest: Contest) -> list[AdministrativeUnit]:
    ids = set(contest.participants.exclude(commune_id=None).values_list("commune_id", flat=True))
    if contest.organizer_unit.level == AdministrativeUnit.Level.COMMUNE:
        ids.add(contest.organizer_unit_id)
    return list(AdministrativeUnit.objects.filter(pk__in=ids).order_by("name"))


def _summary(contest: Contest, rows, awards: int, commune_id: int) -> str:
    lines = [
        f"{r.rank}. {r.participant.name}: {r.total.total} điểm" + (f", {r.stars} sao" if r.stars else "")
        for r in rows
        if r.participant.commune_id == commune_id
    ]
    return (f"Kết quả {contest.title}. " + "; ".join(lines) + f". Khen thưởng {awards} tập thể, cá nhân.")[
        :2000
    ]


@transaction.atomic
def contest_results_publicize(*, contest: Contest, by, now: dt.datetime | None = None) -> list[Publication]:
    """Publicize the results in every participating commune (idempotent per commune); meets the results deadline."""
    from portal.documents.rendering import render_pdf

    now = now_or(now)
    contest = (
        Contest.objects.select_for_update(of=("self",))
        .select_related("organizer_unit", "decision_document", "criteria_set")
        .get(pk=contest.pk)
    )
    CONTEST.require(contest, "cong-khai-ket-qua", by=by)
    today = timezone.localdate(now)
    document = contest.decision_document
    decided_on = document.issued_on  # the workflow's guard: only the issued decision is publicized
    pdf = render_pdf(document)
    rows, awards = contest_results(contest), contest.awards.count()
    publications = [
        publicity.publication_create(
            commune=commune,
            title=f"Kết quả và Quyết định khen thưởng: {contest.title}"[:300],
            item=ContentItem.OTHER,
            forms=[Form.POSTING, Form.PORTAL],
            decided_on=decided_on,
            starts_on=today,
            subject=contest,
            phase=_phase(commune.pk),
            file=ContentFile(pdf, name=f"quyet-dinh-khen-thuong-{contest.pk}.pdf"),
            summary=_summary(contest, rows, awards, commune.pk),
            responsible=contest.organizer_name,
            portal_on=today,
            by=None,  # campaigns checked the organizers' permission; the core acts as the system
            now=now,
        )
        for commune in _communes(contest)
    ]
    contest.results_publicized_at, contest.results_publicized_by = now, by
    contest.save(update_fields=["results_publicized_at", "results_publicized_by"])
    deadline_meet(subject=contest, rule_code="contest.results", by=by, now=now)
    audit_record(
        actor=by,
        action="contest.publicize_results",
        obj=contest,
        now=now,
        changes={"communes": [p.commune.name for p in publications]},
    )
    return publications
