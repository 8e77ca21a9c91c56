"""The scenario registry: name -> (setup, run). Later issues add theirs here (see README.md).

A scenario's `run(ctx)` measures something and appends LoadStats / ImportStats to
`ctx.report`. HTTP load scenarios call `http_load(...)`, which logs in distinct bench users
once per run and drives locust against the bench gunicorn; scenarios marked `compared` make the
harness also run the bare baselines, so their ratios can be computed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from backend.bench_seeding import (
    BENCH_ADMIN_EMAIL,
    BENCH_PASSWORD,
    BENCH_TOTP_SECRET,
    bench_user_email,
)
from tests.bench import load
from tests.bench.csvgen import users_csv
from tests.bench.environment import ROOT, BenchDatabase, query
from tests.bench.report import ImportStats, LoadStats, Report
from tests.bench.server import Gunicorn


@dataclass
class BenchContext:
    """What scenarios share in one run."""

    database: BenchDatabase
    env: dict[str, str]
    server: Gunicorn
    out_dir: Path
    clients: int
    duration: int
    import_rows: int
    report: Report
    log: Callable[[str], None] = print
    exam_trainees: int = 500
    exam_autosaves: int = 30
    surge_window: float = 15.0
    surge_think: float = 8.0
    _tokens: list[str] = field(default_factory=list)
    _admin_token: str | None = None

    @property
    def host(self) -> str:
        return self.server.host

    def tokens(self, count: int) -> list[str]:
        """Session tokens of `count` distinct bench users, logged in through the headless API."""
        if len(self._tokens) < count:
            started = time.perf_counter()
            emails = [bench_user_email(i) for i in range(len(self._tokens) + 1, count + 1)]
            self._tokens += load.login_many(self.host, emails, BENCH_PASSWORD)
            self.log(f"logged in {len(emails)} bench users in {time.perf_counter() - started:.1f} s")
        return self._tokens[:count]

    def admin_token(self) -> str:
        """The bench administrator's token (password, then TOTP as production requires)."""
        if self._admin_token is None:
            self._admin_token = load.login(self.host, BENCH_ADMIN_EMAIL, BENCH_PASSWORD,
                                           totp_secret=BENCH_TOTP_SECRET)
        return self._admin_token


@dataclass(frozen=True)
class Scenario:
    name: str
    run: Callable[[BenchContext], None]
    setup: Callable[[BenchContext], None] | None = None
    compared: bool = False  # an HTTP load figure that needs the bare baselines beside it
    baseline: bool = False
    help: str = ""


SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str, *, setup: Callable[[BenchContext], None] | None = None,
             compared: bool = False, baseline: bool = False, help: str = ""):
    def register(func: Callable[[BenchContext], None]):
        SCENARIOS[name] = Scenario(name, func, setup, compared, baseline, help)
        return func

    return register


def selected(only: set[str] | None) -> list[Scenario]:
    """Scenarios to run, in registration order; baselines join any compared scenario."""
    if not only:
        return list(SCENARIOS.values())
    unknown = only - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"Unknown scenarios: {', '.join(sorted(unknown))}. "
                         f"Known: {', '.join(SCENARIOS)}")
    wanted = set(only)
    if any(SCENARIOS[n].compared for n in wanted):
        wanted |= {s.name for s in SCENARIOS.values() if s.baseline}
    return [s for s in SCENARIOS.values() if s.name in wanted]


def http_load(ctx: BenchContext, name: str, path: str, *, auth: bool) -> LoadStats:
    tokens = ctx.tokens(ctx.clients) if auth else []
    load.warm_up(ctx.host, path, tokens[0] if tokens else None)
    stats = load.run_locust(name=name, host=ctx.host, path=path, tokens=tokens,
                            clients=ctx.clients, seconds=ctx.duration, out_dir=ctx.out_dir)
    ctx.report.http.append(stats)
    ctx.log(f"{name}: {stats.rps:.0f} req/s, p50 {stats.p50:.0f} ms, p99 {stats.p99:.0f} ms, "
            f"{stats.failures} errors")
    return stats


# --- Baselines ------------------------------------------------------------------------------

@scenario("bare-json", baseline=True, help="plain JsonResponse of 20 rows (the floor)")
def bare_json(ctx: BenchContext) -> None:
    http_load(ctx, "bare-json", "/bench/bare/json/", auth=False)


@scenario("bare-drf", baseline=True, help="DRF list of 20 rows, no auth (the ratio baseline)")
def bare_drf(ctx: BenchContext) -> None:
    http_load(ctx, "bare-drf", "/bench/bare/drf/", auth=False)


