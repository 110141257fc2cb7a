"""WCAG 2.1 AA checks, in Chromium, of the pages people use every day (issue: labels, headings, focus, contrast).

Every page is checked for:
- no "serious" or "critical" axe-core violation among the WCAG 2.0/2.1 A and AA rules (the failure message lists
  each violation's id, impact and the selectors of the offending nodes);
- exactly one ``h1``;
- an accessible name on every form control (label, aria-label, aria-labelledby or title);
- a working skip link: the first Tab from the top of the page focuses it, Enter moves the focus to ``main``.
Phone pages (390x844) must not scroll sideways. The citizen's comment form is also submitted in a context with
JavaScript disabled, and the tracking code it returns is looked up.

Pages: public (desktop and 390 px phone): home, the commune's page, the consultation list, the open consultation with
its comment form (and the form sent empty), the receipt, the tracking lookup, the login page. Staff (canbo):
dashboard, consultation list, management, postings, comment list, a comment's answer page, documents list, a plan's
detail page, a draft's editor, deadlines, notifications. Village head (truongthon) at 390x844: my village, my
postings, the posting confirmation, deadlines, notifications. MTTQ: its home and a consultation's review page.

Pages run among the demo data (``seed_demo``: the portal core and each app's ``demo.seed``). Each test visits several
pages and reports every page's problems together, so one run shows all that is left to fix.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from consultations.models import Comment, Consultation
from portal.demo import DEMO_PASSWORD
from portal.documents.models import Document
from portal.publicity.models import Posting

from .conftest import PHONE, TIMEOUT_MS

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
OPEN_TITLE = "Dự thảo Quy chế thực hiện dân chủ trong hoạt động của Ủy ban nhân dân xã"
COMMENT_TEXT = "Đề nghị niêm yết thêm bản dự thảo tại chợ xã để bà con dễ đọc."

# Controls without an accessible name. Hidden inputs, buttons (named by their text; axe checks them) and the
# honeypot field (kept out of the accessibility tree on purpose) are left out.
UNNAMED_CONTROLS_JS = """() => {
  const controls = document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), select, textarea');
  const unnamed = [];
  for (const el of controls) {
    if (el.closest('[aria-hidden=true], .hp-field')) continue;
    const byLabel = Array.from(el.labels || []).some(l => l.textContent.trim());
    const byAria = (el.getAttribute('aria-label') || '').trim();
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const byLabelledby = ids.some(id => (document.getElementById(id)?.textContent || '').trim());
    const byTitle = (el.getAttribute('title') || '').trim();
    if (!(byLabel || byAria || byLabelledby || byTitle)) unnamed.push(el.outerHTML.slice(0, 160));
  }
  return unnamed;
}"""


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the command's roster is noise here
    return Consultation.objects.get(title=OPEN_TITLE, status=Consultation.Status.OPEN)


def _axe_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"]]
        shown = "; ".join(targets[:6]) + (f"; … (+{len(targets) - 6})" if len(targets) > 6 else "")
        problems.append(f"axe {violation['id']} [{violation['impact']}] {violation['help']} — {shown}")
    return problems


def _skip_link_problems(page) -> list[str]:
    # "From the top of the page": also when the page was opened at a fragment (a refused comment comes back at
    # ``#gop-y``, where the browser starts the Tab order), focusing the body moves the starting point back up.
    page.evaluate(
        """() => {
        document.activeElement && document.activeElement.blur();
        window.scrollTo(0, 0);
        document.body.setAttribute('tabindex', '-1');
        document.body.focus();
        document.body.removeAttribute('tabindex');
    }"""
    )
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement && document.activeElement.className")
    if first != "skip-link":
        return [f"skip link: the first Tab focuses {first!r}, not the skip link"]
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#main'")
    focused = page.evaluate("() => document.activeElement && document.activeElement.tagName.toLowerCase()")
    if focused != "main":
        return [f"skip link: Enter leaves the focus on {focused!r}, not on main"]
    return []


FOCUS_STEPS = 12  # Tab stops checked for a visible focus indicator on each page


def _focus_problems(page) -> list[str]:
    """WCAG 2.4.7: each of the next Tab stops (from wherever the focus is) shows a focus outline or a box shadow."""
    problems = []
    for _ in range(FOCUS_STEPS):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el === document.body) return null;
              const st = getComputedStyle(el);
              const outline = st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0;
              return {visible: outline || st.boxShadow !== 'none', html: el.outerHTML.slice(0, 100)};
            }"""
        )
        if state is None:
            break
        if not state["visible"]:
            problems.append(f"no visible focus indicator on {state['html']}")
    return problems


