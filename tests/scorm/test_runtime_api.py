"""GET/PUT /api/v1/lessons/{id}/scorm/cmi/: the contract the player page's scorm-again uses
(session start, resume, attempts, ordered idempotent commits, validation, preview, results into
progress, permissions)."""

from __future__ import annotations

import json

import pytest

from backend.accounts.models import Role, User
from courses import enrolments
from courses.models import LessonProgress
from courses.scorm.models import ScormAttempt, ScormResult
from tests.factories import user_with_role
from tests.scorm.factories import build_scorm_course, item, make_package


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def url(lesson_id: int) -> str:
    return f"/api/v1/lessons/{lesson_id}/scorm/cmi/"


def get(api, lesson, sco="sco-1"):
    return api.get(url(lesson.pk), {"sco": sco})


def put(api, lesson, *, cmi, seq, attempt=1, sco="sco-1", terminated=False):
    return api.put(url(lesson.pk), {"sco": sco, "attempt": attempt, "seq": seq, "cmi": cmi,
                                    "terminated": terminated}, format="json")


def progress(made) -> LessonProgress | None:
    return LessonProgress.objects.filter(lesson=made.lesson, enrolment__user=made.trainee).first()


@pytest.fixture
def s12(tree):
    made = build_scorm_course(tree["ministry"])
    made.package = make_package(made.lesson, version="1.2", items=[item("sco-1", mastery_score=80)])
    return made


@pytest.fixture
def s2004(tree):
    made = build_scorm_course(tree["ministry"])
    made.package = make_package(made.lesson, version="2004-4", items=[item(
        "sco-1", scaled_passing_score=0.7, completion_threshold=0.8, launch_data="chapter=1")])
    return made


# --- session start ---------------------------------------------------------------------------

def test_first_launch_of_a_12_sco_fills_the_lms_elements(api, s12):
    s12.trainee.full_name = "Nguyễn Văn An"
    s12.trainee.save()
    body = get(as_user(api, s12.trainee), s12.lesson).json()
    assert body["sco"] == "sco-1" and body["attempt"] == 1 and body["seq"] == 0
    assert body["version"] == "1.2" and body["entry"] == "ab-initio" and body["preview"] is False
    cmi = body["cmi"]
    assert cmi["cmi.core.student_id"] == str(s12.trainee.pk)
    assert cmi["cmi.core.student_name"] == "Nguyễn, Văn An"
    assert cmi["cmi.core.credit"] == "credit" and cmi["cmi.core.lesson_mode"] == "normal"
    assert cmi["cmi.core.entry"] == "ab-initio" and cmi["cmi.core.lesson_status"] == "not attempted"
    assert cmi["cmi.student_data.mastery_score"] == "80"
    assert cmi["cmi.core.total_time"] == "0000:00:00.00"
    assert body["result"] == {"score": None, "completed": False, "passed": None, "attempts": 0}


def test_first_launch_of_a_2004_sco(api, s2004):
    body = get(as_user(api, s2004.trainee), s2004.lesson).json()
    cmi = body["cmi"]
    assert body["version"] == "2004-4" and body["entry"] == "ab-initio"
    assert cmi["cmi.learner_id"] == str(s2004.trainee.pk) and cmi["cmi.mode"] == "normal"
    assert cmi["cmi.scaled_passing_score"] == "0.7" and cmi["cmi.completion_threshold"] == "0.8"
    assert cmi["cmi.launch_data"] == "chapter=1" and cmi["cmi.total_time"] == "PT0H0M0S"
    assert cmi["cmi.entry"] == "ab-initio"


def test_unknown_sco_is_a_404_naming_sco(api, s12):
    response = get(as_user(api, s12.trainee), s12.lesson, sco="nope")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_sco" and "sco" in response.json()["fields"]
    assert get(api, s12.lesson, sco="").status_code == 404
    assert api.get(url(s12.lesson.pk)).json()["code"] == "unknown_sco"


def test_an_item_that_is_not_a_sco_is_unknown(api, tree):
    made = build_scorm_course(tree["ministry"])
    make_package(made.lesson, items=[item("asset", is_sco=False), item("sco-1")])
    assert get(as_user(api, made.trainee), made.lesson, sco="asset").json()["code"] == "unknown_sco"


