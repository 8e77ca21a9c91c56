"""Progress rules (pure): percent, completion, prerequisite locks, where to continue.

They work on the published outline (plain dicts from `Course.published`) and a mapping of
lesson id -> progress status, so they are tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

COMPLETED = "completed"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
# A display status, never stored: a quiz lesson whose every submitted attempt waits for a
# trainer to grade an essay (docs/decisions/0057-learning-navigation.md).
AWAITING_GRADING = "awaiting_grading"


def outline_lessons(outline: Mapping | None) -> list[dict]:
    """Every published lesson in reading order (module order, then lesson order)."""
    if not outline:
        return []
    return [lesson for module in outline.get("modules", []) for lesson in module.get("lessons", [])]


def counted_lesson_ids(outline: Mapping | None) -> list[int]:
    """The lessons progress counts: the required ones, or every lesson if none is required."""
    lessons = outline_lessons(outline)
    required = [lesson["id"] for lesson in lessons if lesson.get("required", True)]
    return required or [lesson["id"] for lesson in lessons]


def percent(counted: Iterable[int], completed: Iterable[int]) -> int:
    """Whole percent of `counted` lessons completed, rounded down (100 only when all are done)."""
    counted = set(counted)
    if not counted:
        return 0
    return (len(counted & set(completed)) * 100) // len(counted)


def is_complete(*, rule: str, threshold: int, percent_done: int, counted: int) -> bool:
    if counted == 0:
        return False
    if rule == "min_percent":
        return percent_done >= max(1, min(threshold, 100))
    return percent_done >= 100


def is_locked(lesson: Mapping, statuses: Mapping[int, str], published_ids: set[int]) -> bool:
    """Locked while any published prerequisite is not completed. Prerequisites that dropped out
    of the published course no longer lock anything."""
    return any(
        statuses.get(pid) != COMPLETED
        for pid in lesson.get("prerequisites", ())
        if pid in published_ids
    )


def display_status(status: str, *, kind: str, attempts: int, score: float | None) -> str:
    """The status a learner sees: a quiz lesson with submitted attempts but no grade yet is
    "awaiting grading" (its essays wait for a trainer); anything else is its stored status."""
    if kind == "quiz" and status != COMPLETED and attempts > 0 and score is None:
        return AWAITING_GRADING
    return status


def stored_status(status: str) -> str:
    """The stored status behind a display status (what the REST API reports)."""
    return IN_PROGRESS if status == AWAITING_GRADING else status


def next_lesson(outline: Mapping | None, statuses: Mapping[int, str],
                last_lesson_id: int | None = None) -> dict | None:
    """Where "continue" lands. Open lessons are those neither completed, awaiting grading nor
    locked. While a required lesson is open, only required ones are candidates (optional ones
    are offered in the outline, not landed on); otherwise the optional ones are. Among the
    candidates: the lesson last worked on, else the first in reading order. None when nothing
    is left to do."""
    lessons = outline_lessons(outline)
    ids = {lesson["id"] for lesson in lessons}
    open_lessons = [
        lesson for lesson in lessons
        if statuses.get(lesson["id"]) not in (COMPLETED, AWAITING_GRADING)
        and not is_locked(lesson, statuses, ids)
    ]
    required = [lesson for lesson in open_lessons if lesson.get("required", True)]
    candidates = required or open_lessons
    for lesson in candidates:
        if lesson["id"] == last_lesson_id:
            return lesson
    return candidates[0] if candidates else None


def has_cycle(edges: Mapping[int, Iterable[int]]) -> bool:
    """Does the prerequisite graph (lesson -> its prerequisites) contain a cycle?"""
    state: dict[int, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: int) -> bool:
        stack = [(node, iter(edges.get(node, ())))]
        state[node] = 1
        while stack:
            current, children = stack[-1]
            for child in children:
                if state.get(child) == 1:
                    return True
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(edges.get(child, ()))))
                    break
            else:
                state[current] = 2
                stack.pop()
        return False

    return any(node not in state and visit(node) for node in list(edges))
