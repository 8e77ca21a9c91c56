"""The REST API end to end: authoring, publishing, enrolling, learning, permissions, search."""

import pytest

from backend.accounts.models import Role, User
from courses.models import Enrolment
from tests.courses.factories import build_course, enrol, lessons_in_order
from tests.factories import RESULT_OLD_STATE_READS, UserFactory, user_with_role


def as_user(api, user):
    """A fresh user object per request, as a real request would load it (no warm caches)."""
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


@pytest.fixture
def trainer(tree):
    return user_with_role(Role.TRAINER, tree["central"])


def test_trainer_builds_and_publishes_and_trainee_completes_in_order(api, tree, trainer, trainee):
    from courses import api as courses_api

    fired = []
    courses_api.enrolment_completed.connect(lambda sender, enrolment, **kw: fired.append(enrolment),
                                            weak=False, dispatch_uid="test-rest-flow")
    try:
        as_user(api, trainer)
        r = api.post("/api/v1/courses/", {"organisation": "central", "title": "Thông tin đối ngoại",
                                          "summary": "Kết luận 57", "self_enrolment": True,
                                          "issues_certificate": True}, format="json")
        assert r.status_code == 201, r.json()
        course_id = r.json()["id"]
        assert r.json()["status"] == "draft" and r.json()["can_edit"]
        r = api.post(f"/api/v1/courses/{course_id}/modules/", {"title": "Chuyên đề 1"}, format="json")
        assert r.status_code == 201
        module_id = r.json()["id"]
        first = api.post(f"/api/v1/modules/{module_id}/lessons/",
                         {"kind": "text", "title": "Bài 1",
                          "body": '<p>Nội dung <script>x()</script><a href="javascript:x()">l</a></p>'},
                         format="json").json()
        assert "script" not in first["body"] and "javascript" not in first["body"]
        second = api.post(f"/api/v1/modules/{module_id}/lessons/",
                          {"kind": "text", "title": "Bài 2", "prerequisites": [first["id"]]},
                          format="json").json()
        assert second["prerequisites"] == [first["id"]]
        r = api.post(f"/api/v1/courses/{course_id}/publish/", {}, format="json")
        assert r.status_code == 200 and r.json()["status"] == "published"

        as_user(api, trainee)
        assert api.get(f"/api/v1/courses/{course_id}/outline/").json()["code"] == "not_enrolled"
        r = api.post(f"/api/v1/courses/{course_id}/enrol/")
        assert r.status_code == 201
        assert api.post(f"/api/v1/courses/{course_id}/enrol/").status_code == 200
        outline = api.get(f"/api/v1/courses/{course_id}/outline/").json()
        lessons = outline["modules"][0]["lessons"]
        assert [(x["id"], x["locked"], x["status"]) for x in lessons] == [
            (first["id"], False, "not_started"), (second["id"], True, "not_started")]
        assert outline["next_lesson_id"] == first["id"]
        r = api.post(f"/api/v1/lessons/{second['id']}/complete/")
        assert (r.status_code, r.json()["code"]) == (409, "lesson_locked")
        assert api.get(f"/api/v1/lessons/{second['id']}/").status_code == 409
        r = api.post(f"/api/v1/lessons/{first['id']}/complete/")
        assert r.json()["enrolment"]["percent"] == 50
        assert api.get(f"/api/v1/courses/{course_id}/continue/").json()["lesson"]["id"] == second["id"]
        body = api.get(f"/api/v1/lessons/{second['id']}/").json()
        assert body["title"] == "Bài 2" and body["progress"]["status"] == "not_started"
        r = api.post(f"/api/v1/lessons/{second['id']}/complete/")
        assert r.json()["enrolment"]["percent"] == 100
        progress = api.get(f"/api/v1/courses/{course_id}/progress/").json()
        assert progress["percent"] == 100 and progress["completed_at"]
        assert [x["status"] for x in progress["lessons"]] == ["completed", "completed"]
        assert api.get(f"/api/v1/courses/{course_id}/continue/").json() == {
            "lesson": None, "module_id": None, "percent": 100, "completed": True}
        assert len(fired) == 1 and fired[0].user_id == trainee.pk
    finally:
        courses_api.enrolment_completed.disconnect(dispatch_uid="test-rest-flow")


