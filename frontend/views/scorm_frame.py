"""Everything under SCORM_CONTENT_URL: each SCO's launch document and the package files it loads.

`<prefix><grant>/sco/<n>/<path>` is file `<path>` of the package, for its n-th SCO (from 0, in
manifest order). The lesson page points its `<iframe sandbox="allow-scripts">` at the SCO's launch
file there; that load (a navigation) gets the launch document: the page with the runtime and the
session's data model first in its head (courses/scorm/serving.py), the session started as
`GET /api/v1/lessons/{id}/scorm/cmi/` starts it. `static/…` serves the runtime from npm and the
player's own scripts (nothing else of the site's static files).

The grant in the path authorises each request, re-checked against the lesson every time; the
session is never used (the sandboxed frame sends no cookie). Every response carries the sandbox
headers, set here so that no site-wide middleware replaces them
(docs/decisions/0040-uploaded-packages-isolation.md).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse, HttpResponseBase
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from backend import sandbox
from backend.errors import DomainError
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


def files_base(request) -> str:
    return sandbox.files_base(request, settings.SCORM_CONTENT_URL)


def separate_origin(site_origin: str) -> bool:
    """The content prefix is on another origin than the site page's (SCORM_CONTENT_URL absolute)."""
    origin = sandbox.content_origin(settings.SCORM_CONTENT_URL)
    return origin is not None and origin != site_origin


@require_GET
@xframe_options_exempt  # framed by the lesson page; `frame-ancestors` names which one
def sco_file(request, token: str, index: int, path: str):
    grant = grant_read(token)
    granted = _granted(grant)
    scos = granted.package.scos if granted else ()
    served = scorm_api.package_file(grant.package_key, path) if index < len(scos) else None
    if served is None:
        return not_found()
    sco = scos[index]
    if served.is_html and scorm_api.is_navigation(request.headers.get("Sec-Fetch-Dest")):
        if path == scorm_api.launch_path(sco.href):
            return _launch(request, token, grant, granted, sco, served)
        return _page(request, token, grant, served)
    response = private_file_response(
        request, storage=FileSystemStorage(location=served.path.parent), name=served.path.name,
        filename=served.path.name, content_type=served.content_type, inline=served.inline,
        cache_control=CONTENT_CACHE)
    return _guarded(request, response, grant, framed=False)


def _launch(request, token: str, grant: PlayerGrant, granted, sco, served) -> HttpResponseBase:
    """The launch document: the SCO's session starts now (a new attempt when the last ended)."""
    if served.path.stat().st_size > scorm_api.LAUNCH_MAX_BYTES:
        return not_found()
    try:
        access = scorm_api.runtime_access(user=granted.user, lesson_id=grant.lesson_id)
        start = scorm_api.cmi_get(user=granted.user, access=access, sco=sco.identifier)
    except DomainError:
        return not_found()
    base = f"{files_base(request)}{token}/static/"
    page = scorm_api.launch_document(served.path.read_bytes(), config={
        "parentOrigin": grant.parent_origin, "version": start.version, "sco": start.sco,
        "attempt": start.attempt, "seq": start.seq, "entry": start.entry, "cmi": start.cmi,
        "result": start.result, "preview": start.preview,
    }, scripts=[f"{base}frontend/scorm-shim.js", f"{base}{RUNTIME[start.version]}",
                f"{base}frontend/scorm-frame.js"])
    response = HttpResponse(page, content_type=served.content_type)
    response["Cache-Control"] = "no-store"  # holds the learner's data model
    return _guarded(request, response, grant, framed=True)


def _page(request, token: str, grant: PlayerGrant, served) -> HttpResponseBase:
    """Another package page loaded in a frame (or navigated to): with the storage shim first."""
    if served.path.stat().st_size > scorm_api.LAUNCH_MAX_BYTES:
        return not_found()
    shim = f"{files_base(request)}{token}/static/frontend/scorm-shim.js"
    response = HttpResponse(scorm_api.launch_document(served.path.read_bytes(), scripts=[shim]),
                            content_type=served.content_type)
    response["Cache-Control"] = CONTENT_CACHE
    return _guarded(request, response, grant, framed=False)


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
    return _guarded(request, response, grant, framed=False)


def _granted(grant: PlayerGrant | None) -> scorm_api.GrantedPlayer | None:
    if grant is None:
        return None
    return scorm_api.access_for_grant(user_id=grant.user_id, lesson_id=grant.lesson_id,
                                      package_key=grant.package_key)


def _guarded(request, response: HttpResponseBase, grant: PlayerGrant, *, framed: bool) -> HttpResponseBase:
    policy = scorm_api.player_policy(files_base=files_base(request),
                                     framed_by=grant.parent_origin if framed else None,
                                     same_origin=separate_origin(grant.parent_origin))
    for name, value in sandbox.sandbox_headers(policy).items():
        response[name] = value
    return response
