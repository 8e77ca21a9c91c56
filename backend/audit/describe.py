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

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.audit.models import AuditEntry, target_type_label

# verb -> (what kind of action, for the filter; the sentence: {actor} and {target} are filled in)
SENTENCES: dict[str, tuple[Any, Any]] = {
    "certificate.issued": (gettext_lazy("Certificate issued"), gettext_lazy("{actor} issued certificate {target}")),
    "certificate.revoked": (gettext_lazy("Certificate revoked"), gettext_lazy("{actor} revoked certificate {target}")),
    "certificate.reissued": (gettext_lazy("Certificate re-issued"), gettext_lazy("{actor} re-issued certificate {target}")),
    "certificate.reinstated": (gettext_lazy("Certificate reinstated"),
                               gettext_lazy("{actor} reinstated certificate {target}")),
    "certificate.renewal_started": (gettext_lazy("Certificate renewal started"),
                                    gettext_lazy("{actor} started renewing certificate {target}")),
    "certificate.renewed": (gettext_lazy("Certificate renewed"),
                            gettext_lazy("{actor} issued certificate {target}, renewing an earlier one")),
    "certificate_template.created": (gettext_lazy("Certificate template created"),
                                     gettext_lazy("{actor} created the certificate template {target}")),
    "certificate_template.updated": (gettext_lazy("Certificate template changed"),
                                     gettext_lazy("{actor} changed the certificate template {target}")),
    "certificate_template.deleted": (gettext_lazy("Certificate template deleted"),
                                     gettext_lazy("{actor} deleted the certificate template {target}")),
    "cohort.created": (gettext_lazy("Cohort created"), gettext_lazy("{actor} created the cohort {target}")),
    "cohort.members_added": (gettext_lazy("Cohort members added"), gettext_lazy("{actor} added members to the cohort {target}")),
    "cohort.members_removed": (gettext_lazy("Cohort members removed"),
                               gettext_lazy("{actor} removed members from the cohort {target}")),
    "course.enrolled": (gettext_lazy("Enrolment"), gettext_lazy("{actor} enrolled people in the course {target}")),
    "course.unenrolled": (gettext_lazy("Unenrolment"), gettext_lazy("{actor} unenrolled someone from the course {target}")),
    "course.published": (gettext_lazy("Course published"), gettext_lazy("{actor} published the course {target}")),
    "course.archived": (gettext_lazy("Course archived"), gettext_lazy("{actor} archived the course {target}")),
    "course.due_date_extended": (gettext_lazy("Due date extended"),
                                 gettext_lazy("{actor} changed a person's due date in the course {target}")),
    "course.restored": (gettext_lazy("Course restored"), gettext_lazy("{actor} restored the course {target}")),
    "h5p.grading_changed": (gettext_lazy("H5P scoring changed"),
                            gettext_lazy("{actor} changed how the H5P activity {target} is scored")),
    "h5p.uploaded": (gettext_lazy("H5P package uploaded"), gettext_lazy("{actor} uploaded an H5P package: {target}")),
    "scorm.uploaded": (gettext_lazy("SCORM package uploaded"),
                       gettext_lazy("{actor} uploaded a SCORM package: {target}")),
    "scorm.settings_changed": (gettext_lazy("SCORM scoring changed"),
                               gettext_lazy("{actor} changed how the SCORM package {target} is scored")),
    "scorm.removed": (gettext_lazy("SCORM package removed"),
                      gettext_lazy("{actor} removed the SCORM package {target}")),
    "notifications.default_changed": (gettext_lazy("Notification default changed"),
                                      gettext_lazy("{actor} changed a default of the notifications")),
    "organisation.created": (gettext_lazy("Unit created"), gettext_lazy("{actor} created the unit {target}")),
    "organisation.updated": (gettext_lazy("Unit changed"), gettext_lazy("{actor} changed the unit {target}")),
    "role.assigned": (gettext_lazy("Role given"), gettext_lazy("{actor} gave {target} a role")),
    "role.revoked": (gettext_lazy("Role taken away"), gettext_lazy("{actor} took a role away from {target}")),
    "user.created": (gettext_lazy("Account created"), gettext_lazy("{actor} created the account of {target}")),
    "user.invitation_resent": (gettext_lazy("Invitation sent again"), gettext_lazy("{actor} sent {target} the invitation again")),
    "user.updated": (gettext_lazy("Account changed"), gettext_lazy("{actor} changed the account of {target}")),
    "user.accommodation_set": (gettext_lazy("Accommodation set"),
                               gettext_lazy("{actor} set the time accommodation of {target}")),
    "user.deactivated": (gettext_lazy("Account deactivated"), gettext_lazy("{actor} deactivated the account of {target}")),
    "user.reactivated": (gettext_lazy("Account reactivated"), gettext_lazy("{actor} reactivated the account of {target}")),
    "users.imported": (gettext_lazy("Users imported"), gettext_lazy("{actor} imported users from a file")),
    "assessments.bank_created": (gettext_lazy("Question bank created"),
                                 gettext_lazy("{actor} created the question bank {target}")),
    "assessments.questions_imported": (gettext_lazy("Questions imported"),
                                       gettext_lazy("{actor} imported questions into the bank {target}")),
    "assessments.quiz_created": (gettext_lazy("Quiz created"), gettext_lazy("{actor} created the quiz {target}")),
    "assessments.quiz_updated": (gettext_lazy("Quiz changed"), gettext_lazy("{actor} changed the settings of the quiz {target}")),
    "assessments.response_graded": (gettext_lazy("Answer graded"), gettext_lazy("{actor} graded an answer of {target}")),
    "assessments.override_created": (gettext_lazy("Quiz override added"),
                                     gettext_lazy("{actor} added a time exception to the quiz {target}")),
    "assessments.override_updated": (gettext_lazy("Quiz override changed"),
                                     gettext_lazy("{actor} changed a time exception of the quiz {target}")),
    "assessments.override_deleted": (gettext_lazy("Quiz override removed"),
                                     gettext_lazy("{actor} removed a time exception from the quiz {target}")),
    "assessments.attempt_overridden": (gettext_lazy("Grade overridden"), gettext_lazy("{actor} overrode the grade of {target}")),
}

