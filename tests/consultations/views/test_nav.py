"""A consultation's sub-navigation is rendered once per process for the person's current roles and the
consultation's audience, status and commune (portal.principal.memoized): a role given or taken shows on the next
page, and two people never share one."""

import pytest
from django.urls import reverse

from portal.models import Membership, Role
from tests.consultations.factories import make_published

pytestmark = pytest.mark.django_db

IMPORT_LINK = "Nhập từ tệp</a>"


def test_the_sub_navigation_follows_a_role_given_and_taken(client, commune, staff, mttq):
    c = make_published(commune, staff)
    url = reverse("consultations:comments", args=[c.pk])
    client.force_login(mttq)
    for _ in range(2):  # the second from the memo
        html = client.get(url).content.decode()
        assert "Ghi nhận ý kiến</a>" in html and IMPORT_LINK not in html

    role = Membership.objects.create(user=mttq, unit=commune, role=Role.STAFF, position="Công chức")
    assert IMPORT_LINK in client.get(url).content.decode()
    role.active = False
    role.save()
    assert IMPORT_LINK not in client.get(url).content.decode()


def test_two_people_never_share_a_sub_navigation(client, commune, staff, mttq):
    c = make_published(commune, staff)
    url = reverse("consultations:comments", args=[c.pk])
    client.force_login(staff)
    assert IMPORT_LINK in client.get(url).content.decode()
    client.force_login(mttq)
    assert IMPORT_LINK not in client.get(url).content.decode()
    client.force_login(staff)
    assert IMPORT_LINK in client.get(url).content.decode()


def test_the_review_buttons_follow_a_role_given_and_taken(client, commune, staff):
    """The MTTQ review's summary form and flag buttons come from the same memo: an MTTQ role given to a staff member
    shows the form on the next page, and taken away hides it again."""
    c = make_published(commune, staff)
    url = reverse("consultations:review", args=[c.pk])
    client.force_login(staff)
    for _ in range(2):
        assert "Gửi UBND xã</button>" not in client.get(url).content.decode()
    role = Membership.objects.create(user=staff, unit=commune, role=Role.MTTQ, position="Ủy viên")
    assert "Gửi UBND xã</button>" in client.get(url).content.decode()
    role.active = False
    role.save()
    assert "Gửi UBND xã</button>" not in client.get(url).content.decode()