def test_no_package_is_409_no_content(api, tree):
    made = build_scorm_course(tree["ministry"])
    response = get(as_user(api, made.trainee), made.lesson)
    assert response.status_code == 409 and response.json()["code"] == "no_content"
    response = put(api, made.lesson, cmi={}, seq=1)
    assert response.status_code == 409 and response.json()["code"] == "no_content"


# --- commits, resume, time -------------------------------------------------------------------

def test_suspend_and_resume_restores_location_suspend_data_and_interactions(api, s12):
    as_user(api, s12.trainee)
    first = put(api, s12.lesson, seq=1, terminated=True, cmi={
        "cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "slide-7",
        "cmi.suspend_data": "viewed=1,2,3|ghi chú tiếng Việt", "cmi.core.exit": "suspend",
        "cmi.core.session_time": "00:10:00", "cmi.interactions.0.id": "q1",
        "cmi.interactions.0.result": "correct", "cmi.interactions.0.objectives": {},
        "cmi.core.student_id": "forged", "cmi.core.total_time": "99:00:00"})
    assert first.status_code == 200, first.json()
    assert first.json()["applied"] is True and first.json()["seq"] == 1
    body = get(api, s12.lesson).json()
    assert body["attempt"] == 1 and body["seq"] == 1 and body["entry"] == "resume"
    cmi = body["cmi"]
    assert cmi["cmi.core.entry"] == "resume" and cmi["cmi.core.lesson_location"] == "slide-7"
    assert cmi["cmi.suspend_data"] == "viewed=1,2,3|ghi chú tiếng Việt"
    assert cmi["cmi.interactions.0.id"] == "q1" and cmi["cmi.interactions.0.result"] == "correct"
    assert cmi["cmi.core.student_id"] == str(s12.trainee.pk)  # LMS-owned: the commit's is ignored
    assert cmi["cmi.core.total_time"] == "0000:10:00.00"      # the server's sum, not the client's
    assert "cmi.core.exit" not in cmi and "cmi.core.session_time" not in cmi
    row = ScormAttempt.objects.get()
    assert row.location == "slide-7" and row.exit == "suspend" and row.finished_at is None


def test_repeated_commits_of_one_session_count_its_time_once(api, s2004):
    as_user(api, s2004.trainee)
    for seq, spent in enumerate(["PT1M", "PT2M", "PT3M30S"], start=1):
        assert put(api, s2004.lesson, seq=seq, cmi={"cmi.session_time": spent}).json()["applied"]
    assert ScormAttempt.objects.get().total_time_seconds == 210
    assert get(api, s2004.lesson).json()["cmi"]["cmi.total_time"] == "PT0H3M30S"
    # The page was closed without Terminate; the next session adds its own time.
    assert put(api, s2004.lesson, seq=4, cmi={"cmi.session_time": "PT1M"}, terminated=True).json()["applied"]
    assert ScormAttempt.objects.get().total_time_seconds == 270
    assert get(api, s2004.lesson).json()["cmi"]["cmi.total_time"] == "PT0H4M30S"


def test_stale_and_duplicate_commits_change_nothing(api, s12):
    as_user(api, s12.trainee)
    put(api, s12.lesson, seq=1, cmi={"cmi.core.lesson_location": "a"})
    put(api, s12.lesson, seq=3, cmi={"cmi.core.lesson_location": "c"})
    late = put(api, s12.lesson, seq=2, cmi={"cmi.core.lesson_location": "b"})
    again = put(api, s12.lesson, seq=3, cmi={"cmi.core.lesson_location": "c2"})
    assert late.json()["applied"] is False and again.json()["applied"] is False
    assert late.json()["seq"] == 3
    row = ScormAttempt.objects.get()
    assert row.location == "c" and row.seq == 3


