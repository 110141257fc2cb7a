from django.conf import settings

from portal.access import access_for


def portal(request):
    user = getattr(request, "user", None)
    access = access_for(user)
    unread = 0
    if access.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "SITE_NAME": settings.PORTAL_SITE_NAME,
        "access": access,
        "unread_notifications": unread,
    }