def check_page(page, *, phone: bool = False, axe: bool = True) -> list[str]:
    """Every accessibility problem of the page as it is now, each line prefixed with its path."""
    problems = []
    h1_count = page.locator("h1").count()
    if h1_count != 1:
        problems.append(f"{h1_count} h1 elements (expected exactly one)")
    problems += [f"control without an accessible name: {html}" for html in page.evaluate(UNNAMED_CONTROLS_JS)]
    if phone:
        widths = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
        )
        if widths["inner"] != PHONE["width"] or widths["scroll"] > widths["inner"]:
            problems.append(f"horizontal scroll at phone width: {widths}")
    if axe:
        problems += _axe_problems(page)
    problems += _skip_link_problems(page)  # first: it needs the page as loaded; it leaves the focus on main
    problems += _focus_problems(page)
    url = urlsplit(page.url)
    where = url.path + (f"?{url.query}" if url.query else "")
    counted = Counter(problems)  # a form repeated on each row of a table fails once per row: say it once
    return [f"{where}: {p}" + (f" (×{n})" if n > 1 else "") for p, n in counted.items()]


def visit(page, path: str, **kw) -> list[str]:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    assert urlsplit(page.url).path == urlsplit(path).path, f"{path} went to {page.url}"  # e.g. not logged in
    return check_page(page, **kw)


def login(page, username: str) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập", exact=True).fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập", exact=True).click()


def assert_clean(problems: list[str]) -> None:
    assert not problems, "accessibility problems:\n  " + "\n  ".join(problems)


def submit_comment(page, consultation) -> str:
    """Fill the public comment form on the consultation's page, send it, return the tracking code shown."""
    page.goto(f"/lay-y-kien/{consultation.pk}/")
    form = page.locator("form", has=page.get_by_role("button", name="Gửi ý kiến"))
    form.get_by_label("Nội dung góp ý").fill(COMMENT_TEXT)
    with page.expect_navigation():
        form.get_by_role("button", name="Gửi ý kiến").click()
    code = page.locator(".receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{4,}", code), f"no tracking code on {page.url}: {code!r}"
    return code


def test_public_pages(demo, page):
    problems = []
    problems += visit(page, "/")
    problems += visit(page, f"/xa/{demo.commune.code}/")
    problems += visit(page, "/lay-y-kien/")
    problems += visit(page, f"/lay-y-kien/{demo.pk}/")
    code = submit_comment(page, demo)
    problems += check_page(page)  # the receipt
    problems += visit(page, "/tra-cuu/")
    problems += visit(page, f"/tra-cuu/?ma={code}")
    assert_clean(problems)


def test_public_pages_on_a_phone(demo, phone_page):
    """Citizens mostly come on a phone: the same public pages at 390 px, without sideways scrolling."""
    problems = []
    problems += visit(phone_page, "/", phone=True)
    problems += visit(phone_page, f"/xa/{demo.commune.code}/", phone=True)
    problems += visit(phone_page, "/lay-y-kien/", phone=True)
    problems += visit(phone_page, f"/lay-y-kien/{demo.pk}/", phone=True)
    with phone_page.expect_navigation():  # sent empty: the page comes back with the error
        phone_page.get_by_role("button", name="Gửi ý kiến").click()
    assert phone_page.locator(".errorlist").count() >= 1
    problems += check_page(phone_page, phone=True)
    code = submit_comment(phone_page, demo)
    problems += check_page(phone_page, phone=True)
    problems += visit(phone_page, f"/tra-cuu/?ma={code}", phone=True)
    problems += visit(phone_page, "/dang-nhap/", phone=True)
    assert_clean(problems)


