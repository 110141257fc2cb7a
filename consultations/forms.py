"""Forms: parse input only; the services decide."""

from __future__ import annotations

from django import forms

from consultations import selectors
from consultations.models import (
    DRAFT_MAX_CHARS,
    Article,
    Audience,
    Category,
    Channel,
    Comment,
)
from consultations.services.comments import (
    MEETING_MAX_ATTENDEES,
    SUMMARY_MAX_MEETINGS,
    SUMMARY_MAX_PARTICIPANTS,
)
from portal import intake, lookups
from portal.forms import PortalForm
from portal.models import AdministrativeUnit, Organization, Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DRAFT_MAX = DRAFT_MAX_CHARS  # characters of a whole draft (consultations/models.py)


def _villages(commune):
    return lookups.villages(commune)


class ConsultationForm(PortalForm):
    title = forms.CharField(label="Tên dự thảo lấy ý kiến", max_length=300)
    audience = forms.ChoiceField(label="Đối tượng lấy ý kiến", choices=Audience.choices)
    category = forms.ChoiceField(label="Nội dung theo Luật (Điều 25 / Điều 53)", choices=Category.choices)
    summary = forms.CharField(
        label="Nội dung tóm tắt", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    opens_on = forms.DateField(label="Ngày bắt đầu lấy ý kiến", widget=DATE)
    closes_on = forms.DateField(label="Ngày kết thúc lấy ý kiến", widget=DATE)
    summary_due_on = forms.DateField(
        label="Hạn MTTQ / Công đoàn gửi kết quả tổng hợp", widget=DATE, required=False
    )
    channels = forms.MultipleChoiceField(
        label="Hình thức lấy ý kiến",
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    organizers = forms.ModelMultipleChoiceField(
        label="Cơ quan, tổ chức phối hợp",
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    responsible = forms.ModelChoiceField(
        label="Cán bộ phụ trách", queryset=None, required=False, empty_label="(người tạo)"
    )
    draft_text = forms.CharField(
        label="Dự thảo (mỗi dòng “Chương I. …”, “Điều 1. …”, “1. …” bắt đầu một chương, điều, khoản)",
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=DRAFT_MAX,
    )

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizers"].queryset = Organization.objects.filter(unit=commune)
        self.fields["responsible"].queryset = lookups.users_with_role(commune, Role.STAFF, Role.LEADER)
        self.fields["responsible"].label_from_instance = lambda u: u.get_full_name() or u.username


class DraftVersionForm(PortalForm):
    draft_text = forms.CharField(
        label="Nội dung dự thảo", widget=forms.Textarea(attrs={"rows": 18}), max_length=DRAFT_MAX
    )
    note = forms.CharField(label="Ghi chú thay đổi", required=False, max_length=500)


class IssuePlanForm(PortalForm):
    issued_on = forms.DateField(
        label="Ngày ban hành kế hoạch",
        widget=DATE,
        required=False,
        help_text="Để trống nếu Kế hoạch (văn bản) đã được ký ban hành: lấy ngày của văn bản.",
    )
    sent_hdnd_on = forms.DateField(label="Ngày gửi HĐND xã", widget=DATE, required=False)
    sent_mttq_on = forms.DateField(label="Ngày gửi Ủy ban MTTQ xã", widget=DATE, required=False)
    sent_union_on = forms.DateField(label="Ngày gửi Công đoàn cơ sở", widget=DATE, required=False)


class PublishForm(PortalForm):
    publicized_on = forms.DateField(label="Ngày công khai nội dung lấy ý kiến", widget=DATE)


class ResultsForm(PortalForm):
    issued_on = forms.DateField(label="Ngày báo cáo kết quả tổng hợp", widget=DATE)
    results_summary = forms.CharField(
        label="Nhận xét chung", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AdoptForm(PortalForm):
    """Số, ngày and the text come from the signed QUYẾT ĐỊNH (the register); only the HĐND session is asked."""

    hdnd_session_on = forms.DateField(
        label="Kỳ họp thường lệ gần nhất của HĐND xã", widget=DATE, required=False
    )


class ReportForm(PortalForm):
    reported_on = forms.DateField(label="Ngày báo cáo HĐND xã", widget=DATE)


class ArticleChoiceField(forms.ModelChoiceField):
    """An article of a draft; after :meth:`offer`, chosen among articles already loaded (no query)."""

    loaded: dict[str, Article] | None = None

    def label_from_instance(self, obj):
        return obj.label

    def offer(self, articles) -> None:
        """Offer exactly ``articles`` (in this order) and check a submitted id against them."""
        self.loaded = {str(a.pk): a for a in articles}
        empty = self.empty_label
        self.choices = lambda: [("", empty)] + [(a.pk, a.label) for a in articles]  # labelled when rendered

    def to_python(self, value):
        if self.loaded is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        article = self.loaded.get(str(value).strip())
        if article is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return article


class PublicCommentForm(PortalForm):
    article = ArticleChoiceField(
        label="Góp ý cho", queryset=Article.objects.none(), required=False, empty_label="Toàn bộ dự thảo"
    )
    text = forms.CharField(label="Nội dung góp ý", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    author_name = forms.CharField(label="Họ và tên (không bắt buộc)", max_length=120, required=False)
    village = forms.ModelChoiceField(
        label="Thôn, tổ dân phố (không bắt buộc)",
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label="—",
    )
    contact = forms.CharField(
        label="Điện thoại hoặc email (không bắt buộc; không công khai)", max_length=120, required=False
    )
    form_token = intake.form_token_field()
    website = intake.HoneypotField()  # hidden by CSS (.hp-field); a person leaves it empty

    def __init__(self, *args, consultation, articles=None, villages=None, **kwargs):
        super().__init__(*args, **intake.with_new_token(kwargs))
        if articles is None:  # a POST: the current draft's articles, once per process and public version
            articles = selectors.comment_form_articles(consultation)
        self.fields["article"].offer(articles)
        self.fields["village"].queryset = _villages(consultation.commune_id)
        if villages is not None:
            self.fields["village"].choices = [("", "—")] + [(v.pk, v.name) for v in villages]


class RecordCommentForm(PortalForm):
    channel = forms.ChoiceField(
        label="Hình thức tiếp nhận", choices=[c for c in Channel.choices if c[0] != "online"]
    )
    received_at = forms.DateTimeField(
        label="Thời điểm nhận", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    article = ArticleChoiceField(
        label="Điều khoản", queryset=Article.objects.none(), required=False, empty_label="Toàn bộ dự thảo"
    )
    text = forms.CharField(label="Nội dung góp ý", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    author_name = forms.CharField(label="Họ và tên", max_length=120, required=False)
    village = forms.ModelChoiceField(label="Thôn", queryset=AdministrativeUnit.objects.none(), required=False)
    organization = forms.ModelChoiceField(
        label="Tổ chức", queryset=Organization.objects.none(), required=False
    )
    contact = forms.CharField(label="Liên hệ", max_length=120, required=False)
    form_token = intake.form_token_field()

    def __init__(self, *args, consultation, version=None, **kwargs):
        intake.with_new_token(kwargs)
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = (
            version.articles.select_related("parent") if version else Article.objects.none()
        )
        self.fields["village"].queryset = _villages(consultation.commune)
        self.fields["organization"].queryset = Organization.objects.filter(unit_id=consultation.commune_id)


class MeetingForm(PortalForm):
    title = forms.CharField(label="Tên hội nghị", max_length=300)
    held_on = forms.DateField(label="Ngày tổ chức", widget=DATE)
    place = forms.CharField(label="Địa điểm", max_length=200, required=False)
    village = forms.ModelChoiceField(label="Thôn", queryset=AdministrativeUnit.objects.none(), required=False)
    organization = forms.ModelChoiceField(
        label="Tổ chức chủ trì", queryset=Organization.objects.none(), required=False
    )
    attendees = forms.IntegerField(
        label="Số người tham dự", min_value=0, max_value=MEETING_MAX_ATTENDEES, initial=0
    )
    minutes = forms.CharField(
        label="Biên bản tóm tắt", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    comments_text = forms.CharField(
        label="Các ý kiến (mỗi dòng một ý kiến; bắt đầu bằng “Điều 3:” để gắn với điều khoản)",
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = _villages(consultation.commune)
        self.fields["organization"].queryset = Organization.objects.filter(unit_id=consultation.commune_id)


class ImportForm(PortalForm):
    file = forms.FileField(
        label="Tệp CSV hoặc XLSX (cột “Nội dung góp ý”, tùy chọn: Họ và tên, Thôn, Điều, Hình thức, "
        "Tổ chức, Ngày nhận, Liên hệ)"
    )
    channel = forms.ChoiceField(
        label="Hình thức tiếp nhận mặc định",
        choices=[c for c in Channel.choices if c[0] != "online"],
        initial=Channel.PAPER,
    )


class AnswerForm(PortalForm):
    kind = forms.ChoiceField(label="Hình thức trả lời", choices=Comment.Answer.choices)
    text = forms.CharField(
        label="Nội dung tiếp thu, giải trình", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    changed_article = ArticleChoiceField(
        label="Điều khoản đã sửa ở dự thảo sau", queryset=Article.objects.none(), required=False
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["changed_article"].queryset = Article.objects.filter(
            version__consultation=consultation, version__number__gt=1
        ).select_related("version", "parent")


class TagForm(PortalForm):
    article = ArticleChoiceField(
        label="Điều khoản", queryset=Article.objects.none(), required=False, empty_label="Toàn bộ dự thảo"
    )
    topics = forms.CharField(label="Chủ đề (cách nhau bởi dấu phẩy)", required=False, max_length=500)

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = (
            version.articles.select_related("parent") if version else Article.objects.none()
        )


class MergeForm(PortalForm):
    into_code = forms.CharField(label="Mã ý kiến chính (ý kiến này trùng với)", max_length=12)


class AssignForm(PortalForm):
    assignee = forms.ModelChoiceField(label="Giao cho", queryset=None, required=False)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users


class HideForm(PortalForm):
    reason = forms.CharField(label="Lý do ẩn", max_length=300)


class FlagForm(PortalForm):
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)


class SummaryForm(PortalForm):
    text = forms.CharField(label="Nội dung tổng hợp", widget=forms.Textarea(attrs={"rows": 8}))
    meetings_held = forms.IntegerField(
        label="Số hội nghị đã tổ chức", min_value=0, max_value=SUMMARY_MAX_MEETINGS, initial=0
    )
    participants = forms.IntegerField(
        label="Số lượt người tham gia", min_value=0, max_value=SUMMARY_MAX_PARTICIPANTS, initial=0
    )
