"""Who may call what: every operation of the OpenAPI schema x six actors, with the expected outcome
in ONE table (MATRIX). An operation of the schema without a row fails the test, so a new endpoint
cannot ship without someone deciding who may call it.

Actors (columns, in this order), all of tests/api/world.py:
  anon       not signed in
  trainee_a  trainee of unit A, enrolled in unit A's course; owns the attempt and the certificate
  trainee_b  trainee of unit B (another unit, not enrolled)
  trainer_b  trainer of unit B
  admin_b    administrator of unit B
  owner      the staff member of unit A who owns the object: the row names who (trainer_a/admin_a)

Outcomes are status classes: "2xx", or the exact 4xx code. Allowed actors are sent a minimal
valid body, so they mostly get 2xx; a 409 marks a refusal by the object's state (the quiz lesson
already has a quiz), a 400 a body the rule refuses. Denied actors must get 401, 403 or 404, never
a 400 or 409 (authorise before validating). Where 403 and 404 are both defensible the table holds
the code given today: 404 when the caller may not know the object exists, 403 when they may see
it but not change it, or when the whole endpoint is closed to their role.

Every call runs on the same world, built once for the module, each inside a savepoint that is
rolled back, so no call sees another's effects. Writes are also sent with an empty body to every
actor the table denies: authorise before validating means that still answers 401/403/404."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from courses.h5p.fixture_library import build_question_package
from courses.h5p.selectors import activity_iri
from courses.models import Course
from tests.api.world import SINGLE, build_world, path_values
from tests.scorm.packages import scorm12_package

ACTORS = ("anon", "trainee_a", "trainee_b", "trainer_b", "admin_b", "owner")
DENIED = {"401", "403", "404"}

# operation: (outcomes for anon, trainee_a, trainee_b, trainer_b, admin_b, owner; who the owner is)
MATRIX: dict[str, tuple[str, str]] = {
    # accounts
    "GET /api/v1/me/":                                     ("401 2xx 2xx 2xx 2xx 2xx", "trainer_a"),
    "PATCH /api/v1/me/":                                   ("401 2xx 2xx 2xx 2xx 2xx", "trainer_a"),
    # admin_b names unit A: refused as a field error ("not an administrator of this unit"), by design
    "POST /api/v1/users/":                                 ("401 403 403 403 400 2xx", "admin_a"),
    # admin_b may import; each row of unit A is refused in the result (tests/accounts)
    "POST /api/v1/users/import/":                          ("401 403 403 403 2xx 2xx", "admin_a"),
    # a list of the people the caller administers: empty for everyone else
    "GET /api/v1/users/":                                  ("401 2xx 2xx 2xx 2xx 2xx", "admin_a"),
    "GET /api/v1/users/{id}/":                             ("401 404 404 404 404 2xx", "admin_a"),
    "PATCH /api/v1/users/{id}/":                           ("401 403 403 403 404 2xx", "admin_a"),
    "POST /api/v1/users/{id}/deactivate/":                 ("401 403 403 403 404 2xx", "admin_a"),
    # trainee_a is active and has signed in: nothing to reactivate, no invitation to resend
    "POST /api/v1/users/{id}/reactivate/":                 ("401 403 403 403 404 400", "admin_a"),
    "POST /api/v1/users/{id}/resend-invitation/":          ("401 403 403 403 404 409", "admin_a"),
    "GET /api/v1/jobs/{id}/":                              ("401 404 404 404 404 2xx", "admin_a"),
    # accommodations: administrators of the person's unit
    "GET /api/v1/users/{id}/accommodation/":               ("401 404 404 404 404 2xx", "admin_a"),
    "PUT /api/v1/users/{id}/accommodation/":               ("401 403 403 403 404 2xx", "admin_a"),
    # notifications: each person their own (the notification is trainee_a's enrolment notice)
    "GET /api/v1/notifications/":                          ("401 2xx 2xx 2xx 2xx 2xx", "trainee_a"),
    "POST /api/v1/notifications/{id}/read/":               ("401 2xx 404 404 404 2xx", "trainee_a"),
    "POST /api/v1/notifications/read-all/":                ("401 2xx 2xx 2xx 2xx 2xx", "trainee_a"),
    "GET /api/v1/me/notification-preferences/":            ("401 2xx 2xx 2xx 2xx 2xx", "trainee_a"),
    "PATCH /api/v1/me/notification-preferences/":          ("401 2xx 2xx 2xx 2xx 2xx", "trainee_a"),
    # platform-wide defaults: readable by anyone signed in; only a platform administrator (of no
    # particular unit; the world has none) changes them
    "GET /api/v1/notification-defaults/":                  ("401 2xx 2xx 2xx 2xx 2xx", "admin_a"),
    "PATCH /api/v1/notification-defaults/":                ("401 403 403 403 403 403", "admin_a"),
    # courses: catalogue and authoring (trainers of the course's unit)
    "GET /api/v1/courses/":                                ("401 2xx 2xx 2xx 2xx 2xx", "trainer_a"),
    "POST /api/v1/courses/":                               ("401 403 403 403 403 2xx", "trainer_a"),
    "GET /api/v1/courses/{id}/":                           ("401 2xx 404 404 404 2xx", "trainer_a"),
    "PATCH /api/v1/courses/{id}/":                         ("401 403 403 404 403 2xx", "trainer_a"),
    "POST /api/v1/courses/{id}/publish/":                  ("401 403 403 404 403 2xx", "trainer_a"),
    "POST /api/v1/courses/{id}/cover/":                    ("401 403 403 404 403 2xx", "trainer_a"),
    "DELETE /api/v1/courses/{id}/cover/":                  ("401 403 403 404 403 2xx", "trainer_a"),
    "POST /api/v1/courses/{id}/archive/":                  ("401 403 403 404 403 2xx", "trainer_a"),
    "POST /api/v1/courses/{id}/restore/":                  ("401 403 403 404 403 2xx", "trainer_a"),
    "POST /api/v1/courses/{id}/reorder/":                  ("401 403 403 404 403 409", "trainer_a"),  # v0
    "POST /api/v1/courses/{id}/modules/":                  ("401 403 403 404 403 2xx", "trainer_a"),
    "PATCH /api/v1/modules/{id}/":                         ("401 403 403 404 403 2xx", "trainer_a"),
    "DELETE /api/v1/modules/{id}/":                        ("401 403 403 404 403 2xx", "trainer_a"),
    "POST /api/v1/modules/{id}/lessons/":                  ("401 403 403 404 403 2xx", "trainer_a"),
    "GET /api/v1/lessons/{id}/":                           ("401 2xx 404 404 404 2xx", "trainer_a"),
    "PATCH /api/v1/lessons/{id}/":                         ("401 403 403 404 403 2xx", "trainer_a"),
    "DELETE /api/v1/lessons/{id}/":                        ("401 403 403 404 403 2xx", "trainer_a"),
    "POST /api/v1/lessons/{id}/file/":                     ("401 403 403 404 403 2xx", "trainer_a"),
    "GET /api/v1/lessons/{id}/file/":                      ("401 2xx 404 404 404 2xx", "trainer_a"),
    # courses: learning (the trainer is not enrolled: 404 where only learners act)
    "GET /api/v1/courses/{id}/outline/":                   ("401 2xx 404 404 404 2xx", "trainer_a"),
    "GET /api/v1/courses/{id}/continue/":                  ("401 2xx 404 404 404 404", "trainer_a"),
    "GET /api/v1/courses/{id}/progress/":                  ("401 2xx 404 404 404 2xx", "trainer_a"),
    "POST /api/v1/courses/{id}/enrol/":                    ("401 2xx 404 404 404 2xx", "trainer_a"),
    # trainee_a was enrolled by staff, so may not leave by themself (`enrolled_by_staff`)
    "POST /api/v1/courses/{id}/unenrol/":                  ("401 403 404 404 404 404", "trainer_a"),
    "POST /api/v1/lessons/{id}/complete/":                 ("401 2xx 404 404 404 404", "trainer_a"),
    "POST /api/v1/lessons/{id}/progress/":                 ("401 2xx 404 404 404 404", "trainer_a"),
    # listing enrolments is for staff (403 to trainees whatever the course); staff of B do not see A's
    "GET /api/v1/courses/{id}/enrolments/":                ("401 403 403 404 404 2xx", "trainer_a"),
    "POST /api/v1/courses/{id}/enrolments/":               ("401 403 403 404 404 2xx", "trainer_a"),
    "DELETE /api/v1/courses/{id}/enrolments/{user_id}/":   ("401 403 403 404 404 2xx", "trainer_a"),
    # one enrolment by id: its due-date extension (staff of the course's unit)
    "GET /api/v1/enrolments/{id}/":                        ("401 404 404 404 404 2xx", "trainer_a"),
    "PATCH /api/v1/enrolments/{id}/":                      ("401 403 403 404 404 2xx", "trainer_a"),
    # H5P
    "GET /api/v1/lessons/{id}/h5p/":                       ("401 2xx 404 404 404 2xx", "trainer_a"),
    "POST /api/v1/lessons/{id}/h5p/":                      ("401 403 403 404 403 2xx", "trainer_a"),
    "PATCH /api/v1/lessons/{id}/h5p/":                     ("401 403 403 404 403 2xx", "trainer_a"),
    "GET /api/v1/lessons/{id}/h5p/state/":                 ("401 2xx 404 404 404 404", "trainer_a"),
    "PUT /api/v1/lessons/{id}/h5p/state/":                 ("401 2xx 404 404 404 404", "trainer_a"),
    "POST /api/v1/lessons/{id}/xapi/":                     ("401 2xx 404 404 404 404", "trainer_a"),
    "GET /api/v1/lessons/{id}/xapi/export/":               ("401 2xx 404 404 404 2xx", "trainer_a"),
    "GET /api/v1/lessons/{id}/scorm/":                     ("401 2xx 404 404 404 2xx", "trainer_a"),
    "POST /api/v1/lessons/{id}/scorm/":                    ("401 403 403 404 403 2xx", "trainer_a"),
    "PATCH /api/v1/lessons/{id}/scorm/":                   ("401 403 403 404 403 2xx", "trainer_a"),
    "DELETE /api/v1/lessons/{id}/scorm/":                  ("401 403 403 404 403 2xx", "trainer_a"),
    # a learner exports their own attempts, staff of the course everyone's
    "GET /api/v1/lessons/{id}/scorm/attempts/export/":     ("401 2xx 404 404 404 2xx", "trainer_a"),
    # staff preview: the CMI is read and a commit answers applied=false (nothing recorded)
    "GET /api/v1/lessons/{id}/scorm/cmi/":                 ("401 2xx 404 404 404 2xx", "trainer_a"),
    "PUT /api/v1/lessons/{id}/scorm/cmi/":                 ("401 2xx 404 404 404 2xx", "trainer_a"),
    # assessments: authoring (trainers of the unit; others may not know the bank exists)
    "GET /api/v1/question-banks/":                         ("401 2xx 2xx 2xx 2xx 2xx", "trainer_a"),
    "POST /api/v1/question-banks/":                        ("401 403 403 404 403 2xx", "trainer_a"),
    "GET /api/v1/question-banks/{id}/export/":             ("401 404 404 404 404 2xx", "trainer_a"),
    "POST /api/v1/question-banks/{id}/import/":            ("401 403 403 404 403 2xx", "trainer_a"),
    "GET /api/v1/question-banks/{id}/questions/":          ("401 404 404 404 404 2xx", "trainer_a"),
    "POST /api/v1/question-banks/{id}/questions/":         ("401 403 403 404 403 2xx", "trainer_a"),
    "GET /api/v1/questions/{id}/":                         ("401 404 404 404 404 2xx", "trainer_a"),
    "PUT /api/v1/questions/{id}/":                         ("401 403 403 404 403 2xx", "trainer_a"),
    "POST /api/v1/quizzes/":                               ("401 403 403 404 403 409", "trainer_a"),  # one
    "GET /api/v1/quizzes/{id}/":                           ("401 2xx 404 404 404 2xx", "trainer_a"),
    "PATCH /api/v1/quizzes/{id}/":                         ("401 403 403 404 403 2xx", "trainer_a"),
    "GET /api/v1/quizzes/{id}/grading/":                   ("401 404 404 404 404 2xx", "trainer_a"),
    "GET /api/v1/quizzes/{id}/statistics/":                ("401 404 404 404 404 2xx", "trainer_a"),
    "GET /api/v1/quizzes/{id}/statistics/csv/":            ("401 404 404 404 404 2xx", "trainer_a"),
    "POST /api/v1/responses/{id}/grade/":                  ("401 403 403 404 404 2xx", "trainer_a"),
    "POST /api/v1/attempts/{id}/override/":                ("401 403 403 404 404 2xx", "trainer_a"),
    # time overrides of a quiz (staff of the course's unit; others may not know it exists)
    "GET /api/v1/quizzes/{id}/overrides/":                 ("401 404 404 404 404 2xx", "trainer_a"),
    "POST /api/v1/quizzes/{id}/overrides/":                ("401 403 403 404 404 2xx", "trainer_a"),
    "GET /api/v1/overrides/{id}/":                         ("401 404 404 404 404 2xx", "trainer_a"),
    "PATCH /api/v1/overrides/{id}/":                       ("401 403 403 404 404 2xx", "trainer_a"),
    "DELETE /api/v1/overrides/{id}/":                      ("401 403 403 404 404 2xx", "trainer_a"),
    # assessments: taking a quiz (the attempt is trainee_a's and already submitted: 409 to autosave)
    "POST /api/v1/quizzes/{id}/attempts/":                 ("401 2xx 404 404 404 404", "trainer_a"),
    "GET /api/v1/attempts/{id}/":                          ("401 2xx 404 404 404 2xx", "trainer_a"),
    "PATCH /api/v1/attempts/{id}/":                        ("401 409 404 404 404 404", "trainer_a"),
    "POST /api/v1/attempts/{id}/submit/":                  ("401 2xx 404 404 404 404", "trainer_a"),
    # certificates (administrators of the course's unit; the holder sees, never changes, hers)
    "GET /api/v1/certificates/":                           ("401 2xx 2xx 2xx 2xx 2xx", "admin_a"),
    "GET /api/v1/certificates/{id}/":                      ("401 2xx 404 404 404 2xx", "admin_a"),
    "GET /api/v1/certificates/{id}/badge/":                ("401 2xx 404 404 404 2xx", "admin_a"),
    "GET /api/v1/certificates/{id}/credential/":           ("401 2xx 404 404 404 2xx", "admin_a"),
    # public documents of verifiable credentials: anyone (outside verifiers fetch them)
    "GET /issuers/{id}/did.json":                          ("2xx 2xx 2xx 2xx 2xx 2xx", "admin_a"),
    "GET /credentials/status/{id}/{number}/":              ("2xx 2xx 2xx 2xx 2xx 2xx", "admin_a"),
    # the PDF is drawn after commit, which never comes here: `pdf_pending`
    "GET /api/v1/certificates/{id}/pdf/":                  ("401 409 404 404 404 409", "admin_a"),
    "POST /api/v1/certificates/{id}/revoke/":              ("401 403 403 403 404 2xx", "admin_a"),
    # the world's certificate is not revoked: the owner is told `not_revoked`
    "POST /api/v1/certificates/{id}/reinstate/":           ("401 403 403 403 404 409", "admin_a"),
    "POST /api/v1/certificates/{id}/reissue/":             ("401 403 403 403 404 2xx", "admin_a"),
    # only the holder renews; the world's template has no renewal rule, so she is told so (409)
    "POST /api/v1/certificates/{id}/renew/":               ("401 409 404 404 404 403", "admin_a"),
    "POST /api/v1/certificates/{id}/render/":              ("401 403 403 403 404 2xx", "admin_a"),
    "POST /api/v1/certificates/jobs/{id}/resume/":         ("401 403 403 403 403 2xx", "admin_a"),
    "POST /api/v1/courses/{id}/certificates/issue/":       ("401 403 403 403 403 2xx", "admin_a"),
    "GET /api/v1/courses/{id}/certificates/zip/":          ("401 403 403 403 403 2xx", "admin_a"),
    "GET /api/v1/certificate-templates/":                  ("401 2xx 2xx 2xx 2xx 2xx", "admin_a"),
    "POST /api/v1/certificate-templates/":                 ("401 403 403 403 403 2xx", "admin_a"),
    "GET /api/v1/certificate-templates/{id}/":             ("401 404 404 404 404 2xx", "admin_a"),
    "PATCH /api/v1/certificate-templates/{id}/":           ("401 403 403 403 404 2xx", "admin_a"),
    "DELETE /api/v1/certificate-templates/{id}/":          ("401 403 403 403 404 2xx", "admin_a"),
    # public
    "GET /api/v1/verify/{code}/":                          ("2xx 2xx 2xx 2xx 2xx 2xx", "admin_a"),
    "POST /api/v1/verify/file/":                           ("2xx 2xx 2xx 2xx 2xx 2xx", "admin_a"),
}



def _png() -> bytes:
    from tests.courses.covers_helpers import picture

    return picture("PNG", size=(64, 36)).read()


def _file(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _statement(world) -> dict:
    return {"id": str(uuid.uuid4()), "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
            "object": {"id": activity_iri(world.ids["h5p_lesson"]), "objectType": "Activity"}}


# Minimal valid bodies, functions of the world (ids differ per database); JSON unless MULTIPART.
# Bodies name unit A's objects, so that staff of unit B are asked about someone else's things.
BODIES = {
    "PATCH /api/v1/attempts/{id}/": lambda w: {"responses": []},
    "PUT /api/v1/users/{id}/accommodation/": lambda w: {"time_factor": "1.5", "extra_attempts": 1},
    "PATCH /api/v1/enrolments/{id}/": lambda w: {"due_at": "2027-01-15T09:00:00+07:00"},
    "POST /api/v1/quizzes/{id}/overrides/": lambda w: {"cohort": w.ids["cohort"], "max_attempts": 7},
    "PATCH /api/v1/overrides/{id}/": lambda w: {"max_attempts": 4},
    "POST /api/v1/attempts/{id}/override/": lambda w: {"percentage": 80, "reason": "Chấm lại"},
    "POST /api/v1/certificate-templates/": lambda w: {
        "course": w.ids["course"], "issuer_name": "Trường Bồi dưỡng", "signer_title": "Hiệu trưởng",
        "signer_name": "Trần Văn Minh"},
    "PATCH /api/v1/certificate-templates/{id}/": lambda w: {"place": "Huế"},
    "POST /api/v1/certificates/{id}/reissue/": lambda w: {"reason": "Đổi tên"},
    "POST /api/v1/certificates/{id}/revoke/": lambda w: {"reason": "Cấp nhầm"},
    "POST /api/v1/certificates/{id}/reinstate/": lambda w: {"reason": "Thu hồi nhầm"},
    "POST /api/v1/verify/file/": lambda w: {"file": _file("giay-chung-nhan.pdf", PDF, "application/pdf")},
    "POST /api/v1/courses/": lambda w: {"title": "Khóa mới", "organisation": w.units["a"].code},
    "PATCH /api/v1/courses/{id}/": lambda w: {"title": "Tên mới",
                                              "version": Course.objects.get(pk=w.ids["course"]).version},
    "POST /api/v1/courses/{id}/certificates/issue/": lambda w: {"user_ids": [w.ids["trainee_a"]]},
    "POST /api/v1/courses/{id}/enrolments/": lambda w: {"user_ids": [w.ids["trainee_a"]]},
    "POST /api/v1/courses/{id}/modules/": lambda w: {"title": "Chuyên đề 2"},
    "POST /api/v1/courses/{id}/reorder/": lambda w: {"version": 0, "modules": []},
    "PATCH /api/v1/lessons/{id}/": lambda w: {"title": "Bài đọc mới"},
    "POST /api/v1/lessons/{id}/file/": lambda w: {"file": _file("ghi-chu.pdf", PDF, "application/pdf")},
    "POST /api/v1/courses/{id}/cover/": lambda w: {"cover": _file("bia.png", _png(), "image/png")},
    "POST /api/v1/lessons/{id}/h5p/": lambda w: {"file": _file("cau-hoi.h5p", build_question_package(
        "Đúng hay sai?", correct="yes", language="vi"))},
    "PATCH /api/v1/lessons/{id}/h5p/": lambda w: {"grading_method": "last"},
    "PUT /api/v1/lessons/{id}/h5p/state/": lambda w: {"state": "{}"},
    "POST /api/v1/lessons/{id}/scorm/": lambda w: {"file": _file("goi-scorm.zip", scorm12_package(),
                                                                 "application/zip")},
    "PATCH /api/v1/lessons/{id}/scorm/": lambda w: {"grading_method": "last"},
    "PUT /api/v1/lessons/{id}/scorm/cmi/": lambda w: {"sco": "ITEM-1", "attempt": 1, "seq": 1,
                                                      "cmi": {"cmi.core.lesson_status": "incomplete"}},
    "POST /api/v1/lessons/{id}/progress/": lambda w: {"time_spent_seconds": 5},
    "POST /api/v1/lessons/{id}/xapi/": _statement,
    "PATCH /api/v1/me/": lambda w: {"full_name": "Nguyễn Văn Mới"},
    "PATCH /api/v1/me/notification-preferences/": lambda w: {"preferences": {"course_due": "digest"}},
    "PATCH /api/v1/notification-defaults/": lambda w: {"defaults": {"course_due": "digest"}},
    "PATCH /api/v1/modules/{id}/": lambda w: {"title": "Chuyên đề mới"},
    "POST /api/v1/modules/{id}/lessons/": lambda w: {"kind": "text", "title": "Bài mới", "body": "<p>x</p>"},
    "POST /api/v1/question-banks/": lambda w: {"title": "Ngân hàng mới", "organisation": w.units["a"].code},
    "POST /api/v1/question-banks/{id}/import/": lambda w: {
        "file": _file("cau-hoi.gift", "Hà Nội là thủ đô? {T}\n".encode()), "format": "gift"},
    "POST /api/v1/question-banks/{id}/questions/": lambda w: {"type": "true_false", "text": "Đúng không?",
                                                             "data": {"answer": True}},
    "PUT /api/v1/questions/{id}/": lambda w: {"text": "Văn bản nào?", "data": SINGLE},
    "POST /api/v1/quizzes/": lambda w: {"title": "Kiểm tra 2", "lesson": w.ids["quiz_lesson"]},
    "PATCH /api/v1/quizzes/{id}/": lambda w: {"title": "Kiểm tra cuối"},
    "POST /api/v1/responses/{id}/grade/": lambda w: {"mark": 1, "feedback": "Tốt"},
    "POST /api/v1/users/": lambda w: {"email": "moi@example.vn", "full_name": "Người Mới",
                                      "organisation": w.units["a"].code},
    "PATCH /api/v1/users/{id}/": lambda w: {"full_name": "Nguyễn Thị Sửa Tên"},
    "POST /api/v1/users/import/": lambda w: {"file": _file(
        "nguoi-dung.csv", f"email,full_name,organisation\nnhap@example.vn,Người Nhập,{w.units['a'].code}\n"
        .encode())},
}
MULTIPART = {"POST /api/v1/lessons/{id}/file/", "POST /api/v1/courses/{id}/cover/",
             "POST /api/v1/lessons/{id}/h5p/", "POST /api/v1/lessons/{id}/scorm/",
             "POST /api/v1/question-banks/{id}/import/", "POST /api/v1/users/import/",
             "POST /api/v1/verify/file/"}
# Query parameters some rows need to say what they ask (staff reading someone's progress).
QUERIES = {"GET /api/v1/courses/{id}/progress/": lambda w: {"user": w.ids["trainee_a"]},
           "GET /api/v1/lessons/{id}/scorm/cmi/": lambda w: {"sco": "ITEM-1"}}


def _empty(world) -> dict:
    return {}


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def schema_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(method.upper(), path) for path, item in schema["paths"].items()
            for method in ("get", "post", "put", "patch", "delete") if method in item]


OPERATIONS = schema_operations()


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, module_media):
    """The world's files (a lesson attachment, an H5P package) live as long as the world."""
    settings.MEDIA_ROOT = module_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, module_media):
    """Built once, committed nowhere: the outer atomic block is rolled back after the module."""
    with (django_db_blocker.unblock(), override_settings(MEDIA_ROOT=module_media),
          transaction.atomic()):
        yield build_world()
        transaction.set_rollback(True)
    cache.clear()


