"""A task lives where the plan puts it: a section carries its task and is printed as written (no added words); a
request to a body the issuer does not command is tracked without a due date; unprinted tasks stay unprinted."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from django.contrib.contenttypes.models import ContentType

from portal.documents.importing import import_document_text
from portal.documents.models import Task
from portal.documents.rendering import render_pdf
from portal.documents.services import document_issue
from portal.documents.specs import document_to_spec, dump_yaml
from portal.models import Deadline
from tests.documents.factories import FIXTURES

NOW = dt.datetime(2024, 3, 12, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TOWN = FIXTURES / "sa_pa_town_implementation_plan_2024.yaml"


@pytest.mark.django_db
def test_the_town_plan_prints_its_tasks_as_written_and_tracks_them(commune, orgs):
    doc = import_document_text(TOWN.read_text(encoding="utf-8"), commune=commune)
    tasks = list(doc.tasks.order_by("position"))
    assert len(tasks) == 16
    assert [t.section_id is not None for t in tasks].count(True) == 15  # one unprinted task
    request = next(t for t in tasks if t.kind == Task.Kind.REQUEST)
    assert request.lead == "Ủy ban MTTQ thị xã" and request.section.heading.startswith("Đề nghị")
    carried = next(t for t in tasks if t.due_kind == Task.Due.TRIGGER and t.within_working)
    assert carried.description.startswith(
        "Triển khai quy trình Nhân dân bàn và quyết định"
    )  # the section's words
    with pdfplumber.open(io.BytesIO(render_pdf(doc))) as pdf:
        text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert (
        "Thời gian thực hiện: trong 15 ngày làm việc kể từ khi có nội dung cần Nhân dân bàn và quyết định."
        in text
    )
    assert "(trong 15 ngày" not in text and "Thời gian: " not in text  # nothing added to the plan's words
    assert "Lập sổ theo dõi" not in text  # the unprinted task
    issued = document_issue(document=doc, by=None, now=NOW)
    ct = ContentType.objects.get_for_model(Task)
    with_deadline = set(Deadline.objects.filter(content_type=ct).values_list("object_id", flat=True))
    assert str(request.pk) not in with_deadline  # a request is followed, not held to a date
    assert str(tasks[1].pk) in with_deadline
    # The format keeps each task in its section, the request as a request, the unprinted one in `tasks`.
    spec = document_to_spec(issued)
    assert [t["do"] for t in spec["tasks"]] == ["Lập sổ theo dõi các nhiệm vụ của Kế hoạch."]
    again = import_document_text(dump_yaml(spec), commune=commune)
    assert sorted(
        (t.description, t.kind, t.section.text if t.section else None) for t in again.tasks.all()
    ) == sorted((t.description, t.kind, t.section.text if t.section else None) for t in tasks)