def test_edits_after_publishing_are_invisible_to_trainees(api, tree, trainer, trainee):
    course = build_course(tree["central"], modules=1, lessons=1)
    lesson = lessons_in_order(course)[0]
    enrol(course, trainee)
    as_user(api, trainer)
    r = api.patch(f"/api/v1/courses/{course.pk}/", {"version": course.version, "title": "Nháp mới"},
                  format="json")
    assert r.status_code == 200 and r.json()["has_unpublished_changes"]
    api.patch(f"/api/v1/lessons/{lesson.pk}/", {"title": "Bài nháp"}, format="json")
    assert api.get(f"/api/v1/lessons/{lesson.pk}/?draft=true").json()["title"] == "Bài nháp"
    as_user(api, trainee)
    assert api.get(f"/api/v1/courses/{course.pk}/").json()["title"] == "Công tác thông tin đối ngoại"
    assert api.get(f"/api/v1/lessons/{lesson.pk}/").json()["title"] == "Bài 1.1"
    assert api.get(f"/api/v1/lessons/{lesson.pk}/?draft=true").json()["title"] == "Bài 1.1"


def test_patch_with_a_stale_version_is_a_conflict(api, tree, trainer):
    course = build_course(tree["central"], publish=False)
    as_user(api, trainer)
    assert api.patch(f"/api/v1/courses/{course.pk}/", {"version": course.version, "summary": "a"},
                     format="json").status_code == 200
    r = api.patch(f"/api/v1/courses/{course.pk}/", {"version": course.version, "summary": "b"},
                  format="json")
    assert (r.status_code, r.json()["code"]) == (409, "version_conflict")
    r = api.patch(f"/api/v1/courses/{course.pk}/", {"summary": "b"}, format="json")
    assert r.status_code == 400 and "version" in r.json()["fields"]


def test_unknown_and_hidden_ids_are_404_and_others_403(api, tree, trainee):
    draft = build_course(tree["central"], publish=False)
    elsewhere = build_course(tree["province"])
    visible = build_course(tree["ministry"])
    as_user(api, trainee)
    for course in (draft, elsewhere):
        assert api.get(f"/api/v1/courses/{course.pk}/").status_code == 404
        assert api.get(f"/api/v1/courses/{course.pk}/outline/").status_code == 404
        assert api.post(f"/api/v1/courses/{course.pk}/enrol/").status_code == 404
    assert api.get("/api/v1/courses/999999/").json()["code"] == "not_found"
    hidden_lesson = lessons_in_order(elsewhere)[0]
    assert api.get(f"/api/v1/lessons/{hidden_lesson.pk}/").status_code == 404
    assert api.post(f"/api/v1/lessons/{hidden_lesson.pk}/complete/").status_code == 404
    assert api.get(f"/api/v1/courses/{visible.pk}/").status_code == 200
    r = api.patch(f"/api/v1/courses/{visible.pk}/", {"version": 1, "title": "x"}, format="json")
    assert r.status_code == 403
    assert api.post(f"/api/v1/courses/{visible.pk}/publish/").status_code == 403
    assert api.post(f"/api/v1/courses/{visible.pk}/enrolments/", {"user_ids": [trainee.pk]},
                    format="json").status_code == 403
    not_enrolled = lessons_in_order(visible)[0]
    assert api.post(f"/api/v1/lessons/{not_enrolled.pk}/complete/").status_code == 404


def test_list_shows_exactly_what_details_allow(api, tree, trainee):
    courses = [build_course(tree["central"], publish=False), build_course(tree["province"]),
               build_course(tree["ministry"]), build_course(tree["central"])]
    archived = build_course(tree["central"])
    enrol(archived, trainee)
    from courses import services
    services.course_archive(actor=None, course_id=archived.pk)
    as_user(api, trainee)
    listed = {c["id"] for c in api.get("/api/v1/courses/").json()["results"]}
    allowed = {c.pk for c in [*courses, archived]
               if api.get(f"/api/v1/courses/{c.pk}/").status_code == 200}
    assert listed == allowed == {courses[2].pk, courses[3].pk, archived.pk}


def test_staff_over_everything_see_every_course(api, tree, global_admin):
    """A role held everywhere (no unit) covers every unit's courses, drafts included."""
    draft = build_course(tree["province"], publish=False, title="Bản nháp của tỉnh")
    published = build_course(tree["dept"], title="Khóa của Vụ")
    api.force_authenticate(User.objects.get(pk=global_admin.pk))
    ids = {c["id"] for c in api.get("/api/v1/courses/").json()["results"]}
    assert {draft.pk, published.pk} <= ids
    assert api.get(f"/api/v1/courses/{draft.pk}/").status_code == 200


def test_catalogue_search_ignores_diacritics_and_case(api, tree, trainee):
    wanted = build_course(tree["central"], title="Giảng viên Nguyễn Trọng Nghĩa giới thiệu")
    build_course(tree["central"], title="Báo chí nước ngoài")
    as_user(api, trainee)
    for query in ("nguyen trong", "NGUYỄN TRỌNG", "Nguyen Trọng"):
        found = [c["id"] for c in api.get("/api/v1/courses/", {"search": query}).json()["results"]]
        assert found == [wanted.pk], query


