"""The contest's and the models' workflows (campaigns/workflow.py): registration and its deadline, closing
registration, the models' lifecycle, the results' publicity through the core, the documents' letterhead."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import Contest
from campaigns.selectors import letterhead_defaults
from campaigns.services import results_publications
from campaigns.workflow import CONTEST, DECISION_DRAFT_MESSAGE, INITIATIVE
from portal.models import AuditEvent, Deadline, Membership, Role
from portal.publicity.selectors import public_register
from tests.campaigns.factories import NOW, make_world
from tests.campaigns.test_services import finalized_world
from tests.factories import CommuneFactory, VillageFactory, make_user

pytestmark = pytest.mark.django_db


def _with_dues(world, **dues):
    Contest.objects.filter(pk=world.contest.pk).update(**dues)
    world.contest.refresh_from_db()
    return world.contest


# --- registration ---------------------------------------------------------------------------------------------------


def test_contest_create_opens_registration_and_results_deadlines_on_working_days():
    world = make_world(0)
    contest = services.contest_create(
        organizer_unit=world.district,
        organizer_name="Ban Thường vụ Huyện ủy",
        title="Cuộc thi có hạn đăng ký",
        theme="Chính quyền thân thiện",
        year=2024,
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 10, 30),
        criteria_set=world.contest.criteria_set,
        registration_due=dt.date(2024, 3, 16),  # a Saturday: due the next working day, Monday 18/3
        results_due=dt.date(2024, 11, 15),
        by=world.organizer,
        now=NOW,
    )
    dues = dict(
        Deadline.objects.filter(object_id=str(contest.pk), rule_code__startswith="contest.").values_list(
            "rule_code", "due_date"
        )
    )
    assert dues == {"contest.registration": dt.date(2024, 3, 18), "contest.results": dt.date(2024, 11, 15)}
    deadline = Deadline.objects.get(object_id=str(contest.pk), rule_code="contest.registration")
    assert deadline.assignee == world.organizer and deadline.unit == world.district


def test_registration_after_its_deadline_is_refused_with_the_date_and_changes_nothing():
    world = make_world(1)
    contest = _with_dues(world, registration_due=dt.date(2024, 6, 1))  # a Saturday → Monday 03/6 still open
    late = CommuneFactory(parent=world.district, name="Xã Muộn")
    services.participant_register(
        contest=contest, kind="commune", unit=late, name="Xã Muộn", by=world.organizer, now=NOW
    )
    later = CommuneFactory(parent=world.district, name="Xã Muộn Hơn")
    with pytest.raises(ValidationError, match=r"Đã hết hạn đăng ký dự thi \(hạn 03/06/2024\)"):
        services.participant_register(
            contest=contest,
            kind="commune",
            unit=later,
            name="Xã Muộn Hơn",
            by=world.organizer,
            now=NOW + dt.timedelta(days=1),
        )
    assert not contest.participants.filter(unit=later).exists()


def test_closing_registration_moves_to_judging_meets_its_deadline_and_refuses_new_participants():
    world = make_world(1)
    Deadline.objects.filter(rule_code="contest.registration").delete()
    contest = services.contest_create(
        organizer_unit=world.district,
        organizer_name="BTV",
        title="Cuộc thi 2",
        theme="Chủ đề",
        year=2024,
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 10, 30),
        criteria_set=world.contest.criteria_set,
        registration_due=dt.date(2024, 7, 1),
        by=world.organizer,
        now=NOW,
    )
    with pytest.raises(ValidationError, match="Chưa có đơn vị"):
        services.contest_close_registration(contest=contest, by=world.organizer, now=NOW)
    services.participant_register(
        contest=contest, kind="commune", unit=world.communes[0], name="Xã 1", by=world.organizer, now=NOW
    )
    with pytest.raises(PermissionDenied):
        services.contest_close_registration(contest=contest, by=world.judges[0], now=NOW)
    contest = services.contest_close_registration(contest=contest, by=world.organizer, now=NOW)
    assert contest.status == Contest.Status.JUDGING
    assert Deadline.objects.get(object_id=str(contest.pk), rule_code="contest.registration").status == "met"
    assert AuditEvent.objects.filter(action="contest.close_registration").exists()
    other = CommuneFactory(parent=world.district, name="Xã 9")
    with pytest.raises(ValidationError, match="Không thể đăng ký dự thi khi cuộc thi đang ở trạng thái"):
        services.participant_register(
            contest=contest, kind="commune", unit=other, name="Xã 9", by=world.organizer, now=NOW
        )


def test_contest_dates_outside_the_sane_range_are_refused():
    world = make_world(0)
    with pytest.raises(ValidationError, match="hạn đăng ký"):
        services.contest_create(
            organizer_unit=world.district,
            organizer_name="BTV",
            title="Cuộc thi gõ nhầm năm",
            theme="Chủ đề",
            year=2024,
            starts_on=dt.date(2024, 3, 1),
            ends_on=dt.date(2024, 10, 30),
            criteria_set=world.contest.criteria_set,
            registration_due=dt.date(1924, 3, 1),
            by=world.organizer,
            now=NOW,
        )
    assert Contest.objects.count() == 1


# --- models (mô hình) ---------------------------------------------------------------------------------------------------


def _initiative(world, started_on=dt.date(2024, 3, 1)):
    return services.initiative_register(
        participant=world.participants[0],
        name="Một cửa thân thiện",
        field="politics",
        lead="UBND xã",
        started_on=started_on,
        by=world.staff[0],
        now=NOW,
    )


def test_a_model_steps_are_the_workflows_with_vietnamese_refusals():
    world = make_world(1)
    staff, organizer = world.staff[0], world.organizer
    m = _initiative(world)
    assert [a.name for a in INITIATIVE.available(m, staff)] == ["thuc-hien"]
    assert (
        INITIATIVE.available(m, organizer) == []
    )  # the participant reports implementation, not the organizers
    with pytest.raises(
        ValidationError, match="Không thể đánh giá khi mô hình đang ở trạng thái “Đã đăng ký”"
    ):
        services.initiative_assess(initiative=m, by=organizer, now=NOW)
    m = services.initiative_implement(initiative=m, by=staff, note="Đã ra mắt", now=NOW)
    assert (m.status, m.status_note) == ("implemented", "Đã ra mắt")
    with pytest.raises(PermissionDenied):
        services.initiative_assess(initiative=m, by=staff, now=NOW)
    m = services.initiative_assess(initiative=m, by=organizer, now=NOW)
    m = services.initiative_recognize(initiative=m, by=organizer, now=NOW)
    m = services.initiative_replicate(initiative=m, by=organizer, now=NOW)
    assert m.status == "replicated"
    steps = AuditEvent.objects.filter(action="initiative.advance").order_by("id")
    assert [e.changes["status"][1] for e in steps] == ["implemented", "assessed", "recognized", "replicated"]


def test_a_model_not_yet_started_cannot_be_reported_implemented():
    world = make_world(1)
    m = _initiative(world, started_on=dt.date(2024, 7, 1))
    with pytest.raises(ValidationError, match="chưa đến ngày bắt đầu"):
        services.initiative_implement(initiative=m, by=world.staff[0], now=NOW)


def test_model_buttons_and_dispatch_on_the_participant_page(client):
    world = make_world(1)
    m = _initiative(world)
    p = world.participants[0]
    client.force_login(world.staff[0])
    page = client.get(reverse("campaigns:participant", args=[p.pk])).content.decode()
    assert "Báo cáo đã triển khai" in page and "Đánh giá" not in page
    client.post(reverse("campaigns:initiative_action", args=[m.pk, "danh-gia"]))  # not theirs: refused
    m.refresh_from_db()
    assert m.status == "registered"
    client.post(reverse("campaigns:initiative_action", args=[m.pk, "thuc-hien"]), {"note": "Ra mắt 3/2024"})
    m.refresh_from_db()
    assert (m.status, m.status_note) == ("implemented", "Ra mắt 3/2024")
    assert client.post(reverse("campaigns:initiative_action", args=[m.pk, "khong-co"])).status_code == 404


# --- results and their publicity ------------------------------------------------------------------------------------


def _awarded(world):
    services.award_add(
        contest=world.contest,
        kind="collective",
        recipient="",
        participant=world.participants[0],
        title="Giấy khen",
        reason="Dẫn đầu cuộc thi",
        by=world.organizer,
        now=NOW,
    )


def _decided(world):
    """The decision drafted, signed and issued through the contest page's service."""
    contest = world.contest
    services.contest_document(contest=contest, kind="decision", by=world.organizer, now=NOW)
    services.contest_letterhead_save(
        contest=contest,
        by=world.organizer,
        doc_organ="Huyện ủy Yên Thế",
        sig_position="Phó Bí thư",
        sig_signer="Nguyễn Văn Thái",
    )
    return services.contest_document_issue(contest=contest, kind="decision", by=world.organizer, now=NOW)


