import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.documents.models import Document, Section, Task
from portal.documents.specs import SpecError, parse_yaml
from tests.documents.factories import FIXTURES

BROKEN = """\
type: KH
place: Tân Trung
title: Kế hoạch thử
sections:
  - heading: MỤC ĐÍCH
    content:
      - "- ý một"
tasks:
  - lead: Văn phòng
    do: Làm việc
    due: {quarter: "V/2024"}
  - lead: Công đoàn
    do: Tổng hợp
    due: 2024-02-30
signature:
  authority: XYZ
  position: CHỦ TỊCH
"""


def test_errors_carry_line_numbers():
    with pytest.raises(SpecError) as exc:
        parse_yaml(BROKEN)
    messages = exc.value.messages()
    assert any(m.startswith("dòng 11:") and "quý" in m for m in messages), messages
    assert any(m.startswith("dòng 14:") and "ngày không hợp lệ" in m for m in messages), messages
    assert any(m.startswith("dòng 16:") for m in messages), messages


def test_yaml_syntax_error_has_line():
    with pytest.raises(SpecError) as exc:
        parse_yaml("type: KH\nsections:\n  - heading: [unclosed\nplace: x\n")
    assert exc.value.messages()[0].startswith("dòng ")


@pytest.mark.django_db
def test_import_command(commune, orgs, tmp_path, capsys):
    call_command("import_document", str(FIXTURES / "tan_trung_consultation_plan.yaml"), commune=commune.code)
    out = capsys.readouterr().out.strip()
    doc = Document.objects.get(pk=int(out))
    assert doc.commune_id == commune.pk and doc.tasks.count() == 7 and doc.status == "draft"
    bad = tmp_path / "bad.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    before = (Document.objects.count(), Section.objects.count(), Task.objects.count())
    with pytest.raises(CommandError):
        call_command("import_document", str(bad), commune=commune.code)
    assert "dòng 11:" in capsys.readouterr().err
    assert (Document.objects.count(), Section.objects.count(), Task.objects.count()) == before


@pytest.mark.django_db
def test_render_command(commune, orgs, tmp_path):
    from portal.documents.importing import import_document_text

    doc = import_document_text((FIXTURES / "duong_hoa_annual_plan_2023.yaml").read_text(), commune=commune)
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("yaml", b"form")):
        out = tmp_path / f"x.{fmt}"
        call_command("render_document", doc.pk, format=fmt, out=str(out))
        assert out.read_bytes()[:4].startswith(magic)


@pytest.mark.django_db
def test_export_roundtrip(commune, orgs):
    from portal.documents.importing import import_document_text
    from portal.documents.specs import document_to_spec, dump_yaml
    from portal.documents.structure import numbered_body

    doc = import_document_text((FIXTURES / "duong_hoa_annual_plan_2023.yaml").read_text(), commune=commune)
    again = import_document_text(dump_yaml(document_to_spec(doc)), commune=commune)
    strip = lambda nodes: [(n["label"], n["heading"], n["text"], strip(n["children"])) for n in nodes]  # noqa: E731
    assert strip(numbered_body(again)) == strip(numbered_body(doc))


@pytest.mark.django_db
def test_import_model_document_for_upper_unit(commune, capsys):
    from portal.models import Organization
    from tests.factories import OrganizationFactory

    OrganizationFactory(
        unit=commune.parent,
        kind=Organization.Kind.PEOPLES_COMMITTEE,
        name="Ủy ban nhân dân tỉnh",
        short_name="UBND",
    )
    call_command(
        "import_document", str(FIXTURES / "duong_hoa_annual_plan_2023.yaml"), unit=commune.parent.code
    )
    doc = Document.objects.get(pk=int(capsys.readouterr().out.strip()))
    assert doc.commune_id is None and doc.unit_id == commune.parent_id


