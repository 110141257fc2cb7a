"""Contest pages: who opens what (404 for a conflicted judge), the judge's sheet, results, PDFs, query counts."""

from decimal import Decimal as D  # noqa: N817 - short for points

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from campaigns import services
from campaigns.models import JudgeScore
from portal.models import Membership, Role
from tests.campaigns.factories import NOW, fill_self, make_world
from tests.campaigns.test_import import workbook_from_format
from tests.campaigns.test_services import finalized_world, score_all
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def submitted(world, i=0):
    p = world.participants[i]
    fill_self(p, None)
    return services.self_assessment_submit(participant=p, by=None, now=NOW)


def test_a_judge_with_a_conflict_cannot_open_that_participant(client):
    world = make_world(2)
    p0, p1 = (submitted(world, i) for i in range(2))
    judge = world.judges[0]
    Membership.objects.create(user=judge, unit=world.communes[0], role=Role.JUDGE)
    for p in (p0, p1):
        services.judge_assign(participant=p, judge=judge, by=world.organizer, now=NOW)
    client.force_login(judge)
    assert client.get(reverse("campaigns:judge_sheet", args=[p0.pk])).status_code == 404
    assert client.get(reverse("campaigns:participant", args=[p0.pk])).status_code == 404
    assert client.post(reverse("campaigns:judge_sheet", args=[p0.pk]), {"submit": "1"}).status_code == 404
    assert client.get(reverse("campaigns:judge_sheet", args=[p1.pk])).status_code == 200
    home = client.get(reverse("campaigns:judge_home")).content.decode()
    assert "Không chấm: Giám khảo giữ vai trò" in home


def test_the_organizer_assigns_a_judge_from_a_select_of_the_judging_panel(client):
    world = make_world(1)
    p = world.participants[0]
    outsider = make_user(Role.STAFF, world.communes[0], username="ngoai", first_name="Người ngoài")
    client.force_login(world.organizer)
    page = client.get(reverse("campaigns:contest", args=[world.contest.pk])).content.decode()
    assert 'name="username"' not in page
    assert '<select name="judge"' in page
    assert f'<option value="{world.judges[0].pk}">' in page
    assert f'<option value="{outsider.pk}">' not in page
    url = reverse("campaigns:judge_add", args=[world.contest.pk])
    client.post(url, {"participant": p.pk, "judge": outsider.pk})
    assert not p.assignments.exists()
    client.post(url, {"participant": p.pk, "judge": world.judges[0].pk})
    assert list(p.assignments.values_list("judge", flat=True)) == [world.judges[0].pk]


def _progress(client, world) -> dict[str, list[str]]:
    import re

    page = client.get(reverse("campaigns:contest", args=[world.contest.pk])).content.decode()
    table = page.split("<caption>Tiến độ chấm điểm</caption>")[1].split("</table>")[0]
    rows = {}
    for tr in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S):
        name = re.search(r">([^<]+)</a>", tr).group(1)
        rows[name] = re.findall(r"<td>(.*?)</td>", tr, re.S)
    return rows  # name → [stage, sheets, self, current score, stars, spread]


def test_progress_shows_a_dash_until_scored_and_the_real_sheet_counts_after_finalizing(client):
    world = make_world(2)
    p = submitted(world)
    score_all(world, p, world.judges[0])
    services.judge_assign(participant=p, judge=world.judges[1], by=world.organizer, now=NOW)
    client.force_login(world.organizer)
    rows = _progress(client, world)
    assert rows["Xã 2"][1] == "0/0" and rows["Xã 2"][3] == "—"
    assert rows["Xã 1"][1] == "1/2" and rows["Xã 1"][3] == "100"
    world = finalized_world()
    client.force_login(world.organizer)
    rows = _progress(client, world)
    assert [rows[f"Xã {i}"][1] for i in (1, 2, 3)] == ["2/2", "2/2", "2/2"]
    assert rows["Xã 3"][3] == "0"  # scored, and scored nought


def test_an_unassigned_judge_and_another_commune_get_404(client):
    world = make_world(2)
    p = submitted(world)
    client.force_login(world.judges[1])
    assert client.get(reverse("campaigns:judge_sheet", args=[p.pk])).status_code == 404
    client.force_login(world.staff[0])  # staff of commune 1
    assert client.get(reverse("campaigns:participant", args=[world.participants[1].pk])).status_code == 404
    assert client.get(reverse("campaigns:participant", args=[p.pk])).status_code == 200


