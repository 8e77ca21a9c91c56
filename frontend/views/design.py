"""The living style guide (administrators, linked from the administration menu) and the favicon route."""

from __future__ import annotations

from functools import lru_cache

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from frontend.views.admin import admin_required

LOGO_TEMPLATE = "frontend/_components/logo.svg"
SWATCHES = ("ink", "muted", "bg", "surface", "surface-alt", "line", "line-strong", "brand", "brand-dark",
            "brand-tint", "link", "focus", "info", "success", "warning", "danger")
ICONS = ("house", "library", "book-open", "presentation", "settings", "award", "menu", "search", "plus",
         "pencil", "trash-2", "download", "upload", "circle-check", "circle-alert", "triangle-alert", "info",
         "inbox", "clock", "calendar", "users", "chevron-left", "chevron-right", "log-out")


@admin_required
def style_guide(request):
    crumbs = [(_("Administration"), reverse("admin-home")), (_("Design system"), "")]
    return render(request, "frontend/design/style_guide.html", {
        "swatches": SWATCHES, "icons": ICONS, "crumbs": crumbs,
    })


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """The logo (one drawing, also inlined in every page's header) as the site's icon. Browsers ask
    for /favicon.ico whatever a page says; pages point their <link rel="icon"> here too."""
    return HttpResponse(favicon_svg(), content_type="image/svg+xml")


@lru_cache(maxsize=1)
def favicon_svg() -> str:
    return render_to_string(LOGO_TEMPLATE)
