"""Pages stay small on slow links, and static files are fingerprinted and cached for good.

Page weight (issue 11, item 13): the lesson page (a text lesson, as the enrolled demo trainee) and
the quiz player before its questions, each as the first visit of a session (a fresh browser
context: empty cache), count everything the page needs to show: the HTML, its CSS and JS, fonts,
images and icons, and the site icon (/favicon.ico, which a browser fetches on a first visit; a
headless one does not, so it is fetched here). Each is counted at the size production sends:
our CSS/JS squeezed as collectstatic writes them (backend/staticfiles.py), then gzipped (level 9,
as whitenoise does; the HTML as a compressing proxy would). Budget: BUDGET_BYTES of gzipped
bodies per page. Response headers are printed apart: their size depends on the protocol
(HTTP/2 compresses them) and on the proxy, not on what the page is made of.

What the page fetches after it has shown itself is printed apart too (the quiz player's
questions, `fetch`/`xhr`), and so are H5P package files (content the trainer uploads). The H5P
player is measured and printed, under the generous CEILING_BYTES only. Figures go to
test-artifacts/page-weights.json and to the output (`pytest -s`).
"""

from __future__ import annotations

import gzip
import json
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings
from whitenoise.compress import Compressor

from backend.staticfiles import SqueezedManifestStaticFilesStorage, squeeze
from tests.e2e import browsing, site_pages
from tests.e2e.conftest import ARTIFACTS

BUDGET_BYTES = 15 * 1024   # gzipped bodies, lesson page and quiz player (issue 11, item 13)
CEILING_BYTES = 1_500_000  # per page, raw, H5P package files excluded: an accidental bundle
QUIZ_PLAYER_NAMES = ("quiz-attempt",)
LATER = ("fetch", "xhr", "eventsource", "websocket")  # what a page asks for once it is shown


def production_body(url: str, body: bytes) -> bytes:
    """The body as production sends it before compression: our static CSS/JS squeezed."""
    path = urlsplit(url).path
    if path.startswith(settings.STATIC_URL):
        name = path[len(settings.STATIC_URL):]
        return squeeze(name, body.decode("utf-8")).encode("utf-8") if name.endswith((".css", ".js")) else body
    return body


def gzipped(body: bytes) -> int:
    return min(len(body), len(gzip.compress(body, compresslevel=9))) if body else 0


def measure(browser, live_server, inventory, url: str) -> dict:
    context = browsing.new_context(browser, live_server, inventory)
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    try:
        response = tab.goto(url, wait_until="networkidle")
        assert response.status == 200, f"{url} answered {response.status}"
        h5p_prefix = urlsplit(settings.H5P_CONTENT_URL).path
        weight = {"url": url, "requests": 0, "raw_bytes": 0, "gzip_bytes": 0, "header_bytes": 0,
                  "files": [], "later": [], "h5p_package_bytes": 0, "outside_origin": []}
        fetched = [(request.url, request.resource_type, request.response(),
                    request.sizes()["responseHeadersSize"]) for request in finished]
        if not any(urlsplit(u).path == "/favicon.ico" for u, *_ in fetched):
            icon = context.request.get(f"{live_server.url}/favicon.ico")
            header_size = sum(len(k) + len(v) + 4 for k, v in icon.headers.items())
            fetched.append((icon.url, "image", icon, header_size))
        for request_url, kind, answer, header_size in fetched:
            if not browsing.is_local(request_url, live_server.url):
                weight["outside_origin"].append(request_url)
            body = answer.body() if answer is not None and answer.status == 200 else b""
            if urlsplit(request_url).path.startswith(h5p_prefix):
                weight["h5p_package_bytes"] += len(body)
                continue
            sent = gzipped(production_body(request_url, body))
            row = {"url": urlsplit(request_url).path, "type": kind, "raw": len(body), "gzip": sent,
                   "status": answer.status if answer is not None else None}
            if kind in LATER:
                weight["later"].append(row)
                continue
            weight["requests"] += 1
            weight["raw_bytes"] += len(body)
            weight["gzip_bytes"] += sent
            weight["header_bytes"] += header_size
            weight["files"].append(row)
        return weight
    finally:
        context.close()


