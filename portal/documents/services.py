"""Services for official documents: create/update from a spec, issue (number register), versions, tasks.

The public API other apps call (see FORMAT.md for ``spec``):

- ``document_create_from_spec(*, spec, issuer, by, commune=None, now=None) -> Document``
- ``document_update_from_spec(*, document, spec, by, now=None) -> Document`` (drafts only)
- ``document_issue(*, document, by, now=None) -> Document`` (leader only; allocates number and date)
- ``document_new_version(*, document, by, now=None) -> Document``
- ``document_copy_model(*, document, commune, by, now=None) -> Document`` ("Sao chép về xã")
- ``document_report_from_plan(*, plan, by, now=None) -> Document`` (BÁO CÁO of a plan's execution)
- ``task_report(*, task, text, by, completes=False, evidence=None, evidence_link="", now=None) -> TaskReport``
- ``task_record_trigger(*, task, on, by, now=None) -> Task``
- section editor: ``section_add``, ``section_update``, ``section_move``, ``section_delete``
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone

from portal import bounds, generations, lookups, registry, uploads
from portal.access import access_for, require_perm
from portal.audit import audit_record
from portal.deadlines import deadline_meet, deadline_open, deadline_waive
from portal.documents.models import (
    ISSUED_IMMUTABLE_MESSAGE,
    SECTION_MAX_CHARS,
    Document,
    DocumentType,
    NumberRegister,
    ReservedNumber,
    Section,
    Task,
    TaskReport,
    register_group,
)
from portal.documents.selectors import register_book  # noqa: F401 - re-exported (a read)
from portal.documents.specs import Node, ParsedSpec, SpecError, document_to_spec, parse_spec
from portal.documents.structure import due_phrase, short_date
from portal.forms import check_length
from portal.models import Deadline, Organization, Role
from portal.notifications import notify
from portal.text import clean_line, clean_text

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

TASK_RULE = "assigned"


def _now(now):
    return now or timezone.now()


def _check(user, perm: str, obj, message: str) -> None:
    require_perm(user, perm, obj, message)  # user=None: the system (management command, demo seed)


def _require_draft(document: Document) -> None:
    if document.status != Document.Status.DRAFT:
        raise ValidationError(ISSUED_IMMUTABLE_MESSAGE)


def _as_parsed(spec) -> ParsedSpec:
    if isinstance(spec, ParsedSpec):
        return spec
    return parse_spec(spec)


def _default_layout(issuer: Organization) -> str:
    return (
        Document.Layout.PARTY if issuer.kind == Organization.Kind.PARTY_COMMITTEE else Document.Layout.STATE
    )


def _nodes_chars(nodes: list[Node]) -> int:
    return sum(len(n.text or "") + _nodes_chars(n.children) for n in nodes)


def _store_nodes(
    document: Document, nodes: list[Node], parent: Section | None = None, carried: list | None = None
) -> list:
    """Store the body; return [(section, TaskSpec)] of the sections that carry their task, in document order."""
    carried = [] if carried is None else carried
    if parent is None and (total := _nodes_chars(nodes)) > DOCUMENT_MAX_CHARS:
        raise ValidationError(
            f"Văn bản quá dài: tối đa {DOCUMENT_MAX_CHARS:,} ký tự cho toàn bộ các mục".replace(",", ".")
            + f" (tệp có {total:,}).".replace(",", ".")
        )
    for i, node in enumerate(nodes, start=1):
        s = Section(
            document=document,
            parent=parent,
            position=i,
            kind=node.kind,
            heading=node.heading,
            text=node.text,
            data=node.data,
        )
        s.full_clean(exclude=["document", "parent"])
        s.save()
        if node.task is not None:
            carried.append((s, node.task))
        _store_nodes(document, node.children, s, carried)
    return carried


def _store_tasks(document: Document, parsed: ParsedSpec, carried: list | None = None) -> None:
    """The unprinted ``tasks`` list first, then the tasks carried by sections (linked to their section)."""
    items = [(None, t) for t in parsed.tasks] + list(carried or [])
    orgs = {}
    if any(t.org for _s, t in items):
        orgs = {o.short_name: o for o in Organization.objects.filter(unit_id=document.unit_id)}
    for i, (section, t) in enumerate(items, start=1):
        task = Task(
            document=document,
            section=section,
            kind=t.kind,
            position=i,
            lead=t.lead,
            description=t.description,
            coordinating=t.coordinating,
            lead_org=orgs.get(t.org),
            **t.due,
        )
        task.full_clean(exclude=["document"])
        task.save()


def _apply_fields(document: Document, parsed: ParsedSpec) -> None:
    for key, value in parsed.fields.items():
        if key == "layout":
            continue
        setattr(document, key, value)
    document.layout = parsed.fields.get("layout") or _default_layout(document.issuer)


def _tell_leaders_awaiting_signature(document: Document, *, by, now) -> None:
    """After the commit: the commune's leaders learn that a draft waits for their signature (once per draft)."""
    if document.commune_id is None:
        return
    document_id, commune_id, title = document.pk, document.commune_id, document.title
    kind = document.get_doc_type_display()
    author_id = getattr(by, "pk", None)

    def send() -> None:
        from portal.models import Membership

        leaders = [
            m.user
            for m in Membership.objects.filter(
                commune_id=commune_id, role=Role.LEADER, active=True
            ).select_related("user")
            if m.user_id != author_id
        ]
        notify(
            recipients=leaders,
            title=f"Văn bản chờ ký: {kind} {title}"[:300],
            body="Dự thảo đã sẵn sàng để lãnh đạo xem xét, ký ban hành.",
            url=reverse("documents:detail", args=[document_id]),
            key=f"documents.awaiting_signature.{document_id}",
            topic="document",
            now=now,
        )

    transaction.on_commit(send)


