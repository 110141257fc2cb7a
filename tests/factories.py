"""Shared factories: units, organizations and users with a role. App-specific factories live in tests/<app>/."""

import itertools

import factory
from django.contrib.auth import get_user_model

from portal.models import AdministrativeUnit, Membership, Organization, Role

_codes = itertools.count(1)
Level, Kind = AdministrativeUnit.Level, AdministrativeUnit.Kind
PASSWORD = "Matkhau@123"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    level = Level.PROVINCE
    kind = Kind.PROVINCE
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")
    code = factory.LazyFunction(lambda: f"P{next(_codes):05d}")


class CommuneFactory(ProvinceFactory):
    level = Level.COMMUNE
    kind = Kind.COMMUNE
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    parent = factory.SubFactory(ProvinceFactory)
    households = 1000
    population = 4000


class VillageFactory(ProvinceFactory):
    level = Level.VILLAGE
    kind = Kind.VILLAGE
    name = factory.Sequence(lambda n: f"Thôn {n}")
    parent = factory.SubFactory(CommuneFactory)
    households = 150
    population = 600


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    unit = factory.SubFactory(CommuneFactory)
    kind = Organization.Kind.PEOPLES_COMMITTEE
    name = factory.Sequence(lambda n: f"Ủy ban nhân dân xã {n}")
    short_name = "UBND"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_user(role: str | None = None, unit: AdministrativeUnit | None = None, **kwargs):
    """A user holding ``role`` at ``unit`` (a commune, a village for village heads, a province for overseers)."""
    user = UserFactory(**kwargs)
    if role:
        Membership.objects.create(user=user, unit=unit, role=role, position=Role(role).label)
    return user


def change_password(client, new: str, old: str = PASSWORD):
    """POST the password change form (``/mat-khau/doi/``) as the client's signed-in person; the response."""
    from django.urls import reverse

    return client.post(
        reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )


class CacheCalls:
    """Records the calls to the default cache (a round trip each with Redis or the database cache): ``calls`` their
    names, ``reads`` the keys each ``get`` / ``get_many`` asked for. A backend's ``get_many`` made of ``get()`` calls
    (or ``set_many`` of ``set()``) is one call here."""

    METHODS = ("get", "get_many", "set", "set_many", "add", "incr", "delete", "delete_many", "touch")

    def __init__(self, monkeypatch):
        from django.core.cache import cache

        self.calls: list[str] = []
        self.reads: list[list[str]] = []
        self.depth = 0
        for name in self.METHODS:
            monkeypatch.setattr(cache, name, self._wrap(name, getattr(cache, name)))

    def clear(self) -> None:
        self.calls.clear()
        self.reads.clear()

    def _wrap(self, name, original):
        def call(*args, **kwargs):
            if not self.depth:
                self.calls.append(name)
                if name in ("get", "get_many"):
                    self.reads.append(list(args[0]) if name == "get_many" else [args[0]])
            self.depth += 1
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1

        return call
