"""Attempts: start, autosave, submit, time-out, and the quiz result reported to courses.

Concurrency (decision 0010):
- start locks the (quiz, user) ``QuizUserState`` row, so concurrent starts are serialised and the
  attempt limit holds; ``(quiz, user, number)`` is unique as a backstop;
- autosave and submit lock the attempt row; a finished attempt is never graded again, so a
  repeated or concurrent submit returns the one graded result;
- the server's clock decides: answers arriving after ``deadline + grace`` are refused and the
  attempt is graded with what was saved (here on next access, and by a periodic task).

Every function takes ``now`` (default: the server's time) so tests can move the clock.
A rule that says no after an overdue attempt was just finished raises *after* the commit, so
the finishing is kept.
"""

from __future__ import annotations

import functools
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import draw, grading, pools, selectors, timing
from assessments.models import (
    Attempt,
    AttemptStatus,
    QuestionVersion,
    Quiz,
    QuizUserState,
    Response,
)
from assessments.questions import QUESTION_TYPES
from assessments.time_rules import EffectiveRules
from backend import raw_rows
from backend.errors import Conflict, DomainError
from courses import api as courses_api

log = logging.getLogger(__name__)


def grace() -> timedelta:
    return timedelta(seconds=settings.ASSESSMENTS_DEADLINE_GRACE_SECONDS)


def is_overdue(attempt: Attempt, now: datetime) -> bool:
    """Past the deadline plus the grace that covers a slow last autosave."""
    return attempt.deadline is not None and now > attempt.deadline + grace()


def remaining_seconds(attempt: Attempt, now: datetime) -> int | None:
    if attempt.deadline is None or attempt.status != AttemptStatus.IN_PROGRESS:
        return None
    return max(0, int((attempt.deadline - now).total_seconds()))


# --- start ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartResult:
    attempt: Attempt
    responses: list[Response]
    created: bool


def attempt_start(*, user, quiz_id: int, now: datetime | None = None) -> StartResult:
    """Start an attempt, or return the one in progress (a reload or a double click)."""
    now = now or timezone.now()
    quiz = selectors.quiz_get_for_learner(user, quiz_id)
    refusal: DomainError | None = None
    with transaction.atomic():
        _lock_quiz_user(quiz.pk, user.pk)
        every = selectors.person_attempts(quiz, user.pk)
        attempts = selectors.this_round(every, quiz, user.pk)
        current = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
        if current is not None and not is_overdue(current, now):
            responses = list(current.responses.select_related("version"))
            return StartResult(current, responses, created=False)
        if current is not None:
            current.quiz = quiz
            _finish(current, now, timed_out=True)
        # Read under the (quiz, user) lock: the rules of this start are the ones frozen on it.
        rules = timing.effective_rules(quiz, user)
        refusal = start_refusal(quiz, attempts, now, rules)
        if refusal is None:
            attempt, responses = _create_attempt(quiz, user.pk, len(every) + 1, now, rules)
            return StartResult(attempt, responses, created=True)
    raise refusal


def _lock_quiz_user(quiz_id: int, user_id: int) -> None:
    """Lock the (quiz, user) row for this transaction, inserting it on a first start.

    No savepoint (get_or_create's costs two statements and a round trip each): a locking read
    finds the row on every start but the first; the first inserts it with ON CONFLICT DO NOTHING,
    and the inserted row is this transaction's until it commits. A concurrent first start's
    insert waits for that commit, finds the row and does nothing; it then takes the lock by the
    locking read, after the winner's attempt is committed and visible."""
    locked = QuizUserState.objects.select_for_update().filter(quiz_id=quiz_id, user_id=user_id)
    if locked.values_list("pk", flat=True):
        return
    table = QuizUserState._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (quiz_id, user_id) VALUES (%s, %s) "  # noqa: S608 - our table name
            "ON CONFLICT DO NOTHING RETURNING id",
            [quiz_id, user_id],
        )
        inserted = cursor.fetchone() is not None
    if not inserted:
        list(locked.values_list("pk", flat=True))


def start_refusal(quiz: Quiz, attempts: list[Attempt], now: datetime,
                  rules: EffectiveRules | None = None) -> DomainError | None:
    """Why a new attempt may not start now (None: it may), by the person's effective rules
    (`assessments.timing`; None: the quiz's own). Shared with the quiz page."""
    rules = rules or timing.resolve(timing.base_rules(quiz))
    if rules.opens_at and now < rules.opens_at:
        return Conflict(_("The quiz is not open yet."), code="quiz_not_open")
    if rules.closes_at and now >= rules.closes_at:
        return Conflict(_("The quiz is closed."), code="quiz_closed")
    if rules.max_attempts and len(attempts) >= rules.max_attempts:
        return Conflict(_("You have used all your attempts."), code="no_attempts_left")
    finished = [a.finished_at for a in attempts if a.finished_at]
    if quiz.attempt_delay_seconds and finished:
        wait_until = max(finished) + timedelta(seconds=quiz.attempt_delay_seconds)
        if now < wait_until:
            return Conflict(
                _("Wait until %(time)s before the next attempt.")
                % {"time": timezone.localtime(wait_until).strftime("%H:%M %d/%m/%Y")},
                code="attempt_delay",
            )
    return None


