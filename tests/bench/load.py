"""Talking to the bench server: headless logins, single requests, and locust runs."""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import json
import os
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.bench.environment import ROOT
from tests.bench.report import LoadStats

LOGIN = "/_allauth/app/v1/auth/login"
TWO_FACTOR = "/_allauth/app/v1/auth/2fa/authenticate"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def request(host: str, path: str, *, method: str = "GET", body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 600) -> tuple[int, dict]:
    """One HTTP request; (status, JSON body) whatever the status."""
    req = urllib.request.Request(host + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw or b"{}")
    except ValueError:
        return status, {"raw": raw[:500].decode("utf-8", "replace")}


def post_json(host: str, path: str, data: dict, token: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Session-Token"] = token
    return request(host, path, method="POST", body=json.dumps(data).encode(), headers=headers)


def totp_code(secret: str, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    """RFC 6238 code for `secret` (base32), as an authenticator app would show it."""
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter),
                      hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def login(host: str, email: str, password: str, totp_secret: str | None = None) -> str:
    """Log in through allauth's headless app client; the session token (2FA step if asked)."""
    status, body = post_json(host, LOGIN, {"email": email, "password": password})
    token = body.get("meta", {}).get("session_token")
    pending = [f["id"] for f in body.get("data", {}).get("flows", []) if f.get("is_pending")]
    if status == 401 and "mfa_authenticate" in pending and totp_secret and token:
        status, body = post_json(host, TWO_FACTOR, {"code": totp_code(totp_secret)}, token)
        token = body.get("meta", {}).get("session_token", token)
    if status != 200 or not token:
        raise SystemExit(f"Login of {email} failed: {status} {json.dumps(body)[:300]}")
    return token


def login_many(host: str, emails: list[str], password: str, parallel: int = 4) -> list[str]:
    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(lambda e: login(host, e, password), emails))


def warm_up(host: str, path: str, token: str | None, times: int = 20) -> None:
    """A few requests first (connections, caches, imports); any non-200 stops the run."""
    headers = {"X-Session-Token": token} if token else {}
    for _ in range(times):
        status, body = request(host, path, headers=headers, timeout=30)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}: {json.dumps(body)[:300]}")


def upload_csv(host: str, path: str, data: bytes, token: str) -> tuple[int, dict]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"users.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() + data + (
        f"\r\n--{boundary}--\r\n").encode()
    return request(host, path, method="POST", body=body, headers={
        "X-Session-Token": token, "Content-Type": f"multipart/form-data; boundary={boundary}"})


def run_locust(*, name: str, host: str, path: str, tokens: list[str], clients: int,
               seconds: int, out_dir: Path) -> LoadStats:
    """Closed-loop load (`clients` users, no think time) for `seconds`; stats from locust's CSV."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tokens_file = out_dir / f"{name}-tokens.json"
    tokens_file.write_text(json.dumps(tokens))
    prefix = out_dir / name
    env = {**os.environ, "BENCH_PATH": path, "BENCH_TOKENS_FILE": str(tokens_file)}
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
               "-u", str(clients), "-r", str(clients), "-t", f"{seconds}s", "--host", host,
               "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
               "--stop-timeout", "5", "--exit-code-on-error", "0"]
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=seconds + 60, check=False)
    finally:
        tokens_file.unlink(missing_ok=True)
    (out_dir / f"{name}-locust.log").write_text(done.stdout + done.stderr)
    if done.returncode:
        raise SystemExit(f"locust failed ({done.returncode}); see {out_dir / (name + '-locust.log')}")
    return parse_locust_stats(prefix.with_name(prefix.name + "_stats.csv"), name=name, path=path,
                              clients=clients, seconds=seconds)


def parse_locust_stats(csv_path: Path, *, name: str, path: str, clients: int,
                       seconds: int) -> LoadStats:
    with csv_path.open(encoding="utf-8") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    row = rows.get("Aggregated") or next(iter(rows.values()))

    def num(key: str) -> float:
        value = row.get(key) or "0"
        return 0.0 if value == "N/A" else float(value)

    return LoadStats(name=name, path=path, requests=int(num("Request Count")),
                     failures=int(num("Failure Count")), rps=round(num("Requests/s"), 1),
                     p50=num("50%"), p95=num("95%"), p99=num("99%"), clients=clients,
                     seconds=seconds)
