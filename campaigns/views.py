"""Contest pages: thin views that parse input, check the permission, call one service or selector, render.

Pages: contests and criteria sets (organizers), the contest board, a participant's self-assessment (its office), the
judge's queue and sheet (assigned judges only; a conflict of interest gives 404), ranking and the public results,
the documents and the Giấy khen certificate as PDF.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaigns import forms, scoring, selectors, services
from campaigns.importing import CriteriaImportError
from campaigns.models import Award, Contest, CriteriaSet, Criterion, Evidence, Initiative, Participant
from campaigns.workflow import CONTEST, INITIATIVE
from portal import charts, files
from portal.access import access_for
from portal.models import AdministrativeUnit, Role

CHART_MAX = 12  # participants drawn in the chart; the table lists all


def _errors(request, exc) -> None:
    for message in getattr(exc, "messages", None) or getattr(exc, "errors", None) or [str(exc)]:
        messages.error(request, message)


def _need(request, perm: str, obj=None, message: str = "Bạn không có quyền làm việc này.") -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(message)


def _my_units(user):
    """Units where the user may organize: overseen units and their children, the user's communes."""
    if user.is_superuser:
        return AdministrativeUnit.objects.exclude(level=AdministrativeUnit.Level.VILLAGE).order_by(
            "level", "name"
        )
    access = access_for(user)
    overseen = {m.unit_id for m in access.memberships if m.role == Role.OVERSEER}
    communes = access.commune_ids(Role.STAFF, Role.LEADER)
    return AdministrativeUnit.objects.filter(
        Q(pk__in=overseen) | Q(parent_id__in=overseen) | Q(pk__in=communes)
    ).order_by("level", "name")


# -- contests and criteria sets ----------------------------------------------------------------------------------------


@login_required
def contest_list(request):
    contests = selectors.contest_list(request.user)
    return render(
        request,
        "campaigns/contest_list.html",
        {
            "contests": contests,
            "may_add": request.user.has_perm("campaigns.add_contest"),
            "judging": selectors.judge_queue(request.user),
        },
    )


@login_required
def criteria_list(request):
    _need(request, "campaigns.import_criteriaset")
    units = _my_units(request.user)
    form = forms.CriteriaImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            cset = services.criteria_set_import(
                name=upload.name,
                content=upload.read(services.MAX_IMPORT_BYTES + 1),
                owner_unit=form.cleaned_data["owner_unit"],
                by=request.user,
            )
        except (CriteriaImportError, ValidationError) as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"Đã nhập bộ tiêu chí “{cset.name}”.")
            return redirect("campaigns:criteria_detail", cset.pk)
    sets = CriteriaSet.objects.select_related("owner_unit").order_by("-effective_from", "code", "-version")
    return render(request, "campaigns/criteria_list.html", {"form": form, "sets": sets})


