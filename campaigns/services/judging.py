"""Judging: independent scores, the comment rule, the review chain, the upper level's share, finalize and lock.

Chain: self-score → review (round 1) → the participant's explanation → second review (round 2) → final. A judge's
round-2 scores replace their round-1 scores where given. Finalizing computes every total with the set's final rule,
stores the snapshot (total, stars, rank, breakdown) and locks the contest: every service here refuses afterwards.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from campaigns import scoring
from campaigns.models import (
    Assignment,
    Award,
    ConsensusScore,
    Contest,
    Criterion,
    Explanation,
    JudgeScore,
    Participant,
    SelfScore,
)
from campaigns.selectors import contest_results, item_of, set_tree
from campaigns.services._common import (
    now_or,
    open_participant,
    points_of,
    require,
    require_open,
    sheet_save,
)
from campaigns.workflow import CONTEST
from portal.audit import audit_record
from portal.bounds import check_length
from portal.deadlines import deadline_meet

COMMENT_CHARS = 1000  # JudgeScore.comment
JUDGING_STAGES = {Participant.Stage.REVIEW: 1, Participant.Stage.SECOND_REVIEW: 2}


def _lock_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("participant__contest__criteria_set", "contest")
        .get(pk=assignment.pk)
    )


def _judging_round(participant: Participant) -> int:
    round_no = JUDGING_STAGES.get(participant.stage)
    if round_no is None:
        raise ValidationError(
            f"Đơn vị đang ở bước “{participant.get_stage_display()}”: chưa hoặc không còn chấm điểm."
        )
    return round_no


def _check_judge(assignment: Assignment, by) -> None:
    if by is not None and by.pk != assignment.judge_id:
        raise PermissionDenied("Đây không phải phiếu chấm của bạn.")
    if assignment.excluded:
        raise PermissionDenied("Bạn không chấm đơn vị này (xung đột lợi ích).")


def comment_required_message(code: str, self_points, allowance) -> str:
    return (
        f"Tiêu chí {code}: điểm chấm chênh với điểm tự chấm ({scoring.fmt(self_points)}) quá "
        f"{scoring.fmt(allowance)} điểm — phải ghi nhận xét nêu lý do."
    )


@transaction.atomic
def judge_score_save(
    *,
    assignment: Assignment,
    criterion: Criterion,
    by,
    points=None,
    count=None,
    comment: str = "",
    now: dt.datetime | None = None,
) -> JudgeScore:
    """Save one score of the current round. A departure from the self-score beyond the set's allowance needs a
    comment (refused without one)."""
    now = now_or(now)
    assignment = _lock_assignment(assignment)
    _check_judge(assignment, by)
    participant = assignment.participant
    contest = participant.contest
    require_open(contest)
    round_no = _judging_round(participant)
    if assignment.submitted_at(round_no):
        raise ValidationError("Bạn đã nộp phiếu chấm vòng này; điểm không sửa được nữa.")
    if criterion.criteria_set_id != contest.criteria_set_id or not criterion.is_leaf:
        raise ValidationError("Tiêu chí không thuộc bộ tiêu chí của cuộc thi.")
    value = points_of(item_of(criterion), points=points, count=count)
    comment = check_length((comment or "").strip(), COMMENT_CHARS, f"Tiêu chí {criterion.code}, nhận xét")
    self_points = (
        SelfScore.objects.filter(participant=participant, criterion=criterion)
        .values_list("points", flat=True)
        .first()
    )
    allowance = contest.criteria_set.max_departure
    if scoring.needs_comment(self_points, value, allowance) and not comment:
        raise ValidationError(comment_required_message(criterion.code, self_points, allowance))
    score = JudgeScore.objects.filter(assignment=assignment, criterion=criterion, round=round_no).first()
    old = None if score is None else str(score.points)
    score = score or JudgeScore(assignment=assignment, criterion=criterion, round=round_no)
    score.points, score.count, score.comment, score.updated_at = value, count, comment, now
    score.full_clean(exclude=["assignment", "criterion"])
    score.save()
    audit_record(
        actor=by,
        action="judgescore.save",
        obj=assignment,
        now=now,
        changes={f"vòng {round_no}, tiêu chí {criterion.code}": [old, str(value)]},
        note=comment,
        commune=participant.commune,
    )
    return score


@transaction.atomic
def judge_submit(*, assignment: Assignment, by, now: dt.datetime | None = None) -> Assignment:
    """Submit the judge's sheet for the round: every criterion scored (round 1) and every comment rule met."""
    now = now_or(now)
    assignment = _lock_assignment(assignment)
    _check_judge(assignment, by)
    participant = assignment.participant
    contest = participant.contest
    require_open(contest)
    round_no = _judging_round(participant)
    if assignment.submitted_at(round_no):
        raise ValidationError("Phiếu chấm vòng này đã nộp.")
    tree = set_tree(contest.criteria_set)
    mine = {s.criterion_id: s for s in JudgeScore.objects.filter(assignment=assignment, round=round_no)}
    if round_no == 1:
        missing = [c.code for c in tree.leaves() if c.pk not in mine]
        if missing:
            raise ValidationError(f"Chưa chấm các tiêu chí: {', '.join(missing[:10])}.")
    selfs = dict(SelfScore.objects.filter(participant=participant).values_list("criterion_id", "points"))
    allowance = contest.criteria_set.max_departure
    for c in tree.leaves():
        s = mine.get(c.pk)
        if s is not None and not s.comment and scoring.needs_comment(selfs.get(c.pk), s.points, allowance):
            raise ValidationError(comment_required_message(c.code, selfs.get(c.pk), allowance))
    field = "submitted_round2_at" if round_no == 2 else "submitted_round1_at"
    setattr(assignment, field, now)
    assignment.save(update_fields=[field])
    if round_no == 1:
        deadline_meet(subject=assignment, rule_code="contest.judging", by=by, now=now)
    audit_record(
        actor=by,
        action="assignment.submit",
        obj=assignment,
        now=now,
        changes={"round": round_no},
        commune=participant.commune,
    )
    return assignment