@transaction.atomic
def document_create_from_spec(
    *,
    spec,
    issuer: Organization,
    by,
    commune=None,
    now=None,
    copied_from=None,
    source_plan=None,
    purpose: str | None = None,
) -> Document:
    """Create a draft from a spec (FORMAT.md). ``commune`` None makes an upper-level document: a model plan for the
    communes unless ``purpose`` (the argument, else the spec's key) says it is the unit's own plan."""
    now = _now(now)
    parsed = _as_parsed(spec)
    if commune is None and issuer.unit.level == "commune":
        commune = issuer.unit
    if (
        commune is not None
        and issuer.unit.commune_id not in (None, commune.pk)
        and issuer.unit_id != commune.pk
    ):
        raise ValidationError("Cơ quan ban hành không thuộc xã này.")
    document = Document(
        issuer=issuer,
        commune=commune,
        unit=commune or issuer.unit,
        created_by=by if by else None,
        created_at=now,
        updated_at=now,
        copied_from=copied_from,
        source_plan=source_plan,
    )
    _apply_fields(document, parsed)
    if purpose is not None:
        document.purpose = purpose
    elif "purpose" not in parsed.fields:  # as before the choice existed: above the communes, a model plan
        document.purpose = Document.Purpose.MODEL if commune is None else Document.Purpose.OWN
    if commune is not None and document.purpose == Document.Purpose.MODEL:
        raise ValidationError(
            "Văn bản của xã không thể là kế hoạch mẫu: chỉ cấp trên (huyện, thị xã, thành phố, tỉnh) ban hành mẫu."
        )
    _check(
        by,
        "documents.add_document",
        commune if commune is not None else document,
        "Bạn không có quyền soạn văn bản.",
    )
    document.full_clean()
    document.save()
    carried = _store_nodes(document, parsed.nodes)
    _store_tasks(document, parsed, carried)
    audit_record(
        actor=by,
        action="document.create",
        obj=document,
        now=now,
        changes={"type": document.doc_type, "title": document.title},
    )
    if parsed.registered:  # issued on paper before: recorded with its real number and date, nothing to sign
        return document_register_issued(
            document=document,
            number=parsed.registered["number"],
            issued_on=parsed.registered["date"],
            by=by,
            now=now,
        )
    _tell_leaders_awaiting_signature(document, by=by, now=now)
    return document


@transaction.atomic
def document_update_from_spec(*, document: Document, spec, by, now=None) -> Document:
    now = _now(now)
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require_draft(document)
    _check(by, "documents.change_document", document, "Bạn không có quyền sửa văn bản này.")
    parsed = _as_parsed(spec)
    old_title = document.title
    _apply_fields(document, parsed)
    document.updated_at = now
    document.full_clean()
    document.save()
    Section.objects.filter(document=document).delete()
    Task.objects.filter(document=document).delete()
    carried = _store_nodes(document, parsed.nodes)
    _store_tasks(document, parsed, carried)
    audit_record(
        actor=by,
        action="document.update",
        obj=document,
        now=now,
        changes={"title": [old_title, document.title]},
    )
    return document


@transaction.atomic
def document_update_fields(*, document: Document, by, now=None, **fields) -> Document:
    """Update header/signature/recipient fields of a draft (the browser's metadata form)."""
    now = _now(now)
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require_draft(document)
    _check(by, "documents.change_document", document, "Bạn không có quyền sửa văn bản này.")
    allowed = {
        "doc_type",
        "letter_unit",
        "issuer_symbol",
        "parent_organ",
        "organ",
        "place",
        "draft_date",
        "draft_day_blank",
        "title",
        "preamble",
        "preamble_style",
        "closing",
        "level3",
        "recipients",
        "archive",
        "sig_authority",
        "addressees",
        "enacting_authority",
        "enacting",
        "numbering",
        "sig_organ",
        "sig_head",
        "sig_position",
        "sig_signer",
        "layout",
    }
    changes = {}
    for key, value in fields.items():
        if key not in allowed:
            raise ValueError(key)
        if getattr(document, key) != value:
            changes[key] = [getattr(document, key), value]
            setattr(document, key, value)
    document.updated_at = now
    document.full_clean()
    document.save(update_fields=[*fields.keys(), "updated_at"])
    audit_record(actor=by, action="document.update", obj=document, now=now, changes=changes)
    return document


# -- the register -------------------------------------------------------------------------------------------------------


def _locked_register(*, issuer: Organization, group: str, year: int) -> NumberRegister:
    """The book's row, created if missing and locked with SELECT … FOR UPDATE (must run inside a transaction). Its
    creation is guarded by a unique constraint (retry on conflict)."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                NumberRegister.objects.get_or_create(issuer=issuer, group=group, year=year)
            break
        except IntegrityError:  # created concurrently: it exists now
            continue
    return NumberRegister.objects.select_for_update().get(issuer=issuer, group=group, year=year)


def _next_free(register: NumberRegister) -> int:
    """The number after the book's last, skipping the numbers held back (giữ số)."""
    held = set(
        ReservedNumber.objects.filter(
            issuer_id=register.issuer_id,
            group=register.group,
            year=register.year,
            number__gt=register.last_number,
        ).values_list("number", flat=True)
    )
    number = register.last_number + 1
    while number in held:
        number += 1
    return number


