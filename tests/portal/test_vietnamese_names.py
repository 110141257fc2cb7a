"""Every model people meet in the admin has a Vietnamese name (issue 10 item 9): no "Chọn meeting để thay đổi"."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation
from django.utils.text import camel_case_to_spaces

OUR_APPS = ("portal", "consultations", "dialogues", "campaigns")


def _models():
    return [m for m in apps.get_models() if m.__module__.startswith(OUR_APPS) or m in admin.site._registry]


@pytest.mark.parametrize("model", _models(), ids=lambda m: m._meta.label)
def test_model_has_a_vietnamese_name(model):
    with translation.override("vi"):
        name, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
    default = camel_case_to_spaces(model.__name__)
    assert name.lower() != default and plural.lower() not in (f"{default}s", default), (name, plural)
    assert not name.isascii() or model._meta.app_label == "auth", name


def test_third_party_apps_are_named_in_vietnamese():
    assert apps.get_app_config("django_q").verbose_name == "Công việc chạy nền"
    assert apps.get_app_config("axes").verbose_name == "Bảo vệ đăng nhập"


def test_select_empty_choice_reads_vietnamese():
    """Issue 10 item 8: a select's empty choice never reads "---------" (forms and filters)."""
    from django import forms

    from consultations.filters import CommentFilter
    from portal.forms import PortalForm
    from portal.models import AdministrativeUnit, Organization

    class Form(PortalForm):
        unit = forms.ModelChoiceField(queryset=AdministrativeUnit.objects.none(), required=False)
        kind = forms.TypedChoiceField(choices=[("", "---------"), *Organization.Kind.choices], required=False)

    html = str(Form())
    assert "---------" not in html and "— Chọn —" in html
    assert "---------" not in str(CommentFilter.base_filters["village"].field.widget.render("v", ""))