@pytest.mark.django_db
def test_unknown_issuer_is_reported(commune, tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command(
            "import_document", str(FIXTURES / "duong_hoa_annual_plan_2023.yaml"), commune=commune.code
        )
    assert "dòng 4:" in capsys.readouterr().err and Document.objects.count() == 0


@pytest.mark.django_db
def test_json_is_accepted(commune, orgs):
    import json

    from portal.documents.importing import import_document_text
    from tests.documents.factories import minimal_spec

    doc = import_document_text(json.dumps(minimal_spec(issuer="UBND"), ensure_ascii=False), commune=commune)
    assert doc.tasks.get().due_date.isoformat() == "2026-03-20"


VALID = """\
type: TB
issuer: UBND
place: Tân Trung
date: 2024-03-05
title: Kết luận hội nghị đối thoại
sections:
  - heading: Nội dung
    content:
      - "- Ý thứ nhất"
recipients:
  - Như trên
signature:
  authority: KT
  head: CHỦ TỊCH
  position: PHÓ CHỦ TỊCH
  signer: Lê Minh Tuấn
"""


def _mutate(old, new):
    assert old in VALID
    return VALID.replace(old, new)


BAD_INPUTS = {
    "wrong type of value": (
        _mutate("recipients:\n  - Như trên\n", "recipients: {a: 1}\n"),
        ["dòng 10: phải là một danh sách (nơi nhận)"],
    ),
    "list where text is expected": (
        _mutate("title: Kết luận hội nghị đối thoại", "title: [Kết luận, hội nghị]"),
        ["dòng 5: phải là một chuỗi văn bản, không phải một danh sách (trích yếu)"],
    ),
    "missing title": (
        _mutate("title: Kết luận hội nghị đối thoại\n", ""),
        ["thiếu khóa 'title' (trích yếu)"],
    ),
    "empty title": (
        _mutate("title: Kết luận hội nghị đối thoại", "title: ''"),
        ["dòng 5: không được để trống"],
    ),
    "bad date": (_mutate("2024-03-05", "2024-02-30"), ["dòng 4: ngày không hợp lệ: '2024-02-30'"]),
    "unknown key with a suggestion": (
        _mutate("title:", "titel:"),
        ["dòng 5: khóa không hợp lệ: 'titel' (có phải 'title'?)", "thiếu khóa 'title'"],
    ),
    "unknown nested key": (
        _mutate("  signer: Lê Minh Tuấn", "  signer: Lê Minh Tuấn\n  seal: true"),
        ["dòng 17: khóa không hợp lệ: 'seal'"],
    ),
    "unknown type": (
        _mutate("type: TB", "type: THONGBAO"),
        ["dòng 1: loại văn bản không hợp lệ: 'THONGBAO'"],
    ),
    "unquoted sentence with a colon": (
        _mutate('      - "- Ý thứ nhất"', "      - Thời gian: từ ngày 01/3/2024"),
        ['dòng 9: câu có dấu hai chấm ": "', '"- Thời gian: từ ngày 01/3/2024"'],
    ),
    "unquoted dash item": (
        _mutate('      - "- Ý thứ nhất"', "      - - Ý thứ nhất"),
        ["dòng 9: ý gạch đầu dòng phải đặt trong ngoặc kép"],
    ),
    "archive line among the recipients": (
        _mutate("  - Như trên\n", "  - Như trên\n  - Lưu: VT\n"),
        ['dòng 12: dòng "Lưu: VT" ghi ở khóa archive'],
    ),
    "yes read as a boolean": (
        _mutate("signer: Lê Minh Tuấn", "signer: yes"),
        ["dòng 16: phải là một chuỗi văn bản (YAML"],
    ),
    "tab indentation": (
        _mutate("  authority: KT", "\tauthority: KT"),
        ["dòng 13: lỗi cú pháp YAML", "phím Tab"],
    ),
    "KT without the head's title": (
        _mutate("  head: CHỦ TỊCH\n", ""),
        ["ký KT. phải ghi chức vụ người đứng đầu (head)"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_files_give_line_precise_vietnamese_errors_and_create_nothing(
    case, commune, orgs, tmp_path, capsys
):
    text, expected = BAD_INPUTS[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="không tạo văn bản nào"):
        call_command("import_document", str(path), commune=commune.code)
    err = capsys.readouterr().err
    for fragment in expected:
        assert fragment in err, err
    assert (Document.objects.count(), Section.objects.count(), Task.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_the_valid_base_of_the_bad_inputs_imports(commune, orgs):
    from portal.documents.importing import import_document_text

    doc = import_document_text(VALID, commune=commune)
    assert doc.doc_type == "TB" and doc.sig_authority == "KT"


def test_legal_bases_closed_by_a_proposal_are_italic_by_default():
    from portal.documents.specs import parse_spec
    from tests.documents.factories import minimal_spec

    bases = ["Căn cứ Luật Thực hiện dân chủ ở cơ sở;", "Theo đề nghị của công chức Văn phòng - Thống kê."]
    assert parse_spec(minimal_spec(preamble=bases)).fields["preamble_style"] == "italic"
    assert (
        parse_spec(minimal_spec(preamble=["Thực hiện Kế hoạch số 18/KH-UBND"])).fields["preamble_style"]
        == "plain"
    )


@pytest.mark.django_db
def test_issuer_by_full_name_or_defaulted(commune, orgs):
    from portal.documents.importing import import_document_text

    by_name = import_document_text(
        VALID.replace("issuer: UBND", f"issuer: {orgs['UBND'].name.upper()}"), commune=commune
    )
    assert by_name.issuer == orgs["UBND"]
    without = import_document_text(VALID.replace("issuer: UBND\n", ""), commune=commune)
    assert without.issuer == orgs["UBND"]
    party = import_document_text(VALID.replace("issuer: UBND\n", "layout: party\n"), commune=commune)
    assert party.issuer == orgs["ĐU"]
    with pytest.raises(SpecError) as exc:
        import_document_text(VALID.replace("issuer: UBND", "issuer: UBMTTQ"), commune=commune)
    assert exc.value.messages() == [
        "dòng 2: không tìm thấy cơ quan 'UBMTTQ' thuộc Tân Trung; các cơ quan hiện có: UBND, ĐU (cơ quan ban hành)"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_fixture_survives_export_and_reimport(commune, orgs, path):
    from portal.documents.importing import import_document_text
    from portal.documents.rendering import document_context
    from portal.documents.specs import document_to_spec, dump_yaml

    doc = import_document_text(path.read_text(encoding="utf-8"), commune=commune)
    spec = document_to_spec(doc)
    if doc.registered_late:  # its number is taken in this commune's book now: re-register it elsewhere
        from tests.documents.factories import orgs_for

        other = type(commune).objects.create(
            name="Khác", code=commune.code + "9", level=commune.level, parent=commune.parent
        )
        orgs_for(other)
        again = import_document_text(dump_yaml(spec), commune=other)
    else:
        again = import_document_text(dump_yaml(spec), commune=commune)
    keys = (
        "organ_lines",
        "number_line",
        "type_name",
        "title",
        "addressees",
        "enacting_authority",
        "enacting",
        "preamble_text",
        "closing",
        "recipients",
        "archive",
        "signature",
        "signer",
        "party",
    )
    first, second = document_context(doc), document_context(again)
    assert {k: second[k] for k in keys} == {k: first[k] for k in keys}

    def strip(nodes):
        return [(n["label"], n["heading"], n["text"], n.get("data"), strip(n["children"])) for n in nodes]

    assert strip(second["body"]) == strip(first["body"])


MORE_BAD = {
    "tab": (_mutate("  authority: KT", "\tauthority: KT"), "dòng 13: lỗi cú pháp YAML: có ký tự Tab"),
    "colon inside a value": (
        _mutate("title: Kết luận hội nghị đối thoại", "title: Kết luận: hội nghị: đối thoại"),
        'dòng 5: lỗi cú pháp YAML: có dấu hai chấm ": " giữa câu',
    ),
    "unclosed quote": (_mutate("signer: Lê Minh Tuấn", 'signer: "Lê Minh Tuấn'), "thiếu dấu ngoặc kép đóng"),
    "missing top-level key": (_mutate("place: Tân Trung\n", ""), "dòng 1: thiếu khóa 'place' (địa danh)"),
    "missing key of the signature": (
        _mutate("  position: PHÓ CHỦ TỊCH\n", ""),
        "dòng 13: thiếu chức vụ người ký (chữ ký, chức vụ)",
    ),
    "bad due of the second task": (
        VALID + "tasks:\n  - {lead: VP, do: A}\n  - lead: VP\n    do: B\n    due: Quý I năm 2024\n",
        "dòng 21: thời hạn viết bằng lời chưa đọc được: 'Quý I năm 2024'; hãy viết due: {quarter: \"I/2024\"}",
    ),
}


@pytest.mark.parametrize("case", list(MORE_BAD), ids=list(MORE_BAD))
def test_messages_are_vietnamese_with_a_line_and_no_technical_path(case):
    from portal.documents.specs import SpecError, parse_yaml

    text, expected = MORE_BAD[case]
    with pytest.raises(SpecError) as exc:
        parse_yaml(text)
    messages = exc.value.messages()
    assert any(expected in m for m in messages), messages
    for m in messages:
        assert m.startswith("dòng "), m
        assert not re.search(r"\((?:[a-z_]+\.)+[a-z_0-9]+\)|\b(found|expected|while scanning)\b", m), m


@pytest.mark.django_db
def test_commune_option_refuses_a_unit_that_is_not_a_commune(commune, tmp_path):
    from portal.models import AdministrativeUnit

    town = AdministrativeUnit.objects.create(
        level=AdministrativeUnit.Level.DISTRICT,
        kind=AdministrativeUnit.Kind.TOWN,
        name="Sa Pa",
        code="TX-SAPA",
        parent=commune.parent,
    )
    assert str(town) == "Thị xã Sa Pa"  # not "Huyện Sa Pa"
    path = tmp_path / "kh.yaml"
    path.write_text(
        (FIXTURES / "sa_pa_town_implementation_plan_2024.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(
        CommandError,
        match="Mã TX-SAPA là Thị xã Sa Pa, không phải xã, phường, thị trấn; văn bản của cấp trên dùng --unit",
    ):
        call_command("import_document", str(path), commune="TX-SAPA")
    assert Document.objects.count() == 0


def test_unit_kinds_for_towns_cities_wards_and_townships():
    from portal.models import AdministrativeUnit

    labels = dict(AdministrativeUnit.Kind.choices)
    assert labels["thi_xa"] == "Thị xã" and labels["tp_thuoc_tinh"] == "Thành phố"
    assert labels["phuong"] == "Phường" and labels["thi_tran"] == "Thị trấn"
