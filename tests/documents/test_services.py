import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from portal.documents.models import Document, NumberRegister, Section, Task
from portal.documents.services import (
    document_copy_model,
    document_create_from_spec,
    document_issue,
    document_new_version,
    document_report_from_plan,
    document_update_from_spec,
    overdue_tasks,
    task_record_trigger,
    task_report,
)
from portal.models import Deadline, Notification, Organization, Role
from tests.documents.factories import minimal_spec, orgs_for
from tests.factories import OrganizationFactory, make_user

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

NOW = dt.datetime(2026, 2, 5, 9, 0, tzinfo=TZ)


@pytest.fixture
def draft(commune, orgs, staff):
    return document_create_from_spec(
        spec=minimal_spec(), issuer=orgs["UBND"], by=staff, commune=commune, now=NOW
    )


@pytest.mark.django_db
def test_issue_allocates_numbers_and_dates(draft, leader, commune, orgs, staff):
    doc = document_issue(document=draft, by=leader, now=NOW)
    assert doc.number == 1 and doc.issued_on == dt.date(2026, 2, 5)
    assert doc.number_line() == "Số: 01/KH-UBND"
    assert Notification.objects.filter(recipient=staff, title__contains="01/KH-UBND").exists()
    second = document_create_from_spec(
        spec=minimal_spec(type="BC"), issuer=orgs["UBND"], by=staff, commune=commune
    )
    second = document_issue(document=second, by=leader, now=NOW)
    assert second.number_line() == "Số: 02/BC-UBND"  # shared register for administrative documents
    decision = document_create_from_spec(
        spec=minimal_spec(type="QĐ"), issuer=orgs["UBND"], by=staff, commune=commune
    )
    assert document_issue(document=decision, by=leader, now=NOW).number == 1  # decisions have their own book
    next_year = document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=staff, commune=commune)
    later = dt.datetime(2027, 1, 2, 9, 0, tzinfo=TZ)
    assert document_issue(document=next_year, by=leader, now=later).number == 1  # restarts on 1 January


@pytest.mark.django_db
def test_party_number_line(commune, orgs, staff, leader):
    doc = document_create_from_spec(spec=minimal_spec(), issuer=orgs["ĐU"], by=None, commune=commune)
    assert doc.layout == Document.Layout.PARTY
    document_issue(document=doc, by=None, now=NOW)
    doc.refresh_from_db()
    assert doc.number_line() == "Số 01-KH/ĐU"


@pytest.mark.django_db
def test_only_leader_issues(draft, staff, mttq):
    for user in (staff, mttq):
        with pytest.raises(PermissionDenied):
            document_issue(document=draft, by=user, now=NOW)
    draft.refresh_from_db()
    assert draft.status == Document.Status.DRAFT and draft.number is None


@pytest.mark.django_db
def test_issued_is_immutable(draft, leader, staff):
    doc = document_issue(document=draft, by=leader, now=NOW)
    with pytest.raises(ValidationError, match="đã ban hành không thể sửa"):
        document_update_from_spec(document=doc, spec=minimal_spec(title="Khác"), by=staff)
    doc = Document.objects.get(pk=doc.pk)
    doc.title = "Sửa lén"
    with pytest.raises(ValidationError, match="đã ban hành"):
        doc.save()
    section = Section.objects.filter(document=doc).first()
    section.heading = "Sửa lén"
    with pytest.raises(ValidationError):
        section.save()
    task = doc.tasks.first()
    task.description = "Sửa lén"
    with pytest.raises(ValidationError):
        task.save()
    with pytest.raises(ValidationError):
        Section.objects.filter(document=doc).first().delete()
    with pytest.raises(ValidationError):
        Document.objects.get(pk=doc.pk).delete()
    assert Document.objects.get(pk=doc.pk).title == "Thử nghiệm kế hoạch"


@pytest.mark.django_db
def test_new_version_keeps_history(draft, leader, staff):
    v1 = document_issue(document=draft, by=leader, now=NOW)
    v2 = document_new_version(document=v1, by=staff, now=NOW)
    assert v2.status == Document.Status.DRAFT and v2.previous_id == v1.pk and v2.version == 2
    assert v2.sections.count() == v1.sections.count() and v2.tasks.count() == 1
    document_update_from_spec(document=v2, spec=minimal_spec(title="Đính chính"), by=staff)
    v2 = document_issue(document=v2, by=leader, now=NOW)
    v1.refresh_from_db()
    assert v1.replaced_by_id == v2.pk and v1.title == "Thử nghiệm kế hoạch" and v2.number == 2
    with pytest.raises(ValidationError):
        document_new_version(document=v1, by=staff, now=NOW)


