"""The data migration that moves comment form tokens into the core intake table, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consultations.models import Comment
from portal.intake.models import FormToken
from tests.consultations.factories import make_published, submit

BEFORE = [("consultations", "0004_comment_article_position")]
AFTER = [("consultations", "0006_remove_comment_form_token")]


@pytest.mark.django_db(transaction=True)
def test_form_tokens_move_to_intake_and_back(commune, village, staff):
    c = make_published(commune, staff)
    cm = submit(c, token="token-before-the-move")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT form_token FROM consultations_comment WHERE id = %s", [cm.pk])
        assert cursor.fetchone()[0] == "token-before-the-move"
        cursor.execute("DELETE FROM intake_formtoken")  # as before the intake table existed
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    row = FormToken.objects.get(token="token-before-the-move")
    assert row.object_id == cm.pk and row.content_type.model_class() is Comment
    executor = MigrationExecutor(connection)  # the later migrations too: the services write today's columns
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    again = submit(c, token="token-before-the-move", text="lần hai")
    assert again.pk == cm.pk and Comment.objects.count() == 1