def allocate_number(*, issuer: Organization, group: str, year: int) -> int:
    """Next number of the register (sổ văn bản đi), numbers held back skipped; must run inside a transaction.
    Race-free: the register row is locked."""
    register = _locked_register(issuer=issuer, group=group, year=year)
    register.last_number = _next_free(register)
    register.save(update_fields=["last_number"])
    return register.last_number


REGISTER_GROUP_CODES = frozenset({"HC", "QĐ", "NQ", "CV"})
RESERVE_REASON_MAX = 300


@transaction.atomic
def register_reserve(
    *, issuer: Organization, group: str, year: int, by, reason: str, number: int | None = None, now=None
) -> ReservedNumber:
    """Hold a number back in an issuer's book (giữ số), e.g. for a document signed on paper this afternoon: the
    given ``number`` (free in the book), else the next one. The automatic numbering skips it; ``document_issue(…,
    reserved_number=n)`` or ``document_register_issued(number=n)`` uses it. Audited with the reason."""
    now = _now(now)
    _check(by, "documents.reserve_number", issuer, "Chỉ lãnh đạo hoặc quản trị viên được giữ số trong sổ.")
    if group not in REGISTER_GROUP_CODES:
        raise ValidationError("Sổ văn bản không hợp lệ.")
    today = timezone.localdate(now)
    if not HISTORY_FIRST_YEAR <= year <= today.year:
        raise ValidationError(f"Năm của sổ phải từ {HISTORY_FIRST_YEAR} đến {today.year}.")
    reason = clean_line(reason or "")
    if not reason:
        raise ValidationError("Hãy ghi lý do giữ số.")
    check_length(reason, RESERVE_REASON_MAX, "Lý do giữ số")
    register = _locked_register(issuer=issuer, group=group, year=year)
    if number is None:
        number = _next_free(register)
    elif isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 99999:
        raise ValidationError("Số giữ phải là số nguyên dương.")
    taken = Document.objects.filter(
        issuer=issuer, register_group=group, register_year=year, number=number, status=Document.Status.ISSUED
    ).first()
    if taken is not None:
        raise ValidationError(f"Số {number:02d} năm {year} đã có văn bản trong sổ: {taken.title or taken}.")
    if ReservedNumber.objects.filter(issuer=issuer, group=group, year=year, number=number).exists():
        raise ValidationError(f"Số {number:02d} năm {year} đã được giữ.")
    if number > register.last_number:  # the sequence goes on after it; the numbers between stay gaps
        register.last_number = number
        register.save(update_fields=["last_number"])
    reservation = ReservedNumber(
        issuer=issuer,
        group=group,
        year=year,
        number=number,
        reason=reason,
        reserved_by=by if by else None,
        reserved_at=now,
    )
    reservation.full_clean(exclude=["issuer", "reserved_by"])
    reservation.save()
    audit_record(
        actor=by,
        action="document.register_reserve",
        obj=reservation,
        now=now,
        changes={"number": number, "group": group, "year": year, "reason": reason},
        commune=issuer.unit if issuer.unit.level == "commune" else None,
    )
    return reservation


def _use_reservation(document: Document, *, number: int, year: int, now, required: bool) -> None:
    """Mark the number held back for this book as used by ``document`` (locked; once)."""
    reservation = (
        ReservedNumber.objects.select_for_update()
        .filter(issuer_id=document.issuer_id, group=document.register_group, year=year, number=number)
        .first()
    )
    if reservation is None or reservation.used_by_id is not None:
        if required:
            raise ValidationError(f"Số {number:02d} năm {year} không phải số đang được giữ trong sổ này.")
        return
    reservation.used_by = document
    reservation.used_at = now
    reservation.save(update_fields=["used_by", "used_at"])


def _task_due_date(task: Task, start: dt.date) -> dt.date | None:
    """The next due date of a task counted from ``start`` (the issue date or the last completed period)."""
    return task.due_rule.next_due(start, triggered_on=task.triggered_on)


def _task_url(task: Task) -> str:
    return reverse("documents:detail", args=[task.document_id]) + f"#task-{task.pk}"


def _open_task_deadline(task: Task, start: dt.date, *, by, now) -> Deadline | None:
    document = task.document
    if document.is_model or task.kind == Task.Kind.REQUEST:  # a request is followed, not held to a date
        return None
    due = _task_due_date(task, start)
    if due is None:
        return None
    title = f"{task.lead}: {task.description}"
    return deadline_open(
        subject=task,
        rule_code=TASK_RULE,
        trigger_date=start,
        unit=document.unit,  # the commune, or the upper level (district, town, province) that tracks its own plan
        title=title,
        due_date=due,
        url=_task_url(task),
        by=by,
        now=now,
    )


def _lock_draft(document: Document) -> Document:
    """The document's row, locked for this transaction; refused unless it is still a draft."""
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("issuer", "commune")
        .get(pk=document.pk)
    )
    if document.status != Document.Status.DRAFT:
        raise ValidationError("Văn bản này đã được ban hành.")
    return document


