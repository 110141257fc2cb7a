"""An upper level (district, thị xã, provincial city, province) writes either a model plan for its communes (no
deadlines of its own; communes copy it) or its own plan, tracked like a commune's: deadlines on the issuing unit,
tasks reported and triggered by its overseers, an execution report; other units' overseers are refused."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from portal.documents.importing import import_document_text
from portal.documents.models import Document
from portal.documents.services import (
    document_copy_model,
    document_create_from_spec,
    document_issue,
    document_report_from_plan,
    task_record_trigger,
    task_report,
)
from portal.documents.specs import SpecError, document_to_spec
from portal.models import AdministrativeUnit, Deadline, Organization, Role
from tests.documents.factories import FIXTURES, minimal_spec, orgs_for
from tests.factories import CommuneFactory, OrganizationFactory, ProvinceFactory, make_user

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 2, 5, 9, 0, tzinfo=TZ)
FORMAT = (FIXTURES.parent / "FORMAT.md").read_text(encoding="utf-8")
OWN_PLAN_EXAMPLE = next(b for b in re.findall(r"```yaml\n(.*?)```", FORMAT, re.S) if "purpose: own" in b)


@pytest.fixture
def district(db):
    province = ProvinceFactory(name="Bắc Giang")
    return ProvinceFactory(
        name="Tân Yên",
        parent=province,
        level=AdministrativeUnit.Level.DISTRICT,
        kind=AdministrativeUnit.Kind.DISTRICT,
    )


@pytest.fixture
def district_commune(district):
    commune = CommuneFactory(name="Liên Sơn", parent=district)
    orgs_for(commune)
    return commune


@pytest.fixture
def district_ubnd(district):
    return OrganizationFactory(
        unit=district,
        kind=Organization.Kind.PEOPLES_COMMITTEE,
        name="Ủy ban nhân dân huyện",
        short_name="UBND",
    )


@pytest.fixture
def author(district):
    return make_user(Role.OVERSEER, district, username="phongnoivu")


@pytest.fixture
def other_district_overseer(district):
    other = ProvinceFactory(
        name="Yên Thế",
        parent=district.parent,
        level=AdministrativeUnit.Level.DISTRICT,
        kind=AdministrativeUnit.Kind.DISTRICT,
    )
    return make_user(Role.OVERSEER, other, username="huyenkhac")


def _own_plan(issuer, by, **over):
    return document_create_from_spec(
        spec=minimal_spec(purpose="own", **over), issuer=issuer, by=by, commune=None, now=NOW
    )


def _task_deadlines(doc):
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(doc.tasks.model)
    return Deadline.objects.filter(content_type=ct, object_id__in=[str(t.pk) for t in doc.tasks.all()])


@pytest.mark.django_db
def test_own_plan_opens_task_deadlines_on_the_issuing_unit(district, district_ubnd, author):
    plan = _own_plan(district_ubnd, author)
    assert plan.purpose == Document.Purpose.OWN and not plan.is_model and plan.commune_id is None
    plan = document_issue(document=plan, by=author, now=NOW)
    deadline = _task_deadlines(plan).get()
    assert deadline.unit_id == district.pk and deadline.commune_id is None
    assert deadline.due_date == dt.date(2026, 3, 20) and deadline.status == Deadline.Status.OPEN


@pytest.mark.django_db
def test_own_plan_author_reports_triggers_and_drafts_the_report(district_ubnd, author):
    spec_tasks = [
        {"lead": "Phòng Nội vụ", "do": "Kiểm tra các xã", "due": "2026-03-20"},
        {
            "lead": "Văn phòng",
            "do": "Tổng hợp",
            "due": {"on_trigger": "Khi có văn bản của tỉnh", "within_days": 10},
        },
    ]
    plan = document_issue(document=_own_plan(district_ubnd, author, tasks=spec_tasks), by=author, now=NOW)
    first, awaited = plan.tasks.order_by("position")
    task_report(task=first, text="Đã kiểm tra 5 xã.", completes=True, by=author, now=NOW)
    assert _task_deadlines(plan).get(object_id=str(first.pk)).status == Deadline.Status.MET
    task_record_trigger(task=awaited, on=dt.date(2026, 1, 5), by=author, now=NOW)
    assert _task_deadlines(plan).get(object_id=str(awaited.pk)).due_date == dt.date(2026, 1, 15)
    report = document_report_from_plan(plan=plan, by=author, now=NOW)
    assert report.source_plan_id == plan.pk and report.purpose == Document.Purpose.OWN
    assert report.commune_id is None and report.unit_id == plan.unit_id


@pytest.mark.django_db
def test_model_plan_still_opens_no_deadline_and_communes_copy_it(district_commune, district_ubnd, author):
    staff = make_user(Role.STAFF, district_commune, username="canbo_lienson")
    model = document_create_from_spec(
        spec=minimal_spec(), issuer=district_ubnd, by=author, commune=None, now=NOW
    )
    assert model.is_model  # no purpose given: a model plan, as before the choice existed
    model = document_issue(document=model, by=author, now=NOW)
    assert not _task_deadlines(model).exists()
    assert not author.has_perm("documents.report_task", model.tasks.first())
    with pytest.raises(PermissionDenied):
        task_report(task=model.tasks.first(), text="x", by=author, now=NOW)
    copy = document_copy_model(document=model, commune=district_commune, by=staff, now=NOW)
    assert copy.copied_from_id == model.pk and copy.purpose == Document.Purpose.OWN
    assert copy.commune_id == district_commune.pk
    # an own plan is not a model: communes neither see nor copy it
    own = document_issue(document=_own_plan(district_ubnd, author), by=author, now=NOW)
    assert not staff.has_perm("documents.view_document", own)
    with pytest.raises(ValidationError):
        document_copy_model(document=own, commune=district_commune, by=staff, now=NOW)


@pytest.mark.django_db
def test_other_units_are_refused(district_commune, district_ubnd, author, other_district_overseer):
    staff = make_user(Role.STAFF, district_commune, username="canbo_lienson")
    plan = _own_plan(district_ubnd, author)
    for perm in ("documents.view_document", "documents.change_document", "documents.issue_document"):
        assert author.has_perm(perm, plan)
        assert not other_district_overseer.has_perm(perm, plan)
        assert not staff.has_perm(perm, plan)
    plan = document_issue(document=plan, by=author, now=NOW)
    task = plan.tasks.get()
    for perm, obj in (
        ("documents.report_task", task),
        ("documents.trigger_task", task),
        ("documents.report_plan", plan),
    ):
        assert author.has_perm(perm, obj)
        assert not other_district_overseer.has_perm(perm, obj)
        assert not staff.has_perm(perm, obj)
    with pytest.raises(PermissionDenied):
        task_report(task=task, text="x", by=other_district_overseer, now=NOW)
    with pytest.raises(PermissionDenied):
        document_report_from_plan(plan=plan, by=other_district_overseer, now=NOW)
    assert not plan.tasks.get().reports.exists()


@pytest.mark.django_db
def test_a_commune_document_cannot_be_a_model(commune, orgs, staff):
    with pytest.raises(ValidationError, match="không thể là kế hoạch mẫu"):
        document_create_from_spec(
            spec=minimal_spec(purpose="model"), issuer=orgs["UBND"], by=staff, commune=commune
        )
    assert not Document.objects.exists()
    doc = document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=staff, commune=commune)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds it too
        Document.objects.filter(pk=doc.pk).update(purpose="model")


@pytest.mark.django_db
def test_format_md_own_plan_example_imports_for_a_district(district, district_ubnd, author):
    doc = import_document_text(OWN_PLAN_EXAMPLE, unit=district, by=author, now=NOW)
    assert doc.purpose == Document.Purpose.OWN and doc.commune_id is None and doc.unit_id == district.pk
    doc = document_issue(document=doc, by=author, now=NOW)
    assert _task_deadlines(doc).get().unit_id == district.pk
    assert document_to_spec(doc)["purpose"] == "own"  # exported, so a re-import keeps the choice


@pytest.mark.django_db
def test_bad_purpose_is_explained():
    from portal.documents.specs import parse_spec

    with pytest.raises(SpecError) as exc:
        parse_spec(minimal_spec(purpose="kế hoạch"))
    assert "purpose: own" in " ".join(exc.value.messages())


@pytest.mark.django_db
def test_author_reports_on_the_plan_page_and_another_district_is_refused(
    client, district_ubnd, author, other_district_overseer
):
    from django.urls import reverse

    from tests.factories import PASSWORD

    plan = document_issue(document=_own_plan(district_ubnd, author), by=author, now=NOW)
    task = plan.tasks.get()
    client.login(username=other_district_overseer.username, password=PASSWORD)
    assert client.get(reverse("documents:detail", args=[plan.pk])).status_code == 404
    client.post(reverse("documents:task_report", args=[task.pk]), {"text": "Đã làm", "completes": "on"})
    assert not task.reports.exists()
    client.logout()
    client.login(username=author.username, password=PASSWORD)
    page = client.get(reverse("documents:detail", args=[plan.pk])).content.decode()
    assert reverse("documents:task_report", args=[task.pk]) in page  # the report form is offered
    assert "kế hoạch của Tân Yên" in page and "văn bản mẫu của cấp trên" not in page
    client.post(reverse("documents:task_report", args=[task.pk]), {"text": "Đã kiểm tra", "completes": "on"})
    assert task.reports.get().text == "Đã kiểm tra"
    assert _task_deadlines(plan).get().status == Deadline.Status.MET


@pytest.mark.django_db
def test_overdue_tasks_of_an_own_plan_show_on_its_overseers_home(
    client, district_ubnd, author, other_district_overseer
):
    from django.urls import reverse

    from tests.factories import PASSWORD

    document_issue(document=_own_plan(district_ubnd, author), by=author, now=NOW)  # due 20/03/2026: past
    client.login(username=author.username, password=PASSWORD)
    html = client.get(reverse("overseer_home")).content.decode()
    assert "Nhiệm vụ kế hoạch quá hạn" in html and "Còn 1 nhiệm vụ quá hạn" in html  # long past: summarized
    client.logout()
    client.login(username=other_district_overseer.username, password=PASSWORD)
    assert "Nhiệm vụ kế hoạch quá hạn" not in client.get(reverse("overseer_home")).content.decode()
