"""Everything under H5P_CONTENT_URL: the sandboxed player frame and the files it loads.

`<prefix><grant>/` is the frame document the lesson page embeds in `<iframe sandbox="allow-scripts">`;
`content/…`, `libraries/<Name>-<maj>.<min>/…` and `static/…` (h5p-standalone from npm and the
frame's own script) are what it loads. The grant in the path authorises each request; the session
is never used (the sandboxed frame sends no cookie). The frame document and content files re-check
the grant's user against the lesson every time; libraries resolve only within the content's own
library set. Every response carries the sandbox headers of courses.h5p.files, set here so that no
site-wide middleware replaces them (docs/decisions/0040-uploaded-packages-isolation.md).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from backend.private_media import private_file_response
from backend.sandbox import not_found
from courses.h5p import api as h5p_api
from courses.h5p.api import PlayerGrant, grant_read

# The only site static files the frame may load: the H5P player from npm, and its own script.
PLAYER_FILES = ("vendor/h5p-standalone/", "frontend/h5p-frame.js")
# Code (libraries, the player) is the same for everyone and never rewritten under one URL.
CODE_CACHE = "private, max-age=86400, immutable"
CONTENT_CACHE = "private, max-age=300"


@require_GET
@xframe_options_exempt  # framed by the lesson page; `frame-ancestors` names which one
def frame(request, token: str):
    grant = grant_read(token)
    granted = h5p_api.access_for_grant(grant) if grant else None
    if granted is None:
        return not_found()
    base = f"{h5p_api.files_base(request)}{token}/"
    with translation.override(grant.language):
        response = render(request, "frontend/h5p/frame.html", {
            "title": granted.content.title, "language": grant.language, "base": base,
            "config": _frame_config(grant, granted, base)})
    response["Cache-Control"] = "no-store"  # holds the learner's saved state
    return _guarded(request, response, grant)


def _frame_config(grant: PlayerGrant, granted: h5p_api.GrantedPlayer, base: str) -> dict:
    learner = granted.access.is_learner
    content = granted.content
    state = (h5p_api.state_for(user=granted.user, lesson_id=grant.lesson_id,
                                 content_key=content.content_key) if learner else None)
    player = {
        "id": f"lesson-{grant.lesson_id}",
        "h5pJsonPath": f"{base}content", "contentJsonPath": f"{base}content",
        "librariesPath": f"{base}libraries",
        "frameJs": f"{base}static/vendor/h5p-standalone/frame.bundle.js",
        "frameCss": f"{base}static/vendor/h5p-standalone/styles/h5p.css",
        "assetsRequestFetchOptions": {"credentials": "omit"},
        "xAPIObjectIRI": h5p_api.activity_iri(grant.lesson_id),
        # This document is the content's own frame, so H5P core runs in it directly ("div").
        "embedType": "div", "fullScreen": True, "frame": True, "copyright": True,
        "export": False, "embed": False, "icon": False,
        "title": content.title, "metadata": {"title": content.title, "license": "U"},
        "translations": _player_translations(),
        "preventH5PInit": False,  # the frame's script starts H5P once it listens for xAPI
    }
    if learner and settings.H5P_SAVE_FREQ_SECONDS:
        player["saveFreq"] = settings.H5P_SAVE_FREQ_SECONDS
        if state:
            player["contentUserData"] = [{"state": state}]
    return {"parentOrigin": grant.parent_origin, "learner": learner,
            "saveFreq": settings.H5P_SAVE_FREQ_SECONDS if learner else 0, "state": state,
            "player": player}


def _player_translations() -> dict:
    """The few strings of H5P core's own frame the learner reads (the rest come in libraries)."""
    return {"fullscreen": _("Fullscreen"), "disableFullscreen": _("Exit fullscreen"),
            "copyrights": _("Rights of use"), "close": _("Close"),
            "contentChanged": _("This content has changed since you last used it."),
            "startingOver": _("You will be starting over."), "title": _("Title"),
            "author": _("Author"), "license": _("License")}


@require_GET
def content_file(request, token: str, path: str):
    grant = grant_read(token)
    if grant is None or h5p_api.access_for_grant(grant) is None:
        return not_found()
    served = h5p_api.content_file(h5p_api.h5p_root(), grant.content_key, path)
    if served is None:
        return not_found()
    # A content folder is never rewritten (a re-upload gets a new key and a new grant).
    return _guarded(request, _send(request, served, cache=CONTENT_CACHE), grant)


@require_GET
def library_file(request, token: str, folder: str, path: str):
    grant = grant_read(token)
    wanted = h5p_api.parse_player_folder(folder)
    store_folder = h5p_api.library_store_folder(
        content_key=grant.content_key, machine_name=wanted[0], major=wanted[1], minor=wanted[2],
    ) if grant is not None and wanted is not None else None
    served = h5p_api.library_file(h5p_api.h5p_root(), store_folder, path) if store_folder else None
    if served is None:
        return not_found()
    return _guarded(request, _send(request, served, cache=CODE_CACHE), grant)


@require_GET
def player_file(request, token: str, path: str):
    grant = grant_read(token)
    found = (finders.find(path) if grant is not None and not h5p_api.path_problem(path)
             and path.startswith(PLAYER_FILES) else None)
    served = h5p_api.typed(found) if found else None
    if served is None:
        return not_found()
    return _guarded(request, _send(request, served, cache=CODE_CACHE), grant)


def _guarded(request, response: HttpResponse, grant: PlayerGrant) -> HttpResponse:
    for name, value in h5p_api.sandbox_headers(files_base=h5p_api.files_base(request),
                                             parent_origin=grant.parent_origin).items():
        response[name] = value
    return response


def _send(request, served: h5p_api.ServedFile, *, cache: str) -> HttpResponseBase:
    """The file through the one private-file response (ranges, ETag, X-Accel-Redirect/X-Sendfile
    in production); the sandbox headers are set on it by `_guarded`."""
    return private_file_response(
        request, storage=FileSystemStorage(location=served.path.parent), name=served.path.name,
        filename=served.path.name, content_type=served.content_type, inline=served.inline,
        cache_control=cache)
