from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from portal.access import access_for
from portal.documents.models import Document
from portal.documents.panels import awaiting_signature, overdue_tasks_panel
from portal.documents.services import document_create_from_spec, document_issue
from portal.models import Organization
from tests.documents.factories import minimal_spec
from tests.documents.views.test_views import login
from tests.factories import OrganizationFactory

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db
def test_copy_model_plan_into_commune(client, commune, orgs, staff, village_head, overseer):
    province_org = OrganizationFactory(
        unit=commune.parent,
        kind=Organization.Kind.PEOPLES_COMMITTEE,
        name="Ủy ban nhân dân tỉnh",
        short_name="UBND",
    )
    model = document_create_from_spec(
        spec=minimal_spec(title="Kế hoạch mẫu"), issuer=province_org, by=overseer
    )
    model = document_issue(document=model, by=overseer)
    login(client, village_head)
    assert client.get(reverse("documents:detail", args=[model.pk])).status_code == 404
    client.logout()
    login(client, staff)
    page = client.get(reverse("documents:detail", args=[model.pk])).content.decode()
    assert "Sao chép về xã" in page
    r = client.post(reverse("documents:copy", args=[model.pk]))
    copy = Document.objects.get(copied_from=model)
    assert r.status_code == 302 and r["Location"] == reverse("documents:detail", args=[copy.pk])
    assert copy.commune_id == commune.pk and copy.issuer_id == orgs["UBND"].pk and copy.status == "draft"


@pytest.mark.django_db
def test_panels(rf, commune, orgs, staff, leader, django_assert_max_num_queries):
    import datetime as dt

    draft = document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=staff, commune=commune)
    assert awaiting_signature(rf.get("/"), access_for(staff)) is None  # not a leader
    ctx = awaiting_signature(rf.get("/"), access_for(leader))
    [group] = ctx.groups
    assert group.count == 1 and [i.url for i in group.items] == [reverse("documents:detail", args=[draft.pk])]
    past = dt.datetime(2026, 1, 5, 9, tzinfo=TZ)
    spec = minimal_spec(tasks=[{"lead": "VP", "do": "Việc cũ", "due": "2026-01-10"}])
    plan = document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=staff, commune=commune)
    document_issue(document=plan, by=leader, now=past)
    access = access_for(leader)
    with django_assert_max_num_queries(3):
        ctx = overdue_tasks_panel(rf.get("/"), access)
    # Overdue for months: summarized in one line with a link to the filtered list, not listed row by row.
    assert ctx.groups[0].count == 0
    assert ctx.summary.startswith("Còn 1 nhiệm vụ quá hạn từ trước") and "10/01/2026" in ctx.summary
    assert ctx.summary_url == reverse("deadline_list") + "?han=qua-han-cu"


@pytest.mark.django_db
def test_dashboard_shows_panels(client, commune, orgs, staff, leader):
    document_create_from_spec(
        spec=minimal_spec(title="Chờ ký thử"), issuer=orgs["UBND"], by=staff, commune=commune
    )
    login(client, leader)
    page = client.get(reverse("staff_dashboard")).content.decode()
    assert "Văn bản chờ ký" in page and "Chờ ký thử" in page
