"""The decreed calendar exceptions that the `holidays` package cannot know: editable per year by an administrator."""

from django.db import models
from django.db.models import Q


class CalendarDay(models.Model):
    """One exception to the Monday–Friday week minus statutory holidays.

    ``day_off``: a weekday the government gives off (e.g. 02/01/2026, swapped for Saturday 10/01/2026).
    ``working_day``: a day that counts as a working day although the week or the holiday table says otherwise
    (a make-up Saturday, "ngày làm bù").
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", "Ngày nghỉ"
        WORKING_DAY = "working_day", "Ngày làm việc (làm bù)"

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    name = models.CharField("tên / lý do", max_length=200)
    legal_source = models.CharField("căn cứ", max_length=200, blank=True)

    class Meta:
        verbose_name = "ngày nghỉ / làm bù"
        verbose_name_plural = "lịch nghỉ lễ và ngày làm bù"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["day_off", "working_day"]), name="calendarday_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}: {self.name}"
