"""Contest services: conflict of interest, self-assessment and evidence, the comment rule, hidden scores, the review
chain, finalize and the lock, live metrics, documents."""

import datetime as dt
from decimal import Decimal as D  # noqa: N817 - short for points

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns import selectors, services
from campaigns.models import Criterion, JudgeScore, Participant
from campaigns.services._common import LOCKED_MESSAGE
from portal.models import AuditEvent, Deadline, Membership, Role
from tests.campaigns.factories import NOW, fill_self, make_world
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def leaves(world):
    return selectors.set_tree(world.contest.criteria_set).leaves()


def score_all(world, participant, judge, *, points_of=lambda c: c.max_points, submit=True):
    a = services.judge_assign(participant=participant, judge=judge, by=world.organizer, now=NOW)
    for c in leaves(world):
        kwargs = {"count": int(points_of(c))} if c.scoring == "count" else {"points": points_of(c)}
        services.judge_score_save(
            assignment=a, criterion=c, by=judge, comment="Kiểm tra thực tế", now=NOW, **kwargs
        )
    if submit:
        services.judge_submit(assignment=a, by=judge, now=NOW)
    return a


def self_submitted(world, i=0):
    p = world.participants[i]
    fill_self(p, world.staff[0] if i == 0 else None)
    return services.self_assessment_submit(participant=p, by=None, now=NOW)


def test_a_judge_holding_a_role_in_the_commune_is_excluded_automatically():
    world = make_world()
    judge = world.judges[0]
    Membership.objects.create(user=judge, unit=world.communes[0], role=Role.JUDGE)
    a = services.judge_assign(participant=world.participants[0], judge=judge, by=world.organizer, now=NOW)
    b = services.judge_assign(participant=world.participants[1], judge=judge, by=world.organizer, now=NOW)
    assert a.excluded and "Xã 1" in a.exclusion_reason
    assert not b.excluded
    assert not judge.has_perm("campaigns.judge_participant", world.participants[0])
    with pytest.raises(PermissionDenied):
        services.judge_score_save(assignment=a, criterion=leaves(world)[0], points=1, by=judge, now=NOW)


def test_only_a_member_of_the_judging_panel_can_be_assigned():
    world = make_world()
    p = world.participants[0]
    outsider = make_user(Role.STAFF, world.communes[1], first_name="Người ngoài")
    commune_judge = make_user(Role.JUDGE, world.communes[1], first_name="Giám khảo xã")
    for person in (outsider, commune_judge, world.organizer):
        with pytest.raises(ValidationError) as exc:
            services.judge_assign(participant=p, judge=person, by=world.organizer, now=NOW)
        assert "không thuộc Ban Giám khảo của cuộc thi" in exc.value.messages[0]
    assert not p.assignments.exists()
    assert not world.contest.members.filter(role="judge").exists()
    # A panel member named on the contest (not holding the judge role above) may be assigned.
    services.member_add(contest=world.contest, user=outsider, role="judge", by=world.organizer, now=NOW)
    assert services.judge_assign(participant=p, judge=outsider, by=world.organizer, now=NOW).judge == outsider
    assert set(selectors.panel_judges(world.contest)) == {outsider, *world.judges}


def test_declared_conflict_excludes_and_removes_the_scores_from_the_result():
    world = make_world()
    p = self_submitted(world)
    a = score_all(world, p, world.judges[0], points_of=lambda c: D(0))
    score_all(world, p, world.judges[1])
    services.conflict_declare(assignment=a, reason="Người thân công tác tại xã", by=world.judges[0], now=NOW)
    row = next(r for r in selectors.contest_results(world.contest) if r.participant == p)
    assert row.judges_total == 1 and row.total.total == D(100)


