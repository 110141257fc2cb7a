import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.models import Channel, Dialogue, Petition
from dialogues.services import Outcome
from tests.dialogues.factories import MEETING_DAY, make_dialogue, record, ubnd
from tests.factories import PASSWORD
from tests.portal.factories import at

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(commune, village, staff, leader):
    ubnd(commune)
    return make_dialogue(commune=commune, by=staff, villages=[village], host=leader)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _bulk_petitions(dialogue, village, n):
    now = timezone.now()
    fields = ["land", "environment", "policy", "infrastructure", "security"]
    Petition.objects.bulk_create(
        [
            Petition(
                commune_id=dialogue.commune_id,
                dialogue=dialogue,
                village=village,
                tracking_code=f"KN-B{i:07d}",
                channel=Channel.PAPER,
                field=fields[i % 5],
                text=f"Kiến nghị số {i}",
                received_on=D(2026, 3, 1),
                created_at=now,
                updated_at=now,
            )
            for i in range(n)
        ],
        batch_size=1000,
    )


def _count(client, url) -> int:
    client.get(url)  # the steady state: the signed-in person is cached (portal/principal.py)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_petitions(client, dialogue, village, staff):
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(D(2026, 3, 5)))
    login(client, staff)
    urls = [
        reverse("dialogues:list"),
        reverse("dialogues:detail", args=[dialogue.pk]),
        reverse("dialogues:petitions"),
        reverse("dialogues:report", args=[dialogue.pk]),
        reverse("dialogues:console", args=[dialogue.pk]),
        reverse("dialogues:public", args=[dialogue.pk]),
        reverse("dialogues:year_report", args=[2026]),
    ]
    _bulk_petitions(dialogue, village, 10)
    for url in urls:
        client.get(url)  # warm caches (content types, sessions)
    small = {url: _count(client, url) for url in urls}
    Petition.objects.filter(dialogue=dialogue).delete()
    _bulk_petitions(dialogue, village, 5000)
    large = {url: _count(client, url) for url in urls}
    assert small == large


def test_staff_plan_and_notice_through_pages(client, commune, village, staff, leader):
    ubnd(commune)
    login(client, staff)
    day = timezone.localdate() + dt.timedelta(days=6)
    response = client.post(
        reverse("dialogues:create"),
        {
            "title": "Đối thoại với Nhân dân thôn Đồng Tâm",
            "kind": "village",
            "villages": [village.pk],
            "day": day.isoformat(),
            "time": "08:00",
            "duration_minutes": 180,
            "place": "Nhà văn hóa thôn",
        },
    )
    dialogue = Dialogue.objects.get()
    assert response.status_code == 302
    response = client.post(reverse("dialogues:transition", args=[dialogue.pk, "thong-bao"]), follow=True)
    assert "ít nhất 7 ngày" in response.content.decode()
    dialogue.refresh_from_db()
    assert dialogue.status == Dialogue.Status.DRAFT


def test_village_head_records_by_phone_only_for_own_village(
    client, commune, village, other_village, village_head
):
    login(client, village_head)
    page = client.get(reverse("dialogues:petition_record"))
    assert page.status_code == 200
    html = page.content.decode()
    assert other_village.name not in html
    response = client.post(
        reverse("dialogues:petition_record"),
        {
            "channel": "phone",
            "provenance": "village_head",
            "village": other_village.pk,
            "kind": "recommendation",
            "text": "Đèn đường hỏng",
        },
    )
    assert response.status_code == 200 and not Petition.objects.exists()
    client.post(
        reverse("dialogues:petition_record"),
        {
            "channel": "phone",
            "provenance": "village_head",
            "village": village.pk,
            "kind": "recommendation",
            "text": "Đèn đường hỏng",
        },
    )
    assert Petition.objects.get().village == village


def test_other_commune_gets_404(client, dialogue, commune, village, staff, other_staff):
    p = record(commune=commune, by=staff, village=village)
    login(client, other_staff)
    assert client.get(reverse("dialogues:detail", args=[dialogue.pk])).status_code == 404
    assert client.get(reverse("dialogues:petition", args=[p.pk])).status_code == 404


