import datetime as dt

from certificates.pdf import CertificateContent


def certificate_content(**overrides) -> CertificateContent:
    values = dict(
        holder_name="Nguyễn Thị Thanh Hương",
        holder_honorific="Bà",
        holder_unit="Vụ Thông tin đối ngoại, Bộ Ngoại giao",
        course_title="Nâng cao chất lượng công tác thông tin đối ngoại trong tình hình mới",
        course_hours=40,
        completion_date=dt.date(2026, 2, 3),
        issued_on=dt.date(2026, 2, 5),
        serial="0001/2026/GCN",
        verify_url="https://ttdn.example.vn/xac-thuc/7KQ2-M9ZD-0VXH-4RTA",
        issuer_name="Trường Bồi dưỡng cán bộ thông tin đối ngoại",
        parent_issuer_name="Ban Chỉ đạo công tác thông tin đối ngoại",
        place="Hà Nội",
        signer_title="Hiệu trưởng",
        signer_name="Trần Văn Minh",
    )
    values.update(overrides)
    return CertificateContent(**values)


def make_template(organisation=None, *, course=None, **overrides):
    """A unit's default template (or, with `course`, the course's own) through the service."""
    from certificates.services import template_create

    values = dict(issuer_name="Trường Bồi dưỡng cán bộ thông tin đối ngoại",
                  parent_issuer_name="Ban Tuyên giáo Trung ương", place="Hà Nội",
                  signer_title="Hiệu trưởng", signer_name="Trần Văn Minh")
    values.update(overrides)
    if course is not None:
        return template_create(actor=None, course_id=course.pk, **values)
    return template_create(actor=None, organisation_id=organisation.pk, **values)


def certificate_course(organisation, **fields):
    """A published one-lesson course that issues certificates."""
    from tests.courses.factories import build_course

    return build_course(organisation, modules=1, lessons=1, issues_certificate=True, **fields)


def complete(course, user) -> None:
    """Enrol (if needed) and complete the course's only lesson, as the learner would."""
    from courses import learning
    from courses.models import Enrolment
    from tests.courses.factories import enrol, lessons_in_order

    if not Enrolment.objects.filter(course=course, user=user).exists():
        enrol(course, user)
    for lesson in lessons_in_order(course):
        learning.lesson_complete(user=user, lesson_id=lesson.pk)


def issued_certificate(tree, user, *, title: str = "Kỹ năng phát ngôn", render: bool = True):
    """A certificate issued through the real services to `user` for a course of the ministry
    (template of the central unit), drawn and signed unless `render` is off."""
    from certificates.rendering import render_one
    from certificates.services import certificate_issue

    make_template(tree["central"])
    course = certificate_course(tree["ministry"], title=title)
    complete(course, user)
    certificate, _ = certificate_issue(user_id=user.pk, course_id=course.pk)
    if render:
        render_one(certificate)
        certificate.refresh_from_db()
    return certificate
