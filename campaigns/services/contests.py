"""Contests: set-up, participants, conflict-of-interest exclusion, self-assessment with evidence, models (mô hình)."""

from __future__ import annotations

import datetime as dt
import mimetypes
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns import scoring
from campaigns.models import (
    Assignment,
    Contest,
    ContestMember,
    Criterion,
    Evidence,
    Initiative,
    Participant,
    SelfScore,
)
from campaigns.selectors import item_of, panel_judges
from campaigns.services._common import (
    now_or,
    open_participant,
    plan_due,
    points_of,
    require,
    require_open,
    require_sane_dates,
    sheet_save,
)
from campaigns.workflow import CONTEST, INITIATIVE
from portal import lookups, metrics, uploads
from portal.audit import audit_record
from portal.bounds import check_length
from portal.deadlines import deadline_meet, deadline_open
from portal.models import AdministrativeUnit

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# A sanity range for the contest's dates (not a statutory period): results may come up to this long after it ends.
RESULTS_GRACE = dt.timedelta(days=90)  # house-rules: allow statutory-numbers-in-registry - input sanity range


def _content_type(kind: str | None) -> str:
    """The MIME type of a sniffed evidence kind (portal/uploads.py), for the download."""
    if kind not in uploads.KINDS:
        return "application/octet-stream"
    return mimetypes.guess_type(f"tep.{uploads.KINDS[kind][0][0]}")[0] or "application/octet-stream"


def _commune_of(unit):
    return unit if unit.level == AdministrativeUnit.Level.COMMUNE else None


# -- set-up ------------------------------------------------------------------------------------------------------------


