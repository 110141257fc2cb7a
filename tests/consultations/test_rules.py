import pytest
from django.urls import reverse

from consultations.models import Audience
from consultations.selectors import consultation_list, postings_of
from portal.publicity.models import Posting
from tests.consultations.factories import make_consultation, make_published, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(commune, village, other_village, staff):
    return make_published(commune, staff)


def test_permission_matrix(
    people, staff, leader, mttq, union_rep, radio, village_head, other_staff, overseer, citizen
):
    c = people
    comment = submit(c)
    expect = {
        # perm: users allowed (others refused)
        "consultations.change_consultation": {staff, leader},
        "consultations.adopt_consultation": {leader},
        "consultations.answer_comment": {staff, leader},
        "consultations.moderate_comment": {staff, leader},
        "consultations.flag_comment": {mttq},
        "consultations.submit_summary": {mttq},
        "consultations.review_consultation": {
            staff,
            leader,
            mttq,
            union_rep,
            radio,
            overseer,
        },  # commune readers
        "consultations.record_comment": {staff, leader, mttq},
    }
    everyone = [staff, leader, mttq, union_rep, radio, village_head, other_staff, overseer, citizen]
    for perm, allowed in expect.items():
        obj = comment if "comment" in perm.split(".")[1] and perm.endswith("_comment") else c
        for user in everyone:
            assert user.has_perm(perm, obj) == (user in allowed), (perm, user.username)


def test_union_reviews_staff_consultations_not_mttq(commune, staff, mttq, union_rep):
    c = make_consultation(commune, staff, audience=Audience.STAFF)
    assert union_rep.has_perm("consultations.submit_summary", c)
    assert not mttq.has_perm("consultations.submit_summary", c)


def test_village_head_confirms_only_own_village(
    people, village, other_village, village_head, other_village_head
):
    mine = postings_of(people).get(kind=Posting.Kind.VILLAGE_HOUSE, village=village)
    theirs = postings_of(people).get(kind=Posting.Kind.VILLAGE_HOUSE, village=other_village)
    office = postings_of(people).get(kind=Posting.Kind.OFFICE)
    assert village_head.has_perm("publicity.confirm_posting", mine)
    assert not village_head.has_perm("publicity.confirm_posting", theirs)
    assert not village_head.has_perm("publicity.confirm_posting", office)
    assert other_village_head.has_perm("publicity.confirm_posting", theirs)


def test_radio_logs_only_own_commune(people, radio, other_staff):
    p = postings_of(people).get(kind=Posting.Kind.RADIO)
    assert radio.has_perm("publicity.log_broadcast", p)
    assert not other_staff.has_perm("publicity.log_broadcast", p)


def test_other_commune_staff_sees_no_drafts(client, commune, staff, other_staff, citizen):
    draft = make_consultation(commune, staff, title="Bản nháp nội bộ")
    internal = make_consultation(commune, staff, title="Quy chế cơ quan", audience=Audience.STAFF)
    assert set(consultation_list(user=other_staff)) == set()
    assert set(consultation_list(user=citizen)) == set()
    assert set(consultation_list(user=staff)) == {draft, internal}
    client.force_login(other_staff)
    for name in ("manage", "comments", "review", "postings", "public_detail", "results"):
        assert client.get(reverse(f"consultations:{name}", args=[draft.pk])).status_code == 404, name


def test_mttq_cannot_change_ubnd_things(client, people, mttq):
    client.force_login(mttq)
    for action in ("ket-thuc", "tong-hop", "cong-khai-ket-qua"):
        assert client.post(reverse("consultations:transition", args=[people.pk, action])).status_code == 404
    assert client.get(reverse("consultations:edit", args=[people.pk])).status_code == 404
    assert client.get(reverse("consultations:import", args=[people.pk])).status_code == 404


def test_village_head_sees_public_consultations_only(commune, village, staff, village_head):
    people = make_published(commune, staff)
    make_consultation(commune, staff, title="Quy chế cơ quan", audience=Audience.STAFF)
    make_consultation(commune, staff, title="Bản nháp")
    assert set(consultation_list(user=village_head)) == {people}


def test_admin_cannot_delete_or_add(rf, staff):
    from django.contrib import admin

    from consultations.models import Comment, Consultation

    request = rf.get("/")
    request.user = staff
    for model in (Consultation, Comment):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_delete_permission(request) and not model_admin.has_add_permission(request)
