"""Staff reports at national scale (issue 14, part 5; decision 0072): the unit roll-up over the
whole tree and a course's learners exported as CSV and XLSX, with peak memory.

    .venv/bin/python -m tests.bench.staff --pg-url postgres://postgres@127.0.0.1:5432/ttdn_bench_staff
    make bench BENCH_ARGS="--users 100000 --only staff-reports"   # inside the harness

Runs against an already seeded bench database (`manage.py bench_seed --users N`; the harness
seeds it). It adds one course, "bench-staff-export", with every bench user with a unit enrolled
(set-based, idempotent), so the export has as many rows as there are users. Each figure comes
from a fresh process (`--child STEP`) with production settings:

- `rollup`: `unit_rollup` for the whole tree (what the report page and its XLSX read), best and
  median of `--repeat` runs, beside the query the report ran before decision 0072 (grouped by
  unit path, the required-quiz test as a subquery) in the same process; the report page itself
  (a global administrator's whole tree, rendered); `EXPLAIN (ANALYZE, BUFFERS)` of the grouped
  query into `--out`.
- `csv`, `xlsx`: the learners export view (`/manage/enrolments/learners.csv|xlsx`), its body read
  to the end; `csv-in-memory`, `xlsx-in-memory`: the same rows written the way exports were
  before (the whole CSV text, then bytes; a normal openpyxl workbook saved into memory). Peak
  memory growth = VmHWM after minus VmRSS before (after a warm-up on a small course).

Prints one JSON line. Figures are from a shared machine: compare within a run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.environment import PG_DEFAULT, ROOT, BenchDatabase, bench_env

COURSE_TITLE = "bench-staff-export"
EXPORT_STEPS = ("csv", "csv-in-memory", "xlsx", "xlsx-in-memory")


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    with contextlib.suppress(OSError):  # Linux: "5" resets VmHWM to the current RSS
        Path("/proc/self/clear_refs").write_text("5")


# --- child steps (fresh processes, production settings) ----------------------------------------

def _setup() -> dict:
    from django.db import connection
    from django.utils import timezone

    from backend.accounts.models import Organisation
    from courses.models import Course, CourseStatus, Enrolment

    root = Organisation.objects.filter(depth=0).order_by("path").first()
    course = Course.objects.filter(title=COURSE_TITLE).first()
    if course is None:
        from courses.services import course_create

        course = course_create(actor=None, organisation_id=root.pk, title=COURSE_TITLE)
        Course.objects.filter(pk=course.pk).update(status=CourseStatus.PUBLISHED)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO courses_enrolment (user_id, course_id, status, source, enrolled_at, percent)"
            " SELECT u.id, %s, 'active', 'staff', %s, (u.id * 37) %% 101 FROM accounts_user u"
            " WHERE u.organisation_id IS NOT NULL ON CONFLICT DO NOTHING",
            [course.pk, timezone.now()])
        cursor.execute("ANALYZE courses_enrolment")
    return {"course": course.pk, "learners": Enrolment.objects.filter(course=course).count(),
            "seconds": round(time.perf_counter() - started, 2)}


def _admin():
    from backend.accounts.models import User
    from backend.bench_seeding import BENCH_ADMIN_EMAIL

    return User.objects.get(email=BENCH_ADMIN_EMAIL)


def _request(path: str, user, **params):
    from django.test import RequestFactory

    request = RequestFactory().get(path, params, SERVER_NAME="127.0.0.1")
    request.user = user
    return request


def _before_0072_rollup():
    """The grouped query of the roll-up before decision 0072 (by path, quiz test as subquery)."""
    from django.db.models import Count, Q, Sum

    from courses.models import Enrolment
    from courses.reports import counted_enrolments_q, courses_with_required_quiz

    quiz = Q(course_id__in=courses_with_required_quiz())
    done = Q(completed_at__isnull=False)
    return list(Enrolment.objects.filter(counted_enrolments_q(), user__organisation__isnull=False)
                .values("user__organisation__path")
                .annotate(n=Count("pk"), completed=Count("pk", filter=done),
                          quiz_n=Count("pk", filter=quiz), quiz_completed=Count("pk", filter=quiz & done),
                          percent_sum=Sum("percent")).order_by())


def _timed(func, repeat: int) -> dict:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        seconds.append(time.perf_counter() - started)
    return {"best_s": round(min(seconds), 3), "median_s": round(statistics.median(seconds), 3),
            "runs": [round(s, 3) for s in seconds]}


def _explain(out: Path) -> None:
    from django.db import connection
    from django.db.models import Count, Q, Sum

    from courses.models import Enrolment
    from courses.reports import counted_enrolments_q, courses_with_required_quiz

    quiz = Q(course_id__in=sorted(set(courses_with_required_quiz().values_list("course_id", flat=True))))
    done = Q(completed_at__isnull=False)
    qs = (Enrolment.objects.filter(counted_enrolments_q(), user__organisation__isnull=False)
          .values("user__organisation_id")
          .annotate(n=Count("pk"), completed=Count("pk", filter=done), quiz_n=Count("pk", filter=quiz),
                    quiz_completed=Count("pk", filter=quiz & done), percent_sum=Sum("percent"))
          .order_by())
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    out.mkdir(parents=True, exist_ok=True)
    # The course id list is long: keep its head in the file, the plan whole.
    (out / "explain-unit-rollup.txt").write_text(sql[:4000] + "\n\n" + plan + "\n")


def _rollup(repeat: int, out: Path) -> dict:
    from django.conf import settings

    # The bench runs no collectstatic: the page links its static files unhashed (the same work).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    from courses.reports import unit_rollup
    from frontend.views.admin_report import report

    admin = _admin()
    unit_rollup(scope_paths=None)  # warm: connection, planner, caches
    after = _timed(lambda: unit_rollup(scope_paths=None), repeat)
    before = _timed(_before_0072_rollup, repeat)
    def page_view():
        response = report(_request("/manage/report/", admin))
        assert response.status_code == 200, response.status_code

    page = _timed(page_view, repeat)
    _explain(out)
    rollup = unit_rollup(scope_paths=None)
    return {"whole_tree": after, "before_0072": before, "report_page": page,
            "units_with_learners": len(rollup.own), "enrolments": rollup.total.enrolments}


def _export(step: str, course_id: int) -> dict:
    from django.http import HttpResponse

    from backend.spreadsheets import csv_text
    from courses.models import Course
    from courses.reports import LEARNER_COLUMNS, course_learner_rows
    from frontend.views.admin_enrolments import learners_export

    admin = _admin()
    course = Course.objects.get(pk=course_id)
    small = Course.objects.exclude(pk=course_id).filter(status="published").order_by("pk").first()

    def through_view(fmt: str, pk: int) -> int:
        response = learners_export(_request(f"/manage/enrolments/learners.{fmt}", admin, course=pk), fmt=fmt)
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        return size

    def in_memory(fmt: str, pk: int) -> int:
        the_course = Course.objects.get(pk=pk)
        rows = [[str(label) for label in LEARNER_COLUMNS], *course_learner_rows(admin, the_course)]
        if fmt == "csv":
            return len(HttpResponse(csv_text(rows).encode("utf-8")).content)
        import io

        from openpyxl import Workbook

        from backend.spreadsheets import xlsx_append

        book = Workbook()
        for row in rows:
            xlsx_append(book.active, row)
        body = io.BytesIO()
        book.save(body)
        return len(HttpResponse(body.getvalue()).content)

    fmt = step.split("-")[0]
    run = in_memory if step.endswith("in-memory") else through_view
    run(fmt, small.pk)  # warm: imports, templates, the first query
    _reset_peak()
    rss = _status("VmRSS")
    started = time.perf_counter()
    size = run(fmt, course.pk)
    seconds = time.perf_counter() - started
    return {"step": step, "bytes": size, "seconds": round(seconds, 2),
            "peak_growth_mb": round(_status("VmHWM") - rss, 1)}


def child(step: str, args: argparse.Namespace) -> dict:
    import django

    django.setup()
    if step == "setup":
        return _setup()
    if step == "rollup":
        return _rollup(args.repeat, args.out)
    return _export(step, args.course)


# --- parent ------------------------------------------------------------------------------------

def _run_child(env: dict, step: str, args: argparse.Namespace, course: int | None = None) -> dict:
    command = [sys.executable, "-m", "tests.bench.staff", "--child", step, "--repeat", str(args.repeat),
               "--out", str(args.out)]
    if course is not None:
        command += ["--course", str(course)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"staff bench step {step} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return json.loads(next(line for line in reversed(done.stdout.splitlines()) if line.startswith("{")))


def run(pg_url: str, repeat: int, out: Path, env: dict | None = None) -> dict:
    args = argparse.Namespace(repeat=repeat, out=out)
    env = env or bench_env(BenchDatabase("postgres", pg_url))
    setup = _run_child(env, "setup", args)
    result = {"setup": setup, "rollup": _run_child(env, "rollup", args)}
    result["exports"] = [_run_child(env, step, args, setup["course"]) for step in EXPORT_STEPS]
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", default=PG_DEFAULT, help="a seeded bench database (ttdn_bench*)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "staff")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--course", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args)))
        return
    if not args.pg_url.rsplit("/", 1)[-1].startswith("ttdn_bench"):
        raise SystemExit("The bench database's name must start with ttdn_bench.")
    print(json.dumps(run(args.pg_url, args.repeat, args.out)))


if __name__ == "__main__":
    main()