# --- Accounts ---------------------------------------------------------------------------------

@scenario("me", compared=True, help="GET /api/v1/me/ as distinct logged-in users")
def me(ctx: BenchContext) -> None:
    http_load(ctx, "me", "/api/v1/me/", auth=True)


def _leaf_codes(database: BenchDatabase) -> list[str]:
    rows = query(database, "SELECT code FROM accounts_organisation WHERE code LIKE 'bench-%' "
                           "AND kind IN ('department', 'mission') ORDER BY code")
    return [r[0] for r in rows]


@scenario("import", help="CSV user import of N rows: in-process, then once through HTTP")
def user_import(ctx: BenchContext) -> None:
    codes = _leaf_codes(ctx.database)
    stamp = int(time.time())
    # In-process: users_import() itself, in a fresh process (clean peak-memory figure).
    data, bad = users_csv(rows=ctx.import_rows, organisation_codes=codes, prefix=f"imp{stamp}a",
                          intake=f"{stamp}a")
    csv_path = ctx.out_dir / "import.csv"
    csv_path.write_bytes(data)
    done = subprocess.run([sys.executable, "-m", "tests.bench.import_probe", str(csv_path),
                           "--invitations", "200"],
                          cwd=ROOT, env=ctx.env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"import probe failed:\n{done.stdout}{done.stderr}")
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    ctx.report.imports.append(ImportStats(
        name="in-process", rows=ctx.import_rows, created=probe["created"],
        updated=probe["updated"], errors=probe["errors"], seconds=round(probe["seconds"], 3),
        peak_mb=round(probe["peak_mb"], 1),
        note=f"users_import(); {bad} bad rows; invitations queued, not sent"))
    if probe["invitations_sent"]:
        ctx.report.imports.append(ImportStats(
            name="invitations", rows=probe["invitations_sent"], created=0, updated=0, errors=0,
            seconds=round(probe["invitations_seconds"], 3),
            note="invitation e-mails rendered and sent (dummy backend), rows = e-mails"))
    ctx.log(f"import in-process: {ctx.import_rows / probe['seconds']:.0f} rows/s")

    # Once through HTTP as the bench administrator (a second file: new addresses).
    data, bad = users_csv(rows=ctx.import_rows, organisation_codes=codes, prefix=f"imp{stamp}b",
                          intake=f"{stamp}b")
    token = ctx.admin_token()
    before = ctx.server.worker_memory()
    started = time.perf_counter()
    status, body = load.upload_csv(ctx.host, "/api/v1/users/import/", data, token)
    seconds = time.perf_counter() - started
    after = ctx.server.worker_memory()
    # The worker that served the upload is the one whose peak RSS rose.
    growth = [after[pid][1] - before[pid][0] for pid in after
              if pid in before and after[pid][1] > before[pid][1]]
    if status != 200:
        raise SystemExit(f"HTTP import answered {status}: {json.dumps(body)[:300]}")
    ctx.report.imports.append(ImportStats(
        name="http", rows=ctx.import_rows, created=body["created"], updated=body["updated"],
        errors=body["errors"], seconds=round(seconds, 3),
        peak_mb=round(max(growth), 1) if growth else None,
        note=f"POST /api/v1/users/import/ ({len(data) / 1e6:.1f} MB); {bad} bad rows"))
    ctx.log(f"import over HTTP: {ctx.import_rows / seconds:.0f} rows/s")


# --- Later issues register their scenarios from their own modules ---------------------------------

# --- H5P (registers h5p-xapi, h5p-xapi-answered) ---------------------------------------------
import tests.bench.h5p_xapi  # noqa: E402, F401
from tests.bench import courses as _courses  # noqa: E402,F401  (course-outline, lesson-complete)
from tests.bench import pages as _pages  # noqa: E402,F401  (page-outline, -lesson, -quiz, -attempt)

# --- Assessments ------------------------------------------------------------------------------

@scenario("exam", compared=True,
          help="exam-start surge: N trainees start a 30-question random quiz, autosave, submit")
def exam(ctx: BenchContext) -> None:
    from tests.bench.exam import exam_surge

    for stats in exam_surge(ctx, ctx.exam_trainees, ctx.exam_autosaves):
        ctx.report.http.append(stats)
        ctx.log(f"{stats.name}: {stats.requests} requests, {stats.rps:.0f} req/s, p95 {stats.p95:.0f} ms, "
                f"{stats.failures} errors")

