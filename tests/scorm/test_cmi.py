"""The pure CMI rules: time formats, commit checks per version, outcomes under mastery rules,
attempt and entry rules, SCOs into the lesson, and the grading methods shared with H5P."""

from __future__ import annotations

import pytest

from courses.attempt_grading import GradingMethod, aggregate_score
from courses.h5p.models import GradingMethod as H5PGradingMethod
from courses.scorm import cmi as rules
from courses.scorm.models import ScormPackage
from tests.scorm.factories import item

# --- time ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "seconds"), [
    ("00:00:00", 0), ("01:02:03", 3723), ("0001:02:03.5", 3723.5), ("9999:59:59.99", 35999999.99),
    ("12:00:00.25", 43200.25)])
def test_12_time_spans(text, seconds):
    assert rules.parse_time_12(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "1:00:00", "00:60:00", "00:00:61", "PT1M", "00:00:00.123", "a"])
def test_malformed_12_time_spans(text):
    assert rules.parse_time_12(text) is None


@pytest.mark.parametrize(("text", "seconds"), [
    ("PT0S", 0), ("PT1H2M3.5S", 3723.5), ("P1DT1H", 90000), ("PT90M", 5400), ("P1W", 604800),
    ("PT0H0M0S", 0), ("PT0.25S", 0.25)])
def test_2004_durations(text, seconds):
    assert rules.parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "P", "PT", "1H", "PT1H2", "01:00:00", "P1DT", "PT-1S"])
def test_malformed_2004_durations(text):
    assert rules.parse_duration(text) is None


@pytest.mark.parametrize("seconds", [0, 0.5, 59.99, 3723.5, 86400 * 3 + 1.25])
def test_time_formats_round_trip(seconds):
    assert rules.parse_time_12(rules.format_time_12(seconds)) == pytest.approx(seconds)
    assert rules.parse_duration(rules.format_duration(seconds)) == pytest.approx(seconds)


def test_time_formats_as_scorm_writes_them():
    assert rules.format_time_12(3723.5) == "0001:02:03.50"
    assert rules.format_duration(3723.5) == "PT1H2M3.5S"
    assert rules.format_duration(0) == "PT0H0M0S"
    assert rules.format_total("1.2", 60) == "0000:01:00.00" and rules.format_total("2004-3", 60) == "PT0H1M0S"


# --- commit checks ---------------------------------------------------------------------------

def test_read_only_elements_are_ignored_and_empty_collections_skipped():
    checked = rules.check_commit("1.2", {
        "cmi.core.student_id": "x", "cmi.core.total_time": "1:00:00", "cmi.core.lesson_status": "passed",
        "cmi.interactions.0.objectives": {}, "cmi.interactions.0.correct_responses": {},
        "cmi.interactions.12.objectives.3.id": "o"}, suspend_data_max=100)
    assert checked.elements == {"cmi.core.lesson_status": "passed",
                                "cmi.interactions.12.objectives.3.id": "o"}
    assert set(checked.ignored) == {"cmi.core.student_id", "cmi.core.total_time"}


def test_2004_accepts_its_whole_writable_model():
    checked = rules.check_commit("2004-4", {
        "cmi.completion_status": "completed", "cmi.success_status": "unknown", "cmi.exit": "normal",
        "cmi.location": "p3", "cmi.progress_measure": "1", "cmi.score.scaled": "-0.5", "cmi.score.raw": "-3",
        "cmi.session_time": "PT10M", "cmi.comments_from_learner.0.comment": "Hay",
        "cmi.objectives.0.success_status": "passed", "cmi.objectives.0.score.scaled": "1",
        "cmi.interactions.0.type": "long-fill-in", "cmi.interactions.0.result": "incorrect",
        "cmi.interactions.1.result": "0.5", "cmi.interactions.0.latency": "PT2S",
        "cmi.learner_preference.audio_level": "1", "cmi.learner_id": "ignored",
        "cmi.comments_from_lms.0.comment": "ignored"}, suspend_data_max=100)
    assert len(checked.elements) == 16 and len(checked.ignored) == 2


