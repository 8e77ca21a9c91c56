"""Time `users_import` directly against the bench database, in a fresh process.

Run by the harness as `python -m tests.bench.import_probe FILE.csv` with the bench environment;
prints one JSON object. A fresh process makes the peak-memory figure (ru_maxrss) the import's
own. Invitation e-mails are queued, not sent, while the import is timed (as with a real broker);
then a sample of them is sent through the dummy e-mail backend and timed on its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from unittest import mock


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv", type=Path)
    parser.add_argument("--invitations", type=int, default=1000,
                        help="How many queued invitation e-mails to send and time (0: none).")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from backend.accounts.importing import users_import
    from backend.accounts.models import User
    from backend.accounts.tasks import send_invitations
    from backend.bench_seeding import BENCH_ADMIN_EMAIL

    data = args.csv.read_bytes()
    actor = User.objects.get(email=BENCH_ADMIN_EMAIL)
    rss_before = _rss_mb()
    with mock.patch("backend.accounts.tasks.send_invitations") as queued:
        started = time.perf_counter()
        result = users_import(actor=actor, data=data)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss_before
    ids = [pk for call in queued.delay.call_args_list for pk in call.args[0]]

    sample = ids[: args.invitations]
    started = time.perf_counter()
    sent = sum(send_invitations(sample[i : i + 200]) for i in range(0, len(sample), 200))
    invite_seconds = time.perf_counter() - started
    return {
        "rows": result.created + result.updated + result.errors,
        "created": result.created, "updated": result.updated, "errors": result.errors,
        "seconds": seconds, "peak_mb": peak_mb, "rss_before_mb": rss_before,
        "queued_invitations": len(ids), "invitations_sent": sent,
        "invitations_seconds": invite_seconds,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
