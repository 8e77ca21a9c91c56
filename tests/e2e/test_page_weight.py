"""Pages stay small on slow links, and static files are fingerprinted and cached for good.

Page weight: the lesson page (a text lesson, as the enrolled demo trainee), the H5P player and
the quiz player (when the crawl finds one), each in a fresh browser context (empty cache). The
bytes transferred per page are written to test-artifacts/page-weights.json and printed: the test
server sends static files uncompressed, so a gzip estimate (what whitenoise sends) is given too.
Only a generous ceiling is asserted, to catch an accidental bundle; H5P package files (content
and content-type libraries, which the trainer uploads) are counted apart.
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
from whitenoise.storage import CompressedManifestStaticFilesStorage

from tests.e2e import browsing, site_pages
from tests.e2e.conftest import ARTIFACTS

CEILING_BYTES = 1_500_000  # per page, H5P package files excluded
QUIZ_PLAYER_NAMES = ("quiz-attempt",)


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
        weight = {"url": url, "requests": 0, "bytes": 0, "gzip_estimate": 0, "h5p_package_bytes": 0,
                  "outside_origin": []}
        for request in finished:
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            response = request.response()
            body = response.body() if response is not None and response.status == 200 else b""
            if not browsing.is_local(request.url, live_server.url):
                weight["outside_origin"].append(request.url)
            if urlsplit(request.url).path.startswith(h5p_prefix):
                weight["h5p_package_bytes"] += size
                continue
            weight["requests"] += 1
            weight["bytes"] += size
            weight["gzip_estimate"] += sizes["responseHeadersSize"] + (
                len(gzip.compress(body)) if body and len(body) > 200 else len(body))
        return weight
    finally:
        context.close()


def test_lesson_h5p_and_quiz_pages_are_light(browser, live_server, transactional_db):
    seeded = site_pages.seed_site()
    inventory = site_pages.crawl("trainee", seeded["users"], key_pages=seeded["key_pages"]["trainee"])
    pages = {"lesson (text)": seeded["key_pages"]["trainee"][0],
             "h5p player": seeded["key_pages"]["trainee"][1]}
    quiz = next((p.url for p in inventory.pages if p.name in QUIZ_PLAYER_NAMES and p.status == 200), None)
    if quiz:
        pages["quiz player"] = quiz
    weights = {label: measure(browser, live_server, inventory, url) for label, url in pages.items()}
    if not quiz:
        weights["quiz player"] = {"note": "no quiz player page on this site yet"}

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "page-weights.json").write_text(json.dumps(weights, indent=2), encoding="utf-8")
    print("\nPage weights (bytes transferred, empty cache):")
    for label, w in weights.items():
        if "bytes" in w:
            print(f"  {label:14} {w['bytes']:>9,} B in {w['requests']} requests "
                  f"(~{w['gzip_estimate']:,} B gzipped; H5P package files {w['h5p_package_bytes']:,} B)"
                  f"  {w['url']}")
        else:
            print(f"  {label:14} {w['note']}")
    for label, w in weights.items():
        if "bytes" in w:
            assert w["outside_origin"] == [], f"{label} loads from another origin"
            assert w["bytes"] < CEILING_BYTES, f"{label} weighs {w['bytes']:,} bytes"


# --- Fingerprinted, compressed, cached for good (production static storage) ----------------

class GzipOnlyStorage(CompressedManifestStaticFilesStorage):
    """Production's storage, without the brotli pass (the slow half of collectstatic; the same
    whitenoise code path), so the whole tree is collected in seconds."""

    def create_compressor(self, **kwargs):
        return Compressor(use_brotli=False, **kwargs)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
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