def test_citizen_submits_online_reads_answer_and_reopens(client, commune, village, staff, dialogue):
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(D(2026, 3, 5)))
    form = {
        "village": village.pk,
        "dialogue": dialogue.pk,
        "text": "Xin sửa cống thoát nước",
        "is_public": "on",
        "form_token": "a" * 32,
    }
    response = client.post(reverse("dialogues:petition_submit", args=[commune.code]), form)
    # A double click (same form token) makes one petition and lands on the same receipt.
    again = client.post(reverse("dialogues:petition_submit", args=[commune.code]), form)
    petition = Petition.objects.get()
    assert again["Location"] == response["Location"]
    assert response.status_code == 302 and petition.tracking_code in response["Location"]
    assert petition.channel == Channel.ONLINE
    # A bot filling the honeypot is refused and nothing is stored.
    bot = client.post(
        reverse("dialogues:petition_submit", args=[commune.code]),
        {"text": "spam", "website": "http://x", "form_token": "b" * 32},
    )
    assert bot.status_code == 400 and Petition.objects.count() == 1
    services.petition_assign(petition=petition, by=staff, assignee=staff)
    services.petition_answer(
        petition=petition,
        by=staff,
        how="in_writing",
        text="Sẽ sửa trong tháng 4",
        proof_note="Công văn số 15",
    )
    page = client.get(reverse("dialogues:my_petition", args=[petition.tracking_code]))
    assert "Sẽ sửa trong tháng 4" in page.content.decode()
    # The core lookup page finds it by code, typed loosely.
    lookup = client.get(reverse("intake_lookup"), {"ma": petition.tracking_code.lower().replace("-", " ")})
    html = lookup.content.decode()
    assert "Sẽ sửa trong tháng 4" in html and petition.tracking_code in html
    assert "Công văn số 15" not in html  # proof details are not on the public lookup
    client.post(
        reverse("dialogues:my_petition", args=[petition.tracking_code]),
        {"satisfied": "0", "reason": "Chưa có ngày cụ thể"},
    )
    petition.refresh_from_db()
    assert petition.status == Petition.Status.REOPENED


def test_console_records_outcome_at_tablet_size_form(client, commune, village, staff, dialogue):
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(D(2026, 3, 5)))
    login(client, staff)
    client.post(
        reverse("dialogues:speaker_add", args=[dialogue.pk]), {"name": "Bà Lê Thị Hoa", "village": village.pk}
    )
    page = client.get(reverse("dialogues:console", args=[dialogue.pk]))
    assert "Bà Lê Thị Hoa" in page.content.decode()
    response = client.post(
        reverse("dialogues:console", args=[dialogue.pk]),
        {"text": "Đường ngập", "village": village.pk, "outcome": Outcome.ASSIGNED, "assignee": staff.pk},
    )
    assert response.status_code == 302
    p = Petition.objects.get()
    assert p.status == Petition.Status.ASSIGNED and p.raised_at_meeting


def test_xlsx_export_is_formula_safe(client, commune, village, staff, dialogue):
    import io

    from openpyxl import load_workbook

    record(commune=commune, by=staff, village=village, dialogue=dialogue, text='=HYPERLINK("http://x")')
    record(commune=commune, by=staff, village=village, dialogue=dialogue, text="@SUM(A1)")
    login(client, staff)
    response = client.get(reverse("dialogues:xlsx", args=[dialogue.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    texts = [row[10].value for row in ws.iter_rows(min_row=2)]
    assert sorted(texts) == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"


def test_large_petition_export_is_built_by_the_worker_once(
    client, commune, village, staff, dialogue, monkeypatch, settings, tmp_path
):
    """Above the inline limit the XLSX is a file the worker builds, per change of the petitions (portal.exports)."""
    import io

    from django.utils.module_loading import import_string
    from openpyxl import load_workbook

    from portal import exports

    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(exports, "EXPORT_INLINE_MAX", 1)
    jobs = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda func, *args, **kw: jobs.append((func, args)))
    for text in ("Đường ngập", "Đèn đường hỏng"):
        record(commune=commune, by=staff, village=village, dialogue=dialogue, text=text)
    login(client, staff)
    for url in (
        reverse("dialogues:xlsx", args=[dialogue.pk]),
        reverse("dialogues:year_xlsx", args=[MEETING_DAY.year]),
    ):
        waiting = client.get(url)
        assert waiting.status_code == 202 and "2 dòng" in waiting.content.decode()
        assert len(jobs) == 1
        func, args = jobs.pop()
        import_string(func)(*args)
        done = client.get(url)
        assert done.status_code == 200 and not jobs
        ws = load_workbook(io.BytesIO(b"".join(done.streaming_content))).active
        assert sorted(row[10].value for row in ws.iter_rows(min_row=2)) == ["Đèn đường hỏng", "Đường ngập"]
    record(commune=commune, by=staff, village=village, dialogue=dialogue, text="Cầu tràn sạt lở")
    assert (
        client.get(reverse("dialogues:xlsx", args=[dialogue.pk])).status_code == 202
    )  # a new version to build


def test_year_report_creates_a_report_document_with_figures(
    client, commune, village, staff, leader, dialogue
):
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(D(2026, 3, 5)))
    services.meeting_raise(
        dialogue=dialogue,
        by=staff,
        text="Trợ cấp",
        outcome=Outcome.ANSWERED,
        answer_text="Đã giải thích",
        village=village,
        now=at(MEETING_DAY, 9),
    )
    login(client, staff)
    response = client.post(reverse("dialogues:year_report_create", args=[2026]))
    assert response.status_code == 302
    from portal.documents.models import Document
    from portal.documents.rendering import render_html

    doc = Document.objects.get(doc_type="BC")
    html = render_html(doc)
    assert "trả lời tại hội nghị: 1 (100%)" in html


def test_homes_show_dialogue_work_with_constant_queries(
    client, commune, village, staff, leader, mttq, village_head, dialogue
):
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(D(2026, 3, 5)))
    late = record(
        commune=commune,
        by=staff,
        village=village,
        channel=Channel.RECEPTION,
        oral_confirmed=True,
        on=D(2026, 3, 2),
        text="Kiến nghị quá hạn về thủy lợi",
    )
    for user, url in ((staff, "/bang-dieu-khien/"), (mttq, "/mttq/"), (village_head, "/thon-cua-toi/")):
        client.logout()
        login(client, user)
        client.get(url)
        first = _count(client, url)
        html = client.get(url).content.decode()
        assert late.tracking_code in html, (user, url)
        for i in range(25):
            record(
                commune=commune,
                by=staff,
                village=village,
                channel=Channel.RECEPTION,
                oral_confirmed=True,
                on=D(2026, 3, 2),
                text=f"Kiến nghị {i}",
            )
        assert _count(client, url) == first, url
    client.logout()
    soon = make_dialogue(
        commune=commune,
        by=staff,
        villages=[village],
        title="Đối thoại sắp tới thôn Đồng Tâm",
        day=timezone.localdate() + dt.timedelta(days=20),
        planned=timezone.localdate(),
    )
    services.dialogue_publish_notice(dialogue=soon, by=staff)
    home = client.get(f"/xa/{commune.code}/").content.decode()
    assert "Hội nghị đối thoại sắp tổ chức" in home and "Đối thoại sắp tới thôn Đồng Tâm" in home


