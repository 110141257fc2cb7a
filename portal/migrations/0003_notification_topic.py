from django.conf import settings
from django.db import migrations, models

# Notifications sent before topics existed: their key starts with the workflow (see portal.notifications.topic_of).
KNOWN_PREFIXES = {"deadline:": "deadline", "documents.": "document", "consultation:": "consultation"}


def backfill(apps, schema_editor):
    Notification = apps.get_model("portal", "Notification")
    for prefix, topic in KNOWN_PREFIXES.items():
        Notification.objects.filter(topic="", key__startswith=prefix).update(topic=topic)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_calendar_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="topic",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="chủ đề"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["recipient", "topic", "read_at"], name="notification_topic_idx"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
