"""The SCORM runtime on the server: what a SCO's session starts with (GET cmi) and what its
commits change (PUT cmi), attempts by SCORM's rules, and the lesson result reported to courses
in the same transaction.

Ordering and idempotence: each attempt keeps `seq`, the number of the last commit applied; a
commit numbered at or below it is stale or a retried duplicate and changes nothing
(`applied: false`). A commit for another attempt than the SCO's current one (a late commit of an
attempt that has ended) changes nothing either.

Time: an attempt keeps its earlier sessions' time (`prior_time_seconds`) apart from the current
session's latest `session_time` (`session_time_seconds`); total = the two added. A session ends
with a terminating commit (its time moves into the prior total) or, when the page was closed
without one, at the next GET. So a session that commits ten times counts once.

Lock order: the learner's ScormResult row (created on first commit), then the attempt, then
courses' enrolment (in `lesson_record_result`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.errors import Conflict, DomainError
from courses import api as courses_api
from courses.data import LessonData

from . import cmi as rules
from .models import ScormAttempt, ScormPackage, ScormResult

SCORM_KIND = courses_api.LessonKind.SCORM
COMPLETED_STATUSES = ("completed", "passed", "failed")


def not_found() -> DomainError:
    return DomainError(_("Not found."), code="not_found", status=404)


@dataclass(frozen=True)
class RuntimeAccess:
    lesson: LessonData
    is_learner: bool   # False: staff preview, nothing recorded


def runtime_access(*, user, lesson_id: int) -> RuntimeAccess:
    """An enrolled learner's open SCORM lesson (404 when not enrolled, 409 `lesson_locked`), or
    any SCORM lesson of a course the user is staff of (preview)."""
    try:
        lesson = courses_api.lesson_get_for_learner(user=user, lesson_id=lesson_id)
    except DomainError as exc:
        if exc.status != 404:
            raise
    else:
        if lesson.kind != SCORM_KIND:
            raise not_found()
        return RuntimeAccess(lesson, True)
    lesson = courses_api.lesson_get(lesson_id)
    if lesson is None or lesson.kind != SCORM_KIND or not courses_api.course_is_staff(
            user=user, course_id=lesson.course_id):
        raise not_found()
    return RuntimeAccess(lesson, False)


def package_require(lesson_id: int) -> ScormPackage:
    package = ScormPackage.objects.filter(lesson_id=lesson_id).first()
    if package is None:
        raise Conflict(_("No SCORM package has been uploaded for this lesson yet."), code="no_content")
    return package


def sco_item(package: ScormPackage, sco: Any) -> dict:
    if isinstance(sco, str):
        for item in package.items:
            if item.get("identifier") == sco and item.get("is_sco"):
                return item
    message = _("This package has no SCO “%(sco)s”.") % {"sco": str(sco)[:255]}
    raise DomainError(message, code="unknown_sco", status=404, fields={"sco": [message]})


# --- the session's start ---------------------------------------------------------------------

@dataclass(frozen=True)
class SessionStart:
    sco: str
    attempt: int
    seq: int
    version: str
    entry: str
    cmi: dict[str, str]
    result: dict[str, Any]
    preview: bool


def _ended(attempt: ScormAttempt, package: ScormPackage) -> bool:
    """The next launch starts a new attempt: this one ended, or it was made with another upload
    (its suspend data would not fit the package now played)."""
    return attempt.package_key != package.package_key or attempt.finished_at is not None


def _latest(*, user_id: int, lesson_id: int, sco: str) -> ScormAttempt | None:
    return (ScormAttempt.objects.filter(user_id=user_id, lesson_id=lesson_id, sco=sco)
            .order_by("-number").first())


def cmi_get(*, user, access: RuntimeAccess, sco: Any) -> SessionStart:
    """What the SCO's session starts with: the attempt it belongs to, the last applied commit
    number, and the data model to load (learner-set elements restored, LMS-owned ones filled)."""
    package = package_require(access.lesson.id)
    item = sco_item(package, sco)
    version = package.version
    if not access.is_learner:
        return SessionStart(sco=item["identifier"], attempt=1, seq=0, version=version, entry="ab-initio",
                            cmi=lms_elements(version, item, user=user, entry="ab-initio", total=0.0,
                                             preview=True),
                            result=result_payload(None), preview=True)
    latest = _latest(user_id=user.pk, lesson_id=access.lesson.id, sco=item["identifier"])
    if latest is None or _ended(latest, package):
        number, seq, entry, stored, total = (latest.number + 1 if latest else 1), 0, "ab-initio", {}, 0.0
    else:
        number, seq, stored, total = latest.number, latest.seq, latest.cmi, latest.total_time_seconds
        entry = rules.entry_for(new_attempt=False, last_exit=latest.exit)
        if latest.session_time_seconds:
            # The last session ended without a terminating commit: close it now, so the
            # session that starts does not overwrite its time.
            ScormAttempt.objects.filter(pk=latest.pk, seq=latest.seq).update(
                prior_time_seconds=latest.prior_time_seconds + latest.session_time_seconds,
                session_time_seconds=0)
    restored = {k: v for k, v in stored.items() if k not in rules.SESSION_ONLY}
    cmi = {**restored, **lms_elements(version, item, user=user, entry=entry, total=total, preview=False)}
    if version == rules.V12:
        cmi.setdefault("cmi.core.lesson_status", "not attempted")
    result = ScormResult.objects.filter(user_id=user.pk, lesson_id=access.lesson.id).first()
    return SessionStart(sco=item["identifier"], attempt=number, seq=seq, version=version, entry=entry,
                        cmi=cmi, result=result_payload(result), preview=False)


def lms_elements(version: str, item: dict, *, user, entry: str, total: float,
                 preview: bool) -> dict[str, str]:
    """The LMS-owned elements (read-only for the SCO). Staff preview plays in browse mode with
    no credit, as SCORM's mode/credit define it."""
    name = rules.learner_name(getattr(user, "full_name", "") or getattr(user, "email", ""))
    mode, credit = ("browse", "no-credit") if preview else ("normal", "credit")
    optional = {"max_time_allowed": item.get("max_time_allowed") or "",
                "time_limit_action": item.get("time_limit_action") or ""}
    if version == rules.V12:
        out = {"cmi.core.student_id": str(user.pk), "cmi.core.student_name": name,
               "cmi.core.credit": credit, "cmi.core.lesson_mode": mode, "cmi.core.entry": entry,
               "cmi.core.total_time": rules.format_total(version, total),
               "cmi.launch_data": item.get("launch_data") or ""}
        if item.get("mastery_score") is not None:
            out["cmi.student_data.mastery_score"] = _number_text(item["mastery_score"])
        out.update({f"cmi.student_data.{k}": v for k, v in optional.items() if v})
        return out
    out = {"cmi.learner_id": str(user.pk), "cmi.learner_name": name, "cmi.credit": credit,
           "cmi.mode": mode, "cmi.entry": entry, "cmi.total_time": rules.format_total(version, total),
           "cmi.launch_data": item.get("launch_data") or ""}
    for key in ("scaled_passing_score", "completion_threshold"):
        if item.get(key) is not None:
            out[f"cmi.{key}"] = _number_text(item[key])
    out.update({f"cmi.{k}": v for k, v in optional.items() if v})
    return out


