"""Figures per dialogue and per year (tables + server-side SVG charts), the BÁO CÁO document, the XLSX export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dialogues import exports, selectors
from dialogues.models import Petition, Survey
from dialogues.services.documents import year_report_document
from portal import charts, statutes

from ._common import flash_errors, require, user_commune


def _charts(stats: dict) -> dict:
    return {
        "field": charts.bar_chart(stats["by_field"], title="Kiến nghị theo lĩnh vực"),
        "channel": charts.bar_chart(stats["by_channel"], title="Kiến nghị theo kênh tiếp nhận"),
        "village": charts.bar_chart(stats["by_village"], title="Kiến nghị theo thôn"),
        "satisfaction": charts.bar_chart(stats["satisfaction"], title="Mức độ hài lòng (số phiếu)"),
    }


@login_required
def dialogue_report(request, pk: int):
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    require(request, "dialogues.view_report", dialogue)
    stats = selectors.petition_stats(
        Petition.objects.filter(dialogue=dialogue), survey_qs=Survey.objects.filter(dialogue=dialogue)
    )
    return render(
        request,
        "dialogues/report.html",
        {
            "dialogue": dialogue,
            "stats": stats,
            "charts": _charts(stats),
            "title": f"Kết quả: {dialogue.title}",
            "xlsx_url": f"{dialogue.get_absolute_url()}kien-nghi.xlsx",
            "can_change": request.user.has_perm("dialogues.change_dialogue", dialogue),
        },
    )


@login_required
def year_report(request, year: int):
    commune = user_commune(request)
    require(request, "dialogues.view_report", commune)
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404
    stats = selectors.year_stats(commune_id=commune.pk, year=year)
    return render(
        request,
        "dialogues/report.html",
        {
            "stats": stats,
            "charts": _charts(stats),
            "year": year,
            "title": f"Tiếp xúc, đối thoại năm {year}",
            "yearly_rule": statutes.DIALOGUE_YEARLY,
            "xlsx_url": f"/doi-thoai/nam/{year}/kien-nghi.xlsx",
            "can_change": request.user.has_perm("dialogues.change_dialogue", commune),
        },
    )


@login_required
@require_POST
def year_report_create(request, year: int):
    commune = user_commune(request)
    require(request, "dialogues.change_dialogue", commune)
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404  # a year out of range is no report (and no 500 from date arithmetic)
    try:
        document = year_report_document(commune=commune, year=year, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("dialogues:year_report", year=year)
    messages.success(request, "Đã tạo dự thảo BÁO CÁO; tải PDF/DOCX hoặc trình ký ở trang văn bản.")
    return redirect("documents:detail", pk=document.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])  # POST: "Thử lại" after a failed build of a large file
def dialogue_xlsx(request, pk: int):
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    require(request, "dialogues.view_report", dialogue)
    return exports.petitions_export(
        request,
        dialogue_id=dialogue.pk,
        filename=f"kien-nghi-hoi-nghi-{dialogue.pk}",
        title=f"Kiến nghị — {dialogue.title}",
        back_url=reverse("dialogues:detail", args=[dialogue.pk]),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def year_xlsx(request, year: int):
    commune = user_commune(request)
    require(request, "dialogues.view_report", commune)
    return exports.petitions_export(
        request,
        commune_id=commune.pk,
        year=year,
        filename=f"kien-nghi-{year}",
        title=f"Kiến nghị năm {year}",
        back_url=reverse("dialogues:year_report", args=[year]),
    )


@login_required
def overseer_overview(request):
    """The upper level (district, province overseers): every commune's dialogues and petitions of the year."""
    from portal.access import access_for
    from portal.models import Role

    communes = access_for(request.user).commune_ids(Role.OVERSEER)
    if not communes:
        raise Http404
    year = timezone.localdate().year
    rows = selectors.overseer_overview(commune_ids=communes, year=year)
    petitions = reverse("dialogues:petitions")
    for (
        row
    ) in rows:  # each count links to the commune's petitions so filtered, for whoever may read that list
        commune = row["commune"]
        may_list = request.user.has_perm("dialogues.view_petition", commune)
        row["petitions_url"] = f"{petitions}?{urlencode({'xa': commune.code})}" if may_list else ""
    return render(
        request,
        "dialogues/overseer_overview.html",
        {
            "rows": rows,
            "year": year,
            "yearly_rule": statutes.DIALOGUE_YEARLY,
        },
    )
