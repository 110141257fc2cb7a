"""Forms for publicity pages (input parsing only; the services re-check every rule)."""

from __future__ import annotations

import datetime as dt

from django import forms

from portal.forms import PortalForm
from portal.publicity.models import ContentItem, Form, InformationRequest

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MIN_DATE, MAX_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class SaneDateField(forms.DateField):
    widget = DATE

    def clean(self, value):
        value = super().clean(value)
        if value is not None and not (MIN_DATE <= value <= MAX_DATE):
            raise forms.ValidationError("Ngày không hợp lệ.")
        return value


class PostingConfirmForm(PortalForm):
    posted_on = SaneDateField(label="Ngày niêm yết")
    photo = forms.ImageField(
        label="Ảnh chụp bảng tin (JPEG, PNG, WebP)",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
        ),
    )
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["note"].label = "Minh chứng (nếu không có ảnh: ai xác nhận, bằng cách nào)"
            self.fields["on_behalf_reason"] = forms.CharField(
                label="Lý do cán bộ xác nhận thay Trưởng thôn", max_length=300
            )


class BroadcastForm(PortalForm):
    broadcast_on = SaneDateField(label="Ngày phát")
    note = forms.CharField(label="Ghi chú (giờ phát, thời lượng)", max_length=200, required=False)


class TakeDownForm(PortalForm):
    removed_on = SaneDateField(label="Ngày gỡ")
    reason = forms.CharField(label="Lý do gỡ", max_length=300, required=False)


class WithdrawForm(PortalForm):
    reason = forms.CharField(label="Lý do rút", max_length=300)


class PublicationForm(PortalForm):
    item = forms.TypedChoiceField(
        label="Nội dung công khai (Điều 11 Luật 10/2022/QH15)", choices=ContentItem.choices, coerce=int
    )
    title = forms.CharField(label="Tên nội dung công khai", max_length=300)
    summary = forms.CharField(
        label="Tóm tắt", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.TypedChoiceField(
        label="Văn bản đã ban hành (từ Văn bản)", required=False, coerce=int, empty_value=None
    )
    file = forms.FileField(
        label="Hoặc tải lên tệp PDF",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    decided_on = SaneDateField(label="Ngày ban hành quyết định, văn bản")
    starts_on = SaneDateField(label="Ngày bắt đầu công khai", required=False)
    extra_forms = forms.MultipleChoiceField(
        label="Hình thức công khai thêm (Điều 12 khoản 1; các hình thức luật bắt buộc được tự động thêm)",
        choices=Form.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible = forms.CharField(label="Người, bộ phận chịu trách nhiệm", max_length=200, required=False)

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", "— Không chọn —")] + [(d.pk, str(d)) for d in documents]

    def clean(self):
        data = super().clean()
        if not data.get("document") and not data.get("file"):
            raise forms.ValidationError("Chọn một văn bản đã ban hành hoặc tải lên tệp PDF.")
        return data


class PlanEntryForm(PortalForm):
    item = forms.TypedChoiceField(label="Nội dung (Điều 11)", choices=ContentItem.choices, coerce=int)
    content = forms.CharField(label="Nội dung cụ thể", max_length=300)
    extra_forms = forms.MultipleChoiceField(
        label="Hình thức", choices=Form.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    timing = forms.CharField(label="Thời điểm công khai", max_length=200)
    duration = forms.CharField(label="Thời hạn công khai", max_length=200, required=False)
    responsible = forms.CharField(label="Người, bộ phận chịu trách nhiệm", max_length=200)


class QuarterForm(PortalForm):
    year = forms.IntegerField(label="Năm", min_value=2023, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="Quý", choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")], coerce=int
    )


class PeriodForm(PortalForm):
    start = SaneDateField(label="Từ ngày")
    end = SaneDateField(label="Đến ngày")
    session_on = SaneDateField(label="Kỳ họp thường lệ của HĐND xã", required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("Ngày kết thúc không được trước ngày bắt đầu.")
        return data


class InformationRequestForm(PortalForm):
    requester = forms.CharField(label="Họ và tên người yêu cầu", max_length=120)
    contact = forms.CharField(label="Điện thoại / địa chỉ", max_length=200, required=False)
    reason = forms.ChoiceField(
        label="Trường hợp (Điều 14 khoản 2)", choices=InformationRequest.Reason.choices
    )
    text = forms.CharField(
        label="Thông tin yêu cầu", max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_on = SaneDateField(label="Ngày tiếp nhận")


class AnswerForm(PortalForm):
    answer = forms.CharField(
        label="Thông tin cung cấp, trả lời", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    answered_on = SaneDateField(label="Ngày trả lời")
