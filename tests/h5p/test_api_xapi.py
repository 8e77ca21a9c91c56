"""POST /api/v1/lessons/{id}/xapi/ (dedupe, attempts, grading, actor, sub-content, completion),
the state endpoint, and the statement export."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
from django.db import connection

from backend.accounts.models import Role, User
from courses.h5p import services
from courses.h5p.models import H5PAttempt, H5PResult, H5PStatement
from courses.models import LessonProgress
from tests.factories import RESULT_OLD_STATE_READS, user_with_role
from tests.h5p.builders import good_package
from tests.h5p.factories import build_h5p_course
from tests.h5p.statements import statement


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


@pytest.fixture
def h5p(tree):
    made = build_h5p_course(tree["ministry"])
    services.h5p_upload(actor=made.trainer, lesson_id=made.lesson.pk, upload=_file(good_package()))
    return made


def _file(data: bytes):
    import io
    return io.BytesIO(data)


def post(api, lesson_id, data):
    return api.post(f"/api/v1/lessons/{lesson_id}/xapi/", data, format="json")


def progress(h5p) -> LessonProgress:
    return LessonProgress.objects.get(lesson=h5p.lesson, enrolment__user=h5p.trainee)


def test_the_same_statement_twice_is_stored_once_and_counts_once(api, h5p):
    as_user(api, h5p.trainee)
    answered = statement(h5p.lesson.pk, raw=1, success=True, completion=True)
    first = post(api, h5p.lesson.pk, answered)
    assert first.status_code == 200, first.json()
    assert first.json() == {"stored": 1, "duplicates": 0, "attempts": 1, "score": 1.0, "completed": True}
    again = post(api, h5p.lesson.pk, answered)
    assert again.json() == {"stored": 0, "duplicates": 1, "attempts": 1, "score": 1.0, "completed": True}
    assert H5PStatement.objects.count() == 1 and H5PAttempt.objects.count() == 1
    assert progress(h5p).attempts == 1 and progress(h5p).status == "completed"


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_count_once_and_are_reported_stored_once(tree):
    """20 requests carrying the same statement at the same moment: one row, one attempt, and
    exactly one of the 20 answers says `stored` (the others: `duplicates`)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database cannot take concurrent writers")
    h5p = build_h5p_course(tree["ministry"])
    services.h5p_upload(actor=h5p.trainer, lesson_id=h5p.lesson.pk, upload=_file(good_package()))
    answered = statement(h5p.lesson.pk, raw=1, success=True, completion=True)
    errors: list[BaseException] = []
    results: list[services.IngestResult] = []
    barrier = threading.Barrier(20)

    def send() -> None:
        try:
            barrier.wait()
            results.append(services.xapi_ingest(user=User.objects.get(pk=h5p.trainee.pk),
                                                lesson_id=h5p.lesson.pk, statements=[answered]))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.stored for r in results) == 1 and sum(r.duplicates for r in results) == 19
    assert H5PStatement.objects.count() == 1 and H5PAttempt.objects.count() == 1
    assert H5PResult.objects.get().attempts == 1
    assert LessonProgress.objects.get(lesson=h5p.lesson).attempts == 1


def test_a_batch_reports_what_it_stored(api, h5p):
    as_user(api, h5p.trainee)
    known = statement(h5p.lesson.pk, "attempted")
    post(api, h5p.lesson.pk, known)
    r = post(api, h5p.lesson.pk, [known, statement(h5p.lesson.pk, "interacted"), known])
    assert (r.json()["stored"], r.json()["duplicates"]) == (1, 2)
    assert H5PStatement.objects.count() == 2


def test_every_attempt_is_kept(api, h5p):
    as_user(api, h5p.trainee)
    for raw in (0, 1, 0):
        post(api, h5p.lesson.pk, statement(h5p.lesson.pk, raw=raw, success=bool(raw), completion=True))
    assert [a.score for a in H5PAttempt.objects.order_by("id")] == [0.0, 1.0, 0.0]
    assert progress(h5p).attempts == 3 and progress(h5p).score == 1.0 and progress(h5p).passed is True


@pytest.mark.parametrize(("method", "expected"), [("highest", 0.8), ("last", 0.4), ("average", 0.5),
                                                   ("first", 0.3)])
