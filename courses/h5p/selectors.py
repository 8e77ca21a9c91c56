"""Reads and access checks for H5P. Lessons, enrolments and staff come from `courses.api` only.

Who may do what:
- upload / change settings: a trainer over the lesson's course (`lesson_get_for_author`);
- play, post xAPI, save state: an enrolled learner for whom the lesson is open
  (`lesson_get_for_learner`: 404 when not enrolled, 409 `lesson_locked`); staff of the course
  may play (preview), but their statements are not recorded;
- files under H5P_CONTENT_URL (the sandboxed player frame, content, libraries): whoever holds a
  player grant (grants.py) made for them on the lesson page; the frame document and content files
  re-check the grant's user against the lesson at every request (`access_for_grant`, nothing
  cached, so an unenrolment takes effect at once); library and player files are code, not course
  content, and need only a valid grant, within the content's own library set;
- statement export: staff of the course (everyone's, or `?user=`), a learner their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from backend.errors import Conflict, DomainError
from courses import api as courses_api
from courses.data import LessonData

from .grants import PlayerGrant
from .models import H5PAttempt, H5PContent, H5PLibrary, H5PResult, H5PState, H5PStatement

H5P_KIND = courses_api.LessonKind.H5P


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


@dataclass(frozen=True)
class GrantedPlayer:
    user: object
    access: PlayerAccess
    content: H5PContent


def access_for_grant(grant: PlayerGrant) -> GrantedPlayer | None:
    """The grant's user may still play its lesson now, and the lesson still plays the grant's
    content; else None. Checked at every request, never cached."""
    user = get_user_model().objects.filter(pk=grant.user_id, is_active=True).first()
    if user is None:
        return None
    try:
        access = lesson_for_player(user=user, lesson_id=grant.lesson_id)
    except DomainError:
        return None
    content = content_for_lesson(grant.lesson_id)
    if content is None or content.content_key != grant.content_key:
        return None
    return GrantedPlayer(user, access, content)


def library_store_folder(*, content_key: str, machine_name: str, major: int, minor: int) -> str | None:
    """The stored copy of `<machine_name> <major>.<minor>` that this content plays (its own
    library set, fixed at upload), or None: never a copy another upload brought."""
    library = H5PLibrary.objects.filter(contents__content_key=content_key, machine_name=machine_name,
                                        major=major, minor=minor).first()
    return library.store_folder if library is not None else None


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
