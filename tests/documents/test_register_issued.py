"""Documents issued on paper before the portal are recorded with their real number, date, signer and scan, without
breaking the register's sequence; the register book shows gaps."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.documents.importing import import_document_text
from portal.documents.models import Document, NumberRegister, Task
from portal.documents.services import (
    document_create_from_spec,
    document_issue,
    document_register_issued,
    register_book,
)
from portal.documents.specs import document_to_spec
from portal.models import AuditEvent, Deadline
from tests.documents.factories import FIXTURES, minimal_spec

NOW = dt.datetime(2024, 4, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _draft(commune, orgs, **over):
    return document_create_from_spec(spec=minimal_spec(**over), issuer=orgs["UBND"], by=None, commune=commune)


@pytest.mark.django_db
def test_register_a_paper_document_then_the_sequence_goes_on(commune, orgs, leader):
    paper = document_register_issued(
        document=_draft(commune, orgs),
        number=9,
        issued_on=dt.date(2024, 2, 6),
        signer="Lê Minh Tuấn",
        scan=SimpleUploadedFile("kh9.pdf", PDF, content_type="application/pdf"),
        by=leader,
        now=NOW,
    )
    assert (paper.number_line(), paper.issued_on, paper.sig_signer) == (
        "Số: 09/KH-UBND",
        dt.date(2024, 2, 6),
        "Lê Minh Tuấn",
    )
    assert paper.registered_late and paper.scan.name.endswith(".pdf")
    assert NumberRegister.objects.get(issuer=orgs["UBND"], group="HC", year=2024).last_number == 9
    nxt = document_issue(document=_draft(commune, orgs), by=leader, now=NOW)
    assert nxt.number == 10
    # A number skipped on paper filled in later: the book keeps its next number.
    late = document_register_issued(
        document=_draft(commune, orgs), number=4, issued_on=dt.date(2024, 1, 20), by=leader, now=NOW
    )
    assert (
        late.number == 4 and document_issue(document=_draft(commune, orgs), by=leader, now=NOW).number == 11
    )
    book = register_book(issuer=orgs["UBND"], group="HC", year=2024)
    assert [r["number"] for r in book if not r["gap"]] == [4, 9, 10, 11]
    assert [r["number"] for r in book if r["gap"]] == [1, 2, 3, 5, 6, 7, 8]
    event = AuditEvent.objects.filter(action="document.register_issued").order_by("id").first()
    assert event.actor == leader and event.changes["number"] == "Số: 09/KH-UBND"


@pytest.mark.django_db
def test_tasks_of_a_registered_plan_are_due_from_its_real_date(commune, orgs):
    doc = _draft(commune, orgs, tasks=[{"lead": "VP", "do": "A", "due": {"month": "2024-02"}}])
    doc = document_register_issued(document=doc, number=3, issued_on=dt.date(2024, 2, 6), by=None, now=NOW)
    ct = ContentType.objects.get_for_model(Task)
    assert Deadline.objects.get(content_type=ct, object_id=str(doc.tasks.get().pk)).due_date == dt.date(
        2024, 2, 29
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "day", "message"),
    [
        (9, dt.date(2024, 3, 1), "Số 09/KH-UBND năm 2024 đã có trong sổ"),
        (12, dt.date(2024, 4, 3), "Ngày ban hành phải từ năm 2000 đến hôm nay (02/4/2024)"),
        (0, dt.date(2024, 3, 1), "Số văn bản phải là số nguyên dương"),
    ],
)
def test_bad_registrations_are_refused_and_change_nothing(commune, orgs, number, day, message):
    document_register_issued(
        document=_draft(commune, orgs), number=9, issued_on=dt.date(2024, 2, 6), by=None, now=NOW
    )
    draft = _draft(commune, orgs)
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        document_register_issued(document=draft, number=number, issued_on=day, by=None, now=NOW)
    draft.refresh_from_db()
    assert draft.status == Document.Status.DRAFT
    assert NumberRegister.objects.get(issuer=orgs["UBND"], group="HC", year=2024).last_number == 9


@pytest.mark.django_db
def test_the_commune_dialogue_plan_fixture_is_registered_with_its_historical_number(commune, orgs):
    text = (FIXTURES / "tan_trung_ke_hoach_doi_thoai_2024_registered.yaml").read_text(encoding="utf-8")
    doc = import_document_text(text, commune=commune, now=NOW)
    assert doc.is_issued and doc.number_line() == "Số: 09/KH-UBND" and doc.issued_on == dt.date(2024, 2, 6)
    assert document_to_spec(doc)["registered"] == {"number": 9, "date": dt.date(2024, 2, 6)}
