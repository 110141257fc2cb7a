"""Who may do what in dialogues (django-rules). Names: ``dialogues.<verb>_<model>``.

Objects carry ``commune_id`` (a dialogue, a petition, a village); a petition and a village also carry
``village_id`` (for a village unit, its own id), so a village head's rights stop at their own village.
"""

import rules

from portal.access import access_for
from portal.models import Role
from portal.rules import (
    commune_reader,
    is_commune_leader,
    is_commune_mttq,
    is_commune_staff,
    is_superuser,
    is_village_head_of,
)


@rules.predicate
def is_commune_village_head(user, obj=None) -> bool:
    """A village head of one of the commune's villages (reads the commune's dialogues)."""
    access = access_for(user)
    if obj is None:
        return access.has_role(Role.VILLAGE_HEAD)
    commune_id = getattr(obj, "commune_id", None)
    return commune_id is not None and commune_id in {
        m.unit.parent_id for m in access.memberships if m.role == Role.VILLAGE_HEAD
    }


@rules.predicate
def is_village_head_of_petition(user, obj=None) -> bool:
    if obj is None:
        return access_for(user).has_role(Role.VILLAGE_HEAD)
    return getattr(obj, "village_id", None) in access_for(user).headed_village_ids


@rules.predicate
def is_judge_of(user, obj=None) -> bool:
    """A contest judge reads the dialogues of the communes they judge (evidence for the contest's criteria)."""
    access = access_for(user)
    if obj is None:
        return access.has_role(Role.JUDGE)
    return getattr(obj, "commune_id", None) in access.commune_ids(Role.JUDGE)


office = is_commune_staff | is_superuser

rules.add_perm("dialogues.view_dialogue", commune_reader | is_commune_village_head | is_judge_of)
rules.add_perm("dialogues.change_dialogue", office)
rules.add_perm("dialogues.review_dialogue", is_commune_leader | is_superuser)
rules.add_perm("dialogues.run_meeting", office)
# The chair's briefing pack (petitions by field with the prepared answers): the office and the chair.
rules.add_perm("dialogues.print_briefing", office | is_commune_leader)
# Petitions: obj is the petition, or the village it is recorded for (a village head: only their own village).
rules.add_perm("dialogues.view_petition", commune_reader | is_village_head_of_petition)
rules.add_perm("dialogues.record_petition", office | is_commune_mttq | is_village_head_of)
rules.add_perm("dialogues.classify_petition", office)
rules.add_perm("dialogues.answer_petition", office)
rules.add_perm("dialogues.hide_petition", office)
# The Front's seat (Luật 10/2022/QH15, Điều 28.6): supervision notes and the satisfaction survey.
rules.add_perm("dialogues.supervise_dialogue", is_commune_mttq | is_superuser)
rules.add_perm("dialogues.run_survey", is_commune_mttq | is_superuser)
rules.add_perm("dialogues.view_report", commune_reader)
