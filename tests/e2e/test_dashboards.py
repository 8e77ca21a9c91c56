"""The dashboard at `/` per role in real Chromium: at 360 px nothing scrolls sideways, axe finds
nothing serious, and each is screenshot (test-artifacts/dashboard-<role>[-phone].png)."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from backend.accounts.models import Role
from backend.jobs.api import job_create
from courses import learning, services
from tests.assessments.factories import essay_submitted
from tests.courses.covers_helpers import picture
from tests.courses.factories import build_course, enrol, lessons_in_order
from tests.e2e import browsing
from tests.e2e.conftest import screenshot
from tests.factories import user_with_role


@pytest.fixture
def world(tree):
    trainee = user_with_role(Role.TRAINEE, tree["mission"], full_name="Nguyễn Thị Hồng Nhung")
    trainer = user_with_role(Role.TRAINER, tree["ministry"], full_name="Trần Văn Minh")
    admin = user_with_role(Role.ADMINISTRATOR, tree["ministry"], full_name="Lê Quang Hải")
    now = timezone.now()
    long_title = ("Kỹ năng phát ngôn và cung cấp thông tin cho báo chí "
                  "trong tình huống khủng hoảng truyền thông")
    going = build_course(tree["ministry"], title=long_title, due_at=now + dt.timedelta(days=6))
    services.course_set_cover(actor=None, course_id=going.pk, upload=picture("JPEG"))
    done = build_course(tree["ministry"], title="Công tác thông tin đối ngoại", modules=1, lessons=1,
                        issues_certificate=True)
    build_course(tree["ministry"], title="Nhận diện tin giả trên mạng xã hội")
    build_course(tree["ministry"], title="Bản nháp chưa xuất bản", publish=False)
    enrol(going, trainee)
    enrol(done, trainee)
    learning.lesson_complete(user=trainee, lesson_id=lessons_in_order(going)[0].pk)
    learning.lesson_complete(user=trainee, lesson_id=lessons_in_order(done)[0].pk)
    essay_submitted(tree, trainee, closes_at=now + dt.timedelta(days=2))
    job_create(kind="users.import", started_by=admin, total=120)
    return {"trainee": trainee, "trainer": trainer, "administrator": admin}


def _signed_in(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=viewport)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    return context


@pytest.mark.parametrize("role", ["trainee", "trainer", "administrator"])
def test_dashboard_fits_a_phone_and_passes_axe(browser, live_server, transactional_db, world, role,
                                               settings):
    settings.MFA_REQUIRED_ROLES = []
    heading = {"trainee": "#dash-trainee", "trainer": "#dash-trainer", "administrator": "#dash-admin"}[role]
    for viewport, phone in ((browsing.DESKTOP, False), (browsing.PHONE, True)):
        context = _signed_in(browser, live_server, world[role], viewport)
        tab = context.new_page()
        tab.goto("/")
        assert tab.locator(heading).is_visible()
        if phone:
            assert browsing.phone_overflow(tab) is None
        else:
            assert browsing.axe_violations(tab) == []
        screenshot(tab, f"dashboard-{role}", phone=phone)
        context.close()