def _create_attempt(quiz: Quiz, user_id: int, number: int, now: datetime,
                    rules: EffectiveRules) -> tuple[Attempt, list[Response]]:
    seed = secrets.randbits(62)
    slots = pools.quiz_slots(quiz)
    layout_slots: list = []
    marks: dict[int, float | None] = {}
    versions: dict[int, QuestionVersion] = {}
    for slot in slots:
        if slot.question_id:
            layout_slots.append(slot.question_id)
            marks.setdefault(slot.question_id, slot.mark)
            versions[slot.question_id] = slot.current_version
            continue
        ids = []
        for version in pools.pool_versions(slot):
            ids.append(version.question_id)
            versions.setdefault(version.question_id, version)
            marks.setdefault(version.question_id, slot.mark)  # the first slot whose pool holds it
        layout_slots.append(draw.RandomSlot(pool=tuple(ids), count=slot.count))
    layout = draw.build_layout(layout_slots, seed, shuffle=quiz.shuffle_questions)
    if not layout:
        raise Conflict(_("This quiz has no questions yet."), code="quiz_empty")
    # Computed once from the person's effective rules and frozen: a later override or
    # accommodation change applies to the next attempt, never to this one.
    deadline = timing.attempt_deadline(rules, now)
    attempt = Attempt.objects.create(
        quiz=quiz, user_id=user_id, number=number, seed=seed, started_at=now, deadline=deadline
    )
    responses = []
    for position, qid in enumerate(layout, start=1):
        version = versions[qid]
        mark = marks.get(qid)
        responses.append(
            Response(
                attempt=attempt,
                position=position,
                version=version,
                max_mark=version.default_mark if mark is None else mark,
            )
        )
    raw_rows.insert(responses)  # one statement, as bulk_create's, without compiling one (0076)
    return attempt, responses


# --- autosave and submit ------------------------------------------------------------------------------


def _time_over() -> Conflict:
    return Conflict(
        _("The time for this attempt is over; it was graded with the saved answers."),
        code="attempt_time_over",
    )


def _wanted(answers: list[dict]) -> dict[int, object]:
    """position -> answer, with the shape of each item checked."""
    wanted = {}
    for item in answers:
        if not isinstance(item, dict) or not isinstance(item.get("position"), int):
            raise ValidationError({"responses": _("Each response needs a position and an answer.")})
        wanted[item["position"]] = item.get("answer")
    return wanted