def test_grading_methods(api, h5p, method, expected):
    as_user(api, h5p.trainer)
    r = api.patch(f"/api/v1/lessons/{h5p.lesson.pk}/h5p/", {"grading_method": method}, format="json")
    assert r.status_code == 200 and r.json()["grading_method"] == method
    as_user(api, h5p.trainee)
    for raw in (3, 8, 4):
        r = post(api, h5p.lesson.pk, statement(h5p.lesson.pk, raw=raw, max_score=10, completion=True))
    assert r.json()["score"] == pytest.approx(expected)
    assert progress(h5p).score == pytest.approx(expected)


def test_changing_the_grading_method_rescores_learners(api, h5p):
    as_user(api, h5p.trainee)
    for raw in (3, 8, 4):
        post(api, h5p.lesson.pk, statement(h5p.lesson.pk, raw=raw, max_score=10, completion=True))
    assert progress(h5p).score == pytest.approx(0.8)
    r = as_user(api, h5p.trainer).patch(f"/api/v1/lessons/{h5p.lesson.pk}/h5p/",
                                        {"grading_method": "last"}, format="json")
    assert r.status_code == 200
    assert progress(h5p).score == pytest.approx(0.4) and progress(h5p).attempts == 3
    r = as_user(api, h5p.trainee).patch(f"/api/v1/lessons/{h5p.lesson.pk}/h5p/",
                                        {"grading_method": "first"}, format="json")
    assert r.status_code == 403  # no trainer role: refused before the body is read


def test_the_client_actor_is_ignored(api, h5p):
    as_user(api, h5p.trainee)
    foreign = {"name": "Kẻ Mạo Danh", "mbox": "mailto:impostor@example.org", "objectType": "Agent"}
    r = post(api, h5p.lesson.pk, statement(h5p.lesson.pk, raw=1, completion=True, actor=foreign))
    assert r.status_code == 200
    row = H5PStatement.objects.get()
    assert row.user_id == h5p.trainee.pk and "actor" not in row.raw
    exported = json.loads(b"".join(as_user(api, h5p.trainee).get(
        f"/api/v1/lessons/{h5p.lesson.pk}/xapi/export/").streaming_content))
    assert exported[0]["actor"]["mbox"] == f"mailto:{h5p.trainee.email}"


def test_sub_content_statements_are_stored_but_not_counted(api, h5p):
    as_user(api, h5p.trainee)
    sub = str(uuid.uuid4())
    r = post(api, h5p.lesson.pk, statement(h5p.lesson.pk, raw=1, success=True, completion=True,
                                           sub_content=sub))
    assert r.json() == {"stored": 1, "duplicates": 0, "attempts": None, "score": None, "completed": False}
    row = H5PStatement.objects.get()
    assert row.sub_content_id == sub and row.is_root is False
    assert not H5PAttempt.objects.exists()
    assert not LessonProgress.objects.filter(lesson=h5p.lesson).exists()


def test_non_result_statements_are_stored_without_attempts(api, h5p):
    as_user(api, h5p.trainee)
    r = post(api, h5p.lesson.pk, [statement(h5p.lesson.pk, "attempted"),
                                  statement(h5p.lesson.pk, "interacted")])
    assert r.json()["stored"] == 2 and r.json()["attempts"] is None
    assert not H5PAttempt.objects.exists()


def test_completion_without_a_score_completes_the_lesson(api, h5p):
    as_user(api, h5p.trainee)
    r = post(api, h5p.lesson.pk, statement(h5p.lesson.pk, "completed"))
    assert r.json() == {"stored": 1, "duplicates": 0, "attempts": 0, "score": None, "completed": True}
    assert progress(h5p).status == "completed" and progress(h5p).score is None
    assert progress(h5p).enrolment.percent == 100


@pytest.mark.parametrize(("change", "code"), [
    (lambda s: s.pop("id"), "invalid_id"),
    (lambda s: s["object"].update(id="http://elsewhere.example/activity"), "object_mismatch"),
    (lambda s: s["result"]["score"].update(raw=5), "invalid_score"),
])
def test_invalid_statements_are_refused_and_nothing_is_stored(api, h5p, change, code):
    bad = statement(h5p.lesson.pk, raw=1)
    change(bad)
    r = post(as_user(api, h5p.trainee), h5p.lesson.pk, [statement(h5p.lesson.pk, "attempted"), bad])
    assert r.status_code == 400 and r.json()["code"] == code
    assert r.json()["fields"] == {"statements.1": r.json()["message"]}  # one string per field
    assert not H5PStatement.objects.exists()


