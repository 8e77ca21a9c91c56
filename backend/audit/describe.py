"""The audit log in words: one sentence per verb, for people who are not developers.

``describe(entry)`` turns a stored entry into "Nguyễn Văn A đã thu hồi giấy chứng nhận số
2026-000012 của Trần Thị B": who (the actor's name, never an e-mail address in brackets), what
(the verb's sentence), to whom or what (the target's name), and the details worth reading (a
reason, counts), never raw ids, codes or "None". Every page and export that shows the log uses
this one mapping; a verb missing here still reads as a sentence (its target type's name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.audit.models import AuditEntry, target_type_label

_l = gettext_lazy

# verb -> (what kind of action, for the filter; the sentence: {actor} and {target} are filled in)
SENTENCES: dict[str, tuple[Any, Any]] = {
    "certificate.issued": (_l("Certificate issued"), _l("{actor} issued certificate {target}")),
    "certificate.revoked": (_l("Certificate revoked"), _l("{actor} revoked certificate {target}")),
    "certificate.reissued": (_l("Certificate re-issued"), _l("{actor} re-issued certificate {target}")),
    "certificate.reinstated": (_l("Certificate reinstated"),
                               _l("{actor} reinstated certificate {target}")),
    "certificate_template.created": (_l("Certificate template created"),
                                     _l("{actor} created the certificate template {target}")),
    "certificate_template.updated": (_l("Certificate template changed"),
                                     _l("{actor} changed the certificate template {target}")),
    "certificate_template.deleted": (_l("Certificate template deleted"),
                                     _l("{actor} deleted the certificate template {target}")),
    "cohort.created": (_l("Cohort created"), _l("{actor} created the cohort {target}")),
    "cohort.members_added": (_l("Cohort members added"), _l("{actor} added members to the cohort {target}")),
    "cohort.members_removed": (_l("Cohort members removed"),
                               _l("{actor} removed members from the cohort {target}")),
    "course.enrolled": (_l("Enrolment"), _l("{actor} enrolled people in the course {target}")),
    "course.unenrolled": (_l("Unenrolment"), _l("{actor} unenrolled someone from the course {target}")),
    "course.published": (_l("Course published"), _l("{actor} published the course {target}")),
    "course.archived": (_l("Course archived"), _l("{actor} archived the course {target}")),
    "course.restored": (_l("Course restored"), _l("{actor} restored the course {target}")),
    "h5p.grading_changed": (_l("H5P scoring changed"),
                            _l("{actor} changed how the H5P activity {target} is scored")),
    "h5p.uploaded": (_l("H5P package uploaded"), _l("{actor} uploaded an H5P package: {target}")),
    "organisation.created": (_l("Unit created"), _l("{actor} created the unit {target}")),
    "organisation.updated": (_l("Unit changed"), _l("{actor} changed the unit {target}")),
    "role.assigned": (_l("Role given"), _l("{actor} gave {target} a role")),
    "role.revoked": (_l("Role taken away"), _l("{actor} took a role away from {target}")),
    "user.created": (_l("Account created"), _l("{actor} created the account of {target}")),
    "user.invitation_resent": (_l("Invitation sent again"), _l("{actor} sent {target} the invitation again")),
    "users.imported": (_l("Users imported"), _l("{actor} imported users from a file")),
    "assessments.bank_created": (_l("Question bank created"),
                                 _l("{actor} created the question bank {target}")),
    "assessments.questions_imported": (_l("Questions imported"),
                                       _l("{actor} imported questions into the bank {target}")),
    "assessments.quiz_created": (_l("Quiz created"), _l("{actor} created the quiz {target}")),
    "assessments.quiz_updated": (_l("Quiz changed"), _l("{actor} changed the settings of the quiz {target}")),
    "assessments.response_graded": (_l("Answer graded"), _l("{actor} graded an answer of {target}")),
    "assessments.attempt_overridden": (_l("Grade overridden"), _l("{actor} overrode the grade of {target}")),
}

# detail key -> label; other keys (ids, internal codes) are not shown
DETAIL_LABELS: dict[str, Any] = {
    "reason": _l("Reason"), "created": _l("New"), "updated": _l("Updated"),
    "reactivated": _l("Re-enrolled"), "errors": _l("Errors"), "added": _l("Added"),
    "removed": _l("Removed"), "imported": _l("Imported"), "release": _l("Release"),
    "lessons": _l("Lessons"), "before": _l("Before (%)"), "after": _l("After (%)"),
}


@dataclass(frozen=True)
class Description:
    actor: str                      # a person's name, or "the system"
    template: str                   # translated, with {actor} and {target}
    target: str                     # the target's name as people know it
    target_type: str                # e.g. "certificates.certificate" (for a link)
    target_id: str
    action: str                     # the kind of action, for the filter and a badge
    details: list[tuple[str, str]] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        return self.template.format(actor=self.actor, target=self.target)


def person_name(label: str) -> str:
    """"Nguyễn Văn A <a@x.vn>" -> "Nguyễn Văn A" (str(User)); a bare e-mail stays as it is."""
    name, _sep, _rest = label.partition(" <")
    return name.strip() or label


def target_name(entry: AuditEntry) -> str:
    label = entry.target_label or ""
    if entry.target_type == "certificates.certificate":
        serial, _sep, holder = label.partition(" ")
        if holder:
            return _("no. %(serial)s of %(holder)s") % {"serial": serial, "holder": holder}
        return _("no. %(serial)s") % {"serial": serial}
    if entry.target_type == "accounts.user":
        return person_name(label)
    return label or target_type_label(entry.target_type)


def verb_label(verb: str) -> str:
    known = SENTENCES.get(verb)
    return str(known[0]) if known else verb.replace("_", " ").replace(".", ": ")


def _role_label(value: str) -> str:
    from backend.accounts.models import Role

    try:
        return str(Role(value).label)
    except ValueError:
        return value


def _details(entry: AuditEntry) -> list[tuple[str, str]]:
    out = []
    role = (entry.details or {}).get("role")
    if isinstance(role, str) and role:
        out.append((_("Role"), _role_label(role)))
    for key, label in DETAIL_LABELS.items():
        value = (entry.details or {}).get(key)
        if value is None or value == "" or isinstance(value, (dict, list)):
            continue
        if isinstance(value, float):
            value = f"{value:.1f}".replace(".", ",") if value != int(value) else int(value)
        out.append((str(label), str(value)))
    return out


def describe(entry: AuditEntry) -> Description:
    actor = person_name(entry.actor_label) if entry.actor_id or entry.actor_label not in ("", "system") \
        else _("The system")
    known = SENTENCES.get(entry.verb)
    template = str(known[1]) if known else _("{actor}: %(action)s, {target}") % {
        "action": verb_label(entry.verb)}
    return Description(actor=actor, template=template, target=target_name(entry),
                       target_type=entry.target_type, target_id=entry.target_id,
                       action=verb_label(entry.verb), details=_details(entry))