def _move(participant: Participant, target: str, *, by, now, action: str) -> Participant:
    old = participant.stage
    participant.stage = target
    participant.save(update_fields=["stage"])
    audit_record(
        actor=by,
        action=action,
        obj=participant,
        now=now,
        changes={"stage": [old, target]},
        commune=participant.commune,
    )
    return participant


@transaction.atomic
def review_close(*, participant: Participant, by, now: dt.datetime | None = None) -> Participant:
    """After round 1 (every judge submitted) the participant may explain: review → explanation."""
    now = now_or(now)
    participant = open_participant(
        participant,
        by=by,
        perm="campaigns.manage_contest",
        message="Chỉ Ban Tổ chức chuyển bước chấm điểm.",
        on_contest=True,
    )
    if participant.stage != Participant.Stage.REVIEW:
        raise ValidationError("Đơn vị không ở bước giám khảo chấm vòng 1.")
    active = participant.assignments.filter(excluded=False)
    if not active.exists() or active.filter(submitted_round1_at__isnull=True).exists():
        raise ValidationError("Chưa đủ phiếu chấm vòng 1 của các giám khảo.")
    return _move(
        participant, Participant.Stage.EXPLANATION, by=by, now=now, action="participant.to_explanation"
    )


@transaction.atomic
def explanation_save(
    *, participant: Participant, criterion: Criterion, text: str, by, now: dt.datetime | None = None
) -> Explanation:
    now = now_or(now)
    participant = open_participant(
        participant, by=by, perm="campaigns.self_assess", message="Chỉ đơn vị dự thi giải trình."
    )
    text = check_length(
        (text or "").strip(), 2000, f"Tiêu chí {criterion.code}, giải trình"
    )  # Explanation.text
    if participant.stage != Participant.Stage.EXPLANATION:
        raise ValidationError("Chưa đến bước giải trình hoặc đã hết bước giải trình.")
    if not text:
        raise ValidationError("Nội dung giải trình không được để trống.")
    explanation, _ = Explanation.objects.update_or_create(
        participant=participant, criterion=criterion, defaults={"text": text, "by": by, "at": now}
    )
    audit_record(
        actor=by,
        action="explanation.save",
        obj=participant,
        now=now,
        changes={criterion.code: text[:200]},
        commune=participant.commune,
    )
    return explanation


