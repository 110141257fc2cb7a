"""Import a document file (FORMAT.md) for a commune or as an upper-level model: one transaction, line-precise errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.documents.models import Document
from portal.documents.services import document_create_from_spec
from portal.documents.specs import SpecError, parse_yaml
from portal.models import AdministrativeUnit, Organization


def import_document_text(text: str, *, commune: AdministrativeUnit | None = None, unit: AdministrativeUnit | None = None,
                         by=None, now=None) -> Document:
    """Parse and create a draft. ``commune`` scopes the document; without it the issuer is looked up in ``unit``
    (an upper level) and the document is a model (commune null). Raises SpecError (with line numbers)."""
    parsed = parse_yaml(text)
    owner = commune or unit
    if owner is None:
        raise SpecError([(("issuer",), "chưa chỉ định xã (--commune) hoặc đơn vị cấp trên (--unit)")], {})
    issuer = Organization.objects.filter(unit=owner, short_name=parsed.issuer).order_by("pk").first()
    if issuer is None:
        raise SpecError([(("issuer",), f"không tìm thấy cơ quan {parsed.issuer!r} thuộc {owner.name}")],
                        _lines_of(text))
    try:
        with transaction.atomic():
            return document_create_from_spec(spec=parsed, issuer=issuer, by=by, commune=commune, now=now)
    except ValidationError as exc:
        raise SpecError([((), m) for m in exc.messages], {}) from exc


def _lines_of(text: str) -> dict:
    from portal.documents.specs import load_yaml

    return load_yaml(text)[1]
