from django.db import migrations


class Migration(migrations.Migration):
    """The postings and radio days live in the core publicity now (0005 copied them)."""

    dependencies = [
        ("consultations", "0009_postings_to_publicity"),
    ]

    operations = [
        migrations.DeleteModel(name="Broadcast"),
        migrations.DeleteModel(name="Posting"),
    ]