def report(weights: dict) -> str:
    lines = [f"Page weights (first visit, empty cache; budget {BUDGET_BYTES:,} B gzipped per page):"]
    for label, w in weights.items():
        if "gzip_bytes" not in w:
            lines.append(f"  {label:14} {w['note']}")
            continue
        lines.append(f"  {label:14} {w['gzip_bytes']:>7,} B gzipped ({w['raw_bytes']:,} B raw) in "
                     f"{w['requests']} requests, + {w['header_bytes']:,} B of headers  {w['url']}")
        lines += [f"      {f['gzip']:>6,} B  {f['type']:10} {f['url']}" for f in w["files"]]
        lines += [f"    later {f['gzip']:>6,} B  {f['type']:10} {f['url']}" for f in w["later"]]
        if w["h5p_package_bytes"]:
            lines.append(f"    H5P package files {w['h5p_package_bytes']:,} B raw")
    return "\n".join(lines)


def test_lesson_page_and_quiz_player_are_light(browser, live_server, transactional_db):
    seeded = site_pages.seed_site()
    inventory = site_pages.crawl("trainee", seeded["users"], key_pages=seeded["key_pages"]["trainee"])
    quiz = next((p.url for p in inventory.pages if p.name in QUIZ_PLAYER_NAMES and p.status == 200), None)
    assert quiz, "the crawl found no quiz player page to measure"
    pages = {"lesson (text)": seeded["key_pages"]["trainee"][0], "quiz player": quiz,
             "h5p player": seeded["key_pages"]["trainee"][1]}
    weights = {label: measure(browser, live_server, inventory, url) for label, url in pages.items()}

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "page-weights.json").write_text(json.dumps(weights, indent=2), encoding="utf-8")
    print("\n" + report(weights))
    for label, w in weights.items():
        assert w["outside_origin"] == [], f"{label} loads from another origin"
        assert w["raw_bytes"] < CEILING_BYTES, f"{label} weighs {w['raw_bytes']:,} bytes"
        assert [f for f in w["files"] if f["status"] != 200] == [], f"{label}: a file did not load"
        assert any(f["type"] == "document" for f in w["files"])
        assert any(f["type"] == "stylesheet" for f in w["files"]), "the CSS was not counted"
        assert any(f["url"] == "/favicon.ico" for f in w["files"]), "the site icon was not counted"
    for label in ("lesson (text)", "quiz player"):
        assert weights[label]["gzip_bytes"] <= BUDGET_BYTES, report({label: weights[label]})
    assert any(f["type"] == "script" for f in weights["quiz player"]["files"])
    assert weights["quiz player"]["later"], "the quiz player fetched no questions: nothing was measured apart"


# --- Fingerprinted, compressed, cached for good (production static storage) ----------------

class GzipOnlyStorage(SqueezedManifestStaticFilesStorage):
    """Production's storage, without the brotli pass (the slow half of collectstatic; the same
    whitenoise code path), so the whole tree is collected in seconds."""

    def create_compressor(self, **kwargs):
        return Compressor(use_brotli=False, **kwargs)


@pytest.fixture
def collected(tmp_path):
    # Function-scoped: the settings it overrides must not outlive its test (pytest-django runs this
    # `db` test before the live-server one, whose static files would then be looked for here).
    root = tmp_path / "static"
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": f"{__name__}.GzipOnlyStorage"}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages, DEBUG=False):
        # Every file of every finder: a CSS or JS file pointing at a missing file fails here.
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_static_files_are_fingerprinted_and_cached_forever(collected, db):
    with override_settings(WHITENOISE_AUTOREFRESH=False, WHITENOISE_USE_FINDERS=False):
        url = static("frontend/site.css")
        assert url.startswith("/static/frontend/site.") and url != "/static/frontend/site.css"
        client = Client()
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
        assert response["Content-Encoding"] == "gzip"
        # The page links the fingerprinted name, and the plain name is only briefly cached.
        assert url in client.get("/accounts/login/").content.decode()
        plain = client.get("/static/frontend/site.css")
        assert "immutable" not in plain.get("Cache-Control", "")
