import pytest
from django.core.management import call_command

from consultations.models import Consultation


@pytest.mark.django_db
def test_seed_demo_twice(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    n = Consultation.objects.count()
    statuses = set(Consultation.objects.values_list("status", flat=True))
    call_command("seed_demo")
    assert Consultation.objects.count() == n
    assert statuses == set(Consultation.Status.values), statuses
