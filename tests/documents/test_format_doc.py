"""FORMAT.md is what a reviewer or a clerk reads to write a document by hand: every YAML example in it must
import (complete documents) or parse inside a minimal document (fragments), and every key it documents must be the
parser's, and the other way round."""

import io
import re

import pdfplumber
import pytest
import yaml

from portal.documents.importing import import_document_text
from portal.documents.rendering import render_pdf
from portal.documents.specs import SIGNATURE_KEYS, TASK_KEYS, TOP_LEVEL_KEYS, parse_spec
from tests.documents.factories import FIXTURES, minimal_spec

FORMAT = (FIXTURES.parent / "FORMAT.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```yaml\n(.*?)```", FORMAT, re.S)
COMPLETE = [b for b in BLOCKS if re.search(r"^type:", b, re.M)]
FRAGMENTS = [b for b in BLOCKS if b not in COMPLETE]


def _table_keys(heading: str) -> set[str]:
    section = FORMAT.split(heading, 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_0-9]+)` \|", section, re.M))


def test_format_md_has_complete_examples_and_fragments():
    assert len(COMPLETE) >= 3 and FRAGMENTS


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(len(COMPLETE)))
def test_every_complete_example_imports_and_renders(index, commune, orgs):
    doc = import_document_text(COMPLETE[index], commune=commune)
    spec = yaml.safe_load(COMPLETE[index])
    assert doc.doc_type == spec["type"] and doc.sig_signer == spec["signature"]["signer"]
    with pdfplumber.open(io.BytesIO(render_pdf(doc))) as pdf:
        text = " ".join(p.extract_text() for p in pdf.pages)
    assert spec["signature"]["signer"] in text and "Nơi nhận:" in text and "./." in text


@pytest.mark.parametrize("index", range(len(FRAGMENTS)))
def test_every_fragment_parses_inside_a_minimal_document(index):
    fragment = yaml.safe_load(FRAGMENTS[index])
    parsed = parse_spec(minimal_spec(**fragment))
    for key in fragment:
        if key == "sections":
            assert parsed.nodes
        elif key == "signature":
            assert parsed.fields["sig_position"] == fragment["signature"]["position"]


def test_documented_keys_are_the_parser_keys():
    assert _table_keys("## Top level") == set(TOP_LEVEL_KEYS)
    assert _table_keys("## Tasks (`tasks`)") == set(TASK_KEYS)
    signature_block = re.search(r"signature:\n((?:  .*\n)+)", FORMAT).group(1)
    assert set(re.findall(r"^  ([a-z]+):", signature_block, re.M)) == set(SIGNATURE_KEYS)


DUE_FORMS = re.findall(r"^\| `(due: [^`]+)` \|", FORMAT, re.M)


def test_due_rules_table_is_complete():
    assert len(DUE_FORMS) >= 14


@pytest.mark.parametrize("form", DUE_FORMS)
def test_every_due_form_of_the_table_parses(form):
    due = yaml.safe_load(form)["due"]
    parsed = parse_spec(minimal_spec(tasks=[{"lead": "VP", "do": "A", "due": due}]))
    assert parsed.tasks[0].due["due_kind"] != "none"
