"""The database briefly down: a 503 page in Vietnamese that says to retry, keeps what was typed (shown back to copy),
sends Retry-After, and stores nothing. Any other failure gets the honest 500 page."""

import contextlib

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from consultations.models import Comment

pytestmark = pytest.mark.django_db

COMMENT = "Đề nghị làm rõ Điều 5: thời hạn trả lời kiến nghị của người dân <b>15 ngày</b>."


@contextlib.contextmanager
def database_down(message="server closed the connection unexpectedly"):
    """Every query fails the way psycopg reports a PostgreSQL restart (Django wraps it in OperationalError)."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError(message)

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def open_consultation(commune, staff):
    from tests.consultations.views.test_public import _open_now

    return _open_now(commune, staff)


def test_a_comment_sent_while_the_database_is_down_gets_a_retry_page_with_its_text(open_consultation):
    client = Client(raise_request_exception=False)
    url = reverse("consultations:comment_submit", args=[open_consultation.pk])
    with database_down():
        r = client.post(url, {"text": COMMENT, "author_name": "Nguyễn Văn An", "form_token": "t" * 32})
    assert r.status_code == 503
    assert r["Retry-After"] == "30" and r["Cache-Control"] == "no-store"
    html = r.content.decode()
    assert "Hệ thống tạm gián đoạn" in html and "thử lại" in html
    assert "chưa được lưu" in html and "không bị mất" not in html
    # shown back, escaped, ready to copy; the token is not
    assert "Đề nghị làm rõ Điều 5" in html and "&lt;b&gt;15 ngày&lt;/b&gt;" in html and "<b>15" not in html
    assert "Nguyễn Văn An" in html and "t" * 32 not in html
    assert not Comment.objects.exists()


def test_a_signed_in_page_fails_in_a_middleware_and_still_says_retry(client, staff):
    """The session and the user are read by middleware before any view: the 500 handler gives the same answer."""
    client.force_login(staff)
    client.raise_request_exception = False
    with database_down("could not connect to server: Connection refused"):
        r = client.get(reverse("staff_dashboard"))
    assert r.status_code == 503 and "Hệ thống tạm gián đoạn" in r.content.decode()
    assert "Nội dung bạn đã nhập" not in r.content.decode()  # a GET: nothing typed


def test_a_bug_is_a_500_that_does_not_promise_the_data_was_kept(client, monkeypatch, open_consultation):
    def boom(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("consultations.services.comment_submit", boom)
    client.raise_request_exception = False
    r = client.post(
        reverse("consultations:comment_submit", args=[open_consultation.pk]),
        {"text": COMMENT, "form_token": "u" * 32},
    )
    assert r.status_code == 500
    html = r.content.decode()
    assert "không bị mất" not in html and "có thể chưa được lưu" in html


def test_a_missing_table_is_not_called_a_brief_outage(rf):
    from portal.unavailable import is_database_down

    assert is_database_down(OperationalError("server closed the connection unexpectedly"))
    assert not is_database_down(OperationalError("no such table: consultations_comment"))
    assert not is_database_down(RuntimeError("x"))