@scenario("exam-surge",
          help="open loop: --exam-trainees arrive over --surge-window s to start a 30-of-60 quiz, "
               "autosave with --surge-think s think time, submit; latency from each request's due time")
def exam_surge_open_loop(ctx: BenchContext) -> None:
    from tests.bench.exam_surge import surge

    ctx.report.http.extend(surge(ctx))


@scenario("certificates", help="bulk issue of 1,000 certificates (eager, in a fresh process) vs "
                               "bare ReportLab; full run: python -m tests.bench.certificates_bulk")
def certificates_bulk(ctx: BenchContext) -> None:
    done = subprocess.run([sys.executable, "-m", "tests.bench.certificates_bulk", "--count", "1000",
                           "--modes", "eager", "--db", ctx.database.kind],
                          cwd=ROOT, env={k: v for k, v in ctx.env.items() if k != "DATABASE_URL"},
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"certificate bench failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    row = done.stdout.strip().splitlines()[-1].strip("|").split("|")
    count, errors, seconds, rate, bare, ratio, peak, queries = (c.strip() for c in row[1:9])
    ctx.report.imports.append(ImportStats(
        name="certificates", rows=int(count), created=int(count), updated=0, errors=int(errors),
        seconds=float(seconds), peak_mb=float(peak.split("/")[-1]),
        note=f"bulk issue, eager: {rate} PDFs/s = {ratio} x bare ReportLab ({bare}/s); "
             f"{queries} queries per certificate"))
    ctx.log(f"certificates: {rate} PDFs/s ({ratio} x bare ReportLab)")


@scenario("reminders", help="the notifications reminder job over 100,000 enrolments (PostgreSQL); "
                            "full size: python -m tests.bench.reminders --enrolments 1000000 "
                            "--people 100000")
def reminders(ctx: BenchContext) -> None:
    if ctx.database.kind != "postgres":
        ctx.log("reminders: PostgreSQL only, skipped")
        return
    done = subprocess.run([sys.executable, "-m", "tests.bench.reminders"], cwd=ROOT,
                          env={k: v for k, v in ctx.env.items() if k != "DATABASE_URL"},
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"reminder bench failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    result = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("{")))
    first = result["runs"][0]
    again = result["runs"][1]
    ctx.report.imports.append(ImportStats(
        name="reminders", rows=result["enrolments"], created=first["created"], updated=0, errors=0,
        seconds=first["seconds"], peak_mb=max(r["peak_growth_mb"] for r in result["runs"]),
        note=f"{first['enrolments_per_s']:,} enrolments/s, {first['created_per_s']:,} notifications/s "
             f"(first run); steady-state rerun {again['seconds']} s"))
    ctx.log(f"reminders: first run {first['seconds']} s, rerun {again['seconds']} s")


@scenario("staff-reports", help="unit roll-up over the whole tree (vs the pre-0072 query), the report "
                                "page, the learners export as CSV/XLSX of every seeded user, peak "
                                "memory (PostgreSQL; tests/bench/staff.py)")
def staff_reports(ctx: BenchContext) -> None:
    if ctx.database.kind != "postgres":
        ctx.log("staff-reports: PostgreSQL only, skipped")
        return
    from tests.bench import staff

    result = staff.run(ctx.database.url, repeat=5, out=ctx.out_dir, env=ctx.env)
    rollup = result["rollup"]
    for name, key in (("unit-rollup", "whole_tree"), ("unit-rollup-before-0072", "before_0072"),
                      ("report-page", "report_page")):
        figures = rollup[key]
        ctx.report.imports.append(ImportStats(
            name=name, rows=rollup["enrolments"], created=0, updated=0, errors=0,
            seconds=figures["median_s"],
            note=f"best {figures['best_s']} s of {len(figures['runs'])}; "
                 f"{rollup['units_with_learners']} units with learners"))
    for export in result["exports"]:
        ctx.report.imports.append(ImportStats(
            name=f"learners-{export['step']}", rows=result["setup"]["learners"], created=0, updated=0,
            errors=0, seconds=export["seconds"], peak_mb=export["peak_growth_mb"],
            note=f"{export['bytes']:,} bytes"))
    ctx.log(f"staff-reports: roll-up {rollup['whole_tree']['median_s']} s "
            f"(before 0072: {rollup['before_0072']['median_s']} s), exports "
            + ", ".join(f"{e['step']} +{e['peak_growth_mb']} MB" for e in result["exports"]))
