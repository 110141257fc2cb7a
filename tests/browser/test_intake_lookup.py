"""The core lookup page (/tra-cuu/) on a phone: a mistyped code is explained at the field, a code read from a note
(lower case, spaces) finds the comment; both pages pass the accessibility checks at 390 px."""

from __future__ import annotations

import pytest

from tests.consultations.factories import make_published, submit

from .test_accessibility import assert_clean, check_page

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_lookup_on_a_phone(phone_page, commune, village, staff):
    consultation = make_published(commune, staff)
    comment = submit(consultation, text="Đề nghị làm rõ trách nhiệm của trưởng thôn.", village=village)
    page = phone_page
    page.goto("/tra-cuu/")
    field = page.get_by_label("Mã tra cứu")
    field.fill("12345")
    with page.expect_navigation():
        page.get_by_role("button", name="Tra cứu").click()
    alert = page.get_by_role("alert")
    assert "không đúng dạng" in alert.inner_text()
    field = page.get_by_label("Mã tra cứu")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.get_attribute("aria-describedby") == alert.get_attribute("id")
    problems = check_page(page, phone=True)

    field.fill(" " + comment.tracking_code.lower().replace("-", " ") + " ")
    with page.expect_navigation():
        page.get_by_role("button", name="Tra cứu").click()
    assert page.get_by_role("heading", name=f"Ý kiến {comment.tracking_code}").is_visible()
    main = page.locator("main").inner_text()
    assert consultation.title in main and "Đề nghị làm rõ trách nhiệm" in main
    assert "đang được tổng hợp" in main
    problems += check_page(page, phone=True)
    assert_clean(problems)
