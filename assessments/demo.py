"""Demo quizzes (demo mode only): a short quiz closing each module of the demo course, an
optional essay exercise, and a final quiz (pass mark 70 %). Idempotent: nothing is added to a
course that already has quizzes."""

from __future__ import annotations

from django.db import transaction

from assessments import services
from assessments.demo_content import ESSAY, FINAL_QUIZ, FINAL_TITLE, MODULE_QUIZZES
from assessments.models import Quiz
from courses import api as courses_api

FINAL_PASS_MARK = 70.0


@transaction.atomic
def seed_quizzes(course_id: int, users: dict | None = None) -> list[Quiz]:
    existing = list(Quiz.objects.filter(course_id=course_id).order_by("pk"))
    if existing:
        return existing
    trainer = (users or {}).get("trainer@demo.local")
    bank = services.bank_create(
        actor=None, title="Ngân hàng câu hỏi khóa học Kết luận 57", course_id=course_id
    )
    if trainer is not None:
        type(bank).objects.filter(pk=bank.pk).update(created_by=trainer)
    structure = courses_api.module_lessons(course_id=course_id)
    planned: list[tuple[int, str, list[dict], dict]] = []
    module_quiz_lessons: list[int] = []
    last_lesson_id = None
    for index, (module_id, _title, lessons) in enumerate(structure):
        if index >= len(MODULE_QUIZZES) or not lessons:
            continue
        last_lesson_id = lessons[-1].id
        lesson = courses_api.lesson_create(actor=None,
            module_id=module_id,
            kind=courses_api.LessonKind.QUIZ,
            title=f"Kiểm tra nhanh chuyên đề {index + 1}",
            prerequisites=[last_lesson_id],
        )
        module_quiz_lessons.append(lesson.id)
        planned.append(
            (
                lesson.id,
                lesson.title,
                MODULE_QUIZZES[index],
                {"review_correct": "immediately", "shuffle_answers": True},
            )
        )
        if ESSAY and index == 2:
            essay_lesson = courses_api.lesson_create(actor=None,
                module_id=module_id,
                kind=courses_api.LessonKind.QUIZ,
                required=False,
                title="Bài tập tự luận (không bắt buộc)",
                prerequisites=[last_lesson_id],
            )
            planned.append((essay_lesson.id, essay_lesson.title, [ESSAY], {"max_attempts": 1}))
    final_module = courses_api.module_create(actor=None, course_id=course_id, title=FINAL_TITLE)
    final = courses_api.lesson_create(actor=None,
        module_id=final_module,
        kind=courses_api.LessonKind.QUIZ,
        title=FINAL_TITLE,
        prerequisites=module_quiz_lessons + ([last_lesson_id] if last_lesson_id else []),
    )
    planned.append(
        (
            final.id,
            FINAL_TITLE,
            FINAL_QUIZ,
            {
                "pass_mark": FINAL_PASS_MARK,
                "max_attempts": 3,
                "time_limit_seconds": 20 * 60,
                "shuffle_questions": True,
                "grading_method": "highest",
                "review_correct": "after_close",
                "intro": "Bài kiểm tra gồm nhiều dạng câu hỏi về nội dung khóa học. Cần đạt từ 70% để "
                "hoàn thành khóa học; được làm tối đa 3 lần, tính lần cao nhất.",
            },
        )
    )
    courses_api.course_publish(actor=None, course_id=course_id)

    quizzes = []
    for lesson_id, title, questions, settings in planned:
        category = title
        created = [
            services.question_create(
                actor=None,
                bank_id=bank.pk,
                bank=bank,
                category=category,
                title=q.get("title", ""),
                type=q["type"],
                text=q["text"],
                data=q["data"],
            )
            for q in questions
        ]
        quizzes.append(
            services.quiz_create(
                actor=None,
                lesson_id=lesson_id,
                title=title,
                slots=[{"question": q.pk} for q in created],
                **settings,
            )
        )
    return quizzes
