"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

Fixtures:
- ``browser`` (session): Chromium launched from ``/usr/bin/chromium`` (``PORTAL_CHROMIUM`` overrides). Never
  ``playwright install``. When it cannot start, the tests are skipped, or fail when ``PORTAL_REQUIRE_BROWSER=1``
  (set by CI).
- ``page``: a desktop page (1280x800) whose relative URLs go to the live server: ``page.goto("/dang-nhap/")``.
- ``phone_page``: a phone page (390x844, is_mobile, has_touch).
- ``login``: ``login(page, username, password)`` fills "Tên đăng nhập"/"Mật khẩu" and clicks "Đăng nhập".
- ``live_server`` (pytest-django) brings a transactional database: seed data inside the test.

On failure, a screenshot and the HTML of each open page go to test-artifacts/<test name>.png/.html.
Every test in tests/browser gets the ``browser`` marker (``-m "not browser"`` leaves them out).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM calls from a thread with a running
# loop unless told that this is deliberate (test code only).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REQUIRE_BROWSER = os.environ.get("PORTAL_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000
BROWSER_DIR = Path(__file__).resolve().parent


def _unavailable(reason: str):
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (PORTAL_REQUIRE_BROWSER=1: the browser must start)", pytrace=False)
    pytest.skip(f"{reason}; set PORTAL_REQUIRE_BROWSER=1 to make this a failure")


def pytest_collection_modifyitems(config, items):
    # This hook sees every collected item, not only this directory's.
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the machine
        _unavailable(f"Playwright is not installed ({exc})")
    manager = sync_playwright()
    pw = manager.start()
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def browser(_playwright):
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        instance = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:  # noqa: BLE001 - any launch error means "no browser here"
        _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield instance
    instance.close()


def _new_page(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    context, pg = _new_page(browser, live_server, viewport=DESKTOP)
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context, pg = _new_page(
        browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    yield pg
    context.close()


def login(page, username: str, password: str) -> None:
    """Log in through the real form; afterwards the page shows wherever the portal sent the user."""
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập", exact=True).fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_load_state("domcontentloaded")


@pytest.fixture(name="login")
def login_fixture():
    return login


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed or BROWSER_DIR not in Path(str(item.path)).parents:
        return
    funcargs = getattr(item, "funcargs", {})
    pages = [(name, funcargs[name]) for name in ("page", "phone_page") if name in funcargs]
    if not pages:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    base = re.sub(r"[^\w.-]+", "_", item.name).strip("_")
    saved = []
    for name, pg in pages:
        stem = base if name == "page" else f"{base}-{name}"
        try:
            pg.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
            (ARTIFACTS / f"{stem}.html").write_text(pg.content(), encoding="utf-8")
            saved.append(f"{stem}.png/.html (at {pg.url})")
        except Exception as exc:  # noqa: BLE001 - a dead page must not hide the real failure
            saved.append(f"{stem}: could not save ({exc})")
    report.sections.append(("browser artifacts", "test-artifacts/: " + ", ".join(saved)))
