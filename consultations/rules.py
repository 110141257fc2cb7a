"""Who may do what in consultations (django-rules). Names: ``consultations.<verb>_<model>``."""

import rules

from portal.access import access_for
from portal.models import Role
from portal.rules import (
    commune_reader,
    is_commune_leader,
    is_commune_mttq,
    is_commune_radio,
    is_commune_staff,
    is_commune_union,
    is_superuser,
)


def rule_inputs(consultation) -> tuple:
    """What the rules below read of a consultation (with the person's roles): a per-person memo of their answers
    is keyed by it (``portal.principal.memoized``: the sub-navigation, the MTTQ review's buttons)."""
    return (consultation.pk, consultation.audience, consultation.status, consultation.commune_id)


def _consultation(obj):
    return getattr(obj, "consultation", obj)


@rules.predicate
def is_public(user, obj=None) -> bool:
    """A people's consultation that has been published: anyone may read it."""
    if obj is None:
        return True
    c = _consultation(obj)
    return c.audience == "people" and c.status != "draft"


@rules.predicate
def is_commune_village_head(user, obj=None) -> bool:
    """A village head of a village of the consultation's commune."""
    access = access_for(user)
    if obj is None:
        return access.has_role(Role.VILLAGE_HEAD)
    return obj.commune_id in {m.unit.parent_id for m in access.memberships if m.role == Role.VILLAGE_HEAD}


@rules.predicate
def is_agency_member(user, obj=None) -> bool:
    """Staff of the commune office may read and comment on their agency's consultations once published."""
    if obj is None:
        return False
    c = _consultation(obj)
    return (
        c.audience == "staff"
        and c.status != "draft"
        and (is_commune_staff(user, c) or is_commune_union(user, c) or is_commune_radio(user, c))
    )


@rules.predicate
def is_reviewer(user, obj=None) -> bool:
    """Ủy ban MTTQ for the people's consultations, Công đoàn cơ sở for the staff's."""
    if obj is None:
        return is_commune_mttq(user) or is_commune_union(user)
    c = _consultation(obj)
    return is_commune_mttq(user, c) if c.audience == "people" else is_commune_union(user, c)


office = is_commune_staff | is_superuser

rules.add_perm("consultations.view_consultation", is_public | commune_reader | is_agency_member)
rules.add_perm("consultations.add_consultation", office)
rules.add_perm("consultations.change_consultation", office)
rules.add_perm("consultations.adopt_consultation", is_commune_leader | is_superuser)
# Reading every comment with its answer, hidden ones included (with the reason).
rules.add_perm("consultations.review_consultation", commune_reader)
rules.add_perm("consultations.record_comment", office | is_reviewer)
rules.add_perm("consultations.import_comments", office)
rules.add_perm("consultations.answer_comment", office)
rules.add_perm("consultations.moderate_comment", office)
rules.add_perm("consultations.flag_comment", is_reviewer)
rules.add_perm("consultations.submit_summary", is_reviewer)
rules.add_perm("consultations.view_postings", commune_reader | is_commune_village_head | is_commune_radio)
# Confirming postings and logging radio days: the core permissions publicity.confirm_posting / log_broadcast.
