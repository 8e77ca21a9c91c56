"""Every H5P write: upload a package, change the grading method, save a learner's state, and
ingest xAPI statements into attempts and the lesson result (reported to courses in the same
transaction).

Uploads validate and unpack outside the database transaction (seconds for a large package) into
a fresh content folder; the rows are then written in one transaction, and the previous folder is
removed only after it commits. A rejected package raises before anything is written.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.api.untrusted import InputError, load_json
from backend.audit.api import audit_record
from backend.errors import Conflict
from courses import api as courses_api
from courses.attempt_grading import aggregate_score
from courses.data import LessonData

from . import config
from .models import GradingMethod, H5PAttempt, H5PContent, H5PLibrary, H5PResult, H5PState, H5PStatement
from .package import LibraryRef, ValidatedPackage, validate_package
from .selectors import activity_iri, content_require, lesson_for_author, lesson_for_learner
from .storage import libraries_dir, remove_content, store_package
from .xapi import ParsedStatement, XAPIError, parse_statement

COMPLETION_VERBS = frozenset({"completed", "passed", "failed"})


# --- upload ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class UploadResult:
    content: H5PContent
    libraries: tuple[H5PLibrary, ...]
    added_libraries: tuple[str, ...]   # store folders this upload created


def h5p_upload(*, actor, lesson_id: int, upload: IO[bytes],
               grading_method: str | None = None) -> UploadResult:
    """Validate and store a `.h5p` package as the lesson's content (replacing any earlier one).
    Raises H5PPackageError (400, stable code) before writing anything if the package is refused."""
    lesson = lesson_for_author(user=actor, lesson_id=lesson_id)
    return h5p_store(actor=actor, lesson=lesson, upload=upload, grading_method=grading_method)


def h5p_store(*, actor, lesson: LessonData, upload: IO[bytes],
              grading_method: str | None = None) -> UploadResult:
    """`h5p_upload` once access is settled (also the demo's way in, with no trainer at hand)."""
    lesson_id = lesson.id
    if lesson.kind != courses_api.LessonKind.H5P:
        raise Conflict(_("This lesson is not an H5P activity."), code="not_h5p_lesson")
    if grading_method is not None and grading_method not in GradingMethod.values:
        raise ValidationError({"grading_method": _("Unknown grading method.")})
    root = config.h5p_root()
    validated = validate_package(upload, limits=config.limits(), library_store_dir=config.library_store_dir(),
                                 player_core_api=config.player_core_api())
    key = f"l{lesson_id}-{uuid.uuid4().hex[:16]}"
    stored = store_package(upload, validated, root=root, content_key=key)
    try:
        with transaction.atomic():
            libraries = _library_rows(validated)
            content = _save_content(actor=actor, lesson_id=lesson_id, course_id=lesson.course_id,
                                    key=key, validated=validated, libraries=libraries,
                                    grading_method=grading_method)
            audit_record(actor=actor, verb="h5p.uploaded", target=content, details={
                "lesson_id": lesson_id, "title": content.title, "content_key": key,
                "main_library": content.main_library.store_folder,
                "added_libraries": list(stored.added_libraries)})
    except BaseException:
        remove_content(root, key)
        raise
    return UploadResult(content=content, libraries=tuple(libraries.values()),
                        added_libraries=stored.added_libraries)


def _library_rows(validated: ValidatedPackage) -> dict[str, H5PLibrary]:
    """A row per stored library copy the content plays (created once per distinct bytes, shared
    by every content that brings the same bytes)."""
    refs = {ref.store_folder: ref for ref in validated.libraries}
    names = {ref.machine_name for ref in refs.values()}

    def existing() -> dict[str, H5PLibrary]:
        return {lib.store_folder: lib for lib in H5PLibrary.objects.filter(machine_name__in=names)
                if lib.store_folder in refs}

    rows = existing()
    missing = [ref for folder, ref in refs.items() if folder not in rows]
    if missing:
        H5PLibrary.objects.bulk_create([_library_row(ref) for ref in missing], ignore_conflicts=True)
        rows = existing()
    return dict(sorted(rows.items()))


def _library_row(ref: LibraryRef) -> H5PLibrary:
    meta: dict[str, Any] = {}
    path = libraries_dir(config.h5p_root()) / ref.store_folder / "library.json"
    with contextlib.suppress(OSError, ValueError):  # the title is only for people
        meta = json.loads(path.read_text(encoding="utf-8"))
    return H5PLibrary(machine_name=ref.machine_name, major=ref.major, minor=ref.minor, patch=ref.patch,
                      files_hash=ref.files_hash,
                      title=str(meta.get("title", ""))[:255], runnable=bool(meta.get("runnable")),
                      core_api="{}.{}".format(*ref.core_api))


def _save_content(*, actor, lesson_id: int, course_id: int, key: str, validated: ValidatedPackage,
                  libraries: dict[str, H5PLibrary], grading_method: str | None) -> H5PContent:
    content = H5PContent.objects.select_for_update().filter(lesson_id=lesson_id).first()
    fields = {
        "content_key": key, "title": validated.title[:255], "language": validated.language[:16],
        "main_library": libraries[validated.main_library.store_folder],
        "embed_types": list(validated.embed_types),
        "warnings": [{"code": w.code, "message": str(w.message), "path": w.path}
                     for w in validated.warnings],
        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        "uploaded_at": timezone.now(),
    }
    if grading_method:
        fields["grading_method"] = grading_method
    root = config.h5p_root()
    if content is None:
        try:
            with transaction.atomic():
                content = H5PContent.objects.create(lesson_id=lesson_id, course_id=course_id, **fields)
        except IntegrityError as exc:
            raise Conflict(_("Another upload for this lesson is in progress; try again."),
                           code="upload_in_progress") from exc
        courses_api.lesson_set_activity(lesson_id=lesson_id, activity_id=content.pk)
    else:
        old_key = content.content_key
        for name, value in fields.items():
            setattr(content, name, value)
        content.uploads += 1
        content.save()
        transaction.on_commit(lambda: remove_content(root, old_key))
    content.libraries.set(libraries.values())
    return content


@transaction.atomic
def h5p_settings_update(*, actor, lesson_id: int, grading_method: str) -> H5PContent:
    """Change how attempts add up to the lesson score, and re-score everyone who has attempts."""
    lesson_for_author(user=actor, lesson_id=lesson_id)
    if grading_method not in GradingMethod.values:
        raise ValidationError({"grading_method": _("Unknown grading method.")})
    content = H5PContent.objects.select_for_update().filter(lesson_id=lesson_id).first()
    if content is None:
        content_require(lesson_id)  # raises no_content
    if content.grading_method != grading_method:
        content.grading_method = grading_method
        content.save(update_fields=["grading_method"])
        audit_record(actor=actor, verb="h5p.grading_changed", target=content,
                     details={"lesson_id": lesson_id, "grading_method": grading_method})
        user_ids = H5PResult.objects.filter(lesson_id=lesson_id).order_by("user_id").values_list(
            "user_id", flat=True)
        for user_id in user_ids:
            _rescore(user_id=user_id, lesson_id=lesson_id, method=grading_method, completed=False)
    return content


# --- learner state -----------------------------------------------------------------------------

@transaction.atomic
def h5p_state_save(*, user, lesson_id: int, data: str | None) -> None:
    """Keep the player's state for resume (None or "" forgets it)."""
    lesson_for_learner(user=user, lesson_id=lesson_id)
    content = content_require(lesson_id)
    if not data:
        H5PState.objects.filter(user=user, lesson_id=lesson_id).delete()
        return
    if len(data.encode("utf-8")) > settings.H5P_STATE_MAX_BYTES:
        raise ValidationError({"state": _("The saved state is too large.")})
    try:
        load_json(data)  # deep nesting, NUL, 1e999: refused, never a RecursionError
    except InputError as exc:
        raise ValidationError({"state": _("The state must be a JSON text.")}) from exc
    H5PState.objects.update_or_create(user=user, lesson_id=lesson_id,
                                      defaults={"data": data, "content_key": content.content_key})


# --- xAPI --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IngestResult:
    stored: int
    duplicates: int
    attempts: int | None       # attempts the learner now has (None: no result statement posted)
    score: float | None        # the lesson score now (fraction 0..1)
    completed: bool


@transaction.atomic
def xapi_ingest(*, user, lesson_id: int, statements: Sequence[Any]) -> IngestResult:
    """Store statements posted by the player for the signed-in learner (their `actor` is ignored).

    Every statement is checked before anything is written. Each is stored once (its id is unique;
    a retry or a concurrent duplicate is dropped by the database, and `stored` counts only the
    rows this call inserted). A root statement with a
    result is an attempt; the lesson score is the grading method over all attempts, recomputed
    under the learner's result-row lock and reported to courses in this transaction."""
    lesson_for_learner(user=user, lesson_id=lesson_id)
    content = content_require(lesson_id)
    base = activity_iri(lesson_id)
    parsed: list[ParsedStatement] = []
    for index, raw in enumerate(statements):
        try:
            parsed.append(parse_statement(raw, lesson_activity_base=base))
        except XAPIError as exc:
            if len(statements) > 1:
                exc.fields = {f"statements.{index}": [exc.message]}
            raise
    unique = {p.id: p for p in parsed}  # the same id twice in one batch counts once
    ordered = [unique[i] for i in sorted(unique)]  # one lock order for concurrent batches
    stored = len(_insert_new_statements([
        H5PStatement(statement_id=p.id, user=user, lesson_id=lesson_id, content_key=content.content_key,
                     verb=p.verb[:255], sub_content_id=(p.sub_content_id or "")[:255], is_root=p.is_root,
                     raw=p.raw) for p in ordered
    ]))
    scored = [p for p in ordered if p.counts_as_attempt_result]
    completes = any(_reports_completion(p) for p in ordered)
    if not scored and not completes:
        return IngestResult(stored=stored, duplicates=len(statements) - stored, attempts=None,
                            score=None, completed=False)
    result = _lock_result(user_id=user.pk, lesson_id=lesson_id)
    if scored:
        # Only statements of this learner in this lesson become attempts (a foreign id is ignored).
        rows = dict(H5PStatement.objects.filter(
            statement_id__in=[p.id for p in scored], user=user, lesson_id=lesson_id,
        ).values_list("statement_id", "pk"))
        H5PAttempt.objects.bulk_create([
            H5PAttempt(user=user, lesson_id=lesson_id, content_key=content.content_key,
                       statement_id=rows[uuid.UUID(p.id)], verb=p.verb[:255], score_raw=p.score_raw,
                       score_max=p.score_max, score=p.score_fraction, success=p.success,
                       completion=p.completion, duration_seconds=p.duration_seconds)
            for p in scored if uuid.UUID(p.id) in rows
        ], ignore_conflicts=True)
    result = _rescore(user_id=user.pk, lesson_id=lesson_id, method=content.grading_method,
                      completed=completes, result=result)
    return IngestResult(stored=stored, duplicates=len(statements) - stored, attempts=result.attempts,
                        score=result.score, completed=result.completed)


def _insert_new_statements(rows: list[H5PStatement]) -> set[uuid.UUID]:
    """Insert the rows whose statement id is not stored yet; return the ids THIS call inserted.

    `INSERT … ON CONFLICT DO NOTHING RETURNING` (PostgreSQL, SQLite >= 3.35): when concurrent
    requests carry the same id, exactly one gets it back. `bulk_create(ignore_conflicts=True)`
    cannot tell, and a read before the insert sees none of the others' uncommitted rows."""
    if not rows:
        return set()
    meta = H5PStatement._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    id_column = quote(meta.get_field("statement_id").column)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(rows))
    params = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for row in rows for f in fields]
    columns = ", ".join(quote(f.column) for f in fields)
    # Only our own table's quoted names go into the text; every value is a parameter.
    sql = (f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values} "  # noqa: S608
           f"ON CONFLICT ({id_column}) DO NOTHING RETURNING {id_column}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    id_field = meta.get_field("statement_id")
    return {id_field.to_python(value) for (value,) in returned}