@transaction.atomic
def explanation_submit(*, participant: Participant, by, now: dt.datetime | None = None) -> Participant:
    now = now_or(now)
    participant = open_participant(
        participant, by=by, perm="campaigns.self_assess", message="Chỉ đơn vị dự thi nộp giải trình."
    )
    if participant.stage != Participant.Stage.EXPLANATION:
        raise ValidationError("Đơn vị không ở bước giải trình.")
    return _move(
        participant, Participant.Stage.SECOND_REVIEW, by=by, now=now, action="participant.to_second_review"
    )


@transaction.atomic
def upper_score_save(
    *, participant: Participant, points, comment: str, by, now: dt.datetime | None = None
) -> Participant:
    """The upper level's reserved share (e.g. 10 of 100 points), with its comment."""
    now = now_or(now)
    participant = open_participant(
        participant,
        by=by,
        perm="campaigns.manage_contest",
        message="Chỉ Ban Tổ chức (cấp trên) chấm phần điểm này.",
        on_contest=True,
    )
    comment = check_length((comment or "").strip(), 500, "Nhận xét của cấp trên")  # Participant.upper_comment
    cset = participant.contest.criteria_set
    if cset.reserved_points <= 0:
        raise ValidationError("Bộ tiêu chí không dành điểm cho cấp trên đánh giá.")
    value = points_of(
        scoring.Item(id=0, code="cấp trên", max_points=cset.reserved_points, step=Decimal("0.5")),
        points=points,
    )
    if not comment:
        raise ValidationError("Ghi nhận xét của cấp trên.")
    old = participant.upper_points
    participant.upper_points, participant.upper_comment, participant.upper_by = value, comment, by
    participant.save(update_fields=["upper_points", "upper_comment", "upper_by"])
    audit_record(
        actor=by,
        action="participant.upper_score",
        obj=participant,
        now=now,
        changes={"upper_points": [None if old is None else str(old), str(value)]},
        note=comment,
        commune=participant.commune,
    )
    return participant


@transaction.atomic
def consensus_save(
    *, participant: Participant, criterion: Criterion, points, by, now: dt.datetime | None = None
) -> ConsensusScore:
    """Under the "panel consensus" rule the secretariat records the score the panel agreed."""
    now = now_or(now)
    participant = open_participant(
        participant,
        by=by,
        perm="campaigns.manage_contest",
        message="Chỉ Ban Tổ chức, Tổ Thư ký ghi điểm thống nhất.",
        on_contest=True,
    )
    if participant.contest.criteria_set.final_rule != "consensus":
        raise ValidationError("Bộ tiêu chí không dùng cách tính điểm thống nhất của Ban Giám khảo.")
    value = points_of(item_of(criterion), points=points)
    score, _ = ConsensusScore.objects.update_or_create(
        participant=participant, criterion=criterion, defaults={"points": value, "by": by, "at": now}
    )
    audit_record(
        actor=by,
        action="consensus.save",
        obj=participant,
        now=now,
        changes={criterion.code: str(value)},
        commune=participant.commune,
    )
    return score


@transaction.atomic
def contest_finalize(*, contest: Contest, by, now: dt.datetime | None = None) -> Contest:
    """The panel finalizes: totals by the set's rule, stars, ranks stored; the contest is locked for good."""
    now = now_or(now)
    contest = (
        Contest.objects.select_for_update(of=("self",)).select_related("criteria_set").get(pk=contest.pk)
    )
    require(by, "campaigns.manage_contest", contest, "Chỉ Ban Tổ chức tổng kết cuộc thi.")
    require_open(contest)
    rows = contest_results(contest)
    CONTEST.require(contest, "tong-ket", by=by, rows=rows)
    for r in rows:
        p = r.participant
        p.final_total, p.final_stars, p.final_rank = r.total.total, r.stars, r.rank
        p.final_breakdown = {
            "main": str(r.total.main),
            "bonus_raw": str(r.total.bonus_raw),
            "bonus": str(r.total.bonus),
            "reserved": str(r.total.reserved),
            "by_group": {k: str(v) for k, v in r.total.by_group.items()},
            "self_total": str(r.self_total),
            "flagged": r.flagged,
            "scored": r.scored,
        }
        p.stage = Participant.Stage.FINAL
        p.save(update_fields=["final_total", "final_stars", "final_rank", "final_breakdown", "stage"])
    old = contest.status
    contest.status, contest.finalized_at, contest.finalized_by = Contest.Status.FINALIZED, now, by
    contest.save(update_fields=["status", "finalized_at", "finalized_by"])
    audit_record(
        actor=by,
        action="contest.finalize",
        obj=contest,
        now=now,
        changes={
            "status": [old, contest.status],
            "ranking": [f"{r.rank}. {r.participant.name}: {r.total.total} ({r.stars} sao)" for r in rows],
        },
    )
    return contest