def test_judge_sheet_refuses_a_departure_without_comment_then_accepts_it(client):
    world = make_world(1)
    p = submitted(world)
    judge = world.judges[0]
    services.judge_assign(participant=p, judge=judge, by=world.organizer, now=NOW)
    leaves = {c.code: c for c in p.contest.criteria_set.criteria.filter(kind="criterion")}
    data = {f"points_{c.pk}": str(c.max_points) for c in leaves.values() if c.scoring != "count"}
    data.update({f"count_{c.pk}": "3" for c in leaves.values() if c.scoring == "count"})
    data[f"points_{leaves['2.1'].pk}"] = "18"
    url = reverse("campaigns:judge_sheet", args=[p.pk])
    client.force_login(judge)
    page = client.post(url, data | {"submit": "1"}).content.decode()
    assert "Tiêu chí 2.1: điểm chấm chênh với điểm tự chấm (25) quá 2 điểm" in page
    assert 'value="18"' in page  # what the judge typed stays on the page
    assert not JudgeScore.objects.exists()
    data[f"comment_{leaves['2.1'].pk}"] = "Thiếu sổ theo dõi quý II"
    response = client.post(url, data | {"submit": "1"})
    assert response.status_code == 302
    assert JudgeScore.objects.get(criterion=leaves["2.1"]).points == D(18)
    assert p.assignments.get(judge=judge).submitted_round1_at is not None


