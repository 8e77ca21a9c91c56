"""Roll-up report: enrolments, completions and pass rates by unit, up the organisation tree.

One aggregate query groups enrolments by the learner's unit id (a column of the user row, so
the organisation table is joined only to limit a staff member to their subtrees); one before it
reads which courses have a required quiz, one after it the paths of those few hundred units, and
the sums for every unit above are added up in Python.
The number of queries does not grow with the number of units, learners or enrolments. Both read
through `reporting_alias()` (a replica when one is configured). Measured at 100,000 trainees and
1,000,000 enrolments in docs/decisions/0072-staff-reports-at-scale.md.

`course_learner_rows` yields a course's learners for the CSV/XLSX export through a server-side
cursor, a chunk at a time, so an export of any size holds one chunk in memory.

Definitions (also stated on the report page and in docs/administration.md):
- an enrolment counts unless it was withdrawn before completing the course;
- a learner is counted in the unit they belong to now (and every unit above it);
- completed: the course's completion rule was met (`completed_at` is set);
- completion rate = completed / enrolments;
- pass rate = completed / enrolments, counting only courses whose published outline has at
  least one required quiz (there completing the course means passing those quizzes); courses
  without a required quiz have no pass rate;
- average progress: mean of the enrolments' progress percent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from backend.accounts.api import Organisation, ancestor_paths, path_q
from backend.db import reporting_alias
from courses.models import Course, Enrolment, EnrolmentStatus, Lesson, LessonKind
from courses.selectors import enrolment_visibility_q


@dataclass(frozen=True)
class UnitFigures:
    """Figures for the learners of one unit's subtree (or of the unit itself only)."""

    enrolments: int = 0
    completed: int = 0
    quiz_enrolments: int = 0
    quiz_completed: int = 0
    percent_sum: int = 0

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.enrolments if self.enrolments else None

    @property
    def pass_rate(self) -> float | None:
        return self.quiz_completed / self.quiz_enrolments if self.quiz_enrolments else None

    @property
    def average_percent(self) -> float | None:
        return self.percent_sum / self.enrolments if self.enrolments else None

    def __add__(self, other: UnitFigures) -> UnitFigures:
        return UnitFigures(self.enrolments + other.enrolments, self.completed + other.completed,
                           self.quiz_enrolments + other.quiz_enrolments,
                           self.quiz_completed + other.quiz_completed,
                           self.percent_sum + other.percent_sum)


@dataclass(frozen=True)
class UnitRollup:
    """`subtree[path]`: the unit and everything under it; `own[path]`: learners placed directly
    in the unit. Paths with no enrolments are absent (read them with `.get(path, EMPTY)`)."""

    subtree: dict[str, UnitFigures]
    own: dict[str, UnitFigures]

    def for_unit(self, path: str) -> UnitFigures:
        return self.subtree.get(path, EMPTY)

    def directly_in(self, path: str) -> UnitFigures:
        return self.own.get(path, EMPTY)

    @property
    def total(self) -> UnitFigures:
        """All learners in scope (each enrolment sits in exactly one unit's `own`)."""
        total = EMPTY
        for figures in self.own.values():
            total = total + figures
        return total


EMPTY = UnitFigures()


def counted_enrolments_q() -> Q:
    """Enrolments the report counts: all but those withdrawn before completing."""
    return ~Q(status=EnrolmentStatus.WITHDRAWN, completed_at__isnull=True)


def courses_with_required_quiz():
    """Courses whose published outline holds a required quiz lesson (as a subquery)."""
    return (Lesson.objects.filter(kind=LessonKind.QUIZ, published__isnull=False,
                                  published__required=True, deleted_at__isnull=True)
            .values("course_id"))


QUIZ_IDS_INLINE = 20_000  # more courses with a required quiz than this: test them by subquery