@pytest.mark.django_db
def test_tasks_raise_deadlines_and_reports(commune, orgs, staff, leader):
    spec = minimal_spec(
        tasks=[
            {"lead": "VP", "do": "A", "due": "2026-03-20"},
            {"lead": "VP", "do": "B", "due": {"before": "2026-03-26"}},
            {"lead": "VP", "do": "C", "due": {"quarter": "I/2026"}},
            {"lead": "VP", "do": "D", "due": {"ongoing": "monthly"}},
            {"lead": "VP", "do": "E", "due": {"every_year_before": "15/12"}},
            {"lead": "VP", "do": "F", "due": {"on_trigger": "Khi có văn bản hướng dẫn", "within_days": 10}},
            {"lead": "VP", "do": "G"},
        ]
    )
    doc = document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=staff, commune=commune)
    doc = document_issue(document=doc, by=leader, now=NOW)
    ct = ContentType.objects.get_for_model(Task)
    due = {
        Task.objects.get(pk=d.object_id).description: d.due_date
        for d in Deadline.objects.filter(content_type=ct, rule_code="assigned")
    }
    assert due == {
        "A": dt.date(2026, 3, 20),
        "B": dt.date(2026, 3, 25),
        "C": dt.date(2026, 3, 31),
        "D": dt.date(2026, 2, 27),  # the month ends on a Saturday: its last working day
        "E": dt.date(2026, 12, 14),
    }
    f = doc.tasks.get(description="F")
    task_record_trigger(task=f, on=dt.date(2026, 4, 1), by=staff, now=NOW)
    assert Deadline.objects.get(content_type=ct, object_id=str(f.pk)).due_date == dt.date(
        2026, 4, 13
    )  # 11/4 is Sat
    # Overdue for the leader after the date passes.
    late = dt.date(2026, 3, 21)
    overdue = list(overdue_tasks(commune_ids=[commune.pk], today=late))
    assert [Task.objects.get(pk=d.object_id).description for d in overdue] == ["D", "A"]
    a = doc.tasks.get(description="A")
    task_report(
        task=a,
        text="Đã hoàn thành, có biên bản.",
        by=staff,
        completes=True,
        evidence_link="https://x",
        now=NOW,
    )
    assert Deadline.objects.get(content_type=ct, object_id=str(a.pk)).status == Deadline.Status.MET
    d = doc.tasks.get(description="D")
    task_report(task=d, text="Báo cáo tháng 2.", by=staff, completes=True, now=NOW)
    open_d = Deadline.objects.get(content_type=ct, object_id=str(d.pk), status=Deadline.Status.OPEN)
    assert open_d.due_date == dt.date(2026, 3, 31)  # next monthly period
    report = document_report_from_plan(plan=doc, by=staff, now=dt.datetime(2026, 4, 2, 9, tzinfo=TZ))
    assert report.doc_type == "BC" and report.source_plan_id == doc.pk and report.status == "draft"
    assert report.sections.filter(kind="section", heading="VP").count() == 1  # grouped by lead unit
    texts = " ".join(s.text for s in report.sections.all())
    assert "Đã hoàn thành, có biên bản." in texts and "quá hạn" in texts


@pytest.mark.django_db
def test_model_plan_copy(commune, staff, leader, overseer):
    province = commune.parent
    sở = OrganizationFactory(
        unit=province,
        kind=Organization.Kind.PEOPLES_COMMITTEE,
        name="Ủy ban nhân dân tỉnh",
        short_name="UBND",
    )
    orgs_for(commune)
    model = document_create_from_spec(spec=minimal_spec(), issuer=sở, by=overseer, commune=None)
    assert model.commune_id is None and model.unit_id == province.pk
    model = document_issue(document=model, by=overseer, now=NOW)
    copy = document_copy_model(document=model, commune=commune, by=staff, now=NOW)
    assert copy.commune_id == commune.pk and copy.copied_from_id == model.pk and copy.status == "draft"
    assert copy.place == commune.name and copy.tasks.count() == 1


@pytest.mark.django_db
def test_other_commune_staff_cannot_create(commune, orgs, other_staff):
    with pytest.raises(PermissionDenied):
        document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=other_staff, commune=commune)
    assert Document.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issue_never_reuses_a_number(commune, orgs, staff):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    leader2 = make_user(Role.LEADER, commune, username="phochutich")
    leader1 = make_user(Role.LEADER, commune, username="chutich")
    docs = [
        document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=staff, commune=commune)
        for _ in range(8)
    ]
    barrier = threading.Barrier(len(docs))
    errors = []

    def issue(doc, user):
        from django.db import connection as conn

        try:
            barrier.wait()
            document_issue(document=doc, by=user, now=NOW)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            conn.close()

    threads = [
        threading.Thread(target=issue, args=(d, leader1 if i % 2 else leader2)) for i, d in enumerate(docs)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))
    assert NumberRegister.objects.get().last_number == 8
