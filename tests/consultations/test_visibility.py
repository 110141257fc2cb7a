"""Who may read a consultation is asked two ways: as a filter (``selectors._visible_q``, for lists and the
uncached get) and on one row already read (``selectors.consultation_visible``, for the row the busiest pages read
from the cache). They must agree for every role and every kind of consultation."""

import pytest
from django.contrib.auth import get_user_model

from consultations import selectors, services
from consultations.models import Audience, Consultation
from tests.consultations.factories import at, make_consultation, make_published, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultations(commune, other_commune, staff, other_staff):
    return [
        make_consultation(commune, staff),  # a draft
        make_published(commune, staff),
        make_consultation(commune, staff, audience=Audience.STAFF),
        make_published(commune, staff, audience=Audience.STAFF),
        make_consultation(other_commune, other_staff),
        make_published(other_commune, other_staff, audience=Audience.STAFF),
    ]


def test_the_row_check_agrees_with_the_filter_for_every_role(
    consultations, staff, leader, village_head, mttq, union_rep, radio, overseer, other_staff, citizen
):
    from django.contrib.auth.models import AnonymousUser

    superuser = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "Mat-khau@2026")
    people = [staff, leader, village_head, mttq, union_rep, radio, overseer, other_staff, citizen, superuser]
    everything = list(Consultation.objects.all())
    assert len(everything) == 6
    for person in people:
        person = get_user_model().objects.get(pk=person.pk)  # a fresh Access
        by_filter = set(
            Consultation.objects.filter(selectors._visible_q(person)).values_list("pk", flat=True)
        )
        by_row = {c.pk for c in everything if selectors.consultation_visible(person, c)}
        assert by_row == by_filter, person.username
    # An anonymous visitor: published people's consultations only.
    published = set(selectors.public_consultation_list().values_list("pk", flat=True))
    anyone = {c.pk for c in everything if selectors.consultation_visible(AnonymousUser(), c)}
    assert anyone == {c.pk for c in everything if c.audience == Audience.PEOPLE and c.status != "draft"}
    assert published <= anyone


def test_a_cached_row_never_outlives_a_write_to_it(commune, staff, mttq, django_capture_on_commit_callbacks):
    c = make_published(commune, staff)
    cached = selectors.consultation_get_cached(user=staff, pk=c.pk)  # in the cache from now on
    assert selectors.consultation_get_cached(user=mttq, pk=c.pk).status == cached.status == "open"
    version = Consultation.objects.get(pk=c.pk).staff_version
    with django_capture_on_commit_callbacks(execute=True):  # the citizen's path drops the row on commit only
        comment = submit(c, text="Ý kiến")  # a citizen's comment bumps staff_version under the row lock
    assert selectors.consultation_get_cached(user=staff, pk=c.pk).staff_version == version + 1
    services.comment_assign(comment=comment, assignee=staff, by=staff)  # staff_changed
    assert selectors.consultation_get_cached(user=staff, pk=c.pk).staff_version == version + 2
    services.comment_answer(comment=comment, by=staff, kind="accepted", text="Tiếp thu")  # public_changed
    assert selectors.consultation_get_cached(user=staff, pk=c.pk).staff_version == version + 3
    services.consultation_close(consultation=c, by=staff, now=at(2024, 3, 21))  # a transition (save)
    assert selectors.consultation_get_cached(user=staff, pk=c.pk).status == Consultation.Status.CLOSED
