"""GET and PUT cmi take a fixed number of queries whatever the size of the data model (one JSON
column) and however many attempts or SCOs the learner has, pinned for a small and a large commit.

GET (resume): lesson + course and enrolment (courses' learner check), the package, the SCO's
latest attempt, the session fold (an UPDATE, only when the last session ended without
Terminate), the learner's result.
PUT: the learner check (2), the package, the result row locked, the latest attempt, the attempt
written, every attempt of the lesson read once, the result written, then courses' result
recording (lesson, enrolment lock, progress lock, progress write); the savepoint pair is the
transaction.atomic inside the test's own transaction.
"""

from __future__ import annotations

import pytest

from backend.accounts.models import User
from tests.factories import RESULT_OLD_STATE_READS
from tests.scorm.factories import build_scorm_course, item, make_package

GET_RESUME, PUT_COMMIT = 4, 11 + RESULT_OLD_STATE_READS


def commit(interactions: int) -> dict:
    cmi = {"cmi.core.lesson_status": "incomplete", "cmi.core.session_time": "00:01:00",
           "cmi.suspend_data": "x" * 2000, "cmi.core.score.raw": "50"}
    for n in range(interactions):
        cmi[f"cmi.interactions.{n}.id"] = f"q{n}"
        cmi[f"cmi.interactions.{n}.result"] = "correct"
    return cmi


@pytest.mark.parametrize("interactions", [1, 200])
def test_query_counts_do_not_grow_with_the_data_model(api, tree, django_assert_num_queries, interactions):
    made = build_scorm_course(tree["ministry"])
    make_package(made.lesson, items=[item("a"), item("b"), item("c")])
    api.force_authenticate(User.objects.get(pk=made.trainee.pk))
    url = f"/api/v1/lessons/{made.lesson.pk}/scorm/cmi/"
    for sco in ("b", "c"):  # other SCOs' attempts make no more queries
        api.put(url, {"sco": sco, "attempt": 1, "seq": 1, "cmi": commit(3)}, format="json")
    api.put(url, {"sco": "a", "attempt": 1, "seq": 1, "cmi": commit(interactions)}, format="json")
    with django_assert_num_queries(PUT_COMMIT):
        response = api.put(url, {"sco": "a", "attempt": 1, "seq": 2, "cmi": commit(interactions)},
                           format="json")
    assert response.json()["applied"] is True
    with django_assert_num_queries(GET_RESUME + 1):  # + the fold: no Terminate came
        response = api.get(url, {"sco": "a"})
    assert response.json()["seq"] == 2
    with django_assert_num_queries(GET_RESUME):
        response = api.get(url, {"sco": "a"})
    assert len(response.json()["cmi"]) > interactions * 2
