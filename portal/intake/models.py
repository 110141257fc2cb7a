"""The one table citizen intake owns: form tokens already used, whatever kind of submission they made."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models


class FormToken(models.Model):
    """A form's one-time token and the submission it made (any model, by content type + id).

    The unique ``token`` is what makes a double submit (two clicks, a retried request, two tabs racing) produce one
    submission: the second insert of the same token fails inside the first one's savepoint and the first one's
    submission is returned (see :func:`portal.intake.tokens.receive`). Rows are kept like the submissions they name.
    """

    token = models.CharField("mã biểu mẫu", max_length=64, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField("thời điểm nhận")

    class Meta:
        verbose_name = "mã biểu mẫu đã dùng"
        verbose_name_plural = "mã biểu mẫu đã dùng"
        indexes = [models.Index(fields=["content_type", "object_id"], name="intake_formtoken_object")]

    def __str__(self) -> str:
        return self.token


class FloodCounter(models.Model):
    """One flood-control counter: accepted submissions of one rule, bucket and fixed window (see
    :mod:`portal.intake.limits`). The key carries the window, so a counter is never reused once its window is over;
    ``expires_at`` (the window's end) only tells the hourly sweep which rows to delete. Counted in the submission's
    own transaction with one ``INSERT … ON CONFLICT DO UPDATE`` for all rules: a rolled-back submission counts
    nothing, and concurrent submissions never lose an increment."""

    key = models.CharField("khóa", max_length=120, primary_key=True)
    n = models.PositiveIntegerField("số lần")
    expires_at = models.DateTimeField("hết hạn", db_index=True)

    class Meta:
        verbose_name = "bộ đếm chống gửi dồn"
        verbose_name_plural = "bộ đếm chống gửi dồn"

    def __str__(self) -> str:
        return f"{self.key}={self.n}"
