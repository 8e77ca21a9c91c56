"""Set up the quiz pages' scenarios in a fresh Django process: a published course the size of
a bench course (5 modules of 5 readings and a quiz; no prerequisites, so every quiz is open),
each quiz drawing 10 of a 20-question bank, and the given bench trainees enrolled.

Run by the harness as `python -m tests.bench.pages_probe EMAIL...`; prints one JSON object
{"course_id", "quiz_ids", "lesson_ids"}. A new course per run, so nothing left over from a
previous run (attempts) changes what the pages show.
"""

from __future__ import annotations

import argparse
import json
import time

from tests.bench.exam_probe import bench_root_unit

MODULES = 5
READINGS = 5
QUESTIONS = 20
DRAWN = 10
BODY = "<p>Nội dung bài đọc về công tác thông tin đối ngoại.</p>" * 8


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("emails", nargs="+")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from assessments import services as quiz_services
    from backend.accounts.models import User
    from courses import enrolments
    from courses import services as course_services

    stamp = int(time.time())
    unit = bench_root_unit()
    course = course_services.course_create(
        actor=None, organisation_id=unit.pk, title=f"Khóa học có bài kiểm tra {stamp}")
    quiz_lessons = []
    for m in range(1, MODULES + 1):
        module = course_services.module_create(actor=None, course_id=course.pk,
                                               title=f"Chuyên đề {m}")
        for n in range(1, READINGS + 1):
            course_services.lesson_create(actor=None, module_id=module.pk, kind="text",
                                          title=f"Bài {m}.{n}", body=BODY)
        quiz_lessons.append(course_services.lesson_create(
            actor=None, module_id=module.pk, kind="quiz", title=f"Kiểm tra chuyên đề {m}"))
    course_services.course_publish(actor=None, course_id=course.pk)
    bank = quiz_services.bank_create(actor=None, title=f"Ngân hàng trang {stamp}",
                                     organisation=unit.code)
    for n in range(QUESTIONS):
        data = ({"answer": True} if n % 2 else {"choices": [
            {"text": "Bộ Ngoại giao", "fraction": 1}, {"text": "Quốc hội"}, {"text": "Chính phủ"}]})
        quiz_services.question_create(
            actor=None, bank_id=bank.pk, bank=bank, type="true_false" if n % 2 else "single_choice",
            text=f"Câu hỏi số {n + 1}?", data=data, category="Trang")
    quiz_ids = [quiz_services.quiz_create(
        actor=None, lesson_id=lesson.pk, title=lesson.title, pass_mark=70,
        slots=[{"bank": bank.pk, "category": "Trang", "count": DRAWN}]).pk
        for lesson in quiz_lessons]
    users = list(User.objects.filter(email__in=args.emails).values_list("pk", flat=True))
    enrolments.enrolments_add(actor=None, course_id=course.pk, user_ids=users)
    result = {"course_id": course.pk, "quiz_ids": quiz_ids,
              "lesson_ids": [lesson.pk for lesson in quiz_lessons]}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
