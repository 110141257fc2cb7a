import pytest

from portal import workdays
from portal.models import Role
from tests.factories import CommuneFactory, VillageFactory, make_user


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """PBKDF2 costs ~0.2 s per user created or logged in; tests do not need a slow hash."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages and rate-limit counters must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_published_files_kept_open():
    """Published results files are kept open per process by (consultation, version): a later test's consultation
    may have the same id and version."""
    yield
    from consultations import published

    published.forget_opened()


@pytest.fixture(autouse=True)
def _fresh_process_memos():
    """Per-process memos (portal/memo.py) are keyed by ids and versions that a rolled-back test gives out again."""
    from portal import memo

    memo.clear_all()
    yield
    memo.clear_all()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Calendar exceptions are cached per process; a rolled-back test must not leak its rows into the next."""
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture(autouse=True)
def _decreed_calendar_rows(request):
    """Transactional tests (live server, races) flush the database, and with it the rows the data migration
    loaded; put the decreed schedule back so every test counts working days the same way."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from portal.calendar_data import DECREED_EXCEPTIONS
        from portal.models import CalendarDay

        for day, kind, name, source in DECREED_EXCEPTIONS:
            CalendarDay.objects.get_or_create(
                date=day, defaults={"kind": kind, "name": name, "legal_source": source}
            )
        workdays.clear_cache()
    yield


@pytest.fixture
def commune(db):
    return CommuneFactory(name="Tân Trung")


@pytest.fixture
def village(commune):
    return VillageFactory(parent=commune, name="Đồng Tâm", households=200)


@pytest.fixture
def other_village(commune):
    return VillageFactory(parent=commune, name="Trung Đồng", households=180)


@pytest.fixture
def other_commune(commune):
    return CommuneFactory(parent=commune.parent, name="Phúc Sơn")


@pytest.fixture
def staff(commune):
    return make_user(Role.STAFF, commune, username="canbo")


@pytest.fixture
def leader(commune):
    return make_user(Role.LEADER, commune, username="chutich")


@pytest.fixture
def village_head(village):
    return make_user(Role.VILLAGE_HEAD, village, username="truongthon")


@pytest.fixture
def other_village_head(other_village):
    return make_user(Role.VILLAGE_HEAD, other_village, username="truongthon2")


@pytest.fixture
def mttq(commune):
    return make_user(Role.MTTQ, commune, username="mttq")


@pytest.fixture
def union_rep(commune):
    return make_user(Role.UNION, commune, username="congdoan")


@pytest.fixture
def radio(commune):
    return make_user(Role.RADIO, commune, username="truyenthanh")


@pytest.fixture
def overseer(commune):
    return make_user(Role.OVERSEER, commune.parent, username="captren")


@pytest.fixture
def other_staff(other_commune):
    return make_user(Role.STAFF, other_commune, username="canbo_xakhac")


@pytest.fixture
def citizen(db):
    """A logged-in person with no role (the public with an account)."""
    return make_user(None, None, username="congdan")
