from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal.access import access_for
from portal.registry import menu_for


def unread_count(request) -> int:
    """Unread notifications of the person (one query, cached on the request)."""
    if not hasattr(request, "_portal_unread"):
        user = getattr(request, "user", None)
        request._portal_unread = (
            user.notifications.filter(read_at__isnull=True).count()
            if getattr(user, "is_authenticated", False)
            else 0
        )
    return request._portal_unread


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
