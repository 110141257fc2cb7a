"""The petition list's body is a fragment shared by everyone who sees the same (dialogues/views/petitions.py): after
every service that changes a petition, what the cache serves equals a fresh render, and nobody is served rows they
may not see."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from dialogues import services
from portal import generations
from tests.dialogues.factories import record

pytestmark = pytest.mark.django_db

URLS = ("", "?status=received", "?tinh-trang=open")


def _bodies(client) -> list[str]:
    out = []
    for query in URLS:
        r = client.get(reverse("dialogues:petitions") + query)
        assert r.status_code == 200
        out.append(re.sub(r"\s+", " ", str(r.context["body"])))
    return out


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_cached_list_follows_every_petition_service(
    committed, commune, village, other_village, staff, village_head, other_village_head
):
    generations._dirty().clear()  # the fixtures' rows: as if committed before the test
    clients = {}
    for user in (staff, village_head, other_village_head):
        clients[user.username] = Client()
        clients[user.username].force_login(user)

    def assert_fresh() -> dict[str, list[str]]:
        assert not generations._dirty()  # committed: served from the cache, not rendered live
        served = {name: _bodies(c) for name, c in clients.items()}
        assert {name: _bodies(c) for name, c in clients.items()} == served  # a second time: the same
        cache.clear()
        assert {name: _bodies(c) for name, c in clients.items()} == served
        return served

    assert_fresh()
    with committed():
        petition = record(commune=commune, by=staff, village=village, text="Cống thôn Đồng Tâm bị tắc")
    served = assert_fresh()
    assert (
        "Cống thôn Đồng Tâm bị tắc" in served["canbo"][0]
        and "Cống thôn Đồng Tâm bị tắc" in served["truongthon"][0]
    )
    assert "Cống thôn Đồng Tâm bị tắc" not in served["truongthon2"][0]  # another village's head
    with committed():
        services.petition_classify(petition=petition, by=staff, field="land", competence="commune")
    assert "Đất đai" in assert_fresh()["canbo"][0]
    with committed():
        services.petition_assign(petition=petition, by=staff, assignee=staff)
    assert staff.get_full_name() in assert_fresh()["canbo"][0]
    with committed():
        services.petition_answer(
            petition=petition, by=staff, how="in_writing", text="Đã nạo vét", proof_note="Công văn số 15"
        )
    served = assert_fresh()
    assert "Đã trả lời" in served["canbo"][0] and "Cống thôn Đồng Tâm bị tắc" not in served["canbo"][1]
