"""Bench seed steps of courses: published courses, enrolments and lesson progress at scale.

For N bench users (20,000 by default): N/100 courses (200) of 5 modules x 6 lessons (30), each
published as `course_publish` would publish it; 10 enrolments per user (200,000); and for each
enrolment the first p lessons in reading order completed, p spread over 0..19 and 30 (mean 10.5,
so about 2,100,000 progress rows; at 100,000 users 1,000,000 enrolments and 10,500,000 rows).
The last lesson of every module is a quiz that needs the module's five other lessons first, so
outlines carry real locks.

Courses, modules and lessons are few: bulk_create. Enrolments and progress are many: one
INSERT ... SELECT each, set-based in the database (minutes, not hours), written in SQL that
PostgreSQL and SQLite both run. Every step is idempotent (ON CONFLICT DO NOTHING, counts
checked first). See backend/bench_seeding.py for the registry.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from backend.accounts.api import organisation_get_by_code, search_key
from backend.bench_seeding import EMAIL_DOMAIN, SeedContext, seed_step
from courses.models import Course, Enrolment, Lesson, LessonProgress, Module

OWNER_CODE = "bench-central"  # the bench tree's root: every bench user may see these courses
USERS_PER_COURSE = 100
MODULES = 5
LESSONS_PER_MODULE = 6  # the last one is the module's quiz
ENROLMENTS_PER_USER = 10
TOPICS = ["Thông tin đối ngoại", "Quảng bá hình ảnh quốc gia", "Làm việc với báo chí nước ngoài",
          "Phát ngôn và cung cấp thông tin", "Truyền thông số", "Ngoại giao văn hóa",
          "Xử lý khủng hoảng truyền thông", "Thông tin về biên giới, biển đảo"]
BODY = ("<p>Nội dung bài học về công tác thông tin đối ngoại: mục tiêu, yêu cầu và cách làm. "
        "Học viên đọc kỹ, ghi chú các ý chính và liên hệ với thực tiễn cơ quan, đơn vị.</p>") * 8


def _owner_id() -> int | None:
    unit = organisation_get_by_code(OWNER_CODE)
    return unit.id if unit else None


def _bench_courses():
    """Every course of the bench owner: the seeded ones and those the scenarios made (resets
    delete them all)."""
    owner = _owner_id()
    return Course.objects.filter(organisation_id=owner) if owner else Course.objects.none()


# Only courses the seed made carry it in their title (see _create_course).
SEEDED_TITLE = " – khóa "


def _seeded_courses():
    """The courses this seed made. Enrolments and progress are spread over these alone: a
    course a scenario adds under the same owner would otherwise shift every user's courses, and
    each re-seed (`--reuse-db`) would add a million enrolments with their progress."""
    return _bench_courses().filter(title__contains=SEEDED_TITLE)


def _course_count(users: int) -> int:
    return max(1, users // USERS_PER_COURSE) if users else 0


# --- courses ------------------------------------------------------------------------------------

def _reset_courses() -> None:
    courses = _bench_courses()
    _reset_progress()
    Enrolment.objects.filter(course__in=courses).delete()  # PROTECT: enrolments go first
    courses.delete()


@seed_step("courses", order=30, reset=_reset_courses)
@transaction.atomic
def seed_courses(ctx: SeedContext) -> None:
    owner = _owner_id()
    if owner is None:
        raise RuntimeError("Seed the bench organisations first.")
    wanted = _course_count(ctx.users)
    have = _seeded_courses().count()
    now = timezone.now()
    for index in range(have, wanted):
        _create_course(index, owner, now)
    ctx.log(f"courses: {max(0, wanted - have)} created, {max(have, wanted)} bench courses "
            f"of {MODULES * LESSONS_PER_MODULE} lessons")


def _create_course(index: int, owner: int, now) -> None:
    topic = TOPICS[index % len(TOPICS)]
    title = f"{topic}{SEEDED_TITLE}{index + 1:03d}"
    summary = f"Khóa bồi dưỡng chuyên đề {topic.lower()} cho cán bộ làm công tác thông tin đối ngoại."
    key = search_key(f"{title} {summary}")[:600]
    course = Course.objects.create(
        title=title, summary=summary, language="vi", organisation_id=owner, status="published",
        self_enrolment=True, issues_certificate=index % 2 == 0, search_key=key,
        published_search_key=key, published_at=now, release=1, has_unpublished_changes=False)
    modules = Module.objects.bulk_create(
        [Module(course=course, title=f"Chuyên đề {m + 1}", position=m + 1) for m in range(MODULES)])
    lessons = []
    for module in modules:
        for n in range(1, LESSONS_PER_MODULE + 1):
            quiz = n == LESSONS_PER_MODULE
            kind = "quiz" if quiz else ("video" if n == 3 else "text")
            lessons.append(Lesson(
                course=course, module=module, kind=kind, position=n,
                title=(f"Kiểm tra chuyên đề {module.position}" if quiz
                       else f"Bài {module.position}.{n}: {topic}"),
                body="" if quiz else BODY,
                video_url="https://video.example.org/bai-giang.mp4" if kind == "video" else ""))
    lessons = Lesson.objects.bulk_create(lessons)
    through = Lesson.prerequisites.through
    edges, outline = [], []
    for m, module in enumerate(modules):
        group = lessons[m * LESSONS_PER_MODULE:(m + 1) * LESSONS_PER_MODULE]
        items = []
        for lesson in group:
            prereqs = [x.pk for x in group[:-1]] if lesson.kind == "quiz" else []
            edges += [through(from_lesson_id=lesson.pk, to_lesson_id=p) for p in prereqs]
            lesson.published = {
                "id": lesson.pk, "module_id": module.pk, "kind": lesson.kind, "title": lesson.title,
                "body": lesson.body, "video_url": lesson.video_url, "video_file": "", "file": "",
                "file_name": "", "file_size": 0, "required": True, "prerequisites": prereqs,
                "position": lesson.position, "activity_id": None}
            items.append({k: lesson.published[k] for k in (
                "id", "kind", "title", "required", "prerequisites", "position", "activity_id")})
        outline.append({"id": module.pk, "title": module.title, "position": module.position,
                        "lessons": items})
    through.objects.bulk_create(edges)
    Lesson.objects.bulk_update(lessons, ["published"])
    course.published = {"title": title, "summary": summary, "language": "vi",
                        "completion_rule": "all_required", "completion_percent": 100,
                        "modules": outline}
    course.save(update_fields=["published"])


# --- enrolments and progress: set-based SQL -------------------------------------------------------

def _temp_orders(cursor, course_ids: list[int]) -> None:
    """Temporary tables: bench courses numbered 0.., and their lessons numbered 1..30 in
    reading order. Plain SQL both databases run."""
    cursor.execute("DROP TABLE IF EXISTS bench_course_order")
    cursor.execute("CREATE TEMPORARY TABLE bench_course_order (ordinal integer PRIMARY KEY, "
                   "course_id bigint NOT NULL)")
    cursor.executemany("INSERT INTO bench_course_order (ordinal, course_id) VALUES (%s, %s)",
                       list(enumerate(course_ids)))
    cursor.execute("DROP TABLE IF EXISTS bench_lesson_order")
    cursor.execute(
        f"CREATE TEMPORARY TABLE bench_lesson_order AS "  # noqa: S608 (model table names, integers)
        f"SELECT l.course_id AS course_id, l.id AS lesson_id, l.kind AS kind, "
        f"ROW_NUMBER() OVER (PARTITION BY l.course_id ORDER BY m.position, l.position) AS ordinal "
        f"FROM {Lesson._meta.db_table} l JOIN {Module._meta.db_table} m ON m.id = l.module_id "
        f"WHERE l.course_id IN (SELECT course_id FROM bench_course_order)")
    cursor.execute("CREATE INDEX bench_lesson_order_idx ON bench_lesson_order (course_id, ordinal)")


def _reset_enrolments() -> None:
    _reset_progress()  # one DELETE, rather than the collector's batches per enrolment
    Enrolment.objects.filter(course__in=_bench_courses()).delete()


@seed_step("enrolments", order=40, reset=_reset_enrolments)
@transaction.atomic
def seed_enrolments(ctx: SeedContext) -> None:
    """User number u (1..N, by id) takes courses (u + j * stride) mod C for j < 10; the number
    of lessons done is k = (7u + 13j) mod 21 for k < 20 and all 30 for k = 20 (one enrolment in
    21 complete), a mean of 10.5 lessons, so 10 progress rows per enrolment: 10,000,000 for
    100,000 users. It sets percent = 100p // 30 (complete at 30)."""
    course_ids = list(_seeded_courses().order_by("pk").values_list("pk", flat=True))
    users = get_user_model()
    if not course_ids:
        return
    per_user = min(ENROLMENTS_PER_USER, len(course_ids))
    stride = max(1, len(course_ids) // per_user)
    lessons = MODULES * LESSONS_PER_MODULE
    now = timezone.now()
    with connection.cursor() as cursor:
        _temp_orders(cursor, course_ids)
        cursor.execute("DROP TABLE IF EXISTS bench_series")
        cursor.execute("CREATE TEMPORARY TABLE bench_series (j integer PRIMARY KEY)")
        cursor.executemany("INSERT INTO bench_series (j) VALUES (%s)", [(j,) for j in range(per_user)])
        cursor.execute(
            f"INSERT INTO {Enrolment._meta.db_table} (user_id, course_id, status, source, "  # noqa: S608 (model table names, integers)
            f"enrolled_at, percent, completed_at) "
            f"SELECT u.id, c.course_id, "
            f"CASE WHEN u.p = {lessons} THEN 'completed' ELSE 'active' END, 'staff', %s, "
            f"(u.p * 100) / {lessons}, CASE WHEN u.p = {lessons} THEN %s ELSE NULL END "
            f"FROM (SELECT y.id, y.rn, y.j, CASE WHEN y.k = 20 THEN {lessons} ELSE y.k END AS p "
            f"FROM (SELECT x.id, x.rn, s.j, (7 * x.rn + 13 * s.j) %% 21 AS k "
            f"      FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM {users._meta.db_table} "
            f"            WHERE email LIKE %s) x CROSS JOIN bench_series s) y) u "
            f"JOIN bench_course_order c ON c.ordinal = (u.rn + u.j * {stride}) %% {len(course_ids)} "
            f"ON CONFLICT (user_id, course_id) DO NOTHING",
            [now, now, f"u%@{EMAIL_DOMAIN}"])
        created = cursor.rowcount
    ctx.log(f"enrolments: {created} created, {Enrolment.objects.filter(course_id__in=course_ids).count()} "
            f"in bench courses")


def _reset_progress() -> None:
    LessonProgress.objects.filter(enrolment__course__in=_bench_courses()).delete()


@seed_step("progress", order=50, reset=_reset_progress)
@transaction.atomic
def seed_progress(ctx: SeedContext) -> None:
    """The first p lessons of every bench enrolment completed; p recovered from percent
    (100p // 30 is one-to-one on 0..30, and p = (30 * percent + 99) // 100 inverts it)."""
    course_ids = list(_seeded_courses().order_by("pk").values_list("pk", flat=True))
    if not course_ids:
        return
    lessons = MODULES * LESSONS_PER_MODULE
    now = timezone.now()
    with connection.cursor() as cursor:
        _temp_orders(cursor, course_ids)
        cursor.execute(
            f"INSERT INTO {LessonProgress._meta.db_table} (enrolment_id, lesson_id, status, score, "  # noqa: S608 (model table names, integers)
            f"passed, attempts, time_spent_seconds, position, started_at, completed_at, updated_at) "
            f"SELECT e.id, o.lesson_id, 'completed', "
            f"CASE WHEN o.kind = 'quiz' THEN 0.8 ELSE NULL END, "
            f"CASE WHEN o.kind = 'quiz' THEN %s ELSE NULL END, "
            f"CASE WHEN o.kind = 'quiz' THEN 1 ELSE 0 END, 300 + 7 * o.ordinal, '', %s, %s, %s "
            f"FROM {Enrolment._meta.db_table} e "
            f"JOIN bench_lesson_order o ON o.course_id = e.course_id "
            f"AND o.ordinal <= ({lessons} * e.percent + 99) / 100 "
            f"WHERE e.course_id IN (SELECT course_id FROM bench_course_order) "
            # Enrolments seeded before are skipped whole: a re-run costs an index probe each.
            f"AND NOT EXISTS (SELECT 1 FROM {LessonProgress._meta.db_table} x WHERE x.enrolment_id = e.id) "
            f"ON CONFLICT (enrolment_id, lesson_id) DO NOTHING",
            [True, now, now, now])
        created = cursor.rowcount
    ctx.log(f"progress: {created} lesson-progress rows created")
