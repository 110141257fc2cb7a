"""What a person sees is Vietnamese and says what to do (issue 10 item 9): missing pages, an expired form (CSRF),
the admin's model names and the audit log's actions, never internal codes."""

import re

from tests.consultations.factories import make_published
from tests.factories import PASSWORD, make_user


def test_missing_page_and_expired_form_say_what_to_do(page):
    page.goto("/khong-co-trang-nay/")
    assert page.get_by_role("heading", level=1).inner_text() == "Không tìm thấy trang"
    assert page.locator("main").get_by_role("link", name="Tra cứu", exact=True).is_visible()
    assert page.locator("main").get_by_role("link", name="đăng nhập", exact=True).is_visible()
    assert "Not Found" not in page.content()

    # The sign-in form left open while the session cookie went away (another tab, a cleared browser).
    page.goto("/dang-nhap/")
    page.context.clear_cookies()
    page.get_by_label("Tên đăng nhập", exact=True).fill("ai-do")
    page.get_by_label("Mật khẩu", exact=True).fill("sai")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Biểu mẫu đã hết hạn, chưa gửi được"
    body = page.locator("main").inner_text()
    assert "Chưa có gì được lưu" in body and "Tải lại trang" in body
    assert "CSRF" not in page.content() and "Forbidden" not in page.content()


def test_admin_and_audit_log_name_things_in_vietnamese(page, login, commune, staff):
    admin = make_user(None, None, username="quantri", is_staff=True, is_superuser=True)
    make_published(commune, staff)
    login(page, admin.username, PASSWORD)

    page.goto("/admin/consultations/meeting/")
    assert page.get_by_role("heading", level=1).inner_text() == "Chọn hội nghị lấy ý kiến để thay đổi"
    page.goto("/admin/")
    index = page.locator("#content-main").text_content().lower()
    for english in (
        "Meeting",
        "Import batch",
        "Scheduled task",
        "Access attempt",
        "Django Q",
        "Axes",
        "Model name",
    ):
        assert english.lower() not in index, english
    assert (
        "công việc chạy nền" in index
        and "lịch chạy công việc nền" in index
        and "hội nghị lấy ý kiến" in index
    )

    page.goto("/admin/portal/auditevent/")
    listing = page.locator("#result_list").inner_text()
    assert "Tạo cuộc lấy ý kiến" in listing or "Công bố" in listing
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\b", listing), listing  # no "consultation.create"

    page.goto("/nhat-ky/")
    log = page.locator("main").inner_html()
    assert not re.search(r"\b(consultation|document|deadline)\.[a-z_]+\b", log), log
