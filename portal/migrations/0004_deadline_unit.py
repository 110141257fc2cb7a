"""Deadlines belong to a unit (a district-level contest can have deadlines); ``commune`` stays as its commune.

The data is copied here; the column becomes required in 0005 (PostgreSQL refuses to alter a table with pending
trigger events from updates in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_commune_to_unit(apps, schema_editor):
    Deadline = apps.get_model("portal", "Deadline")  # noqa: N806 - historical model
    Deadline.objects.filter(unit__isnull=True).update(unit_id=models.F("commune_id"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_notification_topic")]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="unit_deadlines",
                to="portal.administrativeunit",
                verbose_name="đơn vị",
            ),
        ),
        migrations.RunPython(copy_commune_to_unit, migrations.RunPython.noop),
    ]
