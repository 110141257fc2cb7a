"""Who may do what with official documents.

Commune staff and leaders create and edit drafts; only a leader issues; MTTQ, the trade union, the radio and the upper level
read (``portal.rules.commune_reader``); village heads read issued documents of their commune; other communes see nothing. Model plans (commune
null) are written and issued by an upper-level overseer of the issuing unit; issued model plans are readable by
every commune office, which may copy them into its own draft.
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
    return obj is not None and _document(obj).commune_id is None


@rules.predicate
def is_upper_author(user, obj=None) -> bool:
    """An overseer of the upper-level unit that issues the model plan."""
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
    | (~is_model & (doc_reader | (is_issued & is_village_head_in_commune)))
    | (is_model & (is_upper_author | (is_issued & is_any_commune_office))),
)
rules.add_perm("documents.add_document", is_commune_staff | is_upper_author | is_superuser)
rules.add_perm(
    "documents.change_document",
    is_draft & ((~is_model & doc_staff) | (is_model & is_upper_author) | is_superuser),
)
rules.add_perm(
    "documents.issue_document",
    is_draft & ((~is_model & doc_leader) | (is_model & is_upper_author) | is_superuser),
)
rules.add_perm(
    "documents.new_version_document",
    is_issued & ((~is_model & doc_staff) | (is_model & is_upper_author) | is_superuser),
)
rules.add_perm("documents.copy_model_document", is_model & is_issued & is_any_commune_office)
rules.add_perm(
    "documents.report_task",
    is_issued
    & ~is_model
    & (doc_staff | _on_document(is_commune_mttq) | _on_document(is_commune_union) | is_superuser),
)
rules.add_perm("documents.trigger_task", is_issued & ~is_model & (doc_staff | is_superuser))
rules.add_perm("documents.report_plan", is_issued & ~is_model & (doc_staff | is_superuser))
