"""Citizen intake: one mechanism for anything a citizen sends (comments, petitions, survey answers, …).

What it gives every kind of submission:

- **tracking codes** per kind (:mod:`portal.intake.codes`): ``KN-XXXX-XXXX`` with the kind's 2-letter prefix,
  unique across kinds by construction; consultation comments keep their unprefixed ``XXXX-XXXX``;
- **exactly-once saving** per form token (:mod:`portal.intake.tokens`, table ``intake.FormToken``): double clicks,
  retries and racing tabs make one submission (race-safe on PostgreSQL: the token's unique index decides);
- **flood control** that does not refuse a village sharing one Wi-Fi or a carrier NAT address
  (:mod:`portal.intake.limits`, ``settings.PORTAL_INTAKE_LIMITS``; the policy is explained there);
- **honeypot** and **form token** fields (:mod:`portal.intake.forms`);
- the **client address behind trusted proxies** and a browser key (:mod:`portal.intake.origin`);
- **one public lookup page**, ``/tra-cuu/?ma=…`` (URL name ``intake_lookup``), which finds a submission of any
  registered kind by its code and shows its status and answer (:mod:`portal.intake.lookup`).

Text cleaning (NFC, control characters, accent-free search text, ``to_html``) is in :mod:`portal.text`.

How an app uses it (nothing here imports a feature app; feature apps import only ``portal.intake``):

1. Register the kind once, in ``AppConfig.ready()``::

       from portal import intake
       intake.register_lookup("dialogues.petition", petition_found, label="Kiến nghị", prefix="KN")

   ``petition_found(code) -> intake.Found | None`` fetches the row by its normalized code in ONE query and returns
   what the public may see (``Found(code=, title=, received_at=, status=, subject_url=, answer_label=,
   answer_html=, answered_at=, pending=, template=, extra=)``); ``None`` when there is no such code (or it is not
   public). ``template`` is an optional partial included on the lookup page with ``found`` and ``extra``.

2. The model keeps its code in a unique column wide enough for the prefix, e.g.
   ``tracking_code = models.CharField("mã tra cứu", max_length=12, unique=True)``. No token column is needed.

3. The form declares ``form_token = intake.form_token_field()`` and ``website = intake.HoneypotField()`` and calls
   ``intake.with_new_token(kwargs)`` in ``__init__``; the template hides the honeypot's wrapper with
   ``<div class="hp-field" aria-hidden="true">``.

4. The view: ``if intake.honeypot_tripped(form): …400 page, nothing saved…``; pass
   ``origin=intake.origin_of(request)`` to the service; answer ``intake.RateLimited`` with status 429 and its
   message on the form (it is a ``ValidationError``).

5. The service, inside its ``transaction.atomic()`` and after its own checks::

       def create():
           petition = Petition(..., text=intake.clean_text(text), text_search=intake.normalize_search(text))
           return intake.insert_with_code(petition, kind="dialogues.petition")

       petition, created = intake.receive(model=Petition, token=form_token, create=create, origin=origin,
                                          subject=meeting, text=text, now=now)
       if created:
           audit_record(...)

   ``receive`` checks the token, applies flood control for ``origin`` on ``subject``, runs ``create()`` and stores
   the token in one savepoint, and returns ``(row, created)``; a repeated token returns the first row with
   ``created=False`` (check that it belongs to the same subject). ``intake.submitted(Model, token)`` answers "did
   this token already make a row?" in one query, for services that return a repeat before their own checks.

6. Receipts and emails link to ``reverse("intake_lookup") + "?ma=" + code``.
"""

from portal.intake.codes import Kind, kind_get, new_code, parse_code, register_lookup
from portal.intake.forms import (
    HONEYPOT_FIELD,
    HoneypotField,
    form_token_field,
    honeypot_tripped,
    new_form_token,
    with_new_token,
)
from portal.intake.limits import RateLimited, admit
from portal.intake.lookup import Found, LookupResult, find
from portal.intake.origin import Origin, client_ip, origin_of
from portal.intake.tokens import INVALID_FORM, check_token, insert_with_code, receive, submitted
from portal.text import clean_line, clean_text, normalize_search, to_html

__all__ = [
    "HONEYPOT_FIELD",
    "INVALID_FORM",
    "Found",
    "HoneypotField",
    "Kind",
    "LookupResult",
    "Origin",
    "RateLimited",
    "admit",
    "check_token",
    "clean_line",
    "clean_text",
    "client_ip",
    "find",
    "form_token_field",
    "honeypot_tripped",
    "insert_with_code",
    "kind_get",
    "new_code",
    "new_form_token",
    "normalize_search",
    "origin_of",
    "parse_code",
    "receive",
    "register_lookup",
    "submitted",
    "to_html",
    "with_new_token",
]
