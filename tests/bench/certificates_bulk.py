"""Bulk certificate issue: N certificates through the Celery bulk job, eagerly in-process and
through a real Redis-backed `celery -A backend worker`, against bare ReportLab in the same run.

    .venv/bin/python -m tests.bench.certificates_bulk                 # 10,000, PostgreSQL, both modes
    .venv/bin/python -m tests.bench.certificates_bulk --count 1000 --modes eager --db sqlite

Reports PDFs/s as a ratio to `render_bare_page` (the same page drawn by bare ReportLab, measured
in the same process), peak memory when 1k / 5k / N certificates are done (flat = nothing grows
with the count), and database queries per certificate. The database `ttdn_bench_certs` (or
var/bench/certs.sqlite3) is dropped and rebuilt each run; PDFs go under var/bench/certs-media/.
Not a test: compare ratios within a run, not absolute figures across runs.

The "signing" step (`--modes signing`, on by default) then draws the eager course's N certificates
again in one process, chunk by chunk, once per variant (unsigned, PAdES-signed, ...), interleaved
so every variant sees the same load: PDFs/s per variant, the ratio to unsigned, peak memory at
1k / 5k / N. The bench signs with the demo identity under var/bench/signing/ (made on first use).
Variants: unsigned, pades, credential (Open Badges signing beside the unsigned PDF) and
pades+credential (what a bulk issue does), see `signing_variants()`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.environment import BENCH_VAR, ROOT, BenchDatabase, bench_env, manage

PG_URL = "postgres://postgres@127.0.0.1:5432/ttdn_bench_certs"
MEDIA = BENCH_VAR / "certs-media"
UNIT = "bench-certs"


def _rss_mb(pid: int | str = "self", field: str = "VmHWM") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _checkpoints(count: int) -> list[int]:
    return sorted({c for c in (1000, 5000, count) if c <= count})


# --- child steps (run in fresh processes with the bench environment) --------------------------

def _seed(count: int) -> dict:
    """Two courses (one per mode) sharing N users who completed both; bulk inserts."""
    import django

    django.setup()
    from django.utils import timezone

    from backend.accounts.models import Organisation, User
    from certificates.services import template_create
    from courses.models import Course, Enrolment

    unit = Organisation.objects.create(code=UNIT, name="Trường Bồi dưỡng cán bộ đối ngoại", kind="central")
    template_create(actor=None, organisation_id=unit.pk,
                    issuer_name="Trường Bồi dưỡng cán bộ thông tin đối ngoại",
                    parent_issuer_name="Ban Chỉ đạo công tác thông tin đối ngoại", place="Hà Nội",
                    signer_title="Hiệu trưởng", signer_name="Trần Văn Minh", course_hours=40)
    users = User.objects.bulk_create(
        [User(email=f"hv{i:06d}@bench.invalid", full_name=f"Nguyễn Thị Thanh Hương {i}",
              organisation=unit, password="!") for i in range(count)], batch_size=2000)
    now = timezone.now()
    courses = {}
    for mode in ("eager", "worker"):
        course = Course.objects.create(
            title=f"Nâng cao chất lượng công tác thông tin đối ngoại ({mode})", organisation=unit,
            status="published", issues_certificate=True, published={"title": f"Khóa bồi dưỡng {mode}"})
        Enrolment.objects.bulk_create(
            [Enrolment(user=u, course=course, status="completed", enrolled_at=now, percent=100,
                       completed_at=now) for u in users], batch_size=2000)
        courses[mode] = course.pk
    actor = User.objects.create_user(email="admin@bench-certs.invalid", password=None,
                                     full_name="Quản trị", organisation=unit)
    from backend.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=actor, role=Role.ADMINISTRATOR, organisation=unit)
    return {"courses": courses, "actor": actor.pk}


class BarePages:
    """Bare ReportLab drawing the same page, sampled *during* the run (a few pages after each
    chunk, or continuously beside the worker) so both figures see the same machine load."""

    def __init__(self) -> None:
        self.pages, self.seconds, self._i = 0, 0.0, 0

    @staticmethod
    def content(i: int):
        import datetime as dt

        from certificates.pdf import CertificateContent

        return CertificateContent(
            holder_name=f"Nguyễn Thị Thanh Hương {i}", course_title="Khóa bồi dưỡng eager",
            completion_date=dt.date(2026, 2, 3), issued_on=dt.date(2026, 2, 5),
            serial=f"{i:04d}/2026/GCN",
            verify_url=f"http://127.0.0.1:8000/verify/7KQ2-M9ZD-{i // 10000:04d}-{i % 10000:04d}/",
            issuer_name="Trường Bồi dưỡng cán bộ thông tin đối ngoại",
            parent_issuer_name="Ban Chỉ đạo công tác thông tin đối ngoại",
            signer_title="Hiệu trưởng", signer_name="Trần Văn Minh", course_hours=40)

    def draw(self, n: int) -> float:
        from certificates.pdf import render_bare_page

        started = time.perf_counter()
        for _ in range(n):
            self._i += 1
            render_bare_page(self.content(self._i))
        spent = time.perf_counter() - started
        self.pages += n
        self.seconds += spent
        return spent

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def _warm_up() -> None:
    """One-off costs a long-running worker pays once: URL resolver, templates, fonts, catalogues."""
    from django.template.loader import get_template
    from django.urls import reverse

    reverse("my-certificates")
    get_template("certificates/email/issued.txt")
    BarePages().draw(2)


def _run_eager(course_id: int, actor_id: int, count: int, bare_seconds: float) -> dict:
    import django

    django.setup()
    from django.db import connection

    from backend.accounts.models import User
    from backend.jobs.api import job_get
    from certificates import bulk

    _warm_up()
    bare = BarePages()
    checkpoints, memory, queries = _checkpoints(count), {}, [0]
    real_record = bulk._record
    sample = max(2, int(bulk.chunk_size() * bare_seconds))

    def record(job_id, index, **kw):  # after each chunk: how far, the peak so far, bare pages
        real_record(job_id, index, **kw)
        bare.draw(sample)
        done = (index + 1) * bulk.chunk_size()
        for c in checkpoints:
            if done >= c and c not in memory:
                memory[c] = round(_rss_mb(), 1)

    def counter(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    bulk._record = record
    actor = User.objects.get(pk=actor_id)
    rss_start = _rss_mb("self", "VmRSS")
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        job = bulk.bulk_issue_start(actor=actor, course_id=course_id)
    seconds = time.perf_counter() - started - bare.seconds
    job = job_get(job.id)
    return {"mode": "eager", "count": job.done, "errors": job.errors, "seconds": seconds,
            "rate": job.done / seconds, "bare_rate": bare.rate,
            "ratio": job.done / seconds / bare.rate,
            "queries_per_certificate": queries[0] / max(1, job.done),
            "rss_start_mb": round(rss_start, 1), "peak_mb_at": memory}


def _run_worker(course_id: int, actor_id: int, count: int, bare_seconds: float,
                concurrency: int, env: dict) -> dict:
    import django

    django.setup()
    from backend.accounts.models import User
    from backend.jobs.api import job_get
    from certificates import bulk

    _warm_up()
    bare = BarePages()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "backend", "worker", "--concurrency", str(concurrency),
         "--pool", "prefork", "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip",
         "--without-mingle"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        time.sleep(4)  # let the pool start before the clock does
        if worker.poll() is not None:
            raise SystemExit(f"celery worker exited: {worker.stderr.read().decode()[-2000:]}")
        children = _children(worker.pid)
        actor = User.objects.get(pk=actor_id)
        started = time.perf_counter()
        job = bulk.bulk_issue_start(actor=actor, course_id=course_id)
        checkpoints, memory = _checkpoints(count), {}
        while True:
            state = job_get(job.id)
            peak = max((_rss_mb(pid) for pid in children if Path(f"/proc/{pid}").exists()),
                       default=0.0)
            for c in checkpoints:
                if state.done + state.errors >= c and c not in memory:
                    memory[c] = round(peak, 1)
            if state.status in ("done", "failed"):
                break
            if time.perf_counter() - started > 3600:
                raise SystemExit("worker run took over an hour")
            polled = time.perf_counter()
            while time.perf_counter() - polled < 0.5:  # bare pages beside the worker, same load
                bare.draw(1)
        seconds = time.perf_counter() - started
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
    return {"mode": f"worker (redis, -c {concurrency})", "count": state.done, "errors": state.errors,
            "seconds": seconds, "rate": state.done / seconds, "bare_rate": bare.rate,
            "ratio": state.done / seconds / bare.rate, "peak_mb_at": memory}


def _children(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(c) for c in children]
    return found


def signing_variants() -> dict:
    """What the signing step measures, each a function certificate -> bytes, over the same data.

    "credential" is the unsigned PDF plus the certificate's Open Badges credential signed as the
    bulk job's `sign_credentials` does (store.signed_text: build, eddsa-rdfc-2022 proof,
    serialise; the status lists, e-mails and key it reads once per chunk are read once here);
    "pades+credential" is what a bulk issue now does per certificate.
    """
    from backend.accounts.api import users_get
    from certificates.credentials import keys, store
    from certificates.models import CredentialStatusList
    from certificates.rendering import ImageCache, render_bytes

    images = ImageCache()
    lists = CredentialStatusList.objects.in_bulk()
    emails: dict[int, str] = {}
    key = keys.active_key()

    def credential(c) -> bytes:
        if c.user_id not in emails:
            emails.update({u.id: u.email for u in users_get({c.user_id}).values()})
        return store.signed_text(c, email=emails[c.user_id], status_list=lists[c.status_list_id],
                                 key=key).encode()

    return {
        "unsigned": lambda c: render_bytes(c, images, sign=False),
        "pades": lambda c: render_bytes(c, images, sign=True),
        "credential": lambda c: (render_bytes(c, images, sign=False), credential(c))[0],
        "pades+credential": lambda c: (render_bytes(c, images, sign=True), credential(c))[0],
    }


def _run_signing(course_id: int, count: int) -> dict:
    import django

    django.setup()
    from certificates.models import Certificate

    _warm_up()
    variants = signing_variants()
    for draw in variants.values():  # one-off costs: identity, demo CA, fonts, timestamper
        draw(Certificate.objects.filter(course_id=course_id).first())
    seconds = dict.fromkeys(variants, 0.0)
    checkpoints, memory, done, chunk = _checkpoints(count), {}, 0, []
    rows = Certificate.objects.filter(course_id=course_id).order_by("pk").iterator(chunk_size=200)

    def measure(batch):
        for name, draw in variants.items():
            started = time.perf_counter()
            for certificate in batch:
                draw(certificate)
            seconds[name] += time.perf_counter() - started

    for certificate in rows:
        chunk.append(certificate)
        if len(chunk) == 100:
            measure(chunk)
            done += len(chunk)
            chunk = []
            for c in checkpoints:
                if done >= c and c not in memory:
                    memory[c] = round(_rss_mb(), 1)
    if chunk:
        measure(chunk)
        done += len(chunk)
    memory.setdefault(done, round(_rss_mb(), 1))
    rates = {name: done / spent for name, spent in seconds.items() if spent}
    return {"mode": "signing", "count": done, "rates": rates,
            "ratios": {name: rate / rates["unsigned"] for name, rate in rates.items()},
            "peak_mb_at": memory}


# --- orchestration --------------------------------------------------------------------------------

def _child(env: dict, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "tests.bench.certificates_bulk", "--child", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"step {args[0]} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(count: int, db: str, modes: list[str], *, redis_db: int, concurrency: int,
        chunk: int, bare_seconds: float, log=print) -> list[dict]:
    database = BenchDatabase("sqlite", f"sqlite:///{BENCH_VAR / 'certs.sqlite3'}") if db == "sqlite" \
        else BenchDatabase("postgres", PG_URL)
    if database.kind == "sqlite":
        BENCH_VAR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(BENCH_VAR / "certs.sqlite3") + suffix).unlink(missing_ok=True)
    else:
        database.recreate()
    shutil.rmtree(MEDIA, ignore_errors=True)
    broker = f"redis://127.0.0.1:6379/{redis_db}"
    env = bench_env(database, MEDIA_ROOT=str(MEDIA), CERTIFICATES_BULK_CHUNK=str(chunk),
                    CELERY_BROKER_URL="memory://", CERTIFICATES_SIGNING_DEMO="1",
                    CERTIFICATES_SIGNING_DIR=str(BENCH_VAR / "signing"))
    env.pop("CELERY_BROKER_URL")
    env["CELERY_TASK_ALWAYS_EAGER"] = "1"
    log(f"migrating {database.kind} and seeding {count} completed enrolments x 2 courses...")
    manage(env, "migrate", "--no-input", "-v0")
    seeded = _child(env, "seed", str(count))
    results = []
    if "eager" in modes:
        log("eager: bulk issue in-process...")
        results.append(_child(env, "eager", str(seeded["courses"]["eager"]), str(seeded["actor"]),
                              str(count), str(bare_seconds)))
    if "signing" in modes:
        if "eager" not in modes:
            raise SystemExit("the signing step draws the eager run's certificates: add eager")
        log("signing: the same certificates unsigned vs signed, in one process...")
        results.append(_child(env, "signing", str(seeded["courses"]["eager"]), str(count)))
    if "worker" in modes:
        import redis

        redis.Redis.from_url(broker).flushdb()
        worker_env = {**env, "CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": broker}
        worker_env.pop("CELERY_TASK_ALWAYS_EAGER")
        log(f"worker: bulk issue through {broker} and a celery worker...")
        results.append(_child(worker_env, "worker", str(seeded["courses"]["worker"]),
                              str(seeded["actor"]), str(count), str(bare_seconds), str(concurrency)))
        redis.Redis.from_url(broker).flushdb()
    return results


def table(results: list[dict]) -> str:
    lines = ["| mode | certificates | errors | seconds | PDFs/s | bare ReportLab PDFs/s | ratio | "
             "peak MB at 1k / 5k / N | queries per certificate |",
             "|---|---|---|---|---|---|---|---|---|"]
    signing = [r for r in results if r["mode"] == "signing"]
    for r in (r for r in results if r["mode"] != "signing"):
        peaks = " / ".join(f"{v}" for _k, v in sorted(r["peak_mb_at"].items(), key=lambda kv: int(kv[0])))
        q = f"{r['queries_per_certificate']:.2f}" if "queries_per_certificate" in r else "-"
        lines.append(f"| {r['mode']} | {r['count']} | {r['errors']} | {r['seconds']:.1f} | "
                     f"{r['rate']:.1f} | {r['bare_rate']:.1f} | {r['ratio']:.2f} | {peaks} | {q} |")
    for r in signing:
        peaks = " / ".join(f"{v}" for _k, v in sorted(r["peak_mb_at"].items(), key=lambda kv: int(kv[0])))
        lines += ["", f"Signing, {r['count']} certificates in one process (peak MB at 1k / 5k / N: {peaks})",
                  "", "| variant | PDFs/s | ratio to unsigned |", "|---|---|---|"]
        lines += [f"| {name} | {rate:.1f} | {r['ratios'][name]:.2f} |" for name, rate in r["rates"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        step, *rest = argv[1:]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
        if step == "seed":
            out = _seed(int(rest[0]))
        elif step == "signing":
            out = _run_signing(int(rest[0]), int(rest[1]))
        elif step == "eager":
            out = _run_eager(int(rest[0]), int(rest[1]), int(rest[2]), float(rest[3]))
        else:
            out = _run_worker(int(rest[0]), int(rest[1]), int(rest[2]), float(rest[3]),
                              int(rest[4]), dict(os.environ))
        out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--modes", default="eager,signing,worker")
    parser.add_argument("--redis-db", type=int, default=14)
    parser.add_argument("--concurrency", type=int, default=1, help="celery worker processes")
    parser.add_argument("--chunk", type=int, default=100, help="certificates per chunk")
    parser.add_argument("--bare-share", type=float, default=0.2, dest="bare_seconds",
                        help="eager: bare pages drawn after each chunk, as a share of the chunk")
    args = parser.parse_args(argv)
    results = run(args.count, args.db, [m.strip() for m in args.modes.split(",")],
                  redis_db=args.redis_db, concurrency=args.concurrency, chunk=args.chunk,
                  bare_seconds=args.bare_seconds)
    print(table(results))


if __name__ == "__main__":
    main()