@pytest.mark.parametrize(("version", "name", "value", "code"), [
    ("1.2", "cmi.interactions.0.result", "incorrect", "invalid_vocabulary"),  # 2004's word
    ("2004-3", "cmi.interactions.0.result", "wrong", "invalid_vocabulary"),   # 1.2's word
    ("1.2", "cmi.core.exit", "normal", "invalid_vocabulary"),
    ("1.2", "cmi.objectives.0.status", "unknown", "invalid_vocabulary"),
    ("2004-3", "cmi.objectives.0.completion_status", "passed", "invalid_vocabulary"),
    ("1.2", "cmi.interactions.10000.id", "q", "unknown_element"),
    ("1.2", "cmi.interactions.01.id", "q", "unknown_element"),
    ("1.2", "cmi.core._children", "x", "unknown_element"),
    ("2004-4", "cmi.score.raw", "1e5", "invalid_number"),
    ("2004-4", "cmi.score.raw", "-", "invalid_number"),
    ("2004-4", "cmi.interactions.0.latency", "00:00:02", "invalid_time"),
    ("1.2", "cmi.core.lesson_location", "x" * 1001, "value_too_long"),
    ("1.2", "cmi.comments", "a\x00b", "invalid_value"),
])
def test_bad_values_name_the_element(version, name, value, code):
    with pytest.raises(rules.CmiError) as caught:
        rules.check_commit(version, {name: value}, suspend_data_max=100)
    assert caught.value.code == code
    assert caught.value.field == name and name in caught.value.fields


def test_numbers_are_taken_as_text_and_booleans_refused():
    assert rules.check_commit("1.2", {"cmi.core.score.raw": 85}, suspend_data_max=10).elements == {
        "cmi.core.score.raw": "85"}
    with pytest.raises(rules.CmiError) as caught:
        rules.check_commit("1.2", {"cmi.core.score.raw": True}, suspend_data_max=10)
    assert caught.value.code == "invalid_value"


def test_suspend_data_limit_is_the_setting_for_every_version():
    for version in rules.VERSIONS:
        assert rules.check_commit(version, {"cmi.suspend_data": "x" * 5000}, suspend_data_max=5000).elements
        with pytest.raises(rules.CmiError) as caught:
            rules.check_commit(version, {"cmi.suspend_data": "x" * 5001}, suspend_data_max=5000)
        assert caught.value.code == "suspend_data_too_long"


def test_a_commit_must_be_an_object():
    with pytest.raises(rules.CmiError) as caught:
        rules.check_commit("1.2", ["cmi.core.exit"], suspend_data_max=10)
    assert caught.value.code == "invalid_cmi" and caught.value.field == "cmi"


# --- outcomes --------------------------------------------------------------------------------

def o12(cmi, **extra):
    return rules.outcome("1.2", cmi, item(**extra))


def test_12_passed_and_failed_imply_completed():
    assert o12({"cmi.core.lesson_status": "passed"}).completed is True
    failed = o12({"cmi.core.lesson_status": "failed"})
    assert failed.completed is True and failed.passed is False
    assert o12({"cmi.core.lesson_status": "incomplete"}).completed is False
    assert o12({"cmi.core.lesson_status": "browsed"}).passed is None


