"""Issue 13: a staff home with 100,000 petitions costs what it costs with 100 — the "overdue" group reads the
partial index ``petition_due`` (commune, due_on, id), never the whole commune's petitions sorted."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogues import panels
from portal.access import access_for
from tests.dialogues.views.test_seek import bulk_petitions

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_overdue_petitions_group_reads_the_due_index_on_postgresql(rf, commune, village, staff):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL")
    today = timezone.localdate()
    bulk_petitions(commune, 5000, village=village)  # no due date yet (received, not classified)
    bulk_petitions(commune, 12, village=village, prefix="Q", due_on=today - dt.timedelta(days=3))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dialogues_petition")
    request = rf.get("/")
    request.user = staff
    with CaptureQueriesContext(connection) as ctx:
        work = panels.staff_home(request, access_for(staff))
    overdue = next(g for g in work.groups if g.kind == "overdue")
    assert overdue.count == 12 and len(overdue.items) == 5
    sqls = [q["sql"] for q in ctx.captured_queries if '"due_on" <' in q["sql"]]
    assert len(sqls) == 2  # the five rows and the bounded count
    for sql in sqls:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(r[0] for r in cursor.fetchall())
        assert "petition_due" in plan, plan
        assert "Seq Scan on dialogues_petition" not in plan, plan