def test_publicizing_results_needs_awards_and_the_decision_then_reaches_every_commune_register():
    world = finalized_world()
    contest = Contest.objects.get(pk=world.contest.pk)
    assert [str(r) for r in CONTEST.unmet(contest, "cong-khai-ket-qua")] == [
        "Chưa có tập thể, cá nhân nào được đề nghị khen thưởng.",
        "Chưa lập Quyết định khen thưởng (văn bản) để công khai.",
    ]
    with pytest.raises(PermissionDenied):
        services.contest_results_publicize(contest=contest, by=world.judges[0], now=NOW)
    _awarded(world)
    draft = services.contest_document(contest=contest, kind="decision", by=world.organizer, now=NOW)
    contest = Contest.objects.get(pk=world.contest.pk)
    assert [str(r) for r in CONTEST.unmet(contest, "cong-khai-ket-qua")] == [DECISION_DRAFT_MESSAGE]
    with pytest.raises(ValidationError) as exc:
        services.contest_results_publicize(contest=contest, by=world.organizer, now=NOW)
    assert DECISION_DRAFT_MESSAGE in exc.value.messages
    assert not results_publications(contest)
    with pytest.raises(PermissionDenied):
        services.contest_document_issue(contest=contest, kind="decision", by=world.judges[0], now=NOW)
    decision = _decided(world)
    assert decision.pk == draft.pk and decision.status == "issued" and decision.number == 1
    assert AuditEvent.objects.filter(action="contest.document_decision_issue", actor=world.organizer).exists()
    contest = Contest.objects.get(pk=world.contest.pk)
    publications = services.contest_results_publicize(contest=contest, by=world.organizer, now=NOW)
    assert sorted(p.commune.name for p in publications) == ["Xã 1", "Xã 2", "Xã 3"]
    for commune in world.communes:
        groups = public_register(commune=commune, today=NOW.date())
        titles = [p.title for g in groups for p in g["current"]]
        assert titles == [f"Kết quả và Quyết định khen thưởng: {contest.title}"]
    first = next(p for p in publications if p.commune == world.communes[0])
    assert first.file and first.item == 14 and "1. Xã 1: 100" in first.summary
    contest.refresh_from_db()
    assert contest.results_publicized_by == world.organizer
    with pytest.raises(ValidationError, match="Kết quả đã được công khai"):
        services.contest_results_publicize(contest=contest, by=world.organizer, now=NOW)
    with pytest.raises(ValidationError, match="đã công khai; không thêm khen thưởng"):
        _awarded(world)
    assert AuditEvent.objects.filter(action="contest.publicize_results", actor=world.organizer).count() == 1


