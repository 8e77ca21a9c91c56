"""SCORM package writes: upload (or replace) a lesson's package, change its settings, remove it.

An upload validates and unpacks outside the database transaction (seconds for a large package)
into a fresh folder `SCORM_ROOT/<package_key>/`; the row is then written in one transaction with
its audit entry, and the previous folder is removed only after that commits. A refused package
raises before anything is written; a failure after unpacking removes the new folder. Learners'
attempts and results belong to (user, lesson), so a re-upload keeps them.
"""

from __future__ import annotations

import uuid
from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.audit.api import audit_record
from backend.errors import Conflict
from courses import api as courses_api
from courses.attempt_grading import GradingMethod

from .models import CompletionRule, ScormPackage
from .package import limits, validate_package
from .runtime import rescore_lesson
from .selectors import lesson_for_author, package_require
from .storage import remove_package, store_package


def _check_choices(grading_method: str | None, completion_rule: str | None) -> None:
    errors = {}
    if grading_method is not None and grading_method not in GradingMethod.values:
        errors["grading_method"] = _("Unknown grading method.")
    if completion_rule is not None and completion_rule not in CompletionRule.values:
        errors["completion_rule"] = _("Unknown completion rule.")
    if errors:
        raise ValidationError(errors)


def package_upload(*, actor, lesson_id: int, file: IO[bytes], grading_method: str | None = None,
                   completion_rule: str | None = None) -> ScormPackage:
    """Validate and store a SCORM zip as the lesson's package (replacing any earlier one).
    Raises ScormPackageError (400, stable code) before writing anything if it is refused.
    Without `completion_rule`, a first upload takes "required" when the package marks some SCO
    as not counting for completion, else "all"; a re-upload keeps the lesson's rule."""
    lesson = lesson_for_author(user=actor, lesson_id=lesson_id)
    _check_choices(grading_method, completion_rule)
    validated = validate_package(file, limits=limits())
    key = f"l{lesson_id}-{uuid.uuid4().hex[:16]}"
    store_package(file, validated, package_key=key)
    try:
        with transaction.atomic():
            package, old_key = _save(actor=actor, lesson_id=lesson_id, course_id=lesson.course_id, key=key,
                                     validated=validated, grading_method=grading_method,
                                     completion_rule=completion_rule)
            audit_record(actor=actor, verb="scorm.uploaded", target=package, details={
                "lesson_id": lesson_id, "title": package.title, "version": package.version,
                "package_key": key, "previous_package_key": old_key, "items": len(package.items),
                "size_bytes": package.size_bytes})
            if old_key:
                transaction.on_commit(lambda: remove_package(old_key))
    except BaseException:
        remove_package(key)
        raise
    return package


def _save(*, actor, lesson_id: int, course_id: int, key: str, validated, grading_method: str | None,
          completion_rule: str | None) -> tuple[ScormPackage, str | None]:
    manifest = validated.manifest
    fields = {
        "package_key": key, "version": manifest.version, "title": manifest.title[:255],
        "manifest_identifier": manifest.identifier[:255], "organization": manifest.organization[:255],
        "items": [item.as_json() for item in manifest.items],
        "warnings": [w.as_json() for w in validated.warnings],
        "size_bytes": validated.size_bytes, "file_count": len(validated.files),
        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        "uploaded_at": timezone.now(),
    }
    if grading_method:
        fields["grading_method"] = grading_method
    if completion_rule:
        fields["completion_rule"] = completion_rule
    package = ScormPackage.objects.select_for_update().filter(lesson_id=lesson_id).first()
    if package is None:
        fields.setdefault("completion_rule", CompletionRule.REQUIRED if manifest.needs_required_rule
                          else CompletionRule.ALL)
        try:
            with transaction.atomic():
                package = ScormPackage.objects.create(lesson_id=lesson_id, course_id=course_id, **fields)
        except IntegrityError as exc:
            raise Conflict(_("Another upload for this lesson is in progress; try again."),
                           code="upload_in_progress") from exc
        courses_api.lesson_set_activity(lesson_id=lesson_id, activity_id=package.pk)
        return package, None
    old_key = package.package_key
    for name, value in fields.items():
        setattr(package, name, value)
    package.uploads += 1
    package.save()
    return package, old_key


@transaction.atomic
def package_settings_update(*, actor, lesson_id: int, grading_method: str | None = None,
                            completion_rule: str | None = None) -> ScormPackage:
    """Change how attempts add up to the lesson's score and when the lesson counts as
    completed, and re-score everyone with a result, in this transaction (as H5P does). A
    lesson once completed stays completed."""
    lesson_for_author(user=actor, lesson_id=lesson_id)
    _check_choices(grading_method, completion_rule)
    package_require(lesson_id)
    package = ScormPackage.objects.select_for_update().get(lesson_id=lesson_id)
    changed = {}
    if grading_method and grading_method != package.grading_method:
        changed["grading_method"] = package.grading_method = grading_method
    if completion_rule and completion_rule != package.completion_rule:
        changed["completion_rule"] = package.completion_rule = completion_rule
    if changed:
        package.save(update_fields=list(changed))
        audit_record(actor=actor, verb="scorm.settings_changed", target=package,
                     details={"lesson_id": lesson_id, **changed})
        rescore_lesson(lesson_id=lesson_id)
    return package


def package_remove(*, actor, lesson_id: int) -> None:
    """Remove the lesson's package (its folder goes after the commit). Learners' attempts and
    results stay: a later upload plays on with them."""
    lesson_for_author(user=actor, lesson_id=lesson_id)
    with transaction.atomic():
        package = ScormPackage.objects.select_for_update().filter(lesson_id=lesson_id).first()
        if package is None:
            package_require(lesson_id)  # raises no_package
        key = package.package_key
        audit_record(actor=actor, verb="scorm.removed", target=package,
                     details={"lesson_id": lesson_id, "title": package.title, "package_key": key})
        package.delete()
        courses_api.lesson_set_activity(lesson_id=lesson_id, activity_id=None)
        transaction.on_commit(lambda: remove_package(key))
