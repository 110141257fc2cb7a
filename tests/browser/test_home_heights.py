"""Each role's home on a phone (390 px) is short over the full demo data, and starts with what waits for the person.

Before the registry, the staff home measured ~12,000 px on a phone: 50 deadline rows overdue since 2024 came first.
Measured on the demo data (README "Menus, role homes and audit labels"): canbo 3,333 px, chutich 3,585 px, truongthon 1,875 px,
mttq 1,774 px (with the consultations, documents, dialogues and campaigns panels).
"""

import io
import sys

from django.core.management import call_command

from portal.demo import DEMO_PASSWORD

# username, home path, the first panel's heading
HOMES = [
    ("canbo", "/bang-dieu-khien/", "Thời hạn của tôi"),
    ("chutich", "/bang-dieu-khien/", "Thời hạn của tôi"),
    ("truongthon", "/thon-cua-toi/", "Việc cần làm ở thôn"),
    ("mttq", "/mttq/", "Thời hạn của tôi"),
]
MAX_HEIGHT_PX = 4200  # 5 phone screens (844 px) with every panel of the demo data filled


def test_role_homes_are_short_on_a_phone(transactional_db, browser, live_server, login):
    from tests.browser.conftest import PHONE

    call_command("seed_demo", stdout=io.StringIO())
    heights = {}
    for username, path, first_panel in HOMES:
        context = browser.new_context(
            base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN"
        )
        page = context.new_page()
        login(page, username, DEMO_PASSWORD)
        assert page.url == live_server.url + path
        size = page.evaluate(
            "() => ({h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth})"
        )
        heights[username] = size["h"]
        assert size["w"] <= PHONE["width"], f"{username}: horizontal scroll ({size['w']} px)"
        # The first thing under the title is what waits for this person, inside the first screen.
        heading = page.locator("main h2").first
        assert heading.inner_text().startswith(first_panel)
        assert heading.bounding_box()["y"] < PHONE["height"]
        # Lists are capped: no panel group shows more than 5 rows.
        counts = page.evaluate(
            "() => [...document.querySelectorAll('.work-list')].map(u => u.children.length)"
        )
        assert counts and max(counts) <= 5, counts
        context.close()
    sys.stdout.write(f" [home heights at 390 px: {heights}]")
    assert max(heights.values()) <= MAX_HEIGHT_PX, heights