def test_a_completed_attempt_ends_and_the_next_launch_starts_a_new_one(api, s12):
    as_user(api, s12.trainee)
    done = put(api, s12.lesson, seq=1, terminated=True, cmi={
        "cmi.core.lesson_status": "completed", "cmi.core.score.raw": "60", "cmi.core.exit": "",
        "cmi.core.session_time": "00:05:00", "cmi.suspend_data": "end"})
    assert done.json()["result"] == {"score": 0.6, "completed": True, "passed": False, "attempts": 1}
    body = get(api, s12.lesson).json()
    assert body["attempt"] == 2 and body["seq"] == 0 and body["entry"] == "ab-initio"
    assert "cmi.suspend_data" not in body["cmi"] and body["cmi"]["cmi.core.total_time"] == "0000:00:00.00"
    # A late commit of the ended attempt changes nothing.
    late = put(api, s12.lesson, attempt=1, seq=2, cmi={"cmi.core.score.raw": "100"})
    assert late.json()["applied"] is False and late.json()["attempt"] == 2
    second = put(api, s12.lesson, attempt=2, seq=1, terminated=True, cmi={
        "cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90"})
    assert second.json()["applied"] is True
    assert second.json()["result"] == {"score": 0.9, "completed": True, "passed": True, "attempts": 2}
    assert list(ScormAttempt.objects.order_by("number").values_list("number", "success_status")) == [
        (1, "failed"), (2, "passed")]
    assert progress(s12).status == "completed" and progress(s12).score == 0.9
    assert progress(s12).attempts == 2


def test_a_suspended_completed_attempt_resumes(api, s12):
    as_user(api, s12.trainee)
    put(api, s12.lesson, seq=1, terminated=True, cmi={"cmi.core.lesson_status": "completed",
                                                      "cmi.core.exit": "suspend"})
    body = get(api, s12.lesson).json()
    assert body["attempt"] == 1 and body["entry"] == "resume"


def test_an_unterminated_session_resumes_the_same_attempt(api, s12):
    as_user(api, s12.trainee)
    put(api, s12.lesson, seq=1, cmi={"cmi.core.lesson_status": "completed"})
    body = get(api, s12.lesson).json()
    assert body["attempt"] == 1 and body["seq"] == 1 and body["entry"] == ""


def test_a_commit_for_a_future_attempt_is_not_applied(api, s12):
    response = put(as_user(api, s12.trainee), s12.lesson, attempt=2, seq=1, cmi={})
    assert response.json()["applied"] is False and response.json()["attempt"] == 1
    assert not ScormAttempt.objects.exists()


def test_a_reupload_starts_a_new_attempt_and_keeps_the_old(api, s12):
    as_user(api, s12.trainee)
    put(api, s12.lesson, seq=1, cmi={"cmi.core.lesson_status": "incomplete", "cmi.suspend_data": "old"})
    make_package(s12.lesson, version="1.2", items=[item("sco-1")])
    body = get(api, s12.lesson).json()
    assert body["attempt"] == 2 and body["entry"] == "ab-initio" and "cmi.suspend_data" not in body["cmi"]
    assert ScormAttempt.objects.count() == 1


# --- 2004 rules into results -----------------------------------------------------------------

def test_2004_thresholds_decide_completion_and_success(api, s2004):
    as_user(api, s2004.trainee)
    low = put(api, s2004.lesson, seq=1, cmi={"cmi.completion_status": "completed",
                                             "cmi.progress_measure": "0.5", "cmi.score.scaled": "0.9",
                                             "cmi.success_status": "failed"}).json()
    assert low["result"] == {"score": 0.9, "completed": False, "passed": True, "attempts": 1}
    high = put(api, s2004.lesson, seq=2, terminated=True, cmi={
        "cmi.progress_measure": "0.8", "cmi.score.scaled": "0.6", "cmi.exit": "normal"}).json()
    assert high["result"] == {"score": 0.6, "completed": True, "passed": False, "attempts": 1}
    row = ScormAttempt.objects.get()
    assert (row.completion_status, row.success_status) == ("completed", "failed")
    assert row.finished_at is not None
    assert progress(s2004).status == "completed" and progress(s2004).passed is False


