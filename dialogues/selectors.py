"""Reads of the dialogues app: visibility for the viewer, related rows fetched up front, figures by aggregation.

Every page's query count is independent of the number of petitions: counts come from ``annotate`` / ``aggregate``,
related rows are joined, and lists are seek-paginated (``portal/pagination.py``) on an index that starts with their
equality filters and then their order (``Petition.Meta.indexes``), so page 500 costs what page 1 costs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from dialogues.models import (
    SATISFIED_LEVELS,
    Answer,
    Channel,
    Dialogue,
    Field,
    Petition,
    Survey,
    SurveyResponse,
)
from portal.access import access_for
from portal.models import Role
from portal.pagination import COUNT_LIMIT, SeekPage, seek_page

PAGE_SIZE = 20


def _village_head_communes(access) -> set[int]:
    return {m.unit.parent_id for m in access.memberships if m.role == Role.VILLAGE_HEAD}


def dialogue_visible_q(user) -> Q | None:
    """None: every dialogue (superuser)."""
    access = access_for(user)
    if access.is_superuser:
        return None
    ids = access.readable_commune_ids() | _village_head_communes(access) | access.commune_ids(Role.JUDGE)
    return Q(commune_id__in=ids)


def dialogue_list(*, user, commune_id: int | None = None):
    qs = Dialogue.objects.select_related("commune", "host")
    q = dialogue_visible_q(user)
    if q is not None:
        qs = qs.filter(q)
    if commune_id is not None:
        qs = qs.filter(commune_id=commune_id)
    return qs.order_by("-starts_at", "-id")


def dialogue_page(qs, params) -> SeekPage:
    """20 dialogues, latest first, sought on the index dialogue_list (commune, starts_at, id); each with its
    petitions counted (``petition_count``, ``open_count``) in one grouped query over the page's dialogues only."""
    page = seek_page(qs, params=params, order="-starts_at", count_limit=0)
    counts = {
        row["dialogue_id"]: row
        for row in Petition.objects.filter(
            dialogue_id__in=[d.pk for d in page.object_list], duplicate_of__isnull=True
        )
        .values("dialogue_id")
        .annotate(total=Count("id"), open=Count("id", filter=Q(status__in=Petition.OPEN_STATUSES)))
        .order_by()
    }
    for d in page.object_list:
        row = counts.get(d.pk, {})
        d.petition_count, d.open_count = row.get("total", 0), row.get("open", 0)
    return page


def dialogue_get(*, user, pk: int) -> Dialogue:
    qs = Dialogue.objects.select_related(
        "commune",
        "host",
        "plan_document",
        "invitation_document",
        "notice_document",
        "minutes_document",
        "conclusion_document",
        "report_document",
    )
    q = dialogue_visible_q(user)
    if q is not None:
        qs = qs.filter(q)
    dialogue = qs.filter(pk=pk).first()
    if dialogue is None:
        raise Http404("Không tìm thấy hội nghị.")
    return dialogue


def petition_visible_q(user) -> Q | None:
    access = access_for(user)
    if access.is_superuser:
        return None
    return Q(commune_id__in=access.readable_commune_ids()) | Q(village_id__in=access.headed_village_ids)


def petition_visibility(user, commune_id: int) -> tuple:
    """What :func:`petition_visible_q` lets ``user`` see of one commune, as a key: people with the same see the same
    petition list (the list's cached fragment is shared on it)."""
    access = access_for(user)
    return (
        access.is_superuser,
        commune_id in access.readable_commune_ids(),
        tuple(sorted(access.headed_village_ids)),
    )


def petition_list(*, user, dialogue: Dialogue | None = None, commune_id: int | None = None):
    qs = Petition.objects.select_related("village", "assignee", "dialogue", "duplicate_of")
    q = petition_visible_q(user)
    if q is not None:
        qs = qs.filter(q)
    if dialogue is not None:
        qs = qs.filter(dialogue=dialogue)
    if commune_id is not None:
        qs = qs.filter(commune_id=commune_id)
    return qs.order_by("-received_on", "-id")


def petition_page(qs, params, *, count_limit: int = COUNT_LIMIT) -> SeekPage:
    """20 petitions of ``petition_list`` (filtered), newest received first, sought on the index that starts with the
    list's equality filters: petition_list (commune), petition_status_list (commune, status), petition_dialogue_list
    (dialogue), petition_dialogue_status (dialogue, status), petition_village_list (a village head's own villages).
    Counted up to 1000 ("hơn 1000 kiến nghị"; no maintained count of petitions per filter); 0: not counted."""
    return seek_page(qs, params=params, order="-received_on", count_limit=count_limit)


