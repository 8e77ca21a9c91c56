"""Aggregates for a course's analytics page: completion funnel, score distribution, enrolments
over time. Each is one aggregate query whatever the number of learners (pinned in tests).

They read the *published* outline, the one learners work through; progress on lessons that
left it is not shown. Only live enrolments (active or completed) count in the funnel and the
scores; enrolments over time counts every enrolment by the day it was made.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Floor, Least, TruncDate

from courses import progress as rules
from courses.data import CourseAnalytics, EnrolmentDay, FunnelRow, ScoreBin
from courses.models import Course, Enrolment, EnrolmentStatus, LessonProgress, ProgressStatus
from courses.selectors import LIVE_ENROLMENT

SCORE_BINS = 10  # 0–10 %, 10–20 %, …, 90–100 %


def _live_progress(course: Course):
    return LessonProgress.objects.filter(enrolment__course=course,
                                         enrolment__status__in=LIVE_ENROLMENT)


def completion_funnel(course: Course) -> list[FunnelRow]:
    """Per published lesson, in course order: live enrolments that completed it (one query)."""
    done = dict(_live_progress(course).filter(status=ProgressStatus.COMPLETED)
                .values("lesson_id").annotate(n=Count("id")).values_list("lesson_id", "n"))
    rows = []
    for module in (course.published or {}).get("modules", []):
        for item in module["lessons"]:
            rows.append(FunnelRow(lesson_id=item["id"], module_title=module["title"],
                                  lesson_title=item["title"], kind=item["kind"],
                                  required=item.get("required", True),
                                  activity_id=item.get("activity_id"),
                                  completed=done.get(item["id"], 0)))
    return rows


def score_distribution(course: Course, lesson_id: int | None = None) -> list[ScoreBin]:
    """Histogram of lesson scores (quiz and H5P results) in ten bins of ten percent (one query).
    `lesson_id` narrows it to one lesson."""
    qs = _live_progress(course).filter(score__isnull=False)
    if lesson_id is not None:
        qs = qs.filter(lesson_id=lesson_id)
    else:
        qs = qs.filter(lesson_id__in=[item["id"] for item in rules.outline_lessons(course.published)])
    # A perfect score (1.0) falls into the last bin, not an eleventh one.
    counts = dict(qs.annotate(bucket=Least(Floor(F("score") * SCORE_BINS), Value(SCORE_BINS - 1.0)))
                  .values("bucket").annotate(n=Count("id")).values_list("bucket", "n"))
    width = 100 // SCORE_BINS
    by_bin = {int(bucket): n for bucket, n in counts.items()}
    return [ScoreBin(lower=i * width, upper=(i + 1) * width, count=by_bin.get(i, 0))
            for i in range(SCORE_BINS)]


def enrolments_over_time(course: Course) -> list[EnrolmentDay]:
    """New enrolments per day (site time zone) with the running total (one query)."""
    rows = (Enrolment.objects.filter(course=course).annotate(day=TruncDate("enrolled_at"))
            .values("day").annotate(n=Count("id")).order_by("day").values_list("day", "n"))
    out, total = [], 0
    for day, n in rows:
        total += n
        out.append(EnrolmentDay(day=day, count=n, cumulative=total))
    return out


def course_analytics(course: Course, *, lesson_id: int | None = None) -> CourseAnalytics:
    """Everything the analytics page shows, in four aggregate queries."""
    counts = Enrolment.objects.filter(course=course, status__in=LIVE_ENROLMENT).aggregate(
        enrolled=Count("id"), completed=Count("id", filter=Q(status=EnrolmentStatus.COMPLETED)))
    scores = score_distribution(course, lesson_id)
    return CourseAnalytics(
        course_id=course.pk, enrolled=counts["enrolled"], completed=counts["completed"],
        funnel=tuple(completion_funnel(course)), scores=tuple(scores),
        scored=sum(b.count for b in scores), enrolments=tuple(enrolments_over_time(course)))