def test_only_enrolled_learners_post_statements(api, tree, h5p):
    stranger = user_with_role(Role.TRAINEE, tree["ministry"])
    assert post(as_user(api, stranger), h5p.lesson.pk, statement(h5p.lesson.pk)).status_code == 404
    # Staff preview the content but are not recorded.
    assert post(as_user(api, h5p.trainer), h5p.lesson.pk, statement(h5p.lesson.pk)).status_code == 404
    r = post(as_user(api, h5p.trainee), h5p.lesson.pk, [])
    assert r.status_code == 400 and r.json()["code"] == "invalid_batch"
    assert not H5PStatement.objects.exists()


def test_statements_before_any_upload_are_refused(api, tree):
    bare = build_h5p_course(tree["ministry"])
    r = post(as_user(api, bare.trainee), bare.lesson.pk, statement(bare.lesson.pk))
    assert r.status_code == 409 and r.json()["code"] == "no_content"


def test_xapi_query_counts_are_fixed(api, h5p, django_assert_num_queries):
    as_user(api, h5p.trainee)
    post(api, h5p.lesson.pk, statement(h5p.lesson.pk, "attempted"))  # warm: progress row exists later
    with django_assert_num_queries(5):  # one INSERT … RETURNING stores and counts the new ones
        assert post(api, h5p.lesson.pk, statement(h5p.lesson.pk, "interacted")).status_code == 200
    with django_assert_num_queries(5):  # a batch costs the same as one statement
        assert post(api, h5p.lesson.pk, [statement(h5p.lesson.pk, "interacted") for _ in range(20)]
                    ).status_code == 200
    post(api, h5p.lesson.pk, statement(h5p.lesson.pk, raw=0, completion=True))
    # courses.api.lesson_record_result runs in this transaction, without savepoints of its own:
    # lesson + course + enrolment under its lock (one read), the progress UPSERT
    with django_assert_num_queries(12 + RESULT_OLD_STATE_READS):
        assert post(api, h5p.lesson.pk, statement(h5p.lesson.pk, raw=1, completion=True)
                    ).status_code == 200


def test_export_staff_see_everyone_learners_themselves(api, tree, h5p):
    other = user_with_role(Role.TRAINEE, tree["ministry"])
    from courses import enrolments
    enrolments.enrolments_add(actor=None, course_id=h5p.course.pk, user_ids=[other.pk])
    post(as_user(api, h5p.trainee), h5p.lesson.pk, statement(h5p.lesson.pk, "attempted"))
    post(as_user(api, other), h5p.lesson.pk, [statement(h5p.lesson.pk, "attempted"),
                                              statement(h5p.lesson.pk, raw=1, completion=True)])
    r = as_user(api, h5p.trainer).get(f"/api/v1/lessons/{h5p.lesson.pk}/xapi/export/")
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    everyone = json.loads(b"".join(r.streaming_content))
    assert len(everyone) == 3 and all(s["id"] and s["stored"] for s in everyone)
    r = api.get(f"/api/v1/lessons/{h5p.lesson.pk}/xapi/export/?user={other.pk}")
    assert len(json.loads(b"".join(r.streaming_content))) == 2
    own = json.loads(b"".join(as_user(api, h5p.trainee).get(
        f"/api/v1/lessons/{h5p.lesson.pk}/xapi/export/").streaming_content))
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in own] == ["attempted"]
    r = api.get(f"/api/v1/lessons/{h5p.lesson.pk}/xapi/export/?user={other.pk}")
    assert r.status_code == 403
    stranger = user_with_role(Role.TRAINEE, tree["province"])
    assert as_user(api, stranger).get(f"/api/v1/lessons/{h5p.lesson.pk}/xapi/export/").status_code == 404


def test_state_round_trip_and_limits(api, h5p, settings):
    as_user(api, h5p.trainee)
    url = f"/api/v1/lessons/{h5p.lesson.pk}/h5p/state/"
    assert api.get(url).json() == {"state": None}
    state = json.dumps({"answer": "yes", "ghi_chú": "Việt"}, ensure_ascii=False)
    assert api.put(url, {"state": state}, format="json").status_code == 200
    assert api.get(url).json() == {"state": state}
    r = api.put(url, {"state": "{not json"}, format="json")
    assert r.status_code == 400 and "state" in r.json()["fields"]
    settings.H5P_STATE_MAX_BYTES = 10
    assert api.put(url, {"state": json.dumps({"a": "x" * 20})}, format="json").status_code == 400
    assert api.put(url, {"state": None}, format="json").status_code == 200
    assert api.get(url).json() == {"state": None}
    assert as_user(api, h5p.trainer).put(url, {"state": "{}"}, format="json").status_code == 404