# detail key -> label; other keys (ids, internal codes) are not shown
DETAIL_LABELS: dict[str, Any] = {
    "reason": gettext_lazy("Reason"), "created": gettext_lazy("New"), "updated": gettext_lazy("Updated"),
    "reactivated": gettext_lazy("Re-enrolled"), "errors": gettext_lazy("Errors"), "added": gettext_lazy("Added"),
    "removed": gettext_lazy("Removed"), "imported": gettext_lazy("Imported"), "release": gettext_lazy("Release"),
    "lessons": gettext_lazy("Lessons"), "before": gettext_lazy("Before (%)"), "after": gettext_lazy("After (%)"),
    "for": gettext_lazy("For"), "new_due": gettext_lazy("New due date"),
    "override_opens_at": gettext_lazy("Opens"), "override_closes_at": gettext_lazy("Closes"),
    "override_time_limit_seconds": gettext_lazy("Time limit (seconds)"),
    "override_max_attempts": gettext_lazy("Attempts allowed"),
    "time_factor": gettext_lazy("Time factor"), "extra_attempts": gettext_lazy("Extra attempts"),
    # certificate.reinstated: the revocation it undoes
    "revoked_at": gettext_lazy("Revoked on"), "revoked_by_name": gettext_lazy("Revoked by"),
    "revoked_reason": gettext_lazy("Reason for revocation"),
}
# detail keys holding an ISO 8601 instant, shown as a local date and time
DETAIL_INSTANTS = frozenset({"revoked_at"})


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
        if key in DETAIL_INSTANTS:
            value = _instant(value)
        out.append((str(label), str(value)))
    return out


def _instant(value) -> str:
    try:
        moment = parse_datetime(str(value))
    except ValueError:
        moment = None
    if moment is None:
        return str(value)
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def describe(entry: AuditEntry) -> Description:
    actor = person_name(entry.actor_label) if entry.actor_id or entry.actor_label not in ("", "system") \
        else _("The system")
    known = SENTENCES.get(entry.verb)
    template = str(known[1]) if known else _("{actor}: %(action)s, {target}") % {
        "action": verb_label(entry.verb)}
    return Description(actor=actor, template=template, target=target_name(entry),
                       target_type=entry.target_type, target_id=entry.target_id,
                       action=verb_label(entry.verb), details=_details(entry))
