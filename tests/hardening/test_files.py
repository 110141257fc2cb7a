"""Uploaded files are private: served by access-checked views (portal/files.py), never from /media/; disguised
files are refused at upload whatever the form."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from portal.publicity import services as publicity
from portal.publicity.models import Posting
from tests.hardening.test_uploads import _docx_bytes, _jpeg_with_gps
from tests.publicity.factories import make_budget

pytestmark = pytest.mark.django_db
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@pytest.fixture
def confirmed(settings, tmp_path, commune, village, other_village, staff, village_head):
    """A posting in the village head's village, confirmed with a phone photo that carried GPS."""
    settings.MEDIA_ROOT = str(tmp_path)
    pub = make_budget(commune, staff, decided_on=timezone.localdate(), now=timezone.now())
    posting = pub.postings.get(kind=Posting.Kind.VILLAGE_HOUSE, village=village)
    photo = SimpleUploadedFile("bang-tin.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    publicity.posting_confirm(posting=posting, by=village_head, posted_on=timezone.localdate(), photo=photo)
    posting.refresh_from_db()
    return posting


def test_nothing_serves_media_directly(client, confirmed, staff):
    client.force_login(staff)
    assert client.get("/media/" + confirmed.photo.name).status_code == 404


def test_the_photo_link_on_the_matrix_opens_the_photo_without_its_gps(client, confirmed, staff):
    client.force_login(staff)
    page = client.get(reverse("publicity:detail", args=[confirmed.publication_id])).content.decode()
    url = reverse("publicity:posting_photo", args=[confirmed.pk])
    assert f'href="{url}">Ảnh</a>' in page and "/media/" not in page
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("inline;") and "anh-niem-yet" in r["Content-Disposition"]
    assert "sandbox" in r["Content-Security-Policy"]
    image = Image.open(io.BytesIO(b"".join(r.streaming_content)))
    assert image.format == "JPEG" and not image.getexif()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),
        ("leader", 200),
        ("mttq", 200),
        ("overseer", 200),
        ("village_head", 200),  # the posting is in their village
        ("other_village_head", 404),  # same commune, another village
        ("other_staff", 404),  # another commune
        ("citizen", 404),  # signed in, no role
    ],
)
def test_posting_photo_only_for_the_communes_readers_and_the_villages_head(
    client, confirmed, request, who, status
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("publicity:posting_photo", args=[confirmed.pk])).status_code == status


def test_posting_photo_asks_anonymous_to_sign_in(client, confirmed):
    r = client.get(reverse("publicity:posting_photo", args=[confirmed.pk]))
    assert r.status_code == 302 and reverse("login") in r["Location"]


def test_no_photo_link_for_someone_who_may_not_open_it(client, confirmed, other_village_head):
    """The head of another village reads the publicized content, but not the photo taken in another village."""
    client.force_login(other_village_head)
    page = client.get(reverse("publicity:detail", args=[confirmed.publication_id]))
    assert page.status_code == 200
    assert reverse("publicity:posting_photo", args=[confirmed.pk]) not in page.content.decode()


@override_settings(PORTAL_FILE_SERVER="nginx", PORTAL_FILE_ACCEL_PREFIX="/_private/")
def test_production_hands_the_file_to_nginx_after_the_check(client, confirmed, staff, other_staff):
    url = reverse("publicity:posting_photo", args=[confirmed.pk])
    client.force_login(other_staff)
    r = client.get(url)
    assert r.status_code == 404 and "X-Accel-Redirect" not in r
    client.force_login(staff)
    r = client.get(url)
    assert r.status_code == 200 and r.content == b""
    assert r["X-Accel-Redirect"] == "/_private/" + confirmed.photo.name
    assert r["X-Content-Type-Options"] == "nosniff" and r["Content-Disposition"].startswith("inline;")


