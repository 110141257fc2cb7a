import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.audit import audit_for
from portal.models import Deadline
from portal.publicity import services
from portal.publicity.models import Form, Posting, Publication
from portal.publicity.selectors import compliance_matrix
from tests.factories import VillageFactory
from tests.publicity.factories import DECIDED, at, jpeg_upload, make_budget, pdf_upload

pytestmark = pytest.mark.django_db
K = Posting.Kind


@pytest.fixture
def inactive_village(commune):
    return VillageFactory(parent=commune, name="Thôn đã sáp nhập", active=False)


def test_budget_generates_a_posting_per_place_and_form_with_deadlines(
    settings, tmp_path, commune, village, other_village, inactive_village, staff
):
    settings.MEDIA_ROOT = str(tmp_path)
    pub = make_budget(commune, staff)
    assert pub.item == 2 and pub.ends_on == dt.date(2026, 4, 1)  # ≥ 30 consecutive days from 02/03
    kinds = sorted(
        (p.kind, p.village.name if p.village else "") for p in pub.postings.select_related("village")
    )
    assert kinds == sorted(
        [
            (K.PORTAL, ""),
            (K.OFFICE, ""),
            (K.RADIO, ""),
            (K.VILLAGE_HOUSE, "Đồng Tâm"),
            (K.VILLAGE_HOUSE, "Trung Đồng"),
            (K.VILLAGE_HEAD, "Đồng Tâm"),
            (K.VILLAGE_HEAD, "Trung Đồng"),
        ]
    )  # the inactive village gets none
    assert {p.due_on for p in pub.postings.all()} == {dt.date(2026, 3, 9)}  # 5 working days (Điều 12.3)
    portal = pub.postings.get(kind=K.PORTAL)
    assert portal.posted_on == DECIDED  # on the portal at once
    assert Deadline.objects.filter(rule_code="publicize.within", status="open").count() == 6
    assert pub.file.read().startswith(b"%PDF-")
    assert [e.action for e in audit_for(pub)] == ["publication.create"]


def test_villages_limit_the_village_postings_to_those_named(
    settings, tmp_path, commune, village, other_village, inactive_village, staff
):
    settings.MEDIA_ROOT = str(tmp_path)
    pub = make_budget(commune, staff, villages=[village])
    kinds = sorted(
        (p.kind, p.village.name if p.village else "") for p in pub.postings.select_related("village")
    )
    assert kinds == sorted(
        [
            (K.PORTAL, ""),
            (K.OFFICE, ""),
            (K.RADIO, ""),
            (K.VILLAGE_HOUSE, village.name),
            (K.VILLAGE_HEAD, village.name),
        ]
    )
    assert not Deadline.objects.filter(village=other_village).exists()
    assert audit_for(pub)[0].changes["villages"] == [village.name]
    elsewhere = VillageFactory(name="Thôn xã khác")
    for villages, message in (([elsewhere], "không thuộc xã này"), ([inactive_village], "đã giải thể")):
        with pytest.raises(ValidationError, match=message):
            make_budget(commune, staff, villages=villages, title="Một nội dung khác")


