"""Reads and the "fetch and check access" helpers of assessments.

- Banks: trainers over the bank's unit (a course's bank belongs to the course's unit).
- Quizzes: authored by trainers of the quiz lesson's course (``courses.api.lesson_get_for_author``);
  graded and reported on by the course's staff (``course_is_staff``); taken by trainees who may
  work on the lesson now (``lesson_get_for_learner``: enrolled, prerequisites met).
- Attempts: the owner, or the quiz course's staff. Anything else is 404 (no existence leak).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments.models import Attempt, Question, QuestionBank, Quiz, Response
from backend import raw_rows
from backend.accounts.api import Role, holds, path_q, search_q, subtree_paths, user_role_scopes
from backend.errors import DomainError
from courses import api as courses_api


def not_found() -> DomainError:
    return DomainError(_("Not found."), code="not_found", status=404)


def author_paths(user) -> list[str] | None:
    """Subtrees where the user is a trainer (None: everywhere; [] nowhere)."""
    return subtree_paths(user_role_scopes(user), (Role.TRAINER,))


def can_author_in(user, organisation_path: str) -> bool:
    return holds(user_role_scopes(user), Role.TRAINER, organisation_path)


def banks_for_author(user, *, search: str = "") -> QuerySet[QuestionBank]:
    """Banks the user may author; `search` matches the title, accents and case ignored."""
    if not getattr(user, "is_authenticated", False):
        return QuestionBank.objects.none()
    banks = QuestionBank.objects.filter(path_q(author_paths(user), "organisation_path"))
    matches = search_q(search, "search_key")
    return banks if matches is None else banks.filter(matches)


def questions_search(questions: QuerySet[Question], search: str) -> QuerySet[Question]:
    """Questions whose current version's title or text contains `search`, accents and case
    ignored (unchanged when the search holds nothing searchable)."""
    matches = search_q(search, "current__search_key")
    return questions if matches is None else questions.filter(matches)


def bank_get_for_author(user, bank_id: int) -> QuestionBank:
    bank = banks_for_author(user).filter(pk=bank_id).first()
    if bank is None:
        raise not_found()
    return bank


def question_get_for_author(user, question_id: int) -> Question:
    question = Question.objects.select_related("bank", "current", "category").filter(pk=question_id).first()
    if question is None or not can_author_in(user, question.bank.organisation_path):
        raise not_found()
    return question


_QUIZ_SQL = f"SELECT {raw_rows.columns(Quiz, 'q')} FROM {Quiz._meta.db_table} q WHERE q.id = %s"  # noqa: S608
_ATTEMPTS_SQL = (f"SELECT {raw_rows.columns(Attempt, 'a')} FROM {Attempt._meta.db_table} a "  # noqa: S608
                 "WHERE a.quiz_id = %s AND a.user_id = %s ORDER BY a.number")


def quiz_get(quiz_id: int) -> Quiz:
    """The quiz (404 when there is none). Written as SQL, as `person_attempts`: every quiz page
    and start reads it, and its ORM form cost more to compile than to run (decision 0077)."""
    with connection.cursor() as cursor:
        cursor.execute(_QUIZ_SQL, [quiz_id])
        row = cursor.fetchone()
    if row is None:
        raise not_found()
    return raw_rows.instance(Quiz, row)


def person_attempts(quiz: Quiz, user_id: int) -> list[Attempt]:
    """Every attempt of the person at the quiz, by number (all rounds), each knowing its quiz."""
    with connection.cursor() as cursor:
        cursor.execute(_ATTEMPTS_SQL, [quiz.pk, user_id])
        rows = cursor.fetchall()
    attempts = [raw_rows.instance(Attempt, row) for row in rows]
    for attempt in attempts:
        attempt.quiz = quiz
    return attempts


def quiz_get_for_author(user, quiz_id: int) -> Quiz:
    quiz = quiz_get(quiz_id)
    courses_api.lesson_get_for_author(user=user, lesson_id=quiz.lesson_id)  # 404 unless its trainer
    return quiz


def quiz_get_for_staff(user, quiz_id: int) -> Quiz:
    quiz = quiz_get(quiz_id)
    if not courses_api.course_is_staff(user=user, course_id=quiz.course_id):
        raise not_found()
    return quiz


def quiz_get_for_learner(user, quiz_id: int, *, lock: bool = False) -> Quiz:
    """The quiz behind a lesson the user may work on now (404 / 409 ``lesson_locked`` otherwise).
    What courses read to decide (``courses.api.LearnerLesson``: the round start, and the course
    and enrolment for the pages' course index) stays on the quiz as ``learner_access``, so
    nothing downstream reads it again."""
    quiz = quiz_get(quiz_id)
    access = courses_api.lesson_access_for_learner(user=user, lesson_id=quiz.lesson_id)
    if access.lesson.kind != courses_api.LessonKind.QUIZ or access.lesson.activity_id != quiz.pk:
        raise not_found()
    quiz.learner_access = access
    return quiz


def is_quiz_staff(user, quiz: Quiz) -> bool:
    return courses_api.course_is_staff(user=user, course_id=quiz.course_id)


def attempt_get_for_viewer(user, attempt_id: int) -> tuple[Attempt, bool]:
    """(attempt, as_staff): the owner sees it as a trainee, the course's staff see everything."""
    attempt = Attempt.objects.select_related("quiz").filter(pk=attempt_id).first()
    if attempt is None or not getattr(user, "is_authenticated", False):
        raise not_found()
    if attempt.user_id == user.pk:
        return attempt, False
    if is_quiz_staff(user, attempt.quiz):
        return attempt, True
    raise not_found()


def attempt_require_own(user, attempt_id: int) -> None:
    """404 unless the attempt is the caller's (for answering a bad body only after that check)."""
    if not Attempt.objects.filter(pk=attempt_id, user_id=user.pk).exists():
        raise not_found()


def attempt_get_for_staff(user, attempt_id: int) -> Attempt:
    """The attempt, for the staff of its quiz's course only (everyone else: 404)."""
    attempt, as_staff = attempt_get_for_viewer(user, attempt_id)
    if not as_staff:
        raise not_found()
    return attempt


def response_get_for_staff(user, response_id: int) -> Response:
    response = Response.objects.select_related("attempt__quiz").filter(pk=response_id).first()
    if response is None or not is_quiz_staff(user, response.attempt.quiz):
        raise not_found()
    return response


def this_round(attempts: list[Attempt], quiz: Quiz, user_id: int) -> list[Attempt]:
    """Attempts of the person's current round of the course: after a re-take for
    recertification (courses.api.round_started_at) earlier attempts are history, counted
    neither in the limit nor in the grade (docs/decisions/0063-recertification.md)."""
    access = getattr(quiz, "learner_access", None)  # read with the access check (quiz_get_for_learner)
    if access is not None and access.user_id == user_id:
        since = access.round_started_at
    else:
        since = courses_api.round_started_at(user_id=user_id, course_id=quiz.course_id)
    return attempts if since is None else [a for a in attempts if a.started_at >= since]


def user_attempts(quiz: Quiz, user_id: int) -> list[Attempt]:
    """The person's attempts of this round (see `this_round`)."""
    return this_round(person_attempts(quiz, user_id), quiz, user_id)
