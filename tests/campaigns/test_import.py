"""Criteria sets from YAML and XLSX: every FORMAT.md example imports; errors are line/row-precise; all or nothing."""

import io
import re
from decimal import Decimal as D  # noqa: N817 - short for the tables
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from campaigns import services
from campaigns.importing import CriteriaImportError
from campaigns.models import CriteriaSet, Criterion
from portal.models import Role
from tests.factories import ProvinceFactory, make_user

ROOT = Path(__file__).resolve().parents[2]
FORMAT = (ROOT / "campaigns" / "FORMAT.md").read_text(encoding="utf-8")
FIXTURES = ROOT / "campaigns" / "fixtures"


def yaml_examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", FORMAT, flags=re.S)


def markdown_tables() -> list[list[list[str]]]:
    tables, current = [], []
    for line in FORMAT.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(set(c) <= {"-"} for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def workbook_from_format() -> bytes:
    """The XLSX example of FORMAT.md, built cell by cell from its two tables."""
    tables = markdown_tables()
    info = next(t for t in tables if t[0] == ["A", "B"])
    criteria = next(t for t in tables if t[0][0] == "Mã")
    return build_xlsx(info[1:], criteria)


def build_xlsx(info_rows, criteria_rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Bộ tiêu chí"
    for row in info_rows:
        ws.append(row)
    ws2 = wb.create_sheet("Tiêu chí")
    for row in criteria_rows:
        ws2.append([(float(c) if re.fullmatch(r"\d+(\.\d+)?", c) else c) or None for c in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def province(db):
    return ProvinceFactory(name="Bắc Ninh")


@pytest.fixture
def overseer(province):
    return make_user(Role.OVERSEER, province)


def test_format_has_examples():
    assert len(yaml_examples()) == 2
    assert len(markdown_tables()) >= 4


@pytest.mark.parametrize("index", range(2))
def test_every_yaml_example_imports(index, province, overseer):
    text = yaml_examples()[index]
    cset = services.criteria_set_import(
        name="vi-du.yaml", content=text.encode(), owner_unit=province, by=overseer
    )
    leaves = cset.criteria.filter(kind="criterion")
    main = sum((c.max_points for c in leaves if not c.is_bonus), D(0))
    assert main + cset.bonus_cap + cset.reserved_points == cset.total_points


def test_example_one_tree_and_kinds(province):
    cset = services.criteria_set_import(
        name="a.yaml", content=yaml_examples()[0].encode(), owner_unit=province, by=None
    )
    c13 = cset.criteria.get(code="1.3")
    assert (c13.parent.code, c13.depth, c13.scoring, c13.levels) == ("1", 1, "fixed", ["0", "10", "20"])
    assert cset.criteria.get(code="T1").is_bonus and cset.criteria.get(code="T1").per_item == D(2)
    assert cset.criteria.get(code="2").kind == "criterion" and cset.criteria.get(code="2").step == D(1)
    assert cset.star_levels == [(3, D(80)), (4, D(90))]
    assert cset.criteria.get(code="1.1").metric == "consultations.results_on_time"


def test_xlsx_example_imports(province, overseer):
    cset = services.criteria_set_import(
        name="bo-tieu-chi.xlsx", content=workbook_from_format(), owner_unit=province, by=overseer
    )
    assert (cset.code, cset.final_rule, cset.total_points) == ("vi-du-excel", "mean", D(100))
    assert [c.code for c in cset.criteria.order_by("position")] == ["1", "1.1", "1.2", "2", "3", "4", "5"]
    assert cset.criteria.get(code="1.1").levels == ["0", "3", "6"]
    assert cset.criteria.get(code="5").scoring == "count" and cset.criteria.get(code="5").per_item == D(5)
    assert cset.star_levels == [(3, D(75)), (4, D(85))]
    assert str(cset.effective_from) == "2022-10-13"


@pytest.mark.parametrize("name", ["ctt_100_nam_nhom.yaml", "dvk_95_5.yaml"])
def test_fixture_sets_import(name, province):
    cset = services.criteria_set_import(
        name=name, content=(FIXTURES / name).read_bytes(), owner_unit=province, by=None
    )
    groups = cset.criteria.filter(parent=None, is_bonus=False)
    if name.startswith("ctt"):
        assert [int(g.max_points) for g in groups] == [20, 25, 20, 15, 20]
        assert cset.bonus_cap == 0
    else:
        assert sum(g.max_points for g in groups) == 95 and cset.bonus_cap == 5


BAD_YAML = """format: campaigns-criteria/1
code: sai
name: Bộ sai
effective_from: 2024-03-01
total: 100
final_rule: max
spread_threshold: 3
max_departure: 2
stars:
  - {stars: 3, min: 80}
criteria:
  - code: "1"
    title: Nhóm một
    max: 50
    criteria:
      - code: "1.1"
        title: Con
        max: 30
  - code: "2"
    title: Nhóm hai
    max: abc
    scoring: thang
"""


def test_yaml_errors_name_their_lines_and_store_nothing(province):
    with pytest.raises(CriteriaImportError) as exc:
        services.criteria_set_import(name="sai.yaml", content=BAD_YAML.encode(), owner_unit=province, by=None)
    errors = exc.value.errors
    assert "Dòng 6: cách tính điểm cuối (final_rule) phải là mean, median hoặc consensus." in errors
    assert any(
        e.startswith("Dòng 14: tiêu chí 1: điểm tối đa 50 khác tổng điểm các tiêu chí con 30") for e in errors
    )
    assert any(e.startswith("Dòng 21: điểm tối đa của tiêu chí 2 phải là một số") for e in errors)
    assert any(e.startswith("Dòng 22: tiêu chí 2: cách chấm phải là") for e in errors)
    assert not CriteriaSet.objects.exists() and not Criterion.objects.exists()


def test_yaml_syntax_error_has_its_line(province):
    with pytest.raises(CriteriaImportError) as exc:
        services.criteria_set_import(
            name="x.yml",
            content=b"format: campaigns-criteria/1\ncode: [x\nname: y\n",
            owner_unit=province,
            by=None,
        )
    assert exc.value.errors[0].startswith("Dòng ")


def test_xlsx_errors_name_sheet_and_row(province):
    tables = markdown_tables()
    info = next(t for t in tables if t[0] == ["A", "B"])[1:]
    criteria = [list(r) for r in next(t for t in tables if t[0][0] == "Mã")]
    criteria[2][2] = "7"  # 1.1 max 7: group 1 no longer adds up
    criteria.append(["9.1", "Mồ côi", "1", "", "", "", "", "", "", ""])
    with pytest.raises(CriteriaImportError) as exc:
        services.criteria_set_import(
            name="b.xlsx", content=build_xlsx(info, criteria), owner_unit=province, by=None
        )
    assert exc.value.errors == [
        "Trang “Tiêu chí”, dòng 9: tiêu chí 9.1 nằm dưới mã 9 nhưng chưa có dòng mã 9."
    ]
    criteria.pop()
    with pytest.raises(CriteriaImportError) as exc:
        services.criteria_set_import(
            name="b.xlsx", content=build_xlsx(info, criteria), owner_unit=province, by=None
        )
    assert any(
        e.startswith("Trang “Tiêu chí”, dòng 2: tiêu chí 1: điểm tối đa 20 khác") for e in exc.value.errors
    )
    assert not CriteriaSet.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", b"%PDF-1.4", "Chỉ nhận tệp .yaml, .yml hoặc .xlsx."),
        ("a.xlsx", b"not a zip", "Tệp .xlsx không đúng định dạng bảng tính Excel."),
        ("a.yaml", "x".encode("utf-16"), "Tệp YAML phải được lưu với mã UTF-8."),
        ("a.yaml", b"- 1\n- 2\n", "tệp phải là một bộ tiêu chí"),
    ],
)
def test_unreadable_files_are_refused(name, content, message, province):
    with pytest.raises(CriteriaImportError) as exc:
        services.criteria_set_import(name=name, content=content, owner_unit=province, by=None)
    assert message in exc.value.errors[0]


def test_same_code_and_version_twice_is_refused(province):
    text = yaml_examples()[1].encode()
    services.criteria_set_import(name="a.yaml", content=text, owner_unit=province, by=None)
    with pytest.raises(ValidationError, match="tăng số phiên bản"):
        services.criteria_set_import(name="a.yaml", content=text, owner_unit=province, by=None)
    assert CriteriaSet.objects.count() == 1


def test_unknown_metric_is_refused(province):
    text = yaml_examples()[0].replace("consultations.results_on_time", "khong.co").encode()
    with pytest.raises(CriteriaImportError) as exc:
        services.criteria_set_import(name="a.yaml", content=text, owner_unit=province, by=None)
    assert "chỉ số “khong.co” không có trên Cổng" in exc.value.errors[0]


def test_copy_province_set_to_district(province):
    from tests.factories import CommuneFactory

    district = CommuneFactory(level="district", kind="huyen", parent=province, name="Yên Thế")
    source = services.criteria_set_import(
        name="a.yaml", content=yaml_examples()[0].encode(), owner_unit=province, by=None
    )
    copy = services.criteria_set_copy(source=source, owner_unit=district, by=None)
    again = services.criteria_set_copy(source=source, owner_unit=district, by=None)
    assert (copy.owner_unit, copy.copied_from, copy.version, again.version) == (district, source, 1, 2)
    assert list(copy.criteria.values_list("code", "max_points", "scoring")) == list(
        source.criteria.values_list("code", "max_points", "scoring")
    )
    assert copy.criteria.get(code="1.1").parent.code == "1"


def test_import_needs_a_role(province):
    from django.core.exceptions import PermissionDenied

    nobody = make_user()
    with pytest.raises(PermissionDenied):
        services.criteria_set_import(
            name="a.yaml", content=yaml_examples()[1].encode(), owner_unit=province, by=nobody
        )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bo-tieu-chi.yaml", b"<html><script>alert(1)</script></html>"),
        ("bo-tieu-chi.yaml", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("bo-tieu-chi.yml", b"MZ\x90\x00\x03 a program"),
        ("bo-tieu-chi.xlsx", b"%PDF-1.7 a PDF under a spreadsheet's name"),
    ],
)
def test_disguised_criteria_files_are_refused_by_their_bytes(province, overseer, name, content):
    with pytest.raises(CriteriaImportError) as exc:
        services.criteria_set_import(name=name, content=content, owner_unit=province, by=overseer)
    assert "không đúng loại" in " ".join(exc.value.errors)
    assert not CriteriaSet.objects.exists()
