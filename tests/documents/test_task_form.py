"""The task form speaks Vietnamese: "Thường xuyên" takes "hằng quý", not "quarterly" (issue 10 item 9)."""

from portal.documents.forms import DUE_HELP, TaskForm, task_initial
from portal.documents.models import Task


def _form(value):
    return TaskForm(
        {"lead": "Văn phòng", "description": "Báo cáo", "due_kind": Task.Due.ONGOING, "due_value": value}
    )


def test_help_names_rhythms_in_vietnamese():
    assert "quarterly" not in DUE_HELP and "monthly" not in DUE_HELP
    assert "hằng tháng / hằng quý / 6 tháng / hằng năm" in DUE_HELP


def test_rhythm_typed_in_vietnamese_is_understood():
    form = _form("Hằng tháng")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == {"ongoing": "monthly"}
    empty = _form("")
    assert empty.is_valid() and empty.cleaned_data["due"] == {"ongoing": "quarterly"}


def test_unknown_rhythm_is_refused_in_vietnamese():
    form = _form("weekly")
    assert not form.is_valid()
    assert form.errors["due_value"] == ["Chế độ báo cáo phải là: hằng tháng / hằng quý / 6 tháng / hằng năm"]


def test_existing_task_shows_its_rhythm_label():
    task = Task(due_kind=Task.Due.ONGOING, rhythm="half_yearly", lead="x", description="y")
    assert task_initial(task)["due_value"] == "6 tháng"
