"""Form pieces every citizen form carries: the one-time form token and the honeypot."""

from __future__ import annotations

import uuid

from django import forms

from portal.intake.tokens import TOKEN_MAX_LENGTH

HONEYPOT_FIELD = "website"


def new_form_token() -> str:
    return uuid.uuid4().hex


def form_token_field() -> forms.CharField:
    """A hidden field; give it ``initial=new_form_token()`` per rendered form (see :func:`with_new_token`)."""
    return forms.CharField(widget=forms.HiddenInput, max_length=TOKEN_MAX_LENGTH)


class HoneypotField(forms.CharField):
    """An input a person never sees (hide its wrapper with the ``hp-field`` class and ``aria-hidden``): a bot that
    fills every input fills it too. Check it with :func:`honeypot_tripped` before calling the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Để trống ô này")
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
        super().__init__(**kwargs)


def with_new_token(kwargs: dict, field: str = "form_token") -> dict:
    """In a form's ``__init__``: ``kwargs = with_new_token(kwargs)`` gives each unbound form a fresh token."""
    kwargs.setdefault("initial", {}).setdefault(field, new_form_token())
    return kwargs


def honeypot_tripped(form: forms.Form, field: str = HONEYPOT_FIELD) -> bool:
    """True when the hidden field was filled (on a bound form, raw data, so it works even if the form is invalid)."""
    return bool((form.data.get(form.add_prefix(field)) or "").strip())
