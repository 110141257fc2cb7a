"""Forms of the dialogues app: they parse input; every rule is re-checked by the services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from dialogues.models import Answer, Attendance, Channel, Dialogue, Field, Petition, Provenance
from dialogues.services import Outcome
from portal import intake, lookups
from portal.forms import PortalForm
from portal.models import AdministrativeUnit, Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def villages_of(commune_id: int):
    return lookups.villages(commune_id)


def office_users(commune_id: int):
    return lookups.users_with_role(commune_id, Role.STAFF, Role.LEADER)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class DialogueForm(PortalForm):
    title = forms.CharField(label="Tên hội nghị", max_length=300)
    kind = forms.ChoiceField(label="Loại hội nghị", choices=Dialogue.Kind.choices)
    villages = forms.ModelMultipleChoiceField(
        label="Thôn",
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    day = forms.DateField(label="Ngày hội nghị", widget=DATE)
    time = forms.TimeField(label="Giờ bắt đầu", widget=TIME, initial=dt.time(8, 0))
    duration_minutes = forms.IntegerField(label="Thời lượng (phút)", min_value=15, max_value=720, initial=180)
    place = forms.CharField(label="Địa điểm", max_length=300, required=False)
    online_link = forms.URLField(
        label="Đường dẫn họp trực tuyến (nếu có)", max_length=500, required=False, assume_scheme="https"
    )
    host = UserChoiceField(label="Người chủ trì", queryset=None, required=False)
    co_chairs = forms.CharField(
        label="Đồng chủ trì (đại diện Thường trực HĐND, MTTQ…)", max_length=300, required=False
    )
    participants = forms.CharField(
        label="Thành phần tham dự", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    topics = forms.CharField(
        label="Nội dung đối thoại", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = villages_of(commune_id)
        self.fields["host"].queryset = office_users(commune_id).filter(
            memberships__role=Role.LEADER, memberships__commune_id=commune_id
        )

    def starts_at(self) -> dt.datetime:
        d = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(d["day"], d["time"]))


class DateForm(PortalForm):
    on = forms.DateField(label="Ngày", widget=DATE, required=False)


class PetitionRecordForm(PortalForm):
    channel = forms.ChoiceField(
        label="Kênh tiếp nhận", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    provenance = forms.ChoiceField(label="Nguồn", choices=Provenance.choices)
    village = forms.ModelChoiceField(label="Thôn", queryset=AdministrativeUnit.objects.none(), required=False)
    dialogue = forms.ModelChoiceField(
        label="Hội nghị đối thoại", queryset=Dialogue.objects.none(), required=False
    )
    petitioner_name = forms.CharField(label="Họ tên người kiến nghị", max_length=120, required=False)
    petitioner_contact = forms.CharField(label="Điện thoại / địa chỉ", max_length=200, required=False)
    field = forms.ChoiceField(
        label="Lĩnh vực", choices=[("", "Chưa phân loại"), *Field.choices], required=False
    )
    kind = forms.ChoiceField(label="Loại đơn", choices=Petition.Kind.choices)
    text = forms.CharField(
        label="Nội dung kiến nghị", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    received_on = forms.DateField(label="Ngày tiếp nhận", widget=DATE, required=False)
    oral_confirmed = forms.BooleanField(
        label="Người kiến nghị đã ký hoặc điểm chỉ vào bản ghi (bắt buộc khi tiếp công dân)", required=False
    )
    is_public = forms.BooleanField(label="Được công khai câu trả lời", required=False, initial=True)

    def __init__(self, *args, commune_id: int, villages=None, dialogues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages if villages is not None else villages_of(commune_id)
        self.fields["dialogue"].queryset = (
            dialogues
            if dialogues is not None
            else Dialogue.objects.filter(commune_id=commune_id).exclude(
                status__in=[Dialogue.Status.CLOSED, Dialogue.Status.CANCELLED]
            )
        )


class ClassifyForm(PortalForm):
    field = forms.ChoiceField(label="Lĩnh vực", choices=Field.choices)
    competence = forms.ChoiceField(label="Thẩm quyền", choices=Petition.Competence.choices, required=False)
    kind = forms.ChoiceField(label="Loại đơn", choices=Petition.Kind.choices)


class PetitionActionForm(PortalForm):
    """The input of one of the petition's workflow actions (dialogues/workflow.py PETITION): built by the petition
    page for its petition; ``service_kwargs()`` is what the action's service takes."""

    def __init__(self, *args, petition=None, **kwargs):
        self.petition = petition
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class AssignForm(PetitionActionForm):
    assignee = UserChoiceField(label="Giao cho", queryset=None)
    due_on = forms.DateField(label="Hạn trả lời (để trống: theo quy định)", widget=DATE, required=False)

    def __init__(self, *args, petition, **kwargs):
        kwargs.setdefault("initial", {"assignee": petition.assignee_id, "due_on": petition.due_on})
        super().__init__(*args, petition=petition, **kwargs)
        self.fields["assignee"].queryset = office_users(petition.commune_id)


