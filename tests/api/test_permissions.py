"""Authorise before validating: a trainee who writes to any staff endpoint gets 403, whatever the
body (an invalid one, one that would conflict), and nothing is written.

The endpoints come from the URL configuration, so a new staff endpoint is covered the day it is
added; the few writes that learners are meant to make are listed in LEARNER_WRITES.
"""

import re

import pytest
from django.urls import get_resolver

from assessments.models import Response as QuizResponse
from backend.accounts.models import Role, RoleAssignment, User
from backend.audit.models import AuditEntry
from backend.jobs.models import Job
from certificates.models import CertificateTemplate
from certificates.rendering import render_one
from certificates.services import certificate_issue
from courses.models import Module
from tests.assessments.factories import bank_with_questions, make_quiz, quiz_course
from tests.certificates.factories import certificate_course, complete, make_template
from tests.courses.factories import enrol
from tests.factories import user_with_role

UNSAFE = ("post", "put", "patch", "delete")

# (route, method) a learner is meant to use; everything else that writes is for staff.
LEARNER_WRITES = {
    ("api/v1/me/", "patch"),
    ("api/v1/courses/<int:pk>/enrol/", "post"),
    ("api/v1/courses/<int:pk>/unenrol/", "post"),
    ("api/v1/lessons/<int:pk>/complete/", "post"),
    ("api/v1/lessons/<int:pk>/progress/", "post"),
    ("api/v1/lessons/<int:pk>/h5p/state/", "put"),
    ("api/v1/lessons/<int:pk>/xapi/", "post"),
    ("api/v1/lessons/<int:pk>/scorm/cmi/", "put"),
    ("api/v1/quizzes/<int:pk>/attempts/", "post"),
    ("api/v1/attempts/<int:pk>/", "patch"),
    ("api/v1/attempts/<int:pk>/submit/", "post"),
    ("api/v1/certificates/<int:pk>/renew/", "post"),
    ("api/v1/notifications/<int:pk>/read/", "post"),
    ("api/v1/notifications/read-all/", "post"),
    ("api/v1/me/notification-preferences/", "patch"),
    ("api/v1/verify/file/", "post"),  # anyone, signed in or not: checks a file, changes nothing
}


def api_writes() -> list[tuple[str, str]]:
    """(route, method) of every write under /api/v1/."""
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, route)
            elif route.startswith("api/v1/") and hasattr(p.callback, "cls"):
                found.extend((route, m) for m in UNSAFE if hasattr(p.callback.cls, m))

    walk(get_resolver().url_patterns)
    return sorted(found)


STAFF_WRITES = [w for w in api_writes() if w not in LEARNER_WRITES]

# Bodies that a handler would refuse (400) or that would conflict (409) if it ran at all.
INVALID = {"title": "", "mark": "many", "version": "x", "percentage": 500, "reason": "",
           "organisation": "", "course": "x", "file": "", "state": [], "responses": "x"}


@pytest.fixture
def world(tree, trainee):
    """Objects the trainee may see (own enrolment, attempt, certificate), so the request reaches
    whatever the endpoint checks first; a template already exists for the course (409 if the
    create ran)."""
    course, quiz_lesson = quiz_course(tree["ministry"])
    bank, questions = bank_with_questions(tree["ministry"], ["true_false", "essay"])
    quiz = make_quiz(quiz_lesson, questions)
    enrol(course, trainee)
    from assessments import attempts

    user = User.objects.get(pk=trainee.pk)
    start = attempts.attempt_start(user=user, quiz_id=quiz.pk)
    attempts.attempt_submit(user=user, attempt_id=start.attempt.pk, answers=[])
    cert_course = certificate_course(tree["ministry"])
    template = make_template(course=cert_course)
    complete(cert_course, trainee)
    certificate, _ = certificate_issue(user_id=trainee.pk, course_id=cert_course.pk)
    render_one(certificate)
    job = Job.objects.create(kind="certificates.bulk_issue", started_by=trainee,
                             params={"course_id": cert_course.pk, "chunks": 0})
    return {
        "api/v1/courses/": course.pk, "api/v1/modules/": Module.objects.filter(course=course).first().pk,
        "api/v1/lessons/": quiz_lesson.pk, "api/v1/question-banks/": bank.pk,
        "api/v1/questions/": questions[0].pk, "api/v1/quizzes/": quiz.pk,
        "api/v1/attempts/": start.attempt.pk,
        "api/v1/responses/": QuizResponse.objects.filter(attempt=start.attempt).first().pk,
        "api/v1/certificates/jobs/": job.pk, "api/v1/certificates/": certificate.pk,
        "api/v1/certificate-templates/": template.pk, "cert_course": cert_course.pk,
        "trainee": trainee.pk,
    }