def test_staff_enrol_many_and_see_progress_of_their_subtree(api, tree, trainer, admin_user):
    course = build_course(tree["central"], modules=1, lessons=1)
    people = [UserFactory(organisation=tree["mission"]) for _ in range(3)]
    as_user(api, trainer)
    r = api.post(f"/api/v1/courses/{course.pk}/enrolments/",
                 {"emails": [p.email.upper() for p in people] + ["ghost@x.vn"]}, format="json")
    assert r.json() == {"created": 3, "reactivated": 0, "unchanged": 0, "total": 3,
                        "not_found": ["ghost@x.vn"]}
    r = api.post(f"/api/v1/courses/{course.pk}/enrolments/", {"organisation": "ministry"}, format="json")
    assert (r.json()["created"], r.json()["unchanged"]) == (1, 3)  # + the ministry administrator
    listed = api.get(f"/api/v1/courses/{course.pk}/enrolments/").json()
    assert listed["count"] == 4
    assert api.get(f"/api/v1/courses/{course.pk}/progress/", {"user": people[0].pk}).status_code == 200
    # A ministry administrator is not staff of this central course but sees their subtree.
    as_user(api, admin_user)
    assert api.get(f"/api/v1/courses/{course.pk}/progress/", {"user": people[0].pk}).status_code == 200
    outsider = UserFactory(organisation=tree["province"])
    enrol(course, outsider)
    assert api.get(f"/api/v1/courses/{course.pk}/progress/", {"user": outsider.pk}).status_code == 404
    ids = {row["user"]["id"] for row in api.get(f"/api/v1/courses/{course.pk}/enrolments/").json()["results"]}
    assert outsider.pk not in ids and people[0].pk in ids
    as_user(api, trainer)
    r = api.delete(f"/api/v1/courses/{course.pk}/enrolments/{people[0].pk}/")
    assert r.json()["status"] == "withdrawn"
    assert Enrolment.objects.filter(user=people[0]).exists()


def test_trainee_sees_only_own_progress(api, tree, trainee):
    course = build_course(tree["central"], modules=1, lessons=1)
    other = UserFactory(organisation=tree["mission"])
    enrol(course, trainee, other)
    as_user(api, trainee)
    assert api.get(f"/api/v1/courses/{course.pk}/progress/", {"user": other.pk}).status_code == 404
    assert api.get(f"/api/v1/courses/{course.pk}/progress/").status_code == 200
    assert api.get(f"/api/v1/courses/{course.pk}/enrolments/").status_code == 403


def test_reorder_and_delete_structure(api, tree, trainer):
    course = build_course(tree["central"], modules=2, lessons=2, publish=False)
    a, b, c, d = lessons_in_order(course)
    as_user(api, trainer)
    outline = api.get(f"/api/v1/courses/{course.pk}/outline/?draft=true").json()
    m1, m2 = (m["id"] for m in outline["modules"])
    version = api.get(f"/api/v1/courses/{course.pk}/").json()["version"]
    r = api.post(f"/api/v1/courses/{course.pk}/reorder/",
                 {"version": version, "modules": [{"id": m2, "lessons": [d.pk, a.pk]},
                                                  {"id": m1, "lessons": [c.pk, b.pk]}]}, format="json")
    assert r.status_code == 200, r.json()
    assert [[x["id"] for x in m["lessons"]] for m in r.json()["modules"]] == [[d.pk, a.pk], [c.pk, b.pk]]
    r = api.post(f"/api/v1/courses/{course.pk}/reorder/",
                 {"version": version, "modules": []}, format="json")
    assert r.status_code == 409
    assert api.delete(f"/api/v1/lessons/{a.pk}/").status_code == 204
    assert api.delete(f"/api/v1/modules/{m1}/").status_code == 204
    outline = api.get(f"/api/v1/courses/{course.pk}/outline/?draft=true").json()
    assert [[x["id"] for x in m["lessons"]] for m in outline["modules"]] == [[d.pk]]
    assert api.get(f"/api/v1/lessons/{a.pk}/").status_code == 404


