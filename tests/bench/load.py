"""Talking to the bench server: headless logins, single requests, and locust runs."""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import http.client
import json
import os
import re
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.bench import flame
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


BROWSER_LOGIN = "/accounts/login/"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _browser_call(host: str, method: str, path: str, cookies: dict[str, str],
                  form: dict[str, str] | None = None) -> tuple[int, str, str]:
    """One request as a browser would send it, without following redirects; (status, body,
    Location). Cookies the answer sets are put into `cookies` (by hand: production marks them
    Secure, which a cookie jar would not send back over the bench's plain HTTP)."""
    parsed = urllib.parse.urlparse(host)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
               "Accept": "text/html"}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text, response.getheader("Location") or ""
    finally:
        conn.close()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def browser_login(host: str, email: str, password: str) -> dict[str, str]:
    """Sign in through the real login page (GET the form, POST it with its CSRF token), as a
    person's browser does; the cookies (session + CSRF) that browser then keeps."""
    cookies: dict[str, str] = {}
    status, page, _ = _browser_call(host, "GET", BROWSER_LOGIN, cookies)
    found = _CSRF_INPUT.search(page)
    if status != 200 or not found:
        raise SystemExit(f"GET {BROWSER_LOGIN} answered {status} without a CSRF token")
    status, page, _location = _browser_call(host, "POST", BROWSER_LOGIN, cookies, {
        "csrfmiddlewaretoken": found.group(1), "login": email, "password": password})
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"Browser login of {email} failed: {status} {page[:300]}")
    return cookies


def browser_login_many(host: str, emails: list[str], password: str,
                       parallel: int = 4) -> list[dict[str, str]]:
    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(lambda e: browser_login(host, e, password), emails))


def post_form(host: str, path: str, cookies: dict[str, str], form: dict[str, str] | None = None,
              *, page: str | None = None) -> tuple[int, str]:
    """POST a form of a page as the signed-in browser: the CSRF token from the page (`page`,
    default `path`) that shows the form, as a browser sends it; (status, Location)."""
    status, text, _ = _browser_call(host, "GET", page or path, cookies)
    found = _CSRF_INPUT.search(text)
    if status != 200 or not found:
        raise SystemExit(f"GET {page or path} answered {status} without a CSRF token")
    status, _text, location = _browser_call(host, "POST", path, cookies, {
        "csrfmiddlewaretoken": found.group(1), **(form or {})})
    return status, location


def warm_up(host: str, path: str, token: str | None, times: int = 20, *,
            cookie: str | None = None) -> None:
    """A few requests first (connections, caches, imports); any non-200 stops the run."""
    headers = {"X-Session-Token": token} if token else {}
    if cookie:
        headers = {"Cookie": cookie}
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
               seconds: int, out_dir: Path, plans: list[list[tuple[str, str, str]]] | None = None,
               locustfile: Path = LOCUSTFILE, extra_env: dict[str, str] | None = None) -> LoadStats:
    """Closed-loop load (`clients` users, no think time) for `seconds`; stats from locust's CSV.
    With `plans` (one per client: [(token, method, path), ...]) each client cycles through its
    own requests instead of GET `path`; `locustfile`/`extra_env` select another driver."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tokens_file = out_dir / f"{name}-tokens.json"
    tokens_file.write_text(json.dumps(plans if plans is not None else tokens))
    prefix = out_dir / name
    env = {**os.environ, "BENCH_PATH": path, "BENCH_NAME": path,
           "BENCH_PLAN_FILE" if plans is not None else "BENCH_TOKENS_FILE": str(tokens_file),
           **(extra_env or {})}
    command = [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless",
               "-u", str(clients), "-r", str(clients), "-t", f"{seconds}s", "--host", host,
               "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
               "--stop-timeout", "5", "--exit-code-on-error", "0"]
    try:
        with flame.phase(name, out_dir):
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
