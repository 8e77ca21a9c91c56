"""One confirmation step for destructive actions (revoke, unenrol, remove, take away a role).

The server asks: a POST without ``confirmed=1`` is answered with a page that repeats the form's
fields and asks "are you sure?" (works without JavaScript). confirm.js only shortens the way: it
opens a <dialog> with the same question on the page and, when confirmed, sends the form with
``confirmed=1`` so the server's page is skipped. Call it after the access check (a stranger gets
the 404, not the question).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

CONFIRMED = "confirmed"


def confirmation_page(request: HttpRequest, *, question: str, action_label: str, cancel_url: str,
                      consequence: str = "") -> HttpResponse | None:
    """None when the person has confirmed; otherwise the page that asks them to."""
    if request.POST.get(CONFIRMED) == "1":
        return None
    fields = [(name, value) for name, values in request.POST.lists()
              if name not in ("csrfmiddlewaretoken", CONFIRMED) for value in values]
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = cancel_url
    return render(request, "frontend/confirm.html", {
        "question": question, "consequence": consequence, "action_label": action_label,
        "action": request.get_full_path(), "fields": fields, "cancel_url": back or cancel_url,
    })
