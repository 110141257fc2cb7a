"""Move the consultation postings and radio days onto the core publicity (portal/publicity).

Each (consultation, phase) becomes one Publication of the consultation (Điều 11 item 11 for the people, the agency
regime for the staff); each posting and radio day is copied with its proof, confirmation and dates; the deadlines
and audit events of a posting are re-pointed to its new row. A village posting confirmed by someone who is not that
village's head is marked as confirmed on the head's behalf. Photos keep their stored file names.
"""

from django.db import migrations

PHASE_LABELS = {
    "plan": "Kế hoạch và dự thảo",
    "results": "Kết quả tổng hợp, tiếp thu, giải trình",
    "regulation": "Văn bản được ban hành",
}
PEOPLE_BASIS = {
    "portal": "Điều 13 khoản 1",
    "office": "Điều 13 khoản 2",
    "village_house": "Điều 13 khoản 2",
    "radio": "Điều 13 khoản 3",
    "village_head": "Điều 13 khoản 4",
}
AGENCY_BASIS = {"office": "Điều 47, 48", "portal": "Điều 47"}
ON_BEHALF_REASON = "Xác nhận trước khi chuyển sang sổ công khai chung (dữ liệu chuyển đổi)"


def forward(apps, schema_editor):
    from portal import statutes  # the statutory periods; pure code over the calendar

    Consultation = apps.get_model("consultations", "Consultation")
    OldPosting = apps.get_model("consultations", "Posting")
    OldBroadcast = apps.get_model("consultations", "Broadcast")
    Publication = apps.get_model("publicity", "Publication")
    Posting = apps.get_model("publicity", "Posting")
    Broadcast = apps.get_model("publicity", "Broadcast")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deadline = apps.get_model("portal", "Deadline")
    AuditEvent = apps.get_model("portal", "AuditEvent")
    Membership = apps.get_model("portal", "Membership")

    if not OldPosting.objects.exists():
        return
    ct_consultation, _ = ContentType.objects.get_or_create(app_label="consultations", model="consultation")
    ct_old, _ = ContentType.objects.get_or_create(app_label="consultations", model="posting")
    ct_new, _ = ContentType.objects.get_or_create(app_label="publicity", model="posting")
    heads = set(Membership.objects.filter(role="village_head").values_list("user_id", "unit_id"))

    groups = {}
    for old in OldPosting.objects.order_by("consultation_id", "phase", "id"):
        groups.setdefault((old.consultation_id, old.phase), []).append(old)
    for (consultation_id, phase), olds in groups.items():
        c = Consultation.objects.get(pk=consultation_id)
        people = c.audience == "people"
        trigger = min(o.trigger_on for o in olds)
        portal = next((o for o in olds if o.kind == "portal"), None)
        starts_on = max(trigger, portal.posted_on) if portal and portal.posted_on else trigger
        if people:
            ends_on = statutes.POSTING_MIN_DAYS.due(starts_on)
        else:
            ends_on = statutes.AGENCY_POSTING_MIN_DAYS.due(starts_on)
        publicized = phase == "regulation" and c.regulation_publicized_on is not None
        pub = Publication.objects.create(
            commune_id=c.commune_id,
            regime="commune" if people else "agency",
            item=11 if people else None,
            title=f"{PHASE_LABELS.get(phase, phase)}: {c.title}"[:300],
            forms=["posting", "portal", "radio", "village_head"] if people else ["posting", "portal"],
            content_type=ct_consultation,
            object_id=str(c.pk),
            phase=phase,
            decided_on=trigger,
            starts_on=starts_on,
            ends_on=ends_on,
            within_rule=olds[0].rule_code,
            status="publicized" if publicized else "active",
            publicized_on=c.regulation_publicized_on if publicized else None,
            created_by_id=c.created_by_id,
            created_at=c.created_at,
            updated_at=c.updated_at,
        )
        basis = PEOPLE_BASIS if people else AGENCY_BASIS
        for old in olds:
            on_behalf = bool(
                old.village_id and old.confirmed_by_id and (old.confirmed_by_id, old.village_id) not in heads
            )
            new = Posting.objects.create(
                publication=pub,
                commune_id=old.commune_id,
                kind=old.kind,
                village_id=old.village_id,
                trigger_on=old.trigger_on,
                due_on=old.due_on,
                rule_code=old.rule_code,
                min_rule_code=old.min_rule_code,
                legal_basis=basis.get(old.kind, ""),
                posted_on=old.posted_on,
                photo=old.photo.name if old.photo else "",
                note=old.note,
                confirmed_by_id=old.confirmed_by_id,
                confirmed_at=old.confirmed_at,
                on_behalf=on_behalf,
                on_behalf_reason=ON_BEHALF_REASON if on_behalf else "",
                removed_on=old.removed_on,
            )
            Broadcast.objects.bulk_create(
                [
                    Broadcast(
                        posting=new,
                        commune_id=b.commune_id,
                        broadcast_on=b.broadcast_on,
                        note=b.note,
                        logged_by_id=b.logged_by_id,
                        logged_at=b.logged_at,
                    )
                    for b in OldBroadcast.objects.filter(posting_id=old.pk).order_by("broadcast_on")
                ]
            )
            url = f"/cong-khai/{pub.pk}/"
            Deadline.objects.filter(content_type=ct_old, object_id=str(old.pk)).update(
                content_type=ct_new, object_id=str(new.pk), url=url
            )
            AuditEvent.objects.filter(content_type=ct_old, object_id=str(old.pk)).update(
                content_type=ct_new, object_id=str(new.pk)
            )
    OldBroadcast.objects.all().delete()
    OldPosting.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0008_comment_text_search_trigram"),
        ("publicity", "0001_initial"),
        ("portal", "0002_calendar_data"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Backwards: the tables come back empty (the rows stay in the core publicity).
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
