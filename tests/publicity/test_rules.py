import pytest

from portal.publicity.models import Posting
from tests.publicity.factories import make_budget

pytestmark = pytest.mark.django_db


def test_roles_matrix(
    settings,
    tmp_path,
    commune,
    village,
    other_village,
    staff,
    leader,
    village_head,
    other_village_head,
    mttq,
    radio,
    overseer,
    other_staff,
    citizen,
):
    settings.MEDIA_ROOT = str(tmp_path)
    pub = make_budget(commune, staff)
    mine = pub.postings.get(kind=Posting.Kind.VILLAGE_HOUSE, village=village)
    office = pub.postings.get(kind=Posting.Kind.OFFICE)
    on_air = pub.postings.get(kind=Posting.Kind.RADIO)
    expected = {
        # user: (view, change, confirm village posting, confirm office, log radio)
        staff: (True, True, True, True, True),
        leader: (True, True, True, True, True),
        village_head: (True, False, True, False, False),
        other_village_head: (True, False, False, False, False),
        mttq: (True, False, False, False, False),
        radio: (True, False, False, False, True),
        overseer: (True, False, False, False, False),
        # What was publicized (Điều 11) is public: anyone signed in reads its page, nobody else acts on it.
        other_staff: (True, False, False, False, False),
        citizen: (True, False, False, False, False),
    }
    for user, (view, change, confirm_mine, confirm_office, log) in expected.items():
        got = (
            user.has_perm("publicity.view_publication", pub),
            user.has_perm("publicity.change_publication", pub),
            user.has_perm("publicity.confirm_posting", mine),
            user.has_perm("publicity.confirm_posting", office),
            user.has_perm("publicity.log_broadcast", on_air),
        )
        assert got == (view, change, confirm_mine, confirm_office, log), user.username
