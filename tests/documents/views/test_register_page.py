"""The register page (sổ văn bản đi): one book per issuer, group and year, gaps visible, constant queries; an
administrator's correction of a book is audited."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.documents.models import NumberRegister
from portal.documents.services import (
    document_create_from_spec,
    document_issue,
    document_register_issued,
    register_correct,
)
from portal.models import AuditEvent
from tests.documents.factories import minimal_spec
from tests.factories import make_user

NOW = dt.datetime(2024, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _book(commune, orgs, numbers):
    for n in numbers:
        doc = document_create_from_spec(
            spec=minimal_spec(title=f"Kế hoạch {n}"), issuer=orgs["UBND"], by=None, commune=commune
        )
        document_register_issued(document=doc, number=n, issued_on=dt.date(2024, 2, 6), by=None, now=NOW)


def _get(client, orgs):
    url = reverse("documents:register") + f"?co-quan={orgs['UBND'].pk}&so=HC&nam=2024"
    client.get(url)  # the steady state (portal/principal.py)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx.captured_queries)


@pytest.mark.django_db
def test_register_page_shows_every_number_and_the_gaps_in_constant_queries(client, commune, orgs, staff):
    _book(commune, orgs, [2, 5])
    client.force_login(staff)
    response, queries = _get(client, orgs)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kế hoạch 2" in html and "Kế hoạch 5" in html and "Vào sổ sau (văn bản giấy)" in html
    assert html.count("Số trống: chưa có văn bản trong sổ") == 3  # 1, 3, 4
    assert "3 số chưa có văn bản trong sổ" in html
    _book(commune, orgs, range(6, 26))
    response, more = _get(client, orgs)
    assert response.content.decode().count("Kế hoạch ") >= 22 and more == queries


@pytest.mark.django_db
def test_another_communes_staff_cannot_read_the_book(client, commune, orgs, other_staff):
    _book(commune, orgs, [1])
    client.force_login(other_staff)
    assert _get(client, orgs)[0].status_code == 404


@pytest.mark.django_db
def test_admin_correction_of_a_book_is_audited_and_never_below_the_highest_number(commune, orgs):
    _book(commune, orgs, [7])
    admin = make_user(None, None, username="quantri", is_superuser=True, is_staff=True)
    register = NumberRegister.objects.get(issuer=orgs["UBND"], group="HC", year=2024)
    with pytest.raises(ValidationError, match=r"không được nhỏ hơn số lớn nhất đã vào sổ \(07\)"):
        register_correct(register=register, last_number=5, by=admin, reason="Nhập nhầm", now=NOW)
    register_correct(register=register, last_number=12, by=admin, reason="Số 08–12 đã cấp trên giấy", now=NOW)
    event = AuditEvent.objects.get(action="document.register_correct")
    assert event.actor == admin and event.changes["last_number"] == [7, 12]
    doc = document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=None, commune=commune)
    assert document_issue(document=doc, by=None, now=NOW).number == 13


@pytest.mark.django_db
def test_the_admin_change_form_corrects_through_the_audited_service(client, commune, orgs):
    _book(commune, orgs, [3])
    admin = make_user(None, None, username="quantri", is_superuser=True, is_staff=True)
    register = NumberRegister.objects.get(issuer=orgs["UBND"], group="HC", year=2024)
    client.force_login(admin)
    url = reverse("admin:documents_numberregister_change", args=[register.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"last_number": 9, "reason": "Số 04–09 đã cấp trên giấy"})
    assert response.status_code == 302
    register.refresh_from_db()
    assert register.last_number == 9
    assert (
        AuditEvent.objects.get(action="document.register_correct").changes["reason"]
        == "Số 04–09 đã cấp trên giấy"
    )


@pytest.mark.django_db
def test_a_leader_reserves_a_number_skipped_by_the_numbering_and_used_later(
    client, commune, orgs, staff, leader
):
    from portal.documents.models import ReservedNumber

    _book(commune, orgs, [1, 2])
    client.force_login(staff)  # staff read the book but do not hold numbers back
    url = reverse("documents:register_reserve")
    post = {"co-quan": orgs["UBND"].pk, "so": "HC", "nam": 2024, "reason": "Quyết định ký tay chiều nay"}
    assert client.post(url, post).status_code == 403
    client.force_login(leader)
    client.post(url, post)  # the next number: 03
    client.post(url, {**post, "number": 5, "reason": "Giữ cho báo cáo năm"})
    client.post(url, {**post, "number": 2, "reason": "Đã có văn bản"})  # refused: 02 is in the book
    assert sorted(ReservedNumber.objects.values_list("number", flat=True)) == [3, 5]
    event = AuditEvent.objects.filter(action="document.register_reserve").order_by("pk").first()
    assert event.actor == leader and event.changes["reason"] == "Quyết định ký tay chiều nay"
    response, queries = _get(client, orgs)
    html = response.content.decode()
    assert html.count("<td>Giữ số</td>") == 2 and "Giữ cho báo cáo năm" in html and "2 số đang giữ" in html
    assert html.count("Số trống: chưa có văn bản trong sổ") == 1  # 04 only

    def draft(title):
        return document_create_from_spec(
            spec=minimal_spec(title=title), issuer=orgs["UBND"], by=None, commune=commune
        )

    assert document_issue(document=draft("Tự động"), by=leader, now=NOW).number == 6  # 03 and 05 are skipped
    used = document_issue(document=draft("Dùng số giữ"), by=leader, now=NOW, reserved_number=3)
    assert used.number == 3 and ReservedNumber.objects.get(number=3).used_by == used
    with pytest.raises(ValidationError, match="không phải số đang được giữ"):
        document_issue(document=draft("Số không giữ"), by=leader, now=NOW, reserved_number=4)
    paper = document_register_issued(
        document=draft("Trên giấy"), number=5, issued_on=dt.date(2024, 3, 1), by=leader, now=NOW
    )
    assert ReservedNumber.objects.get(number=5).used_by == paper
    html = _get(client, orgs)[0].content.decode()
    assert "<td>Giữ số</td>" not in html and "Dùng số giữ" in html and "Trên giấy" in html


@pytest.mark.django_db
def test_reserving_needs_a_reason_and_another_communes_leader_is_refused(
    commune, orgs, leader, other_commune
):
    from django.core.exceptions import PermissionDenied

    from portal.documents.models import ReservedNumber
    from portal.documents.services import register_reserve
    from portal.models import Role

    with pytest.raises(ValidationError, match="lý do"):
        register_reserve(issuer=orgs["UBND"], group="HC", year=2024, by=leader, reason="  ", now=NOW)
    other_leader = make_user(Role.LEADER, other_commune, username="chutich_xakhac")
    with pytest.raises(PermissionDenied):
        register_reserve(issuer=orgs["UBND"], group="HC", year=2024, by=other_leader, reason="x", now=NOW)
    held = register_reserve(
        issuer=orgs["UBND"], group="HC", year=2024, by=leader, reason="Giữ", number=9, now=NOW
    )
    with pytest.raises(ValidationError, match="đã được giữ"):
        register_reserve(
            issuer=orgs["UBND"], group="HC", year=2024, by=leader, reason="Lại", number=9, now=NOW
        )
    admin = make_user(None, None, username="quantri2", is_superuser=True, is_staff=True)
    register = NumberRegister.objects.get(issuer=orgs["UBND"], group="HC", year=2024)
    with pytest.raises(ValidationError, match=r"đang được giữ \(09\)"):
        register_correct(register=register, last_number=4, by=admin, reason="Sửa", now=NOW)
    assert ReservedNumber.objects.get() == held and register.last_number == 9


@pytest.mark.django_db
def test_the_leader_signs_with_a_held_number_from_the_document_page(client, commune, orgs, leader):
    from django.utils import timezone

    from portal.documents.services import register_reserve

    year = timezone.localdate().year
    register_reserve(
        issuer=orgs["UBND"], group="HC", year=year, by=leader, reason="Giữ cho kế hoạch", number=4
    )
    doc = document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=None, commune=commune)
    client.force_login(leader)
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert "Số đã giữ: 04" in page
    client.post(reverse("documents:issue", args=[doc.pk]), {"so-giu": "4"})
    doc.refresh_from_db()
    assert doc.status == "issued" and doc.number == 4 and doc.symbol.startswith("04/")
