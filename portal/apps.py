from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django_q.apps import DjangoQConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng dân chủ cơ sở"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_delete, post_migrate, post_save
        from PIL import Image

        # Pillow refuses (DecompressionBombError) images over twice this and warns over it; portal.uploads checks
        # the header against it before decoding anything.
        Image.MAX_IMAGE_PIXELS = settings.PORTAL_MAX_IMAGE_PIXELS

        from portal import homes, workdays
        from portal.models import CalendarDay

        def _clear(**kwargs):
            workdays.clear_cache()

        # weak=False: ``_clear`` is a local function; a weak reference would let it be garbage-collected at once.
        post_save.connect(_clear, sender=CalendarDay, dispatch_uid="calendar_save", weak=False)
        post_delete.connect(_clear, sender=CalendarDay, dispatch_uid="calendar_delete", weak=False)
        from portal import principal

        principal.connect()  # the cached signed-in person is dropped when they, their roles or units change
        homes.register()  # the core's menu entries, the deadline panel and audit labels (portal/registry.py)

        # The shared database cache's table (settings.CACHES): created, if missing, after every migrate, so the
        # start scripts, Docker's migrate step and the test database all have it without another command.
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="portal_cache_table", weak=False)

        # Idle sign-out (portal.middleware.IdleTimeoutMiddleware) counts from the sign-in itself, so the first page
        # after it writes nothing more to the session.
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import stamp_activity

        user_logged_in.connect(stamp_activity, dispatch_uid="portal_idle_stamp", weak=False)


def _create_cache_table(using="default", **kwargs) -> None:
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


# Third-party apps under Vietnamese names in the admin (their models' names: locale/vi/LC_MESSAGES/django.po).
class TaskQueueConfig(DjangoQConfig):
    verbose_name = "Công việc chạy nền"


class LoginGuardConfig(AxesConfig):
    verbose_name = "Bảo vệ đăng nhập"