def url_for(route: str, world: dict) -> str:
    pk = next((value for prefix, value in world.items() if route.startswith(prefix)), 0)
    url = re.sub(r"<(?:int|uuid):pk>", str(pk), route)
    return "/" + url.replace("<int:user_id>", str(world["trainee"]))


def body_for(route: str, world: dict) -> dict:
    if route == "api/v1/certificate-templates/":  # the course has one: a create would be a 409
        return {"course": world["cert_course"], "issuer_name": "X", "signer_title": "Y", "signer_name": "Z"}
    return INVALID


@pytest.mark.parametrize("route, method", STAFF_WRITES, ids=[f"{m.upper()} {r}" for r, m in STAFF_WRITES])
def test_a_trainee_writing_to_a_staff_endpoint_gets_403_before_any_validation(api, world, trainee,
                                                                             route, method):
    api.force_authenticate(User.objects.get(pk=trainee.pk))
    audit_before = AuditEntry.objects.count()
    templates_before = CertificateTemplate.objects.count()
    response = getattr(api, method)(url_for(route, world), body_for(route, world), format="json",
                                    HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403, (response.status_code, response.content[:300])
    assert response.json()["code"] in ("permission_denied", "not_author")
    assert AuditEntry.objects.count() == audit_before
    assert CertificateTemplate.objects.count() == templates_before


OBJECT_WRITES = [(r, m) for r, m in STAFF_WRITES if "<" in r]


@pytest.mark.parametrize("route, method", OBJECT_WRITES, ids=[f"{m.upper()} {r}" for r, m in OBJECT_WRITES])
def test_staff_of_another_unit_are_refused_before_their_input_is_read(api, world, tree, route, method):
    """Trainer and administrator, but of the province: the ministry's objects are not theirs."""
    outsider = user_with_role(Role.TRAINER, tree["province"])
    RoleAssignment.objects.create(user=outsider, role=Role.ADMINISTRATOR, organisation=tree["province"])
    api.force_authenticate(User.objects.get(pk=outsider.pk))
    response = getattr(api, method)(url_for(route, world), body_for(route, world), format="json")
    assert response.status_code in (403, 404), (response.status_code, response.content[:300])


def test_an_administrator_of_another_unit_does_not_learn_that_a_template_exists(api, world, tree):
    outsider = user_with_role(Role.ADMINISTRATOR, tree["province"])
    api.force_authenticate(User.objects.get(pk=outsider.pk))
    route = "api/v1/certificate-templates/"
    response = api.post("/" + route, body_for(route, world), format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_the_list_of_staff_writes_is_not_empty_and_learner_writes_exist():
    """Guards the discovery itself: a renamed route must not silently empty the test."""
    routes = {r for r, _m in api_writes()}
    assert {r for r, _m in LEARNER_WRITES} <= routes
    assert len(STAFF_WRITES) > 30


def test_a_learner_endpoint_still_validates_for_the_learner(api, world, trainee):
    api.force_authenticate(User.objects.get(pk=trainee.pk))
    response = api.post(f"/api/v1/lessons/{world['api/v1/lessons/']}/progress/", {"time_spent_seconds": "x"},
                        format="json")
    assert response.status_code in (400, 409), response.content
    assert response.json()["code"] != "permission_denied"
