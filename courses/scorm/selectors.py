"""Reads and access checks for SCORM packages. Lessons, enrolments and staff come from
`courses.api` only (as for H5P, courses/h5p/selectors.py).

Who may do what:
- upload, change settings, remove: a trainer over the lesson's course (`lesson_get_for_author`);
- read the package (its items, for the table of contents): an enrolled learner for whom the
  lesson is open (`lesson_get_for_learner`: 404 when not enrolled, 409 `lesson_locked`), or staff
  of the course (preview).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from backend.errors import Conflict, DomainError
from courses import api as courses_api
from courses.data import LessonData

from .models import ScormPackage

SCORM_KIND = courses_api.LessonKind.SCORM


def not_found() -> DomainError:
    return DomainError(_("Not found."), code="not_found", status=404)


def not_scorm() -> Conflict:
    return Conflict(_("This lesson is not a SCORM package lesson."), code="not_scorm_lesson")


def lesson_for_author(*, user, lesson_id: int) -> LessonData:
    """The lesson, for a trainer over its course (403/404 otherwise); 409 if not a SCORM lesson."""
    lesson = courses_api.lesson_get_for_author(user=user, lesson_id=lesson_id)
    if lesson.kind != SCORM_KIND:
        raise not_scorm()
    return lesson


def lesson_for_learner(*, user, lesson_id: int) -> LessonData:
    lesson = courses_api.lesson_get_for_learner(user=user, lesson_id=lesson_id)
    if lesson.kind != SCORM_KIND:
        raise not_found()
    return lesson


@dataclass(frozen=True)
class ViewerAccess:
    lesson: LessonData
    is_learner: bool   # False: staff preview, nothing recorded


def lesson_for_viewer(*, user, lesson_id: int) -> ViewerAccess:
    """A learner's open lesson, or any SCORM lesson of a course the user is staff of (preview)."""
    try:
        return ViewerAccess(lesson_for_learner(user=user, lesson_id=lesson_id), True)
    except DomainError as exc:
        if exc.status != 404:
            raise  # lesson_locked for an enrolled learner
    lesson = courses_api.lesson_get(lesson_id)
    if lesson is None or lesson.kind != SCORM_KIND or not courses_api.course_is_staff(
            user=user, course_id=lesson.course_id):
        raise not_found()
    return ViewerAccess(lesson, False)


def package_row(lesson_id: int) -> ScormPackage | None:
    return ScormPackage.objects.filter(lesson_id=lesson_id).first()


def package_require(lesson_id: int) -> ScormPackage:
    package = package_row(lesson_id)
    if package is None:
        raise Conflict(_("No SCORM package has been uploaded for this lesson yet."), code="no_package")
    return package


@dataclass(frozen=True)
class PackageItem:
    identifier: str
    title: str
    depth: int
    is_sco: bool
    href: str | None
    mastery_score: float | None
    scaled_passing_score: float | None
    completion_threshold: float | None
    launch_data: str | None
    max_time_allowed: str | None
    time_limit_action: str | None
    required: bool


@dataclass(frozen=True)
class PackageData:
    """A lesson's package as other apps and the pages see it."""

    id: int
    lesson_id: int
    course_id: int
    package_key: str
    version: str
    title: str
    manifest_identifier: str
    organization: str
    items: tuple[PackageItem, ...]
    completion_rule: str
    grading_method: str
    warnings: tuple[dict, ...]
    size_bytes: int
    file_count: int
    uploaded_at: datetime
    uploads: int

    @property
    def scos(self) -> tuple[PackageItem, ...]:
        return tuple(item for item in self.items if item.is_sco)

    @property
    def player_url(self) -> str:
        return f"/learn/lessons/{self.lesson_id}/scorm/"


_ITEM_FIELDS = tuple(PackageItem.__dataclass_fields__)


def package_data(package: ScormPackage) -> PackageData:
    items = tuple(PackageItem(**{name: raw.get(name, True if name == "required" else None)
                                 for name in _ITEM_FIELDS}) for raw in package.items)
    return PackageData(
        id=package.pk, lesson_id=package.lesson_id, course_id=package.course_id,
        package_key=package.package_key, version=package.version, title=package.title,
        manifest_identifier=package.manifest_identifier, organization=package.organization, items=items,
        completion_rule=package.completion_rule, grading_method=package.grading_method,
        warnings=tuple(package.warnings), size_bytes=package.size_bytes, file_count=package.file_count,
        uploaded_at=package.uploaded_at, uploads=package.uploads)


def package_for_lesson(lesson_id: int) -> PackageData | None:
    """The lesson's package, or None when none was uploaded (one query)."""
    package = package_row(lesson_id)
    return package_data(package) if package is not None else None


@dataclass(frozen=True)
class GrantedPlayer:
    user: object
    access: ViewerAccess
    package: PackageData


def access_for_grant(*, user_id: int, lesson_id: int, package_key: str) -> GrantedPlayer | None:
    """A player grant's user may still play its lesson now, and the lesson still plays the
    grant's package; else None. Checked at every request under the prefix, never cached."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    try:
        access = lesson_for_viewer(user=user, lesson_id=lesson_id)
    except DomainError:
        return None
    package = package_for_lesson(lesson_id)
    if package is None or package.package_key != package_key:
        return None
    return GrantedPlayer(user, access, package)
