"""Home panels of dialogues (portal.registry): what waits for this person, two queries per group at most."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from dialogues.models import Dialogue, Petition, Survey
from portal import generations, statutes
from portal.models import Role
from portal.registry import WorkItem, WorkList, work_group

OPEN = Petition.OPEN_STATUSES


def _survey_scopes(survey: Survey) -> list[str]:
    commune_id = Dialogue.objects.filter(pk=survey.dialogue_id).values_list("commune_id", flat=True).first()
    return [generations.unit_scope(commune_id)] if commune_id else []


# What the working-home panels read (portal/generations.py): petitions (commune, village, assignee), dialogues, a
# dialogue's survey (whether there is one). A petition's due date is also written with update(): see services.
READS = [Petition, Dialogue, (Survey, _survey_scopes)]


def _petition_item(p: Petition) -> WorkItem:
    return WorkItem(title=f"{p.tracking_code}: {p.text[:80]}", url=p.get_absolute_url(), due=p.due_on)


def _petitions(communes):
    return Petition.objects.filter(commune_id__in=communes, duplicate_of__isnull=True).only(
        "id", "tracking_code", "text", "due_on"
    )


def staff_home(request, access, **kw) -> WorkList | None:
    """Staff and leaders: my petitions to answer, overdue ones, unassigned ones, dialogues to review; Điều 32."""
    communes = access.commune_ids(Role.STAFF, Role.LEADER)
    if not communes:
        return None
    today = timezone.localdate()
    petitions = _petitions(communes)
    groups = [
        work_group(
            label="Kiến nghị quá hạn trả lời",
            kind="overdue",
            queryset=petitions.filter(status__in=OPEN, due_on__lt=today).order_by("due_on", "id"),
            item=_petition_item,
            more_url=reverse("dialogues:petitions") + "?status=assigned",
        ),
        work_group(
            label="Kiến nghị giao tôi trả lời",
            kind="action",
            queryset=petitions.filter(status__in=OPEN, assignee=request.user).order_by("due_on", "id"),
            item=_petition_item,
            more_url=reverse("dialogues:petitions") + "?status=assigned",
        ),
        work_group(
            label="Kiến nghị chưa phân loại, chưa giao",
            kind="action",
            queryset=petitions.filter(status=Petition.Status.RECEIVED).order_by("received_on", "id"),
            item=_petition_item,
            more_url=reverse("dialogues:petitions") + "?status=received",
        ),
    ]
    if access.commune_ids(Role.LEADER):
        groups.append(
            work_group(
                label="Hội nghị chờ Chủ tịch rà soát, giao xử lý",
                kind="action",
                queryset=Dialogue.objects.filter(
                    commune_id__in=communes, status=Dialogue.Status.HELD
                ).order_by("held_on", "id"),
                item=lambda d: WorkItem(title=d.title, url=d.get_absolute_url()),
                more_url=reverse("dialogues:list") + "?status=held",
            )
        )
    held = Dialogue.objects.filter(commune_id__in=communes, held_on__year=today.year).count()
    summary = (
        f"Năm {today.year}: đã tổ chức {held} hội nghị đối thoại"
        + ("" if held else " — chưa đạt yêu cầu ít nhất 01 hội nghị/năm")
        + f" ({statutes.DIALOGUE_YEARLY.legal_source})."
    )
    return WorkList(
        title="Tiếp xúc, đối thoại",
        groups=groups,
        summary=summary,
        summary_url=reverse("dialogues:year_report", args=[today.year]),
        links=[
            ("Các hội nghị đối thoại", reverse("dialogues:list")),
            ("Ghi nhận kiến nghị", reverse("dialogues:petition_record")),
        ],
        empty="Không có kiến nghị nào đang chờ.",
    )


def village_home(request, access, **kw) -> WorkList | None:
    """A village head: their village's petitions still being handled, and where to record a new one."""
    villages = access.headed_village_ids
    if not villages:
        return None
    qs = Petition.objects.filter(village_id__in=villages, status__in=OPEN, duplicate_of__isnull=True).only(
        "id", "tracking_code", "text", "due_on"
    )
    return WorkList(
        title="Kiến nghị của thôn",
        groups=[
            work_group(
                label="Đang giải quyết",
                kind="info",
                queryset=qs.order_by("due_on", "id"),
                item=_petition_item,
            )
        ],
        links=[("Ghi nhận kiến nghị của thôn", reverse("dialogues:petition_record"))],
        empty="Thôn không có kiến nghị nào đang chờ giải quyết.",
    )


