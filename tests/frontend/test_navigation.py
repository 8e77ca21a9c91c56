"""The header's main menu: which section is current, and who sees which entry."""

import pytest

from frontend.navigation import active_section, main_menu

EVERYONE = ["home", "catalogue", "my-courses", "certificates"]


@pytest.mark.parametrize("path, section", [
    ("/", "home"),
    ("/courses/", "catalogue"),
    ("/courses/12/", "catalogue"),
    ("/courses/12/learn/", "my-courses"),
    ("/my/courses/", "my-courses"),
    ("/learn/lessons/3/", "my-courses"),
    ("/learn/lessons/3/h5p/", "my-courses"),
    ("/quiz/attempt/9/", "my-courses"),
    ("/teach/courses/4/", "teaching"),
    ("/courses/12/certificates/", "teaching"),
    ("/quiz/7/grading/", "teaching"),  # the grading queue is a trainer's page
    ("/quiz/7/", "my-courses"),
    ("/manage/users/", "admin"),
    ("/manage/design/", "admin"),
    ("/certificates/", "certificates"),
    ("/profile/", None),
    ("/verify/ABC/", None),
    ("/accounts/login/", None),
])
def test_active_section_follows_the_path(path, section):
    assert active_section(path) == section


def test_entries_follow_the_roles():
    assert [e.key for e in main_menu("/", ["trainee"])] == EVERYONE
    assert [e.key for e in main_menu("/", ["trainer"])] == ["home", "catalogue", "my-courses", "teaching",
                                                            "certificates"]
    assert "admin" in [e.key for e in main_menu("/", ["administrator"])]


def test_current_is_page_on_the_entry_itself_and_true_inside_its_section():
    current = {e.key: e.current for e in main_menu("/courses/", ["trainee"])}
    assert current == {"home": None, "catalogue": "page", "my-courses": None, "certificates": None}
    current = {e.key: e.current for e in main_menu("/learn/lessons/3/", ["trainee"])}
    assert current["my-courses"] == "true" and current["catalogue"] is None


def test_a_course_certificates_page_sits_under_administration_for_an_administrator():
    current = {e.key: e.current for e in main_menu("/courses/4/certificates/", ["administrator"])}
    assert current["admin"] == "true"
    current = {e.key: e.current for e in main_menu("/courses/4/certificates/",
                                                   ["trainer", "administrator"])}
    assert current["teaching"] == "true" and current["admin"] is None


@pytest.mark.django_db
def test_the_header_marks_the_current_page(client, trainee):
    client.force_login(trainee)
    html = client.get("/courses/").content.decode()
    assert 'href="/courses/" aria-current="page"' in html
    assert html.count("aria-current=") == 1
