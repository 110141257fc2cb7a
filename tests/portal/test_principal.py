"""The signed-in person from the cache (portal/principal.py): one cache read instead of three queries per page, and
never a stale role, password, account state, unit name or unread count after the write that changed it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal import principal
from portal.models import Membership, Role
from portal.notifications import notification_mark_read, notify
from tests.factories import PASSWORD, change_password

pytestmark = pytest.mark.django_db

SHELL_TABLES = ("auth_user", "portal_membership", "portal_notification")


def _tables_read(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [t for q in ctx.captured_queries for t in SHELL_TABLES if f'FROM "{t}"' in q["sql"]]


def _signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_signed_in_page_reads_the_person_from_the_cache_after_the_first(staff):
    client = _signed_in(staff)
    assert set(_tables_read(client, "/lich-lam-viec/")) == set(SHELL_TABLES)  # the first request builds it
    assert _tables_read(client, "/lich-lam-viec/") == []  # the next ones read nothing of the person
    assert cache.get(principal.principal_key(staff.pk)) is not None


def test_a_role_taken_away_is_gone_on_the_next_request(client, staff):
    client.force_login(staff)
    assert client.get("/bang-dieu-khien/").status_code == 200
    assert 'href="/cong-khai/"' in client.get("/lich-lam-viec/").content.decode()  # a staff menu entry
    membership = Membership.objects.get(user=staff)
    membership.active = False
    membership.save()
    assert client.get("/bang-dieu-khien/").status_code == 403
    assert 'href="/cong-khai/"' not in client.get("/lich-lam-viec/").content.decode()


def test_a_role_given_shows_on_the_next_request(client, citizen, commune):
    client.force_login(citizen)
    client.get("/lich-lam-viec/")
    assert client.get("/bang-dieu-khien/").status_code == 403
    Membership.objects.create(user=citizen, unit=commune, role=Role.STAFF, position="Công chức")
    assert client.get("/bang-dieu-khien/").status_code == 200


def test_a_password_change_signs_out_the_other_sessions(staff):
    other = _signed_in(staff)
    other.get("/lich-lam-viec/")  # cached with the old password hash
    staff.set_password("Mat-khau-moi@2026")
    staff.save()
    response = other.get("/bang-dieu-khien/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_cache_never_holds_the_password_hash_and_the_session_is_still_checked(staff, settings):
    import pickle

    client = _signed_in(staff)
    client.get("/lich-lam-viec/")  # builds the entry
    assert client.get("/lich-lam-viec/").status_code == 200  # served from it: the session verified
    entry = cache.get(principal.principal_key(staff.pk))
    staff.refresh_from_db()
    assert staff.password.encode() not in pickle.dumps(entry)
    cached_user = entry[1]
    assert "password" not in cached_user.__dict__
    # the person's own instance from the cache still checks a password (read from the database) and saving it keeps
    # the password as it is
    user = principal.load(staff.pk)
    assert user.check_password(PASSWORD)
    user.first_name = "Lan"
    user.save()
    staff.refresh_from_db()
    assert staff.first_name == "Lan" and staff.check_password(PASSWORD)


def test_changing_ones_own_password_keeps_one_signed_in_and_signs_out_the_other_sessions(staff):
    mine, other = _signed_in(staff), _signed_in(staff)
    for client in (mine, other):
        assert client.get("/lich-lam-viec/").status_code == 200
    assert mine.get("/lich-lam-viec/").status_code == 200  # now the person comes from the cache
    assert change_password(mine, "Mua-thu-Ha-Noi-2026").status_code == 302
    assert mine.get("/bang-dieu-khien/").status_code == 200
    assert mine.get("/bang-dieu-khien/").status_code == 200  # and from the rebuilt entry
    response = other.get("/bang-dieu-khien/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_session_signed_with_a_rotated_secret_key_is_refused(staff, settings):
    client = _signed_in(staff)
    assert client.get("/lich-lam-viec/").status_code == 200  # the entry is cached with the old key's hashes
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    principal._schema.cache_clear()
    try:
        response = client.get("/bang-dieu-khien/")
    finally:
        principal._schema.cache_clear()
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_deactivated_account_is_signed_out(staff):
    client = _signed_in(staff)
    client.get("/lich-lam-viec/")
    staff.is_active = False
    staff.save()
    response = client.get("/bang-dieu-khien/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_renamed_commune_shows_its_new_name_on_the_next_request(client, staff, commune):
    client.force_login(staff)
    assert "Xã Tân Trung" in client.get("/bang-dieu-khien/").content.decode()
    commune.name = "Tân Hòa"
    commune.save()
    html = client.get("/bang-dieu-khien/").content.decode()
    assert "Xã Tân Hòa" in html and "Xã Tân Trung" not in html


def _badge(client) -> str:
    html = client.get("/lich-lam-viec/").content.decode()
    start = html.index('href="/thong-bao/"')
    return html[start : html.index("</a>", start)]


def test_the_unread_badge_follows_new_and_read_notifications(client, staff):
    client.force_login(staff)
    assert "badge" not in _badge(client)
    notify(recipients=[staff], title="Có ý kiến mới", key="t:1", email=False)
    assert ">1<" in _badge(client)
    notify(recipients=[staff], title="Có ý kiến mới nữa", key="t:2", email=False)
    assert ">2<" in _badge(client)
    notification_mark_read(user=staff)
    assert "badge" not in _badge(client)


def test_writes_drop_the_entry_again_when_their_transaction_commits(
    staff, django_capture_on_commit_callbacks
):
    """A request that read the old rows while the write was in flight may have cached them: the commit drops them."""
    principal.load(staff.pk)
    key = principal.principal_key(staff.pk)
    with django_capture_on_commit_callbacks(execute=True):
        membership = Membership.objects.get(user=staff)
        membership.position = "Văn phòng"
        membership.save()
        assert cache.get(key) is None  # dropped at once
        principal.load(staff.pk)  # a concurrent request fills it again before the commit
        assert cache.get(key) is not None
    assert cache.get(key) is None  # and the commit drops it


def test_an_entry_of_another_generation_is_rebuilt(staff):
    principal.load(staff.pk)
    stale_gen, user, memberships, menus, stamp = cache.get(principal.principal_key(staff.pk))
    user.first_name = "Tên cũ"
    cache.set(principal.principal_key(staff.pk), (stale_gen, user, memberships, menus, stamp))
    assert principal.load(staff.pk).first_name == "Tên cũ"  # same generation: served as cached
    principal.bump()
    assert principal.load(staff.pk).first_name == staff.first_name


def test_a_django_permission_granted_in_the_admin_shows_its_menu_entry(client, citizen):
    from django.contrib.auth.models import Permission

    client.force_login(citizen)
    assert 'href="/thoi-han/"' not in client.get("/lich-lam-viec/").content.decode()
    grant = Permission.objects.get(codename="view_deadline", content_type__app_label="portal")
    citizen.user_permissions.add(grant)  # what the admin's user form does
    assert 'href="/thoi-han/"' in client.get("/lich-lam-viec/").content.decode()
    grant.user_set.remove(citizen)  # from the permission's side
    assert 'href="/thoi-han/"' not in client.get("/lich-lam-viec/").content.decode()