@transaction.atomic
def document_issue(*, document: Document, by, now=None, reserved_number: int | None = None) -> Document:
    """Issue (ban hành) a draft: a leader signs; the register gives the number (or ``reserved_number``, a number
    held back in this year's book), today gives the date."""
    now = _now(now)
    document = _lock_draft(document)
    _check(by, "documents.issue_document", document, "Chỉ lãnh đạo UBND xã được ký ban hành văn bản.")
    if not document.title and document.doc_type != DocumentType.LETTER:
        raise ValidationError("Văn bản phải có trích yếu trước khi ban hành.")
    if not document.sig_signer:
        raise ValidationError("Văn bản phải có họ tên người ký trước khi ban hành.")
    today = timezone.localdate(now)
    problems = registry.document_issue_problems(document, today=today)
    if problems:  # the app that generated it (a consultation's plan …) names the unmet rules
        raise ValidationError(["Chưa ký ban hành được:", *problems])
    group = register_group(document.doc_type)
    if reserved_number is None:
        number = allocate_number(issuer=document.issuer, group=group, year=today.year)
    else:
        number = reserved_number
        document.register_group = group
        _use_reservation(document, number=number, year=today.year, now=now, required=True)
    document.number = number
    document.register_group = group
    document.register_year = today.year
    document.issued_on = today
    document.symbol = document.symbol_for(number)
    document.status = Document.Status.ISSUED
    document.issued_by = by if by else None
    document.issued_at = now
    document.updated_at = now
    document.full_clean()
    document.save()
    if document.previous_id:
        previous = Document.objects.select_for_update().get(pk=document.previous_id)
        previous.replaced_by = document
        previous.save(update_fields=["replaced_by"])
        _close_task_deadlines(
            previous, reason=f"Đã thay bằng văn bản số {document.number_line_value()}", by=by, now=now
        )
    for task in document.tasks.select_related("document__commune"):
        _open_task_deadline(task, today, by=by, now=now)
    audit_record(
        actor=by,
        action="document.issue",
        obj=document,
        now=now,
        changes={"number": document.number_line(), "issued_on": today, "status": ["draft", "issued"]},
    )
    registry.document_issued(document, by=by, now=now)
    if document.created_by_id and document.created_by_id != getattr(by, "pk", None):
        notify(
            recipients=[document.created_by],
            title=f"Văn bản đã được ban hành: {document.number_line()}",
            body=document.title,
            url=reverse("documents:detail", args=[document.pk]),
            key=f"documents.issued.{document.pk}",
            now=now,
        )
    return document


SCAN_MAX_BYTES = 20 * 1024 * 1024
HISTORY_FIRST_YEAR = 2000  # registering paper documents: a sane lower bound for their date


@transaction.atomic
def document_register_issued(
    *,
    document: Document,
    number: int,
    issued_on: dt.date,
    by,
    signer: str = "",
    scan=None,
    now=None,
) -> Document:
    """Record a document already issued on paper (or by another system) with its real number, date and signer.

    The number must be free in the issuer's book (group, year); the book's next number becomes at least number + 1,
    so the sequence goes on after it and the numbers skipped stay visible as gaps (``register_book``). Task
    deadlines open from the real date. Audited as ``document.register_issued``."""
    now = _now(now)
    document = _lock_draft(document)
    _check(by, "documents.issue_document", document, "Chỉ lãnh đạo được vào sổ văn bản đã ban hành.")
    today = timezone.localdate(now)
    if not isinstance(number, int) or not 1 <= number <= 99999:
        raise ValidationError("Số văn bản phải là số nguyên dương.")
    if issued_on.year < HISTORY_FIRST_YEAR or issued_on > today:
        raise ValidationError(
            f"Ngày ban hành phải từ năm {HISTORY_FIRST_YEAR} đến hôm nay ({short_date(today)})."
        )
    signer = clean_line(signer) if signer else document.sig_signer
    if not signer:
        raise ValidationError("Hãy ghi họ tên người đã ký văn bản.")
    group = register_group(document.doc_type)
    taken = (
        Document.objects.filter(
            issuer=document.issuer,
            register_group=group,
            register_year=issued_on.year,
            number=number,
            status=Document.Status.ISSUED,
        )
        .exclude(pk=document.pk)
        .first()
    )
    if taken is not None:
        raise ValidationError(
            f"Số {document.symbol_for(number)} năm {issued_on.year} đã có trong sổ: {taken.title or taken}."
        )
    register = _locked_register(issuer=document.issuer, group=group, year=issued_on.year)
    document.register_group = group
    _use_reservation(document, number=number, year=issued_on.year, now=now, required=False)
    if number > register.last_number:
        register.last_number = number
        register.save(update_fields=["last_number"])
    if scan is not None:
        document.scan = uploads.file_clean(scan, field="scan", what="Bản quét", max_bytes=SCAN_MAX_BYTES)
    document.sig_signer = signer
    document.number = number
    document.register_group = group
    document.register_year = issued_on.year
    document.issued_on = issued_on
    document.symbol = document.symbol_for(number)
    document.status = Document.Status.ISSUED
    document.registered_late = True
    document.issued_by = by if by else None
    document.issued_at = now
    document.updated_at = now
    document.full_clean()
    document.save()
    for task in document.tasks.select_related("document__commune"):
        _open_task_deadline(task, issued_on, by=by, now=now)
    audit_record(
        actor=by,
        action="document.register_issued",
        obj=document,
        now=now,
        changes={"number": document.number_line(), "issued_on": issued_on, "signer": signer},
    )
    registry.document_issued(document, by=by, now=now)
    return document


