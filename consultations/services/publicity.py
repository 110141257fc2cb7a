"""Publicizing a consultation (công khai, Điều 11 khoản 11, Điều 12–13, 28) through the core publicity
(portal/publicity): each phase — plan and draft, results, the adopted text — is one Publication of the consultation."""

from __future__ import annotations

import datetime as dt

from consultations.models import Consultation, PublicityPhase
from portal import statutes
from portal.publicity import services as publicity
from portal.publicity.models import Form, Publication, Regime

# Re-exported: the safe photo handling, the radio-day service and the posting confirmation live in the core.
photo_clean = publicity.photo_clean
posting_confirm = publicity.posting_confirm
broadcast_log = publicity.posting_log_broadcast
longest_run = publicity.longest_run

PEOPLE_FORMS = [Form.POSTING, Form.PORTAL, Form.RADIO, Form.VILLAGE_HEAD]


def postings_generate(
    *,
    consultation: Consultation,
    phase: str,
    trigger_on: dt.date,
    portal_on: dt.date | None,
    by,
    now: dt.datetime | None = None,
) -> Publication:
    """Publicize one phase (idempotent): a people's consultation is Điều 11 item 11 (office, every village's
    cultural house, radio, portal, village heads); a staff one is the agency regime (Điều 47–48)."""
    people = consultation.is_people
    if people:
        within = (
            statutes.CONSULTATION_RESULTS_PUBLICIZE
            if phase == PublicityPhase.RESULTS
            else statutes.PUBLICIZE_WITHIN
        )
    else:
        within = statutes.AGENCY_PUBLICIZE_WITHIN
    return publicity.publication_create(
        commune=consultation.commune,
        title=f"{PublicityPhase(phase).label}: {consultation.title}"[:300],
        item=11 if people else None,
        regime=Regime.COMMUNE if people else Regime.AGENCY,
        forms=PEOPLE_FORMS if people else [Form.POSTING, Form.PORTAL],
        decided_on=trigger_on,
        starts_on=max(trigger_on, portal_on) if portal_on else trigger_on,
        subject=consultation,
        phase=phase,
        within_rule=within.code,
        portal_on=portal_on,
        by=by,
        now=now,
    )
