"""What a trainee or a trainer sees of a quiz or an attempt, as plain dicts (REST and pages).

The one place where the review policy is applied. A trainee's payload is built only from
``QuestionType.public`` plus what ``review.visible`` allows: before that, no correct answer,
fraction, per-answer feedback, grader information or question title leaves the server.
"""

from __future__ import annotations

from datetime import datetime

from assessments import review
from assessments.attempts import remaining_seconds, start_refusal
from assessments.grading import passed as is_passed
from assessments.models import Attempt, AttemptStatus, Quiz, Response, ReviewWhen
from assessments.questions import QUESTION_TYPES
from assessments.time_rules import EffectiveRules, resolve
from assessments.timing import base_rules, closes_at_for

ALL_ITEMS = frozenset(review.ITEMS)


def quiz_policy(quiz: Quiz) -> dict[str, str]:
    return {
        review.SCORE: quiz.review_score,
        review.RESPONSES: quiz.review_responses,
        review.CORRECT: quiz.review_correct,
        review.FEEDBACK: quiz.review_feedback,
    }


def shown_items(attempt: Attempt, *, as_staff: bool, now: datetime) -> frozenset[str]:
    if as_staff:
        return ALL_ITEMS
    policy = quiz_policy(attempt.quiz)
    finished = attempt.status == AttemptStatus.FINISHED
    return review.visible(
        policy,
        finished=finished,
        closes_at=_closes_for(attempt) if finished and ReviewWhen.AFTER_CLOSE in policy.values() else None,
        now=now,
    )


def _closes_for(attempt: Attempt) -> datetime | None:
    """The close date that applies to the attempt's owner (their overrides, decision 0061):
    "after the quiz closes" must not show answers while they may still start an attempt."""
    cached = getattr(attempt, "_owner_closes_at", False)
    if cached is False:
        cached = closes_at_for(attempt.quiz, attempt.user_id)
        attempt._owner_closes_at = cached
    return cached


def question_seed(attempt: Attempt, position: int) -> int:
    return (attempt.seed + position * 7919) % (2**31)


def attempt_summary(attempt: Attempt, *, as_staff: bool, now: datetime) -> dict:
    shows = shown_items(attempt, as_staff=as_staff, now=now)
    body = {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "remaining_seconds": remaining_seconds(attempt, now),
        "finished_at": attempt.finished_at,
        "timed_out": attempt.timed_out,
        "review": {item: item in shows for item in review.ITEMS},
    }
    if review.SCORE in shows:
        percent = attempt.final_percentage
        body.update(
            {
                "mark": attempt.mark,
                "max_mark": attempt.max_mark,
                "percentage": percent,
                "needs_grading": attempt.needs_grading,
                "passed": is_passed(percent, attempt.quiz.pass_mark),
            }
        )
    if as_staff:
        body.update(
            {
                "user_id": attempt.user_id,
                "computed_percentage": attempt.percentage,
                "override_percentage": attempt.override_percentage,
                "override_reason": attempt.override_reason,
            }
        )
    return body


def attempt_payload(attempt: Attempt, responses: list[Response], *, as_staff: bool, now: datetime) -> dict:
    body = attempt_summary(attempt, as_staff=as_staff, now=now)
    shows = shown_items(attempt, as_staff=as_staff, now=now)
    in_progress = attempt.status == AttemptStatus.IN_PROGRESS
    shuffle = attempt.quiz.shuffle_answers
    questions = []
    for response in sorted(responses, key=lambda r: r.position):
        version = response.version
        qtype = QUESTION_TYPES[version.type]
        item = {
            "position": response.position,
            "type": version.type,
            "text": version.text,
            "max_mark": response.max_mark,
            "answered": response.answered,
            **qtype.public(version.data, question_seed(attempt, response.position), shuffle),
        }
        if in_progress or review.RESPONSES in shows:
            item["answer"] = response.answer
        if review.SCORE in shows:
            item["mark"] = None if response.fraction is None else response.fraction * response.max_mark
        if review.CORRECT in shows:
            item["correct_answer"] = qtype.correct_response(version.data)
        if review.FEEDBACK in shows:
            item["feedback"] = qtype.feedback(version.data, response.answer)
            item["grader_feedback"] = response.feedback
        if as_staff:
            item.update(
                {
                    "response_id": response.pk,
                    "question_id": version.question_id,
                    "version": version.number,
                    "title": version.title,
                    "fraction": response.fraction,
                    "definition": version.data,
                }
            )
        questions.append(item)
    body["questions"] = questions
    return body


def quiz_for_trainee(quiz: Quiz, attempts: list[Attempt], *, now: datetime,
                     rules: EffectiveRules | None = None) -> dict:
    """Settings as they apply to this person (their effective rules, `assessments.timing`),
    attempts left, own attempts (scores as the policy allows), can a new one start."""
    for attempt in attempts:
        attempt.quiz = quiz
    rules = rules or resolve(base_rules(quiz))
    refusal = start_refusal(quiz, [a for a in attempts], now, rules)
    current = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    left = None if not rules.max_attempts else max(0, rules.max_attempts - len(attempts))
    body = quiz_settings(quiz)
    body.update(
        {
            "time_limit_seconds": rules.time_limit_seconds,
            "max_attempts": rules.max_attempts,
            "opens_at": rules.opens_at,
            "closes_at": rules.closes_at,
            "rules_source": rules.source,
            "accommodated": rules.accommodated,
            "attempts_used": len(attempts),
            "attempts_left": left,
            "in_progress_attempt_id": current.pk if current else None,
            "can_start": current is not None or refusal is None,
            "cannot_start_reason": None if current is not None or refusal is None else refusal.code,
            "cannot_start_message": None if current is not None or refusal is None else refusal.message,
            "attempts": [attempt_summary(a, as_staff=False, now=now) for a in attempts],
        }
    )
    return body


def quiz_settings(quiz: Quiz) -> dict:
    return {
        "id": quiz.pk,
        "lesson_id": quiz.lesson_id,
        "course_id": quiz.course_id,
        "title": quiz.title,
        "intro": quiz.intro,
        "time_limit_seconds": quiz.time_limit_seconds,
        "max_attempts": quiz.max_attempts,
        "attempt_delay_seconds": quiz.attempt_delay_seconds,
        "opens_at": quiz.opens_at,
        "closes_at": quiz.closes_at,
        "grading_method": quiz.grading_method,
        "pass_mark": quiz.pass_mark,
        "shuffle_questions": quiz.shuffle_questions,
        "shuffle_answers": quiz.shuffle_answers,
        "review": quiz_policy(quiz),
    }


def quiz_for_author(quiz: Quiz) -> dict:
    body = quiz_settings(quiz)
    body["slots"] = [
        {
            "id": s.pk,
            "position": s.position,
            "question": s.question_id,
            "bank": s.bank_id,
            "category": s.category.name if s.category else None,
            "tag": s.tag.name if s.tag else None,
            "count": s.count,
            "mark": s.mark,
        }
        for s in quiz.slots.select_related("category", "tag")
    ]
    return body