def mttq_home(request, access, **kw) -> WorkList | None:
    """The Front: overdue and reopened petitions to supervise, dialogues whose satisfaction survey is not open."""
    communes = access.commune_ids(Role.MTTQ)
    if not communes:
        return None
    today = timezone.localdate()
    petitions = _petitions(communes)
    groups = [
        work_group(
            label="Kiến nghị quá hạn hoặc người dân chưa hài lòng",
            kind="overdue",
            queryset=petitions.filter(
                Q(status__in=OPEN, due_on__lt=today) | Q(status=Petition.Status.REOPENED)
            ).order_by("due_on", "id"),
            item=_petition_item,
            more_url=reverse("dialogues:petitions"),
        ),
        work_group(
            label="Hội nghị chưa khảo sát mức độ hài lòng",
            kind="action",
            queryset=Dialogue.objects.filter(
                commune_id__in=communes,
                status__in=[Dialogue.Status.HELD, Dialogue.Status.REVIEWED, Dialogue.Status.CLOSED],
                survey__isnull=True,
            ).order_by("-held_on", "id"),
            item=lambda d: WorkItem(title=d.title, url=reverse("dialogues:survey", args=[d.pk])),
            more_url=reverse("dialogues:list"),
        ),
    ]
    return WorkList(
        title="Giám sát tiếp xúc, đối thoại",
        groups=groups,
        links=[("Các hội nghị đối thoại", reverse("dialogues:list"))],
    )


def overseer_home(request, access, **kw) -> WorkList | None:
    """The upper level: communes that have not yet held this year's dialogue (Điều 32), overdue petitions."""
    from portal.models import AdministrativeUnit

    communes = access.commune_ids(Role.OVERSEER)
    if not communes:
        return None
    today = timezone.localdate()
    overview = reverse("dialogues:overseer")
    missing = (
        AdministrativeUnit.objects.filter(pk__in=communes, level=AdministrativeUnit.Level.COMMUNE)
        .exclude(dialogues__held_on__year=today.year)
        .order_by("name")
    )
    overdue = (
        AdministrativeUnit.objects.filter(
            pk__in=communes,
            petitions__status__in=OPEN,
            petitions__due_on__lt=today,
            petitions__duplicate_of__isnull=True,
        )
        .annotate(overdue=Count("petitions"))
        .order_by("-overdue", "name")
    )
    return WorkList(
        title="Tiếp xúc, đối thoại các xã",
        groups=[
            work_group(
                label=f"Xã chưa tổ chức hội nghị đối thoại năm {today.year}",
                kind="due",
                queryset=missing,
                item=lambda c: WorkItem(title=c.name, url=overview),
                more_url=overview,
            ),
            work_group(
                label="Xã có kiến nghị quá hạn trả lời",
                kind="overdue",
                queryset=overdue,
                item=lambda c: WorkItem(title=f"{c.name}: {c.overdue} kiến nghị", url=overview),
                more_url=overview,
            ),
        ],
        summary=statutes.DIALOGUE_YEARLY.describe(),
        summary_url=overview,
        links=[("Tiếp xúc, đối thoại các xã", overview)],
        empty="Các xã đều đã tổ chức đối thoại, không có kiến nghị quá hạn.",
    )


def public_upcoming(request, access, commune=None, **kw) -> dict | None:
    """Anyone, on a commune's public page: its dialogues announced and not yet held, with the petition link."""
    if commune is None:
        return None
    rows = list(
        Dialogue.objects.filter(
            commune=commune, status=Dialogue.Status.NOTICED, starts_at__gte=timezone.now()
        )
        .select_related("commune")
        .order_by("starts_at", "id")[:5]
    )
    if not rows:
        return None
    return {"dialogues": rows}
