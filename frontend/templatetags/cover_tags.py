"""`{% course_cover id title cover cover_small %}`: the course's resized cover image, or a
generated pattern (inline SVG, no style attributes: the CSP allows none) when it has none."""

from django import template
from django.urls import reverse

from courses.covers import SIZES, cover_pattern
from frontend.views.covers import cover_url_name

register = template.Library()


@register.inclusion_tag("frontend/_cover.html")
def course_cover(course_id: int, title: str, cover: str = "", cover_small: str = ""):
    if cover:
        large, small = (reverse("course-cover", args=[cover_url_name(name)])
                        for name in (cover, cover_small or cover))
        return {"image": True, "large": large, "small": small, "sizes": SIZES}
    return {"image": False, "pattern": cover_pattern(course_id, title), "sizes": SIZES}