@transaction.atomic
def register_correct(
    *, register: NumberRegister, last_number: int, by, reason: str, now=None
) -> NumberRegister:
    """An administrator's correction of a book's last number (e.g. numbers given on paper the portal did not see).
    Never below the highest number recorded in the book; audited with the reason."""
    now = _now(now)
    register = NumberRegister.objects.select_for_update().get(pk=register.pk)
    if by is not None and not by.is_superuser:
        raise PermissionDenied("Chỉ quản trị viên được sửa sổ văn bản.")
    reason = clean_line(reason or "")
    if not reason:
        raise ValidationError("Hãy ghi lý do sửa sổ văn bản.")
    highest = (
        Document.objects.filter(
            issuer_id=register.issuer_id,
            register_group=register.group,
            register_year=register.year,
            status=Document.Status.ISSUED,
        ).aggregate(m=Max("number"))["m"]
        or 0
    )
    if last_number < highest:
        raise ValidationError(f"Số cuối không được nhỏ hơn số lớn nhất đã vào sổ ({highest:02d}).")
    held = (
        ReservedNumber.objects.filter(
            issuer_id=register.issuer_id, group=register.group, year=register.year
        ).aggregate(m=Max("number"))["m"]
        or 0
    )
    if last_number < held:
        raise ValidationError(f"Số cuối không được nhỏ hơn số lớn nhất đang được giữ ({held:02d}).")
    old = register.last_number
    register.last_number = last_number
    register.save(update_fields=["last_number"])
    audit_record(
        actor=by,
        action="document.register_correct",
        obj=register,
        now=now,
        changes={"last_number": [old, last_number], "reason": reason},
    )
    return register


def _close_task_deadlines(document: Document, *, reason: str, by, now) -> None:
    ct = ContentType.objects.get_for_model(Task)
    task_ids = [str(pk) for pk in document.tasks.values_list("pk", flat=True)]
    for deadline in Deadline.objects.filter(
        content_type=ct, object_id__in=task_ids, status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED]
    ):
        deadline_waive(deadline=deadline, reason=reason, by=by, now=now)


def _copy_content(source: Document, target: Document) -> None:
    id_map: dict[int, Section] = {}
    # Parents before children: walk by depth.
    pending = list(Section.objects.filter(document=source).order_by("position", "id"))
    while pending:
        rest = []
        for s in pending:
            if s.parent_id is None or s.parent_id in id_map:
                new = Section(
                    document=target,
                    parent=id_map.get(s.parent_id),
                    position=s.position,
                    kind=s.kind,
                    heading=s.heading,
                    text=s.text,
                    data=s.data,
                )
                new.save()
                id_map[s.pk] = new
            else:
                rest.append(s)
        if len(rest) == len(pending):
            break
        pending = rest
    for t in Task.objects.filter(document=source).order_by("position", "id"):
        Task(
            document=target,
            section=id_map.get(t.section_id),
            kind=t.kind,
            position=t.position,
            lead=t.lead,
            lead_org=t.lead_org,
            coordinating=t.coordinating,
            description=t.description,
            due_kind=t.due_kind,
            due_date=t.due_date,
            start_date=t.start_date,
            due_day=t.due_day,
            due_month=t.due_month,
            quarter=t.quarter,
            year=t.year,
            rhythm=t.rhythm,
            trigger_label=t.trigger_label,
            within_days=t.within_days,
            within_working=t.within_working,
            repeats=t.repeats,
            no_limit=t.no_limit,
            due_note=t.due_note,
        ).save()


_COPIED_FIELDS = [
    "commune",
    "unit",
    "purpose",
    "issuer",
    "layout",
    "doc_type",
    "letter_unit",
    "issuer_symbol",
    "parent_organ",
    "organ",
    "place",
    "title",
    "preamble",
    "preamble_style",
    "closing",
    "level3",
    "recipients",
    "addressees",
    "enacting_authority",
    "enacting",
    "numbering",
    "archive",
    "sig_authority",
    "sig_organ",
    "sig_head",
    "sig_position",
    "sig_signer",
    "source_plan",
]


@transaction.atomic
def document_new_version(*, document: Document, by, now=None) -> Document:
    """Start a correction: a new draft version of an issued document; the issued one stays as it was."""
    now = _now(now)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != Document.Status.ISSUED:
        raise ValidationError("Chỉ tạo phiên bản mới từ văn bản đã ban hành; dự thảo thì sửa trực tiếp.")
    if Document.objects.filter(previous=document).exists():
        raise ValidationError("Văn bản này đã có phiên bản mới.")
    _check(by, "documents.new_version_document", document, "Bạn không có quyền tạo phiên bản mới.")
    new = Document(
        **{f: getattr(document, f) for f in _COPIED_FIELDS},
        version=document.version + 1,
        previous=document,
        draft_date=None,
        draft_day_blank=False,
        created_by=by if by else None,
        created_at=now,
        updated_at=now,
    )
    new.full_clean()
    new.save()
    _copy_content(document, new)
    audit_record(
        actor=by,
        action="document.new_version",
        obj=new,
        now=now,
        changes={"previous": document.pk, "version": new.version},
    )
    _tell_leaders_awaiting_signature(new, by=by, now=now)
    return new


