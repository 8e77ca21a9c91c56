"""Set up the exam-start surge in a fresh Django process: a published course with one quiz
lesson, a bank of 60 questions (seven auto-graded types), a quiz drawing 30 at random with
shuffled questions and answers, N bench trainees enrolled, and a session token for each.

Run by the harness as `python -m tests.bench.exam_probe --trainees N`; prints one JSON object
{"quiz_id", "tokens"}. Sessions are written directly, through the configured session engine
(what a headless login stores: user id, backend, session hash; with cached_db in the cache
too), so 2,000 trainees do not cost 2,000 password hashes before the surge. The auth facts
are not warmed: the start is each trainee's first request, the auth cache's cold case;
logging in is measured by the `me` scenario, not here. A new exam per run: nothing left over
from a previous run (in-progress attempts) changes the figures.
"""

from __future__ import annotations

import argparse
import json
import time


def bench_root_unit():
    """The bench organisation tree's root (the unit that owns the probes' courses and banks)."""
    from backend.accounts.models import Organisation

    return (
        Organisation.objects.filter(code__startswith="bench-", parent__isnull=True).first()
        or Organisation.objects.filter(code__startswith="bench-").order_by("path").first()
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--questions", type=int, default=30)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    # The configured engine, as a login stores the session (cached_db: Redis and PostgreSQL);
    # the db engine alone would leave every start to read its session from PostgreSQL.
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    from assessments import services as quiz_services
    from backend.accounts.models import Role, User
    from courses import enrolments
    from courses import services as course_services

    stamp = int(time.time())
    unit = bench_root_unit()
    course = course_services.course_create(
        actor=None, organisation_id=unit.pk, title=f"Kỳ thi thử {stamp}", self_enrolment=False
    )
    module = course_services.module_create(actor=None, course_id=course.pk, title="Kiểm tra")
    lesson = course_services.lesson_create(actor=None, module_id=module.pk, kind="quiz", title="Bài thi")
    course_services.course_publish(actor=None, course_id=course.pk)
    bank = quiz_services.bank_create(actor=None, title=f"Ngân hàng thi {stamp}", organisation=unit.code)
    kinds = [
        (
            "single_choice",
            {
                "choices": [
                    {"text": "Bộ Chính trị", "fraction": 1, "feedback": "Đúng"},
                    {"text": "Quốc hội"},
                    {"text": "Chính phủ"},
                    {"text": "Bộ Ngoại giao"},
                ]
            },
        ),
        (
            "multiple_choice",
            {
                "choices": [
                    {"text": "Nhân lực", "correct": True},
                    {"text": "Vật lực", "correct": True},
                    {"text": "Tài lực", "correct": True},
                    {"text": "Thời tiết"},
                ]
            },
        ),
        ("true_false", {"answer": True}),
        ("short_answer", {"answers": [{"text": "hiện đại", "fraction": 1}], "ignore_accents": True}),
        ("numerical", {"answers": [{"value": 2030, "tolerance": 0, "fraction": 1}]}),
        (
            "matching",
            {
                "pairs": [
                    {"left": "Nguyễn Trọng Nghĩa", "right": "Ban Tuyên giáo"},
                    {"left": "Lê Thị Thu Hằng", "right": "Bộ Ngoại giao"},
                    {"left": "Nguyễn Thanh Lâm", "right": "Bộ Thông tin và Truyền thông"},
                ]
            },
        ),
        ("ordering", {"items": ["Kết luận 57", "Hướng dẫn 111", "Hội nghị toàn quốc", "Kế hoạch đơn vị"]}),
    ]
    for n in range(args.questions * 2):
        kind, data = kinds[n % len(kinds)]
        quiz_services.question_create(
            actor=None,
            bank_id=bank.pk,
            bank=bank,
            type=kind,
            text=f"Câu hỏi số {n + 1} về thông tin đối ngoại?",
            data=data,
            category="Thi",
        )
    quiz = quiz_services.quiz_create(
        actor=None,
        lesson_id=lesson.pk,
        title="Bài thi",
        shuffle_questions=True,
        time_limit_seconds=3600,
        pass_mark=70,
        slots=[{"bank": bank.pk, "category": "Thi", "count": args.questions}],
    )
    users = list(
        User.objects.filter(
            email__endswith="@bench.invalid", is_active=True, role_assignments__role=Role.TRAINEE
        ).order_by("pk")[: args.trainees]
    )
    enrolments.enrolments_add(actor=None, course_id=course.pk, user_ids=[u.pk for u in users])
    backend = "allauth.account.auth_backends.AuthenticationBackend"
    tokens = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        tokens.append(session.session_key)
    result = {"quiz_id": quiz.pk, "tokens": tokens}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