def test_comment_form_works_without_javascript(demo, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", java_script_enabled=False, viewport=PHONE, is_mobile=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(f"/lay-y-kien/{demo.pk}/")
        with page.expect_navigation():  # empty: the server answers with the form and its error (novalidate)
            page.get_by_role("button", name="Gửi ý kiến").click()
        text = page.get_by_label("Nội dung góp ý")
        assert text.get_attribute("aria-invalid") == "true"
        described = (text.get_attribute("aria-describedby") or "").split()
        errors = [page.locator(f"#{i}").inner_text() for i in described if page.locator(f"#{i}").count()]
        assert errors, f"the error is not tied to the field: {page.locator('.errorlist').all_inner_texts()}"
        code = submit_comment(page, demo)
        comment = Comment.objects.get(tracking_code=code)
        assert comment.consultation_id == demo.pk and comment.text == COMMENT_TEXT

        page.goto("/tra-cuu/")
        page.get_by_label("Mã tra cứu").fill(code)
        with page.expect_navigation():
            page.get_by_role("button", name="Tra cứu").click()
        assert code in page.locator("main").inner_text()
    finally:
        context.close()


def test_staff_pages(demo, page):
    login(page, "canbo")
    comment = (  # a comment staff can still answer: the answer form is on its page
        Comment.objects.filter(
            consultation__commune=demo.commune, consultation__status__in=["closed", "synthesis"]
        )
        .order_by("pk")
        .first()
    )
    document = Document.objects.filter(commune=demo.commune).order_by("pk").first()
    draft = Document.objects.filter(commune=demo.commune, status="draft").order_by("pk").first() or document
    problems = []
    problems += visit(page, "/bang-dieu-khien/")
    problems += visit(page, "/lay-y-kien/quan-ly/")
    problems += visit(page, f"/lay-y-kien/{demo.pk}/quan-ly/")
    problems += visit(page, f"/lay-y-kien/{demo.pk}/cong-khai/")
    problems += visit(page, f"/lay-y-kien/{demo.pk}/y-kien/")
    problems += visit(page, f"/lay-y-kien/{comment.consultation_id}/y-kien/{comment.pk}/")
    assert page.get_by_role("button", name="Lưu trả lời").count() == 1
    problems += visit(page, "/van-ban/")
    problems += visit(page, f"/van-ban/{document.pk}/")
    problems += visit(page, f"/van-ban/{draft.pk}/sua/")
    problems += visit(page, "/thoi-han/")
    problems += visit(page, "/thong-bao/")
    assert_clean(problems)


def test_village_head_pages_on_a_phone(demo, phone_page):
    login(phone_page, "truongthon")
    posting = Posting.objects.filter(village__code="07450-T01", posted_on__isnull=True).order_by("pk").first()
    assert posting is not None, "the demo has no posting for the head of Đồng Tâm"
    problems = []
    problems += visit(phone_page, "/thon-cua-toi/", phone=True)
    problems += visit(phone_page, "/cong-khai/niem-yet/", phone=True)
    problems += visit(phone_page, f"/cong-khai/niem-yet/{posting.pk}/", phone=True)
    assert phone_page.get_by_role("button", name=re.compile("^Xác nhận")).count() == 1
    problems += visit(phone_page, "/thoi-han/", phone=True)
    problems += visit(phone_page, "/thong-bao/", phone=True)
    assert_clean(problems)


def test_mttq_pages(demo, page):
    login(page, "mttq")
    problems = []
    problems += visit(page, "/mttq/")
    problems += visit(page, f"/lay-y-kien/{demo.pk}/giam-sat/")
    assert_clean(problems)


def test_the_checks_catch_what_they_look_for(demo, page):
    """Break a clean page on purpose: every check reports its problem (so a green run means something)."""
    page.goto("/")
    assert check_page(page) == []
    page.evaluate("""() => {
      const main = document.querySelector('main');
      main.insertAdjacentHTML('beforeend',
        '<h1>Hai</h1><input type="text" name="x"><p style="color:#bbb;background:#fff">Chữ mờ khó đọc</p>');
      document.querySelector('.skip-link').remove();
    }""")
    found = "\n".join(check_page(page))
    assert "2 h1 elements" in found
    assert 'control without an accessible name: <input type="text" name="x">' in found
    assert "axe color-contrast [serious]" in found
    assert "axe label [critical]" in found
    assert "skip link: the first Tab focuses" in found
    page.add_style_tag(content="a:focus { outline: none !important; }")
    assert any("no visible focus indicator on <a" in p for p in check_page(page))