@transaction.atomic
def document_copy_model(
    *, document: Document, commune, by, issuer: Organization | None = None, now=None
) -> Document:
    """Copy an issued upper-level model plan into a draft of ``commune`` ("Sao chép về xã")."""
    now = _now(now)
    if not document.is_model or document.status != Document.Status.ISSUED:
        raise ValidationError("Chỉ sao chép được văn bản mẫu đã ban hành của cấp trên.")
    if (
        by is not None
        and commune.pk not in access_for(by).commune_ids(Role.STAFF, Role.LEADER)
        and not by.is_superuser
    ):
        raise PermissionDenied("Bạn không có quyền soạn văn bản của xã này.")
    if issuer is None:
        issuer = lookups.issuer(commune, party=document.layout == Document.Layout.PARTY)
    spec = document_to_spec(document)
    spec.pop("registered", None)  # the copy is a new draft of the commune, not the paper original
    spec.pop("purpose", None)  # the commune's own plan, linked to its model by copied_from
    spec.pop("organ", None)
    spec.pop("parent_organ", None)
    spec.pop("issuer_symbol", None)
    spec.pop("date", None)
    spec["place"] = commune.name
    new = document_create_from_spec(
        spec=spec, issuer=issuer, by=by, commune=commune, now=now, copied_from=document
    )
    audit_record(actor=by, action="document.copy_model", obj=new, now=now, changes={"from": document.pk})
    return new


# -- the section editor ------------------------------------------------------------------------------------------------


def _editable(document: Document, by) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require_draft(document)
    _check(by, "documents.change_document", document, "Bạn không có quyền sửa văn bản này.")
    return document


DOCUMENT_MAX_CHARS = (
    200_000  # all sections of one document (~70 pages): its PDF renders within the worker's bound
)


def _check_document_size(document: Document, text: str, *, replacing: Section | None = None) -> None:
    others = Section.objects.filter(document=document)
    if replacing is not None:
        others = others.exclude(pk=replacing.pk)
    total = (others.aggregate(n=Sum(Length("text")))["n"] or 0) + len(text)
    if total > DOCUMENT_MAX_CHARS:
        raise ValidationError(
            f"Văn bản quá dài: tối đa {DOCUMENT_MAX_CHARS:,} ký tự cho toàn bộ các mục".replace(",", ".")
            + f" (sẽ là {total:,}).".replace(",", ".")
            + " Hãy tách thành văn bản hoặc phụ lục riêng."
        )


def _section_text(heading: str, text: str) -> tuple[str, str]:
    """Clean (no control characters: a DOCX cannot hold them) and bound a section's heading and text."""
    heading = check_length(clean_line(heading), 500, "Tiêu đề mục")
    text = check_length(clean_text(text), SECTION_MAX_CHARS, "Nội dung mục")
    return heading, text


@transaction.atomic
def section_add(
    *,
    document: Document,
    by,
    kind: str = Section.Kind.SECTION,
    heading: str = "",
    text: str = "",
    parent: Section | None = None,
    now=None,
) -> Section:
    now = _now(now)
    document = _editable(document, by)
    if parent is not None and parent.document_id != document.pk:
        raise ValidationError("Mục cha không thuộc văn bản này.")
    heading, text = _section_text(heading, text)
    _check_document_size(document, text)
    if not (heading or text or kind == Section.Kind.TASKS):
        raise ValidationError("Mục phải có tiêu đề hoặc nội dung.")
    data = {}
    if kind == Section.Kind.TABLE:
        data, text = table_from_text(text), ""
    last = Section.objects.filter(document=document, parent=parent).aggregate(m=Max("position"))["m"] or 0
    section = Section(
        document=document, parent=parent, position=last + 1, kind=kind, heading=heading, text=text, data=data
    )
    section.full_clean(exclude=["document", "parent"])
    section.save()
    Document.objects.filter(pk=document.pk).update(updated_at=now)
    generations.bump_for(document)  # update() sends no post_save (the leader's "Văn bản chờ ký" orders by it)
    audit_record(
        actor=by,
        action="document.section_add",
        obj=document,
        now=now,
        changes={"section": heading or text[:80]},
    )
    return section


