"""Quizzes built through the real services: a published course with a quiz lesson, a bank with
questions of every type whose secrets carry recognisable markers, a quiz over them."""

from __future__ import annotations

from assessments import services as assessments_services
from backend.accounts.models import Role
from courses import enrolments
from courses import services as course_services
from tests.factories import user_with_role

# Every string or number here that a trainee must not see before the review policy allows it
# contains "MẬT" or is a distinctive number: the security test searches payloads for them.
SECRET_SAMPLES = {
    "single_choice": {
        "choices": [
            {"text": "Kết luận số 57-KL/TW", "fraction": 1, "feedback": "MẬT-sc-đúng"},
            {"text": "Nghị quyết số 1", "fraction": 0.3333333, "feedback": "MẬT-sc-một-phần"},
            {"text": "Chỉ thị số 2", "feedback": "MẬT-sc-sai"},
        ],
        "general_feedback": "MẬT-sc-chung",
    },
    "multiple_choice": {
        "choices": [
            {"text": "Nhân lực", "correct": True, "feedback": "MẬT-mc-1"},
            {"text": "Vật lực", "correct": True, "feedback": "MẬT-mc-2"},
            {"text": "Thời tiết", "correct": False, "feedback": "MẬT-mc-3"},
        ],
        "general_feedback": "MẬT-mc-chung",
    },
    "true_false": {
        "answer": True,
        "feedback_true": "MẬT-tf-true",
        "feedback_false": "MẬT-tf-false",
        "general_feedback": "MẬT-tf-chung",
    },
    "short_answer": {
        "answers": [{"text": "MẬT-sa-đáp-án", "fraction": 1, "feedback": "MẬT-sa-fb"}],
        "general_feedback": "MẬT-sa-chung",
    },
    "numerical": {
        "answers": [{"value": 4321.5, "tolerance": 0.25, "fraction": 1, "feedback": "MẬT-nu-fb"}],
        "general_feedback": "MẬT-nu-chung",
    },
    "matching": {
        "pairs": [{"left": "Nhân lực", "right": "con người"}, {"left": "Tài lực", "right": "tiền"}],
        "distractors": ["đất đai"],
        "general_feedback": "MẬT-ma-chung",
    },
    "ordering": {
        "items": ["Ban hành Kết luận", "Ban hành Hướng dẫn", "Hội nghị toàn quốc"],
        "general_feedback": "MẬT-or-chung",
    },
    "essay": {"grader_info": "MẬT-es-grader", "general_feedback": "MẬT-es-chung"},
}
SECRET_MARKERS = [
    "MẬT",
    "4321.5",
    "0.3333333",
    "fraction",
    "right_id",
    "grader_info",
    "correct_answer",
    '"specific"',
    "grader_feedback",
    "definition",
    "tolerance",
    "case_sensitive",
]


def trainer_for(organisation):
    return user_with_role(Role.TRAINER, organisation)


def quiz_course(organisation, *, extra_lessons: int = 0):
    """A published course: one module with a text lesson then a quiz lesson. (course, lesson)."""
    course = course_services.course_create(
        actor=None, organisation_id=organisation.pk, title="Thông tin đối ngoại", self_enrolment=True
    )
    module = course_services.module_create(actor=None, course_id=course.pk, title="Chuyên đề 1")
    for n in range(extra_lessons):
        course_services.lesson_create(
            actor=None,
            module_id=module.pk,
            kind="text",
            title=f"Bài {n + 1}",
            body="<p>Nội dung</p>",
            required=False,
        )
    lesson = course_services.lesson_create(actor=None, module_id=module.pk, kind="quiz", title="Bài kiểm tra")
    course_services.course_publish(actor=None, course_id=course.pk)
    return course, lesson


def bank_with_questions(organisation, types=None, copies: int = 1):
    bank = assessments_services.bank_create(actor=None, title="Ngân hàng", organisation=organisation.code)
    questions = []
    for n in range(copies):
        for qtype in types or SECRET_SAMPLES:
            questions.append(
                assessments_services.question_create(
                    actor=None,
                    bank_id=bank.pk,
                    bank=bank,
                    type=qtype,
                    title=f"MẬT-title-{qtype}-{n}",
                    text=f"Câu hỏi {qtype} số {n + 1}?",
                    data=SECRET_SAMPLES[qtype],
                    category="Chung",
                    tags=["kl57"],
                )
            )
    return bank, questions


def make_quiz(lesson, questions=None, *, slots=None, **settings):
    slots = slots if slots is not None else [{"question": q.pk} for q in questions]
    return assessments_services.quiz_create(
        actor=None, lesson_id=lesson.pk, title=settings.pop("title", "Kiểm tra"), slots=slots, **settings
    )


def enrol(course, *users):
    enrolments.enrolments_add(actor=None, course_id=course.pk, user_ids=[u.pk for u in users])


def right_answers(payload: dict, questions_by_text: dict) -> list[dict]:
    """Correct answers for the questions of a start payload (looked up from the definitions)."""
    from assessments.questions import get_type

    out = []
    for item in payload["questions"]:
        question = questions_by_text[item["text"]]
        version = question.current
        answer = get_type(version.type).correct_response(version.data)
        if version.type == "essay":
            answer = "Bài viết của học viên về thông tin đối ngoại."
        out.append({"position": item["position"], "answer": answer})
    return out


def essay_submitted(tree, trainee, *, closes_at=None):
    """A quiz course with an essay the trainee submitted (it waits for a grader)."""
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["essay"])
    quiz = make_quiz(lesson, questions, title="Bài luận cuối khóa", closes_at=closes_at)
    enrol(course, trainee)
    from assessments import attempts

    started = attempts.attempt_start(user=trainee, quiz_id=quiz.pk)
    answers = [{"position": r.position, "answer": "Bài viết về thông tin đối ngoại."}
               for r in started.responses]
    attempts.attempt_submit(user=trainee, attempt_id=started.attempt.pk, answers=answers)
    return course, quiz
