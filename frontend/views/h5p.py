"""The H5P player page and the package files it loads.

The page hands h5p-standalone (npm, served as static files) the content and library URLs under
H5P_CONTENT_URL, the learner's saved state, and where to send xAPI statements and state
(static/frontend/h5p-player.js). Files are served only to who may see the lesson (content) or
to any signed-in user (libraries, shared), with the headers of courses.h5p.files.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from backend.errors import DomainError
from courses import api as courses_api
from courses.h5p import config, files, selectors
from courses.h5p.models import GradingMethod

CHUNK = 256 * 1024


@login_required
def player(request, lesson_id: int):
    try:
        access = selectors.lesson_for_player(user=request.user, lesson_id=lesson_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return render(request, "frontend/h5p/locked.html", {"message": exc.message}, status=exc.status)
    lesson = access.lesson
    content = selectors.content_for_lesson(lesson_id)
    can_upload = _can_upload(request.user, lesson_id)
    context = {"lesson": lesson, "content": content, "is_learner": access.is_learner,
               "can_upload": can_upload, "course": courses_api.course_get(lesson.course_id),
               "grading_methods": GradingMethod.choices}
    if content is not None:
        state = (selectors.state_for(user=request.user, lesson_id=lesson_id, content_key=content.content_key)
                 if access.is_learner else None)
        base = settings.H5P_CONTENT_URL
        context["result"] = (selectors.result_for(user_id=request.user.pk, lesson_id=lesson_id)
                             if access.is_learner else None)
        result = context["result"]
        context["score_percent"] = (round(result.score * 100) if result is not None
                                    and result.score is not None else None)
        context["config"] = {
            "lessonId": lesson_id,
            "csrfToken": get_token(request),
            "learner": access.is_learner,
            "state": state,
            "saveFreq": settings.H5P_SAVE_FREQ_SECONDS if access.is_learner else 0,
            "xapiUrl": f"/api/v1/lessons/{lesson_id}/xapi/",
            "stateUrl": f"/api/v1/lessons/{lesson_id}/h5p/state/",
            "player": {
                "id": f"lesson-{lesson_id}",
                "h5pJsonPath": f"{base}content/{content.content_key}",
                "contentJsonPath": f"{base}content/{content.content_key}",
                "librariesPath": f"{base}libraries",
                "frameJs": static("vendor/h5p-standalone/frame.bundle.js"),
                "frameCss": static("vendor/h5p-standalone/styles/h5p.css"),
                "xAPIObjectIRI": selectors.activity_iri(lesson_id),
                "embedType": "iframe" if "iframe" in content.embed_types else "div",
                # In an iframe, H5P core asks the host page's H5P for fullscreen, which this page
                # does not load (h5p-player.js gives it only the xAPI relay): offer it in div mode.
                "fullScreen": "iframe" not in content.embed_types, "frame": True, "copyright": True,
                "export": False, "embed": False, "icon": False,
                "title": content.title,
                "metadata": {"title": content.title, "license": "U"},
                "translations": _player_translations(),
            },
            "text": {"saved": _("Your answers are saved."), "offline": _(
                "Connection lost: your results will be sent when it is back."),
                "score": _("Your score: %(score)s%% (attempts: %(attempts)s)"),
                "done": _("Lesson completed.")},
        }
    return render(request, "frontend/h5p/player.html", context)


def _can_upload(user, lesson_id: int) -> bool:
    try:
        selectors.lesson_for_author(user=user, lesson_id=lesson_id)
    except DomainError:
        return False
    return True


def _player_translations() -> dict:
    """The few strings of H5P core's own frame the learner reads (the rest come in libraries)."""
    return {"fullscreen": _("Fullscreen"), "disableFullscreen": _("Exit fullscreen"),
            "copyrights": _("Rights of use"), "close": _("Close"),
            "contentChanged": _("This content has changed since you last used it."),
            "startingOver": _("You will be starting over."), "title": _("Title"),
            "author": _("Author"), "license": _("License")}


@require_GET
def library_file(request, folder: str, path: str):
    if not request.user.is_authenticated:
        raise Http404
    served = files.library_file(config.h5p_root(), folder, path)
    if served is None:
        raise Http404
    return _send(request, served, cache="private, max-age=3600")


@require_GET
def content_file(request, key: str, path: str):
    if not selectors.content_file_allowed(user=request.user, content_key=key):
        raise Http404
    served = files.content_file(config.h5p_root(), key, path)
    if served is None:
        raise Http404
    # A content folder is never rewritten (a re-upload gets a new key), so it may be cached long.
    return _send(request, served, cache="private, max-age=86400, immutable")


def _send(request, served: files.ServedFile, *, cache: str) -> HttpResponse:
    size = served.path.stat().st_size
    wanted = files.byte_range(request.headers.get("Range"), size)
    if wanted is None:
        # FileResponse closes the file when the response is done.
        response: HttpResponse = FileResponse(open(served.path, "rb"),  # noqa: SIM115
                                              content_type=served.content_type)
    else:
        first, last = wanted
        response = StreamingHttpResponse(_read(served.path, first, last), status=206,
                                         content_type=served.content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = files.CSP
    response["Cache-Control"] = cache
    response["Cross-Origin-Resource-Policy"] = "same-site"
    response["Content-Disposition"] = "inline" if served.inline else (
        f'attachment; filename="{served.path.name}"')
    return response


def _read(path, first: int, last: int):
    with open(path, "rb") as handle:
        handle.seek(first)
        left = last - first + 1
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