def table_from_text(text: str) -> dict:
    """The browser's table editor: one row per line, cells separated by "|", the first line is the header."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise ValidationError("Bảng phải có ít nhất dòng tiêu đề cột.")
    columns = [c.strip() for c in lines[0].split("|")]
    rows = []
    for line in lines[1:]:
        cells = [c.strip() for c in line.split("|")]
        rows.append((cells + [""] * len(columns))[: len(columns)])
    return {"columns": columns, "rows": rows}


def table_to_text(data: dict) -> str:
    return "\n".join(" | ".join(r) for r in [data.get("columns", []), *data.get("rows", [])])


@transaction.atomic
def section_update(*, section: Section, by, heading: str, text: str, now=None) -> Section:
    now = _now(now)
    document = _editable(section.document, by)
    old = [section.heading, section.text]
    heading, text = _section_text(heading, text)
    _check_document_size(document, text, replacing=section)
    if section.kind == Section.Kind.TABLE:
        section.data = table_from_text(text)
        text = ""
    section.heading, section.text = heading, text
    section.full_clean(exclude=["document", "parent"])
    section.save(update_fields=["heading", "text", "data"])
    audit_record(
        actor=by,
        action="document.section_update",
        obj=document,
        now=now,
        changes={"section": [old, [heading, text]]},
    )
    return section


@transaction.atomic
def section_move(*, section: Section, by, direction: str, now=None) -> Section:
    """Swap with the previous ("up") or next ("down") sibling; numbers follow from the positions."""
    now = _now(now)
    document = _editable(section.document, by)
    siblings = list(
        Section.objects.filter(document=document, parent_id=section.parent_id).order_by("position", "id")
    )
    for i, s in enumerate(siblings, start=1):  # normalize positions first
        s.position = i
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for i, s in enumerate(siblings, start=1):
        Section.objects.filter(pk=s.pk).update(position=i)
    audit_record(
        actor=by,
        action="document.section_move",
        obj=document,
        now=now,
        changes={"section": section.heading or section.text[:80], "direction": direction},
    )
    section.refresh_from_db()
    return section


@transaction.atomic
def section_delete(*, section: Section, by, now=None) -> None:
    """Remove a section of a DRAFT (the draft's history stays in the audit trail)."""
    now = _now(now)
    document = _editable(section.document, by)
    audit_record(
        actor=by,
        action="document.section_delete",
        obj=document,
        now=now,
        changes={"section": [section.heading, section.text]},
    )
    section.delete()


@transaction.atomic
def task_save(
    *,
    document: Document,
    by,
    lead: str,
    description: str,
    coordinating: list[str] | None = None,
    due: dict | None = None,
    task: Task | None = None,
    now=None,
) -> Task:
    """Add or change a task of a draft (the browser's task table). ``due`` is a FORMAT.md due rule."""
    from portal.documents.specs import _due

    now = _now(now)
    document = _editable(document, by)
    errors: list = []
    due_fields = _due(due, ("due",), errors)
    if errors:
        raise ValidationError([m for _p, m in errors])
    if task is None:
        last = Task.objects.filter(document=document).aggregate(m=Max("position"))["m"] or 0
        task = Task(document=document, position=last + 1)
    task.lead, task.description, task.coordinating = lead.strip(), description.strip(), coordinating or []
    for f in (
        "due_date",
        "start_date",
        "due_day",
        "due_month",
        "quarter",
        "year",
        "rhythm",
        "trigger_label",
        "within_days",
        "within_working",
        "repeats",
        "no_limit",
        "due_note",
    ):
        setattr(task, f, Task._meta.get_field(f).get_default() if f not in due_fields else due_fields[f])
    task.due_kind = due_fields["due_kind"]
    task.full_clean(exclude=["document"])
    task.save()
    audit_record(
        actor=by, action="document.task_save", obj=document, now=now, changes={"task": task.description[:80]}
    )
    return task


@transaction.atomic
def task_delete(*, task: Task, by, now=None) -> None:
    now = _now(now)
    document = _editable(task.document, by)
    audit_record(
        actor=by, action="document.task_delete", obj=document, now=now, changes={"task": task.description}
    )
    task.delete()


# -- execution: reports, triggers, the execution report ----------------------------------------------------------------


@transaction.atomic
def task_report(
    *, task: Task, text: str, by, completes: bool = False, evidence=None, evidence_link: str = "", now=None
) -> TaskReport:
    now = _now(now)
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("document", "document__commune")
        .get(pk=task.pk)
    )
    _check(by, "documents.report_task", task, "Bạn không có quyền báo cáo nhiệm vụ này.")
    text = (text or "").strip()
    if not text:
        raise ValidationError("Hãy ghi kết quả thực hiện.")
    report = TaskReport(
        task=task,
        reported_by=by,
        reported_at=now,
        text=text,
        evidence_link=evidence_link.strip(),
        completes=completes,
    )
    if evidence is not None:
        # By its bytes, not its name (HTML named .pdf, an EXE named .docx are refused); images lose their metadata.
        report.evidence = uploads.file_clean(
            evidence, field="evidence", what="Tệp minh chứng", max_bytes=EVIDENCE_MAX_BYTES
        )
    report.full_clean(exclude=["task", "reported_by"])
    report.save()
    if completes:
        deadline_meet(subject=task, rule_code=TASK_RULE, by=by, now=now)
        if task.due_kind in (Task.Due.YEARLY, Task.Due.ONGOING):
            today = timezone.localdate(now)
            next_start = task.due_rule.next_period_start(today) or today + dt.timedelta(days=1)
            _open_task_deadline(task, next_start, by=by, now=now)
        elif task.repeats:
            pass  # "mỗi khi có …": the task stays open for the next event
        else:
            task.done_at = now
            task.save(update_fields=["done_at"])
    audit_record(
        actor=by,
        action="document.task_report",
        obj=task,
        now=now,
        changes={"completes": completes},
        commune=task.document.commune,
    )
    return report