def test_file_lesson_upload_limits(api, tree, trainer, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.COURSES_FILE_MAX_BYTES = 10
    course = build_course(tree["central"], modules=1, lessons=1, publish=False)
    module_id = lessons_in_order(course)[0].module_id
    as_user(api, trainer)
    lesson = api.post(f"/api/v1/modules/{module_id}/lessons/", {"kind": "file", "title": "Tài liệu"},
                      format="json").json()
    r = api.post(f"/api/v1/lessons/{lesson['id']}/file/",
                 {"file": SimpleUploadedFile("a.exe", b"MZ")}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()["fields"]
    r = api.post(f"/api/v1/lessons/{lesson['id']}/file/",
                 {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 too long")}, format="multipart")
    assert r.status_code == 400
    r = api.post(f"/api/v1/lessons/{lesson['id']}/file/",
                 {"file": SimpleUploadedFile("kl57.pdf", b"%PDF-1.4")}, format="multipart")
    assert r.status_code == 200 and r.json()["file_url"] and r.json()["file_name"] == "kl57.pdf"


def _outline_queries(api, django_assert_num_queries, user, course, expected):
    as_user(api, user)
    with django_assert_num_queries(expected):
        assert api.get(f"/api/v1/courses/{course.pk}/outline/").status_code == 200


@pytest.mark.parametrize("size", [(1, 2, 1), (5, 8, 30)])
def test_outline_query_count_does_not_grow(api, tree, django_assert_num_queries, size):
    modules, lessons, learners = size
    course = build_course(tree["central"], modules=modules, lessons=lessons, chain=True)
    people = [UserFactory(organisation=tree["mission"]) for _ in range(learners)]
    enrol(course, *people)
    from courses import learning
    first = lessons_in_order(course)[0]
    learning.lesson_complete(user=people[0], lesson_id=first.pk)
    # the enrolment with its course (a live enrolment makes the course visible), progress
    _outline_queries(api, django_assert_num_queries, people[0], course, 2)
    # Staff who are not enrolled: enrolment (none), role scopes, their unit's path, course
    # (visibility)
    _outline_queries(api, django_assert_num_queries, user_with_role(Role.TRAINER, tree["central"]),
                     course, 4)


@pytest.mark.parametrize("size", [(1, 2, 1), (5, 8, 30)])
def test_complete_query_count_does_not_grow(api, tree, django_assert_num_queries, size):
    modules, lessons, learners = size
    course = build_course(tree["central"], modules=modules, lessons=lessons, chain=True)
    people = [UserFactory(organisation=tree["mission"]) for _ in range(learners)]
    enrol(course, *people)
    first, second = lessons_in_order(course)[:2]
    from courses import learning
    learning.lesson_complete(user=people[0], lesson_id=first.pk)
    as_user(api, people[0])
    # savepoint (the test's transaction; BEGIN in production), lesson + course + enrolment in one
    # read under the enrolment's lock, prerequisite progress, the progress UPSERT (returning the
    # old status and the completed count), enrolment save, release savepoint
    with django_assert_num_queries(6 + RESULT_OLD_STATE_READS):
        assert api.post(f"/api/v1/lessons/{second.pk}/complete/").status_code == 200


def test_learner_hot_paths_through_a_session_token_are_pinned(api, tree, django_assert_num_queries):
    """Real authentication (allauth's session token, the auth cache warm: decision 0069), as a
    mobile client or the bench calls them: the session is the only auth query."""
    from tests.accounts.test_api import token_for

    course = build_course(tree["central"], modules=2, lessons=3)
    person = user_with_role(Role.TRAINEE, tree["mission"])
    enrol(course, person)
    token = token_for(api, person)
    first, second = lessons_in_order(course)[:2]
    assert api.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 200  # warm
    with django_assert_num_queries(1):  # session
        assert api.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 200
    with django_assert_num_queries(3):  # session, enrolment with course, progress
        assert api.get(f"/api/v1/courses/{course.pk}/outline/",
                       HTTP_X_SESSION_TOKEN=token).status_code == 200
    # session + the 6 of test_complete_query_count_does_not_grow (no prerequisite here: 5)
    with django_assert_num_queries(6 + RESULT_OLD_STATE_READS):
        assert api.post(f"/api/v1/lessons/{second.pk}/complete/",
                        HTTP_X_SESSION_TOKEN=token).status_code == 200
    # again (already complete): the same statements (the UPSERT keeps the first completion; the
    # enrolment's last lesson changes back to this one)
    with django_assert_num_queries(6 + RESULT_OLD_STATE_READS):
        assert api.post(f"/api/v1/lessons/{first.pk}/complete/",
                        HTTP_X_SESSION_TOKEN=token).status_code == 200


def test_a_summary_beyond_the_free_text_limit_is_a_400(api, tree, trainer):
    from backend.limits import FREE_TEXT_MAX_CHARS

    as_user(api, trainer)
    response = api.post("/api/v1/courses/", {"organisation": "ministry", "title": "Khóa",
                                             "summary": "x" * (FREE_TEXT_MAX_CHARS + 1)}, format="json")
    assert response.status_code == 400 and "summary" in response.json()["fields"]
