"""Comment filters for staff, MTTQ and Công đoàn (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms

from consultations.models import Article, Channel, Comment, Topic
from portal.models import AdministrativeUnit, Organization
from portal.text import normalize_search


class CommentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Tìm trong nội dung (có hoặc không dấu)", method="search")
    village = django_filters.ModelChoiceFilter(
        label="Thôn", empty_label="Tất cả các thôn", queryset=AdministrativeUnit.objects.none()
    )
    channel = django_filters.ChoiceFilter(
        label="Hình thức", empty_label="Mọi hình thức", choices=Channel.choices
    )
    article = django_filters.ModelChoiceFilter(
        label="Điều khoản", empty_label="Mọi điều khoản", queryset=Article.objects.none()
    )
    status = django_filters.ChoiceFilter(
        label="Trạng thái", empty_label="Mọi trạng thái", choices=Comment.Status.choices
    )
    answer_kind = django_filters.ChoiceFilter(
        label="Trả lời", empty_label="Mọi cách trả lời", choices=Comment.Answer.choices
    )
    organization = django_filters.ModelChoiceFilter(
        label="Tổ chức", empty_label="Mọi tổ chức", queryset=Organization.objects.none()
    )
    topic = django_filters.ModelChoiceFilter(
        label="Chủ đề", empty_label="Mọi chủ đề", field_name="topics", queryset=Topic.objects.none()
    )
    answered = django_filters.ChoiceFilter(
        label="Đã trả lời?",
        empty_label="Tất cả",
        choices=[("yes", "Đã trả lời"), ("no", "Chưa trả lời")],
        method="filter_answered",
    )
    hidden = django_filters.BooleanFilter(
        label="Đã ẩn", widget=forms.Select(choices=[("", "Tất cả"), ("true", "Có"), ("false", "Không")])
    )

    class Meta:
        model = Comment
        fields = [
            "q",
            "village",
            "channel",
            "article",
            "status",
            "answer_kind",
            "organization",
            "topic",
            "answered",
            "hidden",
        ]

    def __init__(self, *args, consultation, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["village"].queryset = AdministrativeUnit.objects.filter(
            parent_id=consultation.commune_id
        )
        self.filters["organization"].queryset = Organization.objects.filter(unit_id=consultation.commune_id)
        self.filters["topic"].queryset = Topic.objects.filter(consultation=consultation)
        self.filters["article"].queryset = Article.objects.filter(
            version__consultation=consultation
        ).select_related("parent")
        if version is not None:
            self.filters["article"].queryset = version.articles.select_related("parent")
        self.form.fields["article"].label_from_instance = lambda a: a.label

    def search(self, queryset, name, value):
        for word in normalize_search(value).split()[:8]:
            queryset = queryset.filter(text_search__contains=word)
        return queryset

    def filter_answered(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(status=Comment.Status.ANSWERED)
        if value == "no":
            return queryset.exclude(status__in=[Comment.Status.ANSWERED, Comment.Status.MERGED])
        return queryset
