"""The contest story in Chromium (issue 9, "Done when"): the organizer imports a criteria set from XLSX and opens the
contest; the commune self-assesses with a file and a live portal metric; a judge with a conflict cannot open the
commune; two judges score, one departs from the self-score without a comment and is refused, then comments; the
spread flag shows; the panel finalizes; ranking, stars and awards appear; the QUYẾT ĐỊNH and a certificate render as
PDF; the organizer sets the documents' signer and publicizes the results, which reach the commune's publicity
register and the public results page; after finalizing nobody can change a score."""

from decimal import Decimal

import pytest

from campaigns.models import Contest, Criterion, JudgeScore, Participant
from portal.models import Membership, Organization, Role
from tests.campaigns.test_import import workbook_from_format
from tests.factories import PASSWORD, CommuneFactory, OrganizationFactory, ProvinceFactory, make_user


@pytest.fixture
def world(transactional_db):
    province = ProvinceFactory(name="Bắc Giang")
    district = CommuneFactory(level="district", kind="huyen", parent=province, name="Yên Thế")
    OrganizationFactory(
        unit=district, kind=Organization.Kind.PARTY_COMMITTEE, name="Huyện ủy Yên Thế", short_name="HU"
    )
    commune = CommuneFactory(parent=district, name="Đồng Tâm")
    users = {
        "btc": make_user(Role.OVERSEER, district, username="btc", first_name="Ban Tổ chức"),
        "canbo": make_user(Role.STAFF, commune, username="canbo", first_name="Nguyễn Thị Lan"),
        "gk1": make_user(Role.JUDGE, district, username="gk1", first_name="Giám khảo Một"),
        "gk2": make_user(Role.JUDGE, district, username="gk2", first_name="Giám khảo Hai"),
        "gk3": make_user(Role.JUDGE, district, username="gk3", first_name="Giám khảo Ba"),
    }
    Membership.objects.create(
        user=users["gk3"], unit=commune, role=Role.JUDGE
    )  # a role in the commune: conflict
    return {"district": district, "commune": commune, **users}


def _post_form(page, button: str):
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _fill_sheet(page, values: dict, comments: dict | None = None):
    for pk, (kind, value) in values.items():
        page.locator(f"#{kind}_{pk}").fill(value)
    for pk, text in (comments or {}).items():
        page.locator(f"#comment_{pk}").fill(text)