def test_self_score_checks_the_scoring_kind_and_submit_needs_every_criterion():
    world = make_world()
    p, staff = world.participants[0], world.staff[0]
    yes_no = Criterion.objects.get(criteria_set=world.contest.criteria_set, code="1.1")
    with pytest.raises(ValidationError, match="chỉ chấm 0"):
        services.self_score_save(participant=p, criterion=yes_no, points="3", by=staff, now=NOW)
    services.self_score_save(participant=p, criterion=yes_no, points="5", by=staff, now=NOW)
    with pytest.raises(ValidationError, match="Chưa tự chấm các tiêu chí: 1.2"):
        services.self_assessment_submit(participant=p, by=staff, now=NOW)
    fill_self(p, staff)
    services.self_assessment_submit(participant=p, by=staff, now=NOW)
    p.refresh_from_db()
    assert p.stage == Participant.Stage.REVIEW
    assert Deadline.objects.get(rule_code="contest.self_assessment", object_id=str(p.pk)).status == "met"
    with pytest.raises(ValidationError, match="đã nộp"):
        services.self_score_save(participant=p, criterion=yes_no, points="0", by=staff, now=NOW)


def test_another_communes_staff_cannot_self_assess():
    world = make_world()
    with pytest.raises(PermissionDenied):
        services.self_score_save(
            participant=world.participants[1],
            criterion=leaves(world)[0],
            points="5",
            by=world.staff[0],
            now=NOW,
        )


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("bien-ban.pdf", b"%PDF-1.7 minh chung", True),
        ("anh.png", "png", True),
        ("gia-pdf.pdf", b"MZ\x90 not a pdf", False),  # the name says PDF, the content does not
        ("macro.docm", b"PK\x03\x04 zip", False),
    ],
)
def test_evidence_files_are_checked_by_content(name, content, ok, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    world = make_world(1)
    if content == "png":
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (20, 10), "red").save(buffer, "PNG")
        content = buffer.getvalue()
    upload = SimpleUploadedFile(name, content)
    call = lambda: services.evidence_add_file(  # noqa: E731
        participant=world.participants[0],
        criterion=leaves(world)[0],
        upload=upload,
        title="",
        by=None,
        now=NOW,
    )
    if ok:
        evidence = call()
        assert evidence.size > 0 and evidence.file.name.endswith(name.rsplit(".", 1)[1])
    else:
        with pytest.raises(ValidationError, match="không đúng loại"):
            call()


def test_evidence_size_is_capped(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    world = make_world(1)
    big = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (services.contests.MAX_EVIDENCE_BYTES))
    with pytest.raises(ValidationError, match="10 MB"):
        services.evidence_add_file(
            participant=world.participants[0],
            criterion=leaves(world)[0],
            upload=big,
            title="",
            by=None,
            now=NOW,
        )


def test_live_metric_evidence_snapshots_records_and_suggests_a_score():
    from django.contrib.contenttypes.models import ContentType

    from portal.deadlines import deadline_meet, deadline_open

    world = make_world(1)
    commune, p = world.communes[0], world.participants[0]
    # one deadline met on time, one missed; the participant's own self-assessment deadline (due 30/8/2024, past
    # today) is open and overdue: 1 of 3 on time
    deadline_open(
        subject=world.contest,
        rule_code="assigned",
        trigger_date=dt.date(2024, 3, 1),
        commune=commune,
        due_date=dt.date(2024, 7, 1),
        title="Việc đúng hạn",
    )
    deadline_meet(subject=world.contest, rule_code="assigned", now=NOW)
    deadline_open(
        subject=world.district,
        rule_code="assigned",
        trigger_date=dt.date(2024, 3, 1),
        commune=commune,
        due_date=dt.date(2024, 5, 1),
        title="Việc trễ hạn",
    )
    Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(world.district), rule_code="assigned"
    ).update(status="missed")
    criterion = Criterion.objects.get(
        criteria_set=world.contest.criteria_set, code="2.1"
    )  # 25 points, step 0.5
    fill_self(p, None)
    e = services.evidence_add_metric(participant=p, criterion=criterion, by=None, now=NOW)
    snap = e.metric_snapshot
    assert (snap["numerator"], snap["denominator"], snap["value"]) == (1, 3, "33.3")
    assert snap["suggested"] == "8.00"  # 25 × 33.3 % = 8.325, rounded down to the step
    assert [r["ok"] for r in snap["records"]] == [False, True, False]
    assert "Việc đúng hạn" in snap["records"][1]["label"]
    assert p.self_scores.get(criterion=criterion).suggested_points == D(8)


