"""What publishing the draft now would change for trainees (read-only; shown before publish).

It compares each live draft lesson with its published snapshot using the very function
`course_publish` builds snapshots with, so "edited" means exactly "publish would rewrite it".
"""

from __future__ import annotations

from courses.data import PublishChanges
from courses.models import Course, Lesson
from courses.selectors import draft_outline
from courses.services import _lesson_snapshot  # the one definition of a lesson's snapshot

COURSE_DETAILS = ("title", "summary", "language", "completion_rule", "completion_percent")
# Position is reported as "moved", not "edited"; the activity link is applied without publishing.
NOT_CONTENT = ("position", "activity_id", "module_id")


def publish_changes(course: Course) -> PublishChanges:
    """Counts of added, removed, edited and moved lessons since the last publish (four queries)."""
    snap = course.published
    modules = [m for m in draft_outline(course) if m.live_lessons]
    live_ids = {ls.pk for m in modules for ls in m.live_lessons}
    added = edited = moved = 0
    for module in modules:
        ordered = sorted(module.live_lessons, key=lambda x: (x.position, x.pk))
        for l_pos, lesson in enumerate(ordered, start=1):
            if lesson.published is None:
                added += 1
                continue
            prereqs = [p for p in lesson.prerequisite_ids if p in live_ids]
            draft = _lesson_snapshot(lesson, prereqs, l_pos)
            old = lesson.published
            if any(draft.get(k) != old.get(k) for k in draft if k not in NOT_CONTENT):
                edited += 1
            elif draft["module_id"] != old.get("module_id") or l_pos != old.get("position"):
                moved += 1
    removed = Lesson.objects.filter(course=course, published__isnull=False).exclude(
        pk__in=live_ids).count()
    details = False
    if snap:
        old_modules = [(m["id"], m["title"]) for m in snap.get("modules", [])]
        details = (any(getattr(course, k) != snap.get(k) for k in COURSE_DETAILS)
                   or old_modules != [(m.pk, m.title) for m in modules])
    return PublishChanges(first_publish=snap is None, details_changed=details, added=added,
                          removed=removed, edited=edited, moved=moved)
