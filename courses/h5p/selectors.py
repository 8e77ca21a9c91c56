"""Reads and access checks for H5P. Lessons, enrolments and staff come from `courses.api` only.

Who may do what:
- upload / change settings: a trainer over the lesson's course (`lesson_get_for_author`);
- play, read content files, post xAPI, save state: an enrolled learner for whom the lesson is
  open (`lesson_get_for_learner`: 404 when not enrolled, 409 `lesson_locked`); staff of the course
  may play (preview) and read content files, but their statements are not recorded;
- library files: any signed-in user (shared, no course content in them);
- statement export: staff of the course (everyone's, or `?user=`), a learner their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from backend.errors import Conflict, DomainError
from courses import api as courses_api
from courses.data import LessonData

from .models import H5PAttempt, H5PContent, H5PResult, H5PState, H5PStatement

H5P_KIND = "h5p"
ACCESS_CACHE_SECONDS = 60


def not_found() -> DomainError:
    return DomainError(_("Not found."), code="not_found", status=404)


def activity_iri(lesson_id: int) -> str:
    """The xAPI object id of a lesson's content (the player's `xAPIObjectIRI`): stable, absolute."""
    return f"{settings.SITE_URL}/learn/lessons/{lesson_id}/h5p/"


def lesson_for_author(*, user, lesson_id: int) -> LessonData:
    lesson = courses_api.lesson_get_for_author(user=user, lesson_id=lesson_id)
    if lesson.kind != H5P_KIND:
        raise Conflict(_("This lesson is not an H5P activity."), code="not_h5p_lesson")
    return lesson


def lesson_for_learner(*, user, lesson_id: int) -> LessonData:
    lesson = courses_api.lesson_get_for_learner(user=user, lesson_id=lesson_id)
    if lesson.kind != H5P_KIND:
        raise not_found()
    return lesson


@dataclass(frozen=True)
class PlayerAccess:
    lesson: LessonData
    is_learner: bool   # False: staff preview, nothing recorded


def lesson_for_player(*, user, lesson_id: int) -> PlayerAccess:
    """A learner's open lesson, or any lesson of a course the user is staff of (preview)."""
    try:
        return PlayerAccess(lesson_for_learner(user=user, lesson_id=lesson_id), True)
    except DomainError as exc:
        if exc.status != 404:
            raise  # lesson_locked for an enrolled learner
    lesson = courses_api.lesson_get(lesson_id)
    if lesson is None or lesson.kind != H5P_KIND or not courses_api.course_is_staff(
            user=user, course_id=lesson.course_id):
        raise not_found()
    return PlayerAccess(lesson, False)


def content_for_lesson(lesson_id: int) -> H5PContent | None:
    return H5PContent.objects.select_related("main_library").filter(lesson_id=lesson_id).first()


def content_require(lesson_id: int) -> H5PContent:
    content = content_for_lesson(lesson_id)
    if content is None:
        raise Conflict(_("No H5P package has been uploaded for this lesson yet."), code="no_content")
    return content


def content_file_allowed(*, user, content_key: str) -> bool:
    """May the user read files of this content? Cached briefly: a page loads many files."""
    if not getattr(user, "is_authenticated", False):
        return False
    cache_key = f"h5p-access:{user.pk}:{content_key}"
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    lesson_id = H5PContent.objects.filter(content_key=content_key).values_list("lesson_id", flat=True).first()
    allowed = False
    if lesson_id is not None:
        try:
            lesson_for_player(user=user, lesson_id=lesson_id)
            allowed = True
        except DomainError:
            allowed = False
    cache.set(cache_key, allowed, ACCESS_CACHE_SECONDS)
    return allowed


def state_for(*, user, lesson_id: int, content_key: str) -> str | None:
    """The saved state, unless it belongs to an earlier upload (it would not fit the new one)."""
    row = H5PState.objects.filter(user=user, lesson_id=lesson_id).only("data", "content_key").first()
    return row.data if row is not None and row.content_key == content_key else None


def result_for(*, user_id: int, lesson_id: int) -> H5PResult | None:
    return H5PResult.objects.filter(user_id=user_id, lesson_id=lesson_id).first()


def attempts_for(*, user_id: int, lesson_id: int) -> list[H5PAttempt]:
    return list(H5PAttempt.objects.filter(user_id=user_id, lesson_id=lesson_id).order_by("id"))


def export_scope(*, user, lesson_id: int, user_id: int | None) -> int | None:
    """Whose statements the caller may export: None means everyone's (staff only)."""
    lesson = courses_api.lesson_get(lesson_id)
    if lesson is None or lesson.kind != H5P_KIND:
        raise not_found()
    if courses_api.course_is_staff(user=user, course_id=lesson.course_id):
        return user_id
    if courses_api.enrolment_get(user_id=user.pk, course_id=lesson.course_id) is None:
        raise not_found()
    if user_id not in (None, user.pk):
        raise DomainError(_("You may export only your own statements."), code="permission_denied",
                          status=403)
    return user.pk


def statements_for_export(*, lesson_id: int, user_id: int | None,
                          chunk_size: int = 500) -> Iterator[tuple]:
    """(statement id, raw, stored at, user's name, user's e-mail), oldest first, read in chunks
    (a server-side cursor on PostgreSQL: never all rows in memory)."""
    qs = H5PStatement.objects.filter(lesson_id=lesson_id).order_by("id")
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    rows = qs.values_list("statement_id", "raw", "stored_at", "user__full_name", "user__email")
    yield from rows.iterator(chunk_size=chunk_size)