def test_self_assessment_page_saves_and_shows_the_what_if(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    world = make_world(1)
    p, staff = world.participants[0], world.staff[0]
    c = p.contest.criteria_set.criteria.get(code="2.1")
    client.force_login(staff)
    url = reverse("campaigns:participant", args=[p.pk])
    assert client.post(url, {f"points_{c.pk}": "30"}).status_code == 200  # above the maximum: refused
    assert not p.self_scores.exists()
    assert client.post(url, {f"points_{c.pk}": "20,5"}).status_code == 302
    assert p.self_scores.get().points == D("20.5")
    response = client.post(
        reverse("campaigns:evidence_add", args=[p.pk, c.pk]),
        {"kind": "file", "file": SimpleUploadedFile("so-theo-doi.pdf", b"%PDF-1.4 x")},
    )
    assert response.status_code == 302 and p.evidence.count() == 1
    page = client.get(url).content.decode()
    assert "Để đạt 3 sao" in page and "chưa có minh chứng" in page


def test_public_results_only_after_finalizing_and_pdfs_render(client):
    world = make_world(1)
    url = reverse("campaigns:public_results", args=[world.contest.pk])
    assert client.get(url).status_code == 404
    world = finalized_world()
    services.award_add(
        contest=world.contest,
        kind="individual",
        recipient="Nguyễn Thị Lan",
        recipient_unit="Xã 1",
        title="Giấy khen",
        reason="Cán bộ Một cửa tiêu biểu",
        by=world.organizer,
        now=NOW,
    )
    services.contest_document(contest=world.contest, kind="decision", by=world.organizer, now=NOW)
    page = client.get(reverse("campaigns:public_results", args=[world.contest.pk])).content.decode()
    assert "<svg" in page and "4 sao" in page and "Cán bộ Một cửa tiêu biểu" in page
    award = world.contest.awards.get()
    pdf = client.get(reverse("campaigns:certificate_pdf", args=[world.contest.pk, award.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(world.organizer)
    pdf = client.get(reverse("campaigns:document_pdf", args=[world.contest.pk, "decision"]))
    assert pdf.content.startswith(b"%PDF")


def test_import_page_takes_an_xlsx_and_reports_errors(client):
    world = make_world(1)
    client.force_login(world.organizer)
    url = reverse("campaigns:criteria_list")
    response = client.post(
        url, {"owner_unit": world.district.pk, "file": SimpleUploadedFile("bo.xlsx", workbook_from_format())}
    )
    assert response.status_code == 302
    page = client.post(
        url,
        {"owner_unit": world.district.pk, "file": SimpleUploadedFile("bo.xlsx", b"PK\x03\x04broken")},
        follow=True,
    ).content.decode()
    assert "Tệp không phải là bảng tính Excel" in page


def _grow(world, n: int, judge):
    from tests.factories import CommuneFactory

    for i in range(n):
        commune = CommuneFactory(parent=world.district, name=f"Xã thêm {i}")
        p = services.participant_register(
            contest=world.contest,
            kind="commune",
            unit=commune,
            name=f"Xã thêm {i}",
            by=world.organizer,
            now=NOW,
        )
        services.judge_assign(participant=p, judge=judge, by=world.organizer, now=NOW)


def _count(client, url) -> int:
    client.get(url)  # the steady state: the signed-in person is cached (portal/principal.py)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_judge_pages_ranking_and_contest_page_run_constant_queries_at_3_and_300_participants(client):
    world = make_world(3)
    judge = world.judges[0]
    p = submitted(world)
    score_all(world, p, judge)
    for other in world.participants[1:]:
        services.judge_assign(participant=other, judge=judge, by=world.organizer, now=NOW)
    urls = [
        reverse("campaigns:judge_home"),
        reverse("campaigns:judge_sheet", args=[p.pk]),
        reverse("campaigns:ranking", args=[world.contest.pk]),
        reverse(
            "campaigns:contest", args=[world.contest.pk]
        ),  # with its workflow buttons and unmet conditions
    ]
    client.force_login(judge)
    small = [_count(client, u) for u in urls[:2]]
    client.force_login(world.organizer)
    small += [_count(client, u) for u in urls[2:]]
    _grow(world, 297, judge)
    client.force_login(judge)
    large = [_count(client, u) for u in urls[:2]]
    client.force_login(world.organizer)
    large += [_count(client, u) for u in urls[2:]]
    assert world.contest.participants.count() == 300
    assert small == large


def test_judge_home_panel_lists_the_sheets_waiting_and_the_menu_shows_the_contests(client):
    world = make_world(2)
    p = submitted(world)
    judge = world.judges[0]
    services.judge_assign(participant=p, judge=judge, by=world.organizer, now=NOW)
    services.judge_assign(
        participant=world.participants[1], judge=judge, by=world.organizer, now=NOW
    )  # self stage
    client.force_login(judge)
    page = client.get(reverse("staff_dashboard")).content.decode()
    assert "Phiếu chấm chờ tôi" in page and "Xã 1 — " in page and "Xã 2 — " not in page
    assert reverse("campaigns:list") in page


def test_participant_page_with_its_models_steps_runs_constant_queries(client):
    world = make_world(1)
    p, staff = world.participants[0], world.staff[0]

    def register(n):
        for i in range(n):
            services.initiative_register(
                participant=p,
                name=f"Mô hình {i}",
                field="politics",
                lead="UBND xã",
                started_on=NOW.date(),
                by=staff,
                now=NOW,
            )

    register(1)
    url = reverse("campaigns:participant", args=[p.pk])
    for user in (staff, world.organizer):
        client.force_login(user)
        small = _count(client, url)
        register(20)
        assert _count(client, url) == small
    client.force_login(staff)
    assert client.get(url).content.decode().count("Báo cáo đã triển khai") == 41


def _sheet_row(page: str, code: str) -> list[str]:
    """The cells of criterion ``code``'s row on a judge's sheet: maximum, self-score, the judge's points, comment."""
    import re

    row = re.search(rf'<th scope="row">{re.escape(code)}\. .*?</th>(.*?)</tr>', page, re.S)
    assert row is not None, code
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]


def test_a_judge_assigned_before_the_self_assessment_is_in_reads_the_sheet_and_is_told_when_it_opens(client):
    world = make_world(1)
    p = world.participants[0]  # still assessing itself: nothing scored, nothing to score yet
    judge = world.judges[0]
    services.judge_assign(participant=p, judge=judge, by=world.organizer, now=NOW)
    client.force_login(judge)
    response = client.get(reverse("campaigns:judge_sheet", args=[p.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đơn vị đang tự chấm: phiếu chấm mở khi đơn vị nộp bản tự chấm." in page
    assert 'id="judgesheet"' not in page
    assert _sheet_row(page, "2.1")[2] == "—"


def test_a_submitted_second_round_sheet_shows_the_second_round_score_even_when_it_is_nought(client):
    from campaigns import scoring
    from campaigns.models import Criterion
    from tests.campaigns.test_services import to_second_round

    world = make_world(1)
    judge = world.judges[0]
    p, a, c = to_second_round(world)
    services.judge_score_save(
        assignment=a, criterion=c, points="0", comment="Không có sổ theo dõi", by=judge, now=NOW
    )
    services.judge_submit(assignment=a, by=judge, now=NOW)
    client.force_login(judge)
    page = client.get(reverse("campaigns:judge_sheet", args=[p.pk])).content.decode()
    assert 'id="judgesheet"' not in page  # submitted: read only
    assert _sheet_row(page, "2.1")[2:4] == ["0", "Không có sổ theo dõi"]
    first = Criterion.objects.get(criteria_set=world.contest.criteria_set, code="1.1")
    # not scored again in round 2: round 1's score and comment stand
    assert _sheet_row(page, "1.1")[2:4] == [scoring.fmt(first.max_points), "Kiểm tra thực tế"]


def test_the_contest_page_links_the_criteria_set_only_for_who_may_open_it(client):
    world = make_world(1)
    services.judge_assign(
        participant=world.participants[0], judge=world.judges[0], by=world.organizer, now=NOW
    )
    link = reverse("campaigns:criteria_detail", args=[world.contest.criteria_set_id])
    contest_url = reverse("campaigns:contest", args=[world.contest.pk])
    for user, may_open in ((world.organizer, True), (world.judges[0], False)):
        client.force_login(user)
        page = client.get(contest_url).content.decode()
        assert escape(str(world.contest.criteria_set)) in page
        assert (f'href="{link}"' in page) is may_open
        assert client.get(link).status_code == (200 if may_open else 403)


def test_a_participating_commune_is_offered_the_ranking_only_once_the_results_are_final(client):
    world = make_world(1)
    ranking = reverse("campaigns:ranking", args=[world.contest.pk])
    client.force_login(world.staff[0])
    page = client.get(reverse("campaigns:contest", args=[world.contest.pk])).content.decode()
    assert f'href="{ranking}"' not in page
    assert "Xếp hạng và biểu đồ điểm được công bố khi Ban Tổ chức chốt kết quả." in page
    assert client.get(ranking).status_code == 404
    client.force_login(world.organizer)
    page = client.get(reverse("campaigns:contest", args=[world.contest.pk])).content.decode()
    assert f'href="{ranking}"' in page and client.get(ranking).status_code == 200
