"""Everything under SCORM_CONTENT_URL: the sandboxed player document and the files it loads.

`<prefix><grant>/` is the player document the lesson page embeds in `<iframe sandbox="allow-scripts">`
(it hosts scorm-again's API object and loads each package page into a child document of its own
origin, static/frontend/scorm-frame.js); `files/<path>` are the package's files; `static/…` the
runtime from npm and the player's own scripts (nothing else of the site's static files). The grant
in the path authorises each request, re-checked against the lesson every time; the session is
never used (the sandboxed frame sends no cookie). Every response carries the sandbox headers,
set here so that no site-wide middleware replaces them (docs/decisions/0040-uploaded-packages-isolation.md).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from backend import sandbox
from backend.private_media import private_file_response
from backend.sandbox import not_found
from courses.scorm import api as scorm_api
from courses.scorm.api import PlayerGrant, grant_read

RUNTIME = {"1.2": "vendor/scorm-again/scorm12.min.js", "2004-3": "vendor/scorm-again/scorm2004.min.js",
           "2004-4": "vendor/scorm-again/scorm2004.min.js"}
PLAYER_FILES = frozenset({*RUNTIME.values(), "frontend/scorm-frame.js", "frontend/scorm-shim.js"})
CODE_CACHE = "private, max-age=86400"
# A package folder is never rewritten (a re-upload gets a new key, hence a new grant and URLs).
CONTENT_CACHE = "private, max-age=3600"
# Answers a navigation to package HTML: the parent document loads the page itself, so it stays in
# the player's origin and finds the API (courses/scorm/serving.py; static/frontend/scorm-shim.js).
BOUNCE = (b'<!DOCTYPE html><meta charset="utf-8"><title></title>'
          b'<script>parent.postMessage({ttdnScormBounce: 1, url: location.href}, "*");</script>')
BOUNCE_POLICY = "default-src 'none'; script-src 'unsafe-inline'; sandbox allow-scripts"


def files_base(request) -> str:
    return sandbox.files_base(request, settings.SCORM_CONTENT_URL)


@require_GET
@xframe_options_exempt  # framed by the lesson page; `frame-ancestors` names which one
def frame(request, token: str):
    grant = grant_read(token)
    granted = _granted(grant)
    if granted is None:
        return not_found()
    base = f"{files_base(request)}{token}/"
    package = granted.package
    with translation.override(grant.language):
        response = render(request, "frontend/scorm/frame.html", {
            "title": package.title, "language": grant.language,
            "runtime": f"{base}static/{RUNTIME[package.version]}",
            "script": f"{base}static/frontend/scorm-frame.js",
            "config": {"parentOrigin": grant.parent_origin, "version": package.version,
                       "filesBase": f"{base}files/", "shim": f"{base}static/frontend/scorm-shim.js",
                       "sourceQuery": "ttdn-source"}})
    response["Cache-Control"] = "no-store"
    return _guarded(request, response, grant)


@require_GET
def package_file(request, token: str, path: str):
    grant = grant_read(token)
    if _granted(grant) is None:
        return not_found()
    served = scorm_api.package_file(grant.package_key, path)
    if served is None:
        return not_found()
    if served.is_html and scorm_api.is_navigation(fetch_dest=request.headers.get("Sec-Fetch-Dest"),
                                                  query=request.GET):
        response = HttpResponse(BOUNCE, content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return _with(response, BOUNCE_POLICY)  # framed inside the player: no frame-ancestors
    response = private_file_response(
        request, storage=FileSystemStorage(location=served.path.parent), name=served.path.name,
        filename=served.path.name, content_type=served.content_type, inline=served.inline,
        cache_control=CONTENT_CACHE)
    return _guarded(request, response, grant)


@require_GET
def player_file(request, token: str, path: str):
    grant = grant_read(token)
    found = finders.find(path) if grant is not None and path in PLAYER_FILES else None
    if not found:
        return not_found()
    found = Path(found)
    response = private_file_response(
        request, storage=FileSystemStorage(location=found.parent), name=found.name, filename=found.name,
        content_type="text/javascript; charset=utf-8", inline=True, cache_control=CODE_CACHE)
    return _guarded(request, response, grant)


def _granted(grant: PlayerGrant | None) -> scorm_api.GrantedPlayer | None:
    if grant is None:
        return None
    return scorm_api.access_for_grant(user_id=grant.user_id, lesson_id=grant.lesson_id,
                                      package_key=grant.package_key)


def _guarded(request, response: HttpResponseBase, grant: PlayerGrant) -> HttpResponseBase:
    policy = scorm_api.player_policy(files_base=files_base(request), parent_origin=grant.parent_origin)
    return _with(response, policy)


def _with(response: HttpResponseBase, policy: str) -> HttpResponseBase:
    for name, value in sandbox.sandbox_headers(policy).items():
        response[name] = value
    return response