@transaction.atomic
def award_add(
    *,
    contest: Contest,
    kind: str,
    recipient: str,
    title: str,
    reason: str,
    by,
    participant: Participant | None = None,
    recipient_unit: str = "",
    now: dt.datetime | None = None,
) -> Award:
    """An award (collective or individual) with its one-line reason; after finalizing, before the decision."""
    now = now_or(now)
    contest = (
        Contest.objects.select_for_update(of=("self",)).select_related("decision_document").get(pk=contest.pk)
    )
    require(by, "campaigns.manage_contest", contest, "Chỉ Ban Tổ chức đề nghị khen thưởng.")
    if contest.status != Contest.Status.FINALIZED:
        raise ValidationError("Khen thưởng sau khi Ban Giám khảo tổng kết điểm.")
    CONTEST.require(contest, "khen-thuong", by=by)
    reason = (reason or "").strip()
    if not reason or "\n" in reason or len(reason) > 200:
        raise ValidationError("Lý do khen thưởng là một dòng, không quá 200 ký tự.")
    award = Award(
        contest=contest,
        kind=kind,
        participant=participant,
        recipient=(recipient or (participant.name if participant else "")).strip()[:200],
        recipient_unit=recipient_unit.strip()[:200],
        title=title.strip()[:120],
        reason=reason,
        position=contest.awards.count() + 1,
        created_by=by,
        created_at=now,
    )
    award.full_clean()
    award.save()
    audit_record(
        actor=by, action="award.add", obj=contest, now=now, changes={"award": str(award), "reason": reason}
    )
    return award


@transaction.atomic
def judge_sheet_save(
    *,
    assignment: Assignment,
    entries: dict[int, dict],
    by,
    submit: bool = False,
    now: dt.datetime | None = None,
) -> dict[int, str]:
    """Save a judge's whole sheet at once: every entry or none. ``entries`` maps a criterion id to
    ``{"points", "count", "comment"}``; blank entries are skipped. Returns {criterion id: error} (nothing saved),
    ``{0: error}`` when the submission is refused, or {} on success."""

    def save_one(criterion, entry):
        judge_score_save(
            assignment=assignment,
            criterion=criterion,
            by=by,
            points=entry.get("points"),
            count=entry.get("count"),
            comment=entry.get("comment", ""),
            now=now,
        )

    criteria_set_id = assignment.participant.contest.criteria_set_id
    errors = sheet_save(criteria_set_id=criteria_set_id, entries=entries, save_one=save_one)
    if errors or not submit:
        return errors
    try:
        with transaction.atomic():
            judge_submit(assignment=assignment, by=by, now=now)
    except ValidationError as exc:
        transaction.set_rollback(True)
        return {0: exc.messages[0]}
    return {}


@transaction.atomic
def consensus_sheet_save(
    *, participant: Participant, entries: dict[int, str], by, now: dt.datetime | None = None
) -> dict[int, str]:
    """Record the panel's agreed scores for several criteria: all or nothing. Returns {criterion id: error}."""

    def save_one(criterion, entry):
        consensus_save(participant=participant, criterion=criterion, points=entry["points"], by=by, now=now)

    return sheet_save(
        criteria_set_id=participant.contest.criteria_set_id,
        entries={cid: {"points": points} for cid, points in entries.items()},
        save_one=save_one,
    )
