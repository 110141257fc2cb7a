"""The data migration that moves consultation postings and radio days onto the core publicity."""
# ruff: noqa: N806  (historical models are named like classes)

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("consultations", "0008_comment_text_search_trigram"), ("publicity", "0001_initial")]
AFTER = [("consultations", "0010_remove_posting_broadcast")]


@pytest.mark.django_db(transaction=True)
def test_consultation_postings_become_core_rows():
    executor = MigrationExecutor(connection)
    # Every other app stays at its leaf (the table it has now), only the move is rolled back.
    before = BEFORE + [n for app in ("portal", "documents") for n in executor.loader.graph.leaf_nodes(app)]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Unit = apps.get_model("portal", "AdministrativeUnit")
    User = apps.get_model("auth", "User")
    Membership = apps.get_model("portal", "Membership")
    Consultation = apps.get_model("consultations", "Consultation")
    OldPosting = apps.get_model("consultations", "Posting")
    OldBroadcast = apps.get_model("consultations", "Broadcast")
    Deadline = apps.get_model("portal", "Deadline")
    ContentType = apps.get_model("contenttypes", "ContentType")

    province = Unit.objects.create(level="province", kind="province", name="Tỉnh", code="MIG-P")
    commune = Unit.objects.create(level="commune", kind="commune", name="Xã", code="MIG-C", parent=province)
    commune.commune = commune
    commune.save()
    village = Unit.objects.create(
        level="village", kind="village", name="Thôn A", code="MIG-V1", parent=commune, commune=commune
    )
    other = Unit.objects.create(
        level="village", kind="village", name="Thôn B", code="MIG-V2", parent=commune, commune=commune
    )
    staff = User.objects.create(username="mig-staff")
    head = User.objects.create(username="mig-head")
    Membership.objects.create(user=head, unit=village, commune=commune, role="village_head")
    c = Consultation.objects.create(
        commune=commune,
        title="Dự thảo quy chế",
        category="p7",
        opens_on=dt.date(2024, 3, 1),
        closes_on=dt.date(2024, 3, 25),
        created_by=staff,
    )
    common = {
        "consultation": c,
        "commune": commune,
        "phase": "plan",
        "trigger_on": dt.date(2024, 2, 27),
        "due_on": dt.date(2024, 3, 5),
        "rule_code": "publicize.within",
    }
    portal = OldPosting.objects.create(kind="portal", posted_on=dt.date(2024, 2, 29), **common)
    radio = OldPosting.objects.create(
        kind="radio", min_rule_code="publicize.radio_min", posted_on=dt.date(2024, 3, 1), **common
    )
    OldBroadcast.objects.create(
        posting=radio, commune=commune, broadcast_on=dt.date(2024, 3, 1), logged_by=staff
    )
    OldBroadcast.objects.create(
        posting=radio, commune=commune, broadcast_on=dt.date(2024, 3, 2), logged_by=staff
    )
    by_head = OldPosting.objects.create(
        kind="village_house",
        village=village,
        min_rule_code="publicize.posting_min",
        posted_on=dt.date(2024, 3, 1),
        photo="consultations/postings/2024/03/a.jpg",
        confirmed_by=head,
        **common,
    )
    by_staff = OldPosting.objects.create(
        kind="village_house",
        village=other,
        min_rule_code="publicize.posting_min",
        posted_on=dt.date(2024, 3, 2),
        confirmed_by=staff,
        **common,
    )
    ct_old = ContentType.objects.get_or_create(app_label="consultations", model="posting")[0]
    unit = {"unit": commune} if any(f.name == "unit" for f in Deadline._meta.fields) else {}
    Deadline.objects.create(
        **unit,
        rule_code="publicize.within",
        title="Niêm yết",
        content_type=ct_old,
        object_id=str(by_staff.pk),
        commune=commune,
        trigger_date=dt.date(2024, 2, 27),
        due_date=dt.date(2024, 3, 5),
        status="met",
    )
    old_ids = {portal.pk, radio.pk, by_head.pk, by_staff.pk}

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    from portal.models import Deadline as NowDeadline
    from portal.publicity.models import Posting, Publication

    pub = Publication.objects.get()
    assert (pub.item, pub.phase, pub.object_id, pub.regime) == (11, "plan", str(c.pk), "commune")
    assert pub.starts_on == dt.date(2024, 2, 29) and pub.ends_on == dt.date(
        2024, 4, 1
    )  # 30 days end on Saturday 30/03: next working day
    assert Posting.objects.count() == 4
    on_air = Posting.objects.get(kind="radio")
    assert sorted(on_air.broadcasts.values_list("broadcast_on", flat=True)) == [
        dt.date(2024, 3, 1),
        dt.date(2024, 3, 2),
    ]
    mine = Posting.objects.get(village__code="MIG-V1")
    assert mine.photo.name == "consultations/postings/2024/03/a.jpg" and not mine.on_behalf
    theirs = Posting.objects.get(village__code="MIG-V2")
    assert theirs.on_behalf and theirs.on_behalf_reason and theirs.legal_basis == "Điều 13 khoản 2"
    moved = NowDeadline.objects.get(rule_code="publicize.within")
    assert moved.content_type.app_label == "publicity" and moved.object_id == str(theirs.pk)
    assert moved.subject == theirs
    assert old_ids  # the old rows' ids are gone with their tables