def test_publicizing_meets_the_results_deadline():
    world = finalized_world()
    contest = world.contest
    from portal.deadlines import deadline_open

    deadline_open(
        subject=contest,
        rule_code="contest.results",
        trigger_date=NOW.date(),
        due_date=dt.date(2024, 11, 15),
        unit=world.district,
        assignee=world.organizer,
    )
    _awarded(world)
    _decided(world)
    services.contest_results_publicize(contest=contest, by=world.organizer, now=NOW)
    assert Deadline.objects.get(object_id=str(contest.pk), rule_code="contest.results").status == "met"


def test_contest_page_publicizes_and_the_public_results_page_lists_the_communes(client):
    world = finalized_world()
    _awarded(world)
    services.contest_document(contest=world.contest, kind="decision", by=world.organizer, now=NOW)
    services.contest_letterhead_save(
        contest=world.contest,
        by=world.organizer,
        doc_organ="Huyện ủy Yên Thế",
        sig_position="Phó Bí thư",
        sig_signer="Nguyễn Văn Thái",
    )
    client.force_login(world.organizer)
    page = client.get(reverse("campaigns:contest", args=[world.contest.pk])).content.decode()
    assert "rồi ban hành Quyết định khen thưởng (mục Văn bản)" in page  # the next steps
    assert "Quyết định khen thưởng còn là dự thảo" in page  # the unmet condition
    client.post(reverse("campaigns:contest_action", args=[world.contest.pk, "cong-khai-ket-qua"]))
    assert not results_publications(world.contest)
    client.post(reverse("campaigns:document_issue", args=[world.contest.pk, "decision"]))
    page = client.get(reverse("campaigns:contest", args=[world.contest.pk])).content.decode()
    assert "Quyết định khen thưởng: đã ban hành, Số 01-QĐ/HU" in page
    assert "Công khai kết quả" in page and "Kết quả chưa được công khai" in page
    client.post(reverse("campaigns:contest_action", args=[world.contest.pk, "cong-khai-ket-qua"]))
    client.logout()
    page = client.get(reverse("campaigns:public_results", args=[world.contest.pk])).content.decode()
    assert page.count("Kết quả và Quyết định khen thưởng:") == 3 and f"{world.communes[1]}:" in page


