"""Celery tasks of notifications: the reminder job (beat) and the outbox sender (after commit)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="notifications.run")
def run_job() -> dict:
    from backend.notifications.job import run

    return run().as_dict()


@shared_task(name="notifications.send_outbox")
def send_outbox() -> dict:
    from backend.notifications.services import send_outbox as send

    return send()
