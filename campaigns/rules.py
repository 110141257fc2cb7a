"""Who may do what in a contest (django-rules). Objects: a Contest, a Participant, an Assignment or a CriteriaSet.

- organizers and the secretariat of a contest (ContestMember) manage it; the upper level (an overseer of the
  organizer unit or above it) reads it;
- a participant's own office (commune staff and leaders of its commune, or the person for an individual entry)
  self-assesses, registers models and explains;
- a judge opens only the participants assigned to them and not excluded by a conflict of interest;
- anyone may read the results of a finalized contest.
"""

from __future__ import annotations

import rules

from portal import lookups
from portal.access import access_for
from portal.models import Role


def _contest(obj):
    return getattr(obj, "contest", obj)


def contest_roles(user, contest) -> set[str]:
    """The user's roles in one contest, read once per request and cached on the user."""
    if not getattr(user, "is_authenticated", False) or contest is None:
        return set()
    cache = user.__dict__.setdefault("_contest_roles", {})
    if contest.pk not in cache:
        cache[contest.pk] = set(contest.members.filter(user=user, active=True).values_list("role", flat=True))
    return cache[contest.pk]


def _participant(obj):
    return getattr(obj, "participant", obj)


@rules.predicate
def is_contest_organizer(user, obj=None) -> bool:
    if obj is None:
        return False
    return bool(contest_roles(user, _contest(obj)) & {"organizer", "secretary"})


@rules.predicate
def is_contest_member(user, obj=None) -> bool:
    if obj is None:
        return False
    return bool(contest_roles(user, _contest(obj)))


@rules.predicate
def is_upper_of_contest(user, obj=None) -> bool:
    """An overseer of the organizer unit or of a unit above it."""
    if obj is None:
        return False
    contest = _contest(obj)
    units = {m.unit_id for m in access_for(user).memberships if m.role == Role.OVERSEER}
    if not units:
        return False
    node = contest.organizer_unit
    while node is not None:
        if node.pk in units:
            return True
        node = node.parent
    return False


@rules.predicate
def is_participant_office(user, obj=None) -> bool:
    """The participant's own people: its commune's staff and leaders, or the person entered as an individual."""
    if obj is None:
        return False
    participant = _participant(obj)
    if participant.person_id is not None:
        return participant.person_id == user.pk
    return participant.commune_id in access_for(user).commune_ids(Role.STAFF, Role.LEADER)


@rules.predicate
def is_assigned_judge(user, obj=None) -> bool:
    """A judge assigned to this participant and not excluded (conflict of interest → no access at all)."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    participant = _participant(obj)
    cache = user.__dict__.setdefault("_judge_of", {})
    key = participant.contest_id
    if key not in cache:
        from campaigns.models import Assignment

        cache[key] = set(
            Assignment.objects.filter(judge=user, contest_id=key, excluded=False).values_list(
                "participant_id", flat=True
            )
        )
    return participant.pk in cache[key]


@rules.predicate
def is_finalized(user, obj=None) -> bool:
    return obj is not None and _contest(obj).status == "finalized"


@rules.predicate
def may_organize(user, obj=None) -> bool:
    """Who may start a contest or import a criteria set: an upper-level overseer or a commune office."""
    return access_for(user).has_role(Role.OVERSEER, Role.LEADER, Role.STAFF)


@rules.predicate
def is_in_participating_commune(user, obj=None) -> bool:
    """Staff of a commune that takes part in the contest (they read the contest and their own entry)."""
    if obj is None:
        return False
    communes = access_for(user).commune_ids(Role.STAFF, Role.LEADER)
    return bool(communes) and _contest(obj).participants.filter(commune_id__in=communes).exists()


@rules.predicate
def is_invited_commune(user, obj=None) -> bool:
    """Staff and leaders of a commune under the organizer while registration is open: they are reminded to register
    and read the contest (its plan, criteria and deadlines)."""
    if obj is None:
        return False
    contest = _contest(obj)
    if contest.status not in ("draft", "open"):
        return False
    communes = access_for(user).commune_ids(Role.STAFF, Role.LEADER)
    return bool(communes) and lookups.communes_below(contest.organizer_unit).filter(pk__in=communes).exists()


is_superuser = rules.is_superuser
organizer = is_contest_organizer | is_superuser

rules.add_perm("campaigns.add_contest", may_organize | is_superuser)
rules.add_perm("campaigns.import_criteriaset", may_organize | is_superuser)
rules.add_perm(
    "campaigns.view_contest",
    organizer
    | is_contest_member
    | is_upper_of_contest
    | is_in_participating_commune
    | is_invited_commune
    | is_finalized,
)
rules.add_perm("campaigns.manage_contest", organizer)
rules.add_perm(
    "campaigns.view_participant",
    organizer | is_upper_of_contest | is_participant_office | is_assigned_judge,
)
rules.add_perm("campaigns.self_assess", is_participant_office | is_superuser)
rules.add_perm("campaigns.judge_participant", is_assigned_judge)
rules.add_perm("campaigns.view_results", organizer | is_upper_of_contest | is_contest_member | is_finalized)