# --- the documents' letterhead --------------------------------------------------------------------------------------


def test_letterhead_is_validated_capitalized_audited_and_only_for_organizers():
    world = make_world(1)
    with pytest.raises(ValidationError) as exc:
        services.contest_letterhead_save(
            contest=world.contest, by=world.organizer, doc_organ=" ", sig_position="Bí thư", sig_signer=""
        )
    assert set(exc.value.message_dict) == {"doc_organ", "sig_signer"}
    with pytest.raises(ValidationError):
        services.contest_letterhead_save(
            contest=world.contest,
            by=world.organizer,
            doc_organ="X" * 201,
            sig_position="BÍ THƯ",
            sig_signer="A",
        )
    with pytest.raises(PermissionDenied):
        services.contest_letterhead_save(
            contest=world.contest, by=world.judges[0], doc_organ="HU", sig_position="BÍ THƯ", sig_signer="A"
        )
    contest = services.contest_letterhead_save(
        contest=world.contest,
        by=world.organizer,
        doc_parent_organ="Đảng bộ tỉnh Bắc Giang",
        doc_organ="Huyện ủy  Yên Thế",
        doc_place="Yên Thế",
        sig_organ="Ban Thường vụ",
        sig_position="Phó Bí thư",
        sig_signer="Nguyễn Văn Thái",
    )
    assert (contest.doc_organ, contest.sig_organ, contest.sig_position, contest.sig_signer) == (
        "HUYỆN ỦY YÊN THẾ",
        "BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn Thái",
    )
    event = AuditEvent.objects.get(action="contest.letterhead")
    assert event.changes["sig_signer"] == ["", "Nguyễn Văn Thái"]
    plan = services.contest_document(contest=contest, kind="plan", by=world.organizer, now=NOW)
    assert (plan.organ, plan.sig_signer) == ("HUYỆN ỦY YÊN THẾ", "Nguyễn Văn Thái")


def test_letterhead_defaults_come_from_the_lookups(client):
    world = make_world(1)
    Membership.objects.filter(user=world.organizer).update(position="")  # no position: not a signer
    bi_thu = make_user(Role.OVERSEER, world.district, first_name="Trần Văn Bí")
    Membership.objects.filter(user=bi_thu).update(position="Bí thư Huyện ủy")
    defaults = letterhead_defaults(world.contest)
    assert defaults["doc_organ"] == "HUYỆN ỦY YÊN THẾ"
    assert (defaults["sig_signer"], defaults["sig_position"]) == ("Trần Văn Bí", "BÍ THƯ HUYỆN ỦY")
    commune = world.communes[0]
    chair = make_user(Role.LEADER, commune, first_name="Lê Chủ Tịch")
    Membership.objects.filter(user=chair).update(position="Chủ tịch UBND xã")
    world.contest.organizer_unit = commune
    assert letterhead_defaults(world.contest)["sig_signer"] == "Lê Chủ Tịch"
    world.contest.refresh_from_db()
    url = reverse("campaigns:letterhead", args=[world.contest.pk])
    client.force_login(world.judges[0])
    assert client.get(url).status_code == 404
    client.force_login(world.organizer)
    page = client.get(url).content.decode()
    assert "Trần Văn Bí" in page
    response = client.post(url, {"doc_organ": "Huyện ủy Yên Thế", "sig_position": "", "sig_signer": "A"})
    assert "Chức vụ người ký" in response.content.decode() and response.status_code == 200
    client.post(
        url,
        {
            "doc_parent_organ": "Đảng bộ tỉnh Bắc Giang",
            "doc_organ": "Huyện ủy Yên Thế",
            "sig_position": "Bí thư",
            "sig_signer": "Trần Văn Bí",
        },
    )
    world.contest.refresh_from_db()
    assert world.contest.sig_position == "BÍ THƯ"
    # What is saved is what the form shows next time (not the proposals).
    Membership.objects.filter(user=bi_thu).update(position="Phó Bí thư")
    form = client.get(url).context["form"]
    assert (form["doc_parent_organ"].value(), form["sig_position"].value()) == (
        "ĐẢNG BỘ TỈNH BẮC GIANG",
        "BÍ THƯ",
    )