def _apply_answers(wanted: dict[int, object], responses: list[Response]) -> list[Response]:
    """Validate and store the answers `wanted` (position -> answer, from `_wanted`) on
    `responses`, the attempt's responses at those positions read under its lock: one write
    whatever the size."""
    if len(responses) != len(wanted):
        raise ValidationError({"responses": _("Unknown question position.")})
    for response in responses:
        qtype = QUESTION_TYPES[response.version.type]
        try:
            value = qtype.validate_response(response.version.data, wanted[response.position])
        except ValidationError as exc:
            messages = (
                [m for ms in exc.message_dict.values() for m in ms]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            raise ValidationError({f"responses.{response.position}": " ".join(messages)}) from None
        response.answer = value
        response.answered = value not in (None, "", [], {})
    if len(responses) == 1:  # the usual autosave: one answer, one plain UPDATE by key
        (response,) = responses
        Response.objects.filter(pk=response.pk).update(answer=response.answer, answered=response.answered)
    else:
        Response.objects.bulk_update(responses, ["answer", "answered"])
    return responses


_VERSION_FIELDS = tuple(f.name for f in QuestionVersion._meta.concrete_fields if f.name != "search_key")


@functools.cache
def _with_responses_sql(with_quiz: bool) -> tuple[str, str, str]:
    """The parts of `_locked_with_responses`'s statement that do not depend on the positions,
    built once: SELECT ... FROM, the join of the responses (open for a positions filter), the
    rest."""
    tables = {m: m._meta.db_table for m in (Attempt, Response, QuestionVersion, Quiz)}
    quiz_columns = f", {raw_rows.columns(Quiz, 'q')}" if with_quiz else ""
    quiz_join = f" JOIN {tables[Quiz]} q ON q.id = a.quiz_id" if with_quiz else ""
    lock = " FOR UPDATE OF a" if connection.features.has_select_for_update_of else ""
    select = (f"SELECT {raw_rows.columns(Attempt, 'a')}, {raw_rows.columns(Response, 'r')}, "  # noqa: S608
              f"{raw_rows.columns(QuestionVersion, 'v', _VERSION_FIELDS)}{quiz_columns} "
              f"FROM {tables[Attempt]} a{quiz_join} ")
    joins = f"LEFT JOIN {tables[Response]} r ON r.attempt_id = a.id"
    tail = (f" LEFT JOIN {tables[QuestionVersion]} v ON v.id = r.version_id "
            f"WHERE a.id = %s AND a.user_id = %s ORDER BY r.position{lock}")
    return select, joins, tail


def _locked_with_responses(user, attempt_id: int, positions: list[int] | None, *,
                           with_quiz: bool = False) -> tuple[Attempt, list[Response]]:
    """The caller's attempt under its row lock (never the quiz's: every candidate of an exam
    shares it) with its responses at `positions` (None: all of them, by position) and their
    question versions, and with its quiz when asked, in one statement; 404 when the attempt is
    not the caller's.

    Written as SQL: autosave is the most frequent request of an exam and submit its heaviest,
    and their ORM reads (the locked attempt, then the responses with their versions) cost more
    to build and compile than to run, plus a round trip (decision 0075)."""
    select, joins, tail = _with_responses_sql(with_quiz)
    params: list = []
    if positions is not None:
        joins += f" AND r.position IN ({', '.join(['%s'] * len(positions)) or 'NULL'})"
        params += positions
    with connection.cursor() as cursor:
        cursor.execute(f"{select}{joins}{tail}", [*params, attempt_id, user.pk])
        rows = cursor.fetchall()
    if not rows:
        raise selectors.not_found()
    a_end = raw_rows.width(Attempt)
    r_end = a_end + raw_rows.width(Response)
    v_end = r_end + len(_VERSION_FIELDS)
    attempt = raw_rows.instance(Attempt, rows[0][:a_end])
    if with_quiz:
        attempt.quiz = raw_rows.instance(Quiz, rows[0][v_end:])
    responses = []
    for row in rows:
        if row[a_end] is None:  # the attempt has no response at these positions
            continue
        response = raw_rows.instance(Response, row[a_end:r_end])
        response.version = raw_rows.instance(QuestionVersion, row[r_end:v_end], _VERSION_FIELDS)
        response.attempt = attempt
        responses.append(response)
    return attempt, responses


def attempt_save(*, user, attempt_id: int, answers: list[dict], now: datetime | None = None) -> Attempt:
    """Autosave. Refused (409) once the attempt is finished or its time is over."""
    now = now or timezone.now()
    wanted = _wanted(answers)
    with transaction.atomic():
        attempt, responses = _locked_with_responses(user, attempt_id, list(wanted))
        if attempt.status == AttemptStatus.FINISHED:
            refusal = Conflict(_("This attempt is already submitted."), code="attempt_finished")
        elif is_overdue(attempt, now):
            _finish(attempt, now, timed_out=True)
            refusal = _time_over()
        else:
            _apply_answers(wanted, responses)
            return attempt
    raise refusal


def attempt_submit(
    *, user, attempt_id: int, answers: list[dict] | None = None, now: datetime | None = None
) -> Attempt:
    """Grade the attempt. Idempotent: a finished attempt is returned as it is. Answers sent
    with a late submit are ignored; what was saved in time is graded."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt, responses = _locked_with_responses(user, attempt_id, None, with_quiz=True)
        if attempt.status == AttemptStatus.FINISHED:
            attempt._graded_responses = responses  # the graded ones, for the result shown again
            return attempt
        overdue = is_overdue(attempt, now)
        if answers and not overdue:
            wanted = _wanted(answers)
            _apply_answers(wanted, [r for r in responses if r.position in wanted])
        _finish(attempt, now, timed_out=overdue, responses=responses)
        return attempt


def graded_responses(attempt: Attempt) -> list[Response]:
    """The attempt's responses with their versions: those graded in this request if it just
    finished the attempt (no second read), else read now."""
    responses = getattr(attempt, "_graded_responses", None)
    if responses is None:
        responses = list(attempt.responses.select_related("version"))
    return responses


def attempt_expire_if_due(attempt: Attempt, now: datetime | None = None) -> Attempt:
    """On access: grade an attempt whose time ran out (idempotent)."""
    now = now or timezone.now()
    if attempt.status != AttemptStatus.IN_PROGRESS or not is_overdue(attempt, now):
        return attempt
    return attempt_expire(attempt_id=attempt.pk, now=now) or attempt


@transaction.atomic
def attempt_expire(*, attempt_id: int, now: datetime | None = None) -> Attempt | None:
    """Grade the attempt if it is still in progress and overdue; otherwise leave it."""
    now = now or timezone.now()
    locked = Attempt.objects.select_for_update().select_related("quiz").filter(pk=attempt_id).first()
    if locked is not None and locked.status == AttemptStatus.IN_PROGRESS and is_overdue(locked, now):
        _finish(locked, now, timed_out=True)
    return locked


def overdue_attempt_ids(now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__lt=now - grace())
        .order_by("deadline")
        .values_list("pk", flat=True)[:limit]
    )


# --- grading and the result ---------------------------------------------------------------------------


def _finish(attempt: Attempt, now: datetime, *, timed_out: bool,
            responses: list[Response] | None = None) -> None:
    """Grade every response automatically where a type can; essays wait for a person (an
    empty essay is simply 0). Then report the quiz result. The caller holds the attempt lock
    (and may pass every response of the attempt, with its version, read under it)."""
    if responses is None:
        responses = list(attempt.responses.select_related("version"))
    for response in responses:
        qtype = QUESTION_TYPES[response.version.type]
        if qtype.manual and response.answered:
            response.fraction = None
        elif qtype.manual:
            response.fraction = 0.0
        else:
            response.fraction = (
                qtype.grade(response.version.data, response.answer) if response.answered else 0.0
            )
    _store_fractions(attempt, responses)
    attempt._graded_responses = responses
    apply_score(attempt, responses)
    attempt.status = AttemptStatus.FINISHED
    attempt.finished_at = now
    attempt.timed_out = timed_out
    attempt.save(
        update_fields=[
            "status",
            "finished_at",
            "timed_out",
            "mark",
            "max_mark",
            "percentage",
            "needs_grading",
        ]
    )
    report_result(attempt.quiz, attempt.user_id)


def _store_fractions(attempt: Attempt, responses: list[Response]) -> None:
    """Every response's fraction in one UPDATE ... CASE position, built directly: Django's
    bulk_update makes one When() expression per row and compiles them all, which costs more
    than the grading itself for 30 questions."""
    if not responses:
        return
    cases, params = [], []
    for response in responses:
        cases.append("WHEN %s THEN %s")
        params += [response.position, response.fraction]
    table = Response._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET fraction = CAST(CASE position {' '.join(cases)} END AS double precision) "  # noqa: S608
            "WHERE attempt_id = %s AND position IN (" + ", ".join(["%s"] * len(responses)) + ")",
            [*params, attempt.pk, *[r.position for r in responses]],
        )


def apply_score(attempt: Attempt, responses: list[Response]) -> None:
    score = grading.attempt_score([(r.fraction, r.max_mark) for r in responses])
    attempt.mark, attempt.max_mark = score.mark, score.max_mark
    attempt.needs_grading = score.needs_grading
    # Until a person grades the essay the percentage is unknown, not "what we have so far".
    attempt.percentage = None if score.needs_grading else (score.percentage or 0.0)


def quiz_result(quiz: Quiz, user_id: int) -> tuple[float | None, bool | None, int]:
    """(grade in percent by the quiz's method, passed, finished attempts)."""
    finished = [a for a in selectors.user_attempts(quiz, user_id) if a.status == AttemptStatus.FINISHED]
    results = [
        grading.AttemptResult(number=a.number, finished=True, percentage=a.override_percentage
                              if a.override_percentage is not None else a.percentage)
        for a in finished
    ]
    grade = grading.quiz_grade(results, quiz.grading_method)
    return grade, grading.passed(grade, quiz.pass_mark), len(results)


def report_result(quiz: Quiz, user_id: int) -> None:
    """Hand the quiz grade to courses in the caller's transaction (progress, completion)."""
    grade, passed, count = quiz_result(quiz, user_id)
    completed = grade is not None and (quiz.pass_mark is None or bool(passed))
    try:
        courses_api.lesson_record_result(
            user_id=user_id,
            lesson_id=quiz.lesson_id,
            score=None if grade is None else grade / 100.0,
            completed=completed,
            attempts=count,
            passed=passed,
        )
    except DomainError as exc:
        # A withdrawn trainee or an archived course: the attempt is still graded and kept.
        if exc.code not in ("not_enrolled", "course_archived", "not_found"):
            raise
        log.info("quiz %s result for user %s not recorded: %s", quiz.pk, user_id, exc.code)
