"""The register book in a browser: the commune's chairman, on a phone, holds a number back ("Giữ số") with its
reason; the book shows it as "Giữ số" with the reason, and the next automatic number skips it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.demo import DEMO_PASSWORD, seed_core
from portal.documents.services import document_create_from_spec, document_issue
from portal.models import Organization
from tests.documents.factories import minimal_spec

from .conftest import login

pytestmark = pytest.mark.browser


def test_the_chairman_holds_a_number_back_on_the_register_page(transactional_db, phone_page):
    demo = seed_core()
    ubnd = Organization.objects.get(unit=demo.commune, short_name="UBND")
    login(phone_page, "chutich", DEMO_PASSWORD)
    year = timezone.localdate().year
    phone_page.goto(reverse("documents:register") + f"?co-quan={ubnd.pk}&so=HC&nam={year}")
    phone_page.get_by_label("Lý do giữ số").fill("Quyết định ký tay chiều nay")
    phone_page.get_by_role("button", name="Giữ số").click()
    row = phone_page.locator("tr", has_text="Quyết định ký tay chiều nay")
    row.wait_for()
    held = int(row.locator("td").first.inner_text())
    assert "Giữ số" in row.inner_text()
    doc = document_create_from_spec(spec=minimal_spec(), issuer=ubnd, by=None, commune=demo.commune)
    assert document_issue(document=doc, by=None).number == held + 1
