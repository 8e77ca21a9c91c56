"""Roll-up report: enrolments, completions and pass rates by unit, up the organisation tree.

One aggregate query groups enrolments by the learner's unit (its materialised path); the sums
for every unit above are then added up in Python over those few rows, so the number of queries
does not grow with the number of units shown or exported.

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

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from backend.accounts.api import ancestor_paths, path_q
from courses.models import Enrolment, EnrolmentStatus, Lesson, LessonKind


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


def unit_rollup(*, scope_paths: list[str] | None, course_id: int | None = None) -> UnitRollup:
    """Figures per unit for learners inside `scope_paths` (None: everywhere), optionally for one
    course. One database query whatever the size of the tree."""
    quiz = Q(course_id__in=courses_with_required_quiz())
    done = Q(completed_at__isnull=False)
    qs = Enrolment.objects.filter(counted_enrolments_q(), path_q(scope_paths, "user__organisation__path"),
                                  user__organisation__isnull=False)
    if course_id is not None:
        qs = qs.filter(course_id=course_id)
    rows = (qs.values("user__organisation__path")
            .annotate(n=Count("pk"), completed=Count("pk", filter=done),
                      quiz_n=Count("pk", filter=quiz), quiz_completed=Count("pk", filter=quiz & done),
                      percent_sum=Sum("percent"))
            .order_by())
    own: dict[str, UnitFigures] = {}
    subtree: dict[str, UnitFigures] = {}
    for row in rows:
        figures = UnitFigures(row["n"], row["completed"], row["quiz_n"], row["quiz_completed"],
                              row["percent_sum"] or 0)
        path = row["user__organisation__path"]
        own[path] = figures
        for ancestor in ancestor_paths(path):
            subtree[ancestor] = subtree.get(ancestor, EMPTY) + figures
    return UnitRollup(subtree=subtree, own=own)
