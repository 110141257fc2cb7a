"""Every text field of the dialogues app has a size limit that holds in the model's validation (not only in the
form), and every date typed by people has a sane range."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from dialogues.models import Dialogue
from tests.dialogues.factories import MEETING_DAY, make_dialogue, ubnd
from tests.portal.factories import at

pytestmark = pytest.mark.django_db


def test_every_text_field_has_a_limit_enforced_by_validation():
    for model in apps.get_app_config("dialogues").get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField):
                assert field.max_length, f"{model.__name__}.{field.name}"
                assert any(getattr(v, "limit_value", None) == field.max_length for v in field.validators), (
                    f"{model.__name__}.{field.name}"
                )
            elif isinstance(field, models.CharField):
                assert field.max_length, f"{model.__name__}.{field.name}"


def test_too_long_conclusion_is_refused_by_full_clean(commune, village, staff):
    ubnd(commune)
    dialogue = make_dialogue(commune=commune, by=staff, villages=[village])
    dialogue.conclusion = "x" * 10001
    with pytest.raises(ValidationError) as err:
        dialogue.full_clean()
    assert "conclusion" in err.value.message_dict
    assert Dialogue.objects.get(pk=dialogue.pk).conclusion == ""


@pytest.mark.parametrize("day", [dt.date(1999, 12, 31), dt.date(2101, 1, 1)])
def test_dates_outside_the_sane_range_are_refused(commune, village, staff, day):
    with pytest.raises(ValidationError, match="không hợp lệ"):
        make_dialogue(commune=commune, by=staff, villages=[village], day=day, planned=MEETING_DAY)


def test_year_report_of_an_absurd_year_is_refused(commune, staff):
    from dialogues.services.documents import year_report_document

    ubnd(commune)
    with pytest.raises(ValidationError, match="Năm 1990 không hợp lệ"):
        year_report_document(commune=commune, year=1990, by=staff, now=at(MEETING_DAY))
