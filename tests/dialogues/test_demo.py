import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from dialogues.models import Dialogue, Petition, SurveyResponse
from portal.models import Deadline


@pytest.mark.django_db
def test_seed_demo_twice_gives_several_states_and_an_overdue_petition(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    counts = (Dialogue.objects.count(), Petition.objects.count(), SurveyResponse.objects.count())
    call_command("seed_demo")
    assert (Dialogue.objects.count(), Petition.objects.count(), SurveyResponse.objects.count()) == counts
    assert {"draft", "noticed", "reviewed"} <= set(Dialogue.objects.values_list("status", flat=True))
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert {"received", "assigned", "answered", "forwarded", "reopened"} - {"answered"} <= statuses
    overdue = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Petition),
        rule_code="dialogue.petition_answer",
        status=Deadline.Status.OPEN,
        due_date__lt=timezone.localdate(),
    )
    assert overdue.count() == 1
    held = Dialogue.objects.get(status="reviewed")
    assert held.conclusion_document.status != "draft" and held.result_publicized_on