def test_12_mastery_score_judges_a_completed_sco():
    passed = o12({"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "80"}, mastery_score=80)
    assert (passed.completion_status, passed.passed) == ("passed", True)
    failed = o12({"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "79.5"}, mastery_score=80)
    assert (failed.completion_status, failed.success_status, failed.completed) == ("failed", "failed", True)
    unjudged = o12({"cmi.core.lesson_status": "incomplete", "cmi.core.score.raw": "90"}, mastery_score=80)
    assert unjudged.passed is None and unjudged.completed is False


@pytest.mark.parametrize(("raw", "low", "high", "fraction"), [
    ("85", None, None, 0.85), ("85", "", "100", 0.85), ("15", "10", "20", 0.5), ("30", "0", "20", 1.0),
    ("", "0", "100", None), ("5", "5", "5", None)])
def test_12_score_fraction(raw, low, high, fraction):
    cmi = {"cmi.core.score.raw": raw}
    if low is not None:
        cmi["cmi.core.score.min"] = low
    if high is not None:
        cmi["cmi.core.score.max"] = high
    assert o12(cmi).score == (pytest.approx(fraction) if fraction is not None else None)


def o2004(cmi, **extra):
    return rules.outcome("2004-4", cmi, item(**extra))


def test_2004_statuses_without_thresholds():
    got = o2004({"cmi.completion_status": "completed", "cmi.success_status": "passed"})
    assert got.completed and got.passed is True
    unknown = o2004({"cmi.completion_status": "unknown", "cmi.success_status": "unknown"})
    assert unknown.completed is False and unknown.passed is None and unknown.success_status == ""


def test_2004_completion_threshold_overrides_the_reported_status():
    assert o2004({"cmi.completion_status": "incomplete", "cmi.progress_measure": "0.9"},
                 completion_threshold=0.8).completed is True
    assert o2004({"cmi.completion_status": "completed", "cmi.progress_measure": "0.5"},
                 completion_threshold=0.8).completed is False
    # No progress measure: the SCO's own status stands.
    assert o2004({"cmi.completion_status": "completed"}, completion_threshold=0.8).completed is True


def test_2004_scaled_passing_score_decides_success():
    assert o2004({"cmi.score.scaled": "0.7", "cmi.success_status": "failed"},
                 scaled_passing_score=0.7).passed is True
    assert o2004({"cmi.score.scaled": "0.69", "cmi.success_status": "passed"},
                 scaled_passing_score=0.7).passed is False
    assert o2004({"cmi.success_status": "passed"}, scaled_passing_score=0.7).passed is True


def test_2004_score_fraction():
    assert o2004({"cmi.score.scaled": "0.42", "cmi.score.raw": "99"}).score == pytest.approx(0.42)
    assert o2004({"cmi.score.scaled": "-0.5"}).score == 0.0
    assert o2004({"cmi.score.raw": "3", "cmi.score.min": "0", "cmi.score.max": "4"}).score == 0.75
    assert o2004({"cmi.score.raw": "50"}).score is None  # 2004 has no implied maximum


# --- attempts and entry ----------------------------------------------------------------------

@pytest.mark.parametrize(("terminated", "exit_value", "completed", "success", "ended"), [
    (True, "", True, "", True), (True, "normal", False, "failed", True), (True, "logout", True, "", True),
    (True, "suspend", True, "passed", False), (False, "", True, "passed", False),
    (True, "", False, "", False), (True, "time-out", False, "", False)])
def test_when_an_attempt_ends(terminated, exit_value, completed, success, ended):
    assert rules.attempt_ended(terminated=terminated, exit_value=exit_value, completed=completed,
                               success_status=success) is ended


def test_entry():
    assert rules.entry_for(new_attempt=True, last_exit="suspend") == "ab-initio"
    assert rules.entry_for(new_attempt=False, last_exit="suspend") == "resume"
    assert rules.entry_for(new_attempt=False, last_exit="") == ""


def test_learner_name_is_family_comma_given():
    assert rules.learner_name("Nguyễn Văn An") == "Nguyễn, Văn An"
    assert rules.learner_name("  Lê   Thị   Hồng  ") == "Lê, Thị Hồng"
    assert rules.learner_name("Minh") == "Minh"


# --- SCOs into the lesson --------------------------------------------------------------------

def outcome(score=None, completed=False, passed=None):
    return rules.Outcome("", "", completed, passed, score, None, None, None, None)


def test_a_sco_over_its_attempts():
    attempts = [outcome(0.4, True, False), outcome(0.9, True, True), outcome(0.6)]
    sco = rules.sco_result("a", attempts, "average")
    assert sco.attempts == 3 and sco.completed and sco.passed is True
    assert sco.score == pytest.approx((0.4 + 0.9 + 0.6) / 3)
    assert rules.sco_result("a", [outcome(0.4, passed=False)], "last").passed is False
    assert rules.sco_result("a", [outcome()], "highest").passed is None


ITEMS = [item("a"), item("folder", is_sco=False), item("b", required=False), item("c")]


def test_lesson_rule_all_needs_every_sco():
    done = rules.sco_result("a", [outcome(1.0, True, True)], "highest")
    half = {"a": done, "c": rules.sco_result("c", [outcome(0.5, True, False)], "highest")}
    lesson = rules.lesson_outcome(ITEMS, "all", half)
    assert lesson.completed is False and lesson.score == 0.75 and lesson.passed is False
    assert lesson.attempts == 2
    every = {**half, "b": rules.sco_result("b", [outcome(completed=True)], "highest")}
    assert rules.lesson_outcome(ITEMS, "all", every).completed is True


def test_lesson_rule_required_counts_required_scos_only():
    results = {s: rules.sco_result(s, [outcome(completed=True)], "highest") for s in ("a", "c")}
    assert rules.lesson_outcome(ITEMS, "required", results).completed is True
    assert rules.lesson_outcome(ITEMS, "required", {"a": results["a"]}).completed is False
    assert rules.lesson_outcome(ITEMS, "required", results).passed is None


def test_required_rule_with_nothing_marked_means_all():
    items = [item("a", required=False), item("b", required=False)]
    results = {"a": rules.sco_result("a", [outcome(completed=True)], "highest")}
    assert rules.lesson_outcome(items, "required", results).completed is False


def test_a_package_without_scos_never_completes():
    assert rules.lesson_outcome([item("x", is_sco=False)], "all", {}).completed is False


# --- the grading methods shared with H5P ----------------------------------------------------

@pytest.mark.parametrize(("method", "expected"), [
    ("highest", 0.9), ("last", 0.5), ("first", 0.2), ("average", pytest.approx(1.6 / 3))])
def test_aggregate_score(method, expected):
    assert aggregate_score([0.2, None, 0.9, 0.5], method) == expected


def test_one_enum_for_h5p_and_scorm():
    assert H5PGradingMethod is GradingMethod
    assert ScormPackage._meta.get_field("grading_method").choices == GradingMethod.choices
    with pytest.raises(ValueError, match="median"):
        aggregate_score([], "median")