def call(world, actor: str, method: str, path: str, body=None) -> int:
    """`body`: None (none sent), or a function of the world (called per call: files are read once)."""
    client = APIClient()
    if actor != "anon":
        user = world.user(MATRIX[f"{method} {path}"][1] if actor == "owner" else actor)
        client.force_authenticate(user)
    url = path.format(**path_values(world, path))
    query = QUERIES.get(f"{method} {path}")
    cache.clear()  # rate limits and cached access decisions belong to one call
    with transaction.atomic():
        kwargs = {"data": query(world)} if query else {}
        if body is not None:
            kind = "multipart" if f"{method} {path}" in MULTIPART else "json"
            kwargs = {"data": body(world), "format": kind}
        response = getattr(client, method.lower())(url, **kwargs)
        transaction.set_rollback(True)
    return response.status_code


def outcome(status: int) -> str:
    return "2xx" if 200 <= status < 300 else str(status)


def test_every_operation_has_a_row():
    missing = [f"{m} {p}" for m, p in OPERATIONS if f"{m} {p}" not in MATRIX]
    stale = sorted(set(MATRIX) - {f"{m} {p}" for m, p in OPERATIONS})
    assert not missing, "operations with no row in MATRIX (decide who may call them):\n" + "\n".join(missing)
    assert not stale, f"rows for operations that no longer exist: {stale}"


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_access(db, world, method, path):
    key = f"{method} {path}"
    if key not in MATRIX:
        pytest.fail(f"no row for {key}")
    expected = dict(zip(ACTORS, MATRIX[key][0].split(), strict=True))
    body = BODIES.get(key, _empty) if method != "GET" else None
    got = {actor: outcome(call(world, actor, method, path, body)) for actor in ACTORS}
    assert got == expected, key


WRITES = [(m, p) for m, p in OPERATIONS if m != "GET"]
# Creates whose scope (the unit, the lesson) is named only in the body: staff of another unit hold
# the role, so an empty body cannot be "someone else's" yet; it is a 400 like anyone's empty body.
# (With unit A named in the body they are refused: test_access above.)
SCOPED_BY_BODY = {"POST /api/v1/certificate-templates/", "POST /api/v1/courses/",
                  "POST /api/v1/question-banks/", "POST /api/v1/quizzes/"}
STAFF_OF_B = {"trainer_b", "admin_b"}


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_denied_actors_are_refused_before_their_body_is_read(db, world, method, path, request):
    key = f"{method} {path}"
    if key not in MATRIX:
        pytest.fail(f"no row for {key}")
    expected = dict(zip(ACTORS, MATRIX[key][0].split(), strict=True))
    denied = {actor for actor, want in expected.items() if want in DENIED
              and not (key in SCOPED_BY_BODY and actor in STAFF_OF_B)}
    got = {actor: outcome(call(world, actor, method, path, _empty)) for actor in denied}
    assert got == {actor: expected[actor] for actor in denied}, key
