"""`{% site_header %}` and `{% site_footer %}`: the site's header and footer, from the snippet cache.

The header is the same for everyone who sees the same menu, in the same language, with the same
unread count, on the same kind of page (profile, notifications, elsewhere): it is rendered once
per such combination (frontend/snippets.py) and the three things that belong to one request
alone, the person's name (`person`), the page to come back to after a language switch and the CSRF token,
are holes filled in afterwards, each escaped, in one pass (a filled-in value is never read for
holes again). Rendering it for every page was about a fifth of a trainee's page (decision 0078).
The footer depends on the language alone.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from frontend.snippets import snippet

register = template.Library()

HEADER_TEMPLATE = "frontend/_components/site_header.html"
FOOTER_TEMPLATE = "frontend/_components/site_footer.html"
# Private-use characters: autoescaping leaves them as they are, and no text of ours holds them.
_HOLES = {name: f"\ue000{name}\ue001" for name in ("person", "next", "csrf_token")}
_HOLE = re.compile("\ue000(person|next|csrf_token)\ue001")


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    # As the inline header did, a page rendered without a request (or before authentication ran)
    # still gets a header: an anonymous one, with no way back.
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    path = request.path if request is not None else ""
    unread = context.get("notifications_unread", 0)
    html = snippet(
        HEADER_TEMPLATE, site_name=str(context.get("site_name", "")), signed_in=signed_in,
        n=int(unread() if callable(unread) else unread), menu=tuple(context.get("main_menu") or ()),
        at_profile=path == "/profile/", at_notifications=path == "/notifications/",
        **_HOLES,
    )
    fills = {
        "person": escape((user.full_name or user.email) if signed_in else ""),
        "next": escape(request.get_full_path() if request is not None else ""),
        "csrf_token": escape(str(context.get("csrf_token", ""))),
    }
    return mark_safe(_HOLE.sub(lambda hole: fills[hole.group(1)], html))  # noqa: S308 (escaped above)


@register.simple_tag
def site_footer() -> SafeString:
    return snippet(FOOTER_TEMPLATE)
