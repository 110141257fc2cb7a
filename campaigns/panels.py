"""Home panels of the contest app (portal/registry.py): what waits for a judge."""

from __future__ import annotations

from django.urls import reverse

from campaigns.models import Assignment, Contest, Participant
from portal import generations, registry


def _judges(**assigned) -> list[str]:
    """The judges assigned to a contest or a participant: whose panel shows its name, stage or due date."""
    judges = Assignment.objects.filter(**assigned).values_list("judge_id", flat=True).distinct()
    return [generations.person_scope(pk) for pk in judges]


# What the judge's panel reads (portal/generations.py): assignments (their judge), contests and participants (the
# judges assigned to them).
READS = [
    Assignment,
    (Contest, lambda c: _judges(contest_id=c.pk)),
    (Participant, lambda p: _judges(participant_id=p.pk)),
]


def judging(request, access, **kw):
    """The judge's sheets not yet submitted in the current round (two queries whatever the number)."""
    if not access.is_authenticated:
        return None
    qs = (
        Assignment.objects.filter(
            judge=request.user,
            excluded=False,
            contest__status="open",
            participant__stage__in=["review", "second_review"],
        )
        .exclude(participant__stage="review", submitted_round1_at__isnull=False)
        .exclude(participant__stage="second_review", submitted_round2_at__isnull=False)
        .select_related("participant", "contest")
        .order_by("contest__judging_due", "participant__name")
    )
    return registry.WorkList(
        title="Phiếu chấm chờ tôi",
        groups=[
            registry.work_group(
                label="Đơn vị chờ chấm điểm",
                queryset=qs,
                item=lambda a: registry.WorkItem(
                    title=f"{a.participant.name} — {a.contest.title}",
                    url=reverse("campaigns:judge_sheet", args=[a.participant_id]),
                    due=a.contest.judging_due,
                ),
                more_url=reverse("campaigns:judge_home"),
            )
        ],
        empty="Không có phiếu chấm nào đang chờ.",
    )