def _number_text(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def result_payload(result: ScormResult | None) -> dict[str, Any]:
    if result is None:
        return {"score": None, "completed": False, "passed": None, "attempts": 0}
    return {"score": result.score, "completed": result.completed, "passed": result.passed,
            "attempts": result.attempts}


# --- commits ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CommitResult:
    applied: bool
    seq: int
    attempt: int
    result: dict[str, Any]
    preview: bool = False


def cmi_commit(*, user, access: RuntimeAccess, sco: Any, attempt: int, seq: int, cmi: Any,
               terminated: bool) -> CommitResult:
    """Apply one commit of a SCO's data model (checked before anything is written); see the
    module's docstring for ordering, attempts and time."""
    package = package_require(access.lesson.id)
    item = sco_item(package, sco)
    checked = rules.check_commit(package.version, cmi, suspend_data_max=settings.SCORM_SUSPEND_DATA_MAX)
    if not access.is_learner:
        return CommitResult(applied=False, seq=seq, attempt=attempt, result=result_payload(None),
                            preview=True)
    with transaction.atomic():
        result = _lock_result(user_id=user.pk, lesson_id=access.lesson.id)
        latest = _latest(user_id=user.pk, lesson_id=access.lesson.id, sco=item["identifier"])
        new_attempt = latest is None or _ended(latest, package)
        current = (latest.number + 1 if latest else 1) if new_attempt else latest.number
        if attempt != current or (not new_attempt and seq <= latest.seq):
            stored_seq = 0 if new_attempt else latest.seq
            return CommitResult(applied=False, seq=stored_seq, attempt=current, result=result_payload(result))
        row = latest if not new_attempt else ScormAttempt(
            user_id=user.pk, lesson_id=access.lesson.id, package_key=package.package_key,
            sco=item["identifier"], number=current)
        _apply(row, package.version, item, checked.elements, seq=seq, terminated=terminated)
        result = _rescore(user_id=user.pk, lesson_id=access.lesson.id, package=package, result=result)
    return CommitResult(applied=True, seq=seq, attempt=current, result=result_payload(result))


def _apply(row: ScormAttempt, version: str, item: dict, elements: dict[str, str], *, seq: int,
           terminated: bool) -> None:
    v12 = version == rules.V12
    row.cmi = {**(row.cmi or {}), **elements}
    data = row.cmi
    exit_key, time_key = (("cmi.core.exit", "cmi.core.session_time") if v12
                          else ("cmi.exit", "cmi.session_time"))
    session = rules.session_seconds(version, elements[time_key]) if elements.get(time_key) else None
    if session is not None:
        row.session_time_seconds = session
    row.total_time_seconds = row.prior_time_seconds + row.session_time_seconds
    if terminated:
        row.prior_time_seconds = row.total_time_seconds
        row.session_time_seconds = 0
    got = rules.outcome(version, data, item)
    row.completion_status = got.completion_status[:20]
    row.success_status = got.success_status[:20]
    row.score_raw, row.score_min, row.score_max = got.score_raw, got.score_min, got.score_max
    row.score_scaled, row.score = got.score_scaled, got.score
    row.location = data.get("cmi.core.lesson_location" if v12 else "cmi.location", "")[:1000]
    row.suspend_data = data.get("cmi.suspend_data", "")
    row.exit = data.get(exit_key, "")[:20]
    row.terminated = terminated
    row.seq = seq
    if row.finished_at is None and rules.attempt_ended(terminated=terminated, exit_value=row.exit,
                                                       completed=got.completed,
                                                       success_status=got.success_status):
        row.finished_at = timezone.now()
    row.save()


def _lock_result(*, user_id: int, lesson_id: int) -> ScormResult:
    result = ScormResult.objects.select_for_update().filter(user_id=user_id, lesson_id=lesson_id).first()
    if result is None:
        try:
            with transaction.atomic():
                ScormResult.objects.create(user_id=user_id, lesson_id=lesson_id)
        except IntegrityError:
            pass  # created meanwhile by a concurrent commit: lock theirs
        result = ScormResult.objects.select_for_update().get(user_id=user_id, lesson_id=lesson_id)
    return result


def attempt_outcome(row: ScormAttempt) -> rules.Outcome:
    """The outcome stored on an attempt row (as `_apply` judged it)."""
    passed = True if row.success_status == "passed" else (False if row.success_status == "failed" else None)
    return rules.Outcome(completion_status=row.completion_status, success_status=row.success_status,
                         completed=row.completion_status in COMPLETED_STATUSES, passed=passed,
                         score=row.score, score_raw=row.score_raw, score_min=row.score_min,
                         score_max=row.score_max, score_scaled=row.score_scaled)


def _rescore(*, user_id: int, lesson_id: int, package: ScormPackage, result: ScormResult) -> ScormResult:
    """Recompute the lesson's result from every attempt (the caller holds the result lock) and
    report it to courses in this transaction."""
    by_sco: dict[str, list[rules.Outcome]] = defaultdict(list)
    for row in ScormAttempt.objects.filter(user_id=user_id, lesson_id=lesson_id).order_by("id").only(
            "sco", "completion_status", "success_status", "score", "score_raw", "score_min", "score_max",
            "score_scaled"):
        by_sco[row.sco].append(attempt_outcome(row))
    scos = {sco: rules.sco_result(sco, outcomes, package.grading_method) for sco, outcomes in by_sco.items()}
    lesson = rules.lesson_outcome(package.items, package.completion_rule, scos)
    result.attempts = lesson.attempts
    result.score = lesson.score
    result.passed = lesson.passed
    result.completed = result.completed or lesson.completed
    result.save(update_fields=["attempts", "score", "passed", "completed", "updated_at"])
    courses_api.lesson_record_result(user_id=user_id, lesson_id=lesson_id, score=result.score,
                                     completed=result.completed, attempts=result.attempts,
                                     passed=result.passed)
    return result


def rescore_lesson(*, lesson_id: int) -> int:
    """Re-score every learner with a result (after the grading method or the package changed);
    returns how many. Called by services.package_settings_update."""
    package = package_require(lesson_id)
    count = 0
    with transaction.atomic():
        for user_id in ScormResult.objects.filter(lesson_id=lesson_id).order_by("user_id").values_list(
                "user_id", flat=True):
            _rescore(user_id=user_id, lesson_id=lesson_id, package=package,
                     result=_lock_result(user_id=user_id, lesson_id=lesson_id))
            count += 1
    return count