@login_required
def criteria_detail(request, pk: int):
    _need(request, "campaigns.import_criteriaset")
    cset = get_object_or_404(CriteriaSet.objects.select_related("owner_unit", "copied_from"), pk=pk)
    form = forms.CopyForm(request.POST or None, units=_my_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.criteria_set_copy(
                source=cset, owner_unit=form.cleaned_data["owner_unit"], by=request.user
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"Đã sao bộ tiêu chí về {copy.owner_unit} (phiên bản {copy.version}).")
            return redirect("campaigns:criteria_detail", copy.pk)
    tree = selectors.set_tree(cset)
    return render(request, "campaigns/criteria_detail.html", {"cset": cset, "tree": tree, "form": form})


@login_required
def contest_create(request):
    _need(request, "campaigns.add_contest")
    units = _my_units(request.user)
    form = forms.ContestForm(
        request.POST or None, units=units, sets=CriteriaSet.objects.filter(owner_unit__in=units)
    )
    if request.method == "POST" and form.is_valid():
        try:
            contest = services.contest_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("campaigns:contest", contest.pk)
    return render(request, "campaigns/contest_form.html", {"form": form})


@login_required
def contest_detail(request, pk: int):
    contest = selectors.contest_get(request.user, pk)
    manage = request.user.has_perm("campaigns.manage_contest", contest)
    ctx = {
        "contest": contest,
        "manage": manage,
        "can_see_results": request.user.has_perm("campaigns.view_results", contest),
    }
    participants = contest.participants.select_related("unit").order_by("name")
    if manage:
        registered = participants.values("unit_id")
        candidates = AdministrativeUnit.objects.filter(
            Q(parent=contest.organizer_unit)
            | Q(pk=contest.organizer_unit_id)
            | Q(parent__parent=contest.organizer_unit),
            level=AdministrativeUnit.Level.COMMUNE,
        ).exclude(pk__in=registered)
        ctx.update(
            participant_form=forms.ParticipantForm(units=candidates),
            assign_form=forms.AssignForm(participants=participants, judges=selectors.panel_judges(contest)),
            award_form=forms.AwardForm(participants=participants),
            awards=contest.awards.all(),
            members=contest.members.select_related("user").order_by("role", "user__first_name"),
            documents=[
                ("plan", "Kế hoạch", contest.plan_document),
                ("decision", "Quyết định khen thưởng", contest.decision_document),
                ("report", "Báo cáo tổng kết", contest.report_document),
            ],
        )
    communes = access_for(request.user).commune_ids(Role.STAFF, Role.LEADER)
    ctx["mine"] = list(participants.filter(commune_id__in=communes)) if communes else []
    ctx["registrable"] = list(selectors.registrable_communes(request.user, contest)) if communes else []
    if ctx["registrable"]:
        ctx["registration_problems"] = [
            str(r) for r in CONTEST.unmet(contest, "dang-ky", today=timezone.localdate())
        ]
    ctx["rows"] = selectors.contest_results(contest) if manage or contest.is_final else []
    ctx["buttons"] = CONTEST.buttons(
        contest, request.user, url=lambda slug: reverse("campaigns:contest_action", args=[contest.pk, slug])
    )
    problems = CONTEST.problems(contest)
    if manage and contest.status in CONTEST.action("tong-ket").source:
        problems += CONTEST.unmet(contest, "tong-ket", rows=ctx["rows"])
    ctx["problems"] = [str(r) for r in problems]
    ctx["publications"] = services.results_publications(contest) if contest.is_final else []
    return render(request, "campaigns/contest_detail.html", ctx)


CONTEST_DONE = {
    "cham-diem": "Đã kết thúc đăng ký; giám khảo tiếp tục chấm điểm.",
    "cong-khai-ket-qua": "Đã công khai kết quả tại các xã dự thi (mục Công khai) và trên trang kết quả.",
}


@login_required
@require_POST
def contest_action(request, pk: int, action: str):
    """One step of the contest's workflow (campaigns/workflow.py): the table says who, when and what is called."""
    contest = selectors.contest_get(request.user, pk)
    step = CONTEST.action(action)  # Http404 for an unknown step
    if not step.button:
        raise Http404
    try:
        CONTEST.perform(contest, action, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, CONTEST_DONE.get(action, "Đã thực hiện."))
    return redirect("campaigns:contest", contest.pk)


@login_required
def contest_letterhead(request, pk: int):
    """The organizers set how the contest's documents are headed and signed."""
    contest = selectors.contest_get(request.user, pk, "campaigns.manage_contest")
    form = forms.LetterheadForm(request.POST or None, initial=selectors.letterhead_defaults(contest))
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_letterhead_save(contest=contest, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu tiêu đề và chữ ký; văn bản dự thảo lấy theo khi được cập nhật.")
            return redirect("campaigns:contest", contest.pk)
    return render(request, "campaigns/contest_letterhead.html", {"contest": contest, "form": form})


@login_required
@require_POST
def participant_add(request, pk: int):
    contest = selectors.contest_get(request.user, pk, "campaigns.manage_contest")
    form = forms.ParticipantForm(request.POST, units=AdministrativeUnit.objects.all())
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        try:
            services.participant_register(
                contest=contest,
                kind=form.cleaned_data["kind"],
                unit=unit,
                name=form.cleaned_data["name"] or f"{unit.get_kind_display()} {unit.name}",
                by=request.user,
            )
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "Chọn đơn vị dự thi.")
    return redirect("campaigns:contest", contest.pk)


@login_required
@require_POST
def contest_join(request, pk: int):
    """ "Đăng ký tham gia": a commune's staff or leader registers their own commune (the service re-checks who and
    when)."""
    contest = selectors.contest_get(request.user, pk)
    form = forms.JoinForm(request.POST, units=selectors.registrable_communes(request.user, contest))
    if not form.is_valid():
        messages.error(request, "Chọn xã của bạn chưa đăng ký dự thi.")
        return redirect("campaigns:contest", contest.pk)
    unit = form.cleaned_data["unit"]
    try:
        participant = services.participant_register(
            contest=contest,
            kind=Participant.Kind.COMMUNE,
            unit=unit,
            name=f"{unit.get_kind_display()} {unit.name}",
            by=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("campaigns:contest", contest.pk)
    messages.success(
        request, f"Đã đăng ký {participant.name} dự thi; tự chấm điểm và nộp minh chứng tại đây."
    )
    return redirect("campaigns:participant", participant.pk)


@login_required
@require_POST
def judge_add(request, pk: int):
    contest = selectors.contest_get(request.user, pk, "campaigns.manage_contest")
    form = forms.AssignForm(
        request.POST, participants=contest.participants.all(), judges=selectors.panel_judges(contest)
    )
    if not form.is_valid():
        messages.error(request, "Chọn đơn vị dự thi và một thành viên Ban Giám khảo của cuộc thi.")
        return redirect("campaigns:contest", contest.pk)
    judge = form.cleaned_data["judge"]
    try:
        a = services.judge_assign(participant=form.cleaned_data["participant"], judge=judge, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if a.excluded:
            messages.error(request, f"Không phân công được: {a.exclusion_reason}")
        else:
            messages.success(request, f"Đã phân công {judge.get_full_name() or judge.username}.")
    return redirect("campaigns:contest", contest.pk)


@login_required
@require_POST
def contest_finalize(request, pk: int):
    contest = selectors.contest_get(request.user, pk, "campaigns.manage_contest")
    try:
        services.contest_finalize(contest=contest, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Đã tổng kết cuộc thi: điểm đã khóa, xếp hạng và mức sao đã công bố.")
    return redirect("campaigns:contest", contest.pk)


@login_required
@require_POST
def award_add(request, pk: int):
    contest = selectors.contest_get(request.user, pk, "campaigns.manage_contest")
    form = forms.AwardForm(request.POST, participants=contest.participants.all())
    if not form.is_valid():
        for errors in form.errors.values():
            _errors(request, ValidationError(errors))
        return redirect("campaigns:contest", contest.pk)
    try:
        services.award_add(contest=contest, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("campaigns:contest", contest.pk)


@login_required
@require_POST
def document_make(request, pk: int, kind: str):
    contest = selectors.contest_get(request.user, pk, "campaigns.manage_contest")
    try:
        services.contest_document(contest=contest, kind=kind, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Đã lập văn bản (bản dự thảo); tải PDF bên dưới.")
    return redirect("campaigns:contest", contest.pk)


@login_required
@require_POST
def document_issue(request, pk: int, kind: str):
    contest = selectors.contest_get(request.user, pk, "campaigns.manage_contest")
    try:
        document = services.contest_document_issue(contest=contest, kind=kind, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"Đã ban hành văn bản {document.number_line()}.")
    return redirect("campaigns:contest", contest.pk)


@login_required
def document_pdf(request, pk: int, kind: str):
    from portal.documents.rendering import render_pdf

    contest = selectors.contest_get(request.user, pk, "campaigns.view_results")
    document = getattr(contest, services.DOCUMENT_KINDS.get(kind, "missing"), None)
    if document is None:
        raise Http404
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cuoc-thi-{contest.pk}-{kind}.pdf"'
    return response


def certificate_pdf(request, pk: int, award_pk: int):
    """Giấy khen as PDF: public once the contest is finalized (like the results page)."""
    from campaigns.certificates import render_certificate

    contest = get_object_or_404(Contest.objects.select_related("organizer_unit"), pk=pk)
    if not request.user.has_perm("campaigns.view_results", contest):
        raise Http404
    award = get_object_or_404(Award, pk=award_pk, contest=contest)
    response = HttpResponse(render_certificate(award), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-khen-{award.pk}.pdf"'
    return response


# -- results ---------------------------------------------------------------------------------------------------------------


def _results_context(contest: Contest) -> dict:
    tree = selectors.set_tree(contest.criteria_set)
    rows = selectors.contest_results(contest, tree=tree)
    groups = [(g.code, g.max_points) for g in tree.groups if not g.is_bonus]
    chart = charts.group_bars(groups, [(r.participant.name, r.total.by_group) for r in rows[:CHART_MAX]])
    return {
        "contest": contest,
        "rows": rows,
        "groups": tree.groups,
        "group_codes": [g.code for g in tree.groups if not g.is_bonus],
        "chart": chart,
        "chart_limited": len(rows) > CHART_MAX,
        "awards": list(contest.awards.all()),
        "cset": contest.criteria_set,
    }


@login_required
def ranking(request, pk: int):
    contest = selectors.contest_get(request.user, pk, "campaigns.view_results")
    return render(request, "campaigns/ranking.html", _results_context(contest))


def public_results(request, pk: int):
    contest = Contest.objects.select_related("criteria_set", "organizer_unit").filter(pk=pk).first()
    if contest is None or not contest.is_final:
        raise Http404
    ctx = _results_context(contest) | {"publications": services.results_publications(contest)}
    return render(request, "campaigns/public_results.html", ctx)


# -- participant: self-assessment, evidence, explanation, models --------------------------------------------------------


def _sheet(request, leaves, save) -> tuple[dict[int, dict], dict[int, str]]:
    """Parse a posted sheet of scores (forms.ScoreSheetForm) and save it through ``save(entries)``: all or nothing.
    Returns (the values as typed, {criterion id: error}); no error means saved."""
    form = forms.ScoreSheetForm(request.POST, leaves=leaves)
    if not form.is_valid():
        return form.typed(), form.errors_by_criterion()
    return form.typed(), save(form.entries())


def _sheet_refused(request, errors: dict[int, str], leaves, intro: str) -> None:
    """Errors are shown next to their fields; what belongs to no field of the page goes in the message."""
    shown = {c.pk for c in leaves}
    elsewhere = [message for cid, message in errors.items() if cid not in shown]
    messages.error(request, " ".join([intro, *elsewhere]))


@login_required
def participant_detail(request, pk: int):
    participant = selectors.participant_get(request.user, pk)
    contest = participant.contest
    may_self = request.user.has_perm("campaigns.self_assess", participant)
    manage = request.user.has_perm("campaigns.manage_contest", contest)
    if not (may_self or manage or request.user.has_perm("campaigns.view_results", contest)):
        raise Http404
    tree = selectors.set_tree(contest.criteria_set)
    sheet = selectors.participant_sheet(participant, request.user, tree=tree)
    errors: dict[int, str] = {}
    typed: dict[int, dict] = {}
    if request.method == "POST" and may_self:
        typed, errors = _sheet(
            request,
            tree.leaves(),
            lambda entries: services.self_sheet_save(
                participant=participant, entries=entries, by=request.user
            ),
        )
        if not errors:
            messages.success(request, "Đã lưu điểm tự chấm.")
            return redirect("campaigns:participant", participant.pk)
        _sheet_refused(
            request, errors, tree.leaves(), "Chưa lưu gì: có tiêu chí chấm chưa đúng (xem từng dòng)."
        )
    rules = selectors.set_rules(contest.criteria_set)
    current = {line.criterion.pk: line.self_score.points for line in sheet["lines"] if line.self_score}
    without = {line.criterion.pk for line in sheet["lines"] if line.criterion.is_leaf and not line.evidence}
    self_total = scoring.total(tree.items, current, rules)
    return render(
        request,
        "campaigns/participant_detail.html",
        {
            "participant": participant,
            "contest": contest,
            "sheet": sheet,
            "errors": errors,
            "typed": typed,
            "may_self": may_self and participant.stage == Participant.Stage.SELF and not contest.is_final,
            "may_explain": may_self and participant.stage == Participant.Stage.EXPLANATION,
            "manage": manage,
            "self_total": self_total,
            "whatif": scoring.what_if(tree.items, current, rules, without_evidence=without),
            "codes": {c.pk: c.code for c in tree.criteria},
            "initiatives": [
                (
                    m,
                    INITIATIVE.buttons(
                        m,
                        request.user,
                        url=lambda slug, m=m: reverse("campaigns:initiative_action", args=[m.pk, slug]),
                    ),
                )
                for m in participant.initiatives.all()
            ],
            "initiative_form": forms.InitiativeForm(),
            "file_form": forms.EvidenceFileForm(),
            "upper_form": forms.UpperForm(),
        },
    )


def _criterion(participant: Participant, cid) -> Criterion:
    criterion = Criterion.objects.filter(
        pk=int(cid) if str(cid).isdigit() else 0, criteria_set_id=participant.contest.criteria_set_id
    ).first()
    if criterion is None:
        raise Http404
    return criterion


@login_required
@require_POST
def evidence_add(request, pk: int, cid: int):
    participant = selectors.participant_get(request.user, pk, "campaigns.self_assess")
    criterion = _criterion(participant, cid)
    kind = request.POST.get("kind")
    try:
        if kind == "metric":
            services.evidence_add_metric(participant=participant, criterion=criterion, by=request.user)
        elif kind == "link":
            form = forms.EvidenceLinkForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Đường dẫn minh chứng không hợp lệ.")
            services.evidence_add_link(
                participant=participant, criterion=criterion, by=request.user, **form.cleaned_data
            )
        else:
            form = forms.EvidenceFileForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError("Chọn tệp minh chứng.")
            services.evidence_add_file(
                participant=participant,
                criterion=criterion,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"Đã thêm minh chứng cho tiêu chí {criterion.code}.")
    return redirect(reverse("campaigns:participant", args=[participant.pk]) + f"#tc-{criterion.pk}")


@login_required
def evidence_file(request, pk: int, eid: int):
    participant = selectors.participant_get(request.user, pk)
    evidence = get_object_or_404(
        Evidence, pk=eid, participant=participant, kind=Evidence.Kind.FILE, hidden=False
    )
    return files.serve(request, evidence.file, content_type=evidence.content_type or None)


@login_required
@require_POST
def participant_action(request, pk: int, action: str):
    participant = selectors.participant_get(request.user, pk)
    try:
        if action == "nop-tu-cham":
            services.self_assessment_submit(participant=participant, by=request.user)
            messages.success(request, "Đã nộp bản tự chấm; Ban Giám khảo bắt đầu chấm.")
        elif action == "giai-trinh":
            services.explanation_save(
                participant=participant,
                criterion=_criterion(participant, request.POST.get("criterion")),
                text=request.POST.get("text", ""),
                by=request.user,
            )
        elif action == "nop-giai-trinh":
            services.explanation_submit(participant=participant, by=request.user)
        elif action == "ket-thuc-vong-1":
            services.review_close(participant=participant, by=request.user)
        elif action == "diem-cap-tren":
            form = forms.UpperForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Nhập điểm và nhận xét của cấp trên.")
            services.upper_score_save(participant=participant, by=request.user, **form.cleaned_data)
        elif action == "diem-thong-nhat":
            entries = {
                c.pk: request.POST.get(f"consensus_{c.pk}", "").strip()
                for c in participant.contest.criteria_set.criteria.filter(kind="criterion")
            }
            errors = services.consensus_sheet_save(participant=participant, entries=entries, by=request.user)
            if errors:
                raise ValidationError(list(errors.values()))
            messages.success(request, "Đã ghi điểm thống nhất của Ban Giám khảo.")
        elif action == "mo-hinh":
            form = forms.InitiativeForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    "Mô hình chưa đủ thông tin (tên, lĩnh vực, người thực hiện, ngày bắt đầu)."
                )
            services.initiative_register(participant=participant, by=request.user, **form.cleaned_data)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("campaigns:participant", participant.pk)


@login_required
@require_POST
def initiative_action(request, pk: int, action: str):
    """One step of a model's lifecycle (campaigns/workflow.py INITIATIVE)."""
    initiative = get_object_or_404(Initiative.objects.select_related("participant"), pk=pk)
    participant = selectors.participant_get(request.user, initiative.participant_id)
    initiative.participant = participant
    INITIATIVE.action(action)  # Http404 for an unknown step
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        INITIATIVE.perform(initiative, action, by=request.user, note=note)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("campaigns:participant", participant.pk)


# -- judges ---------------------------------------------------------------------------------------------------------------


@login_required
def judge_home(request):
    return render(request, "campaigns/judge_home.html", {"queue": selectors.judge_queue(request.user)})


@login_required
def judge_sheet(request, pk: int):
    """The judge's scoring sheet: 404 for a participant not assigned to them or excluded by a conflict of interest."""
    participant = selectors.participant_get(request.user, pk, "campaigns.judge_participant")
    contest = participant.contest
    tree = selectors.set_tree(contest.criteria_set)
    sheet = selectors.participant_sheet(participant, request.user, tree=tree)
    assignment = sheet["mine"]
    errors: dict[int, str] = {}
    typed: dict[int, dict] = {}
    if request.method == "POST":
        if request.POST.get("declare"):
            try:
                services.conflict_declare(
                    assignment=assignment, reason=request.POST.get("reason", ""), by=request.user
                )
            except ValidationError as exc:
                _errors(request, exc)
                return redirect("campaigns:judge_sheet", participant.pk)
            messages.success(request, "Đã ghi nhận xung đột lợi ích: bạn không chấm đơn vị này.")
            return redirect("campaigns:judge_home")
        typed, errors = _sheet(
            request,
            tree.leaves(),
            lambda entries: services.judge_sheet_save(
                assignment=assignment,
                entries=entries,
                by=request.user,
                submit=bool(request.POST.get("submit")),
            ),
        )
        if not errors:
            messages.success(
                request, "Đã nộp phiếu chấm." if request.POST.get("submit") else "Đã lưu phiếu chấm."
            )
            return redirect("campaigns:judge_sheet", participant.pk)
        messages.error(request, "Chưa lưu gì: " + " ".join(errors.values()))
    submitted = assignment.submitted_at(sheet["round"]) is not None
    judging = participant.stage in (Participant.Stage.REVIEW, Participant.Stage.SECOND_REVIEW)
    return render(
        request,
        "campaigns/judge_sheet.html",
        {
            "participant": participant,
            "contest": contest,
            "sheet": sheet,
            "errors": errors,
            "typed": typed,
            "editable": judging and not submitted and not contest.is_final,
            "submitted": submitted,
        },
    )
