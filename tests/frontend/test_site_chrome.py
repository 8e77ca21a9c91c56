"""{% site_header %} / {% site_footer %} (frontend/templatetags/site_chrome.py): the header and
footer from the snippet cache, with the person's name, the way back and the CSRF token filled in
per request, give exactly what the inline header of base.html gave (decision 0078)."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from backend.accounts.models import Role
from frontend import snippets
from tests.factories import UserFactory, user_with_role

# base.html's header and footer as they were written inline before decision 0078.
INLINE = (Path(__file__).parent / "data" / "chrome_before_0078.html").read_text()
TAGS = "{% load site_chrome %}{% site_header %}{% site_footer %}"


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def _both(user, path: str, language: str, **context) -> tuple[str, str]:
    """(inline, tags) rendered in one request context, so both read the same CSRF token."""
    request = RequestFactory().get(path)
    request.user = user
    engine = engines["django"]
    with translation.override(language):
        source = engine.from_string(f"{INLINE}<hr>{TAGS}").render(context, request)
    inline, tags = source.split("<hr>")
    return _squeezed(inline), _squeezed(tags)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


CASES = [
    ("anonymous, vi", lambda: _anonymous(), "/courses/", "vi", {}),
    ("trainee on the profile, en", lambda: user_with_role(Role.TRAINEE, full_name="Nguyễn Thị Hà"),
     "/profile/", "en", {"notifications_unread": 0}),
    ("trainer on notifications, 150 unread", lambda: user_with_role(Role.TRAINER, full_name="Trần Văn Bình"),
     "/notifications/", "vi", {"notifications_unread": 150}),
    ("administrator, hostile name and query", lambda: user_with_role(
        Role.ADMINISTRATOR, full_name='<script>alert("x")</script> Lê & Co'),
     '/manage/users/?q="><img src=x>&page=2', "vi", {"notifications_unread": 7}),
    ("no full name: the email", lambda: UserFactory(full_name=""), "/my/courses/", "en", {}),
]


@pytest.mark.parametrize(("label", "make_user", "path", "language", "context"), CASES,
                         ids=[case[0] for case in CASES])
@pytest.mark.parametrize("debug", [False, True], ids=["cached", "debug"])
def test_the_chrome_is_the_inline_header_and_footer(db, settings, label, make_user, path, language,
                                                     context, debug):
    settings.DEBUG = debug
    snippets._snippets.clear()
    user = make_user()
    for _round in range(2):  # the first render fills the cache, the second reads it
        inline, tags = _both(user, path, language, **context)
        assert tags == inline
    assert "<script>" not in tags and "csrfmiddlewaretoken" in tags
    assert "\ue000" not in tags and "\ue001" not in tags  # every hole filled
    assert bool(snippets._snippets) is not debug


def test_one_cached_header_serves_each_person_their_own_name_and_token(db, settings):
    settings.DEBUG = False
    snippets._snippets.clear()
    first = user_with_role(Role.TRAINEE, full_name="Phạm Minh Châu")
    second = user_with_role(Role.TRAINEE, full_name="Đỗ Quang Huy")
    _a_inline, a = _both(first, "/my/courses/", "vi", notifications_unread=2)
    entries = len(snippets._snippets)
    b_inline, b = _both(second, "/my/courses/", "vi", notifications_unread=2)
    assert len(snippets._snippets) == entries  # the second person's header came from the cache
    assert "Đỗ Quang Huy" in b and "Phạm Minh Châu" not in b and b == b_inline
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.findall(a)[0] != token.findall(b)[0]  # a token per request, never the cached one


def test_the_headers_token_lets_the_person_switch_language_and_sign_out(db, settings):
    settings.DEBUG = False
    snippets._snippets.clear()
    user = user_with_role(Role.TRAINEE, full_name="Vũ Thu Trang")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    for language, heading in (("en", "My courses"), ("vi", "Khóa học của tôi")):  # 2nd: from the cache
        page = client.get("/my/courses/").content.decode()
        token = re.search(r'class="lang"><input [^>]*name="csrfmiddlewaretoken" value="([^"]+)"', page)
        switched = client.post(reverse("set_language"), {
            "csrfmiddlewaretoken": token.group(1), "language": language, "next": "/my/courses/"})
        assert switched.status_code == 302 and switched["Location"] == "/my/courses/"
        assert heading in client.get("/my/courses/").content.decode()
    page = client.get("/my/courses/").content.decode()
    token = re.search(r'logout/"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
    assert client.get("/my/courses/").status_code == 302  # signed out: back to the sign-in page


def test_a_page_rendered_without_a_request_gets_the_anonymous_header(db, settings):
    settings.DEBUG = False
    snippets._snippets.clear()
    with translation.override("vi"):
        html = engines["django"].from_string(TAGS).render({})
    assert "Đăng nhập" in html and 'name="next" value=""' in html and "\ue000" not in html
