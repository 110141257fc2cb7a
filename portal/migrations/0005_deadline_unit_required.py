"""Deadline.unit becomes required; Deadline.commune becomes the denormalized commune of the unit (empty above)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_deadline_unit")]

    operations = [
        migrations.AlterField(
            model_name="deadline",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="unit_deadlines",
                to="portal.administrativeunit",
                verbose_name="đơn vị",
            ),
        ),
        migrations.AlterField(
            model_name="deadline",
            name="commune",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deadlines",
                to="portal.administrativeunit",
            ),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(fields=["unit", "status", "due_date"], name="portal_dead_unit_id_ae7155_idx"),
        ),
    ]
