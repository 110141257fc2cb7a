"""Bulk import of comments from CSV / XLSX: every row checked first, then all rows or none."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consultations.models import Article, Channel, Comment, Consultation, ImportBatch
from portal import lookups, uploads
from portal import text as txt
from portal.audit import audit_record
from portal.models import Organization

from ._base import public_changed, require_perm, sync_article_position
from .tally import tally_add, tally_fresh

logger = logging.getLogger(__name__)

ASYNC_BYTES = 256 * 1024  # larger files are imported by a django-q2 worker, not in the request
CHUNK = 2000
MAX_ROWS = 50_000  # a commune's paper comments in one file; more is a wrong file (or a zip bomb in an .xlsx)
# A batch still pending this long after its upload was lost by the worker (killed, timed out, the queue wiped):
# django-q2 gives up after max_attempts × retry (3 × 6 min), so 30 minutes is past any honest run.
STALE_AFTER = dt.timedelta(minutes=30)
CSV_FIELD_LIMIT = csv.field_size_limit()  # 131,072 characters: far above a comment's 5,000
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
    villages = {txt.normalize_search(v.name): v.pk for v in lookups.villages(consultation.commune_id)}
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
        if number > MAX_ROWS + 1:
            raise ValidationError(
                f"Tệp có quá {MAX_ROWS:,} dòng; hãy chia thành nhiều tệp nhỏ hơn.".replace(",", ".")
            )
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
    _check_importable(consultation)
    if upload.size > settings.PORTAL_MAX_IMPORT_BYTES:
        raise ValidationError(f"Tệp quá lớn (tối đa {settings.PORTAL_MAX_IMPORT_BYTES // (1024 * 1024)} MB).")
    if not upload.name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError("Chỉ nhận tệp .csv hoặc .xlsx.")
    uploads.data_file_check(upload, exts=("csv", "xlsx"), what="Tệp")  # the bytes, not only the name
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
    return _start(batch, size=upload.size, now=now)


def _check_importable(consultation: Consultation) -> None:
    if consultation.status not in (
        Consultation.Status.PUBLISHED,
        Consultation.Status.OPEN,
        Consultation.Status.CLOSED,
    ):
        raise ValidationError("Chỉ nhập ý kiến khi đang lấy ý kiến hoặc vừa kết thúc (trước khi tổng hợp).")


def _read_error(name: str, exc: Exception) -> str:
    """What went wrong reading the file, said to the person who uploaded it."""
    if isinstance(exc, csv.Error):
        return (
            f"Tệp CSV hỏng hoặc có một ô dài hơn {CSV_FIELD_LIMIT:,} ký tự; ".replace(",", ".")
            + "nội dung góp ý tối đa 5000 ký tự. Hãy kiểm tra tệp rồi nhập lại."
        )
    if name.lower().endswith(".xlsx"):
        return "Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx. Hãy mở và lưu lại bằng Excel rồi nhập lại."
    return "Không đọc được tệp. Hãy kiểm tra tệp rồi nhập lại."


def import_batch_run(*, batch: ImportBatch, now: dt.datetime | None = None) -> ImportBatch:
    """Check every row; if any row is wrong nothing is imported and each error names its row.

    Whatever goes wrong (a broken file, a database error, a bug) the batch ends FAILED with the reason in
    Vietnamese, never "pending" for ever; the person can then retry (import_batch_retry).
    """
    now = now or timezone.now()
    batch = ImportBatch.objects.select_related("consultation", "created_by").get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PENDING:
        return batch  # a rerun of a finished import does nothing
    try:
        return _run(batch, now)
    except Exception as exc:  # noqa: BLE001 - any failure must end the batch, with the reason, and be logged
        logger.exception("import batch %s failed", batch.pk)
        return import_batch_fail(
            batch=batch,
            reason=f"Lỗi hệ thống khi nhập tệp ({type(exc).__name__}); bạn có thể thử lại.",
            now=now,
        )


def import_batch_fail(*, batch: ImportBatch, reason: str, now: dt.datetime | None = None) -> ImportBatch:
    """End a pending batch as FAILED with ``reason`` (a no-op on a batch that has already ended)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            ImportBatch.objects.select_for_update().select_related("consultation__commune").get(pk=batch.pk)
        )
        if locked.status != ImportBatch.Status.PENDING:
            return locked
        locked.status = ImportBatch.Status.FAILED
        locked.finished_at = now
        locked.errors = [{"row": 1, "message": reason}]
        locked.save(update_fields=["status", "finished_at", "errors"])
        audit_record(
            actor=locked.created_by,
            action="comment.import_failed",
            obj=locked,
            now=now,
            commune=locked.consultation.commune,
            changes={"reason": reason},
        )
    return locked


def import_batches_expire(*, now: dt.datetime | None = None) -> int:
    """Fail the batches a worker lost (still pending STALE_AFTER after upload). Returns how many."""
    now = now or timezone.now()
    stale = ImportBatch.objects.filter(status=ImportBatch.Status.PENDING, created_at__lt=now - STALE_AFTER)
    count = 0
    for batch in stale.only("pk")[:1000]:
        done = import_batch_fail(
            batch=batch,
            reason="Việc xử lý nền bị gián đoạn (quá 30 phút chưa xong); không dòng nào được nhập. Bạn có thể thử lại.",
            now=now,
        )
        count += done.status == ImportBatch.Status.FAILED
    return count


def import_batch_retry(*, batch: ImportBatch, by, now: dt.datetime | None = None) -> ImportBatch:
    """Import the same stored file again as a new batch (the failed one stays, as the record of the failure)."""
    now = now or timezone.now()
    require_perm(by, "consultations.import_comments", batch.consultation)
    if batch.status != ImportBatch.Status.FAILED:
        raise ValidationError("Chỉ thử lại được lần nhập đã thất bại.")
    consultation = batch.consultation
    _check_importable(consultation)
    retry = ImportBatch(
        consultation=consultation,
        commune_id=consultation.commune_id,
        filename=batch.filename,
        channel=batch.channel,
        created_by=by,
        created_at=now,
    )
    retry.file.name = batch.file.name  # the same stored file
    retry.save()
    audit_record(
        actor=by,
        action="comment.import_retried",
        obj=retry,
        now=now,
        commune=consultation.commune,
        changes={"retry_of": batch.pk},
    )
    return _start(retry, size=batch.file.size, now=now)


def _start(batch: ImportBatch, *, size: int, now: dt.datetime) -> ImportBatch:
    if size > ASYNC_BYTES:
        from django_q.tasks import async_task

        transaction.on_commit(lambda: async_task("consultations.tasks.import_comments", batch.pk))
        return batch
    import_batch_run(batch=batch, now=now)
    batch.refresh_from_db()
    return batch


def _run(batch: ImportBatch, now: dt.datetime) -> ImportBatch:
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
    except (csv.Error, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as exc:
        # openpyxl raises any of these on a corrupt or disguised workbook
        valid, errors = [], [{"row": 1, "message": _read_error(batch.filename, exc)}]
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
        tally_add(
            consultation.pk,
            tally_fresh(Comment.objects.filter(import_batch_id=locked.pk)),
            commune_id=consultation.commune_id,
        )
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
