"""Bodies of REST requests that used to end in a 500: NUL in text, JSON nested 100,000 deep,
numbers beyond 64 bits, a body that is not an object. Each is a 400 naming the field, in the
caller's language, and nothing is written. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import io

import pytest

from assessments import attempts
from assessments.models import Question
from assessments.models import Response as QuizResponse
from backend.accounts.models import Role, User
from courses.h5p import services as h5p_services
from courses.h5p.models import H5PStatement
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course
from tests.factories import user_with_role
from tests.h5p.builders import good_package
from tests.h5p.factories import build_h5p_course
from tests.h5p.statements import statement

DEEP = "[" * 100_000
HUGE = 2**63


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def refused(response, field: str | None = None, status: int = 400) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "invalid" and body["message"]
    if field is not None:
        assert field in body["fields"], body
    return body


@pytest.fixture
def attempt(tree, trainee):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["short_answer", "essay"])
    quiz = make_quiz(lesson, questions)
    enrol(course, trainee)
    return attempts.attempt_start(user=User.objects.get(pk=trainee.pk), quiz_id=quiz.pk).attempt


@pytest.fixture
def h5p(tree):
    made = build_h5p_course(tree["ministry"])
    h5p_services.h5p_upload(actor=made.trainer, lesson_id=made.lesson.pk, upload=io.BytesIO(good_package()))
    return made


# --- a body that is not an object -------------------------------------------------------------------

@pytest.mark.parametrize("body", ["[1]", '"x"', "null", "0", "[]", "true"])
def test_me_with_a_body_that_is_not_an_object_is_a_400(api, trainee, body):
    response = as_user(api, trainee).generic("PATCH", "/api/v1/me/", body, content_type="application/json",
                                             HTTP_ACCEPT_LANGUAGE="en")
    assert refused(response)["message"] == "The request body must be a JSON object."
    assert User.objects.get(pk=trainee.pk).full_name == trainee.full_name


def test_the_refusal_is_in_the_callers_language_vietnamese_by_default(api, trainee):
    as_user(api, trainee)
    body = {"full_name": "Nguyễn\u0000Văn"}
    assert refused(api.patch("/api/v1/me/", body, format="json"), "full_name")["message"].startswith("Một số")
    english = api.patch("/api/v1/me/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused(english, "full_name")["message"] == "Some fields are not valid; see “fields”."


def test_every_json_endpoint_refuses_a_list_unless_it_takes_one(api, trainee, attempt, h5p):
    as_user(api, trainee)
    refused(api.generic("PATCH", f"/api/v1/attempts/{attempt.pk}/", "[1]", content_type="application/json"))
    refused(api.generic("POST", f"/api/v1/attempts/{attempt.pk}/submit/", "0",
                        content_type="application/json"))
    as_user(api, h5p.trainee)
    batch = [statement(h5p.lesson.pk, raw=1, completion=True)]
    assert api.post(f"/api/v1/lessons/{h5p.lesson.pk}/xapi/", batch, format="json").status_code == 200


# --- nesting ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [DEEP, '{"a":' * 100_000, "[" * 65 + "]" * 65])
def test_deeply_nested_json_is_a_400_not_a_recursion_error(api, trainee, attempt, body):
    as_user(api, trainee)
    for method, url in (("PATCH", "/api/v1/me/"), ("PATCH", f"/api/v1/attempts/{attempt.pk}/"),
                        ("POST", f"/api/v1/attempts/{attempt.pk}/submit/")):
        refused(api.generic(method, url, body, content_type="application/json"))
    assert attempt.status == "in_progress"


# --- NUL ----------------------------------------------------------------------------------------------

def test_nul_in_an_answer_is_refused_naming_it_and_nothing_is_saved(api, trainee, attempt):
    as_user(api, trainee)
    body = {"responses": [{"position": 1, "answer": "Hà\u0000Nội"}]}
    refused(api.patch(f"/api/v1/attempts/{attempt.pk}/", body, format="json"), "responses.0.answer")
    refused(api.post(f"/api/v1/attempts/{attempt.pk}/submit/", body, format="json"), "responses.0.answer")
    assert not QuizResponse.objects.filter(attempt=attempt, answered=True).exists()


def test_nul_in_question_data_is_refused_naming_it(api, tree):
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    bank, _questions = bank_with_questions(tree["ministry"], ["true_false"])
    before = Question.objects.count()
    body = {"type": "single_choice", "text": "Câu hỏi?", "data": {"choices": [
        {"text": "Đúng\u0000", "fraction": 1}, {"text": "Sai"}]}}
    response = as_user(api, trainer).post(f"/api/v1/question-banks/{bank.pk}/questions/", body, format="json")
    refused(response, "data.choices.0.text")
    clean = {"choices": [{"text": "Đúng", "fraction": 1}, {"text": "Sai"}]}
    refused(api.post(f"/api/v1/question-banks/{bank.pk}/questions/",
                     {**body, "data": clean, "text": "Câu\u0000"}, format="json"), "text")
    assert Question.objects.count() == before


def test_nul_in_an_xapi_statement_is_refused_and_nothing_is_stored(api, h5p):
    data = statement(h5p.lesson.pk, raw=1, completion=True)
    data["result"]["response"] = "a\u0000b"
    refused(as_user(api, h5p.trainee).post(f"/api/v1/lessons/{h5p.lesson.pk}/xapi/", data, format="json"),
            "result.response")
    data["result"]["response"] = "ab"
    data["verb"]["display"] = {"vi\u0000": "x"}
    refused(api.post(f"/api/v1/lessons/{h5p.lesson.pk}/xapi/", [data], format="json"), "0.verb.display")
    assert H5PStatement.objects.count() == 0


def test_nul_in_a_multipart_field_is_refused(api, tree):
    admin = user_with_role(Role.ADMINISTRATOR, tree["ministry"])
    response = as_user(api, admin).post("/api/v1/certificate-templates/", {
        "organisation": "ministry", "issuer_name": "Trường\u0000", "signer_title": "Hiệu trưởng",
        "signer_name": "Trần Văn Minh"}, format="multipart")
    refused(response, "issuer_name")


# --- numbers ------------------------------------------------------------------------------------------

def test_a_number_beyond_64_bits_in_a_body_is_refused_naming_it(api, trainee, attempt):
    as_user(api, trainee)
    body = {"responses": [{"position": HUGE, "answer": "x"}]}
    refused(api.patch(f"/api/v1/attempts/{attempt.pk}/", body, format="json"), "responses.0.position")
    refused(api.generic("PATCH", f"/api/v1/attempts/{attempt.pk}/",
                        '{"responses": [{"position": 1, "answer": 1e999}]}', content_type="application/json"),
            "responses.0.answer")
    refused(api.generic("PATCH", f"/api/v1/attempts/{attempt.pk}/",
                        '{"responses": [{"position": 1, "answer": NaN}]}', content_type="application/json"))


def test_ids_beyond_64_bits_in_a_body_are_refused(api, tree, trainee):
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    course, _lesson = quiz_course(tree["ministry"])
    response = as_user(api, trainer).post(f"/api/v1/courses/{course.pk}/enrolments/",
                                          {"user_ids": [trainee.pk, HUGE]}, format="json")
    refused(response, "user_ids.1")


def test_a_deeply_nested_h5p_state_text_is_a_400(api, h5p):
    url = f"/api/v1/lessons/{h5p.lesson.pk}/h5p/state/"
    refused(as_user(api, h5p.trainee).put(url, {"state": DEEP}, format="json"), "state")
    assert api.get(url).json()["state"] is None
