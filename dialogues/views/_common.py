from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from portal.access import access_for
from portal.models import AdministrativeUnit, Role


def flash_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_errors_to_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def user_commune(request) -> AdministrativeUnit:
    """The commune the signed-in person works for (a village head: their village's commune); 404 if none."""
    access = access_for(request.user)
    for m in access.memberships:
        if m.commune_id:
            return m.unit if m.unit.level == AdministrativeUnit.Level.COMMUNE else m.unit.parent
    if access.is_superuser:
        unit = (
            AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE).order_by("id").first()
        )
        if unit:
            return unit
    raise Http404("Bạn chưa được gán vào xã nào.")


def require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def headed_villages(request):
    access = access_for(request.user)
    return [m.unit for m in access.memberships if m.role == Role.VILLAGE_HEAD]


def list_commune(request) -> AdministrativeUnit:
    """The commune whose list is shown: ``?xa=<code>`` names one the person may read (an overseer reads every commune
    below them; the rule is dialogues.view_petition on the commune), 404 otherwise; without it, their own commune."""
    code = request.GET.get("xa", "")
    if not code:
        return user_commune(request)
    commune = AdministrativeUnit.objects.filter(
        code=code[:16], level=AdministrativeUnit.Level.COMMUNE
    ).first()
    if commune is None or not request.user.has_perm("dialogues.view_petition", commune):
        raise Http404("Không tìm thấy xã hoặc bạn không theo dõi xã này.")
    return commune
