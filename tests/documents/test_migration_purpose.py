"""Migration 0012 adds Document.purpose: documents without a commune stay model plans, the communes' are their own."""
# ruff: noqa: N806  (historical models are named like classes)

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("documents", "0011_tasks_in_the_body")]
AFTER = [("documents", "0012_document_purpose")]


@pytest.mark.django_db(transaction=True)
def test_existing_upper_level_documents_stay_models():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Unit = apps.get_model("portal", "AdministrativeUnit")
    Organization = apps.get_model("portal", "Organization")
    Document = apps.get_model("documents", "Document")
    province = Unit.objects.create(level="province", kind="tinh", name="Tỉnh", code="MIG-DP")
    commune = Unit.objects.create(level="commune", kind="xa", name="Xã", code="MIG-DC", parent=province)
    now = dt.datetime(2025, 1, 2, 3, 0, tzinfo=dt.UTC)
    made = {}
    for name, unit, doc_commune in (("upper", province, None), ("commune", commune, commune)):
        org = Organization.objects.create(unit=unit, kind="ubnd", name=f"UBND {name}", short_name="UBND")
        made[name] = Document.objects.create(
            commune=doc_commune,
            unit=unit,
            issuer=org,
            doc_type="KH",
            place="Nơi",
            title=name,
            created_at=now,
            updated_at=now,
        ).pk
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    Document = executor.loader.project_state(AFTER).apps.get_model("documents", "Document")
    assert Document.objects.get(pk=made["upper"]).purpose == "model"
    assert Document.objects.get(pk=made["commune"]).purpose == "own"
    executor = MigrationExecutor(connection)
    executor.migrate([n for app in ("documents",) for n in executor.loader.graph.leaf_nodes(app)])