class AnswerForm(PetitionActionForm):
    how = forms.ChoiceField(
        label="Hình thức",
        choices=[c for c in Answer.How.choices if c[0] in (Answer.How.IN_PERSON, Answer.How.IN_WRITING)],
    )
    text = forms.CharField(
        label="Nội dung trả lời", max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    answered_on = forms.DateField(label="Ngày trả lời", widget=DATE, required=False)
    proof = forms.FileField(label="Minh chứng (ảnh, bản chụp văn bản)", required=False)
    proof_note = forms.CharField(
        label="Ghi chú minh chứng (số văn bản, biên bản…)", max_length=300, required=False
    )


class UpperAnswerForm(PetitionActionForm):
    text = forms.CharField(
        label="Nội dung trả lời của cấp trên", max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    answered_on = forms.DateField(label="Ngày trả lời", widget=DATE, required=False)
    proof_note = forms.CharField(label="Số văn bản trả lời", max_length=300, required=False)

    def service_kwargs(self) -> dict:
        return {"how": Answer.How.UPPER_LEVEL, **self.cleaned_data}


class PreparedAnswerForm(PetitionActionForm):
    prepared_answer = forms.CharField(
        label="Phương án trả lời đã chuẩn bị (đưa vào tài liệu của chủ trì)",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, petition=None, **kwargs):
        if petition is not None:
            kwargs.setdefault("initial", {"prepared_answer": petition.prepared_answer})
        super().__init__(*args, petition=petition, **kwargs)

    def service_kwargs(self) -> dict:
        return {"text": self.cleaned_data["prepared_answer"]}


class ForwardForm(PetitionActionForm):
    to = forms.CharField(label="Cơ quan có thẩm quyền", max_length=300)
    follow_up_on = forms.DateField(label="Ngày đôn đốc, theo dõi", widget=DATE)


class ReasonForm(PortalForm):
    reason = forms.CharField(label="Lý do", max_length=500)


class ConsoleForm(PortalForm):
    text = forms.CharField(
        label="Nội dung kiến nghị", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    petitioner_name = forms.CharField(label="Người nêu", max_length=120, required=False)
    village = forms.ModelChoiceField(label="Thôn", queryset=AdministrativeUnit.objects.none(), required=False)
    field = forms.ChoiceField(
        label="Lĩnh vực", choices=[("", "Chưa phân loại"), *Field.choices], required=False
    )
    outcome = forms.ChoiceField(label="Kết quả", choices=Outcome.CHOICES, widget=forms.RadioSelect)
    answer_text = forms.CharField(
        label="Nội dung trả lời tại chỗ",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answerer_name = forms.CharField(label="Người trả lời", max_length=120, required=False)
    assignee = UserChoiceField(label="Giao cho", queryset=None, required=False)
    due_on = forms.DateField(label="Trả lời trước ngày", widget=DATE, required=False)
    forward_to = forms.CharField(label="Chuyển đến", max_length=300, required=False)
    follow_up_on = forms.DateField(label="Ngày đôn đốc", widget=DATE, required=False)
    speaker = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_of(commune_id)
        self.fields["assignee"].queryset = office_users(commune_id)


class SpeakerForm(PortalForm):
    name = forms.CharField(label="Họ tên", max_length=120)
    village = forms.ModelChoiceField(label="Thôn", queryset=AdministrativeUnit.objects.none(), required=False)
    topic = forms.CharField(label="Nội dung đăng ký", max_length=500, required=False)

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_of(commune_id)


class AttendanceForm(PortalForm):
    """One number field per (village, group); the officials present as text."""

    officials_present = forms.CharField(
        label="Đại biểu, cán bộ dự", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, villages, existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = []
        for v in [None, *villages]:
            row = []
            for group, label in Attendance.Group.choices:
                name = f"n_{v.pk if v else 0}_{group}"
                self.fields[name] = forms.IntegerField(
                    label=f"{v.name if v else 'Chung'} — {label}",
                    min_value=0,
                    max_value=100000,
                    required=False,
                    initial=existing.get((v.pk if v else None, group)),
                )
                row.append(name)
            self.grid.append((v, row))
        self.villages = {v.pk: v for v in villages}

    def rows(self) -> list[tuple]:
        out = []
        for key, value in self.cleaned_data.items():
            if not key.startswith("n_") or value in (None, ""):
                continue
            _, vid, group = key.split("_", 2)
            out.append((self.villages.get(int(vid)) if vid != "0" else None, group, value))
        return out


class OnlinePetitionForm(PortalForm):
    village = forms.ModelChoiceField(
        label="Thôn nơi ông/bà sinh sống", queryset=AdministrativeUnit.objects.none(), required=False
    )
    dialogue = forms.ModelChoiceField(
        label="Gửi tới hội nghị đối thoại (không bắt buộc)", queryset=Dialogue.objects.none(), required=False
    )
    field = forms.ChoiceField(label="Lĩnh vực", choices=[("", "Không rõ"), *Field.choices], required=False)
    text = forms.CharField(
        label="Nội dung kiến nghị, phản ánh", max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    petitioner_name = forms.CharField(label="Họ tên (không bắt buộc)", max_length=120, required=False)
    petitioner_contact = forms.CharField(
        label="Số điện thoại để cán bộ liên hệ (không bắt buộc)", max_length=200, required=False
    )
    is_public = forms.BooleanField(
        label="Đồng ý công khai câu trả lời (không công khai họ tên)", required=False, initial=True
    )
    form_token = intake.form_token_field()
    website = intake.HoneypotField()  # hidden (.hp-field); a person leaves it empty

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **intake.with_new_token(kwargs))
        self.fields["village"].queryset = villages_of(commune_id)
        self.fields["dialogue"].queryset = Dialogue.objects.filter(
            commune_id=commune_id, status=Dialogue.Status.NOTICED
        ).order_by("starts_at")


class FeedbackForm(PortalForm):
    satisfied = forms.TypedChoiceField(
        label="Ông/bà có hài lòng với câu trả lời không?",
        choices=[("1", "Hài lòng"), ("0", "Chưa hài lòng")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Lý do chưa hài lòng", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SurveyConfigForm(PortalForm):
    questions = forms.CharField(
        label="Câu hỏi (mỗi dòng một câu; câu cuối là mức độ hài lòng chung)",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    scale = forms.CharField(
        label="Thang đánh giá (mỗi dòng một mức, từ tốt nhất)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SurveyResponseForm(PortalForm):
    comment = forms.CharField(
        label="Ý kiến khác", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(i), label) for i, label in enumerate(survey.scale)]
        self.question_fields = []
        for i, q in enumerate(survey.questions):
            name = f"q{i}"
            self.fields[name] = forms.ChoiceField(label=q, choices=choices, widget=forms.RadioSelect)
            self.question_fields.append(name)
        self.order_fields([*self.question_fields, "comment"])

    def answers(self) -> list[int]:
        return [int(self.cleaned_data[n]) for n in self.question_fields]


class SupervisionForm(PortalForm):
    text = forms.CharField(
        label="Nội dung giám sát", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
