"""Start, autosave and submit take a fixed number of queries whatever the number of questions
(responses bulk-inserted at start, one read and one bulk update per autosave, one bulk update
per grading), pinned for a 6- and a 30-question random quiz.

Start: quiz; lesson + course and enrolment (courses' learner check); the (quiz, user) state
row locked (a locking read; the first start then inserts it with ON CONFLICT DO NOTHING, no
savepoint); own attempts and the start of the person's current round of the course
(recertification re-takes, decision 0063); the person's effective rules (assessments.timing:
their own and their cohorts' overrides in one query, only on a quiz that has overrides,
decision 0076; the accommodation only under a time or attempt limit, and none when the auth
cache built the user); slots; each random slot's pool with its current
versions (one query: the draw picks among them); attempt insert; responses bulk insert.
Autosave: one statement locks the attempt and reads the responses at the positions sent with
their questions' type and definition (assessments.attempts._locked_with_responses), then one UPDATE.
Submit: the same statement with every response and the quiz (_locked_with_responses), every
fraction in one UPDATE, attempt update, the round start and finished attempts (quiz grade),
courses' result recording (lesson, course and enrolment under its lock in one statement, the
progress UPSERT returning the old status and the completed count, enrolment update; in the
submit's transaction, without savepoints), and the owner's effective
close date for the "after the quiz closes" review items (their overrides, only on a quiz that
has any); the review reuses the responses just graded.
Savepoints appear because the test runs inside a transaction.
"""

import pytest

from assessments.models import QuizOverride
from backend.accounts.models import Role, User
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course, right_answers
from tests.factories import RESULT_OLD_STATE_READS, user_with_role

AUTO = ["single_choice", "multiple_choice", "true_false", "numerical", "matching", "ordering"]
START, AUTOSAVE, SUBMIT = 11, 4, 10 + RESULT_OLD_STATE_READS
OVERRIDE_READS = 1  # on a start and on a submit, when the quiz has overrides (anyone's)


@pytest.mark.parametrize("overridden", [False, True])
@pytest.mark.parametrize("copies", [1, 5])
def test_query_counts_do_not_grow_with_questions(api, tree, django_assert_num_queries, copies, overridden):
    trainee = user_with_role(Role.TRAINEE, tree["mission"])
    course, lesson = quiz_course(tree["ministry"])
    bank, questions = bank_with_questions(tree["ministry"], AUTO, copies=copies)
    quiz = make_quiz(lesson, slots=[{"bank": bank.pk, "count": len(questions)}], shuffle_questions=True)
    enrol(course, trainee)
    if overridden:  # someone else's override: the trainee's rules must still be read
        QuizOverride.objects.create(quiz=quiz, user=user_with_role(Role.TRAINEE, tree["mission"]),
                                    max_attempts=3)
    extra = OVERRIDE_READS if overridden else 0
    api.force_authenticate(User.objects.get(pk=trainee.pk))
    by_text = {q.current.text: q for q in questions}
    with django_assert_num_queries(START + extra):
        start = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert start.status_code == 201 and len(start.json()["questions"]) == 6 * copies
    answers = right_answers(start.json(), by_text)
    with django_assert_num_queries(AUTOSAVE):
        saved = api.patch(f"/api/v1/attempts/{start.json()['id']}/", {"responses": answers}, format="json")
    assert saved.status_code == 200
    with django_assert_num_queries(SUBMIT + extra):
        done = api.post(f"/api/v1/attempts/{start.json()['id']}/submit/", {}, format="json")
    assert done.json()["percentage"] == 100.0
