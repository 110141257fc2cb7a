"""Forms of the contest pages (the services re-check every rule; forms only parse)."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model

from campaigns.models import Award, CriteriaSet, Initiative, Participant
from portal.forms import PortalForm, harden_field
from portal.models import AdministrativeUnit, Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CriteriaImportForm(PortalForm):
    file = forms.FileField(label="Tệp bộ tiêu chí (.yaml hoặc .xlsx)")
    owner_unit = forms.ModelChoiceField(label="Đơn vị sử dụng", queryset=AdministrativeUnit.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units if units is not None else AdministrativeUnit.objects.none()


class CopyForm(PortalForm):
    owner_unit = forms.ModelChoiceField(label="Sao về đơn vị", queryset=AdministrativeUnit.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units if units is not None else AdministrativeUnit.objects.none()


class ContestForm(PortalForm):
    organizer_unit = forms.ModelChoiceField(label="Cấp tổ chức", queryset=AdministrativeUnit.objects.none())
    organizer_name = forms.CharField(label="Cơ quan tổ chức", max_length=200)
    organizer_org = forms.ModelChoiceField(
        label="Cơ quan ban hành văn bản (cấp ủy)", queryset=Organization.objects.none(), required=False
    )
    title = forms.CharField(label="Tên cuộc thi", max_length=300)
    theme = forms.CharField(label="Chủ đề", max_length=500)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    starts_on = forms.DateField(label="Từ ngày", widget=DATE)
    ends_on = forms.DateField(label="Đến ngày", widget=DATE)
    criteria_set = forms.ModelChoiceField(label="Bộ tiêu chí", queryset=CriteriaSet.objects.none())
    registration_due = forms.DateField(label="Hạn đăng ký dự thi", widget=DATE, required=False)
    self_assessment_due = forms.DateField(label="Hạn tự chấm", widget=DATE, required=False)
    judging_due = forms.DateField(label="Hạn chấm điểm", widget=DATE, required=False)
    results_due = forms.DateField(label="Hạn công bố kết quả", widget=DATE, required=False)

    def __init__(self, *args, units=None, sets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer_unit"].queryset = (
            units if units is not None else AdministrativeUnit.objects.none()
        )
        if units is not None:
            self.fields["organizer_org"].queryset = Organization.objects.filter(unit__in=units).order_by(
                "name"
            )
        self.fields["criteria_set"].queryset = sets if sets is not None else CriteriaSet.objects.none()

    def clean(self):
        data = super().clean()
        org, unit = data.get("organizer_org"), data.get("organizer_unit")
        if org is not None and unit is not None and org.unit_id != unit.pk:
            self.add_error("organizer_org", "Cơ quan ban hành phải thuộc cấp tổ chức đã chọn.")
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data


class ParticipantForm(PortalForm):
    unit = forms.ModelChoiceField(label="Xã dự thi", queryset=AdministrativeUnit.objects.none())
    kind = forms.ChoiceField(label="Loại", choices=Participant.Kind.choices, initial=Participant.Kind.COMMUNE)
    name = forms.CharField(label="Tên hiển thị", max_length=200, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else AdministrativeUnit.objects.none()


class JoinForm(PortalForm):
    """ "Đăng ký tham gia": one of the viewer's communes not yet registered."""

    unit = forms.ModelChoiceField(label="Xã đăng ký", queryset=AdministrativeUnit.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else AdministrativeUnit.objects.none()


class AssignForm(PortalForm):
    participant = forms.ModelChoiceField(label="Đơn vị dự thi", queryset=Participant.objects.none())
    judge = forms.ModelChoiceField(label="Giám khảo", queryset=get_user_model().objects.none())

    def __init__(self, *args, participants=None, judges=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = (
            participants if participants is not None else Participant.objects.none()
        )
        self.fields["judge"].queryset = judges if judges is not None else get_user_model().objects.none()
        self.fields["judge"].label_from_instance = lambda u: u.get_full_name() or u.username


class EvidenceFileForm(PortalForm):
    file = forms.FileField(label="Tệp minh chứng (PDF, ảnh, Word, Excel; tối đa 10 MB)")
    title = forms.CharField(label="Mô tả", max_length=300, required=False)


class EvidenceLinkForm(PortalForm):
    link = forms.URLField(label="Đường dẫn", max_length=500, assume_scheme="https")
    title = forms.CharField(label="Mô tả", max_length=300, required=False)


class AwardForm(PortalForm):
    kind = forms.ChoiceField(label="Khen", choices=Award.Kind.choices)
    participant = forms.ModelChoiceField(
        label="Đơn vị dự thi (nếu là tập thể dự thi)", queryset=Participant.objects.none(), required=False
    )
    recipient = forms.CharField(label="Tập thể / cá nhân", max_length=200, required=False)
    recipient_unit = forms.CharField(label="Đơn vị công tác", max_length=200, required=False)
    title = forms.CharField(label="Danh hiệu, giải", max_length=120, initial="Giấy khen")
    reason = forms.CharField(label="Lý do (một dòng)", max_length=200)

    def __init__(self, *args, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = (
            participants if participants is not None else Participant.objects.none()
        )

    def clean(self):
        data = super().clean()
        if not data.get("participant") and not (data.get("recipient") or "").strip():
            self.add_error("recipient", "Chọn đơn vị dự thi hoặc ghi tên tập thể, cá nhân.")
        return data


class InitiativeForm(PortalForm):
    name = forms.CharField(label="Tên mô hình", max_length=300)
    field = forms.ChoiceField(label="Lĩnh vực", choices=Initiative.Field.choices)
    lead = forms.CharField(label="Người, tổ chức thực hiện", max_length=300)
    change = forms.CharField(label="Điều đã thay đổi", max_length=1000, required=False, widget=forms.Textarea)
    results = forms.CharField(
        label="Kết quả kiểm chứng được", max_length=1000, required=False, widget=forms.Textarea
    )
    people_reached = forms.IntegerField(
        label="Số người được hưởng lợi", min_value=0, max_value=10_000_000, initial=0
    )
    started_on = forms.DateField(label="Ngày bắt đầu", widget=DATE)
    evidence_link = forms.URLField(
        label="Minh chứng (đường dẫn)", max_length=500, required=False, assume_scheme="https"
    )


class UpperForm(PortalForm):
    points = forms.DecimalField(label="Điểm cấp trên", min_value=0, max_digits=6, decimal_places=2)
    comment = forms.CharField(label="Nhận xét", max_length=500)


class LetterheadForm(PortalForm):
    """The header and signature of the contest's documents (the service validates and capitalizes)."""

    doc_parent_organ = forms.CharField(
        label="Cơ quan cấp trên (tiêu đề)",
        max_length=200,
        required=False,
        help_text="Ví dụ: ĐẢNG BỘ TỈNH BẮC GIANG. Để trống nếu không có.",
    )
    doc_organ = forms.CharField(
        label="Cơ quan ban hành (tiêu đề)", max_length=200, help_text="Ví dụ: HUYỆN ỦY YÊN THẾ"
    )
    doc_place = forms.CharField(label="Địa danh", max_length=100, required=False, help_text="Ví dụ: Yên Thế")
    sig_organ = forms.CharField(
        label="Thẩm quyền ký: thay mặt (TM.)",
        max_length=100,
        required=False,
        help_text="Ví dụ: BAN THƯỜNG VỤ. Để trống nếu người ký ký trực tiếp.",
    )
    sig_position = forms.CharField(label="Chức vụ người ký", max_length=100, help_text="Ví dụ: PHÓ BÍ THƯ")
    sig_signer = forms.CharField(label="Họ tên người ký", max_length=100)


class NoteForm(PortalForm):
    """A short note with a step of a model (mô hình)."""

    note = forms.CharField(label="Ghi chú", max_length=500, required=False)


POINTS_CHARS = 12  # "12,5" or "100": a score typed longer than this is not a score
COUNT_CHARS = 9
COMMENT_CHARS = 1000  # JudgeScore.comment, SelfScore.note
SHEET_FIELD = re.compile(r"^(points|count|comment)_(\d{1,18})$")


class ScoreSheetForm(PortalForm):
    """A sheet of scores (the self-assessment, a judge's sheet): for each leaf criterion ``points_<id>`` (or
    ``count_<id>``) and ``comment_<id>``. Text is cleaned, never cut: an over-long entry, or a field named for a
    criterion outside this sheet, is an error and nothing is saved. The scores' bounds are the services' (``sheet_save``
    → ``scoring.criterion_points``), which check them again whoever calls.

    ``entries()`` → {criterion id: {"points", "count", "comment"}} for the service; ``errors_by_criterion()`` →
    {criterion id: message} (0 for what belongs to no criterion of the sheet); ``typed()`` the values as typed, to show
    them back."""

    def __init__(self, data, *, leaves):
        super().__init__(data)
        self.leaves = list(leaves)
        for c in self.leaves:
            label = f"Tiêu chí {c.code}"
            self.fields[f"points_{c.pk}"] = forms.CharField(
                label=f"{label}: điểm", required=False, max_length=POINTS_CHARS
            )
            self.fields[f"count_{c.pk}"] = forms.CharField(
                label=f"{label}: số lượng", required=False, max_length=COUNT_CHARS
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=f"{label}: nhận xét",
                required=False,
                max_length=COMMENT_CHARS,
                widget=forms.Textarea,
                strip=False,
            )
        for field in self.fields.values():
            harden_field(field)

    def clean(self):
        known = {c.pk for c in self.leaves}
        foreign = sorted(
            {
                int(m.group(2))
                for key in self.data
                if (m := SHEET_FIELD.match(key)) and int(m.group(2)) not in known
            }
        )
        if foreign:
            raise forms.ValidationError(
                "Phiếu gửi lên có tiêu chí không thuộc bộ tiêu chí của cuộc thi này; không lưu gì. Tải lại trang rồi"
                " chấm lại."
            )
        return self.cleaned_data

    def entries(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            c.pk: {
                "points": data[f"points_{c.pk}"].strip().replace(",", "."),
                "count": data[f"count_{c.pk}"].strip() or None,
                "comment": data[f"comment_{c.pk}"],
            }
            for c in self.leaves
        }

    def errors_by_criterion(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for name, errors in self.errors.items():
            m = SHEET_FIELD.match(name)
            key = int(m.group(2)) if m else 0
            label = self.fields[name].label if m else ""
            for error in errors:
                message = f"{label}: {error}" if label else str(error)
                out[key] = f"{out[key]} {message}" if key in out else message
        return out

    def typed(self) -> dict[int, dict]:
        return {
            c.pk: {
                "points": self.data.get(f"points_{c.pk}", ""),
                "count": self.data.get(f"count_{c.pk}", "") or None,
                "comment": self.data.get(f"comment_{c.pk}", ""),
            }
            for c in self.leaves
        }
