"""Score sheets (the self-assessment, a judge's sheet) never cut what was typed: an over-long text, a score that is not
a number, out of bounds, or a criterion of another contest is answered 200 with a Vietnamese error, the typed values
shown back, and nothing of the sheet saved; never a 500. The services refuse the same without the page."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import JudgeScore, SelfScore
from campaigns.selectors import set_tree
from tests.campaigns.factories import NOW, fill_self, make_world

pytestmark = pytest.mark.django_db


def _leaves(world):
    leaves = set_tree(world.contest.criteria_set).leaves()
    scale = [c for c in leaves if c.scoring == "scale"]
    count = next(c for c in leaves if c.scoring == "count")
    return scale[0], scale[1], count


def _foreign_criterion(world):
    copy = services.criteria_set_copy(
        source=world.contest.criteria_set, owner_unit=world.communes[0], by=None
    )
    return set_tree(copy).leaves()[0]


def _cases(world):
    bad, ok, count = _leaves(world)
    above = str(bad.max_points + 1)
    return ok, [
        ({f"comment_{bad.pk}": "x" * 1001}, bad, "tối đa 1.000 ký tự"),
        ({f"points_{bad.pk}": "1" * 5000}, bad, "tối đa 12 ký tự"),
        ({f"points_{bad.pk}": "abc"}, bad, "điểm phải là một số"),
        ({f"points_{bad.pk}": "NaN"}, bad, "điểm phải là một số"),
        ({f"points_{bad.pk}": "Infinity"}, bad, "điểm phải là một số"),
        ({f"points_{bad.pk}": "1e400"}, bad, "điểm phải là một số"),
        ({f"points_{bad.pk}": "-1"}, bad, "điểm phải từ 0 đến"),
        ({f"points_{bad.pk}": above}, bad, "điểm phải từ 0 đến"),
        ({f"count_{count.pk}": "ba"}, count, "số nguyên không âm"),
        ({f"count_{count.pk}": "-3"}, count, "số nguyên không âm"),
        ({f"count_{count.pk}": "1,5"}, count, "số nguyên không âm"),
        ({f"count_{count.pk}": "9" * 30}, count, "tối đa 9 ký tự"),
        ({f"points_{_foreign_criterion(world).pk}": "1"}, None, "không thuộc bộ tiêu chí"),
    ]


def _check(client, url, ok, cases, saved):
    for bad_input, criterion, message in cases:
        data = {f"points_{ok.pk}": "0", **bad_input}
        response = client.post(url, data)
        assert response.status_code == 200, bad_input
        page = html.unescape(response.content.decode())
        assert message.lower() in page.lower(), (bad_input, message)
        if criterion is not None:
            ((name, typed),) = bad_input.items()
            if f'name="{name}"' in page:  # the self-assessment page has no comment field
                assert typed in page  # shown back as typed, not cut
            assert f"Tiêu chí {criterion.code}" in page
        assert saved() == 0, bad_input  # the valid line is not saved either


def test_the_self_assessment_sheet_refuses_bad_input_whole(client):
    world = make_world(1)
    participant = world.participants[0]
    ok, cases = _cases(world)
    client.force_login(world.staff[0])
    url = reverse("campaigns:participant", args=[participant.pk])
    _check(client, url, ok, cases, lambda: SelfScore.objects.filter(participant=participant).count())
    response = client.post(url, {f"points_{ok.pk}": "0"})
    assert response.status_code == 302 and SelfScore.objects.filter(participant=participant).count() == 1


def test_the_judges_sheet_refuses_bad_input_whole(client):
    world = make_world(1)
    participant = world.participants[0]
    fill_self(participant, None)
    services.self_assessment_submit(participant=participant, by=None, now=NOW)
    judge = world.judges[0]
    assignment = services.judge_assign(participant=participant, judge=judge, by=world.organizer, now=NOW)
    ok, cases = _cases(world)
    client.force_login(judge)
    url = reverse("campaigns:judge_sheet", args=[participant.pk])
    _check(client, url, ok, cases, lambda: JudgeScore.objects.filter(assignment=assignment).count())


def test_the_services_refuse_what_the_pages_refuse():
    world = make_world(1)
    participant = world.participants[0]
    bad, ok, count = _leaves(world)
    foreign = _foreign_criterion(world)
    for entries in (
        {ok.pk: {"points": "0"}, bad.pk: {"points": "0", "comment": "x" * 1001}},
        {ok.pk: {"points": "0"}, bad.pk: {"points": "NaN"}},
        {ok.pk: {"points": "0"}, bad.pk: {"points": str(bad.max_points + 1)}},
        {ok.pk: {"points": "0"}, count.pk: {"count": "9" * 30}},
        {ok.pk: {"points": "0"}, foreign.pk: {"points": "1"}},
    ):
        errors = services.self_sheet_save(
            participant=participant, entries=entries, by=world.staff[0], now=NOW
        )
        assert errors and ok.pk not in errors
        assert not SelfScore.objects.filter(participant=participant).exists()
    with pytest.raises(ValidationError, match="tối đa 1.000 ký tự"):
        services.self_score_save(
            participant=participant, criterion=ok, points="0", note="x" * 1001, by=world.staff[0], now=NOW
        )


def test_an_over_long_conflict_reason_is_refused_not_cut(client):
    world = make_world(1)
    participant = world.participants[0]
    fill_self(participant, None)
    services.self_assessment_submit(participant=participant, by=None, now=NOW)
    judge = world.judges[0]
    assignment = services.judge_assign(participant=participant, judge=judge, by=world.organizer, now=NOW)
    client.force_login(judge)
    url = reverse("campaigns:judge_sheet", args=[participant.pk])
    response = client.post(url, {"declare": "1", "reason": "x" * 300}, follow=True)
    assert "Lý do xung đột lợi ích: tối đa 287 ký tự" in response.content.decode()
    assignment.refresh_from_db()
    assert not assignment.excluded
    client.post(url, {"declare": "1", "reason": "y" * 287})
    assignment.refresh_from_db()
    assert assignment.excluded and assignment.exclusion_reason == "Tự khai báo: " + "y" * 287


def test_an_over_long_explanation_or_upper_comment_is_refused_not_cut():
    world = make_world(1)
    participant = world.participants[0]
    _, ok, _ = _leaves(world)
    with pytest.raises(ValidationError, match="giải trình: tối đa 2.000 ký tự"):
        services.explanation_save(
            participant=participant, criterion=ok, text="x" * 2001, by=world.staff[0], now=NOW
        )
    with pytest.raises(ValidationError, match="Nhận xét của cấp trên: tối đa 500 ký tự"):
        services.upper_score_save(
            participant=participant, points="1", comment="x" * 501, by=world.organizer, now=NOW
        )