def test_required_forms_follow_article_13(commune, village, staff, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    assert services.required_forms(item=2) == [Form.PORTAL, Form.POSTING]
    assert services.required_forms(item=9) == [Form.PORTAL, Form.POSTING, Form.RADIO, Form.VILLAGE_HEAD]
    assert services.required_forms(item=14) == [Form.PORTAL]
    rules = make_budget(commune, staff, item=4, forms=(), title="Quy chế thực hiện dân chủ xã")
    assert rules.ends_on is None  # permanent (Điều 13.2)
    office = rules.postings.get(kind=K.OFFICE)
    assert office.min_rule_code == "publicize.permanent"
    assert not rules.postings.filter(kind=K.VILLAGE_HOUSE).exists()
    # Item 11 gets radio and village heads without being asked.
    consult = make_budget(commune, staff, item=11, forms=(), title="Kế hoạch lấy ý kiến")
    assert set(consult.postings.values_list("kind", flat=True)) == {
        K.PORTAL,
        K.OFFICE,
        K.VILLAGE_HOUSE,
        K.RADIO,
        K.VILLAGE_HEAD,
    }
    assert consult.postings.get(kind=K.RADIO).legal_basis == "Điều 13 khoản 3"


def test_bad_input_is_refused_and_creates_nothing(commune, staff, village_head, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    fake = pdf_upload()
    fake.file.write(b"")
    with pytest.raises(ValidationError) as exc:
        services.publication_create(
            commune=commune, title="  ", item=15, decided_on=dt.date(2030, 1, 1), by=staff, now=at(2026, 3, 2)
        )
    assert set(exc.value.message_dict) >= {"title", "item", "decided_on", "file"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = SimpleUploadedFile("du-toan.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF"):
        make_budget(commune, staff, file=html)
    settings.PORTAL_MAX_PUBLICATION_BYTES = 1024
    with pytest.raises(ValidationError, match="quá lớn"):
        make_budget(commune, staff, file=pdf_upload(size_pad=2048))
    with pytest.raises(PermissionDenied):
        make_budget(commune, village_head)
    assert not Publication.objects.exists() and not Posting.objects.exists()


def test_radio_two_days_refused_third_day_passes(
    settings, tmp_path, commune, village, staff, village_head, radio
):
    settings.MEDIA_ROOT = str(tmp_path)
    pub = make_budget(commune, staff, forms=(Form.POSTING, Form.RADIO))
    for p in pub.postings.exclude(kind__in=[K.RADIO, K.PORTAL]):
        who = village_head if p.village_id else staff
        services.posting_confirm(posting=p, by=who, posted_on=dt.date(2026, 3, 3), now=at(2026, 3, 3))
    on_air = pub.postings.get(kind=K.RADIO)
    for day in (3, 4):
        services.posting_log_broadcast(
            posting=on_air, by=radio, broadcast_on=dt.date(2026, 3, day), now=at(2026, 3, day, 18)
        )
    with pytest.raises(ValidationError) as exc:
        services.publication_mark_publicized(publication=pub, by=staff, now=at(2026, 3, 4, 19))
    assert "Điều 13 khoản 3" in " ".join(exc.value.messages) and "2 ngày" in " ".join(exc.value.messages)
    pub.refresh_from_db()
    assert pub.status == Publication.Status.ACTIVE
    with pytest.raises(ValidationError, match="đã được ghi"):
        services.posting_log_broadcast(
            posting=on_air, by=radio, broadcast_on=dt.date(2026, 3, 4), now=at(2026, 3, 4, 19)
        )
    services.posting_log_broadcast(
        posting=on_air, by=radio, broadcast_on=dt.date(2026, 3, 5), now=at(2026, 3, 5, 18)
    )
    pub = services.publication_mark_publicized(publication=pub, by=staff, now=at(2026, 3, 5, 19))
    assert pub.status == Publication.Status.PUBLICIZED and pub.publicized_on == dt.date(2026, 3, 3)


def test_unconfirmed_postings_block_publicized_naming_the_article(
    settings, tmp_path, commune, village, staff
):
    settings.MEDIA_ROOT = str(tmp_path)
    pub = make_budget(commune, staff, forms=())
    with pytest.raises(ValidationError) as exc:
        services.publication_mark_publicized(publication=pub, by=staff, now=at(2026, 3, 3))
    text = " ".join(exc.value.messages)
    assert "chưa được xác nhận" in text and "Điều 13 khoản 2" in text and "Đồng Tâm" in text


def test_village_head_confirms_only_their_village_and_staff_on_behalf_needs_reason_and_proof(
    settings, tmp_path, commune, village, other_village, staff, village_head
):
    settings.MEDIA_ROOT = str(tmp_path)
    pub = make_budget(commune, staff)
    mine = pub.postings.get(kind=K.VILLAGE_HOUSE, village=village)
    theirs = pub.postings.get(kind=K.VILLAGE_HOUSE, village=other_village)
    with pytest.raises(PermissionDenied):
        services.posting_confirm(posting=theirs, by=village_head, posted_on=DECIDED, now=at(2026, 3, 3))
    p = services.posting_confirm(
        posting=mine, by=village_head, posted_on=DECIDED, photo=jpeg_upload(), now=at(2026, 3, 3)
    )
    assert p.photo and not p.on_behalf and p.confirmed_by == village_head
    with pytest.raises(ValidationError) as exc:
        services.posting_confirm(posting=theirs, by=staff, posted_on=DECIDED, now=at(2026, 3, 3))
    assert set(exc.value.message_dict) == {"on_behalf_reason", "note"}
    p = services.posting_confirm(
        posting=theirs,
        by=staff,
        posted_on=DECIDED,
        note="Ảnh do Bí thư chi bộ gửi qua Zalo, lưu hồ sơ",
        on_behalf_reason="Thôn chưa có tài khoản Trưởng thôn",
        now=at(2026, 3, 3),
    )
    assert p.on_behalf and p.on_behalf_reason == "Thôn chưa có tài khoản Trưởng thôn"
    event = audit_for(p).get(action="posting.confirm")
    assert event.changes["on_behalf"] is True and event.note == "Thôn chưa có tài khoản Trưởng thôn"
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        services.posting_confirm(
            posting=mine, by=village_head, posted_on=dt.date(2026, 3, 9), now=at(2026, 3, 3)
        )


def test_early_take_down_needs_a_reason_and_blocks_publicized(settings, tmp_path, commune, staff):
    settings.MEDIA_ROOT = str(tmp_path)
    pub = make_budget(commune, staff, forms=())
    office = pub.postings.get(kind=K.OFFICE)
    services.posting_confirm(posting=office, by=staff, posted_on=dt.date(2026, 3, 3), now=at(2026, 3, 3))
    with pytest.raises(ValidationError, match="lý do"):
        services.posting_take_down(
            posting=office, by=staff, removed_on=dt.date(2026, 3, 10), now=at(2026, 3, 10)
        )
    services.posting_take_down(
        posting=office,
        by=staff,
        removed_on=dt.date(2026, 3, 10),
        reason="Bảng tin hỏng do mưa bão",
        now=at(2026, 3, 10),
    )
    problems = services.publication_problems(pub, today=dt.date(2026, 3, 11))
    assert any("gỡ ngày 10/03/2026" in p and "Điều 13 khoản 2" in p for p in problems)
    m = compliance_matrix(publications=[pub], today=dt.date(2026, 3, 11))[pub.pk]
    office_info = next(r for r in m["commune_rows"] if r["posting"].kind == K.OFFICE)
    assert office_info["removed_early"] and office_info["keep_until"] == dt.date(2026, 4, 2)


def test_withdraw_waives_deadlines_and_keeps_the_row(settings, tmp_path, commune, village, staff):
    settings.MEDIA_ROOT = str(tmp_path)
    pub = make_budget(commune, staff)
    with pytest.raises(ValidationError):
        services.publication_withdraw(publication=pub, by=staff, reason=" ")
    services.publication_withdraw(publication=pub, by=staff, reason="Đăng nhầm tệp", now=at(2026, 3, 3))
    assert Deadline.objects.filter(status="open").count() == 0
    assert Publication.objects.get(pk=pub.pk).status == Publication.Status.WITHDRAWN


def test_subject_publication_is_idempotent_per_phase(commune, village, staff):
    subject = village  # any model instance may be the subject
    a = services.publication_create(
        commune=commune,
        title="Thông báo",
        item=14,
        decided_on=DECIDED,
        subject=subject,
        phase="notice",
        by=staff,
        now=at(2026, 3, 2),
    )
    b = services.publication_create(
        commune=commune,
        title="Thông báo",
        item=14,
        decided_on=DECIDED,
        subject=subject,
        phase="notice",
        by=staff,
        now=at(2026, 3, 2),
    )
    c = services.publication_create(
        commune=commune,
        title="Kết quả",
        item=14,
        decided_on=DECIDED,
        subject=subject,
        phase="result",
        by=staff,
        now=at(2026, 3, 2),
    )
    assert a.pk == b.pk != c.pk
    assert a.subject == village


def test_compliance_matrix_query_count_is_constant(
    settings, tmp_path, commune, staff, radio, django_assert_num_queries
):
    settings.MEDIA_ROOT = str(tmp_path)
    for i in range(2):
        VillageFactory(parent=commune, name=f"Thôn {i}")
    small = make_budget(commune, staff)
    for i in range(20):
        VillageFactory(parent=commune, name=f"Thôn thêm {i}")
    big = make_budget(commune, staff, title="Quyết toán")
    on_air = big.postings.get(kind=K.RADIO)
    for day in (3, 4, 5):
        services.posting_log_broadcast(
            posting=on_air, by=radio, broadcast_on=dt.date(2026, 3, day), now=at(2026, 3, 6)
        )
    with django_assert_num_queries(2):
        m = compliance_matrix(publications=[small], today=dt.date(2026, 3, 6))
    with django_assert_num_queries(2):
        m = compliance_matrix(publications=[small, big], today=dt.date(2026, 3, 6))
    assert len(m[big.pk]["village_rows"]) == 22 and len(m[small.pk]["village_rows"]) == 2
    radio_row = next(r for r in m[big.pk]["commune_rows"] if r["posting"].kind == K.RADIO)
    assert radio_row["run"] == 3 and radio_row["duration_ok"]
