from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from portal.documents.models import Document, Section, Task
from portal.documents.specs import parse_recipient
from portal.forms import PortalForm, PortalModelForm


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DocumentForm(PortalModelForm):
    preamble_text = forms.CharField(
        label="Căn cứ, mở đầu (mỗi dòng một đoạn)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    addressees_text = forms.CharField(
        label="Kính gửi (mỗi dòng một nơi; để trống nếu không có)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    recipients_text = forms.CharField(
        label="Nơi nhận (mỗi dòng một nơi; ghi chú trong ngoặc, ví dụ (b/c))",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    class Meta:
        model = Document
        fields = [
            "doc_type",
            "issuer",
            "title",
            "place",
            "draft_date",
            "draft_day_blank",
            "parent_organ",
            "organ",
            "letter_unit",
            "enacting_authority",
            "numbering",
            "preamble_style",
            "closing",
            "level3",
            "archive",
            "sig_authority",
            "sig_organ",
            "sig_head",
            "sig_position",
            "sig_signer",
        ]
        widgets = {
            "draft_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "title": forms.Textarea(attrs={"rows": 2}),
            "closing": forms.Textarea(attrs={"rows": 3}),
            "organ": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, issuers=None, upper_level: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
        if (
            upper_level
        ):  # a new document of a district, town, provincial city or province: a model or its own plan
            self.fields["purpose"] = forms.ChoiceField(
                label="Văn bản này là",
                choices=Document.Purpose.choices,
                initial=Document.Purpose.MODEL,
                widget=forms.RadioSelect,
                help_text="Kế hoạch của đơn vị: các nhiệm vụ được theo dõi hạn, báo cáo như kế hoạch của xã.",
            )
        self.fields["numbering"].required = False
        if self.instance.pk:
            self.fields["preamble_text"].initial = "\n".join(self.instance.preamble)
            self.fields["addressees_text"].initial = "\n".join(self.instance.addressees)
            self.fields["recipients_text"].initial = "\n".join(
                f"{r['name']} {r['note']}".strip() for r in self.instance.recipients
            )

    def clean_recipients_text(self):
        errors: list = []
        out = [
            r
            for i, line in enumerate(_lines(self.cleaned_data["recipients_text"]))
            if (r := parse_recipient(line, (i,), errors))
        ]
        return out

    def clean_numbering(self):
        return self.cleaned_data.get("numbering") or "roman"

    def clean_addressees_text(self):
        return [line.rstrip(";.").strip() for line in _lines(self.cleaned_data["addressees_text"])]

    def clean_preamble_text(self):
        return _lines(self.cleaned_data["preamble_text"])


class SectionForm(PortalForm):
    kind = forms.ChoiceField(label="Loại", choices=Section.Kind.choices, initial=Section.Kind.SECTION)
    heading = forms.CharField(label="Tiêu đề", required=False, max_length=500)
    text = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


DUE_HELP = (
    "Ngày: 20/03/2024 · Trước ngày: 26/03/2024 · Từ… đến: 29/02/2024 - 20/03/2024 · Trong tháng: 02/2024 · "
    "Hằng năm trước: 15/12 · Quý: I/2024 · Thường xuyên: hằng tháng / hằng quý / 6 tháng / hằng năm · "
    "Khi có sự kiện: mô tả sự kiện"
)


def _rhythm(value: str) -> str:
    """A reporting rhythm typed as its Vietnamese label ("hằng quý"); empty means quarterly."""
    if not value:
        return Task.Rhythm.QUARTERLY
    by_label = {label.lower(): code for code, label in Task.Rhythm.choices}
    key = " ".join(value.lower().split())
    if key in by_label:
        return by_label[key]
    if key in Task.Rhythm.values:  # the stored code, as older forms accepted
        return key
    raise ValidationError(f"Chế độ báo cáo phải là: {' / '.join(Task.Rhythm.labels)}")


def _iso(d: str) -> str:
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", d.strip())
    if not m:
        raise ValidationError(f"Ngày không hợp lệ: {d} (dd/mm/yyyy)")
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"


class TaskForm(PortalForm):
    lead = forms.CharField(label="Chủ trì", max_length=200)
    coordinating = forms.CharField(label="Phối hợp (cách nhau bởi dấu ;)", required=False)
    description = forms.CharField(label="Nội dung công việc", widget=forms.Textarea(attrs={"rows": 2}))
    due_kind = forms.ChoiceField(label="Thời hạn", choices=Task.Due.choices, initial=Task.Due.NONE)
    due_value = forms.CharField(label="Giá trị thời hạn", required=False, help_text=DUE_HELP)

    def clean(self):
        data = super().clean()
        kind, value = data.get("due_kind"), (data.get("due_value") or "").strip()
        try:
            if kind == Task.Due.NONE:
                due = None
            elif kind == Task.Due.DATE:
                due = _iso(value)
            elif kind == Task.Due.BEFORE:
                due = {"before": _iso(value)}
            elif kind == Task.Due.PERIOD:
                start, _, end = value.partition("-")
                due = {"from": _iso(start), "to": _iso(end)}
            elif kind == Task.Due.MONTH:
                m = re.fullmatch(r"(\d{1,2})/(\d{4})", value)
                if not m:
                    raise ValidationError("Tháng phải có dạng mm/yyyy")
                due = {"month": f"{m.group(2)}-{int(m.group(1)):02d}"}
            elif kind == Task.Due.YEARLY:
                due = {"every_year_before": value}
            elif kind == Task.Due.QUARTER:
                due = {"quarter": value}
            elif kind == Task.Due.ONGOING:
                due = {"ongoing": _rhythm(value)}
            else:
                due = {"on_trigger": value or "Khi có văn bản hướng dẫn"}
        except ValidationError as exc:
            raise ValidationError({"due_value": exc.messages}) from exc
        data["due"] = due
        data["coordinating_list"] = [
            c.strip() for c in (data.get("coordinating") or "").split(";") if c.strip()
        ]
        return data


EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class TaskReportForm(PortalForm):
    text = forms.CharField(
        label="Kết quả thực hiện",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Hãy ghi kết quả thực hiện."},
    )
    evidence = forms.FileField(label="Minh chứng (tệp PDF, ảnh, Word, Excel; tối đa 10 MB)", required=False)
    evidence_link = forms.CharField(label="Đường dẫn minh chứng", required=False, max_length=500)
    completes = forms.BooleanField(label="Đã hoàn thành (kỳ này)", required=False)

    def clean_evidence(self):
        # The content itself is checked by the service (portal.uploads.file_clean), whoever calls it.
        f = self.cleaned_data.get("evidence")
        if f and f.size > EVIDENCE_MAX_BYTES:
            raise ValidationError("Tệp minh chứng quá lớn (tối đa 10 MB).")
        return f


class TriggerForm(PortalForm):
    on = forms.DateField(label="Ngày có sự kiện", widget=forms.DateInput(attrs={"type": "date"}))


def task_initial(task: Task) -> dict:
    """TaskForm initial values for an existing task (the inverse of TaskForm.clean)."""
    from portal.documents.structure import QUARTERS

    def d(x):
        return x.strftime("%d/%m/%Y") if x else ""

    value = {
        Task.Due.DATE: d(task.due_date),
        Task.Due.BEFORE: d(task.due_date),
        Task.Due.PERIOD: f"{d(task.start_date)} - {d(task.due_date)}",
        Task.Due.MONTH: f"{task.due_month:02d}/{task.year}" if task.due_month else "",
        Task.Due.YEARLY: f"{task.due_day:02d}/{task.due_month:02d}" if task.due_day else "",
        Task.Due.QUARTER: f"{QUARTERS[task.quarter - 1]}/{task.year}" if task.quarter else "",
        Task.Due.ONGOING: Task.Rhythm(task.rhythm).label if task.rhythm in Task.Rhythm.values else "",
        Task.Due.TRIGGER: task.trigger_label,
    }.get(task.due_kind, "")
    return {
        "lead": task.lead,
        "coordinating": "; ".join(task.coordinating),
        "description": task.description,
        "due_kind": task.due_kind,
        "due_value": value,
    }


class ReserveNumberForm(PortalForm):
    """Giữ số: hold a number back in a book (the next one when ``number`` is left empty)."""

    number = forms.IntegerField(
        label="Số cần giữ (để trống: số kế tiếp)", required=False, min_value=1, max_value=99999
    )
    reason = forms.CharField(label="Lý do giữ số", max_length=300)
