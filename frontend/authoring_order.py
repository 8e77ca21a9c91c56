"""Moving one module or lesson up or down in a course outline (pure; no ORM, no request).

The keyboard alternative to drag-and-drop: it computes the full order that
`courses.services.course_reorder` takes, so both paths save through the same service.
"""

from __future__ import annotations

Order = list[tuple[int, list[int]]]  # [(module id, [lesson ids in order]), ...]


def move_module(order: Order, module_id: int, step: int) -> Order:
    ids = [m for m, _lessons in order]
    i = ids.index(module_id)
    j = i + step
    if not 0 <= j < len(order):
        return order
    out = list(order)
    out[i], out[j] = out[j], out[i]
    return out


def move_lesson(order: Order, lesson_id: int, step: int) -> Order:
    """Up from a module's first place goes to the end of the module before; down from the last
    place to the start of the module after, so the keyboard can do what dragging can."""
    out = [(m, list(lessons)) for m, lessons in order]
    for i, (_module, lessons) in enumerate(out):
        if lesson_id not in lessons:
            continue
        k = lessons.index(lesson_id)
        if 0 <= k + step < len(lessons):
            lessons[k], lessons[k + step] = lessons[k + step], lessons[k]
        elif step < 0 and i > 0:
            lessons.pop(k)
            out[i - 1][1].append(lesson_id)
        elif step > 0 and i + 1 < len(out):
            lessons.pop(k)
            out[i + 1][1].insert(0, lesson_id)
        return out
    raise ValueError(lesson_id)


def as_payload(order: Order) -> list[dict]:
    return [{"id": m, "lessons": lessons} for m, lessons in order]
