"""The demo contest: idempotent, three communes, a judge excluded by conflict, scores in progress, a flag."""

import pytest
from django.core.management import call_command

from campaigns import selectors
from campaigns.models import Assignment, Contest, CriteriaSet, Evidence
from portal.models import Deadline

pytestmark = pytest.mark.django_db


def test_demo_contest_is_idempotent_and_in_progress():
    call_command("seed_demo")
    counts = (Contest.objects.count(), CriteriaSet.objects.count(), Assignment.objects.count())
    call_command("seed_demo")
    assert (Contest.objects.count(), CriteriaSet.objects.count(), Assignment.objects.count()) == counts
    contest = Contest.objects.get()
    assert contest.organizer_unit.level == "district"
    assert contest.status == "judging"  # registration closed on its date
    dues = dict(
        Deadline.objects.filter(
            object_id=str(contest.pk), rule_code__in=["contest.registration", "contest.results"]
        ).values_list("rule_code", "status")
    )
    assert dues == {"contest.registration": "met", "contest.results": "open"}
    assert sorted(contest.participants.values_list("name", flat=True)) == [
        "Xã Phúc Sơn",
        "Xã Tam Tiến",
        "Xã Tân Trung",
    ]
    codes = set(CriteriaSet.objects.values_list("code", flat=True))
    assert codes == {"dvk-95-5", "ctt-5-nhom"}  # both shapes; the contest uses the district's copy
    assert contest.criteria_set.copied_from is not None
    excluded = Assignment.objects.get(excluded=True)
    assert (excluded.judge.username, excluded.participant.name) == ("giamkhao2", "Xã Tân Trung")
    assert not Assignment.objects.filter(judge__username="giamkhao", excluded=True).exists()
    assert Evidence.objects.filter(kind="metric", participant__name="Xã Tân Trung").exists()
    rows = {r.participant.name: r for r in selectors.contest_results(contest)}
    assert rows["Xã Phúc Sơn"].flagged == ["5"] and rows["Xã Phúc Sơn"].judges_done == 2
    assert rows["Xã Tân Trung"].judges_done == 0
    assert contest.participants.get(name="Xã Tam Tiến").stage == "self"
