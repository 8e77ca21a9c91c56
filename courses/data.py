"""Frozen values courses hands to the apps above it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CourseData:
    id: int
    title: str
    organisation_id: int
    language: str
    status: str
    issues_certificate: bool
    self_enrolment: bool


@dataclass(frozen=True)
class LessonData:
    id: int
    course_id: int
    module_id: int
    kind: str
    title: str
    required: bool
    activity_id: int | None


@dataclass(frozen=True)
class EnrolmentData:
    id: int
    user_id: int
    course_id: int
    status: str
    percent: int
    completed_at: datetime | None
    enrolled_at: datetime
    due_at: datetime | None = None  # this person's extension (None: the course's due date applies)


@dataclass(frozen=True)
class LearnerLesson:
    """A lesson the learner may work on now, with what the one query that checked it read:
    the start of their current round of the course (None: their first round) and, for the
    pages' course index (frontend may hold courses' rows, decision 0060), the course and the
    enrolment rows. Other apps use the values only."""

    lesson: LessonData
    user_id: int
    round_started_at: datetime | None
    course: Any = field(repr=False, compare=False)
    enrolment: Any = field(repr=False, compare=False)


def course_data(course) -> CourseData:
    """Trainees know a course by its published title; an unpublished one by its draft title."""
    title = (course.published or {}).get("title") or course.title
    language = (course.published or {}).get("language") or course.language
    return CourseData(id=course.pk, title=title, organisation_id=course.organisation_id,
                      language=language, status=course.status,
                      issues_certificate=course.issues_certificate,
                      self_enrolment=course.self_enrolment)


def lesson_data(lesson, *, published: bool) -> LessonData:
    snap = lesson.published if published and lesson.published else None
    if snap is None:
        return LessonData(id=lesson.pk, course_id=lesson.course_id, module_id=lesson.module_id,
                          kind=lesson.kind, title=lesson.title, required=lesson.required,
                          activity_id=lesson.activity_id)
    return LessonData(id=lesson.pk, course_id=lesson.course_id, module_id=snap["module_id"],
                      kind=snap["kind"], title=snap["title"], required=snap["required"],
                      activity_id=lesson.activity_id)


def enrolment_data(enrolment) -> EnrolmentData:
    return EnrolmentData(id=enrolment.pk, user_id=enrolment.user_id, course_id=enrolment.course_id,
                         status=enrolment.status, percent=enrolment.percent,
                         completed_at=enrolment.completed_at, enrolled_at=enrolment.enrolled_at,
                         due_at=enrolment.due_at)


# --- course analytics (courses.analytics) -------------------------------------------------

@dataclass(frozen=True)
class FunnelRow:
    """How many live enrolments completed one published lesson."""
    lesson_id: int
    module_title: str
    lesson_title: str
    kind: str
    required: bool
    activity_id: int | None
    completed: int


@dataclass(frozen=True)
class ScoreBin:
    """Scores (fractions 0..1) with lower <= score < upper; the last bin includes 1.0."""
    lower: int  # percent
    upper: int  # percent
    count: int


@dataclass(frozen=True)
class EnrolmentDay:
    day: object  # datetime.date, in the site's time zone
    count: int
    cumulative: int


@dataclass(frozen=True)
class CourseAnalytics:
    course_id: int
    enrolled: int  # live enrolments (active or completed)
    completed: int  # enrolments that completed the course
    funnel: tuple[FunnelRow, ...]
    scores: tuple[ScoreBin, ...]
    scored: int  # how many lesson results carry a score
    enrolments: tuple[EnrolmentDay, ...]


@dataclass(frozen=True)
class PublishChanges:
    """What a publish would change for trainees, counted from the draft and the snapshot."""
    first_publish: bool
    details_changed: bool  # title, summary, language or completion rule
    added: int
    removed: int
    edited: int
    moved: int

    @property
    def any(self) -> bool:
        return self.first_publish or self.details_changed or bool(
            self.added or self.removed or self.edited or self.moved)