def test_contest_from_xlsx_to_locked_results(world, page, login, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    xlsx = tmp_path / "bo-tieu-chi.xlsx"
    xlsx.write_bytes(workbook_from_format())

    # The organizer imports the set from XLSX and opens the contest.
    login(page, "btc", PASSWORD)
    page.goto("/thi-dua/bo-tieu-chi/")
    page.get_by_label("Tệp bộ tiêu chí (.yaml hoặc .xlsx)").set_input_files(str(xlsx))
    page.get_by_label("Đơn vị sử dụng").select_option(label="Huyện Yên Thế")
    _post_form(page, "Nhập bộ tiêu chí")
    assert "Đã nhập bộ tiêu chí" in page.content()
    page.goto("/thi-dua/tao-moi/")
    page.get_by_label("Cấp tổ chức").select_option(label="Huyện Yên Thế")
    page.get_by_label("Cơ quan tổ chức").fill("Ban Thường vụ Huyện ủy Yên Thế")
    page.get_by_label("Tên cuộc thi").fill('Cuộc thi "Dân vận khéo" huyện Yên Thế')
    page.get_by_label("Chủ đề").fill("Chính quyền thân thiện cấp xã")
    page.get_by_label("Năm").fill("2024")
    page.get_by_label("Từ ngày").fill("2024-03-01")
    page.get_by_label("Đến ngày").fill("2024-10-30")
    page.get_by_label("Cơ quan ban hành văn bản (cấp ủy)").select_option(label="Huyện ủy Yên Thế")
    page.get_by_label("Bộ tiêu chí").select_option(index=1)
    _post_form(page, "Tạo cuộc thi")
    contest = Contest.objects.get()
    page.get_by_label("Xã dự thi").select_option(label="Xã Đồng Tâm")
    _post_form(page, "Đăng ký")
    participant = Participant.objects.get()
    for username in ("gk1", "gk2", "gk3"):
        page.get_by_label("Đơn vị dự thi:", exact=True).select_option(label="Xã Đồng Tâm")
        page.get_by_label("Giám khảo:", exact=True).select_option(label=world[username].first_name)
        _post_form(page, "Phân công")
    assert "Không phân công được: Giám khảo giữ vai trò" in page.content()

    # The commune self-assesses: every criterion, a file and a live metric.
    crit = {c.code: c for c in Criterion.objects.filter(criteria_set=contest.criteria_set, kind="criterion")}
    full = {
        c.pk: ("count", "4") if c.scoring == "count" else ("points", str(c.max_points)) for c in crit.values()
    }
    login(page, "canbo", PASSWORD)
    page.goto(f"/thi-dua/don-vi/{participant.pk}/")
    _fill_sheet(page, full)
    _post_form(page, "Lưu điểm tự chấm")
    assert "Đã lưu điểm tự chấm" in page.content()
    evidence = tmp_path / "quy-che.pdf"
    evidence.write_bytes(b"%PDF-1.4 quy che lam viec")
    page.get_by_label("Tệp minh chứng 1.1").set_input_files(str(evidence))
    form = page.locator("form", has=page.get_by_label("Tệp minh chứng 1.1"))
    with page.expect_navigation():
        form.get_by_role("button", name="Tải lên").click()
    _post_form(page, "Lấy số liệu từ Cổng (1.2)")
    assert (
        "Số liệu Cổng:" in page.content()
        and "Tỷ lệ cuộc lấy ý kiến công khai kết quả đúng hạn" in page.content()
    )
    _post_form(page, "Nộp bản tự chấm")
    assert "Đã nộp bản tự chấm" in page.content()

    # The judge with a conflict of interest cannot open the commune.
    login(page, "gk3", PASSWORD)
    response = page.goto(f"/thi-dua/don-vi/{participant.pk}/cham/")
    assert response.status == 404

    # Judge 1 departs from the self-score (25 → 20) without a comment: refused, nothing saved; then comments.
    login(page, "gk1", PASSWORD)
    page.goto(f"/thi-dua/don-vi/{participant.pk}/cham/")
    assert "quy-che.pdf" in page.content() or "Tệp" in page.content()
    sheet = dict(full) | {crit["2"].pk: ("points", "20")}
    _fill_sheet(page, sheet)
    _post_form(page, "Nộp phiếu chấm")
    assert "Tiêu chí 2: điểm chấm chênh với điểm tự chấm (25) quá 2 điểm" in page.content()
    assert not JudgeScore.objects.exists()
    _fill_sheet(page, {}, {crit["2"].pk: "Chưa đủ hồ sơ một cửa quý II"})
    _post_form(page, "Nộp phiếu chấm")
    assert "Đã nộp phiếu chấm" in page.content()

    # Judge 2 gives full marks: the judges disagree on criterion 2 (20 vs 25, threshold 3).
    login(page, "gk2", PASSWORD)
    page.goto(f"/thi-dua/don-vi/{participant.pk}/cham/")
    _fill_sheet(page, full)
    _post_form(page, "Nộp phiếu chấm")
    assert "giám khảo chấm lệch nhau" in page.content()

    # The panel finalizes; ranking, stars and awards appear; the documents render as PDF.
    login(page, "btc", PASSWORD)
    page.goto(f"/thi-dua/{contest.pk}/")
    assert "⚑ 2" in page.content()
    _post_form(page, "Tổng kết và khóa điểm")
    assert "Đã tổng kết cuộc thi" in page.content()
    page.get_by_label("Đơn vị dự thi (nếu là tập thể dự thi)").select_option(label="Xã Đồng Tâm")
    page.get_by_label("Lý do (một dòng)").fill("Dẫn đầu cuộc thi, Bộ phận Một cửa thân thiện")
    _post_form(page, "Thêm khen thưởng")
    _post_form(page, "Lập quyết định khen thưởng")
    pdf = page.request.get(f"{live_server.url}/thi-dua/{contest.pk}/van-ban/decision.pdf", timeout=180_000)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    award = contest.awards.get()
    pdf = page.request.get(
        f"{live_server.url}/thi-dua/{contest.pk}/giay-khen/{award.pk}.pdf", timeout=180_000
    )
    assert pdf.body().startswith(b"%PDF")
    # The organizer sets who signs, then publicizes the results: they reach the commune's publicity register.
    page.goto(f"/thi-dua/{contest.pk}/tieu-de-van-ban/")
    page.get_by_label("Chức vụ người ký").fill("   ")  # blank once trimmed: refused, nothing saved
    _post_form(page, "Lưu tiêu đề, chữ ký")
    assert "bắt buộc" in page.locator("form .errorlist").first.inner_text()
    page.get_by_label("Cơ quan ban hành (tiêu đề)").fill("Huyện ủy Yên Thế")
    page.get_by_label("Thẩm quyền ký: thay mặt (TM.)").fill("Ban Thường vụ")
    page.get_by_label("Chức vụ người ký").fill("Phó Bí thư")
    page.get_by_label("Họ tên người ký").fill("Nguyễn Văn Thái")
    _post_form(page, "Lưu tiêu đề, chữ ký")
    assert "TM. BAN THƯỜNG VỤ · PHÓ BÍ THƯ Nguyễn Văn Thái" in page.content()
    _post_form(page, "Cập nhật quyết định khen thưởng")
    assert (
        "Quyết định khen thưởng còn là dự thảo" in page.content()
    )  # publicizing waits for the issued decision
    _post_form(page, "Ban hành quyết định khen thưởng")
    assert "Quyết định khen thưởng: đã ban hành" in page.content()
    _post_form(page, "Công khai kết quả")
    assert "Đã công khai kết quả tại các xã dự thi" in page.content()
    login(page, "canbo", PASSWORD)
    page.goto("/cong-khai/")
    assert 'Kết quả và Quyết định khen thưởng: Cuộc thi "Dân vận khéo" huyện Yên Thế' in page.content()
    page.goto(f"/xa/{world['commune'].code}/")
    assert "Kết quả và Quyết định khen thưởng" in page.content()

    page.goto(f"/thi-dua/{contest.pk}/ket-qua/")
    ranking = page.locator("#ranking").inner_text()
    assert "Xã Đồng Tâm" in ranking and "97,5" in ranking and "4 sao" in ranking
    assert "Dẫn đầu cuộc thi" in page.content()
    publicity = page.locator("#cong-khai").locator("..").inner_text()
    assert "Xã Đồng Tâm: Kết quả và Quyết định khen thưởng" in publicity
    href = page.locator("#cong-khai ~ ul a").first.get_attribute("href")
    pdf = page.request.get(live_server.url + href, timeout=180_000)
    assert pdf.body().startswith(b"%PDF")

    # After finalizing nobody can change a score: the sheet has no inputs and a forged POST changes nothing.
    login(page, "gk1", PASSWORD)
    page.goto(f"/thi-dua/don-vi/{participant.pk}/cham/")
    assert page.locator(f"#points_{crit['2'].pk}").count() == 0
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    page.request.post(
        f"{live_server.url}/thi-dua/don-vi/{participant.pk}/cham/",
        form={"csrfmiddlewaretoken": csrf, f"points_{crit['2'].pk}": "25", f"comment_{crit['2'].pk}": "sửa"},
        headers={"Referer": live_server.url + "/"},
    )
    assert JudgeScore.objects.get(assignment__judge=world["gk1"], criterion=crit["2"]).points == Decimal(20)
