"""The audit log in words: every verb the code records has a sentence, and a sentence names
people and things, never codes, ids or None."""

import re
from pathlib import Path

import pytest

from backend.audit.api import audit_record
from backend.audit.describe import SENTENCES, describe
from backend.audit.models import AuditEntry
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def recorded_verbs() -> set[str]:
    found = set()
    for folder in ("backend", "courses", "assessments", "certificates"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "audit_record" in text:
                found |= set(re.findall(r'verb="([a-z0-9_]+\.[a-z0-9_]+)"', text))
    return found


def test_every_recorded_verb_has_a_sentence():
    verbs = recorded_verbs()
    assert {"certificate.revoked", "h5p.uploaded"} <= verbs  # the scan finds them
    assert sorted(verbs - set(SENTENCES)) == []


@pytest.mark.django_db
def test_a_sentence_names_the_people(tree, settings):
    settings.LANGUAGE_CODE = "en"
    actor = UserFactory(organisation=tree["ministry"], full_name="Nguyễn Văn A")
    person = UserFactory(organisation=tree["dept"], full_name="Trần Thị B")
    audit_record(actor=actor, verb="role.assigned", target=person, details={"role": "trainer",
                                                                            "organisation": None})
    entry = AuditEntry.objects.get()
    text = describe(entry)
    assert text.sentence == "Nguyễn Văn A gave Trần Thị B a role"
    assert text.details == [("Role", "Trainer")] and "@" not in text.sentence
    audit_record(actor=None, verb="something.new", target=person)
    unknown = describe(AuditEntry.objects.filter(verb="something.new").get())
    assert unknown.actor == "The system" and "Trần Thị B" in unknown.sentence
