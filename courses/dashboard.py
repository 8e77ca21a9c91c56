"""Reads for the dashboards at `/`: what a trainee continues, what a trainer watches, the figures
of an administrator's subtree. Each function is a fixed number of queries whatever the number of
courses (tests pin them), and returns frozen dataclasses, never model instances."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from backend.accounts.api import ancestor_paths, path_q, user_organisation_path
from courses import progress as rules
from courses import selectors
from courses.due_dates import effective_due_at
from courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus, LessonProgress

RECENT = 5
MAX_COURSES = 20  # a dashboard shows the most recent ones and links to the full list


@dataclass(frozen=True)
class CourseCard:
    id: int
    title: str
    summary: str
    cover: str  # storage names of the resized cover; "" when none (a generated pattern)
    cover_small: str


@dataclass(frozen=True)
class LearnerCourse:
    course: CourseCard
    percent: int
    completed: bool
    started: bool
    next_lesson_id: int | None
    next_lesson_title: str
    due_at: datetime | None
    issues_certificate: bool
    # lesson id -> status for the course's published lessons the trainee worked on
    statuses: dict
    # published lesson ids still open (not completed), for deadlines of quizzes
    open_lesson_ids: frozenset


@dataclass(frozen=True)
class TrainerCourse:
    course: CourseCard
    status: str
    enrolled: int
    completed: int
    average_percent: int
    has_unpublished_changes: bool
    published: bool


@dataclass(frozen=True)
class Completion:
    course_id: int
    course_title: str
    learner_name: str
    completed_at: datetime


@dataclass(frozen=True)
class MonthCount:
    month: datetime
    enrolled: int
    completed: int


@dataclass(frozen=True)
class UnitDashboardFigures:
    courses: int
    enrolments: int
    completions: int
    enrolled_this_month: int
    completed_this_month: int
    graded_results: int
    passed_results: int
    months: tuple[MonthCount, ...]

    @property
    def pass_rate(self) -> int | None:
        return round(100 * self.passed_results / self.graded_results) if self.graded_results else None

    @property
    def completion_rate(self) -> int | None:
        return round(100 * self.completions / self.enrolments) if self.enrolments else None


def _published(course: Course, key: str) -> str:
    return (course.published or {}).get(key) or getattr(course, key, "")


def course_card(course: Course) -> CourseCard:
    return CourseCard(id=course.pk, title=_published(course, "title"),
                      summary=_published(course, "summary"), cover=course.cover,
                      cover_small=course.cover_small)


# --- trainee ---------------------------------------------------------------------------------------

def learner_courses(user) -> list[LearnerCourse]:
    """The user's live enrolments with where to continue: two queries."""
    enrolments = selectors.enrolments_of_user(user)[:MAX_COURSES]
    statuses = selectors.statuses_by_enrolment([e.pk for e in enrolments])
    out = []
    for enrolment in enrolments:
        course = enrolment.course
        mine = statuses[enrolment.pk]
        nxt = rules.next_lesson(course.published, mine, enrolment.last_lesson_id)
        open_ids = frozenset(item["id"] for item in rules.outline_lessons(course.published)
                             if mine.get(item["id"]) != rules.COMPLETED)
        out.append(LearnerCourse(
            course=course_card(course), percent=enrolment.percent,
            completed=enrolment.completed_at is not None, started=bool(mine),
            next_lesson_id=nxt["id"] if nxt else None, next_lesson_title=nxt["title"] if nxt else "",
            due_at=effective_due_at(enrolment, course), issues_certificate=course.issues_certificate,
            statuses=dict(mine), open_lesson_ids=open_ids))
    # Courses in progress first, then not started, completed last.
    return sorted(out, key=lambda c: (c.completed, not c.started))


def recommended_courses(user, *, limit: int = 4, now=None) -> list[CourseCard]:
    """Published courses of the user's unit (or a unit above it) open for self-enrolment now that
    the user has not taken: one query."""
    now = now or timezone.now()
    units = ancestor_paths(user_organisation_path(user))
    if not units:
        return []
    qs = (Course.objects.filter(status=CourseStatus.PUBLISHED, self_enrolment=True,
                                organisation__path__in=units)
          .filter(Q(enrolment_opens_at__isnull=True) | Q(enrolment_opens_at__lte=now),
                  Q(enrolment_closes_at__isnull=True) | Q(enrolment_closes_at__gt=now))
          .exclude(pk__in=Enrolment.objects.filter(user_id=user.pk).values("course_id"))
          .order_by("-published_at", "-id"))
    return [course_card(c) for c in qs[:limit]]


