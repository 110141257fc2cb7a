import pytest

from portal.demo import seed_core
from portal.documents import demo
from portal.documents.models import Document


@pytest.mark.django_db
def test_demo_seed_is_idempotent():
    core = seed_core()
    demo.seed(core)
    demo.seed(core)
    docs = Document.objects.filter(commune=core.commune)
    assert docs.count() == 3
    assert docs.filter(status="issued").count() == 1 and docs.filter(status="draft").count() == 2
    assert docs.get(layout="party").parent_organ.startswith("ĐẢNG BỘ")
    assert docs.get(status="issued").issued_by.username == "chutich"
