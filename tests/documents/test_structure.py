import datetime as dt

import pytest

from portal.documents.models import Section
from portal.documents.services import document_create_from_spec, section_move
from portal.documents.structure import flatten, numbered_body, place_date_line, short_date
from tests.documents.factories import minimal_spec


def test_dates_follow_decree_30():
    assert place_date_line("Tân Trung", dt.date(2026, 2, 5)) == "Tân Trung, ngày 05 tháng 02 năm 2026"
    assert place_date_line("Dương Hòa", dt.date(2022, 12, 27)) == "Dương Hòa, ngày 27 tháng 12 năm 2022"
    assert place_date_line("X", dt.date(2024, 3, 9)) == "X, ngày 09 tháng 3 năm 2024"
    assert short_date(dt.date(2024, 2, 29)) == "29/02/2024"
    assert short_date(dt.date(2024, 3, 26)) == "26/3/2024"


@pytest.mark.django_db
def test_numbering_and_move_renumbers(commune, orgs, staff):
    spec = minimal_spec(
        sections=[
            {
                "heading": "A",
                "content": [
                    {"heading": "A1", "content": [{"heading": "A1x"}, {"heading": "A1y"}]},
                    {"heading": "A2"},
                    "- dash",
                    "+ plus",
                ],
            },
            {"heading": "B"},
            {"heading": "C", "content": [{"tasks": True}]},
        ]
    )
    doc = document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=staff, commune=commune)
    labels = [(n["label"], n["heading"] or n["text"]) for n in flatten(numbered_body(doc))]
    assert labels[:7] == [
        ("I.", "A"),
        ("1.", "A1"),
        ("1.1.", "A1x"),
        ("1.2.", "A1y"),
        ("2.", "A2"),
        ("-", "dash"),
        ("+", "plus"),
    ]
    assert ("II.", "B") in labels and ("III.", "C") in labels
    assert ("1.", "Văn phòng") in labels  # generated task group under III.
    b = Section.objects.get(document=doc, heading="B")
    section_move(section=b, by=staff, direction="up")
    labels = [(n["label"], n["heading"]) for n in numbered_body(doc)]
    assert labels == [("I.", "B"), ("II.", "A"), ("III.", "C")]


@pytest.mark.django_db
def test_level3_letters(commune, orgs, staff):
    spec = minimal_spec(
        level3="a)",
        sections=[
            {"heading": "A", "content": [{"heading": "A1", "content": [{"heading": "x"}, {"heading": "y"}]}]}
        ],
    )
    doc = document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=staff, commune=commune)
    labels = [n["label"] for n in flatten(numbered_body(doc))]
    assert labels == ["I.", "1.", "a)", "b)"]