def test_a_criterion_without_metric_refuses_live_evidence():
    world = make_world(1)
    c = Criterion.objects.get(criteria_set=world.contest.criteria_set, code="3")
    with pytest.raises(ValidationError, match="không gắn với số liệu"):
        services.evidence_add_metric(participant=world.participants[0], criterion=c, by=None, now=NOW)


def test_departing_from_the_self_score_needs_a_comment_and_changes_nothing_without_one():
    world = make_world(1)
    p = self_submitted(world)
    judge = world.judges[0]
    a = services.judge_assign(participant=p, judge=judge, by=world.organizer, now=NOW)
    c = Criterion.objects.get(
        criteria_set=world.contest.criteria_set, code="2.1"
    )  # self-score 25, allowance 2
    with pytest.raises(ValidationError) as exc:
        services.judge_score_save(assignment=a, criterion=c, points="20", by=judge, now=NOW)
    assert exc.value.messages == [
        "Tiêu chí 2.1: điểm chấm chênh với điểm tự chấm (25) quá 2 điểm — phải ghi nhận xét nêu lý do."
    ]
    assert not JudgeScore.objects.exists()
    services.judge_score_save(
        assignment=a, criterion=c, points="23", by=judge, now=NOW
    )  # within the allowance
    services.judge_score_save(
        assignment=a, criterion=c, points="20", comment="Hồ sơ thiếu 2 tháng", by=judge, now=NOW
    )
    assert JudgeScore.objects.get().points == D(20)
    assert AuditEvent.objects.filter(action="judgescore.save").count() == 2


def test_sheet_save_is_all_or_nothing():
    world = make_world(1)
    p = self_submitted(world)
    judge = world.judges[0]
    a = services.judge_assign(participant=p, judge=judge, by=world.organizer, now=NOW)
    cs = {c.code: c for c in leaves(world)}
    errors = services.judge_sheet_save(
        assignment=a,
        entries={cs["1.1"].pk: {"points": "5"}, cs["2.1"].pk: {"points": "10", "comment": ""}},
        by=judge,
        now=NOW,
    )
    assert list(errors) == [cs["2.1"].pk] and not JudgeScore.objects.exists()


def test_scores_stay_hidden_from_other_judges_until_each_has_submitted():
    world = make_world(1)
    p = self_submitted(world)
    a, b = world.judges
    score_all(world, p, a)
    score_all(world, p, b, submit=False)
    sheet = selectors.participant_sheet(p, a)
    assert not sheet["show_others"] and all(not line.others for line in sheet["lines"])
    services.judge_submit(assignment=p.assignments.get(judge=b), by=b, now=NOW)
    sheet = selectors.participant_sheet(p, a)
    assert sheet["show_others"] and any(line.others for line in sheet["lines"])


def test_spread_above_the_threshold_is_flagged():
    world = make_world(1)
    p = self_submitted(world)
    score_all(world, p, world.judges[0])
    score_all(world, p, world.judges[1], points_of=lambda c: D(10) if c.code == "2.1" else c.max_points)
    row = selectors.contest_results(world.contest)[0]
    assert row.flagged == ["2.1"]  # 25 vs 10, threshold 4
    assert row.total.total == D("92.5")  # median of two = mean of two: (25 + 10) / 2 = 17.5


def to_second_round(world):
    """One judge scores 20 on criterion 2.1 (the maximum elsewhere) and submits; the review closes, the commune
    explains 2.1: the participant is in round 2. Returns (participant, the judge's assignment, criterion 2.1)."""
    p = self_submitted(world)
    a = score_all(world, p, world.judges[0], points_of=lambda c: D(20) if c.code == "2.1" else c.max_points)
    services.review_close(participant=p, by=world.organizer, now=NOW)
    c = Criterion.objects.get(criteria_set=world.contest.criteria_set, code="2.1")
    services.explanation_save(
        participant=p, criterion=c, text="Bổ sung sổ theo dõi", by=world.staff[0], now=NOW
    )
    services.explanation_submit(participant=p, by=world.staff[0], now=NOW)
    p.refresh_from_db()
    return p, a, c


