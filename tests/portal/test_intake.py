"""portal.intake without any feature app: codes per kind, flood control, client address, the lookup page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import intake
from portal.intake import codes, limits
from portal.text import CODE_ALPHABET

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PETITIONS = {"KN-4K7M-9QXA": "Đường thôn Đồng Tâm bị ngập khi mưa"}


def _petition_found(code):
    title = PETITIONS.get(code)
    if title is None:
        return None
    return intake.Found(
        code=code,
        title=title,
        received_at=NOW,
        status="Đã trả lời",
        answer_label="Trả lời",
        answer_html="<p>UBND xã sẽ nạo vét mương trong tháng 4.</p>",
    )


@pytest.fixture
def petition_kind():
    # The dialogues app registers the real "KN" kind; this test kind borrows the prefix and gives it back.
    real = {name: k for name, k in codes.KINDS.items() if k.prefix == "KN"}
    for name in real:
        codes.KINDS.pop(name)
    kind = intake.register_lookup("tests.petition", _petition_found, label="Kiến nghị", prefix="KN")
    yield kind
    codes.KINDS.pop("tests.petition", None)
    codes.KINDS.update(real)


# --- Codes ------------------------------------------------------------------------------------------------------


def test_codes_carry_their_kind_prefix_and_parse_back(petition_kind):
    code = intake.new_code("tests.petition")
    assert code.startswith("KN-") and len(code) == 12
    assert set(code[3:].replace("-", "")) <= set(CODE_ALPHABET)
    kind, normalized = intake.parse_code(code.lower().replace("-", " "))
    assert kind is petition_kind and normalized == code


def test_unprefixed_codes_belong_to_the_comment_kind():
    kind, code = intake.parse_code("4k7m 9qxa")
    assert kind.name == "consultations.comment" and code == "4K7M-9QXA"


@pytest.mark.parametrize("typed", ["", "ABC", "4K7M-9QX0", "ZZ-4K7M-9QXA", "4K7M9QXA4K7M", "O0O0-O0O0"])
def test_malformed_or_unknown_prefix_is_not_parsed(typed, petition_kind):
    assert intake.parse_code(typed) is None


def test_a_prefix_belongs_to_one_kind(petition_kind):
    with pytest.raises(ValueError, match="already belongs"):
        intake.register_lookup("tests.other", _petition_found, label="Khác", prefix="KN")
    with pytest.raises(ValueError, match="letters"):
        intake.register_lookup("tests.other", _petition_found, label="Khác", prefix="K0")
    with pytest.raises(ValueError, match="already belongs"):
        intake.register_lookup("tests.other", _petition_found, label="Khác", prefix="")  # comments own ""


# --- Client address ---------------------------------------------------------------------------------------------


def test_client_ip_skips_forged_non_addresses(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.1"]
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.7, not-an-ip", REMOTE_ADDR="127.0.0.1")
    assert intake.client_ip(request) == "198.51.100.7"


def test_origin_uses_the_csrf_cookie_or_the_account(rf, staff):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    request.COOKIES["csrftoken"] = "a" * 32
    origin = intake.origin_of(request)
    assert origin.ip == "203.0.113.9" and origin.client and "a" * 32 not in origin.client
    request.user = staff
    assert intake.origin_of(request).client == f"u{staff.pk}"


def test_ipv6_addresses_count_per_64():
    assert limits.address_bucket("2001:db8:1:2:aaaa::1") == limits.address_bucket("2001:db8:1:2:bbbb::9")
    assert limits.address_bucket("2001:db8:1:3::1") != limits.address_bucket("2001:db8:1:2::1")
    assert limits.address_bucket("garbage") is None


# --- Flood control ----------------------------------------------------------------------------------------------


def _accept(origin, text="Ý kiến", subject="s1", now=NOW):
    intake.admit(origin=origin, subject=subject, text=text, now=now).count()


@pytest.mark.django_db
def test_thirty_villagers_on_one_address_all_get_through():
    """A meeting at the cultural house: 30 phones on one Wi-Fi, two comments each within ten minutes, many of
    them the same short words."""
    for person in range(30):
        origin = intake.Origin(ip="203.0.113.50", client=f"c{person}")
        _accept(origin, "Nhất trí với dự thảo", now=NOW + dt.timedelta(seconds=person * 10))
        _accept(origin, f"Đề nghị bổ sung ý {person}", now=NOW + dt.timedelta(minutes=5, seconds=person * 10))


@pytest.mark.django_db
def test_one_browser_is_stopped_after_its_burst_with_a_vietnamese_message():
    origin = intake.Origin(ip="203.0.113.50", client="bot")
    for i in range(3):
        _accept(origin, f"Quảng cáo {i}")
    with pytest.raises(intake.RateLimited, match="Bạn gửi quá nhanh") as exc:
        intake.admit(origin=origin, subject="s1", text="Quảng cáo 4", now=NOW)
    assert exc.value.rule == "client_burst" and 0 < exc.value.retry_after <= 60
    # a minute later it may send again, until its hourly budget is used
    later = NOW + dt.timedelta(minutes=1)
    intake.admit(origin=origin, subject="s1", text="Quảng cáo 5", now=later)


@pytest.mark.django_db
def test_a_person_commenting_article_by_article_fits_then_the_hourly_budget_holds():
    origin = intake.Origin(ip="203.0.113.50", client="careful-reader")
    for article in range(30):  # one comment every 25 seconds, each on its own article
        _accept(origin, f"Góp ý cho Điều {article + 1}", now=NOW + dt.timedelta(seconds=25 * article))
    with pytest.raises(intake.RateLimited, match="nhiều nội dung trong thời gian ngắn"):
        intake.admit(origin=origin, subject="s1", text="Góp ý thứ 31", now=NOW + dt.timedelta(minutes=20))


@pytest.mark.django_db
def test_the_same_text_twice_from_one_browser_is_refused_but_not_from_a_neighbour():
    _accept(intake.Origin(ip="203.0.113.50", client="a"), "Nhất trí")
    with pytest.raises(intake.RateLimited, match="đã gửi nội dung này"):
        intake.admit(
            origin=intake.Origin(ip="203.0.113.50", client="a"), subject="s1", text="  NHẤT TRÍ ", now=NOW
        )
    intake.admit(origin=intake.Origin(ip="203.0.113.50", client="b"), subject="s1", text="Nhất trí", now=NOW)
    intake.admit(origin=intake.Origin(ip="203.0.113.50", client="a"), subject="s2", text="Nhất trí", now=NOW)


@pytest.mark.django_db
def test_a_long_pasted_text_from_one_address_is_stopped_even_without_cookies():
    pasted = "Đề nghị UBND xã xem xét lại toàn bộ dự án vì không phù hợp với nguyện vọng của bà con."
    for i in range(3):
        _accept(intake.Origin(ip="198.51.100.9", client=f"fresh{i}"), pasted)
    with pytest.raises(intake.RateLimited, match="nhiều lần từ cùng một mạng"):
        intake.admit(
            origin=intake.Origin(ip="198.51.100.9", client="fresh9"), subject="s1", text=pasted, now=NOW
        )


@pytest.mark.django_db
def test_an_address_has_a_budget_for_floods_that_drop_their_cookies(settings):
    settings.PORTAL_INTAKE_LIMITS = {"address_burst": (5, 60)}
    for i in range(5):
        _accept(intake.Origin(ip="198.51.100.9"), f"Nội dung {i}")
    with pytest.raises(intake.RateLimited, match="từ mạng này"):
        intake.admit(origin=intake.Origin(ip="198.51.100.9"), subject="s1", text="Nội dung 6", now=NOW)
    intake.admit(origin=intake.Origin(ip="198.51.100.10"), subject="s1", text="Nội dung 6", now=NOW)


@pytest.mark.django_db
def test_refused_attempts_do_not_use_up_the_address_budget(settings):
    settings.PORTAL_INTAKE_LIMITS = {"address": (5, 3600)}
    bot = intake.Origin(ip="203.0.113.50", client="bot")
    for i in range(3):
        _accept(bot, f"Rác {i}")
    for i in range(50):
        with pytest.raises(intake.RateLimited):
            intake.admit(origin=bot, subject="s1", text=f"Rác nữa {i}", now=NOW)
    for person in range(2):  # the neighbours still have what the bot did not get to use
        _accept(intake.Origin(ip="203.0.113.50", client=f"p{person}"), "Ý kiến của tôi")


@pytest.mark.django_db
def test_a_rule_can_be_switched_off(settings):
    settings.PORTAL_INTAKE_LIMITS = {"client_burst": None, "client": None}
    for i in range(10):
        _accept(intake.Origin(client="busy"), f"Ý kiến {i}")


@pytest.mark.django_db
def test_no_origin_is_never_limited():
    for _ in range(50):
        _accept(None, "Phiếu giấy do cán bộ nhập")


@pytest.mark.django_db
def test_counts_live_in_the_submissions_transaction_and_expire_with_their_window():
    from django.db import transaction

    from portal.intake.models import FloodCounter
    from portal.intake.tasks import forget_counters

    origin = intake.Origin(ip="203.0.113.50", client="a")
    with pytest.raises(RuntimeError), transaction.atomic():  # a submission that fails after counting
        _accept(origin, "Ý kiến bị hủy")
        raise RuntimeError
    assert not FloodCounter.objects.exists()
    with CaptureQueriesContext(connection) as ctx:
        _accept(origin, "Ý kiến đã lưu")
    assert len(ctx.captured_queries) == 2  # one SELECT of every rule's counter, one upsert of them all
    assert {c.key.split(":")[0]: c.n for c in FloodCounter.objects.all()} == {
        "client_burst": 1,
        "client": 1,
        "same_text": 1,
        "address_burst": 1,
        "address": 1,
    }
    _accept(origin, "Ý kiến thứ hai")
    assert FloodCounter.objects.get(key__startswith="client_burst:").n == 2
    # the sweep deletes what is over (the minute, then the hour and the day), nothing before
    assert forget_counters(NOW.isoformat()) == 0
    assert forget_counters((NOW + dt.timedelta(minutes=2)).isoformat()) == 2
    assert forget_counters((NOW + dt.timedelta(days=2)).isoformat()) == 4
    assert not FloodCounter.objects.exists()


# --- The lookup page --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_lookup_page_finds_any_registered_kind(client, petition_kind):
    r = client.get(reverse("intake_lookup"), {"ma": "kn 4k7m9qxa"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Kiến nghị" in html and "KN-4K7M-9QXA" in html and "Đường thôn Đồng Tâm bị ngập" in html
    assert "nạo vét mương" in html and "Đã trả lời" in html
    assert r["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_lookup_page_without_a_code_explains_the_format(client, petition_kind):
    r = client.get(reverse("intake_lookup"))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="ma"' in html and "KN-4K7M-9QXA" in html and "4K7M-9QXA" in html


@pytest.mark.django_db
def test_malformed_code_is_explained_without_a_query(client, petition_kind):
    client.get(reverse("intake_lookup"))  # session and content types warmed up
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse("intake_lookup"), {"ma": "12345"})
    assert r.status_code == 400 and "không đúng dạng" in r.content.decode()
    assert len(ctx.captured_queries) == 0


@pytest.mark.django_db
def test_unknown_code_says_not_found(client, petition_kind):
    r = client.get(reverse("intake_lookup"), {"ma": "KN-9999-9999"})
    assert r.status_code == 404 and "Không tìm thấy" in r.content.decode()


@pytest.mark.django_db
def test_lookups_from_one_address_are_limited(client, settings, petition_kind):
    settings.PORTAL_INTAKE_LIMITS = {"lookup": (3, 600)}
    for _ in range(3):
        assert client.get(reverse("intake_lookup"), {"ma": "KN-9999-9999"}).status_code == 404
    r = client.get(reverse("intake_lookup"), {"ma": "KN-4K7M-9QXA"})
    assert r.status_code == 429 and "tra cứu quá nhiều lần" in r.content.decode()
    assert "nạo vét" not in r.content.decode()
    assert client.get(reverse("intake_lookup")).status_code == 200  # the empty form is always there
