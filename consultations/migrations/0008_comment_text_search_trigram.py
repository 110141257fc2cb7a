"""A trigram index on the accent-free search column, on PostgreSQL only.

The staff list and the MTTQ review filter comments with ``text_search LIKE '%word%'`` (one condition per word,
``filters.CommentFilter.search``). On PostgreSQL a GIN ``gin_trgm_ops`` index answers that without reading every
comment of the consultation; the ``pg_trgm`` extension ships with PostgreSQL (contrib) and is created here when it is
missing (this needs a role that may create it, as the migrating superuser of a fresh database may). On SQLite, and on
PostgreSQL where the extension cannot be created, nothing is done: the filter stays correct, only slower.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "comment_text_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):  # a savepoint: a refusal rolls back only this
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return  # no right to create it: the filter works without the index
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON consultations_comment USING gin (text_search gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0007_comment_tally")]

    operations = [migrations.RunPython(create, drop)]
