"""Sane bounds at the model level (portal/bounds.py): every text field of portal/ and consultations/ names its limit
and enforces it in full_clean(); every date of a window, a deadline, a draft is 2000–2099 whoever writes it; every
message a person meets is Vietnamese."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from consultations.models import Consultation
from portal import bounds
from tests.consultations.factories import at, make_consultation, make_published

OWNED_APPS = ("portal", "intake", "documents", "publicity", "consultations")
# Dates that are history, not deadlines: a unit dissolved or a membership begun before 2000; a decreed holiday.
HISTORY_DATES = {("portal", "administrativeunit", "dissolved_on"), ("portal", "membership", "since")}
HISTORY_DATES |= {("portal", "calendarday", "date")}


def _fields(kind):
    for label in OWNED_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if type(field) is kind or (kind is models.TextField and isinstance(field, models.TextField)):
                    yield label, model, field


def test_every_typed_text_field_names_and_enforces_its_limit():
    missing = []
    for label, model, field in _fields(models.TextField):
        if field.max_length is None:
            missing.append(f"{label}.{model.__name__}.{field.name}: no max_length")
        elif field.editable and not any(
            isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length for v in field.validators
        ):
            missing.append(f"{label}.{model.__name__}.{field.name}: max_length not enforced by full_clean()")
    assert not missing, "\n".join(missing)


def test_every_date_of_a_window_deadline_or_draft_is_bounded():
    missing = [
        f"{label}.{model.__name__}.{field.name}"
        for label, model, field in _fields(models.DateField)
        if (label, model._meta.model_name, field.name) not in HISTORY_DATES
        and bounds.validate_date not in field.validators
    ]
    assert not missing, missing


@pytest.mark.django_db
@pytest.mark.parametrize("year", [1, 1999, 2100, 9999])
def test_a_window_in_a_silly_year_is_refused_in_vietnamese_and_nothing_is_stored(commune, staff, year):
    with pytest.raises(ValidationError) as exc:
        make_consultation(commune, staff, opens_on=dt.date(year, 3, 1), closes_on=dt.date(year, 3, 30))
    message = exc.value.message_dict["opens_on"][0]
    assert "nằm ngoài khoảng cho phép (01/01/2000–31/12/2099)" in message
    assert not Consultation.objects.exists()


@pytest.mark.django_db
def test_a_window_that_ends_before_it_opens_says_so_in_vietnamese(client, commune, staff):
    with pytest.raises(ValidationError) as exc:
        make_consultation(commune, staff, opens_on=dt.date(2026, 3, 10), closes_on=dt.date(2026, 3, 1))
    assert exc.value.messages == ["Ngày kết thúc lấy ý kiến phải cùng ngày hoặc sau ngày bắt đầu."]
    client.force_login(staff)
    r = client.post(
        reverse("consultations:create"),
        {
            "title": "Quy chế",
            "audience": "people",
            "category": "p7",
            "opens_on": "10/03/2026",  # typed the Vietnamese way
            "closes_on": "01/03/2026",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200 and "is violated" not in html and "Constraint" not in html
    assert not Consultation.objects.exists()


@pytest.mark.django_db
def test_the_window_typed_dd_mm_yyyy_is_accepted(client, commune, staff):
    from tests.consultations.factories import orgs

    orgs(commune)
    client.force_login(staff)
    r = client.post(
        reverse("consultations:create"),
        {
            "title": "Quy chế dân chủ",
            "audience": "people",
            "category": "p7",
            "opens_on": "01/03/2026",
            "closes_on": "31/03/2026",
            "summary_due_on": "07/04/2026",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    c = Consultation.objects.get()
    assert (c.opens_on, c.closes_on, c.summary_due_on) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 7),
    )


@pytest.mark.django_db
def test_a_waiver_reason_over_its_limit_is_refused_and_the_deadline_stays_open(commune, staff, leader):
    from portal.deadlines import deadline_waive
    from portal.models import Deadline

    c = make_published(commune, staff)
    deadline = Deadline.objects.filter(status=Deadline.Status.OPEN).first()
    assert deadline is not None, c
    with pytest.raises(ValidationError) as exc:
        deadline_waive(deadline=deadline, reason="x" * 2001, by=leader)
    assert "Tối đa 2.000 ký tự" in exc.value.messages[0] and exc.value.messages[0].startswith("Lý do")
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.OPEN


@pytest.mark.django_db
def test_a_task_event_dated_year_one_is_refused(commune, orgs, staff, leader):
    from portal.documents import services as documents
    from portal.documents.models import Task
    from tests.documents.factories import minimal_spec

    spec = minimal_spec()
    draft = documents.document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=staff, commune=commune)
    task = documents.document_issue(document=draft, by=leader).tasks.get()
    Task.objects.filter(pk=task.pk).update(due_kind=Task.Due.TRIGGER)
    task.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        documents.task_record_trigger(task=task, on=dt.date(1, 1, 1), by=staff)
    assert "Ngày có sự kiện: Ngày 01/01/0001 nằm ngoài khoảng cho phép" in exc.value.messages[0]
    task.refresh_from_db()
    assert task.triggered_on is None


@pytest.mark.django_db
def test_a_negative_meeting_count_names_the_count_not_the_text(client, commune, staff, mttq):
    c = make_published(commune, staff, now=at(2024, 2, 29))
    client.force_login(mttq)
    r = client.post(
        reverse("consultations:summary", args=[c.pk]),
        {"text": "Tổng hợp ý kiến", "meetings_held": "-1", "participants": "10"},
    )
    shown = [str(m) for m in get_messages(r.wsgi_request)]
    assert shown == ["Số hội nghị đã tổ chức: Số nhỏ nhất được nhập là 0."]


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        ("constraint", "Dữ liệu không hợp lệ: không thỏa điều kiện “x_order”."),
        ("null", "Không được chứa ký tự điều khiển (NUL)."),
        ("extension", "Không nhận tệp có đuôi “exe”. Chỉ nhận các đuôi: jpg, png."),
        ("date", "“31-02-2026” không phải là ngày hợp lệ"),
    ],
)
def test_djangos_own_messages_reach_people_in_vietnamese(check, expected):
    from django.core.validators import FileExtensionValidator, ProhibitNullCharactersValidator
    from django.db.models import CheckConstraint, Q
    from django.utils import translation

    with translation.override("vi"):
        if check == "constraint":
            message = CheckConstraint(condition=Q(a=1), name="x_order").get_violation_error_message()
        else:
            try:
                if check == "null":
                    ProhibitNullCharactersValidator()("a\x00b")
                elif check == "extension":
                    FileExtensionValidator(["jpg", "png"])(type("F", (), {"name": "virus.exe"})())
                else:
                    models.DateField().to_python("31-02-2026")
            except ValidationError as exc:
                message = exc.messages[0]
    assert message.startswith(expected)
