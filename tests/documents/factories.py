"""Documents test helpers: the three fixtures' organizations and a minimal spec."""

from pathlib import Path

import pytest

from portal.models import Organization
from tests.factories import OrganizationFactory

FIXTURES = Path(__file__).resolve().parents[2] / "portal" / "documents" / "fixtures"
DIACRITICS = "ăâđêôơưĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


def orgs_for(commune):
    ubnd = OrganizationFactory(
        unit=commune,
        kind=Organization.Kind.PEOPLES_COMMITTEE,
        name=f"Ủy ban nhân dân xã {commune.name}",
        short_name="UBND",
    )
    du = OrganizationFactory(
        unit=commune,
        kind=Organization.Kind.PARTY_COMMITTEE,
        name=f"Đảng ủy xã {commune.name}",
        short_name="ĐU",
    )
    return {"UBND": ubnd, "ĐU": du}


def minimal_spec(**over):
    spec = {
        "type": "KH",
        "place": "Tân Trung",
        "title": "Thử nghiệm kế hoạch",
        "preamble": ["Căn cứ Luật Thực hiện dân chủ ở cơ sở;"],
        "sections": [
            {
                "heading": "MỤC ĐÍCH",
                "content": ["- Ý thứ nhất", "+ ý con", {"heading": "Con", "content": ["Đoạn."]}],
            },
            {"heading": "TỔ CHỨC THỰC HIỆN", "content": [{"tasks": True}]},
        ],
        "tasks": [{"lead": "Văn phòng", "do": "Làm việc A", "due": "2026-03-20"}],
        "recipients": ["UBND tỉnh (b/c)", "Các thôn"],
        "signature": {
            "authority": "TM",
            "organ": "ỦY BAN NHÂN DÂN",
            "position": "CHỦ TỊCH",
            "signer": "Trần Văn Hùng",
        },
    }
    spec.update(over)
    return spec


@pytest.fixture
def orgs(commune):
    return orgs_for(commune)