def test_review_chain_second_round_replaces_first_round_scores():
    world = make_world(1)
    judge = world.judges[0]
    p, a, c = to_second_round(world)
    assert p.stage == Participant.Stage.SECOND_REVIEW
    services.judge_score_save(assignment=a, criterion=c, points="24", by=judge, now=NOW)
    assert selectors.contest_results(world.contest)[0].total.total == D(
        95
    )  # round 2 not submitted: round 1 counts
    services.judge_submit(assignment=a, by=judge, now=NOW)
    assert selectors.contest_results(world.contest)[0].total.total == D(99)


def finalized_world():
    world = make_world(3)
    for i, p in enumerate(world.participants):
        fill_self(
            p, None, points_of=lambda c, i=i: c.max_points if i == 0 else D(0) if c.scoring != "count" else 0
        )
        services.self_assessment_submit(participant=p, by=None, now=NOW)
        for judge in world.judges:
            score_all(world, p, judge, points_of=lambda c, i=i: c.max_points if i < 2 else D(0))
    services.contest_finalize(contest=world.contest, by=world.organizer, now=NOW)
    return world


def test_finalize_ranks_stars_and_locks_every_score():
    world = finalized_world()
    p1, p2, p3 = (Participant.objects.get(pk=p.pk) for p in world.participants)
    assert (p1.final_total, p1.final_stars, p1.final_rank) == (D(100), 4, 1)
    assert (p2.final_total, p2.final_rank) == (D(100), 1)  # a tie shares the rank
    assert (p3.final_total, p3.final_stars, p3.final_rank) == (D(0), 0, 3)
    c = leaves(world)[0]
    judge = world.judges[0]
    a = p1.assignments.get(judge=judge)
    attempts = [
        lambda: services.judge_score_save(assignment=a, criterion=c, points=0, comment="x", by=judge),
        lambda: services.judge_submit(assignment=a, by=judge),
        lambda: services.self_score_save(participant=p1, criterion=c, points=0, by=None),
        lambda: services.upper_score_save(participant=p1, points=1, comment="x", by=world.organizer),
        lambda: services.conflict_declare(assignment=a, reason="x", by=judge),
        lambda: services.review_close(participant=p1, by=world.organizer),
        lambda: services.contest_finalize(contest=world.contest, by=world.organizer),
        lambda: services.judge_assign(participant=p1, judge=world.organizer, by=world.organizer),
    ]
    before = list(JudgeScore.objects.order_by("pk").values_list("points", flat=True))
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.messages == [LOCKED_MESSAGE]
    assert list(JudgeScore.objects.order_by("pk").values_list("points", flat=True)) == before
    assert AuditEvent.objects.filter(action="contest.finalize").count() == 1


def test_finalize_refuses_while_a_judge_has_not_submitted():
    world = make_world(1)
    p = self_submitted(world)
    score_all(world, p, world.judges[0], submit=False)
    with pytest.raises(ValidationError, match="Chưa đủ phiếu chấm"):
        services.contest_finalize(contest=world.contest, by=world.organizer, now=NOW)


def test_awards_and_documents_through_the_engine():
    world = finalized_world()
    services.award_add(
        contest=world.contest,
        kind="collective",
        participant=world.participants[0],
        recipient="",
        title="Giấy khen",
        reason="Dẫn đầu cuộc thi, đạt 100 điểm",
        by=world.organizer,
        now=NOW,
    )
    with pytest.raises(ValidationError, match="một dòng"):
        services.award_add(
            contest=world.contest,
            kind="individual",
            recipient="Nguyễn Văn A",
            title="Giấy khen",
            reason="dòng 1\ndòng 2",
            by=world.organizer,
            now=NOW,
        )
    decision = services.contest_document(contest=world.contest, kind="decision", by=world.organizer, now=NOW)
    report = services.contest_document(contest=world.contest, kind="report", by=world.organizer, now=NOW)
    assert decision.doc_type == "QĐ" and decision.layout == "party"
    assert "Dẫn đầu cuộc thi" in str(list(decision.sections.values_list("text", flat=True)))
    assert report.doc_type == "BC"
    from portal.documents.rendering import render_pdf

    assert render_pdf(decision).startswith(b"%PDF")


