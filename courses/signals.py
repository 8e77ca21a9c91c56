"""The one hook courses announces upward (re-exported by `courses.api`)."""

from django.dispatch import Signal

# send(sender=EnrolmentData, enrolment=EnrolmentData), inside the transaction that completed it,
# exactly once per enrolment. Receivers defer their side effects with transaction.on_commit.
enrolment_completed = Signal()
