"""certificates.dashboard: a trainee's latest certificates, an administrator's figures."""

from django.utils import timezone

from backend.accounts.models import Role
from certificates import dashboard
from certificates.models import Certificate, RenderStatus
from courses.dashboard import month_start
from tests.certificates.factories import certificate_course, complete, make_template
from tests.factories import user_with_role


def test_recent_certificates_and_figures(tree, django_capture_on_commit_callbacks, django_assert_num_queries):
    make_template(tree["central"])
    trainee = user_with_role(Role.TRAINEE, tree["mission"])
    mine = certificate_course(tree["ministry"], title="Khóa bộ")
    theirs = certificate_course(tree["province"], title="Khóa tỉnh")
    with django_capture_on_commit_callbacks(execute=True):
        complete(mine, trainee)
        complete(theirs, trainee)
    assert Certificate.objects.count() == 2
    with django_assert_num_queries(1):
        recent = dashboard.recent_certificates(trainee.pk)
    assert {c.course_title for c in recent} == {"Khóa bộ", "Khóa tỉnh"}

    Certificate.objects.filter(course=mine).update(render_status=RenderStatus.FAILED)
    with django_assert_num_queries(2):
        figures = dashboard.certificate_figures([tree["ministry"].path], since=month_start(timezone.now()))
    assert figures.issued_this_month == 1 and figures.failed_renders == 1
    assert [c.course_title for c in figures.failed] == ["Khóa bộ"]
    calm = dashboard.certificate_figures([tree["province"].path], since=month_start(timezone.now()))
    assert calm.failed_renders == 0 and calm.failed == () and calm.issued_this_month == 1

    Certificate.objects.filter(course=theirs).update(revoked_at=timezone.now())
    assert [c.course_title for c in dashboard.recent_certificates(trainee.pk)] == ["Khóa bộ"]