def public_answers(dialogue: Dialogue):
    """The dialogue's answered (or forwarded) public petitions, in the order they were raised: the partial index
    petition_public_answered (dialogue, received_on, id). Not by id alone: PostgreSQL would then read the primary
    key from the start, through every older dialogue's petitions, to find this one's first 21."""
    return (
        Petition.objects.filter(dialogue=dialogue, is_public=True, hidden=False, duplicate_of__isnull=True)
        .filter(Q(answered_on__isnull=False) | Q(status=Petition.Status.FORWARDED))
        .select_related("village")
        .order_by("received_on", "id")
    )


def public_answers_page(dialogue: Dialogue, params) -> tuple[SeekPage, list]:
    """A page of ``public_answers`` and its rows as (petition, its latest answer or None)."""
    page = seek_page(public_answers(dialogue), params=params, order="received_on", count_limit=0)
    answers = {}
    for a in Answer.objects.filter(petition__in=[p.pk for p in page.object_list]).order_by(
        "answered_on", "id"
    ):
        answers[a.petition_id] = a
    return page, [(p, answers.get(p.pk)) for p in page.object_list]


def petition_get(*, user, pk: int) -> Petition:
    qs = Petition.objects.select_related(
        "commune",
        "village",
        "assignee",
        "dialogue",
        "duplicate_of",
        "split_from",
        "transfer_document",
        "recorded_by",
        "prepared_by",
    )
    q = petition_visible_q(user)
    if q is not None:
        qs = qs.filter(q)
    petition = qs.filter(pk=pk).first()
    if petition is None:
        raise Http404("Không tìm thấy kiến nghị.")
    return petition


def petition_answers(petition: Petition):
    return Answer.objects.filter(petition=petition).select_related("answered_by", "letter_document")


def counted(qs):
    """Petitions that count in figures: not grouped under another, not split into parts."""
    split = Petition.objects.filter(split_from=OuterRef("pk"))
    return qs.filter(duplicate_of__isnull=True).exclude(Exists(split))


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def petition_stats(qs, *, survey_qs=None) -> dict:
    """Figures of a set of petitions (one dialogue, a year): a fixed number of aggregate queries."""
    qs = counted(qs)
    totals = qs.aggregate(
        total=Count("id"),
        at_meeting=Count("id", filter=Q(answer_how=Answer.How.AT_MEETING)),
        answered=Count("id", filter=Q(answered_on__isnull=False)),
        on_time=Count("id", filter=Q(answered_on_time=True)),
        forwarded=Count("id", filter=Q(forwarded_on__isnull=False)),
        open=Count("id", filter=Q(status__in=Petition.OPEN_STATUSES)),
        waiting_upper=Count("id", filter=Q(status=Petition.Status.FORWARDED)),
        reopened=Count("id", filter=Q(reopen_reason__gt="")),
        petitioner_satisfied=Count("id", filter=Q(satisfied=True)),
        petitioner_unsatisfied=Count("id", filter=Q(satisfied=False)),
    )
    field_labels, channel_labels = dict(Field.choices), dict(Channel.choices)
    by_field = [
        {"label": field_labels.get(r["field"], "Chưa phân loại"), "count": r["n"]}
        for r in qs.values("field").annotate(n=Count("id")).order_by("-n", "field")
    ]
    by_channel = [
        {"label": channel_labels.get(r["channel"], r["channel"]), "count": r["n"]}
        for r in qs.values("channel").annotate(n=Count("id")).order_by("-n", "channel")
    ]
    by_village = [
        {"label": r["village__name"] or "Không rõ thôn", "count": r["n"]}
        for r in qs.values("village__name").annotate(n=Count("id")).order_by("-n", "village__name")
    ]
    stats = {
        **totals,
        "at_meeting_pct": _pct(totals["at_meeting"], totals["total"]),
        "on_time_pct": _pct(totals["on_time"], totals["answered"]),
        "answered_pct": _pct(totals["answered"], totals["total"]),
        "by_field": by_field,
        "by_channel": by_channel,
        "by_village": by_village,
        "satisfaction_total": 0,
        "satisfied_pct": 0,
        "satisfaction": [],
    }
    if survey_qs is not None:
        stats.update(satisfaction_summary(survey_qs))
    return stats


