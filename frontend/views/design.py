"""The living style guide (administrators, linked from the administration menu) and the favicon route."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from frontend.views.admin import admin_required

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
    """Browsers ask for /favicon.ico whatever the <link rel="icon"> says: answer with the SVG itself."""
    return HttpResponse(favicon_svg(), content_type="image/svg+xml")


@lru_cache(maxsize=1)
def favicon_svg() -> bytes:
    return Path(finders.find("frontend/favicon.svg")).read_bytes()
