import pytest

from portal.documents.models import Document
from portal.documents.services import document_create_from_spec, document_issue
from portal.models import Organization
from tests.documents.factories import minimal_spec
from tests.factories import OrganizationFactory


@pytest.fixture
def users(staff, leader, village_head, mttq, union_rep, radio, overseer, other_staff, citizen):
    return {
        "staff": staff,
        "leader": leader,
        "village_head": village_head,
        "mttq": mttq,
        "union": union_rep,
        "radio": radio,
        "overseer": overseer,
        "other_staff": other_staff,
        "citizen": citizen,
    }


def allowed(users, perm, obj):
    return {name for name, u in users.items() if u.has_perm(perm, obj)}


@pytest.mark.django_db
def test_permission_matrix(commune, orgs, users):
    draft = document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=None, commune=commune)
    assert allowed(users, "documents.view_document", draft) == {
        "staff",
        "leader",
        "mttq",
        "union",
        "radio",
        "overseer",
    }
    assert allowed(users, "documents.change_document", draft) == {"staff", "leader"}
    assert allowed(users, "documents.issue_document", draft) == {"leader"}
    issued = document_issue(document=draft, by=None)
    assert allowed(users, "documents.view_document", issued) == {
        "staff",
        "leader",
        "mttq",
        "union",
        "overseer",
        "village_head",
        "radio",
    }
    assert allowed(users, "documents.change_document", issued) == set()
    assert allowed(users, "documents.issue_document", issued) == set()
    assert allowed(users, "documents.new_version_document", issued) == {"staff", "leader"}
    task = issued.tasks.first()
    assert allowed(users, "documents.report_task", task) == {"staff", "leader", "mttq", "union"}


@pytest.mark.django_db
def test_model_plan_permissions(commune, users):
    province_org = OrganizationFactory(
        unit=commune.parent,
        kind=Organization.Kind.PEOPLES_COMMITTEE,
        name="Ủy ban nhân dân tỉnh",
        short_name="UBND",
    )
    model = document_create_from_spec(
        spec=minimal_spec(), issuer=province_org, by=users["overseer"], commune=None
    )
    assert allowed(users, "documents.view_document", model) == {"overseer"}
    assert allowed(users, "documents.change_document", model) == {"overseer"}
    model = document_issue(document=model, by=users["overseer"])
    assert allowed(users, "documents.view_document", model) == {"overseer", "staff", "leader", "other_staff"}
    assert allowed(users, "documents.copy_model_document", model) == {"staff", "leader", "other_staff"}
    assert Document.objects.get(pk=model.pk).commune_id is None


@pytest.mark.django_db
def test_selector_agrees_with_view_rule(commune, orgs, users):
    from portal.documents.selectors import document_list

    province_org = OrganizationFactory(
        unit=commune.parent,
        kind=Organization.Kind.PEOPLES_COMMITTEE,
        name="Ủy ban nhân dân tỉnh",
        short_name="UBND",
    )
    docs = [
        document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=None, commune=commune),
        document_issue(
            document=document_create_from_spec(
                spec=minimal_spec(), issuer=orgs["ĐU"], by=None, commune=commune
            ),
            by=None,
        ),
        document_create_from_spec(spec=minimal_spec(), issuer=province_org, by=None, commune=None),
        document_issue(
            document=document_create_from_spec(
                spec=minimal_spec(), issuer=province_org, by=None, commune=None
            ),
            by=None,
        ),
    ]
    for name, user in users.items():
        listed = set(document_list(user=user).values_list("pk", flat=True))
        permitted = {d.pk for d in docs if user.has_perm("documents.view_document", d)}
        assert listed == permitted, name
