"""Who may do what with official documents.

Commune staff and leaders create and edit drafts; only a leader issues; MTTQ, the trade union, the radio and the upper level
read (``portal.rules.commune_reader``); village heads read issued documents of their commune; other communes see nothing.
Upper-level documents (commune null) are written and issued by an overseer of the issuing unit (district, town,
provincial city, province). Either a model plan (``purpose`` model): issued, readable by every commune office, which
may copy it into its own draft, with no deadlines of its own; or the unit's own plan (``purpose`` own), tracked like a
commune's: its author reports tasks, records triggers and drafts the execution report; other units see nothing.
"""

import rules

from portal.access import access_for
from portal.models import Role
from portal.rules import (
    commune_reader,
    is_commune_leader,
    is_commune_mttq,
    is_commune_staff,
    is_commune_union,
    is_superuser,
)


def _document(obj):
    return getattr(obj, "document", obj)


@rules.predicate
def is_draft(user, obj=None) -> bool:
    return obj is not None and _document(obj).status == "draft"


@rules.predicate
def is_issued(user, obj=None) -> bool:
    return obj is not None and _document(obj).status == "issued"


@rules.predicate
def is_model(user, obj=None) -> bool:
    """A model plan of an upper level, for the communes to copy."""
    return obj is not None and _document(obj).purpose == "model"


@rules.predicate
def is_upper_level(user, obj=None) -> bool:
    """Issued above the communes: a model plan or the upper level's own plan."""
    return obj is not None and _document(obj).commune_id is None


@rules.predicate
def is_upper_author(user, obj=None) -> bool:
    """An overseer of the upper-level unit that issues the document (a model or its own plan)."""
    if obj is None:
        return access_for(user).has_role(Role.OVERSEER)
    doc = _document(obj)
    return doc.commune_id is None and any(
        m.role == Role.OVERSEER and m.unit_id == doc.unit_id for m in access_for(user).memberships
    )


@rules.predicate
def is_village_head_in_commune(user, obj=None) -> bool:
    if obj is None:
        return False
    return _document(obj).commune_id in access_for(user).commune_ids(Role.VILLAGE_HEAD)


@rules.predicate
def is_any_commune_office(user, obj=None) -> bool:
    return bool(access_for(user).commune_ids(Role.STAFF, Role.LEADER))


def _on_document(pred):
    """Apply a commune predicate to the document of a task/section."""

    @rules.predicate(name=f"document_{pred.name}")
    def check(user, obj=None):
        return pred.test(user, _document(obj) if obj is not None else None)

    return check


doc_staff = _on_document(is_commune_staff)
doc_leader = _on_document(is_commune_leader)
doc_reader = _on_document(commune_reader)

rules.add_perm(
    "documents.view_document",
    is_superuser
    | (~is_upper_level & (doc_reader | (is_issued & is_village_head_in_commune)))
    | (is_upper_level & is_upper_author)
    | (is_model & is_issued & is_any_commune_office),
)
rules.add_perm("documents.add_document", is_commune_staff | is_upper_author | is_superuser)
rules.add_perm(
    "documents.change_document",
    is_draft & ((~is_upper_level & doc_staff) | is_upper_author | is_superuser),
)
rules.add_perm(
    "documents.issue_document",
    is_draft & ((~is_upper_level & doc_leader) | is_upper_author | is_superuser),
)
rules.add_perm(
    "documents.new_version_document",
    is_issued & ((~is_upper_level & doc_staff) | is_upper_author | is_superuser),
)
rules.add_perm("documents.copy_model_document", is_model & is_issued & is_any_commune_office)
# An own plan is tracked by its unit: the commune's staff (MTTQ and the union report their tasks), or for an upper
# level's own plan, the overseer of the issuing unit. A model plan has no tasks of its own to track.
rules.add_perm(
    "documents.report_task",
    is_issued
    & ~is_model
    & (
        doc_staff
        | _on_document(is_commune_mttq)
        | _on_document(is_commune_union)
        | (is_upper_level & is_upper_author)
        | is_superuser
    ),
)
rules.add_perm(
    "documents.trigger_task",
    is_issued & ~is_model & (doc_staff | (is_upper_level & is_upper_author) | is_superuser),
)
rules.add_perm(
    "documents.report_plan",
    is_issued & ~is_model & (doc_staff | (is_upper_level & is_upper_author) | is_superuser),
)


@rules.predicate
def is_issuer_head(user, obj=None) -> bool:
    """For an issuing Organization: a leader of its commune, or an overseer of the upper unit it belongs to."""
    if obj is None:
        return False
    access = access_for(user)
    return obj.unit_id in access.commune_ids(Role.LEADER) or any(
        m.role == Role.OVERSEER and m.unit_id == obj.unit_id for m in access.memberships
    )


# Holding a number back in an issuer's book (giữ số): its leader or an administrator.
rules.add_perm("documents.reserve_number", is_issuer_head | is_superuser)