def test_multi_sco_lesson_completes_when_every_sco_is_completed(api, tree):
    made = build_scorm_course(tree["ministry"])
    make_package(made.lesson, version="2004-3", items=[
        item("intro"), item("folder", is_sco=False), item("quiz", depth=2)])
    as_user(api, made.trainee)
    first = put(api, made.lesson, sco="intro", seq=1, cmi={"cmi.completion_status": "completed"}).json()
    assert first["result"]["completed"] is False and first["result"]["score"] is None
    assert progress(made) is None or progress(made).status != "completed"
    second = put(api, made.lesson, sco="quiz", seq=1, cmi={
        "cmi.completion_status": "completed", "cmi.score.raw": "7", "cmi.score.min": "0",
        "cmi.score.max": "10", "cmi.success_status": "passed"}).json()
    assert second["result"] == {"score": 0.7, "completed": True, "passed": True, "attempts": 2}
    assert progress(made).status == "completed" and progress(made).score == 0.7


def test_the_required_rule_counts_only_required_scos(api, tree):
    made = build_scorm_course(tree["ministry"])
    make_package(made.lesson, version="1.2", completion_rule="required", items=[
        item("core"), item("extra", required=False)])
    as_user(api, made.trainee)
    done = put(api, made.lesson, sco="core", seq=1, cmi={"cmi.core.lesson_status": "completed"}).json()
    assert done["result"]["completed"] is True
    assert progress(made).status == "completed"


def test_grading_method_combines_attempts(api, tree):
    made = build_scorm_course(tree["ministry"])
    make_package(made.lesson, version="1.2", grading_method="last", items=[item("sco-1")])
    as_user(api, made.trainee)
    put(api, made.lesson, seq=1, terminated=True, cmi={"cmi.core.lesson_status": "passed",
                                                       "cmi.core.score.raw": "90"})
    get(api, made.lesson)
    last = put(api, made.lesson, attempt=2, seq=1, terminated=True, cmi={
        "cmi.core.lesson_status": "failed", "cmi.core.score.raw": "40"}).json()
    assert last["result"]["score"] == 0.4 and last["result"]["attempts"] == 2
    assert last["result"]["passed"] is True  # passed once stays passed (as for H5P)
    assert ScormResult.objects.get().score == 0.4


# --- validation ------------------------------------------------------------------------------

@pytest.mark.parametrize(("cmi", "code", "field"), [
    ({"cmi.core.lesson_status": "done"}, "invalid_vocabulary", "cmi.core.lesson_status"),
    ({"cmi.core.exit": "normal"}, "invalid_vocabulary", "cmi.core.exit"),
    ({"cmi.core.score.raw": "abc"}, "invalid_number", "cmi.core.score.raw"),
    ({"cmi.core.score.raw": "150"}, "out_of_range", "cmi.core.score.raw"),
    ({"cmi.core.score.min": "50", "cmi.core.score.max": "10"}, "out_of_range", "cmi.core.score.min"),
    ({"cmi.core.session_time": "PT1M"}, "invalid_time", "cmi.core.session_time"),
    ({"cmi.completion_status": "completed"}, "unknown_element", "cmi.completion_status"),
    ({"cmi.core.lesson_location": ["x"]}, "invalid_value", "cmi.core.lesson_location"),
    ({"cmi.suspend_data": "x" * 64001}, "suspend_data_too_long", "cmi.suspend_data"),
    ({"cmi.interactions.0.type": "essay"}, "invalid_vocabulary", "cmi.interactions.0.type"),
])
def test_invalid_12_elements_are_refused_naming_them_and_nothing_is_written(api, s12, cmi, code, field):
    response = put(as_user(api, s12.trainee), s12.lesson, seq=1, cmi=cmi)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code and field in response.json()["fields"]
    assert not ScormAttempt.objects.exists() and not ScormResult.objects.exists()