def test_the_contest_form_takes_the_registration_and_results_dates_and_refuses_a_slip_of_the_year(client):
    world = make_world(0)
    client.force_login(world.organizer)
    data = {
        "organizer_unit": world.district.pk,
        "organizer_name": "Ban Thường vụ Huyện ủy",
        "title": "Cuộc thi có hạn",
        "theme": "Chính quyền thân thiện",
        "year": 2024,
        "starts_on": "01/03/2024",
        "ends_on": "30/10/2024",
        "criteria_set": world.contest.criteria_set.pk,
        "registration_due": "15/03/2024",
        "results_due": "20244-11-15",
    }
    response = client.post(reverse("campaigns:create"), data)
    assert response.status_code == 200 and not Contest.objects.filter(title="Cuộc thi có hạn").exists()
    data["results_due"] = "15/11/2024"
    client.post(reverse("campaigns:create"), data)
    contest = Contest.objects.get(title="Cuộc thi có hạn")
    assert (contest.registration_due, contest.results_due) == (dt.date(2024, 3, 15), dt.date(2024, 11, 15))
    assert set(
        Deadline.objects.filter(object_id=str(contest.pk), rule_code__startswith="contest.").values_list(
            "rule_code", flat=True
        )
    ) == {"contest.registration", "contest.results"}


def test_the_sweep_reminds_the_organizer_of_the_registration_deadline_once():
    from django.utils import timezone

    from portal.deadlines import deadline_sweep
    from portal.models import Notification

    world = make_world(0)
    contest = services.contest_create(
        organizer_unit=world.district,
        organizer_name="BTV",
        title="Cuộc thi nhắc hạn",
        theme="Chủ đề",
        year=2024,
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 10, 30),
        criteria_set=world.contest.criteria_set,
        registration_due=dt.date(2024, 6, 5),  # Wednesday: two days after NOW
        by=world.organizer,
        now=NOW,
    )
    on_the_day = timezone.make_aware(dt.datetime(2024, 6, 5, 7, 0))  # noqa: DTZ001 - made aware right here
    for _ in range(2):  # a rerun notifies nobody twice
        deadline_sweep(now=NOW)
        deadline_sweep(now=on_the_day)
    titles = list(Notification.objects.filter(recipient=world.organizer).values_list("title", flat=True))
    mine = [t for t in titles if contest.title in t]
    assert len(mine) == 2 and any(t.startswith("Hôm nay là hạn: Hết hạn đăng ký dự thi") for t in mine)


def test_conflict_of_interest_comes_from_the_lookups_roles_in_the_participants_commune_and_villages():
    from campaigns.services import conflict_reason

    world = make_world(1)
    p = world.participants[0]
    district_judge = world.judges[0]
    assert conflict_reason(district_judge, p) == ""
    village = VillageFactory(parent=world.communes[0], name="Thôn Đông")
    head = make_user(Role.VILLAGE_HEAD, village)
    role = Membership.objects.create(user=district_judge, unit=village, role=Role.VILLAGE_HEAD)
    assert "Thôn Đông" in conflict_reason(district_judge, p)
    role.active = False
    role.save(update_fields=["active"])
    assert conflict_reason(district_judge, p) == ""
    assert "Thôn Đông" in conflict_reason(head, p)


# --- registration reminders -----------------------------------------------------------------------------------------


def test_registration_reminders_reach_the_communes_not_yet_registered_once_each():
    from portal.deadlines import deadline_open, deadline_sweep
    from portal.models import Notification

    world = make_world(1)  # Xã 1 registered
    late = [CommuneFactory(parent=world.district, name=f"Xã chưa đăng ký {i}") for i in range(2)]
    staff = make_user(Role.STAFF, late[0], first_name="Cán bộ xã chưa đăng ký")
    leader = make_user(Role.LEADER, late[1], first_name="Chủ tịch xã chưa đăng ký")
    Membership.objects.create(user=staff, unit=late[1], role=Role.STAFF)  # in both communes: told once
    mttq = make_user(Role.MTTQ, late[0])  # not an office that registers
    registered = world.staff[0]
    outside = make_user(Role.STAFF, CommuneFactory(parent=world.province, name="Xã huyện khác"))
    deadline_open(
        subject=world.contest,
        rule_code="contest.registration",
        trigger_date=NOW.date(),
        due_date=dt.date(2024, 6, 5),
        unit=world.district,
        assignee=world.organizer,
        url=reverse("campaigns:contest", args=[world.contest.pk]),
    )
    for _ in range(2):  # a rerun tells nobody twice
        deadline_sweep(now=NOW)
    told = Notification.objects.filter(key__endswith=":reminder")
    assert sorted(told.values_list("recipient__first_name", flat=True)) == sorted(
        [world.organizer.first_name, staff.first_name, leader.first_name]
    )
    for user in (mttq, registered, outside):
        assert not Notification.objects.filter(recipient=user).exists()
    assert staff.has_perm("campaigns.view_contest", world.contest)  # the reminder's link opens
    assert not outside.has_perm("campaigns.view_contest", world.contest)
