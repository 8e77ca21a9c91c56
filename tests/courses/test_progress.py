"""Pure progress rules."""

from courses import progress as rules

OUTLINE = {"modules": [
    {"id": 1, "lessons": [{"id": 10, "required": True, "prerequisites": []},
                          {"id": 11, "required": True, "prerequisites": [10]}]},
    {"id": 2, "lessons": [{"id": 12, "required": False, "prerequisites": [11]},
                          {"id": 13, "required": True, "prerequisites": [99]}]},  # 99 unpublished
]}


def test_percent_counts_required_lessons_and_rounds_down():
    counted = rules.counted_lesson_ids(OUTLINE)
    assert counted == [10, 11, 13]
    assert rules.percent(counted, {10, 12}) == 33
    assert rules.percent(counted, {10, 11}) == 66
    assert rules.percent(counted, {10, 11, 13}) == 100
    assert rules.percent([], {1}) == 0


def test_without_required_lessons_every_lesson_counts():
    outline = {"modules": [{"id": 1, "lessons": [{"id": 1, "required": False},
                                                 {"id": 2, "required": False}]}]}
    assert rules.counted_lesson_ids(outline) == [1, 2]


def test_completion_rules():
    assert rules.is_complete(rule="all_required", threshold=100, percent_done=100, counted=3)
    assert not rules.is_complete(rule="all_required", threshold=100, percent_done=99, counted=3)
    assert rules.is_complete(rule="min_percent", threshold=60, percent_done=66, counted=3)
    assert not rules.is_complete(rule="min_percent", threshold=70, percent_done=66, counted=3)
    assert not rules.is_complete(rule="all_required", threshold=100, percent_done=100, counted=0)


def test_locks_follow_published_prerequisites_only():
    ids = {10, 11, 12, 13}
    lessons = rules.outline_lessons(OUTLINE)
    assert not rules.is_locked(lessons[0], {}, ids)
    assert rules.is_locked(lessons[1], {}, ids)
    assert not rules.is_locked(lessons[1], {10: "completed"}, ids)
    assert rules.is_locked(lessons[1], {10: "in_progress"}, ids)
    assert not rules.is_locked(lessons[3], {}, ids)  # prerequisite 99 left the course


def test_next_lesson_resumes_last_open_lesson_or_first_open_one():
    assert rules.next_lesson(OUTLINE, {})["id"] == 10
    done = {10: "completed"}
    assert rules.next_lesson(OUTLINE, done)["id"] == 11
    assert rules.next_lesson(OUTLINE, done, last_lesson_id=13)["id"] == 13
    # The last lesson is completed: go to the first open one instead.
    assert rules.next_lesson(OUTLINE, {10: "completed", 13: "completed"}, 13)["id"] == 11
    everything = {i: "completed" for i in (10, 11, 12, 13)}
    assert rules.next_lesson(OUTLINE, everything) is None
    assert rules.next_lesson(None, {}) is None


def test_continue_never_lands_on_an_optional_lesson_while_a_required_one_is_open():
    done = {10: "completed", 11: "completed"}
    # 12 (optional, open) comes first in reading order, 13 (required) after it.
    assert rules.next_lesson(OUTLINE, done)["id"] == 13
    # Even when the learner last opened the optional lesson.
    assert rules.next_lesson(OUTLINE, done, last_lesson_id=12)["id"] == 13
    # Once every required lesson is done, the optional one is offered.
    assert rules.next_lesson(OUTLINE, {**done, 13: "completed"})["id"] == 12


def test_continue_moves_past_a_quiz_awaiting_grading():
    quiz_outline = {"modules": [{"id": 1, "lessons": [
        {"id": 1, "required": True, "prerequisites": []},
        {"id": 2, "required": True, "prerequisites": []}]}]}
    statuses = {1: rules.AWAITING_GRADING}
    assert rules.next_lesson(quiz_outline, statuses, last_lesson_id=1)["id"] == 2
    # Nothing else left: continue has nowhere to go (the outline shows "awaiting grading").
    assert rules.next_lesson(quiz_outline, {**statuses, 2: "completed"}, 1) is None
    # A lesson that needs the quiz passed stays locked while it awaits grading.
    locked = {"id": 3, "prerequisites": [1]}
    assert rules.is_locked(locked, statuses, {1, 2, 3})


def test_awaiting_grading_is_a_display_status_of_quiz_lessons_only():
    assert rules.display_status("in_progress", kind="quiz", attempts=1, score=None) == "awaiting_grading"
    assert rules.display_status("in_progress", kind="quiz", attempts=1, score=0.4) == "in_progress"
    assert rules.display_status("in_progress", kind="quiz", attempts=0, score=None) == "in_progress"
    assert rules.display_status("completed", kind="quiz", attempts=1, score=None) == "completed"
    assert rules.display_status("in_progress", kind="h5p", attempts=2, score=None) == "in_progress"
    assert rules.stored_status("awaiting_grading") == "in_progress"
    assert rules.stored_status("completed") == "completed"


def test_cycle_detection():
    assert not rules.has_cycle({1: [2], 2: [3], 3: []})
    assert rules.has_cycle({1: [2], 2: [3], 3: [1]})
    assert rules.has_cycle({1: [1]})
    assert not rules.has_cycle({1: [2, 3], 2: [3], 3: []})