@pytest.mark.parametrize(("cmi", "code", "field"), [
    ({"cmi.completion_status": "passed"}, "invalid_vocabulary", "cmi.completion_status"),
    ({"cmi.success_status": "completed"}, "invalid_vocabulary", "cmi.success_status"),
    ({"cmi.exit": "finished"}, "invalid_vocabulary", "cmi.exit"),
    ({"cmi.score.scaled": "1.5"}, "out_of_range", "cmi.score.scaled"),
    ({"cmi.progress_measure": "-0.1"}, "out_of_range", "cmi.progress_measure"),
    ({"cmi.session_time": "01:00:00"}, "invalid_time", "cmi.session_time"),
    ({"cmi.core.lesson_status": "passed"}, "unknown_element", "cmi.core.lesson_status"),
    ({"adl.nav.request": "continue"}, "unknown_element", "cmi"),
])
def test_invalid_2004_elements_are_refused(api, s2004, cmi, code, field):
    response = put(as_user(api, s2004.trainee), s2004.lesson, seq=1, cmi=cmi)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code and field in response.json()["fields"]


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"attempt": 1, "seq": 1, "cmi": {}}, "invalid_sco", "sco"),
    ({"sco": "sco-1", "attempt": 1, "seq": 0, "cmi": {}}, "invalid_seq", "seq"),
    ({"sco": "sco-1", "attempt": "1", "seq": 1, "cmi": {}}, "invalid_attempt", "attempt"),
    ({"sco": "sco-1", "attempt": 1, "seq": True, "cmi": {}}, "invalid_seq", "seq"),
    ({"sco": "sco-1", "attempt": 1, "seq": 1}, "invalid_cmi", "cmi"),
    ({"sco": "sco-1", "attempt": 1, "seq": 1, "cmi": []}, "invalid_cmi", "cmi"),
    ({"sco": "sco-1", "attempt": 1, "seq": 1, "cmi": {}, "terminated": "yes"}, "invalid_terminated",
     "terminated"),
])
def test_invalid_bodies_name_the_field(api, s12, body, code, field):
    response = as_user(api, s12.trainee).put(url(s12.lesson.pk), body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code and field in response.json()["fields"]


def test_a_commit_above_the_size_limit_is_413(api, s12, settings):
    settings.SCORM_COMMIT_MAX_BYTES = 2000
    response = put(as_user(api, s12.trainee), s12.lesson, seq=1, cmi={"cmi.comments": "x" * 3000})
    assert response.status_code == 413 and response.json()["code"] == "commit_too_large"
    assert not ScormAttempt.objects.exists()


def test_a_suspend_data_above_4096_is_kept_in_12(api, s12):
    data = "đ" * 10000
    response = put(as_user(api, s12.trainee), s12.lesson, seq=1, cmi={"cmi.suspend_data": data})
    assert response.json()["applied"] is True
    assert get(api, s12.lesson).json()["cmi"]["cmi.suspend_data"] == data


def test_a_real_scorm_again_commit_is_accepted(api, s12):
    """The shape scorm-again 3.4.3 renders (renderCommitCMI(true), flattened), taken from a run."""
    commit = json.loads(REAL_12_COMMIT)
    response = put(as_user(api, s12.trainee), s12.lesson, seq=1, terminated=True, cmi=commit)
    assert response.status_code == 200, response.json()
    assert response.json()["result"] == {"score": 0.85, "completed": True, "passed": True, "attempts": 1}
    row = ScormAttempt.objects.get()
    assert row.total_time_seconds == 600 and row.exit == "suspend"
    assert row.cmi["cmi.interactions.0.id"] == "q1" and "cmi.core.student_id" not in row.cmi


# --- preview, permissions --------------------------------------------------------------------

def test_staff_preview_records_nothing(api, s12):
    as_user(api, s12.trainer)
    start = get(api, s12.lesson).json()
    assert start["preview"] is True and start["cmi"]["cmi.core.lesson_mode"] == "browse"
    assert start["cmi"]["cmi.core.credit"] == "no-credit"
    done = put(api, s12.lesson, seq=1, terminated=True, cmi={"cmi.core.lesson_status": "passed"})
    assert done.status_code == 200 and done.json()["applied"] is False and done.json()["preview"] is True
    assert not ScormAttempt.objects.exists() and not ScormResult.objects.exists()
    assert not LessonProgress.objects.filter(enrolment__user=s12.trainer).exists()


def test_a_learner_not_enrolled_gets_404(api, tree, s12):
    stranger = user_with_role(Role.TRAINEE, tree["ministry"])
    as_user(api, stranger)
    assert get(api, s12.lesson).status_code == 404
    assert put(api, s12.lesson, seq=1, cmi={}).status_code == 404
    assert not ScormAttempt.objects.exists()


def test_a_withdrawn_learner_cannot_commit(api, s12):
    enrolments.enrolment_withdraw(actor=None, course_id=s12.course.pk, user_id=s12.trainee.pk)
    response = put(as_user(api, s12.trainee), s12.lesson, seq=1, cmi={"cmi.core.lesson_status": "passed"})
    assert response.status_code == 404
    assert not ScormAttempt.objects.exists()


def test_anonymous_is_refused(api, s12):
    assert get(api, s12.lesson).status_code in (401, 403)
    assert put(api, s12.lesson, seq=1, cmi={}).status_code in (401, 403)


def test_one_learners_attempts_are_their_own(api, tree, s12):
    other = user_with_role(Role.TRAINEE, tree["ministry"])
    enrolments.enrolments_add(actor=None, course_id=s12.course.pk, user_ids=[other.pk])
    put(as_user(api, s12.trainee), s12.lesson, seq=1, cmi={"cmi.suspend_data": "mine"})
    body = get(as_user(api, other), s12.lesson).json()
    assert body["seq"] == 0 and "cmi.suspend_data" not in body["cmi"]
    assert put(api, s12.lesson, seq=1, cmi={"cmi.suspend_data": "theirs"}).json()["applied"] is True
    assert ScormAttempt.objects.get(user=s12.trainee).suspend_data == "mine"


def test_a_lesson_of_another_kind_is_404(api, tree):
    from tests.h5p.factories import build_h5p_course

    made = build_h5p_course(tree["ministry"])
    assert get(as_user(api, made.trainee), made.lesson).status_code == 404


REAL_12_COMMIT = """{
 "cmi.suspend_data": "abc", "cmi.launch_data": "x", "cmi.comments": "", "cmi.comments_from_lms": "",
 "cmi.core.student_id": "u1", "cmi.core.student_name": "Nguyen, An", "cmi.core.lesson_location": "",
 "cmi.core.credit": "credit", "cmi.core.lesson_status": "passed", "cmi.core.entry": "resume",
 "cmi.core.lesson_mode": "normal", "cmi.core.exit": "suspend", "cmi.core.session_time": "00:10:00",
 "cmi.core.score.raw": "85", "cmi.core.score.min": "", "cmi.core.score.max": "100",
 "cmi.core.total_time": "01:10:00", "cmi.objectives.0.id": "o1", "cmi.objectives.0.status": "",
 "cmi.objectives.0.score.raw": "", "cmi.objectives.0.score.min": "", "cmi.objectives.0.score.max": "100",
 "cmi.student_data.mastery_score": "80", "cmi.student_data.max_time_allowed": "",
 "cmi.student_data.time_limit_action": "", "cmi.student_preference.audio": "",
 "cmi.student_preference.language": "", "cmi.student_preference.speed": "",
 "cmi.student_preference.text": "", "cmi.interactions.0.id": "q1", "cmi.interactions.0.time": "",
 "cmi.interactions.0.type": "", "cmi.interactions.0.weighting": "",
 "cmi.interactions.0.student_response": "", "cmi.interactions.0.result": "correct",
 "cmi.interactions.0.latency": "", "cmi.interactions.0.objectives": {},
 "cmi.interactions.0.correct_responses": {}
}"""


def test_changing_the_grading_method_rescores_everyone_at_once(api, tree):
    made = build_scorm_course(tree["ministry"])
    make_package(made.lesson, version="1.2", grading_method="highest", items=[item("sco-1")])
    as_user(api, made.trainee)
    put(api, made.lesson, seq=1, terminated=True, cmi={"cmi.core.lesson_status": "passed",
                                                       "cmi.core.score.raw": "90"})
    get(api, made.lesson)
    put(api, made.lesson, attempt=2, seq=1, terminated=True, cmi={
        "cmi.core.lesson_status": "failed", "cmi.core.score.raw": "40"})
    assert ScormResult.objects.get().score == 0.9
    as_user(api, made.trainer)
    response = api.patch(f"/api/v1/lessons/{made.lesson.pk}/scorm/", {"grading_method": "average"},
                         format="json")
    assert response.status_code == 200, response.content
    assert ScormResult.objects.get().score == 0.65
    assert progress(made).score == 0.65 and progress(made).status == "completed"
