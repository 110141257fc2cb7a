"""A statutory or assigned deadline attached to any workflow object (see portal/deadlines.py for the engine)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from portal import bounds


class Deadline(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Đang chờ"
        MET = "met", "Đã hoàn thành"
        MISSED = "missed", "Quá hạn"
        WAIVED = "waived", "Miễn (có lý do)"

    rule_code = models.CharField("quy định", max_length=64)
    title = models.CharField("việc phải làm", max_length=300)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    # The unit the deadline belongs to (a commune for most; a district or a province for an upper-level contest).
    unit = models.ForeignKey(
        "portal.AdministrativeUnit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="unit_deadlines",
    )
    # The commune of ``unit`` (denormalized like Membership.commune, so commune scoping stays one indexed column);
    # empty for a deadline above communes.
    commune = models.ForeignKey(
        "portal.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
        editable=False,
    )
    village = models.ForeignKey(
        "portal.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="village_deadlines",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_deadlines",
    )
    trigger_date = models.DateField("ngày phát sinh", validators=[bounds.validate_date])
    due_date = models.DateField("hạn", validators=[bounds.validate_date])
    url = models.CharField(max_length=500, blank=True)
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.OPEN)
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waived_reason = models.TextField(
        "lý do miễn thời hạn", max_length=2000, blank=True, validators=bounds.text_limit(2000)
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    due_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "thời hạn"
        verbose_name_plural = "thời hạn"
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "met", "missed", "waived"]), name="deadline_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="waived") | ~Q(waived_reason=""),
                name="deadline_waiver_has_reason",
                violation_error_message="Miễn thời hạn phải ghi lý do.",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "rule_code"],
                condition=Q(status="open"),
                name="deadline_one_open_per_subject_rule",
            ),
        ]
        indexes = [
            # The sweep reads only open deadlines that are due soon: a partial index keeps that cost proportional
            # to the deadlines due, not to all deadlines ever created.
            models.Index(fields=["due_date"], condition=Q(status="open"), name="deadline_open_due_idx"),
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["commune", "status", "due_date"]),
            models.Index(fields=["unit", "status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} (hạn {self.due_date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        if self.unit_id and not self.commune_id:
            self.commune_id = self.unit.commune_id
        super().save(*args, **kwargs)

    @property
    def display_status(self) -> tuple[str, str]:
        """(css key, label) as people should read it today: an open deadline already past is overdue, even
        before the next sweep has marked it missed."""
        from django.utils import timezone

        if self.status == self.Status.OPEN:
            today = timezone.localdate()
            if self.due_date < today:
                return "missed", "Quá hạn"
            if self.due_date == today:
                return "open", "Hạn hôm nay"
        return self.status, self.get_status_display()