def satisfaction_summary(survey_qs) -> dict:
    """Overall satisfaction over the responses of some surveys, level by level (the default 4-level scale)."""
    from dialogues.models import DEFAULT_SCALE

    surveys = list(survey_qs.only("id", "scale"))
    scale = surveys[0].scale if surveys else DEFAULT_SCALE
    counts = dict(
        SurveyResponse.objects.filter(survey__in=[s.pk for s in surveys])
        .values("overall")
        .annotate(n=Count("id"))
        .values_list("overall", "n")
    )
    total = sum(counts.values())
    satisfied = sum(n for level, n in counts.items() if level < SATISFIED_LEVELS)
    return {
        "satisfaction_total": total,
        "satisfied_pct": _pct(satisfied, total),
        "satisfaction": [
            {"label": label, "count": counts.get(i, 0), "pct": _pct(counts.get(i, 0), total)}
            for i, label in enumerate(scale)
        ],
    }


def survey_results(survey: Survey) -> dict:
    """Per question, how many chose each level (one query over the responses' answer lists)."""
    levels = len(survey.scale)
    per_question = [[0] * levels for _ in survey.questions]
    sources = {SurveyResponse.Source.ONLINE: 0, SurveyResponse.Source.PAPER: 0}
    total = 0
    for answers, source in (
        SurveyResponse.objects.filter(survey=survey).values_list("answers", "source").iterator()
    ):
        total += 1
        sources[source] = sources.get(source, 0) + 1
        for i, level in enumerate(answers[: len(survey.questions)]):
            if 0 <= level < levels:
                per_question[i][level] += 1
    return {
        "total": total,
        "online": sources[SurveyResponse.Source.ONLINE],
        "paper": sources[SurveyResponse.Source.PAPER],
        "questions": [
            {
                "text": q,
                "rows": [
                    {
                        "label": survey.scale[j],
                        "count": per_question[i][j],
                        "pct": _pct(per_question[i][j], total),
                    }
                    for j in range(levels)
                ],
            }
            for i, q in enumerate(survey.questions)
        ],
    }


def year_stats(*, commune_id: int, year: int) -> dict:
    petitions = Petition.objects.filter(commune_id=commune_id, received_on__year=year)
    surveys = Survey.objects.filter(dialogue__commune_id=commune_id, dialogue__starts_at__year=year)
    stats = petition_stats(petitions, survey_qs=surveys)
    held = Dialogue.objects.filter(commune_id=commune_id, held_on__year=year).exclude(
        status=Dialogue.Status.CANCELLED
    )
    stats["dialogues_held"] = held.count()
    stats["annual_held"] = held.filter(kind=Dialogue.Kind.ANNUAL).count()
    return stats


def dialogue_publications(dialogue: Dialogue, *, public: bool = False, today=None) -> list:
    """The dialogue's publications in the core publicity (its notice, its conclusion), oldest first, one query.

    ``public``: only what the public may read (started, not withdrawn)."""
    from django.utils import timezone

    from portal.publicity.models import Publication
    from portal.publicity.selectors import publications_for

    today = today or timezone.localdate()
    publications = publications_for(dialogue)
    if public:
        publications = [
            p for p in publications if p.status != Publication.Status.WITHDRAWN and p.starts_on <= today
        ]
    return publications


BRIEFING_LIMIT = 1000  # petitions printed in the chair's pack (a dialogue has tens; the rest are counted)


def briefing_groups(dialogue: Dialogue) -> dict:
    """The chair's briefing pack: the dialogue's petitions (duplicates folded into their main one, counted) grouped
    by field in the order of ``Field``, unclassified last, each with the answer prepared for it. Two queries."""
    qs = (
        Petition.objects.filter(dialogue=dialogue, duplicate_of__isnull=True)
        .select_related("village", "assignee", "prepared_by")
        .annotate(duplicate_count=Count("duplicates"))
        .order_by("field", "received_on", "id")
    )
    total = qs.count()
    rows = list(qs[:BRIEFING_LIMIT])
    labels = dict(Field.choices)
    order = {value: i for i, value in enumerate(Field.values)}
    groups: dict[str, dict] = {}
    for p in sorted(rows, key=lambda p: (order.get(p.field, len(order)), p.received_on, p.pk)):
        key = p.field or ""
        group = groups.setdefault(key, {"label": labels.get(key, "Chưa phân loại"), "petitions": []})
        group["petitions"].append(p)
    prepared = sum(1 for p in rows if p.prepared_answer)
    return {"groups": list(groups.values()), "total": total, "shown": len(rows), "prepared": prepared}


