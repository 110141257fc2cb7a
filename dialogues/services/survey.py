"""The Front's satisfaction survey: a data-driven questionnaire (4-level scale by default), answered online through
a link / QR code or entered from paper forms by MTTQ staff (Luật 10/2022/QH15, Điều 28.6; Điều 35.2.a)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dialogues.models import DEFAULT_QUESTIONS, DEFAULT_SCALE, Dialogue, Petition, Survey, SurveyResponse
from portal.audit import audit_record
from portal.text import clean_line, clean_text

from ._base import require_perm

MAX_QUESTIONS = 15
MAX_LEVELS = 7


def _clean_list(values, *, label: str, limit: int, min_items: int) -> list[str]:
    items = [clean_line(v, 300) for v in (values or []) if clean_line(v, 300)]
    if len(items) < min_items or len(items) > limit:
        raise ValidationError(f"{label}: từ {min_items} đến {limit} mục.")
    return items


@transaction.atomic
def survey_open(
    *, dialogue: Dialogue, by, questions=None, scale=None, now: dt.datetime | None = None
) -> Survey:
    """Open (or reconfigure, while no form is in) the dialogue's satisfaction survey."""
    now = now or timezone.now()
    require_perm(by, "dialogues.run_survey", dialogue, "Chỉ Ủy ban MTTQ xã tổ chức khảo sát mức độ hài lòng.")
    dialogue = Dialogue.objects.get(pk=dialogue.pk)
    if dialogue.status in (Dialogue.Status.DRAFT, Dialogue.Status.NOTICED, Dialogue.Status.CANCELLED):
        raise ValidationError("Chỉ khảo sát sau khi hội nghị đã được tổ chức.")
    questions = _clean_list(questions or DEFAULT_QUESTIONS, label="Câu hỏi", limit=MAX_QUESTIONS, min_items=1)
    scale = _clean_list(scale or DEFAULT_SCALE, label="Thang đánh giá", limit=MAX_LEVELS, min_items=2)
    survey = Survey.objects.select_for_update().filter(dialogue=dialogue).first()
    if survey is None:
        survey = Survey(
            dialogue=dialogue,
            token=secrets.token_urlsafe(16),
            created_by=by,
            created_at=now,
        )
    elif survey.responses.exists() and (survey.questions != questions or survey.scale != scale):
        raise ValidationError("Đã có phiếu trả lời; không thể đổi câu hỏi hoặc thang đánh giá.")
    survey.questions = questions
    survey.scale = scale
    survey.is_open = True
    survey.full_clean()
    survey.save()
    audit_record(actor=by, action="survey.open", obj=dialogue, now=now, changes={"questions": len(questions)})
    return survey


def _check_answers(survey: Survey, answers) -> list[int]:
    levels = len(survey.scale)
    if not isinstance(answers, list | tuple) or len(answers) != len(survey.questions):
        raise ValidationError("Phải trả lời đủ các câu hỏi.")
    out = []
    for a in answers:
        try:
            value = int(a)
        except (TypeError, ValueError):
            raise ValidationError("Câu trả lời không hợp lệ.") from None
        if not 0 <= value < levels:
            raise ValidationError("Câu trả lời không hợp lệ.")
        out.append(value)
    return out


def _save_response(survey, *, source, answers, petition, comment, by, now) -> SurveyResponse:
    if petition is not None and petition.dialogue_id != survey.dialogue_id:
        raise ValidationError("Kiến nghị không thuộc hội nghị này.")
    answers = _check_answers(survey, answers)
    comment = clean_text(comment)
    if len(comment) > 2000:
        raise ValidationError("Ý kiến khác dài quá 2.000 ký tự.")
    response = SurveyResponse(
        survey=survey,
        petition=petition,
        source=source,
        answers=answers,
        overall=answers[-1],
        comment=comment,
        entered_by=by,
        created_at=now,
    )
    response.full_clean()
    response.save()
    return response


@transaction.atomic
def survey_submit_online(
    *, survey: Survey, answers, petition: Petition | None = None, comment: str = "", now=None
) -> SurveyResponse:
    now = now or timezone.now()
    if not survey.is_open:
        raise ValidationError("Khảo sát đã kết thúc.")
    return _save_response(
        survey,
        source=SurveyResponse.Source.ONLINE,
        answers=answers,
        petition=petition,
        comment=comment,
        by=None,
        now=now,
    )


@transaction.atomic
def survey_enter_paper(
    *, survey: Survey, by, answers, petition: Petition | None = None, comment: str = "", now=None
) -> SurveyResponse:
    now = now or timezone.now()
    require_perm(by, "dialogues.run_survey", survey.dialogue)
    response = _save_response(
        survey,
        source=SurveyResponse.Source.PAPER,
        answers=answers,
        petition=petition,
        comment=comment,
        by=by,
        now=now,
    )
    audit_record(
        actor=by, action="survey.paper_entered", obj=survey.dialogue, now=now, changes={"id": response.pk}
    )
    return response


@transaction.atomic
def survey_close(*, survey: Survey, by, now=None) -> Survey:
    now = now or timezone.now()
    require_perm(by, "dialogues.run_survey", survey.dialogue)
    survey.is_open = False
    survey.save(update_fields=["is_open"])
    audit_record(actor=by, action="survey.close", obj=survey.dialogue, now=now)
    return survey
