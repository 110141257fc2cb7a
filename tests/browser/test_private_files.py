"""A posting photo, in a browser: the village head photographs the notice board on a phone (GPS in the JPEG), the
commune's staff open "Ảnh" on the publication's matrix and see the photo (served by the access-checked view, its
location data gone); staff of another commune get a 404 at the same address."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from PIL import Image

from portal.demo import DEMO_PASSWORD, seed_core
from portal.publicity.models import Posting
from tests.hardening.test_uploads import _jpeg_with_gps
from tests.publicity.factories import make_budget

from .conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return seed_core()


def test_the_photo_of_a_posting_opens_for_staff_and_not_for_another_commune(
    demo, page, phone_page, browser, live_server, tmp_path
):
    publication = make_budget(
        demo.commune, demo.users["canbo"], decided_on=timezone.localdate(), now=timezone.now()
    )
    head = demo.users["truongthon"]
    posting = publication.postings.get(kind=Posting.Kind.VILLAGE_HOUSE, village__memberships__user=head)
    photo = tmp_path / "bang-tin.jpg"
    photo.write_bytes(_jpeg_with_gps())

    login(phone_page, "truongthon", DEMO_PASSWORD)
    phone_page.goto(f"/cong-khai/niem-yet/{posting.pk}/")
    phone_page.get_by_label("Ảnh chụp bảng tin (JPEG, PNG, WebP)").set_input_files(str(photo))
    with phone_page.expect_navigation():
        phone_page.get_by_role("button", name="Xác nhận").first.click()
    posting.refresh_from_db()
    assert posting.photo and posting.posted_on

    login(page, "canbo", DEMO_PASSWORD)
    page.goto(f"/cong-khai/{publication.pk}/")
    link = page.get_by_role("link", name="Ảnh", exact=True)
    assert link.count() == 1
    with page.expect_response(lambda r: "/anh/" in r.url) as answer:
        link.click()
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    shown = Image.open(io.BytesIO(response.body()))
    assert shown.format == "JPEG" and not shown.getexif()
    url = page.url

    context = browser.new_context(base_url=live_server.url)
    other = context.new_page()
    login(other, "canbo_xakhac", DEMO_PASSWORD)
    assert other.goto(url).status == 404
    context.close()