# --- trainer ---------------------------------------------------------------------------------------

def trainer_courses(user) -> list[TrainerCourse]:
    """Courses the user may edit (not archived) with their learners at a glance: one query."""
    live = Q(enrolments__status__in=selectors.LIVE_ENROLMENT)
    qs = (selectors.courses_authored_by(user).exclude(status=CourseStatus.ARCHIVED)
          .annotate(n_enrolled=Count("enrolments", filter=live),
                    n_completed=Count("enrolments", filter=live & Q(enrolments__completed_at__isnull=False)),
                    avg_percent=Avg("enrolments__percent", filter=live))
          .order_by("-updated_at", "-id"))
    return [TrainerCourse(course=course_card(c), status=c.status, enrolled=c.n_enrolled,
                          completed=c.n_completed, average_percent=round(c.avg_percent or 0),
                          has_unpublished_changes=c.has_unpublished_changes,
                          published=c.status == CourseStatus.PUBLISHED)
            for c in qs[:MAX_COURSES]]


def authored_course_ids(user) -> list[int]:
    """Every course the user may edit, archived ones included (their essays still need grades)."""
    return list(selectors.courses_authored_by(user).values_list("pk", flat=True))


def recent_completions(course_ids, *, limit: int = RECENT) -> list[Completion]:
    rows = (Enrolment.objects.filter(course_id__in=list(course_ids), completed_at__isnull=False)
            .select_related("course", "user").order_by("-completed_at", "-id")[:limit])
    return [Completion(course_id=e.course_id, course_title=_published(e.course, "title"),
                       learner_name=e.user.full_name or e.user.email, completed_at=e.completed_at)
            for e in rows]


# --- administrator ---------------------------------------------------------------------------------

def month_start(now) -> datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _months_back(start: datetime, n: int) -> list[datetime]:
    months = [start]
    for _i in range(n - 1):
        prev = months[-1]
        year, month = (prev.year, prev.month - 1) if prev.month > 1 else (prev.year - 1, 12)
        months.append(prev.replace(year=year, month=month))
    return list(reversed(months))


def unit_dashboard_figures(paths: list[str] | None, *, months: int = 6, now=None) -> UnitDashboardFigures:
    """Figures for courses of the subtrees `paths` (None: everywhere): four queries."""
    now = now or timezone.now()
    this_month = month_start(now)
    axis = _months_back(this_month, months)
    in_scope = path_q(paths, "course__organisation__path")
    enrolments = Enrolment.objects.filter(in_scope).exclude(status=EnrolmentStatus.WITHDRAWN)
    totals = enrolments.aggregate(
        n=Count("pk"), done=Count("pk", filter=Q(completed_at__isnull=False)),
        n_month=Count("pk", filter=Q(enrolled_at__gte=this_month)),
        done_month=Count("pk", filter=Q(completed_at__gte=this_month)))
    enrolled_by_month = dict(
        enrolments.filter(enrolled_at__gte=axis[0]).annotate(m=TruncMonth("enrolled_at"))
        .values("m").annotate(n=Count("pk")).values_list("m", "n"))
    completed_by_month = dict(
        enrolments.filter(completed_at__gte=axis[0]).annotate(m=TruncMonth("completed_at"))
        .values("m").annotate(n=Count("pk")).values_list("m", "n"))
    results = LessonProgress.objects.filter(
        path_q(paths, "enrolment__course__organisation__path"), passed__isnull=False).aggregate(
        n=Count("pk"), ok=Count("pk", filter=Q(passed=True)))
    courses = Course.objects.filter(path_q(paths, "organisation__path")).exclude(
        status=CourseStatus.ARCHIVED).count()

    def at(counts: dict, month: datetime) -> int:
        return sum(n for m, n in counts.items() if m and (m.year, m.month) == (month.year, month.month))

    return UnitDashboardFigures(
        courses=courses, enrolments=totals["n"], completions=totals["done"],
        enrolled_this_month=totals["n_month"], completed_this_month=totals["done_month"],
        graded_results=results["n"], passed_results=results["ok"],
        months=tuple(MonthCount(month=m, enrolled=at(enrolled_by_month, m),
                                completed=at(completed_by_month, m)) for m in axis))
