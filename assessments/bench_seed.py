"""Bench seed steps of assessments: a quiz on every bench quiz lesson, and attempts at scale.

`quizzes`: one question bank under the bench root with 60 single-choice questions (one version
each), and a quiz on each quiz lesson of the bench courses (5 per course: N/20 quizzes, 5,000 for
100,000 users) drawing 10 of the 60 at random, as a trainer would set one up.

`attempts`: two finished attempts per bench enrolment on the quiz of its course's first module
(2 x 10 per user: 2,000,000 attempts for 100,000 users), attempt 1 at 40 %, attempt 2 at 80 %,
each with RESPONSES_PER_ATTEMPT graded responses (4,000,000 for 100,000 users; a real attempt
has 10, but the hot paths read responses by attempt, an index probe whatever the table's size).

Set-based: one INSERT ... SELECT for attempts and one for responses, in SQL PostgreSQL and SQLite
both run (generate_series is not used, so the small SQLite default keeps working). Idempotent:
ON CONFLICT DO NOTHING on the unique (quiz, user, number) and (attempt, position).
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from assessments.models import (
    Attempt,
    Category,
    Question,
    QuestionBank,
    QuestionVersion,
    Quiz,
    QuizSlot,
    Response,
)
from assessments.services import _clean_version
from backend.accounts.api import organisation_get_by_code
from backend.bench_seeding import EMAIL_DOMAIN, SeedContext, seed_step

OWNER_CODE = "bench-central"
BANK_TITLE = "Ngân hàng câu hỏi đo tải"
CATEGORY = "Thông tin đối ngoại"
QUESTIONS = 60
DRAWN = 10
ATTEMPTS_PER_ENROLMENT = 2
RESPONSES_PER_ATTEMPT = 2


def _owner():
    return organisation_get_by_code(OWNER_CODE)


def _courses_model(name: str):
    """The courses app's models through the app registry: read-only, for table names and
    filters, so this module imports nothing of courses (import-linter)."""
    return apps.get_model("courses", name)


def _bench_course_ids() -> list[int]:
    owner = _owner()
    if owner is None:
        return []
    return list(_courses_model("Course").objects.filter(organisation_id=owner.id)
                .order_by("pk").values_list("pk", flat=True))


def _bench_quizzes():
    return Quiz.objects.filter(course_id__in=_bench_course_ids())


# --- quizzes --------------------------------------------------------------------------------------

def _reset_quizzes() -> None:
    _reset_attempts()
    quizzes = _bench_quizzes()
    QuizSlot.objects.filter(quiz__in=quizzes).delete()
    quizzes.delete()
    owner = _owner()
    if owner is not None:
        banks = QuestionBank.objects.filter(organisation_id=owner.id, title=BANK_TITLE)
        Question.objects.filter(bank__in=banks).update(current=None)
        QuestionVersion.objects.filter(question__bank__in=banks).delete()
        banks.delete()


@seed_step("quizzes", order=60, reset=_reset_quizzes)
@transaction.atomic
def seed_quizzes(ctx: SeedContext) -> None:
    owner = _owner()
    if owner is None:
        raise RuntimeError("Seed the bench organisations first.")
    bank = QuestionBank.objects.filter(organisation_id=owner.id, title=BANK_TITLE).first()
    if bank is None:
        bank = QuestionBank.objects.create(title=BANK_TITLE, organisation_id=owner.id,
                                           organisation_path=owner.path)
    category, _ = Category.objects.get_or_create(bank=bank, name=CATEGORY)
    have = Question.objects.filter(bank=bank).count()
    for n in range(have + 1, QUESTIONS + 1):  # 60 at most: one at a time is fine
        question = Question.objects.create(bank=bank, category=category, type="single_choice")
        text = f"Câu hỏi {n}: cơ quan nào chủ trì công tác thông tin đối ngoại?"
        data = {"choices": [{"text": "Bộ Ngoại giao", "fraction": 1, "feedback": "Đúng"},
                            {"text": "Bộ Tài chính"}, {"text": "Bộ Xây dựng"}, {"text": "Bộ Y tế"}],
                "shuffle": True}
        # Cleaned as question_create cleans it (choice ids, NFC): what attempts read.
        fields = _clean_version("single_choice", text, data, 1.0, f"Câu {n}")
        version = QuestionVersion.objects.create(question=question, number=1, **fields)
        question.current = version
        question.save(update_fields=["current"])
    existing = set(_bench_quizzes().values_list("lesson_id", flat=True))
    lessons = [(lid, cid, title) for lid, cid, title in _courses_model("Lesson").objects.filter(
        course_id__in=_bench_course_ids(), kind="quiz").order_by("pk").values_list(
        "pk", "course_id", "title") if lid not in existing]
    quizzes = Quiz.objects.bulk_create(
        [Quiz(lesson_id=lid, course_id=cid, title=title, max_attempts=0, pass_mark=50,
              shuffle_questions=True) for lid, cid, title in lessons])
    if any(q.pk is None for q in quizzes):
        quizzes = list(Quiz.objects.filter(lesson_id__in=[lid for lid, _c, _t in lessons]))
    QuizSlot.objects.bulk_create(
        [QuizSlot(quiz=q, position=1, bank=bank, category=category, count=DRAWN) for q in quizzes])
    _link_lessons(quizzes)
    ctx.log(f"quizzes: {QUESTIONS - min(have, QUESTIONS)} questions and {len(quizzes)} quizzes "
            f"created, {len(existing) + len(quizzes)} bench quizzes")


def _link_lessons(quizzes: list[Quiz]) -> None:
    """Point each quiz lesson at its quiz (`activity_id`, in the row, its published copy and
    the course's published outline), as the authoring services do when a quiz is set up."""
    if not quizzes:
        return
    lesson_model, course_model = _courses_model("Lesson"), _courses_model("Course")
    quiz_of = {q.lesson_id: q.pk for q in quizzes}
    lessons = list(lesson_model.objects.filter(pk__in=quiz_of))
    for lesson in lessons:
        lesson.activity_id = quiz_of[lesson.pk]
        if lesson.published:
            lesson.published = {**lesson.published, "activity_id": lesson.activity_id}
    lesson_model.objects.bulk_update(lessons, ["activity_id", "published"], batch_size=1000)
    courses = list(course_model.objects.filter(pk__in={q.course_id for q in quizzes}))
    for course in courses:
        for module in (course.published or {}).get("modules", []):
            for item in module.get("lessons", []):
                if item.get("id") in quiz_of:
                    item["activity_id"] = quiz_of[item["id"]]
    course_model.objects.bulk_update(courses, ["published"], batch_size=500)


# --- attempts and responses: set-based SQL --------------------------------------------------------

def _reset_attempts() -> None:
    quizzes = _bench_quizzes()
    Response.objects.filter(attempt__quiz__in=quizzes).delete()
    Attempt.objects.filter(quiz__in=quizzes).delete()


@seed_step("attempts", order=70, reset=_reset_attempts)
@transaction.atomic
def seed_attempts(ctx: SeedContext) -> None:
    """For every bench enrolment (courses' Enrolment rows of bench users), attempts 1..2 on the
    quiz of the course's first quiz lesson (lowest lesson id among the course's quizzes)."""
    course_ids = _bench_course_ids()
    if not course_ids:
        return
    users = get_user_model()._meta.db_table
    enrolments = _courses_model("Enrolment")._meta.db_table
    a, q, r, v = (Attempt._meta.db_table, Quiz._meta.db_table, Response._meta.db_table,
                  QuestionVersion._meta.db_table)
    now = timezone.now()
    ids = ",".join(str(int(c)) for c in course_ids)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_first_quiz")
        cursor.execute(
            f"CREATE TEMPORARY TABLE bench_first_quiz AS "  # noqa: S608 (model table names, integers)
            f"SELECT course_id, MIN(id) AS quiz_id FROM {q} WHERE course_id IN ({ids}) "
            f"GROUP BY course_id")
        cursor.execute("CREATE INDEX bench_first_quiz_idx ON bench_first_quiz (course_id)")
        cursor.execute("DROP TABLE IF EXISTS bench_attempt_number")
        cursor.execute("CREATE TEMPORARY TABLE bench_attempt_number (n integer PRIMARY KEY)")
        cursor.executemany("INSERT INTO bench_attempt_number (n) VALUES (%s)",
                           [(n,) for n in range(1, max(ATTEMPTS_PER_ENROLMENT, RESPONSES_PER_ATTEMPT) + 1)])
        cursor.execute(
            f"INSERT INTO {a} (quiz_id, user_id, number, status, seed, started_at, deadline, "  # noqa: S608
            f"finished_at, timed_out, mark, max_mark, percentage, needs_grading, override_reason) "
            f"SELECT fq.quiz_id, e.user_id, n.n, 'finished', e.id * 7 + n.n, %s, NULL, %s, %s, "
            f"CASE WHEN n.n = 1 THEN 4.0 ELSE 8.0 END, {DRAWN}.0, "
            f"CASE WHEN n.n = 1 THEN 40.0 ELSE 80.0 END, %s, '' "
            f"FROM {enrolments} e JOIN bench_first_quiz fq ON fq.course_id = e.course_id "
            f"JOIN bench_attempt_number n ON n.n <= {ATTEMPTS_PER_ENROLMENT} "
            f"WHERE e.user_id IN (SELECT id FROM {users} WHERE email LIKE %s) "
            f"ON CONFLICT (quiz_id, user_id, number) DO NOTHING",
            [now, now, False, False, f"u%@{EMAIL_DOMAIN}"])
        attempts = cursor.rowcount
        cursor.execute(
            f"SELECT MIN(cv.id), MAX(cv.id) FROM {v} cv "  # noqa: S608
            f"JOIN {Question._meta.db_table} qq ON qq.current_id = cv.id "
            f"JOIN {QuestionBank._meta.db_table} b ON b.id = qq.bank_id WHERE b.title = %s",
            [BANK_TITLE])
        first_version, last_version = cursor.fetchone()
        span = last_version - first_version + 1
        # Responses of the attempts just made only: a re-run adds none (NOT EXISTS is one probe).
        cursor.execute(
            f"INSERT INTO {r} (attempt_id, position, version_id, max_mark, answer, answered, "  # noqa: S608
            f"fraction, manual, feedback, graded_at) "
            f"SELECT x.id, p.n, {first_version} + (x.id + p.n) %% {span}, 1.0, '0', %s, "
            f"CASE WHEN x.number = 1 THEN 0.4 ELSE 0.8 END, %s, '', %s "
            f"FROM {a} x JOIN bench_first_quiz fq ON fq.quiz_id = x.quiz_id "
            f"JOIN bench_attempt_number p ON p.n <= {RESPONSES_PER_ATTEMPT} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {r} y WHERE y.attempt_id = x.id) "
            f"ON CONFLICT (attempt_id, position) DO NOTHING",
            [True, False, now])
        responses = cursor.rowcount
    ctx.log(f"attempts: {attempts} attempts and {responses} responses created")
