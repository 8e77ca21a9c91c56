"""Reads of SCORM results for reports: a learner's result and attempts, who may export a
lesson's attempts, and the export's rows (one per attempt, read in chunks)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.errors import DomainError
from courses import api as courses_api

from . import cmi as rules
from .models import ScormAttempt, ScormPackage, ScormResult

SCORM_KIND = courses_api.LessonKind.SCORM


@dataclass(frozen=True)
class AttemptData:
    sco: str
    number: int
    completion_status: str
    success_status: str
    score: float | None          # fraction 0..1
    score_raw: float | None
    total_time_seconds: float
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None


def result_for(*, user_id: int, lesson_id: int) -> ScormResult | None:
    return ScormResult.objects.filter(user_id=user_id, lesson_id=lesson_id).first()


def attempts_for(*, user_id: int, lesson_id: int) -> list[AttemptData]:
    """Every attempt of every SCO of the lesson by this learner, oldest first."""
    return [_data(row) for row in ScormAttempt.objects.filter(user_id=user_id, lesson_id=lesson_id)
            .order_by("id").defer("cmi", "suspend_data")]


def _data(row: ScormAttempt) -> AttemptData:
    return AttemptData(sco=row.sco, number=row.number, completion_status=row.completion_status,
                       success_status=row.success_status, score=row.score, score_raw=row.score_raw,
                       total_time_seconds=row.total_time_seconds, started_at=row.started_at,
                       updated_at=row.updated_at, finished_at=row.finished_at)


def export_scope(*, user, lesson_id: int, user_id: int | None) -> int | None:
    """Whose attempts the caller may export: None means everyone's (staff of the course only);
    an enrolled learner gets their own; anyone else a 404."""
    lesson = courses_api.lesson_get(lesson_id)
    if lesson is None or lesson.kind != SCORM_KIND:
        raise DomainError(_("Not found."), code="not_found", status=404)
    if courses_api.course_is_staff(user=user, course_id=lesson.course_id):
        return user_id
    if courses_api.enrolment_get(user_id=user.pk, course_id=lesson.course_id) is None:
        raise DomainError(_("Not found."), code="not_found", status=404)
    if user_id not in (None, user.pk):
        raise DomainError(_("You may export only your own attempts."), code="permission_denied", status=403)
    return user.pk


EXPORT_COLUMNS = (
    gettext_lazy("Learner"), gettext_lazy("E-mail"), gettext_lazy("Unit"), gettext_lazy("SCO"),
    gettext_lazy("SCO title"), gettext_lazy("Attempt"), gettext_lazy("Completion status"),
    gettext_lazy("Success status"), gettext_lazy("Score (%)"), gettext_lazy("Raw score"),
    gettext_lazy("Total time"), gettext_lazy("Started"), gettext_lazy("Last updated"),
    gettext_lazy("Ended"),
)


STATUS_LABELS = {
    "completed": gettext_lazy("Completed"), "incomplete": gettext_lazy("Incomplete"),
    "not attempted": gettext_lazy("Not attempted"), "browsed": gettext_lazy("Browsed"),
    "unknown": gettext_lazy("Unknown"), "passed": gettext_lazy("Passed"),
    "failed": gettext_lazy("Not passed"),
}


def status_label(value: str) -> str:
    """A SCORM status word as people read it (the export; the vocabulary itself stays English)."""
    return str(STATUS_LABELS.get(value, value))


def export_rows(*, lesson_id: int, user_id: int | None, chunk_size: int = 500) -> Iterator[list]:
    """The header, then one row per attempt (learner, then SCO in manifest order, then attempt
    number), read in chunks so memory stays flat whatever the number of attempts."""
    package = ScormPackage.objects.filter(lesson_id=lesson_id).only("items").first()
    titles = {i["identifier"]: i.get("title", "") for i in (package.items if package else [])}
    yield [str(c) for c in EXPORT_COLUMNS]
    qs = ScormAttempt.objects.filter(lesson_id=lesson_id).order_by("user__search_name", "user_id", "sco",
                                                                   "number")
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    for row in qs.values_list("user__full_name", "user__email", "user__organisation__name", "sco", "number",
                              "completion_status", "success_status", "score", "score_raw",
                              "total_time_seconds", "started_at", "updated_at",
                              "finished_at").iterator(chunk_size=chunk_size):
        (name, email, unit, sco, number, completion, success, score, raw, seconds,
         started, updated, finished) = row
        yield [name, email, unit or "", sco, titles.get(sco, ""), number, status_label(completion),
               status_label(success),
               None if score is None else round(score * 100, 2), raw,
               rules.format_time_12(seconds)[:-3], started, updated, finished]
