"""A real Celery worker in its own process, for tests/jobs/test_worker_crash.py to SIGKILL.

    python -m tests.jobs.crash_worker

It runs the project's settings against DATABASE_URL and CELERY_BROKER_URL from the environment.
With CRASH_TEST_CHUNK_SECONDS set, each import chunk waits that long before writing, so the test
can kill the worker between two chunks deterministically.
"""

import os
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from backend.accounts import import_jobs
    from backend.celery import app

    delay = float(os.environ.get("CRASH_TEST_CHUNK_SECONDS") or 0)
    if delay:
        write = import_jobs.users_import_write

        def slow_write(**kwargs):
            time.sleep(delay)
            return write(**kwargs)

        import_jobs.users_import_write = slow_write
    app.worker_main(["worker", "--pool", "solo", "--concurrency", "1",
                     "--without-mingle", "--without-gossip", "--loglevel", "WARNING"])


if __name__ == "__main__":
    main()