def unit_rollup(*, scope_paths: list[str] | None, course_id: int | None = None) -> UnitRollup:
    """Figures per unit for learners inside `scope_paths` (None: everywhere), optionally for one
    course. Three database queries whatever the size of the tree or the number of enrolments:
    the courses with a required quiz, the enrolments grouped by unit id, the paths of those units."""
    db = reporting_alias()
    qs = Enrolment.objects.using(db).filter(counted_enrolments_q(), user__organisation__isnull=False)
    if scope_paths is not None:
        qs = qs.filter(path_q(scope_paths, "user__organisation__path"))
    quiz_courses = courses_with_required_quiz().using(db)
    if course_id is not None:
        qs = qs.filter(course_id=course_id)
        quiz_courses = quiz_courses.filter(course_id=course_id)
    # The courses with a required quiz, read first (a few thousand ids at most) and given as a
    # list: PostgreSQL hashes the list once, where the same test as a subquery in the FILTER of
    # two aggregates cost ~40 % more over 1,000,000 enrolments (decision 0072).
    quiz_ids = sorted(set(quiz_courses.values_list("course_id", flat=True)))
    if not quiz_ids:
        quiz = Q(pk__isnull=True)  # no such course: nothing counts
    elif len(quiz_ids) > QUIZ_IDS_INLINE:
        quiz = Q(course_id__in=courses_with_required_quiz().using(db))
    else:
        quiz = Q(course_id__in=quiz_ids)
    done = Q(completed_at__isnull=False)
    rows = list(qs.values("user__organisation_id")
                .annotate(n=Count("pk"), completed=Count("pk", filter=done),
                          quiz_n=Count("pk", filter=quiz), quiz_completed=Count("pk", filter=quiz & done),
                          percent_sum=Sum("percent"))
                .order_by())
    paths = dict(Organisation.objects.using(db)
                 .filter(pk__in=[row["user__organisation_id"] for row in rows])
                 .values_list("pk", "path")) if rows else {}
    own: dict[str, UnitFigures] = {}
    subtree: dict[str, UnitFigures] = {}
    for row in rows:
        figures = UnitFigures(row["n"], row["completed"], row["quiz_n"], row["quiz_completed"],
                              row["percent_sum"] or 0)
        path = paths[row["user__organisation_id"]]
        own[path] = figures
        for ancestor in ancestor_paths(path):
            subtree[ancestor] = subtree.get(ancestor, EMPTY) + figures
    return UnitRollup(subtree=subtree, own=own)


# The learners export of a course: (label, value of a row from `course_learner_rows`).
LEARNER_COLUMNS = [
    _("Full name"), _("E-mail address"), _("Unit"), _("Unit code"), _("Progress (%)"), _("Status"),
    _("Enrolled on"), _("Completed on"), _("Due date"),
]
LEARNER_CHUNK = 2000


def course_learner_rows(user, course: Course, *, chunk_size: int = LEARNER_CHUNK) -> Iterator[list]:
    """The learners of `course` that `user` may see (as the learners list shows them, withdrawn
    ones left out), one row per enrolment in `LEARNER_COLUMNS` order, ordered by name.

    Read through a server-side cursor (`.iterator`) `chunk_size` rows at a time, from
    `reporting_alias()`: memory stays flat whatever the number of learners."""
    statuses = dict(EnrolmentStatus.choices)
    qs = (Enrolment.objects.using(reporting_alias())
          .filter(enrolment_visibility_q(user, course))
          .exclude(status=EnrolmentStatus.WITHDRAWN)
          .annotate(effective_due=Coalesce(F("due_at"), F("course__due_at")))
          .order_by("user__search_name", "pk")
          .values_list("user__full_name", "user__email", "user__organisation__name",
                       "user__organisation__code", "percent", "status", "enrolled_at",
                       "completed_at", "effective_due"))
    for name, email, unit, code, percent, status, enrolled, completed, due in qs.iterator(
            chunk_size=chunk_size):
        yield [name, email, unit, code, percent, str(statuses.get(status, status)), enrolled, completed, due]
