"""Publicity in the core (công khai, Luật 10/2022/QH15 Điều 11–14), for every app.

A **Publication** is something publicized: a subject (any model instance, through content type + id, with an
optional ``phase`` label such as "plan" / "results"), or an issued Document from /van-ban/, or an uploaded PDF; its
Điều 11 content item (1–14, ``ContentItem``); the Điều 12.1 forms (``Form``); the decision date and the start; its
period (≥ 30 consecutive days, permanent for items 4 and 13). It generates its **Postings** — the office notice
board, every active village's cultural house, the radio, the portal, every village head — each with its Deadline
(``portal.deadlines``; 5 working days from the decision by default, Điều 12.3). Village heads confirm on their
phones (photo re-encoded without metadata), staff may confirm on a head's behalf (reason + proof, shown as such),
the radio logs one row per day (≥ 3 consecutive days, Điều 13.3), early take-downs are recorded, and
``publication_mark_publicized`` is refused, naming the article, while a rule is unmet.

Public API (keyword-only; ``by`` is the acting user, None = the system; ``now=None`` for tests):

``portal.publicity.services``
- ``publication_create(*, commune, title, decided_on, by, item=None, regime="commune", forms=None,
  starts_on=None, subject=None, phase="", document=None, file=None, summary="", responsible="",
  within_rule=None, portal_on=None, replaces=None, due_from=None, villages=None, now=None) -> Publication``
  Idempotent per (subject, phase). ``forms`` adds Điều 12.1 forms to those the law requires for ``item``
  (``required_forms(item=...)``); ``within_rule`` is a ``portal.statutes`` code for the postings' deadline
  (default ``publicize.within``), counted from ``due_from`` (default ``decided_on``; a notice due N days before a
  meeting passes the meeting's date and a ``Count.BEFORE`` rule); ``portal_on`` confirms the portal posting on
  that date (default: the start, if already reached). ``villages`` (of the commune, active) limits the cultural
  house and village head postings to them, e.g. a dialogue's villages (default: every active village; the office,
  portal and radio postings are unaffected). ``regime="agency"`` is the agency regime (Điều 46–48: office + portal, 20 days).
- ``posting_confirm(*, posting, by, posted_on, photo=None, note="", on_behalf_reason="", now=None)``
- ``posting_log_broadcast(*, posting, by, broadcast_on, note="", now=None)``
- ``posting_take_down(*, posting, by, removed_on, reason="", now=None)``
- ``publication_problems(publication, *, today=None) -> list[str]`` (what blocks "publicized", in Vietnamese)
- ``publication_mark_publicized(*, publication, by, now=None)``
- ``publication_withdraw(*, publication, by, reason, now=None)``

``portal.publicity.selectors``
- ``publications_for(subject)``; ``publication_list(*, user, ...)``; ``publication_get(*, user, pk)``
- ``compliance_matrix(*, publications, today=None) -> {publication_id: matrix}``; render one with
  ``{% include "publicity/includes/matrix.html" with matrix=... publication=... %}``
- ``postings_for_village_head(*, user)``, ``postings_for_radio(*, user)``, ``public_register(*, commune)``

Pages (``publicity:`` URL names): ``detail`` (a publication and its matrix), ``my_postings`` (village head, any
publication), ``posting_confirm``, ``broadcast_log``, ``radio``, and the register (``register``, ``create``,
``plan``, ``quarterly``, ``report``, ``requests``). Permissions: ``publicity.*`` in ``rules.py``.
"""
