"""The register books in the admin: a correction of a book's last number goes through the audited service."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from portal.documents.models import NumberRegister, ReservedNumber
from portal.documents.services import register_correct
from portal.forms import PortalModelForm


class NumberRegisterForm(PortalModelForm):
    reason = forms.CharField(label="Lý do sửa", max_length=300, help_text="Được ghi vào nhật ký (audit)")

    class Meta:
        model = NumberRegister
        fields = ["last_number", "reason"]


@admin.register(NumberRegister)
class NumberRegisterAdmin(admin.ModelAdmin):
    form = NumberRegisterForm
    list_display = ["issuer", "group", "year", "last_number"]
    list_filter = ["group", "year"]
    readonly_fields = ["issuer", "group", "year"]

    def has_add_permission(self, request):
        return False  # books open themselves when the first number is given

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            register_correct(
                register=obj,
                last_number=form.cleaned_data["last_number"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:  # shown on the change form instead of a crash
            self.message_user(request, " ".join(exc.messages), level="error")


@admin.register(ReservedNumber)
class ReservedNumberAdmin(admin.ModelAdmin):
    """Read-only: numbers are held back on the register page (``register_reserve``, audited), never edited here."""

    list_display = ["issuer", "group", "year", "number", "reason", "reserved_by", "reserved_at", "used_by"]
    list_filter = ["group", "year"]
    list_select_related = ["issuer", "reserved_by", "used_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
