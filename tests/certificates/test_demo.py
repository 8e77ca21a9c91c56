"""Demo: `manage.py demo` adds the demo organisation's template; the demo trainee who completes
the demo course receives a certificate."""

from django.core.management import call_command

from certificates.models import Certificate, CertificateTemplate


def test_demo_template_is_seeded_once_and_the_trainee_gets_a_certificate(
        db, settings, django_capture_on_commit_callbacks):
    from backend.accounts.models import User
    from courses import learning
    from courses.api import lesson_record_result
    from courses.enrolments import enrolment_self
    from courses.models import Course, Lesson

    settings.DEMO_MODE = True
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)
    template = CertificateTemplate.objects.get()
    assert template.organisation.code == "btgtw" and "mẫu" in template.signer_name
    course = Course.objects.get()
    trainee = User.objects.get(email="trainee@demo.local")
    enrolment_self(user=trainee, course_id=course.pk)
    lessons = Lesson.objects.filter(course=course).order_by("module__position", "position")
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons:
            if lesson.kind == "text":
                learning.lesson_complete(user=trainee, lesson_id=lesson.pk)
            elif lesson.required:  # quizzes and the H5P activity report their results
                lesson_record_result(user_id=trainee.pk, lesson_id=lesson.pk, score=1.0,
                                     completed=True, passed=True, attempts=1)
    certificate = Certificate.objects.get(user=trainee)
    assert certificate.serial.endswith("/GCN-DEMO") and certificate.pdf_ready
    assert certificate.issuer_name == "Ban Tuyên giáo Trung ương"
