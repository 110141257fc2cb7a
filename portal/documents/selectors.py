"""Which documents a user may see (the list and every detail page go through here: 404 for not-yours)."""

from __future__ import annotations

from django.db.models import Q

from portal.access import access_for
from portal.documents.models import Document, NumberRegister, ReservedNumber
from portal.models import Role


def visible_documents_q(user) -> Q | None:
    access = access_for(user)
    if not access.is_authenticated:
        return None
    if access.is_superuser:
        return Q()
    readers = access.readable_commune_ids()  # the same readers as portal.rules.commune_reader
    issued_readers = access.commune_ids(Role.VILLAGE_HEAD)
    q = Q(commune_id__in=readers) | Q(commune_id__in=issued_readers, status=Document.Status.ISSUED)
    if access.commune_ids(Role.STAFF, Role.LEADER):
        q |= Q(commune__isnull=True, purpose=Document.Purpose.MODEL, status=Document.Status.ISSUED)
    upper_units = {m.unit_id for m in access.memberships if m.role == Role.OVERSEER}
    if upper_units:
        q |= Q(commune__isnull=True, unit_id__in=upper_units)
    return q


def document_list(
    *,
    user,
    status: str | None = None,
    models_only: bool = False,
    doc_type: str | None = None,
    search: str = "",
):
    q = visible_documents_q(user)
    if q is None:
        return Document.objects.none()
    qs = Document.objects.filter(q).select_related("issuer", "commune")
    if status:
        qs = qs.filter(status=status)
    if models_only:
        qs = qs.filter(purpose=Document.Purpose.MODEL)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(symbol__icontains=search))
    return qs.order_by("-created_at", "-id")


def document_get(*, user, pk: int) -> Document:
    q = visible_documents_q(user)
    if q is None:
        raise Document.DoesNotExist
    return Document.objects.select_related("issuer", "commune", "unit").get(q, pk=pk)


def register_book(*, issuer, group: str, year: int) -> list[dict]:
    """The book (sổ văn bản đi) of an issuer's group and year: one row per number from 1 to the last given, with its
    document, a number held back (giữ số, with its reason) or a gap (a number given on paper and not recorded yet, or
    skipped). Three queries whatever its size."""
    register = NumberRegister.objects.filter(issuer=issuer, group=group, year=year).first()
    docs = {
        d.number: d
        for d in Document.objects.filter(
            issuer=issuer, register_group=group, register_year=year, status=Document.Status.ISSUED
        ).only(
            "id",
            "number",
            "symbol",
            "title",
            "issued_on",
            "sig_signer",
            "registered_late",
            "doc_type",
            "scan",
        )
    }
    held = {
        r.number: r
        for r in ReservedNumber.objects.filter(issuer=issuer, group=group, year=year, used_by__isnull=True)
    }
    last = max([register.last_number if register else 0, *docs, *held])
    return [
        {
            "number": n,
            "document": docs.get(n),
            "reserved": held.get(n) if n not in docs else None,
            "gap": n not in docs and n not in held,
        }
        for n in range(1, last + 1)
    ]


def reserved_numbers_open(*, issuer, group: str, year: int) -> list[int]:
    """The numbers held back in a book and not used yet (offered when a leader signs)."""
    return list(
        ReservedNumber.objects.filter(issuer=issuer, group=group, year=year, used_by__isnull=True)
        .order_by("number")
        .values_list("number", flat=True)
    )


def register_issuers(*, user):
    """The organizations whose books the user may read: those of the communes where they are staff or leader."""
    from portal.models import Organization

    access = access_for(user)
    if not access.is_authenticated:
        return Organization.objects.none()
    qs = Organization.objects.select_related("unit").order_by("unit__name", "name")
    if access.is_superuser:
        return qs
    return qs.filter(unit_id__in=access.commune_ids(Role.STAFF, Role.LEADER))