def test_petition_page_lists_and_dispatches_its_actions_from_the_workflow(
    client, commune, village, staff, dialogue
):
    main = record(commune=commune, by=staff, village=village, dialogue=dialogue)
    twin = record(commune=commune, by=staff, village=village, dialogue=dialogue, text="Đường trục thôn hỏng")
    services.petition_mark_duplicate(petition=twin, of=main, by=staff)
    login(client, staff)
    url = reverse("dialogues:petition", args=[main.pk])
    page = client.get(url).content.decode()
    for slug in ("giao", "chuan-bi", "tra-loi", "chuyen"):  # the workflow's actions of a received petition
        assert reverse("dialogues:petition_action", args=[main.pk, slug]) in page
    assert "tra-loi-cap-tren" not in page
    # A duplicate says why it is not answered on its own (the workflow's unmet condition).
    page = client.get(reverse("dialogues:petition", args=[twin.pk])).content.decode()
    assert "Điều kiện chưa đáp ứng" in page and "Kiến nghị trùng được giải quyết theo kiến nghị chính" in page
    # Dispatch goes through the workflow: forward, then record the upper level's answer.
    action = lambda slug: reverse("dialogues:petition_action", args=[main.pk, slug])  # noqa: E731
    client.post(action("chuyen"), {"to": "UBND huyện", "follow_up_on": "2026-12-31"})
    main.refresh_from_db()
    assert main.status == Petition.Status.FORWARDED
    page = client.get(url).content.decode()
    assert action("tra-loi-cap-tren") in page and action("tra-loi") + '"' not in page
    assert client.post(action("cap-tren-tra-loi"), {"text": "x"}).status_code == 404
    assert client.post(action("danh-gia"), {}).status_code == 404  # no button: the petitioner's step
    client.post(action("tra-loi-cap-tren"), {"text": "UBND huyện đã bố trí vốn.", "proof_note": "CV 12/UBND"})
    main.refresh_from_db()
    assert main.status == Petition.Status.ANSWERED
    assert main.answers.get().how == "upper_level"


@pytest.mark.parametrize("role", ["staff", "leader", "village_head", "mttq", "radio"])
def test_every_link_on_the_dialogue_page_opens_for_who_sees_it(
    client, request, dialogue, staff, village, role
):
    """The sub-menu, the documents and the export are offered only to who may open them: a village head and MTTQ
    read the dialogue, they do not run the meeting console, and a village head reads issued documents only."""
    import re

    from dialogues.workflow import DIALOGUE

    DIALOGUE.perform(dialogue, "van-ban-ke-hoach", by=staff)  # a draft plan: staff see it, a village head not
    record(
        commune=dialogue.commune, by=staff, village=village, dialogue=dialogue, text="Sửa đường liên thôn."
    )
    user = request.getfixturevalue(role)
    login(client, user)
    page = client.get(reverse("dialogues:detail", args=[dialogue.pk])).content.decode()
    main = page.split('<main id="main"')[1].split("</main>")[0]
    links = sorted(set(re.findall(r'href="(/[^"#]*)"', main)))
    assert links
    for url in links:
        assert client.get(url.replace("&amp;", "&")).status_code == 200, (role, url)
    sub = main.split('<nav aria-label="Hội nghị"')[1].split("</nav>")[0]
    runs = role in ("staff", "leader")
    assert ("Điều hành hội nghị" in sub) is runs
    assert ("Trang công khai" in sub) is False  # a draft is not public yet
    assert ("đang soạn, chưa ban hành" in main) is (role == "village_head")
