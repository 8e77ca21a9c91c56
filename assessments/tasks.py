"""Celery tasks of assessments: ids in, idempotent."""

from __future__ import annotations

from celery import shared_task

from assessments import attempts


@shared_task(name="assessments.finish_overdue_attempts")
def finish_overdue_attempts() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): grade attempts whose time ran out with what was saved.
    One transaction per attempt, each re-checked under its lock, so a run racing a submit or a
    second run does nothing twice."""
    done = 0
    for attempt_id in attempts.overdue_attempt_ids():
        attempt = attempts.attempt_expire(attempt_id=attempt_id)
        done += attempt is not None
    return done
