"""A small world for probing the whole API: two units, people with each role in each, and in unit A
one of every object the API names by id (so ids in paths resolve to real objects).

Unit A owns: a published course (text, file, quiz and H5P lessons), a module, a question bank
(single choice + essay), a quiz, trainee A's enrolment, submitted attempt and certificate, a
certificate template, a cohort, a bulk-issue job and a stored xAPI statement. Unit B owns nothing
but its people, so B's staff are "staff of another unit". Built through the real services."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import attempts, overrides
from assessments import services as assessments_services
from backend.accounts.models import Cohort, CohortMembership, Role
from backend.jobs.models import Job
from backend.notifications.models import Notification
from certificates import bulk
from certificates.services import certificate_issue, template_create
from courses import enrolments
from courses import services as course_services
from courses.h5p import services as h5p_services
from courses.h5p.fixture_library import build_question_package
from courses.h5p.selectors import activity_iri
from courses.models import Enrolment
from courses.scorm import services as scorm_services
from tests.factories import OrganisationFactory, user_with_role
from tests.scorm.packages import scorm12_package

PASSWORD = "Passw0rd!x"  # tests.factories.UserFactory's
ESSAY = {"grader_info": "Chấm theo ý chính.", "general_feedback": ""}
SINGLE = {"choices": [{"text": "Kết luận số 57-KL/TW", "fraction": 1}, {"text": "Chỉ thị số 2"}]}


@dataclass
class World:
    units: dict
    people: dict            # role name -> user: trainee_a, trainee_b, trainer_a, admin_a, trainer_b, admin_b
    ids: dict = field(default_factory=dict)   # object name -> id (see build_world)
    codes: dict = field(default_factory=dict)

    def user(self, name):
        return self.people[name]


def _person(role: str, unit):
    user = user_with_role(role, unit)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def build_world() -> World:
    central = OrganisationFactory(code="w-central", name="Ban Trung ương", kind="central")
    unit_a = OrganisationFactory(code="w-unit-a", name="Bộ Ngoại giao", kind="ministry", parent=central)
    unit_b = OrganisationFactory(code="w-unit-b", name="Tỉnh Quảng Ninh", kind="province", parent=central)
    people = {
        "trainee_a": _person(Role.TRAINEE, unit_a), "trainee_b": _person(Role.TRAINEE, unit_b),
        "trainer_a": _person(Role.TRAINER, unit_a), "trainer_b": _person(Role.TRAINER, unit_b),
        "admin_a": _person(Role.ADMINISTRATOR, unit_a), "admin_b": _person(Role.ADMINISTRATOR, unit_b),
    }
    world = World(units={"central": central, "a": unit_a, "b": unit_b}, people=people)
    trainer, trainee, admin = people["trainer_a"], people["trainee_a"], people["admin_a"]
    ids = world.ids

    course = course_services.course_create(actor=trainer, organisation_id=unit_a.pk,
                                           title="Thông tin đối ngoại", self_enrolment=True,
                                           issues_certificate=True)
    module = course_services.module_create(actor=trainer, course_id=course.pk, title="Chuyên đề 1")
    text = course_services.lesson_create(actor=trainer, module_id=module.pk, kind="text", title="Bài đọc",
                                         body="<p>Nội dung</p>")
    file_lesson = course_services.lesson_create(actor=trainer, module_id=module.pk, kind="file",
                                                title="Tài liệu", required=False)
    course_services.lesson_attach_file(actor=trainer, lesson_id=file_lesson.pk, upload=SimpleUploadedFile(
        "tai-lieu.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        content_type="application/pdf"))
    quiz_lesson = course_services.lesson_create(actor=trainer, module_id=module.pk, kind="quiz",
                                                title="Bài kiểm tra", required=False)
    h5p_lesson = course_services.lesson_create(actor=trainer, module_id=module.pk, kind="h5p",
                                               title="Câu hỏi H5P", required=False)
    h5p_services.h5p_upload(actor=trainer, lesson_id=h5p_lesson.pk, upload=io.BytesIO(
        build_question_package("Hà Nội là thủ đô của Việt Nam?", correct="yes", language="vi")))
    scorm_lesson = course_services.lesson_create(actor=trainer, module_id=module.pk, kind="scorm",
                                                 title="Gói SCORM", required=False)
    scorm_services.package_upload(actor=trainer, lesson_id=scorm_lesson.pk,
                                  file=io.BytesIO(scorm12_package()))

    bank = assessments_services.bank_create(actor=trainer, title="Ngân hàng", organisation=unit_a.code)
    single = assessments_services.question_create(actor=trainer, bank_id=bank.pk, type="single_choice",
                                                  text="Văn bản nào?", data=SINGLE)
    essay = assessments_services.question_create(actor=trainer, bank_id=bank.pk, type="essay",
                                                 text="Trình bày ý kiến.", data=ESSAY)
    quiz = assessments_services.quiz_create(actor=trainer, lesson_id=quiz_lesson.pk, title="Kiểm tra",
                                            slots=[{"question": single.pk}, {"question": essay.pk}],
                                            max_attempts=5)
    course_services.course_publish(actor=trainer, course_id=course.pk)

    enrolments.enrolments_add(actor=trainer, course_id=course.pk, user_ids=[trainee.pk])
    started = attempts.attempt_start(user=trainee, quiz_id=quiz.pk)
    attempt = attempts.attempt_submit(user=trainee, attempt_id=started.attempt.pk, answers=[
        {"position": r.position, "answer": "Bài viết." if r.version.type == "essay" else None}
        for r in started.responses])
    essay_response = attempt.responses.get(version__type="essay")
    h5p_services.xapi_ingest(user=trainee, lesson_id=h5p_lesson.pk, statements=[{
        "id": str(uuid.uuid4()), "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": activity_iri(h5p_lesson.pk), "objectType": "Activity"},
        "result": {"score": {"min": 0, "max": 1, "raw": 1, "scaled": 1}, "completion": True}}])

    template = template_create(actor=admin, organisation_id=unit_a.pk, issuer_name="Trường Bồi dưỡng",
                               place="Hà Nội", signer_title="Hiệu trưởng", signer_name="Trần Văn Minh")
    certificate, _created = certificate_issue(user_id=trainee.pk, course_id=course.pk, actor=admin,
                                              manual=True)
    cohort = Cohort.objects.create(name="Lớp khóa 1", code="w-k1", organisation=unit_a)
    CohortMembership.objects.create(cohort=cohort, user=trainee)
    job = bulk.bulk_issue_start(actor=admin, course_id=course.pk, user_ids=[trainee.pk])
    override = overrides.override_create(actor=trainer, quiz_id=quiz.pk, user_id=trainee.pk,
                                         time_limit_seconds=1800).override
    enrolment = Enrolment.objects.get(course=course, user=trainee)

    ids.update(course=course.pk, module=module.pk, text_lesson=text.pk, file_lesson=file_lesson.pk,
               quiz_lesson=quiz_lesson.pk, h5p_lesson=h5p_lesson.pk, scorm_lesson=scorm_lesson.pk,
               bank=bank.pk, question=single.pk,
               quiz=quiz.pk, attempt=attempt.pk, response=essay_response.pk, template=template.pk,
               certificate=certificate.pk, cohort=cohort.pk, trainee_a=trainee.pk,
               override=override.pk, enrolment=enrolment.pk, unit_a=unit_a.pk,
               trainee_b=people["trainee_b"].pk, job=str(Job.objects.get(pk=job.id).pk),
               notification=Notification.objects.get(recipient=trainee, kind="enrolled").pk)
    world.codes["certificate"] = certificate.code
    return world


# Which object of the world each path's parameters name ({id}, {user_id}, {code}): the first
# matching prefix wins, so the more specific paths come first.
PATH_OBJECTS = [
    ("/api/v1/lessons/{id}/file/", "file_lesson"),
    ("/api/v1/lessons/{id}/h5p/", "h5p_lesson"),
    ("/api/v1/lessons/{id}/xapi/", "h5p_lesson"),
    ("/api/v1/lessons/{id}/scorm/", "scorm_lesson"),
    ("/api/v1/lessons/{id}/", "text_lesson"),
    ("/api/v1/certificates/jobs/{id}/", "job"),
    ("/api/v1/certificates/{id}/", "certificate"),
    ("/api/v1/certificate-templates/{id}/", "template"),
    ("/api/v1/attempts/{id}/", "attempt"),
    ("/api/v1/courses/{id}/", "course"),
    ("/api/v1/enrolments/{id}/", "enrolment"),
    ("/api/v1/overrides/{id}/", "override"),
    ("/api/v1/jobs/{id}/", "job"),
    ("/api/v1/modules/{id}/", "module"),
    ("/api/v1/notifications/{id}/", "notification"),
    ("/api/v1/question-banks/{id}/", "bank"),
    ("/api/v1/questions/{id}/", "question"),
    ("/api/v1/quizzes/{id}/", "quiz"),
    ("/api/v1/responses/{id}/", "response"),
    ("/api/v1/users/{id}/", "trainee_a"),
    # public documents of verifiable credentials: unit A issues the world's certificate
    ("/issuers/{id}/", "unit_a"),
    ("/credentials/status/{id}/", "unit_a"),
]


def path_values(world: World, path: str) -> dict:
    """The world's values for the parameters of an OpenAPI path (empty: it has none)."""
    values = {}
    if "{code}" in path:
        values["code"] = world.codes["certificate"]
    if "{user_id}" in path:
        values["user_id"] = world.ids["trainee_a"]
    if "{number}" in path:
        values["number"] = 1  # the unit's first status list
    if "{id}" in path:
        name = next(name for prefix, name in PATH_OBJECTS if path.startswith(prefix))
        values["id"] = world.ids[name]
    return values
