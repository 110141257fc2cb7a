"""Who may do what in a contest: a roles matrix, before and after finalizing."""

import pytest
from django.contrib.auth.models import AnonymousUser

from campaigns import services
from portal.models import Membership, Role
from tests.campaigns.factories import NOW, make_world
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PERMS = [
    "campaigns.view_contest",
    "campaigns.manage_contest",
    "campaigns.view_participant",
    "campaigns.self_assess",
    "campaigns.judge_participant",
    "campaigns.view_results",
]
# who → the permissions they hold on (contest, participant 1) while the contest runs
EXPECTED = {
    "organizer": {
        "campaigns.view_contest",
        "campaigns.manage_contest",
        "campaigns.view_participant",
        "campaigns.view_results",
    },
    "judge": {
        "campaigns.view_contest",
        "campaigns.view_participant",
        "campaigns.judge_participant",
        "campaigns.view_results",
    },
    "conflicted_judge": {"campaigns.view_contest", "campaigns.view_results"},
    "own_staff": {"campaigns.view_contest", "campaigns.view_participant", "campaigns.self_assess"},
    "other_staff": {"campaigns.view_contest"},  # a participating commune sees the contest, not another entry
    "outside_staff": set(),
    "upper": {"campaigns.view_contest", "campaigns.view_participant", "campaigns.view_results"},
    "anonymous": set(),
}


@pytest.fixture
def people():
    world = make_world(2)
    p1 = world.participants[0]
    judge, conflicted = world.judges
    Membership.objects.create(user=conflicted, unit=world.communes[0], role=Role.JUDGE)
    for j in (judge, conflicted):
        services.judge_assign(participant=p1, judge=j, by=world.organizer, now=NOW)
    from tests.factories import CommuneFactory

    outside = CommuneFactory(parent=world.province, name="Xã ngoài cuộc thi")
    return world, {
        "organizer": world.organizer,
        "judge": judge,
        "conflicted_judge": conflicted,
        "own_staff": world.staff[0],
        "other_staff": make_user(Role.STAFF, world.communes[1]),
        "outside_staff": make_user(Role.STAFF, outside),
        "upper": make_user(Role.OVERSEER, world.province),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("who", list(EXPECTED))
def test_roles_matrix_while_running(people, who):
    world, users = people
    user, p1 = users[who], world.participants[0]
    held = {
        perm
        for perm in PERMS
        if user.has_perm(perm, world.contest if "contest" in perm or "results" in perm else p1)
    }
    assert held == EXPECTED[who]


def test_after_finalizing_everyone_reads_the_results_but_nobody_self_assesses_by_rule_alone(people):
    world, users = people
    world.contest.status = "finalized"
    assert users["anonymous"].has_perm("campaigns.view_results", world.contest)
    assert users["outside_staff"].has_perm("campaigns.view_contest", world.contest)
    assert not users["outside_staff"].has_perm("campaigns.view_participant", world.participants[0])