def _reports_completion(p: ParsedStatement) -> bool:
    """The content itself says it is done (also content that gives no score, e.g. a book)."""
    return p.is_root and (p.completion is True or p.verb in COMPLETION_VERBS)


def _lock_result(*, user_id: int, lesson_id: int) -> H5PResult:
    result = H5PResult.objects.select_for_update().filter(user_id=user_id, lesson_id=lesson_id).first()
    if result is None:
        try:
            with transaction.atomic():
                H5PResult.objects.create(user_id=user_id, lesson_id=lesson_id)
        except IntegrityError:
            pass  # created meanwhile by a concurrent request: lock theirs
        result = H5PResult.objects.select_for_update().get(user_id=user_id, lesson_id=lesson_id)
    return result


def _rescore(*, user_id: int, lesson_id: int, method: str, completed: bool,
             result: H5PResult | None = None) -> H5PResult:
    """Recompute the result from every attempt (so a duplicate can never count twice) and report
    it to courses. The caller holds, or this takes, the result-row lock."""
    result = result or _lock_result(user_id=user_id, lesson_id=lesson_id)
    attempts = list(H5PAttempt.objects.filter(user_id=user_id, lesson_id=lesson_id).order_by("id")
                    .values_list("score", "success"))
    successes = [s for _score, s in attempts if s is not None]
    result.attempts = len(attempts)
    result.score = aggregate_score([score for score, _s in attempts], method)
    result.passed = True if any(successes) else (False if successes else None)
    result.completed = result.completed or completed
    result.save(update_fields=["attempts", "score", "passed", "completed", "updated_at"])
    courses_api.lesson_record_result(user_id=user_id, lesson_id=lesson_id, score=result.score,
                                     completed=result.completed, attempts=result.attempts,
                                     passed=result.passed)
    return result