def overseer_overview(*, commune_ids, year: int, today=None) -> list[dict]:
    """Per commune under an overseer: dialogues held in ``year`` (Điều 32: at least one), upcoming ones, and the
    year's petitions (open, overdue, answered on time). Three queries whatever the number of communes or rows."""
    from django.utils import timezone

    from portal.models import AdministrativeUnit

    today = today or timezone.localdate()
    communes = list(
        AdministrativeUnit.objects.filter(pk__in=commune_ids, level=AdministrativeUnit.Level.COMMUNE)
        .select_related("parent")
        .order_by("parent__name", "name")
    )
    ids = [c.pk for c in communes]
    year_q = petition_year_q(year)
    dialogues = {
        row["commune_id"]: row
        for row in Dialogue.objects.filter(commune_id__in=ids)
        .values("commune_id")
        .annotate(
            held=Count("id", filter=Q(held_on__year=year)),
            upcoming=Count("id", filter=Q(status=Dialogue.Status.NOTICED)),
        )
    }
    petitions = {
        row["commune_id"]: row
        for row in Petition.objects.filter(year_q, commune_id__in=ids)
        .values("commune_id")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=PETITION_STATES["dang-giai-quyet"].q(today)),
            overdue=Count("id", filter=PETITION_STATES["qua-han"].q(today)),
            answered=Count("id", filter=Q(answered_on__isnull=False)),
            on_time=Count("id", filter=Q(answered_on_time=True)),
        )
    }
    rows = []
    for c in communes:
        d, p = dialogues.get(c.pk, {}), petitions.get(c.pk, {})
        answered = p.get("answered", 0)
        rows.append(
            {
                "commune": c,
                "held": d.get("held", 0),
                "upcoming": d.get("upcoming", 0),
                "total": p.get("total", 0),
                "open": p.get("open", 0),
                "overdue": p.get("overdue", 0),
                "on_time_pct": _pct(p.get("on_time", 0), answered) if answered else None,
            }
        )
    return rows


# -- the petition list's scope (the overseers' summary links its counts here) ------------------------------------------


def petition_year_q(year: int) -> Q:
    """The petitions a year's figures count: received that year, each once (not those grouped under another)."""
    return Q(received_on__year=year, duplicate_of__isnull=True)


@dataclass(frozen=True)
class PetitionState:
    label: str
    q: Callable[[dt.date], Q]


PETITION_STATES = {
    "dang-giai-quyet": PetitionState("đang giải quyết", lambda today: Q(status__in=Petition.OPEN_STATUSES)),
    "qua-han": PetitionState(
        "quá hạn trả lời", lambda today: Q(status__in=Petition.OPEN_STATUSES, due_on__lt=today)
    ),
}


@dataclass(frozen=True)
class PetitionScope:
    """The petition list narrowed as a summary counted it: ``?nam=<year>`` (the year's figures: received that year,
    duplicates grouped under another left out) and ``?tinh-trang=`` one of ``PETITION_STATES`` (open, overdue). The
    overseers' summary (``overseer_overview``) counts with the same conditions, so a count and its list agree."""

    year: int | None = None
    state: str = ""

    @classmethod
    def from_params(cls, params) -> PetitionScope:
        year = params.get("nam", "")
        state = params.get("tinh-trang", "")
        return cls(
            year=int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None,
            state=state if state in PETITION_STATES else "",
        )

    def apply(self, qs, *, today: dt.date | None = None):
        from django.utils import timezone

        if self.year is not None:
            qs = qs.filter(petition_year_q(self.year))
        if self.state:
            qs = qs.filter(PETITION_STATES[self.state].q(today or timezone.localdate()))
        return qs

    @property
    def label(self) -> str:
        parts = [f"năm {self.year}"] if self.year else []
        if self.state:
            parts.append(PETITION_STATES[self.state].label)
        return ", ".join(parts)

    def params(self) -> dict[str, str]:
        out = {"nam": str(self.year)} if self.year else {}
        return out | ({"tinh-trang": self.state} if self.state else {})