@transaction.atomic
def task_record_trigger(*, task: Task, on: dt.date, by, now=None) -> Task:
    """Record that the awaited event happened (e.g. the guidance document arrived): the deadline starts."""
    now = _now(now)
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("document", "document__commune")
        .get(pk=task.pk)
    )
    _check(by, "documents.trigger_task", task, "Bạn không có quyền ghi nhận sự kiện này.")
    if task.due_kind not in (Task.Due.TRIGGER, Task.Due.BEFORE_EVENT):
        raise ValidationError("Nhiệm vụ này không chờ sự kiện.")
    if task.triggered_on is not None and not task.repeats:
        raise ValidationError("Sự kiện đã được ghi nhận.")
    if task.repeats and task.triggered_on is not None:
        ct = ContentType.objects.get_for_model(Task)
        if Deadline.objects.filter(
            content_type=ct, object_id=str(task.pk), rule_code=TASK_RULE, status=Deadline.Status.OPEN
        ).exists():
            raise ValidationError(
                f"Lần trước (ngày {task.triggered_on:%d/%m/%Y}) chưa báo cáo hoàn thành; "
                "hãy báo cáo rồi ghi nhận lần mới."
            )
    task.triggered_on = on
    task.triggered_by = by if by else None
    bounds.validate_fields(task, "triggered_on")
    task.save(update_fields=["triggered_on", "triggered_by"])
    _open_task_deadline(task, on, by=by, now=now)
    audit_record(
        actor=by,
        action="document.task_trigger",
        obj=task,
        now=now,
        changes={"triggered_on": on},
        commune=task.document.commune,
    )
    return task


def overdue_tasks(*, commune_ids=(), today: dt.date, unit_ids=()):
    """Open or missed task deadlines past due, for the given communes, or for the plans of the given upper-level
    units (a district's own plan: its deadlines belong to the district, no commune) (one query)."""
    ct = ContentType.objects.get_for_model(Task)
    return Deadline.objects.filter(
        Q(commune_id__in=commune_ids) | Q(unit_id__in=unit_ids, commune__isnull=True),
        content_type=ct,
        due_date__lt=today,
        status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED],
    ).order_by("due_date", "id")


@transaction.atomic
def document_report_from_plan(*, plan: Document, by, now=None) -> Document:
    """Generate a BÁO CÁO draft on a plan's execution from the task reports."""
    now = _now(now)
    if plan.status != Document.Status.ISSUED or plan.is_model:
        raise ValidationError(
            "Chỉ lập báo cáo cho kế hoạch đã ban hành của đơn vị (không phải kế hoạch mẫu)."
        )
    _check(by, "documents.report_plan", plan, "Bạn không có quyền lập báo cáo này.")
    today = timezone.localdate(now)
    ct = ContentType.objects.get_for_model(Task)
    tasks = list(plan.tasks.prefetch_related("reports"))
    deadlines = {}
    for d in Deadline.objects.filter(content_type=ct, object_id__in=[str(t.pk) for t in tasks]).order_by(
        "id"
    ):
        deadlines[int(d.object_id)] = d
    ref = f"Kế hoạch số {plan.number_line_value()} ngày {short_date(plan.issued_on)}"
    results, problems = [], []
    for t in tasks:
        reports = list(t.reports.all())
        content = [f"- {short_date(timezone.localdate(r.reported_at))}: {r.text}" for r in reports]
        d = deadlines.get(t.pk)
        if t.done_at:
            state = "Đã hoàn thành."
        elif (
            d is not None
            and d.due_date < today
            and d.status in (Deadline.Status.OPEN, Deadline.Status.MISSED)
        ):
            state = f"Chưa hoàn thành, quá hạn ({short_date(d.due_date)})."
            problems.append(f"- {t.lead}: {t.description.rstrip('.')} (hạn {short_date(d.due_date)}).")
        elif not reports:
            state = "Chưa có báo cáo kết quả."
        else:
            state = "Đang thực hiện."
        phrase = due_phrase(t)
        head = t.description.rstrip(".") + (f" (thời gian: {phrase})" if phrase else "")
        group = next((g for g in results if g["heading"] == t.lead), None)
        if group is None:
            group = {"heading": t.lead, "text": "", "content": []}
            results.append(group)
        group["content"] += [f"- {head}. {state}", *["+ " + c[2:] for c in content]]
    spec = {
        "type": "BC",
        "place": plan.place,
        "title": f"Kết quả thực hiện {ref} về {plan.title[:1].lower()}{plan.title[1:]}",
        "preamble": [
            f"Thực hiện {ref} của {plan.issuer.name}, {plan.issuer.name} báo cáo kết quả thực hiện như sau:"
        ],
        "preamble_style": "plain",
        "sections": [
            {"heading": "KẾT QUẢ THỰC HIỆN", "content": results or ["Chưa có nhiệm vụ."]},
            {
                "heading": "TỒN TẠI, HẠN CHẾ",
                "content": problems or ["Các nhiệm vụ được triển khai đúng thời hạn."],
            },
            {"heading": "PHƯƠNG HƯỚNG, ĐỀ XUẤT", "content": ["(Bổ sung nội dung đề xuất, kiến nghị.)"]},
        ],
        "recipients": list(plan.recipients),
        "archive": plan.archive,
        "signature": {
            "authority": plan.sig_authority or "none",
            "organ": plan.sig_organ,
            "head": plan.sig_head,
            "position": plan.sig_position,
            "signer": plan.sig_signer,
        },
        "layout": plan.layout,
    }
    for key in ("parent_organ", "organ", "issuer_symbol"):
        if getattr(plan, key):
            spec[key] = getattr(plan, key)
    try:
        parsed = parse_spec(spec)
    except SpecError as exc:  # pragma: no cover - generated specs are valid
        raise ValidationError(exc.messages()) from exc
    return document_create_from_spec(
        spec=parsed,
        issuer=plan.issuer,
        by=by,
        commune=plan.commune,
        now=now,
        source_plan=plan,
        purpose=Document.Purpose.OWN,
    )
