"""Workflow transitions as data: one declarative table per workflow drives the services' guards, the views'
dispatch, the buttons and the "Điều kiện chưa đáp ứng" list.

Declare a workflow once, in the app (e.g. ``consultations/workflow.py``)::

    from portal.transitions import Action, Guard, Workflow

    LAW = "Luật 10/2022/QH15"
    CONSULTATION = Workflow(
        "consultation",
        noun="cuộc lấy ý kiến",                       # "Không thể công bố khi cuộc lấy ý kiến đang ở trạng thái …"
        states=Consultation.Status,                   # a TextChoices; the object's ``status`` field holds one
        actions=[
            Action(
                "cong-bo",                            # the slug in the URL (view dispatch) and the table key
                label="Công bố",                      # the button
                verb="công bố",                       # "Không thể {verb} khi …"
                source=["draft"],                     # states in which it may happen
                target="open",                        # informational (the service decides when it varies)
                perm="consultations.change_consultation",   # who: a django-rules permission on the object
                service="consultations.services.consultation_publish",   # called by perform()
                form="consultations.forms.PublishForm",                  # its input, if any
                legend="2. Công bố kế hoạch và dự thảo",                 # a fieldset around the form
                guards=[
                    Guard(lambda c, ctx: c.plan_issued_on is not None,
                          "Chưa ban hành kế hoạch lấy ý kiến", article=f"Điều 28 khoản 1 {LAW}"),
                ],
                context=lambda c: {"publicized_on": c.opens_on},   # what guards see when no input is given
            ),
        ],
    )

Then:

- services: ``CONSULTATION.require(obj, "cong-bo", by=by, publicized_on=d)`` checks the permission (``by=None`` is
  the system), the state (a Vietnamese message naming the allowed states) and every guard (one ValidationError
  listing each unmet one with its article). ``CONSULTATION.unmet(obj, "cong-bo", **ctx)`` returns the reasons
  (:class:`Reason`, ``str()`` gives the sentence) without raising.
- views: ``CONSULTATION.action(slug)`` (Http404 for an unknown slug), ``action.form_class()``, then
  ``CONSULTATION.perform(obj, slug, by=request.user, **cleaned_data)`` calls the service, then
  ``CONSULTATION.done_message(obj, slug)`` says what happened (``Action(done=...)``, else "Đã {verb}; … nay ở bước …").
- templates: ``CONSULTATION.buttons(obj, user, forms=..., url=lambda slug: reverse(...))`` gives the buttons of the
  current state that the user may press (rendered by ``includes/workflow_actions.html``), and
  ``CONSULTATION.problems(obj)`` the unmet guards of the current state's actions (``includes/unmet_conditions.html``).
- ``CONSULTATION.available(obj, user)``: the actions of the current state the user may perform.

A guard's ``check(obj, ctx)`` returns True when met, False when not, or the unmet sentence itself (when the check
counted something worth naming). Its ``message`` is a string or ``message(obj, ctx)`` for one that
names values; the article is appended in parentheses unless the message already cites it. A guard with
``needs=("issued_on",)`` is only checked when ``ctx`` has those keys (a date the person types in).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.module_loading import import_string

from portal.access import require_perm


@dataclass(frozen=True)
class Reason:
    """One unmet condition: a Vietnamese sentence and the legal article it comes from."""

    message: str
    article: str = ""

    def __str__(self) -> str:
        if not self.article or self.article in self.message:
            return self.message
        return f"{self.message.rstrip('.')} ({self.article})."


@dataclass(frozen=True)
class Guard:
    check: Callable[[Any, dict], bool | str]
    message: str | Callable[[Any, dict], str] = ""
    article: str = ""
    needs: tuple[str, ...] = ()

    def reason(self, obj, ctx: dict) -> Reason | None:
        if any(ctx.get(k) is None for k in self.needs):
            return None
        result = self.check(obj, ctx)
        if result is True:
            return None
        if isinstance(result, str):  # unmet, and the check already worded why (it counted something)
            return Reason(result, self.article)
        message = self.message(obj, ctx) if callable(self.message) else self.message
        return Reason(message, self.article)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    source: Iterable[str]
    perm: str
    verb: str = ""
    target: str | None = None
    guards: Iterable[Guard] = ()
    service: str = ""
    form: str = ""
    legend: str = ""
    secondary: bool = False
    # What the guards see when no input is given (the "Điều kiện chưa đáp ứng" list).
    context: Callable[[Any], dict] | None = None
    # Shown only when this returns True (e.g. "create the plan document" while it is still a draft).
    visible: Callable[[Any], bool] | None = None
    # A label that depends on the object.
    label_for: Callable[[Any], str] | None = None
    # A muted line under the button (may use the object), and what people without the permission read instead.
    note: Callable[[Any], str] | str = ""
    blocked_note: str = ""
    # List this action's unmet guards on the page while its state lasts.
    report_unmet: bool = True
    # False: only the system performs it (a scheduled task); no button.
    button: bool = True
    # What the person reads once it is done (may use the reloaded object): say what happened, not only the state.
    done: Callable[[Any], str] | str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", tuple(self.source))
        object.__setattr__(self, "guards", tuple(self.guards))

    def form_class(self):
        return import_string(self.form) if self.form else None

    def service_function(self):
        return import_string(self.service)


@dataclass
class Button:
    """An action as the page shows it: its label, where it posts, its form and notes."""

    action: Action
    label: str
    url: str
    form: Any = None
    note: str = ""
    allowed: bool = True  # False: the person reads ``action.blocked_note`` instead of a form

    @property
    def name(self) -> str:
        return self.action.name

    @property
    def legend(self) -> str:
        return self.action.legend

    @property
    def secondary(self) -> bool:
        return self.action.secondary

    @property
    def blocked_note(self) -> str:
        return self.action.blocked_note


@dataclass
class Workflow:
    name: str
    noun: str
    states: Any  # a TextChoices class
    actions: list[Action] = field(default_factory=list)
    state_attr: str = "status"

    def __post_init__(self) -> None:
        self._by_name = {a.name: a for a in self.actions}
        if len(self._by_name) != len(self.actions):
            raise ValueError(f"workflow {self.name}: two actions share a name")
        for a in self.actions:
            for s in (*a.source, *([a.target] if a.target else [])):
                if s not in self.states.values:
                    raise ValueError(f"workflow {self.name}: action {a.name} names an unknown state {s!r}")

    # --- the table ---------------------------------------------------------------------------------------------
    def action(self, name: str) -> Action:
        """The action called ``name``; Http404 for an unknown one (a URL slug typed by hand)."""
        try:
            return self._by_name[name]
        except KeyError:
            raise Http404 from None

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_attr)

    def in_state(self, obj) -> list[Action]:
        state = self.state_of(obj)
        return [a for a in self.actions if state in a.source and (a.visible is None or a.visible(obj))]

    def available(self, obj, user) -> list[Action]:
        """Actions of the current state that ``user`` may perform (guards not checked: see :meth:`unmet`)."""
        return [a for a in self.in_state(obj) if user.has_perm(a.perm, obj)]

    # --- guards ------------------------------------------------------------------------------------------------
    def _context(self, action: Action, obj, ctx: dict) -> dict:
        base = action.context(obj) if action.context else {}
        return {**base, **ctx}

    def unmet(self, obj, name: str, **ctx) -> list[Reason]:
        """Every guard of action ``name`` that ``obj`` does not meet (the state and permission aside)."""
        action = self.action(name)
        ctx = self._context(action, obj, ctx)
        return [r for g in action.guards if (r := g.reason(obj, ctx)) is not None]

    def problems(self, obj) -> list[Reason]:
        """The unmet guards of every action of the current state that reports them (one list for the page)."""
        reasons: list[Reason] = []
        for a in self.in_state(obj):
            if a.report_unmet:
                reasons += [r for r in self.unmet(obj, a.name) if r not in reasons]
        return reasons

    def state_error(self, obj, action: Action) -> ValidationError | None:
        state = self.state_of(obj)
        if state in action.source:
            return None
        labels = ", ".join(str(self.states(s).label) for s in action.source)
        current = self.states(state).label
        return ValidationError(
            f"Không thể {action.verb or action.label.lower()} khi {self.noun} đang ở trạng thái “{current}” "
            f"(chỉ được khi: {labels})."
        )

    def require(self, obj, name: str, *, by=None, check_perm: bool = True, **ctx) -> None:
        """The services' guard check: permission (``by=None`` is the system), state, then every guard at once."""
        action = self.action(name)
        if check_perm:
            require_perm(by, action.perm, obj)
        error = self.state_error(obj, action)
        if error is not None:
            raise error
        reasons = self.unmet(obj, name, **ctx)
        if reasons:
            raise ValidationError([str(r) for r in reasons])

    def require_state(self, obj, name: str) -> None:
        error = self.state_error(obj, self.action(name))
        if error is not None:
            raise error

    # --- views and templates -----------------------------------------------------------------------------------
    def perform(self, obj, name: str, *, by, **kwargs):
        """Dispatch to the action's service (it re-checks everything); returns what the service returns."""
        action = self.action(name)
        if by is not None and not by.has_perm(action.perm, obj):
            raise PermissionDenied("Bạn không có quyền thực hiện việc này.")
        return action.service_function()(**{self.name: obj}, by=by, **kwargs)

    def done_message(self, obj, name: str) -> str:
        """The success message after ``name`` was performed on ``obj`` (reloaded): the action's ``done`` text, else
        what was done and, when the action moves the object, the state it is now in."""
        action = self.action(name)
        if action.done:
            return action.done(obj) if callable(action.done) else action.done
        what = f"Đã {action.verb or action.label[0].lower() + action.label[1:]}"
        if action.target is None:
            return f"{what}."
        state = self.states(self.state_of(obj)).label
        return f"{what}; {self.noun} nay ở bước “{state}”."

    def buttons(self, obj, user, *, url: Callable[[str], str], forms: dict | None = None) -> list[Button]:
        """The current state's actions as buttons: those the user may press, and those with a ``blocked_note``
        for the others (e.g. "the chairman records the adoption")."""
        forms = forms or {}
        out = []
        for a in self.in_state(obj):
            if not a.button:
                continue
            allowed = user.has_perm(a.perm, obj)
            if not allowed and not a.blocked_note:
                continue
            note = a.note(obj) if callable(a.note) else a.note
            label = a.label_for(obj) if a.label_for else a.label
            out.append(Button(a, label, url(a.name), forms.get(a.name), note, allowed))
        return out