def test_upper_level_reserved_share_counts_and_is_capped():
    from tests.campaigns.test_import import yaml_examples

    world = make_world(1)
    cset = services.criteria_set_import(
        name="90-10.yaml", content=yaml_examples()[1].encode(), owner_unit=world.district, by=None
    )
    world.contest.criteria_set = cset
    world.contest.save(update_fields=["criteria_set"])
    p = world.participants[0]
    with pytest.raises(ValidationError, match="từ 0 đến 10"):
        services.upper_score_save(participant=p, points="12", comment="Tốt", by=world.organizer, now=NOW)
    services.upper_score_save(
        participant=p, points="7", comment="Còn để đơn thư quá hạn", by=world.organizer, now=NOW
    )
    row = selectors.contest_results(world.contest)[0]
    assert row.total.reserved == D(7)


def test_initiative_lifecycle_who_moves_it():
    world = make_world(1)
    p, staff = world.participants[0], world.staff[0]
    m = services.initiative_register(
        participant=p,
        name="Tổ Dân vận cộng đồng thôn",
        field="politics",
        lead="MTTQ xã",
        started_on=dt.date(2024, 3, 1),
        by=staff,
        now=NOW,
    )
    m = services.initiative_advance(initiative=m, by=staff, now=NOW)
    assert m.status == "implemented"
    with pytest.raises(PermissionDenied):
        services.initiative_advance(initiative=m, by=staff, now=NOW)  # assessing is the organizers'
    for expected in ("assessed", "recognized", "replicated"):
        m = services.initiative_advance(initiative=m, by=world.organizer, now=NOW)
        assert m.status == expected
    with pytest.raises(ValidationError, match="bước cuối"):
        services.initiative_advance(initiative=m, by=world.organizer, now=NOW)


def test_plan_document_is_a_party_plan_with_the_contest_facts():
    world = make_world(2)
    plan = services.contest_document(contest=world.contest, kind="plan", by=world.organizer, now=NOW)
    assert (plan.doc_type, plan.layout) == ("KH", "party")
    text = " ".join(plan.sections.values_list("text", flat=True))
    assert "95 điểm theo bộ tiêu chí và 5 điểm thưởng" in text and "3 sao: từ 80 điểm" in text
    assert list(plan.tasks.values_list("lead", flat=True))[1:] == ["Các đơn vị dự thi", "Ban Giám khảo"]
    with pytest.raises(ValidationError, match="sau khi Ban Giám khảo tổng kết"):
        services.contest_document(contest=world.contest, kind="decision", by=world.organizer, now=NOW)
    with pytest.raises(PermissionDenied):
        services.contest_document(contest=world.contest, kind="plan", by=world.judges[0], now=NOW)


def test_consensus_rule_takes_the_panels_agreed_score_not_any_judges():
    from tests.campaigns.test_import import yaml_examples

    world = make_world(1)
    cset = services.criteria_set_import(
        name="90-10.yaml", content=yaml_examples()[1].encode(), owner_unit=world.district, by=None
    )
    world.contest.criteria_set = cset
    world.contest.save(update_fields=["criteria_set"])
    p = self_submitted(world)
    score_all(world, p, world.judges[0], points_of=lambda c: c.max_points)
    score_all(world, p, world.judges[1], points_of=lambda c: c.max_points - 10)
    services.upper_score_save(participant=p, points="8", comment="Tốt", by=world.organizer, now=NOW)
    with pytest.raises(ValidationError, match="chưa có điểm cuối"):
        services.contest_finalize(contest=world.contest, by=world.organizer, now=NOW)
    for c in leaves(world):
        services.consensus_save(
            participant=p, criterion=c, points=c.max_points - 4, by=world.organizer, now=NOW
        )
    services.contest_finalize(contest=world.contest, by=world.organizer, now=NOW)
    p.refresh_from_db()
    assert p.final_total == D(90 - 8 + 8)  # (40 - 4) + (50 - 4) + upper 8
    assert p.final_stars == 2


def test_judging_deadline_belongs_to_the_organizer_unit_not_to_the_judged_commune():
    world = make_world(1)
    p = self_submitted(world)
    a = services.judge_assign(participant=p, judge=world.judges[0], by=world.organizer, now=NOW)
    deadline = Deadline.objects.get(rule_code="contest.judging", object_id=str(a.pk))
    assert deadline.unit == world.district and deadline.assignee == world.judges[0]
    assert deadline.commune_id != world.communes[0].pk
