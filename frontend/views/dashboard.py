"""The dashboards at `/`: one section per role the person holds (trainee first). Each section is
built from the reads its apps publish for dashboards (courses/assessments/certificates
`dashboard`, accounts and jobs `api`); this module only arranges them for the template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import api as assessments_api
from backend.accounts.api import USERS_IMPORT_JOB_KIND as USERS_IMPORT
from backend.accounts.api import Role, subtree_paths, user_role_scopes, users_never_signed_in
from backend.jobs.api import job_is_stuck, jobs_to_watch
from certificates import api as certificates_api
from certificates.api import BULK_ISSUE_JOB_KIND as BULK_ISSUE
from courses import api as courses_api

MAX_DEADLINES = 8

FAILED_JOBS_SINCE = timedelta(days=14)


@dataclass(frozen=True)
class Deadline:
    when: datetime
    title: str
    course_title: str
    kind: str  # "course" | "quiz"
    url_name: str
    url_arg: int
    overdue: bool


def _deadlines(courses: list[courses_api.LearnerCourse], now,
               user_id: int | None = None) -> list[Deadline]:
    live = [c for c in courses if not c.completed]
    titles = {c.course.id: c.course.title for c in live}
    out = [Deadline(when=c.due_at, title=c.course.title, course_title="", kind="course",
                    url_name="course-outline", url_arg=c.course.id, overdue=c.due_at < now)
           for c in live if c.due_at]
    open_lessons = {lesson_id for c in live for lesson_id in c.open_lesson_ids}
    out += [Deadline(when=q.closes_at, title=q.title, course_title=titles.get(q.course_id, ""),
                     kind="quiz", url_name="quiz-start", url_arg=q.quiz_id, overdue=q.closes_at < now)
            for q in assessments_api.quiz_deadlines(open_lessons, user_id=user_id)
            if q.course_id in titles]
    return sorted(out, key=lambda d: d.when)[:MAX_DEADLINES]


def trainee_section(user, now) -> dict:
    courses = courses_api.learner_courses(user)
    titles = {c.course.id: c.course.title for c in courses}
    awaiting = assessments_api.awaiting_grade_for(user.pk)
    return {
        "courses": courses,
        "active": [c for c in courses if not c.completed],
        "deadlines": _deadlines(courses, now, user.pk),
        "awaiting": [(a, titles.get(a.course_id, "")) for a in awaiting],
        # "Continue" must not send the trainee back to an essay that waits for its grade.
        "awaiting_lessons": {a.lesson_id for a in awaiting},
        "certificates": certificates_api.recent_certificates(user.pk),
        "renewals_due": certificates_api.renewals_due(user.pk),
        "recommended": courses_api.recommended_courses(user, now=now),
    }


def trainer_section(user) -> dict:
    courses = courses_api.trainer_courses(user)
    ids = courses_api.authored_course_ids(user)
    titles = {c.course.id: c.course.title for c in courses}
    todo = assessments_api.grading_todo(ids)
    return {
        "courses": courses,
        "drafts": [c for c in courses if c.has_unpublished_changes],
        "grading": [(t, titles.get(t.course_id, "")) for t in todo],
        "grading_total": sum(t.waiting for t in todo),
        "activity": _activity(assessments_api.recent_submissions(ids),
                              courses_api.recent_completions(ids)),
    }


def _activity(submissions, completions) -> list[tuple[datetime, str, object]]:
    """Submissions and completions in one timeline, newest first."""
    rows = [(s.finished_at, "submission", s) for s in submissions]
    rows += [(c.completed_at, "completion", c) for c in completions]
    return sorted(rows, key=lambda row: row[0], reverse=True)[:courses_api.DASHBOARD_RECENT]


def _job_link(job) -> tuple[str, str]:
    """What a job is called and where its progress and result are shown."""
    if job.kind == USERS_IMPORT:
        return _("User import"), reverse("admin-import-job", args=[job.id])
    if job.kind == BULK_ISSUE and job.params.get("course_id"):
        return _("Bulk certificate issue"), reverse("course-certificates", args=[job.params["course_id"]])
    return job.kind, ""


CHART_HEIGHT = 100  # SVG user units of the tallest bar; each month is 100 units wide


def month_bars(months) -> list[dict]:
    """Bar geometry for the inline SVG chart (SVG attributes, as the CSP allows no style=)."""
    peak = max([1, *(max(m.enrolled, m.completed) for m in months)])
    bars = []
    for i, m in enumerate(months):
        enrolled_h = round(CHART_HEIGHT * m.enrolled / peak)
        completed_h = round(CHART_HEIGHT * m.completed / peak)
        bars.append({"month": m.month, "enrolled": m.enrolled, "completed": m.completed,
                     "x1": i * 100 + 14, "x2": i * 100 + 52, "label_x": i * 100 + 50,
                     "h1": enrolled_h, "y1": CHART_HEIGHT - enrolled_h + 4,
                     "h2": completed_h, "y2": CHART_HEIGHT - completed_h + 4})
    return bars


def admin_section(user, now) -> dict:
    paths = subtree_paths(user_role_scopes(user), [Role.ADMINISTRATOR])
    figures = courses_api.unit_dashboard_figures(paths, now=now)
    certs = certificates_api.certificate_figures(paths, since=courses_api.month_start(now))
    jobs = [(job, job_is_stuck(job, now), *_job_link(job)) for job in
            jobs_to_watch(started_by_id=user.pk, since=now - FAILED_JOBS_SINCE)]
    return {
        "figures": figures,
        "certificates": certs,
        "jobs": jobs,
        "never_signed_in": users_never_signed_in(paths),
        "chart": month_bars(figures.months),
    }


def dashboard_context(user, roles: list[str]) -> dict:
    now = timezone.now()
    staff = {Role.TRAINER, Role.ADMINISTRATOR} & set(roles)
    return {
        "trainee": trainee_section(user, now) if Role.TRAINEE in roles or not staff else None,
        "trainer": trainer_section(user) if Role.TRAINER in roles else None,
        "admin": admin_section(user, now) if Role.ADMINISTRATOR in roles else None,
        "now": now,
    }
