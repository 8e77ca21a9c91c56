"""The pools kept between starts (assessments.pools, decision 0076): a second start of a quiz
reads no pool, and every change to what a pool holds is drawn by the next start (a new question,
a new version, a question archived, a tag removed), with memory bounded."""

import pytest

from assessments import attempts, pools, services
from assessments.models import Question, QuestionBank
from backend.accounts.models import Role, User
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course
from tests.factories import user_with_role

TYPES = ["single_choice", "true_false", "numerical"]


@pytest.fixture
def exam(tree):
    course, lesson = quiz_course(tree["ministry"])
    bank, questions = bank_with_questions(tree["ministry"], TYPES)
    quiz = make_quiz(lesson, slots=[{"bank": bank.pk, "count": len(questions)}], max_attempts=0)
    people = [user_with_role(Role.TRAINEE, tree["mission"]) for _ in range(8)]
    enrol(course, *people)
    return {"quiz": quiz, "bank": bank, "questions": questions, "people": iter(people)}


def drawn_texts(exam) -> set[str]:
    """What a new trainee's start draws (every question of the pool: count = pool size)."""
    result = attempts.attempt_start(user=next(exam["people"]), quiz_id=exam["quiz"].pk)
    return {r.version.text for r in result.responses}


def test_a_second_start_reads_no_pool(api, exam):
    def start_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        api.force_authenticate(User.objects.get(pk=next(exam["people"]).pk))
        with CaptureQueriesContext(connection) as captured:
            assert api.post(f"/api/v1/quizzes/{exam['quiz'].pk}/attempts/").status_code == 201
        return [q["sql"] for q in captured.captured_queries]

    first, second = start_queries(), start_queries()
    assert len(second) == len(first) - 1
    assert sum('FROM "assessments_questionversion"' in sql for sql in first) == 1
    assert not any('FROM "assessments_questionversion"' in sql for sql in second)


def test_a_new_question_a_new_version_and_an_archived_one_are_drawn_at_once(exam):
    bank, questions = exam["bank"], exam["questions"]
    assert drawn_texts(exam) == {q.current.text for q in questions}
    services.question_create(actor=None, bank_id=bank.pk, type="true_false", text="Câu hỏi mới?",
                             data={"answer": True})
    make_quiz_count(exam, len(questions) + 1)
    assert "Câu hỏi mới?" in drawn_texts(exam)
    services.question_update(actor=None, question_id=questions[0].pk, text="Đã sửa: Nghị quyết 59?",
                             data=questions[0].current.data)
    texts = drawn_texts(exam)
    assert "Đã sửa: Nghị quyết 59?" in texts and questions[0].current.text not in texts
    archived = Question.objects.get(pk=questions[1].pk)
    archived.archived = True
    archived.save()
    make_quiz_count(exam, len(questions))
    assert questions[1].current.text not in drawn_texts(exam)


def make_quiz_count(exam, count: int) -> None:
    services.quiz_update(actor=None, quiz_id=exam["quiz"].pk,
                         slots=[{"bank": exam["bank"].pk, "count": count}])


def test_a_tag_removed_leaves_the_tag_slots_pool(tree, exam):
    bank, questions = exam["bank"], exam["questions"]
    services.quiz_update(actor=None, quiz_id=exam["quiz"].pk,
                         slots=[{"bank": bank.pk, "tag": "kl57", "count": 2}])
    assert len(drawn_texts(exam)) == 2
    for question in questions[1:]:
        services.question_update(actor=None, question_id=question.pk, text=question.current.text,
                                 data=question.current.data, tags=[])
    assert drawn_texts(exam) == {questions[0].current.text}  # the only one still tagged


def test_each_change_gives_the_bank_a_new_token(exam):
    bank = exam["bank"]
    before = QuestionBank.objects.get(pk=bank.pk).pool_token
    services.question_create(actor=None, bank_id=bank.pk, type="true_false", text="Thêm?",
                             data={"answer": False})
    after = QuestionBank.objects.get(pk=bank.pk).pool_token
    assert after != before


def test_memory_is_bounded(monkeypatch, exam):
    pools.forget()
    monkeypatch.setattr(pools, "BIG_POOL", 2)  # this pool (3 versions) is read every time
    drawn_texts(exam)
    assert not pools._kept
    monkeypatch.setattr(pools, "BIG_POOL", 2_000)
    monkeypatch.setattr(pools, "MAX_VERSIONS", 3)
    drawn_texts(exam)
    assert pools._size == 3
    services.question_create(actor=None, bank_id=exam["bank"].pk, type="true_false", text="Thêm?",
                             data={"answer": False})
    drawn_texts(exam)  # a new token: the 4-version pool replaces the old one (oldest dropped)
    assert pools._size == 4 and len(pools._kept) == 1
    pools.forget()


def test_quiz_slots_reads_what_the_orm_form_read(tree):
    """The hand-written statement against the ORM query it replaced: fixed and random slots in
    order, each fixed one with its question's current version (search key deferred), each
    random one with its bank's token."""
    from django.db.models import F

    from assessments.models import QuizSlot

    _course, lesson = quiz_course(tree["ministry"])
    bank, questions = bank_with_questions(tree["ministry"], TYPES)
    services.question_update(actor=None, question_id=questions[0].pk, text="Phiên bản 2: báo chí?",
                             data=questions[0].current.data)  # a fixed slot reads the current version
    quiz = make_quiz(lesson, slots=[{"question": questions[0].pk, "mark": 2.5},
                                    {"bank": bank.pk, "count": 2},
                                    {"question": questions[1].pk}], max_attempts=0)
    orm = list(QuizSlot.objects.filter(quiz=quiz).select_related("question__current")
               .defer("question__current__search_key").annotate(pool_token=F("bank__pool_token")))
    slots = pools.quiz_slots(quiz)
    assert [(s.pk, s.position, s.question_id, s.bank_id, s.count, s.mark, s.pool_token) for s in slots] == [
        (s.pk, s.position, s.question_id, s.bank_id, s.count, s.mark, s.pool_token) for s in orm]
    for slot, expected in zip(slots, orm, strict=True):
        if expected.question_id is None:
            assert slot.current_version is None
            assert slot.pool_token == QuestionBank.objects.get(pk=bank.pk).pool_token  # renewed by the edit
            continue
        version, want = slot.current_version, expected.question.current
        assert (version.pk, version.number, version.text, version.data, version.default_mark) == (
            want.pk, want.number, want.text, want.data, want.default_mark)
        assert "search_key" in version.get_deferred_fields()
    assert slots[0].current_version.text == "Phiên bản 2: báo chí?" and slots[0].mark == 2.5
