"""Bulk import of comments from CSV / XLSX: every row checked first, then all rows or none."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consultations.models import Article, Channel, Comment, Consultation, ImportBatch
from portal import text as txt
from portal.audit import audit_record
from portal.models import AdministrativeUnit, Organization

from ._base import public_changed, require_perm, sync_article_position

ASYNC_BYTES = 256 * 1024  # larger files are imported by a django-q2 worker, not in the request
CHUNK = 2000
HEADERS = {
    "text": ("nội dung góp ý", "noi dung gop y", "nội dung", "noi dung", "text"),
    "author_name": ("họ và tên", "ho va ten", "họ tên", "ho ten", "name"),
    "village": ("thôn", "thon", "thôn, tổ dân phố", "village"),
    "article": ("điều", "dieu", "article"),
    "channel": ("hình thức", "hinh thuc", "channel"),
    "organization": ("tổ chức", "to chuc", "organization"),
    "received": ("ngày nhận", "ngay nhan", "received"),
    "contact": ("liên hệ", "lien he", "điện thoại", "contact"),
}
_HEADER_LOOKUP = {txt.normalize_search(alias): key for key, aliases in HEADERS.items() for alias in aliases}
_CHANNEL_LOOKUP = {txt.normalize_search(label): value for value, label in Channel.choices} | {
    v: v for v in Channel.values
}


def _rows(name: str, data: bytes) -> Iterator[list]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for row in wb.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        finally:
            wb.close()
    elif name.lower().endswith(".csv"):
        try:
            decoded = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError("Tệp CSV phải mã hóa UTF-8.") from exc
        sample = decoded[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        yield from csv.reader(io.StringIO(decoded), delimiter=delimiter)
    else:
        raise ValidationError("Chỉ nhận tệp .csv hoặc .xlsx.")


def _parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(s, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(f"ngày nhận “{s}” không đúng dạng dd/mm/yyyy")


def parse_import(
    *, consultation: Consultation, name: str, data: bytes, default_channel: str, now: dt.datetime
) -> tuple[list[dict], list[dict]]:
    """Read and check every row. Returns (valid rows as Comment field dicts, errors [{row, message}])."""
    rows = _rows(name, data)
    header = next(rows, None)
    if not header:
        raise ValidationError("Tệp không có dữ liệu.")
    columns = {}
    for i, cell in enumerate(header):
        key = _HEADER_LOOKUP.get(txt.normalize_search(str(cell or "")))
        if key and key not in columns:
            columns[key] = i
    if "text" not in columns:
        raise ValidationError("Tệp phải có cột “Nội dung góp ý”.")
    villages = {
        txt.normalize_search(v.name): v.pk
        for v in AdministrativeUnit.objects.filter(
            parent_id=consultation.commune_id, level=AdministrativeUnit.Level.VILLAGE
        )
    }
    orgs = {}
    for o in Organization.objects.filter(unit_id=consultation.commune_id):
        orgs[txt.normalize_search(o.name)] = o.pk
        if o.short_name:
            orgs[txt.normalize_search(o.short_name)] = o.pk
    version = consultation.versions.order_by("-number").first()
    articles = (
        {a.number.lower(): a.pk for a in version.articles.filter(kind=Article.Kind.ARTICLE)}
        if version
        else {}
    )
    start, end = consultation.window_bounds()
    tz = timezone.get_current_timezone()
    valid, errors = [], []

    def cell(row, key):
        i = columns.get(key)
        value = row[i] if i is not None and i < len(row) else None
        return "" if value is None else value

    for number, row in enumerate(rows, start=2):
        if not any(str(c or "").strip() for c in row):
            continue
        problems = []
        text = txt.clean_text(str(cell(row, "text")))
        if not text:
            problems.append("thiếu nội dung góp ý")
        elif len(text) > 5000:
            problems.append("nội dung góp ý quá 5000 ký tự")
        village_id = None
        if village_name := str(cell(row, "village")).strip():
            key = txt.normalize_search(village_name)
            village_id = villages.get(key) or villages.get(key.removeprefix("thon "))
            if village_id is None:
                problems.append(f"không có thôn “{village_name}” trong xã")
        article_id = None
        if article_no := str(cell(row, "article")).strip():
            article_no = article_no.lower().removeprefix("điều").removeprefix("dieu").strip()
            if article_no.endswith(".0"):
                article_no = article_no[:-2]
            article_id = articles.get(article_no)
            if article_id is None:
                problems.append(f"dự thảo không có Điều {article_no}")
        channel = default_channel
        if channel_name := str(cell(row, "channel")).strip():
            channel = _CHANNEL_LOOKUP.get(txt.normalize_search(channel_name)) or _CHANNEL_LOOKUP.get(
                channel_name
            )
            if channel is None or channel == Channel.ONLINE:
                problems.append(f"hình thức “{channel_name}” không hợp lệ")
        org_id = None
        if org_name := str(cell(row, "organization")).strip():
            org_id = orgs.get(txt.normalize_search(org_name))
            if org_id is None:
                problems.append(f"không có tổ chức “{org_name}” trong xã")
        received_at = None
        try:
            day = _parse_date(cell(row, "received"))
        except ValueError as exc:
            problems.append(str(exc))
            day = None
        else:
            received_at = dt.datetime.combine(day, dt.time(12, 0), tzinfo=tz) if day else now
            if not (start <= received_at < end):
                problems.append(
                    "ngày nhận nằm ngoài thời gian lấy ý kiến"
                    if day
                    else "thiếu ngày nhận (đã hết thời gian lấy ý kiến)"
                )
        if problems:
            errors.append({"row": number, "message": "; ".join(problems)})
            continue
        contact = txt.clean_text(str(cell(row, "contact"))).replace("\n", " ")[:120]
        author = txt.clean_text(str(cell(row, "author_name"))).replace("\n", " ")[:120]
        valid.append(
            {
                "text": text,
                "author_name": author,
                "village_id": village_id,
                "article_id": article_id,
                "channel": channel,
                "organization_id": org_id,
                "received_at": received_at,
                "contact": contact,
            }
        )
    return valid, errors


def import_batch_create(
    *, consultation: Consultation, by, upload, channel: str = Channel.PAPER, now: dt.datetime | None = None
) -> ImportBatch:
    """Store the uploaded file and import it now (small files) or in a django-q2 task (large ones)."""
    now = now or timezone.now()
    require_perm(by, "consultations.import_comments", consultation)
    if consultation.status not in (
        Consultation.Status.PUBLISHED,
        Consultation.Status.OPEN,
        Consultation.Status.CLOSED,
    ):
        raise ValidationError("Chỉ nhập ý kiến khi đang lấy ý kiến hoặc vừa kết thúc (trước khi tổng hợp).")
    if upload.size > settings.PORTAL_MAX_IMPORT_BYTES:
        raise ValidationError(f"Tệp quá lớn (tối đa {settings.PORTAL_MAX_IMPORT_BYTES // (1024 * 1024)} MB).")
    if not upload.name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError("Chỉ nhận tệp .csv hoặc .xlsx.")
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ValidationError("Hình thức tiếp nhận không hợp lệ.")
    batch = ImportBatch(
        consultation=consultation,
        commune_id=consultation.commune_id,
        filename=upload.name[:255],
        channel=channel,
        created_by=by,
        created_at=now,
    )
    batch.file.save(upload.name, upload, save=False)
    batch.save()
    audit_record(
        actor=by,
        action="comment.import_uploaded",
        obj=batch,
        now=now,
        commune=consultation.commune,
        changes={"file": batch.filename, "size": upload.size},
    )
    if upload.size > ASYNC_BYTES:
        from django_q.tasks import async_task

        transaction.on_commit(lambda: async_task("consultations.tasks.import_comments", batch.pk))
    else:
        import_batch_run(batch=batch, now=now)
        batch.refresh_from_db()
    return batch


def import_batch_run(*, batch: ImportBatch, now: dt.datetime | None = None) -> ImportBatch:
    """Check every row; if any row is wrong nothing is imported and each error names its row."""
    now = now or timezone.now()
    batch = ImportBatch.objects.select_related("consultation", "created_by").get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PENDING:
        return batch  # a rerun of a finished import does nothing
    consultation = batch.consultation
    with batch.file.open("rb") as fh:
        data = fh.read()
    try:
        valid, errors = parse_import(
            consultation=consultation,
            name=batch.filename,
            data=data,
            default_channel=batch.channel,
            now=batch.created_at,
        )
    except ValidationError as exc:
        valid, errors = [], [{"row": 1, "message": " ".join(exc.messages)}]
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PENDING:
            return locked
        locked.rows = len(valid) + len(errors)
        locked.finished_at = now
        if errors or not valid:
            locked.status = ImportBatch.Status.FAILED
            locked.errors = errors or [{"row": 1, "message": "Tệp không có dòng ý kiến nào."}]
            locked.save(update_fields=["rows", "finished_at", "status", "errors"])
            audit_record(
                actor=batch.created_by,
                action="comment.import_failed",
                obj=locked,
                now=now,
                commune=consultation.commune,
                changes={"errors": len(locked.errors)},
            )
            return locked
        by = batch.created_by
        for start in range(0, len(valid), CHUNK):
            chunk = valid[start : start + CHUNK]
            codes = _unique_codes(len(chunk))
            Comment.objects.bulk_create(
                [
                    Comment(
                        consultation_id=consultation.pk,
                        commune_id=consultation.commune_id,
                        text_html=txt.to_html(row["text"]),
                        text_search=txt.normalize_search(row["text"]),
                        recorded_by=by,
                        import_batch_id=locked.pk,
                        tracking_code=code,
                        created_at=now,
                        **row,
                    )
                    for row, code in zip(chunk, codes, strict=True)
                ],
                batch_size=500,
            )
        sync_article_position(Comment.objects.filter(import_batch_id=locked.pk, article__isnull=False))
        public_changed(consultation.pk)
        locked.status = ImportBatch.Status.DONE
        locked.imported = len(valid)
        locked.save(update_fields=["rows", "finished_at", "status", "imported"])
        audit_record(
            actor=by,
            action="comment.import_done",
            obj=locked,
            now=now,
            commune=consultation.commune,
            changes={"imported": len(valid)},
        )
    return locked


def _unique_codes(n: int) -> list[str]:
    """n fresh tracking codes, none already used (checked against the database in one query)."""
    codes: set[str] = set()
    while len(codes) < n:
        want = {txt.new_tracking_code() for _ in range(n - len(codes))} - codes
        taken = set(Comment.objects.filter(tracking_code__in=want).values_list("tracking_code", flat=True))
        codes |= want - taken
    return list(codes)
