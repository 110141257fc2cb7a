"""Dialogue test data, made through the services."""

from __future__ import annotations

import datetime as dt

from dialogues import services
from dialogues.models import Channel, Provenance
from portal.models import Organization
from tests.factories import OrganizationFactory
from tests.portal.factories import at

MEETING_DAY = dt.date(2026, 3, 19)  # a Thursday


def ubnd(commune) -> Organization:
    org = Organization.objects.filter(unit=commune, kind=Organization.Kind.PEOPLES_COMMITTEE).first()
    return org or OrganizationFactory(
        unit=commune, kind=Organization.Kind.PEOPLES_COMMITTEE, name=f"Ủy ban nhân dân xã {commune.name}"
    )


def make_dialogue(
    *, commune, by, villages=(), day: dt.date = MEETING_DAY, planned: dt.date | None = None, **kw
):
    planned = planned or day - dt.timedelta(days=20)
    return services.dialogue_create(
        commune=commune,
        by=by,
        title=kw.pop("title", "Hội nghị đối thoại giữa Chủ tịch UBND xã với Nhân dân thôn Đồng Tâm"),
        starts_at=at(day, 8),
        place=kw.pop("place", "Nhà văn hóa thôn Đồng Tâm"),
        villages=villages,
        now=at(planned, 9),
        **kw,
    )


def noticed_dialogue(*, commune, by, villages=(), day: dt.date = MEETING_DAY, **kw):
    d = make_dialogue(commune=commune, by=by, villages=villages, day=day, **kw)
    notice_on = day - dt.timedelta(days=10)
    return services.dialogue_publish_notice(dialogue=d, by=by, now=at(notice_on, 10))


def record(
    *,
    commune,
    by,
    village=None,
    dialogue=None,
    channel=Channel.PAPER,
    text="Đường trục thôn xuống cấp",
    on: dt.date | None = None,
    **kw,
):
    on = on or MEETING_DAY - dt.timedelta(days=5)
    return services.petition_record(
        commune=commune,
        by=by,
        channel=channel,
        provenance=kw.pop("provenance", Provenance.MTTQ),
        text=text,
        village=village,
        dialogue=dialogue,
        now=at(on, 9),
        **kw,
    )