@transaction.atomic
def contest_create(
    *,
    organizer_unit,
    organizer_name: str,
    title: str,
    theme: str,
    year: int,
    starts_on: dt.date,
    ends_on: dt.date,
    criteria_set,
    by,
    organizer_org=None,
    registration_due: dt.date | None = None,
    self_assessment_due: dt.date | None = None,
    judging_due: dt.date | None = None,
    results_due: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Contest:
    now = now_or(now)
    require(by, "campaigns.add_contest", organizer_unit, "Bạn không có quyền tổ chức cuộc thi.")
    require_sane_dates(
        **{
            "từ ngày": starts_on,
            "đến ngày": ends_on,
            "hạn đăng ký": registration_due,
            "hạn tự chấm": self_assessment_due,
            "hạn chấm điểm": judging_due,
            "hạn công bố kết quả": results_due,
        }
    )
    contest = Contest(
        organizer_unit=organizer_unit,
        organizer_name=organizer_name,
        organizer_org=organizer_org,
        title=title,
        theme=theme,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        criteria_set=criteria_set,
        registration_due=registration_due,
        self_assessment_due=self_assessment_due,
        judging_due=judging_due,
        results_due=results_due,
        status=Contest.Status.OPEN,
        created_by=by,
        created_at=now,
    )
    contest.full_clean()
    for due in (registration_due, self_assessment_due, judging_due, results_due):
        if due is not None and not starts_on <= due <= ends_on + RESULTS_GRACE:
            raise ValidationError(
                "Các hạn của cuộc thi phải nằm trong thời gian cuộc thi (hoặc tối đa 90 ngày sau)."
            )
    contest.save()
    if by is not None:
        member_add(contest=contest, user=by, role=ContestMember.Role.ORGANIZER, by=None, now=now)
    for rule_code, due, title in (
        ("contest.registration", registration_due, "Hết hạn đăng ký dự thi"),
        ("contest.results", results_due, "Công bố, công khai kết quả"),
    ):
        if due is not None:
            deadline_open(
                subject=contest,
                rule_code=rule_code,
                trigger_date=now.date(),
                due_date=plan_due(due),
                # The organizers' own step: it belongs to the organizer unit and reminds whoever set it up.
                unit=organizer_unit,
                assignee=by,
                title=f"{title}: {contest.title}"[:300],
                url=reverse("campaigns:contest", args=[contest.pk]),
                by=by,
                now=now,
            )
    audit_record(
        actor=by, action="contest.create", obj=contest, now=now, changes={"title": title, "year": year}
    )
    return contest


@transaction.atomic
def member_add(*, contest: Contest, user, role: str, by, position: str = "", now=None) -> ContestMember:
    require(by, "campaigns.manage_contest", contest, "Chỉ Ban Tổ chức phân công thành viên các ban.")
    require_open(contest)
    member, created = ContestMember.objects.get_or_create(
        contest=contest, user=user, role=role, defaults={"position": position[:120]}
    )
    if created:
        audit_record(
            actor=by,
            action="contest.member_add",
            obj=contest,
            now=now_or(now),
            changes={"user": str(user), "role": role},
        )
    return member


@transaction.atomic
def participant_register(
    *,
    contest: Contest,
    kind: str,
    unit,
    name: str,
    by,
    organization=None,
    person=None,
    now: dt.datetime | None = None,
) -> Participant:
    """Register a commune, an office, a village team or an individual; opens the self-assessment deadline."""
    now = now_or(now)
    require_open(contest)
    if by is not None and not by.has_perm("campaigns.manage_contest", contest):
        if unit.commune_id not in _office_communes(by):
            raise PermissionDenied("Chỉ Ban Tổ chức hoặc chính đơn vị mới đăng ký dự thi.")
        if not lookups.communes_below(contest.organizer_unit).filter(pk=unit.commune_id).exists():
            raise PermissionDenied(
                "Đơn vị không thuộc địa bàn của cấp tổ chức cuộc thi; không đăng ký dự thi được."
            )
    # The state (registration closes when judging starts) and the plan's registration deadline, on the locked row.
    locked = Contest.objects.select_for_update(of=("self",)).get(pk=contest.pk)
    CONTEST.require(locked, "dang-ky", check_perm=False, today=timezone.localdate(now))
    participant = Participant(
        contest=contest,
        kind=kind,
        unit=unit,
        name=name.strip()[:200],
        organization=organization,
        person=person,
    )
    participant.full_clean()
    participant.save()
    if contest.self_assessment_due and participant.unit.commune_id:
        deadline_open(
            subject=participant,
            rule_code="contest.self_assessment",
            trigger_date=now.date(),
            due_date=plan_due(contest.self_assessment_due),
            commune=participant.unit.commune if participant.unit.level != "commune" else participant.unit,
            title=f"Tự chấm điểm, nộp minh chứng: {contest.title}"[:300],
            url=reverse("campaigns:participant", args=[participant.pk]),
            by=by,
            now=now,
        )
    audit_record(actor=by, action="participant.register", obj=participant, now=now, changes={"name": name})
    return participant


@transaction.atomic
def contest_close_registration(*, contest: Contest, by, now: dt.datetime | None = None) -> Contest:
    """Registration closes and judging goes on: open → judging (no more participants); its deadline is met."""
    now = now_or(now)
    contest = Contest.objects.select_for_update(of=("self",)).get(pk=contest.pk)
    CONTEST.require(contest, "cham-diem", by=by)
    old = contest.status
    contest.status = Contest.Status.JUDGING
    contest.full_clean()
    contest.save(update_fields=["status"])
    deadline_meet(subject=contest, rule_code="contest.registration", by=by, now=now)
    audit_record(
        actor=by,
        action="contest.close_registration",
        obj=contest,
        now=now,
        changes={"status": [old, contest.status]},
    )
    return contest


def _office_communes(user) -> set[int]:
    from portal.access import access_for
    from portal.models import Role

    return access_for(user).commune_ids(Role.STAFF, Role.LEADER)


def conflict_reason(judge, participant: Participant) -> str:
    """Why a judge may not score a participant, or "" (the judge holds a role in the participant's unit/commune)."""
    if participant.person_id == judge.pk:
        return "Giám khảo là chính cá nhân dự thi."
    # portal/lookups.py: the roles acting in the participant's commune (held there or at one of its villages), or
    # at the participant's own unit above communes.
    clash = lookups.memberships(participant.commune_id or participant.unit).filter(user=judge).first()
    if clash is not None:
        return f"Giám khảo giữ vai trò “{clash.get_role_display()}” tại {clash.unit} (đơn vị dự thi)."
    return ""


@transaction.atomic
def judge_assign(*, participant: Participant, judge, by, now: dt.datetime | None = None) -> Assignment:
    """Assign a judge; a conflict of interest found in the judge's memberships excludes them at once."""
    now = now_or(now)
    contest = participant.contest
    require(by, "campaigns.manage_contest", contest, "Chỉ Ban Tổ chức phân công giám khảo.")
    require_open(contest)
    if not panel_judges(contest).filter(pk=judge.pk).exists():
        raise ValidationError(
            f"{judge.get_full_name() or judge.username} không thuộc Ban Giám khảo của cuộc thi; chỉ phân công"
            " thành viên Ban Giám khảo (người giữ vai trò giám khảo ở cấp tổ chức cuộc thi trở lên)."
        )
    if not ContestMember.objects.filter(contest=contest, user=judge, role=ContestMember.Role.JUDGE).exists():
        member_add(contest=contest, user=judge, role=ContestMember.Role.JUDGE, by=None, now=now)
    reason = conflict_reason(judge, participant)
    assignment, created = Assignment.objects.get_or_create(
        participant=participant,
        judge=judge,
        defaults={"contest": contest, "excluded": bool(reason), "exclusion_reason": reason},
    )
    if created:
        audit_record(
            actor=by,
            action="assignment.create",
            obj=assignment,
            now=now,
            changes={"judge": str(judge), "participant": str(participant), "excluded": reason},
            commune=participant.commune,
        )
        if not reason and contest.judging_due:
            deadline_open(
                subject=assignment,
                rule_code="contest.judging",
                trigger_date=now.date(),
                due_date=plan_due(contest.judging_due),
                # The judge's work belongs to the organizer unit, not to the commune being judged (a judge's
                # lateness must not count against the commune's "deadlines met").
                unit=contest.organizer_unit,
                assignee=judge,
                title=f"Chấm điểm {participant.name}: {contest.title}"[:300],
                url=reverse("campaigns:judge_sheet", args=[participant.pk]),
                by=by,
                now=now,
            )
    return assignment


CONFLICT_PREFIX = "Tự khai báo: "
CONFLICT_REASON_CHARS = 300 - len(
    CONFLICT_PREFIX
)  # Assignment.exclusion_reason holds the prefix and the reason


@transaction.atomic
def conflict_declare(
    *, assignment: Assignment, reason: str, by, now: dt.datetime | None = None
) -> Assignment:
    """A judge declares a conflict of interest: excluded from this participant, their scores no longer count."""
    now = now_or(now)
    reason = check_length((reason or "").strip(), CONFLICT_REASON_CHARS, "Lý do xung đột lợi ích")
    if (
        by is not None
        and by.pk != assignment.judge_id
        and not by.has_perm("campaigns.manage_contest", assignment)
    ):
        raise PermissionDenied("Chỉ giám khảo hoặc Ban Tổ chức khai báo xung đột lợi ích.")
    require_open(assignment.contest)
    if not reason:
        raise ValidationError("Ghi rõ lý do xung đột lợi ích.")
    assignment = Assignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
    assignment.excluded, assignment.exclusion_reason = True, f"{CONFLICT_PREFIX}{reason}"
    assignment.full_clean()
    assignment.save(update_fields=["excluded", "exclusion_reason"])
    audit_record(
        actor=by, action="assignment.declare_conflict", obj=assignment, now=now, changes={"reason": reason}
    )
    return assignment


# -- self-assessment ---------------------------------------------------------------------------------------------------------


def _leaf(participant: Participant, criterion: Criterion) -> Criterion:
    if criterion.criteria_set_id != participant.contest.criteria_set_id or not criterion.is_leaf:
        raise ValidationError("Tiêu chí không thuộc bộ tiêu chí của cuộc thi.")
    return criterion


@transaction.atomic
def self_score_save(
    *,
    participant: Participant,
    criterion: Criterion,
    by,
    points=None,
    count=None,
    note: str = "",
    now: dt.datetime | None = None,
) -> SelfScore:
    now = now_or(now)
    participant = open_participant(
        participant, by=by, perm="campaigns.self_assess", message="Bạn không tự chấm cho đơn vị này."
    )
    if participant.stage != Participant.Stage.SELF:
        raise ValidationError("Đơn vị đã nộp bản tự chấm; điểm tự chấm không sửa được nữa.")
    _leaf(participant, criterion)
    value = points_of(item_of(criterion), points=points, count=count)
    score = SelfScore.objects.filter(participant=participant, criterion=criterion).first()
    old = None if score is None else score.points
    if score is None:
        score = SelfScore(participant=participant, criterion=criterion)
    note = check_length(
        (note or "").strip(), 1000, f"Tiêu chí {criterion.code}, thuyết minh"
    )  # SelfScore.note
    score.points, score.count, score.note = value, count, note
    score.updated_by, score.updated_at = by, now
    score.full_clean(exclude=["participant", "criterion"])
    score.save()
    audit_record(
        actor=by,
        action="selfscore.save",
        obj=participant,
        now=now,
        changes={f"tiêu chí {criterion.code}": [None if old is None else str(old), str(value)]},
        commune=participant.commune,
    )
    return score


@transaction.atomic
def evidence_add_file(
    *, participant: Participant, criterion: Criterion, upload, title: str, by, now: dt.datetime | None = None
) -> Evidence:
    """Attach a file (PDF, image, Word or Excel), its type checked by content and its size capped."""
    now = now_or(now)
    participant = open_participant(
        participant, by=by, perm="campaigns.self_assess", message="Bạn không nộp minh chứng cho đơn vị này."
    )
    _leaf(participant, criterion)
    # portal/uploads.py: the bytes decide the type (and must match the extension); images are re-encoded.
    kind = uploads.sniff(upload)
    cleaned = uploads.file_clean(
        upload, kinds=uploads.EVIDENCE_KINDS, max_bytes=MAX_EVIDENCE_BYTES, what="Tệp minh chứng"
    )
    evidence = Evidence(
        participant=participant,
        criterion=criterion,
        kind=Evidence.Kind.FILE,
        title=(title or upload.name).strip()[:300],
        content_type=_content_type(kind),
        size=cleaned.size,
        added_by=by,
        added_at=now,
    )
    evidence.file.save(cleaned.name, cleaned, save=False)
    evidence.full_clean(exclude=["participant", "criterion"])
    evidence.save()
    audit_record(
        actor=by,
        action="evidence.add",
        obj=participant,
        now=now,
        changes={criterion.code: evidence.title},
        commune=participant.commune,
    )
    return evidence


@transaction.atomic
def evidence_add_link(
    *,
    participant: Participant,
    criterion: Criterion,
    link: str,
    title: str,
    by,
    now: dt.datetime | None = None,
) -> Evidence:
    now = now_or(now)
    participant = open_participant(
        participant, by=by, perm="campaigns.self_assess", message="Bạn không nộp minh chứng cho đơn vị này."
    )
    _leaf(participant, criterion)
    evidence = Evidence(
        participant=participant,
        criterion=criterion,
        kind=Evidence.Kind.LINK,
        title=(title or link).strip()[:300],
        link=(link or "").strip(),
        added_by=by,
        added_at=now,
    )
    if not evidence.link.startswith(("https://", "http://")):
        raise ValidationError("Đường dẫn minh chứng phải bắt đầu bằng https:// hoặc http://.")
    evidence.full_clean(exclude=["participant", "criterion"])
    evidence.save()
    audit_record(
        actor=by,
        action="evidence.add",
        obj=participant,
        now=now,
        changes={criterion.code: evidence.link},
        commune=participant.commune,
    )
    return evidence


def suggested_points(criterion: Criterion, metric: metrics.Metric, m: metrics.Measurement) -> Decimal | None:
    """A percentage gives that share of the criterion's points (rounded down to its step); a count under a
    count-scored criterion gives count × points per item, capped."""
    if m.value is None:
        return None
    item = item_of(criterion)
    if metric.unit == metrics.PERCENT:
        raw = criterion.max_points * Decimal(m.value) / 100
        step = criterion.step or Decimal("0.01")
        return scoring.q((raw // step) * step)
    if criterion.scoring == "count":
        return points_of(item, count=int(m.value))
    return None


@transaction.atomic
def evidence_add_metric(
    *, participant: Participant, criterion: Criterion, by, now: dt.datetime | None = None
) -> Evidence:
    """Draw the criterion's metric live from the portal's records: a snapshot with the records' links, and a
    suggested score shown to the participant and to the judges."""
    now = now_or(now)
    participant = open_participant(
        participant, by=by, perm="campaigns.self_assess", message="Bạn không nộp minh chứng cho đơn vị này."
    )
    contest = participant.contest
    _leaf(participant, criterion)
    metric = metrics.get_metric(criterion.metric) if criterion.metric else None
    if metric is None:
        raise ValidationError("Tiêu chí này không gắn với số liệu nào trên Cổng.")
    if not participant.commune_id:
        raise ValidationError("Số liệu trên Cổng chỉ có cho đơn vị cấp xã.")
    m = metrics.measure(
        metric.code, commune_id=participant.commune_id, start=contest.starts_on, end=contest.ends_on
    )
    suggestion = suggested_points(criterion, metric, m)
    snapshot = m.as_json() | {
        "label": metric.label,
        "summary": metric.describe(m),
        "source": metric.source,
        "suggested": None if suggestion is None else str(suggestion),
        "at": now.isoformat(),
    }
    evidence = Evidence.objects.filter(
        participant=participant, criterion=criterion, kind=Evidence.Kind.METRIC, hidden=False
    ).first() or Evidence(participant=participant, criterion=criterion, kind=Evidence.Kind.METRIC)
    evidence.title = metric.describe(m)[:300]
    evidence.metric_code, evidence.metric_snapshot = metric.code, snapshot
    evidence.added_by, evidence.added_at = by, now
    evidence.full_clean(exclude=["participant", "criterion"])
    evidence.save()
    SelfScore.objects.filter(participant=participant, criterion=criterion).update(suggested_points=suggestion)
    audit_record(
        actor=by,
        action="evidence.metric",
        obj=participant,
        now=now,
        changes={criterion.code: snapshot["summary"]},
        commune=participant.commune,
    )
    return evidence


@transaction.atomic
def self_assessment_submit(*, participant: Participant, by, now: dt.datetime | None = None) -> Participant:
    """Submit the self-assessment: every criterion scored; the judges' first round opens."""
    now = now_or(now)
    participant = open_participant(
        participant, by=by, perm="campaigns.self_assess", message="Bạn không nộp bản tự chấm cho đơn vị này."
    )
    if participant.stage != Participant.Stage.SELF:
        raise ValidationError("Bản tự chấm đã được nộp.")
    leaves = Criterion.objects.filter(criteria_set_id=participant.contest.criteria_set_id, kind="criterion")
    missing = leaves.exclude(pk__in=SelfScore.objects.filter(participant=participant).values("criterion_id"))
    codes = list(missing.values_list("code", flat=True)[:10])
    if codes:
        raise ValidationError(f"Chưa tự chấm các tiêu chí: {', '.join(codes)}.")
    participant.stage, participant.self_submitted_at = Participant.Stage.REVIEW, now
    participant.save(update_fields=["stage", "self_submitted_at"])
    deadline_meet(subject=participant, rule_code="contest.self_assessment", by=by, now=now)
    audit_record(
        actor=by,
        action="participant.self_submit",
        obj=participant,
        now=now,
        changes={"stage": ["self", "review"]},
        commune=participant.commune,
    )
    return participant


# -- models (mô hình "Dân vận khéo") ----------------------------------------------------------------------------------------
# The lifecycle is campaigns/workflow.py's INITIATIVE: the participant reports implementation; the organizers assess,
# recognize and replicate.


@transaction.atomic
def initiative_register(
    *,
    participant: Participant,
    name: str,
    field: str,
    lead: str,
    started_on: dt.date,
    by,
    change: str = "",
    results: str = "",
    people_reached: int = 0,
    evidence_link: str = "",
    now: dt.datetime | None = None,
) -> Initiative:
    now = now_or(now)
    require(by, "campaigns.self_assess", participant, "Chỉ đơn vị dự thi đăng ký mô hình của mình.")
    require_open(participant.contest)
    initiative = Initiative(
        participant=participant,
        name=name.strip()[:300],
        field=field,
        lead=lead.strip()[:300],
        change=change.strip()[:1000],
        results=results.strip()[:1000],
        people_reached=people_reached,
        started_on=started_on,
        evidence_link=evidence_link,
        created_by=by,
        created_at=now,
    )
    require_sane_dates(**{"ngày bắt đầu mô hình": started_on})
    if started_on > now.date() + RESULTS_GRACE:
        raise ValidationError("Ngày bắt đầu mô hình quá xa trong tương lai.")
    initiative.full_clean()
    initiative.save()
    audit_record(actor=by, action="initiative.register", obj=initiative, now=now, commune=participant.commune)
    return initiative


def _initiative_move(
    initiative: Initiative, action: str, *, by, note: str = "", now: dt.datetime | None = None
) -> Initiative:
    now = now_or(now)
    initiative = (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("participant__contest")
        .get(pk=initiative.pk)
    )
    INITIATIVE.require(initiative, action, by=by, today=timezone.localdate(now))
    old = initiative.status
    initiative.status = INITIATIVE.action(action).target
    initiative.status_note = (note or "").strip()[:500]
    initiative.full_clean()
    initiative.save(update_fields=["status", "status_note"])
    audit_record(
        actor=by,
        action="initiative.advance",
        obj=initiative,
        now=now,
        changes={"status": [old, initiative.status]},
        note=initiative.status_note,
        commune=initiative.participant.commune,
    )
    return initiative


@transaction.atomic
def initiative_implement(*, initiative: Initiative, by, note: str = "", now=None) -> Initiative:
    return _initiative_move(initiative, "thuc-hien", by=by, note=note, now=now)


@transaction.atomic
def initiative_assess(*, initiative: Initiative, by, note: str = "", now=None) -> Initiative:
    return _initiative_move(initiative, "danh-gia", by=by, note=note, now=now)


@transaction.atomic
def initiative_recognize(*, initiative: Initiative, by, note: str = "", now=None) -> Initiative:
    return _initiative_move(initiative, "cong-nhan", by=by, note=note, now=now)


@transaction.atomic
def initiative_replicate(*, initiative: Initiative, by, note: str = "", now=None) -> Initiative:
    return _initiative_move(initiative, "nhan-rong", by=by, note=note, now=now)


@transaction.atomic
def initiative_advance(
    *, initiative: Initiative, by, note: str = "", now: dt.datetime | None = None
) -> Initiative:
    """The model's next step, whichever it is (the workflow decides who may take it)."""
    step = next((a for a in INITIATIVE.actions if initiative.status in a.source), None)
    if step is None:
        raise ValidationError("Mô hình đã ở bước cuối (đã nhân rộng).")
    return _initiative_move(initiative, step.name, by=by, note=note, now=now)


@transaction.atomic
def self_sheet_save(
    *, participant: Participant, entries: dict[int, dict], by, now: dt.datetime | None = None
) -> dict[int, str]:
    """Save the self-scores of several criteria at once: all or nothing. Returns {criterion id: error}."""

    def save_one(criterion, entry):
        self_score_save(
            participant=participant,
            criterion=criterion,
            by=by,
            points=entry.get("points"),
            count=entry.get("count"),
            note=entry.get("comment", ""),
            now=now,
        )

    return sheet_save(criteria_set_id=participant.contest.criteria_set_id, entries=entries, save_one=save_one)
