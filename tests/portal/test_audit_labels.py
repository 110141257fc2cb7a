"""Every audited action a person can read in the audit log has a Vietnamese label (no raw codes, issue 10 item 9)."""

import re
from pathlib import Path

from portal import registry

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "consultations", "dialogues", "campaigns")
LITERAL = re.compile(r'action="([a-z_]+\.[a-z_]+)"')


def _audited_actions() -> set[str]:
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_literal_audit_action_has_a_vietnamese_label():
    actions = _audited_actions()
    assert len(actions) > 50  # the scan finds the services' actions
    labels = registry.audit_labels()
    assert sorted(a for a in actions if a not in labels) == []


def test_contest_document_issue_actions_have_labels():
    """Built with an f-string (``contest.document_{kind}_issue``), so listed here."""
    labels = registry.audit_labels()
    for kind in ("plan", "decision", "report"):
        assert f"contest.document_{kind}" in labels and f"contest.document_{kind}_issue" in labels
