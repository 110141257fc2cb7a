"""portal/transitions.py: one table answers "what may I do here?", "why not yet?" and refuses illegal steps."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

from portal.transitions import Action, Guard, Reason, Workflow


class Status(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SENT = "sent", "Đã gửi"
    DONE = "done", "Xong"


class User:
    def __init__(self, *perms):
        self.perms = set(perms)

    def has_perm(self, perm, obj=None):
        return perm in self.perms


def send(*, letter, by, now=None, note=""):
    FLOW.require(letter, "gui", by=by, note=note)
    letter.status = Status.SENT
    return letter


FLOW = Workflow(
    "letter",
    noun="thư",
    states=Status,
    actions=[
        Action(
            "gui",
            label="Gửi",
            verb="gửi thư",
            source=[Status.DRAFT],
            target=Status.SENT,
            perm="app.send",
            guards=[
                Guard(lambda o, ctx: bool(o.body), "Thư chưa có nội dung", article="Điều 1 khoản 2"),
                Guard(lambda o, ctx: len(ctx["note"]) <= 5, "Ghi chú quá dài.", needs=("note",)),
                Guard(lambda o, ctx: True if o.copies < 3 else f"Đã có {o.copies} bản sao", article="Điều 9"),
            ],
            service="tests.portal.test_transitions.send",
        ),
        Action("xong", label="Xong", source=[Status.SENT], target=Status.DONE, perm="app.close"),
        Action("tu-dong", label="Tự động", source=[Status.SENT], perm="app.close", button=False),
        Action(
            "duyet",
            label="Duyệt",
            source=[Status.DRAFT],
            perm="app.approve",
            blocked_note="Lãnh đạo duyệt thư.",
            report_unmet=False,
            guards=[Guard(lambda o, ctx: False, "Không bao giờ.")],
        ),
    ],
)


def letter(**kw):
    return SimpleNamespace(**{"status": Status.DRAFT, "body": "", "copies": 0, **kw})


def test_unmet_guards_are_vietnamese_sentences_with_their_article():
    reasons = FLOW.unmet(letter(copies=4), "gui")
    assert [str(r) for r in reasons] == [
        "Thư chưa có nội dung (Điều 1 khoản 2).",
        "Đã có 4 bản sao (Điều 9).",
    ]
    assert FLOW.unmet(letter(body="x"), "gui", note="quá dài rồi") == [Reason("Ghi chú quá dài.")]
    assert FLOW.problems(letter()) == [Reason("Thư chưa có nội dung", "Điều 1 khoản 2")]  # not "duyet"'s


def test_available_actions_follow_state_and_permission():
    staff, leader = User("app.send"), User("app.send", "app.approve", "app.close")
    assert [a.name for a in FLOW.available(letter(), staff)] == ["gui"]
    assert [a.name for a in FLOW.available(letter(), leader)] == ["gui", "duyet"]
    assert [a.name for a in FLOW.available(letter(status=Status.SENT), leader)] == ["xong", "tu-dong"]
    buttons = FLOW.buttons(letter(), staff, url=lambda n: f"/x/{n}/")
    assert [(b.name, b.allowed, b.url) for b in buttons] == [
        ("gui", True, "/x/gui/"),
        ("duyet", False, "/x/duyet/"),
    ]
    assert buttons[1].blocked_note == "Lãnh đạo duyệt thư."
    sent = FLOW.buttons(letter(status=Status.SENT), leader, url=str)
    assert [b.name for b in sent] == ["xong"]  # the system's action has no button


def test_require_checks_permission_state_and_guards_at_once():
    with pytest.raises(PermissionDenied):
        FLOW.require(letter(body="x"), "gui", by=User())
    FLOW.require(letter(body="x"), "gui", by=None)  # the system
    with pytest.raises(ValidationError) as exc:
        FLOW.require(letter(status=Status.DONE, body="x"), "gui", by=None)
    assert exc.value.messages == [
        "Không thể gửi thư khi thư đang ở trạng thái “Xong” (chỉ được khi: Dự thảo)."
    ]
    with pytest.raises(ValidationError) as exc:
        FLOW.require(letter(copies=3), "gui", by=None, note="dài quá mức")
    assert len(exc.value.messages) == 3


def test_perform_dispatches_to_the_service_and_unknown_actions_are_404():
    done = FLOW.perform(letter(body="x"), "gui", by=User("app.send"))
    assert done.status == Status.SENT
    with pytest.raises(PermissionDenied):
        FLOW.perform(letter(body="x"), "gui", by=User())
    with pytest.raises(Http404):
        FLOW.action("khong-co")


def test_a_table_naming_an_unknown_state_is_refused():
    with pytest.raises(ValueError, match="unknown state"):
        Workflow("x", noun="x", states=Status, actions=[Action("a", label="A", source=["nope"], perm="p")])


def test_done_message_says_what_happened():
    letter = SimpleNamespace(status=Status.SENT, body="x", copies=0)
    assert FLOW.done_message(letter, "gui") == "Đã gửi thư; thư nay ở bước “Đã gửi”."
    assert FLOW.done_message(letter, "tu-dong") == "Đã tự động."
    said = Workflow(
        "x",
        noun="thư",
        states=Status,
        actions=[Action("a", label="A", source=[], perm="p", done=lambda o: o.body)],
    )
    assert said.done_message(letter, "a") == "x"
