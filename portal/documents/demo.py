"""Demo documents (idempotent): the three fixture plans imported for the demo commune; one issued, the others drafts."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from portal.documents.models import Document
from portal.documents.services import document_create_from_spec, document_issue
from portal.documents.specs import parse_yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLANS = [
    # (fixture, issuer short name, issue it?)
    ("tan_trung_consultation_plan.yaml", "UBND", True),
    ("duong_hoa_annual_plan_2023.yaml", "UBND", False),
    ("dong_tam_dan_van_kheo_2024.yaml", "ĐU", False),
]


@transaction.atomic
def seed(core) -> list[Document]:
    commune = core.commune
    users = getattr(core, "users", None) or {}
    leader, staff = users.get("chutich"), users.get("canbo")
    created = []
    for name, issuer_key, issue in PLANS:
        parsed = parse_yaml((FIXTURES / name).read_text(encoding="utf-8"))
        issuer = core.orgs[issuer_key]
        # Re-home the plan in the demo commune: its own place and organ names (after 01/7/2025: no district line).
        parsed.fields["place"] = commune.name
        parsed.fields["organ"] = ""
        if parsed.fields.get("layout") == "party":
            province = commune.parent.name if commune.parent_id else ""
            parsed.fields["parent_organ"] = f"ĐẢNG BỘ TỈNH {province.upper()}" if province else ""
        else:
            parsed.fields["parent_organ"] = ""
        existing = Document.objects.filter(
            commune=commune, issuer=issuer, title=parsed.fields["title"]
        ).first()
        if existing is not None:
            continue
        doc = document_create_from_spec(
            spec=parsed, issuer=issuer, by=staff if issuer_key == "UBND" else None, commune=commune
        )
        if issue:
            doc = document_issue(document=doc, by=leader)
        created.append(doc)
    return created
