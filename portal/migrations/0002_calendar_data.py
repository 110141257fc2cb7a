from django.db import migrations


def load(apps, schema_editor):
    from portal.calendar_data import DECREED_EXCEPTIONS

    CalendarDay = apps.get_model("portal", "CalendarDay")
    for day, kind, name, source in DECREED_EXCEPTIONS:
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name, "legal_source": source})


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