@override_settings(PORTAL_FILE_SERVER="sendfile")
def test_apache_gets_x_sendfile_with_the_absolute_path(client, confirmed, staff):
    client.force_login(staff)
    r = client.get(reverse("publicity:posting_photo", args=[confirmed.pk]))
    assert r.status_code == 200 and r["X-Sendfile"] == confirmed.photo.path and r.content == b""


def test_a_stored_name_that_vanished_is_a_404(client, confirmed, staff):
    confirmed.photo.storage.delete(confirmed.photo.name)
    client.force_login(staff)
    assert client.get(reverse("publicity:posting_photo", args=[confirmed.pk])).status_code == 404


def test_task_evidence_is_an_attachment_for_readers_of_the_document_only(
    client, settings, tmp_path, commune, orgs, staff, leader, other_staff
):
    from portal.documents.services import document_create_from_spec, document_issue
    from tests.documents.factories import minimal_spec

    settings.MEDIA_ROOT = str(tmp_path)
    draft = document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=staff, commune=commune)
    task = document_issue(document=draft, by=leader).tasks.get()
    client.force_login(staff)
    docx = SimpleUploadedFile("bien-ban.docx", _docx_bytes())
    client.post(reverse("documents:task_report", args=[task.pk]), {"text": "Đã họp", "evidence": docx})
    report = task.reports.get()
    url = reverse("documents:evidence", args=[report.pk])
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")
    assert "bien-ban.docx" in r["Content-Disposition"] and r["X-Content-Type-Options"] == "nosniff"
    client.force_login(other_staff)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("y.csv", b"<html><body><script>alert(1)</script>"),
        ("y.csv", EXE),
        ("y.xlsx", _docx_bytes()),  # a Word file renamed
        ("y.xlsx", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("y.csv", b"%PDF-1.7\n"),
    ],
)
def test_comment_import_refuses_a_disguised_file_and_stores_nothing(
    settings, tmp_path, commune, staff, name, data
):
    from consultations import services
    from consultations.models import ImportBatch
    from tests.consultations.factories import at, make_published

    settings.MEDIA_ROOT = str(tmp_path)
    c = make_published(commune, staff)
    with pytest.raises(ValidationError) as exc:
        services.import_batch_create(
            consultation=c, by=staff, upload=SimpleUploadedFile(name, data), now=at(2024, 3, 10)
        )
    assert "không đúng loại" in exc.value.messages[0]
    assert not ImportBatch.objects.exists() and not list(tmp_path.rglob("*.*"))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("anh.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("anh.jpg", EXE),
        ("anh.jpg", b"<html></html>"),
    ],
)
def test_posting_photo_refuses_disguised_files(client, confirmed, village, village_head, name, data):
    other = confirmed.publication.postings.get(kind=Posting.Kind.VILLAGE_HEAD, village=village)
    client.force_login(village_head)
    r = client.post(
        reverse("publicity:posting_confirm", args=[other.pk]),
        {"posted_on": timezone.localdate().isoformat(), "photo": SimpleUploadedFile(name, data)},
    )
    assert r.status_code == 200
    other.refresh_from_db()
    assert not other.photo and other.posted_on is None


def test_answer_proof_link_opens_for_readers_of_the_petition_only(
    client, settings, tmp_path, commune, village, staff, leader, other_staff
):
    from dialogues import services as dialogues
    from tests.dialogues.factories import make_dialogue, record, ubnd

    settings.MEDIA_ROOT = str(tmp_path)
    ubnd(commune)
    make_dialogue(commune=commune, by=staff, villages=[village], host=leader)
    petition = record(commune=commune, by=staff, village=village)
    pdf = SimpleUploadedFile("cong-van.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    answer = dialogues.petition_answer(
        petition=petition, by=staff, how="in_writing", text="Đã trả lời", proof=pdf
    )
    url = reverse("dialogues:answer_proof", args=[petition.pk, answer.pk])
    client.force_login(staff)
    page = client.get(reverse("dialogues:petition", args=[petition.pk])).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content).startswith(b"%PDF-")
    client.force_login(other_staff)
    assert client.get(url).status_code == 404
