from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal import principal
from portal.access import access_for
from portal.registry import menu_for


def unread_count(request) -> int:
    """Unread notifications of the person (``portal.principal``: from the cache, else one query)."""
    user = getattr(request, "user", None)
    return principal.unread_count(user) if getattr(user, "is_authenticated", False) else 0


def portal(request):
    user = getattr(request, "user", None)
    access = access_for(user)
    return {
        "SITE_NAME": settings.PORTAL_SITE_NAME,
        "access": access,
        "unread_notifications": SimpleLazyObject(lambda: unread_count(request)),
        # The menus come from the registry (portal/registry.py): only entries this person may open.
        "menu": SimpleLazyObject(lambda: menu_for(request, group="main")),
        "public_menu": SimpleLazyObject(lambda: menu_for(request, group="public")),
        "tools_menu": SimpleLazyObject(lambda: menu_for(request, group="tools")),
    }
