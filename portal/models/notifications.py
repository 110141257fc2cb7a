from django.conf import settings
from django.db import models

from portal import bounds


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", max_length=10_000, blank=True, validators=bounds.text_limit(10_000))
    url = models.CharField("liên kết", max_length=500, blank=True)
    created_at = models.DateTimeField("lúc", db_index=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed_at = models.DateTimeField("đã gửi email lúc", null=True, blank=True)
    # A notification with a key is sent once per recipient, whatever retries or reruns happen.
    key = models.CharField(max_length=200, null=True, blank=True)
    # The workflow it belongs to ("consultation", "document", "deadline"…), for grouping; labels in portal/registry.py.
    topic = models.CharField("chủ đề", max_length=40, blank=True, default="")

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "topic", "read_at"], name="notification_topic_idx"),
        ]

    def __str__(self) -> str:
        return self.title
