"""Creating a consultation and its draft versions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consultations import text as drafttext
from consultations.models import Article, Audience, Category, Channel, Comment, Consultation, DraftVersion
from portal import text as txt
from portal.audit import audit_record

from ._base import lock, public_changed, require_perm, require_status

EDITABLE_FIELDS = (
    "title",
    "summary",
    "category",
    "audience",
    "opens_on",
    "closes_on",
    "channels",
    "summary_due_on",
    "responsible",
)

# What the KẾ HOẠCH states: once it is issued, changing one of these drafts a new version of the plan.
PLAN_FACTS = (
    "title",
    "summary",
    "audience",
    "opens_on",
    "closes_on",
    "channels",
    "summary_due_on",
    "organizers",
)


def _check_category(audience: str, category: str) -> None:
    if category not in dict(Category.for_audience(audience)):
        raise ValidationError(
            {
                "category": "Nội dung lấy ý kiến không phù hợp với đối tượng (Điều 25 cho Nhân dân, "
                "Điều 53 cho cán bộ, công chức)."
            }
        )


def _check_responsible(user, consultation: Consultation) -> None:
    if user is not None and not user.has_perm("consultations.change_consultation", consultation):
        raise ValidationError({"responsible": "Cán bộ phụ trách phải là cán bộ, công chức của xã."})


def _check_channels(channels) -> list[str]:
    channels = list(dict.fromkeys(channels or []))
    bad = [c for c in channels if c not in Channel.values]
    if bad:
        raise ValidationError({"channels": f"Hình thức không hợp lệ: {', '.join(bad)}."})
    return channels


@transaction.atomic
def consultation_create(
    *,
    commune,
    by,
    title: str,
    category: str,
    audience: str = Audience.PEOPLE,
    opens_on: dt.date,
    closes_on: dt.date,
    channels=None,
    organizers=(),
    responsible=None,
    summary_due_on: dt.date | None = None,
    summary: str = "",
    draft_text: str = "",
    now: dt.datetime | None = None,
) -> Consultation:
    now = now or timezone.now()
    probe = Consultation(commune=commune)
    require_perm(by, "consultations.add_consultation", probe)
    _check_category(audience, category)
    _check_responsible(responsible, probe)
    consultation = Consultation(
        commune=commune,
        title=txt.clean_text(title),
        summary=txt.clean_text(summary),
        category=category,
        audience=audience,
        opens_on=opens_on,
        closes_on=closes_on,
        channels=_check_channels(channels),
        responsible=responsible or by,
        summary_due_on=summary_due_on,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    consultation.full_clean()
    consultation.save()
    if organizers:
        consultation.organizers.set(organizers)
    audit_record(
        actor=by,
        action="consultation.create",
        obj=consultation,
        now=now,
        changes={
            "title": consultation.title,
            "audience": audience,
            "category": category,
            "window": [opens_on, closes_on],
        },
    )
    if draft_text.strip():
        draft_version_create(
            consultation=consultation, by=by, draft_text=draft_text, note="Dự thảo lần đầu", now=now
        )
    return consultation


@transaction.atomic
def consultation_update(
    *, consultation: Consultation, by, now: dt.datetime | None = None, organizers=None, **fields
) -> Consultation:
    require_perm(by, "consultations.change_consultation", consultation)
    consultation = lock(consultation)
    require_status(consultation, Consultation.Status.DRAFT, action="sửa kế hoạch")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "channels" in fields:
        fields["channels"] = _check_channels(fields["channels"])
    for key in ("title", "summary"):
        if key in fields:
            fields[key] = txt.clean_text(fields[key])
    old = {k: getattr(consultation, k) for k in fields}
    for k, v in fields.items():
        setattr(consultation, k, v)
    _check_category(consultation.audience, consultation.category)
    if "responsible" in fields:
        _check_responsible(consultation.responsible, consultation)
    consultation.updated_at = now or timezone.now()
    consultation.full_clean()
    consultation.save(update_fields=[*fields, "updated_at"])
    old_organizers = sorted(consultation.organizers.values_list("pk", flat=True))
    if organizers is not None:
        consultation.organizers.set(organizers)
    public_changed(consultation.pk)
    changes = {k: [old[k], getattr(consultation, k)] for k in fields if old[k] != getattr(consultation, k)}
    new_organizers = sorted(consultation.organizers.values_list("pk", flat=True))
    if new_organizers != old_organizers:
        changes["organizers"] = [old_organizers, new_organizers]
    audit_record(actor=by, action="consultation.update", obj=consultation, changes=changes, now=now)
    if set(changes) & set(PLAN_FACTS):
        from .documents import plan_revise

        plan_revise(consultation=consultation, by=by, now=now or timezone.now(), changes=changes)
    return consultation


@transaction.atomic
def draft_version_create(
    *,
    consultation: Consultation,
    by,
    draft_text: str = "",
    items: list[dict] | None = None,
    note: str = "",
    for_comments=(),
    now: dt.datetime | None = None,
) -> DraftVersion:
    """Add a new version of the draft; older versions stay, and each article records what changed.

    ``for_comments``: ids of accepted comments this version answers; each is linked to the article it changed (its
    own article in the new version, or the first changed clause of it), which the results then show."""
    now = now or timezone.now()
    require_perm(by, "consultations.change_consultation", consultation)
    consultation = lock(consultation)
    if consultation.status in (
        Consultation.Status.ADOPTED,
        Consultation.Status.PUBLICIZED,
        Consultation.Status.REPORTED,
    ):
        raise ValidationError("Văn bản đã được ban hành, không thể thêm phiên bản dự thảo.")
    if consultation.status in (Consultation.Status.PUBLISHED, Consultation.Status.OPEN):
        raise ValidationError(
            "Đang lấy ý kiến trên dự thảo đã công khai; chỉ thêm phiên bản mới sau khi hết thời "
            "gian góp ý (mọi thay đổi phải được công khai lại, Điều 14 khoản 1 Luật 10/2022/QH15)."
        )
    try:
        items = items if items is not None else drafttext.parse_draft(draft_text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if not items:
        raise ValidationError("Dự thảo chưa có điều khoản nào.")
    previous_version = consultation.versions.order_by("-number").first()
    previous = {a.key: a for a in previous_version.articles.all()} if previous_version else {}
    version = DraftVersion(
        consultation=consultation,
        number=(previous_version.number + 1) if previous_version else 1,
        note=txt.clean_text(note),
        created_by=by,
        created_at=now,
    )
    version.full_clean()
    version.save()
    by_key: dict[str, Article] = {}
    changed = 0
    for position, item in enumerate(items, start=1):
        old = previous.get(item["key"])
        article = Article(
            version=version,
            kind=item["kind"],
            number=str(item["number"]),
            heading=txt.clean_text(item["heading"]),
            text=txt.clean_text(item["text"]),
            parent=by_key.get(item.get("parent_key") or ""),
            position=position,
            key=item["key"],
            previous=old,
        )
        if old is None:
            article.change = Article.Change.ADDED if previous_version else Article.Change.UNCHANGED
        elif (old.heading, old.text) == (article.heading, article.text):
            article.change = Article.Change.UNCHANGED
        else:
            article.change = Article.Change.CHANGED
            article.diff_html = drafttext.diff_html(
                f"{old.heading}\n{old.text}", f"{article.heading}\n{article.text}"
            )
        changed += article.change != Article.Change.UNCHANGED
        article.full_clean(exclude=["parent", "previous"])
        article.save()
        by_key[article.key] = article
    public_changed(consultation.pk)
    removed = sorted(set(previous) - set(by_key))
    linked = _link_comments(consultation, for_comments, by_key) if for_comments else {}
    audit_record(
        actor=by,
        action="consultation.draft_version",
        obj=consultation,
        now=now,
        changes={
            "version": version.number,
            "articles": len(items),
            "changed": changed,
            "removed": removed,
            **({"comments": linked} if linked else {}),
        },
        note=version.note,
    )
    return version


def _link_comments(consultation: Consultation, comment_ids, by_key: dict[str, Article]) -> dict[str, str]:
    """Accepted comments → the article of the new version changed because of them (code → article label)."""
    accepted = (Comment.Answer.ACCEPTED, Comment.Answer.PARTLY)
    comments = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("article")
        .filter(consultation=consultation, pk__in=list(comment_ids)[:200], answer_kind__in=accepted)
        .order_by("pk")
    )
    linked = {}
    for comment in comments:
        if comment.article_id is None:
            continue  # a comment on the whole draft: staff choose the article in the answer form
        article = by_key.get(comment.article.key)
        if article is None:
            continue
        candidates = [article, *(a for a in by_key.values() if a.parent_id == article.pk)]
        target = next((a for a in candidates if a.change != Article.Change.UNCHANGED), None)
        if target is None:
            continue
        comment.changed_article = target
        comment.save(update_fields=["changed_article"])
        linked[comment.tracking_code] = target.label
    return linked
