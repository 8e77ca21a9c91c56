"""The SCORM lesson page (the main site's side of the player).

The page never runs package code: it embeds the player as `<iframe sandbox="allow-scripts">`
whose document is served under SCORM_CONTENT_URL with a player grant in its path (scorm_frame.py).
The player tells this page, by postMessage only, each commit of the SCO's data model;
static/frontend/scorm-player.js checks each message and itself calls
`/api/v1/lessons/{id}/scorm/cmi/` with the session and CSRF token, keeping unsent commits in this
browser until the server has them (docs/scorm.md, decision 0040).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from backend import sandbox
from courses import api as courses_api
from courses.scorm import api as scorm_api
from courses.scorm.api import CompletionRule, GradingMethod, PlayerGrant, ScormVersion, grant_make
from frontend.course_index import course_index
from frontend.views.activity import may_author, viewer_access
from frontend.views.scorm_frame import separate_origin

DONE = ("completed", "passed")


@login_required
def player(request, lesson_id: int):
    access, refused = viewer_access(request, scorm_api.lesson_for_viewer, lesson_id)
    if refused is not None:
        return refused
    lesson = access.lesson
    package = scorm_api.package_for_lesson(lesson_id)
    context = {"lesson": lesson, "package": package, "is_learner": access.is_learner,
               "can_upload": may_author(scorm_api.lesson_for_author, request.user, lesson_id),
               "course": courses_api.course_get(lesson.course_id),
               "grading_methods": GradingMethod.choices, "completion_rules": CompletionRule.choices,
               "accept": ",".join([".zip", "application/zip"]),
               "nav": course_index(request.user, lesson_id=lesson_id) if access.is_learner else None}
    if package is not None:
        context["version_label"] = ScormVersion(package.version).label
        context.update(_player(request, access, package))
    return render(request, "frontend/scorm/player.html", context)


def _player(request, access, package) -> dict:
    lesson_id = package.lesson_id
    statuses = _sco_statuses(request.user.pk, lesson_id) if access.is_learner else {}
    result = scorm_api.result_for(user_id=request.user.pk, lesson_id=lesson_id) if access.is_learner else None
    labels = _status_labels()
    toc = [{"identifier": item.identifier, "title": item.title, "depth": item.depth, "is_sco": item.is_sco,
            "label": labels.get(statuses.get(item.identifier, ""))} for item in package.items]
    scos = package.scos
    wanted = request.GET.get("sco")
    start = next((s for s in scos if s.identifier == wanted), None) or next(
        (s for s in scos if statuses.get(s.identifier) not in DONE), scos[0] if scos else None)
    token = grant_make(PlayerGrant(user_id=request.user.pk, lesson_id=lesson_id,
                                   package_key=package.package_key,
                                   parent_origin=sandbox.site_origin(request),
                                   language=get_language() or settings.LANGUAGE_CODE))
    scored = result is not None and result.score is not None
    separate = separate_origin(sandbox.site_origin(request))
    return {
        "toc": toc, "result": result, "start": start,
        "score_percent": round(result.score * 100) if scored else None,
        "sandbox": "allow-scripts allow-same-origin" if separate else "allow-scripts",
        "config": {
            "frameBase": f"{settings.SCORM_CONTENT_URL}{token}/",
            "frameOrigin": sandbox.content_origin(settings.SCORM_CONTENT_URL) if separate else "null",
            "lessonId": lesson_id, "userId": request.user.pk, "packageKey": package.package_key,
            "csrfToken": get_token(request), "learner": access.is_learner,
            "cmiUrl": f"/api/v1/lessons/{lesson_id}/scorm/cmi/",
            "start": start.identifier if start else None,
            "scos": [{"identifier": s.identifier, "title": s.title, "href": s.href} for s in scos],
            "text": {
                "saved": _("Your progress is saved."),
                "saving": _("Saving your progress…"),
                "offline": _("Connection lost: your progress is kept in this browser and will be sent when "
                             "the connection is back."),
                "score": _("Lesson score: %(score)s%% (attempts: %(attempts)s)"),
                "done": _("Lesson completed."),
                "preview": _("Preview: nothing is recorded."),
                "failed": _("The package could not be started. Reload the page to try again."),
                "status": labels,
            },
        },
    }


def _status_labels() -> dict[str, str]:
    return {"completed": pgettext("SCORM status", "completed"),
            "passed": pgettext("SCORM status", "passed"),
            "failed": pgettext("SCORM status", "not passed"),
            "incomplete": pgettext("SCORM status", "in progress"),
            "browsed": pgettext("SCORM status", "viewed")}


def _sco_statuses(user_id: int, lesson_id: int) -> dict[str, str]:
    """Each SCO's status in the learner's latest attempt: passed/failed when it says so, else its
    completion status."""
    out: dict[str, str] = {}
    for attempt in scorm_api.attempts_for(user_id=user_id, lesson_id=lesson_id):  # oldest first
        status = attempt.success_status if attempt.success_status in ("passed", "failed") \
            else attempt.completion_status
        if status and status not in ("unknown", "not attempted"):
            out[attempt.sco] = status
    return out

