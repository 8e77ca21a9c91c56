"""The H5P lesson page (the main site's side of the player).

The page never runs package code: it embeds the player as `<iframe sandbox="allow-scripts">`
whose document is served under H5P_CONTENT_URL with a player grant in its path (h5p_frame.py).
The frame tells this page, by postMessage only, the xAPI statements, the state to save and its
height; static/frontend/h5p-player.js checks each message and itself calls the REST endpoints
with the session and CSRF token (docs/decisions/0040-uploaded-packages-isolation.md).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from courses import api as courses_api
from courses.h5p import api as h5p_api
from courses.h5p.api import GradingMethod, PlayerGrant, grant_make
from frontend.course_index import course_index
from frontend.views.activity import may_author, viewer_access


@login_required
def player(request, lesson_id: int):
    access, refused = viewer_access(request, h5p_api.lesson_for_player, lesson_id)
    if refused is not None:
        return refused
    lesson = access.lesson
    content = h5p_api.content_for_lesson(lesson_id)
    can_upload = may_author(h5p_api.lesson_for_author, request.user, lesson_id)
    context = {"lesson": lesson, "content": content, "is_learner": access.is_learner,
               "can_upload": can_upload, "course": courses_api.course_get(lesson.course_id),
               "grading_methods": GradingMethod.choices,
               "nav": course_index(request.user, lesson_id=lesson_id) if access.is_learner else None}
    if content is not None:
        result = (h5p_api.result_for(user_id=request.user.pk, lesson_id=lesson_id)
                  if access.is_learner else None)
        context["result"] = result
        context["score_percent"] = (round(result.score * 100) if result is not None
                                    and result.score is not None else None)
        token = grant_make(PlayerGrant(user_id=request.user.pk, lesson_id=lesson_id,
                                       content_key=content.content_key,
                                       parent_origin=h5p_api.site_origin(request),
                                       language=get_language() or settings.LANGUAGE_CODE))
        context["frame_url"] = f"{settings.H5P_CONTENT_URL}{token}/"
        context["config"] = {
            "lessonId": lesson_id,
            "csrfToken": get_token(request),
            "learner": access.is_learner,
            "xapiUrl": f"/api/v1/lessons/{lesson_id}/xapi/",
            "stateUrl": f"/api/v1/lessons/{lesson_id}/h5p/state/",
            "stateMaxBytes": settings.H5P_STATE_MAX_BYTES,
            "text": {"saved": _("Your answers are saved."), "offline": _(
                "Connection lost: your results will be sent when it is back."),
                "score": _("Your score: %(score)s%% (attempts: %(attempts)s)"),
                "done": _("Lesson completed."),
                "failed": _("The activity could not be started. Reload the page to try again.")},
        }
    return render(request, "frontend/h5p/player.html", context)

