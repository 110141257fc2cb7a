"""Who may do what with publications (django-rules). Names: ``publicity.<verb>_<model>``.

Objects expose ``commune_id`` and, for a village's posting, ``village_id`` (see portal/rules.py).
"""

import rules

from portal.access import access_for
from portal.models import Role
from portal.rules import commune_reader, is_commune_radio, is_commune_staff, is_superuser, is_village_head_of


@rules.predicate
def is_commune_village_head(user, obj=None) -> bool:
    """A village head of a village of the object's commune."""
    access = access_for(user)
    if obj is None:
        return access.has_role(Role.VILLAGE_HEAD)
    return obj.commune_id in {m.unit.parent_id for m in access.memberships if m.role == Role.VILLAGE_HEAD}


@rules.predicate
def is_public_publication(user, obj=None) -> bool:
    """Publicized by the commune (Điều 11): started and not withdrawn, everyone signed in may read its page."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    from django.utils import timezone

    return (
        getattr(obj, "regime", "") == "commune"
        and obj.status != "withdrawn"
        and obj.starts_on is not None
        and obj.starts_on <= timezone.localdate()
    )


office = is_commune_staff | is_superuser

rules.add_perm("publicity.view_publication", commune_reader | is_commune_village_head | is_public_publication)
rules.add_perm("publicity.add_publication", office)
rules.add_perm("publicity.change_publication", office)
rules.add_perm("publicity.confirm_posting", office | is_village_head_of)
# A posting's photo (the notice board, people in front of it) is a record of the commune, not publicity itself: its
# readers and the head of the village it was taken in; not everyone who may read the publicized content.
rules.add_perm("publicity.view_posting_photo", commune_reader | is_village_head_of)
rules.add_perm("publicity.log_broadcast", office | is_commune_radio)
rules.add_perm("publicity.manage_register", office)
rules.add_perm("publicity.view_register", commune_reader)
