"""The one hook certificates listens to: courses' enrolment_completed."""

from courses.api import enrolment_completed


def on_enrolment_completed(sender, enrolment, **kwargs) -> None:
    from certificates.services import certificate_issue_on_completion

    certificate_issue_on_completion(enrolment=enrolment)


def connect() -> None:
    enrolment_completed.connect(on_enrolment_completed, dispatch_uid="certificates.issue")
