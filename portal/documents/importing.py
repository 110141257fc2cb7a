"""Import a document file (FORMAT.md) for a commune or an upper level (a model or its own plan): one transaction,
line-precise errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.documents.models import Document
from portal.documents.services import document_create_from_spec
from portal.documents.specs import SpecError, parse_yaml
from portal.models import AdministrativeUnit, Organization


def import_document_text(
    text: str,
    *,
    commune: AdministrativeUnit | None = None,
    unit: AdministrativeUnit | None = None,
    by=None,
    now=None,
) -> Document:
    """Parse and create a draft. ``commune`` scopes the document; without it the issuer is looked up in ``unit``
    (an upper level) and the document has no commune: a model plan, or the unit's own plan with ``purpose: own``.
    Raises SpecError (with line numbers)."""
    parsed = parse_yaml(text)
    owner = commune or unit
    if owner is None:
        raise SpecError([(("issuer",), "chưa chỉ định xã (--commune) hoặc đơn vị cấp trên (--unit)")], {})
    issuer = find_issuer(owner, parsed.issuer, party=parsed.fields.get("layout") == "party")
    if issuer is None:
        available = ", ".join(
            sorted(Organization.objects.filter(unit=owner).values_list("short_name", flat=True))
        )
        what = f"cơ quan {parsed.issuer!r}" if parsed.issuer else "cơ quan ban hành (khóa issuer)"
        raise SpecError(
            [
                (
                    ("issuer",),
                    f"không tìm thấy {what} thuộc {owner.name}; các cơ quan hiện có: "
                    f"{available or 'chưa có'}",
                )
            ],
            _lines_of(text),
        )
    try:
        with transaction.atomic():
            return document_create_from_spec(spec=parsed, issuer=issuer, by=by, commune=commune, now=now)
    except ValidationError as exc:
        raise SpecError([((), m) for m in exc.messages], {}) from exc


def find_issuer(owner: AdministrativeUnit, name: str, *, party: bool = False) -> Organization | None:
    """The issuing organization by short name ("UBND"), else by full name, case-insensitive; without a name the
    unit's People's Committee (its Party committee for a Party document)."""
    orgs = Organization.objects.filter(unit=owner).order_by("pk")
    name = (name or "").strip()
    if not name:
        kind = Organization.Kind.PARTY_COMMITTEE if party else Organization.Kind.PEOPLES_COMMITTEE
        return orgs.filter(kind=kind).first()
    exact = orgs.filter(short_name=name).first()
    if exact is not None:
        return exact
    key = " ".join(name.split()).casefold()  # in Python: SQLite folds only ASCII letters
    return next(
        (o for o in orgs if key in (o.short_name.casefold(), " ".join(o.name.split()).casefold())), None
    )


def _lines_of(text: str) -> dict:
    from portal.documents.specs import load_yaml

    return load_yaml(text)[1]
